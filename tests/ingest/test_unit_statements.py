"""Statements headed by a unit (`市发改委:践行新思想,跑出加速度`): each run-in commitment is a task led by that unit."""

from __future__ import annotations

from collections import Counter

import pytest

from duban.ingest import parse_file, parse_text
from duban.ingest.statements import statement_unit

from .conftest import seed_path

SYNTHETIC = """\
各部门负责人谈新目标
市委全会提出了今年的奋斗目标,听听这些部门的负责人如何说——
高质量发展
区交通局:跑出加速度,建设大交通
作为交通主管部门,我们将全面贯彻全会精神,力争在新征程中取得更大业绩。
加快道路建设。年内建成青峰大道东延工程,新增公交线路5条。优化公共交通。完善公交线网,推进智慧站台建设。
区教育局:办好人民满意的教育
新建学校项目。年底前建成3所中小学,新增学位2000个。强化教师培训。组织全员轮训,培育骨干教师100名。
"""


def test_statement_heading() -> None:
    assert statement_unit("市发改委:践行新思想,跑出加速度") == ("市发改委", "践行新思想,跑出加速度")
    assert statement_unit("市文广旅局:奋力打造“三个镇江”") is not None
    assert statement_unit("责任单位:市发改委") is None  # a field, not a unit heading
    assert statement_unit("主要目标:地区生产总值增长6%") is None
    assert statement_unit("各街道:抓好落实") is None  # a group, not one unit
    assert statement_unit("区交通局:加快道路建设。年内建成工程") is None  # a sentence, not a slogan


def test_synthetic_statements() -> None:
    doc = parse_text(SYNTHETIC)
    got = [(t.path, t.lead_units, t.heading, t.text) for t in doc.tasks]
    assert got == [
        (["1", "1"], ["区交通局"], "区交通局:跑出加速度,建设大交通", "加快道路建设。年内建成青峰大道东延工程,新增公交线路5条。"),
        (["1", "2"], ["区交通局"], "区交通局:跑出加速度,建设大交通", "优化公共交通。完善公交线网,推进智慧站台建设。"),
        (["2", "1"], ["区教育局"], "区教育局:办好人民满意的教育", "新建学校项目。年底前建成3所中小学,新增学位2000个。"),
        (["2", "2"], ["区教育局"], "区教育局:办好人民满意的教育", "强化教师培训。组织全员轮训,培育骨干教师100名。"),
    ]
    assert all(t.needs_review and t.support_units == [] for t in doc.tasks)


def test_one_unit_heading_is_not_enough() -> None:
    text = "区交通局:跑出加速度\n加快道路建设。年内建成青峰大道东延工程,新增公交线路5条。\n"
    assert all(t.lead_units != ["区交通局"] for t in parse_text(text).tasks)


SEED004_UNITS = ("市发改委", "市卫健委", "市科技局", "市工信局", "市公安局", "市民政局", "市人社局", "市商务局", "市文广旅局")


@pytest.fixture(scope="module")
def seed004():
    return parse_file(seed_path("004"))


def test_seed004_every_department_leads(seed004) -> None:
    leads = Counter(unit for t in seed004.tasks for unit in t.lead_units)
    assert set(leads) == set(SEED004_UNITS)
    assert all(len(t.lead_units) == 1 for t in seed004.tasks)
    assert all(t.needs_review for t in seed004.tasks)


def test_seed004_slogans_are_not_tasks(seed004) -> None:
    lines = seed_path("004").read_text(encoding="utf-8").splitlines()
    slogans = {found[1] for line in lines if (found := statement_unit(line))}
    assert len(slogans) == 9
    assert all(t.text not in slogans and t.text.strip() not in lines[:3] for t in seed004.tasks)
    assert all(len(t.path) == 2 and t.heading and t.heading.startswith(t.lead_units[0]) for t in seed004.tasks)
