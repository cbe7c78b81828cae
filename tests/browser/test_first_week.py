"""The first week of a new office, in a real browser on an empty database (not the demo): set-up → a
directory of 40 units from .xlsx → 40 liaison accounts from .xlsx → seed 002 imported → lead units on 20
tasks with two bulk actions and deadlines on all of them with one → dispatched → a liaison logs in with the
printed password, changes it and acknowledges → a leader's instruction registered and dispatched from one
form. Every click, keystroke-field and file chosen is counted per step; `benchmarks/first_week.py` runs this
test and writes the counts to BENCHMARKS.md (DUBAN_INTERACTIONS names the file they go to)."""
from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

import duban

pytestmark = pytest.mark.browser
SEED_002 = Path(duban.__file__).parent / "samples" / "002_donghu_work_report_2021.txt"
DEPARTMENTS = (
    "区政府办", "区发改委", "区教科体局", "区工信局", "区公安分局", "区民政局", "区司法局", "区财政局", "区人社局",
    "区自然资源分局", "区生态环境分局", "区住建局", "区城管执法局", "区交通运输局", "区农业农村局", "区商务局",
    "区文广新旅局", "区卫健委", "区退役军人事务局", "区应急管理局", "区审计局", "区市场监管局", "区统计局",
    "区医保局", "区城市更新局", "区信访局", "区投促局", "区数据局")
STREETS = ("公园街道", "滕王阁街道", "百花洲街道", "墩子塘街道", "大院街道", "豫章街道", "董家窑街道", "彭家桥街道",
           "沙井街道", "扬农管理处")
COMPANIES = ("区城投集团", "区国控公司")
UNITS = [(f"南昌市东湖区{name[1:] if name.startswith('区') else name}", name, kind) for names, kind in (
    (DEPARTMENTS, "部门"), (STREETS, "街道/乡镇"), (COMPANIES, "国企")) for name in names]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("晓明", "海燕", "建国", "丽华", "志强", "静", "伟", "芳芳", "俊杰", "慧敏")


class Office:
    """The browser, with every user action counted under the step it belongs to."""

    def __init__(self, page: Any) -> None:  # noqa: ANN401 (a Playwright page)
        self.page = page
        self.counts: Counter[str] = Counter()
        self.step = ""

    def _count(self) -> None:
        self.counts[self.step] += 1

    def click(self, selector: str, **kwargs: Any) -> None:  # noqa: ANN401
        self._count()
        self.page.click(selector, **kwargs)

    def fill(self, selector: str, value: str) -> None:
        self._count()
        self.page.fill(selector, value)

    def choose(self, selector: str, value: str) -> None:
        self._count()
        self.page.select_option(selector, value)

    def upload(self, selector: str, path: Path) -> None:
        self._count()
        self.page.set_input_files(selector, str(path))

    def nav(self, label: str, menu: str = "") -> None:
        """Click a link of the top menu (in its ``menu`` drop-down, if given)."""
        if menu:
            self.click("#office-menu")
        self._count()
        self.page.locator("#nav").get_by_role("link", name=label, exact=True).click()
        self.page.wait_for_load_state("load")


def _sheet(path: Path, rows: list[list[str]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _log_in(office: Office, username: str, password: str) -> None:
    office.page.goto("/login/")
    office.fill("#id_username", username)
    office.fill("#id_password", password)
    office.click("button[type=submit]")
    office.page.wait_for_load_state("load")


def _change_password(office: Office, old: str, new: str) -> None:
    assert "/account/password/" in office.page.url, "a one-time password must be changed first"
    office.fill("#id_old_password", old)
    office.fill("#id_new_password1", new)
    office.fill("#id_new_password2", new)
    office.click("main button[type=submit]")
    office.page.wait_for_load_state("load")
    assert "/account/password/" not in office.page.url


def _bulk(office: Office, action: str, value: tuple[str, str] | None = None, *, rows: range | None = None) -> str:
    """Tick ``rows`` of the task list (or "all matching this filter"), choose ``action``, give its value,
    confirm; the message the list then shows."""
    page = office.page
    if rows is None:  # tick the page, then "all N tasks matching this filter"
        office.click("[data-bulk-page]")
        office.click("[data-bulk-all] input")
    else:  # the first row, then shift+click on the last: the rows between are ticked too
        boxes = page.locator("input[data-bulk-row]")
        office._count()
        boxes.nth(rows[0]).click()
        office._count()
        boxes.nth(rows[-1]).click(modifiers=["Shift"])
        assert page.locator("input[data-bulk-row]:checked").count() == len(rows)
    office.choose("#bulk-action", action)
    office.click("#bulk-form button[type=submit]")
    page.wait_for_load_state("load")
    if value is not None:
        office.fill(*value)
        office.click("#bulk-value-form button[type=submit]")
        page.wait_for_load_state("load")
    office.click("#bulk-confirm-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/tasks/(\?.*)?$"))
    return page.locator(".alert").first.inner_text()


def test_the_first_week_of_a_new_office(browser, live_empty: str, tmp_path: Path) -> None:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_empty,
                                  accept_downloads=True)
    office = Office(context.new_page())
    page = office.page

    office.step = "1 set-up: office and first administrator"
    page.goto("/")
    assert "/setup/" in page.url
    office.fill("#id_name", "东湖区人民政府督查室")
    office.choose("#id_level", "district")
    office.fill("#id_admin", "duchashi")
    office.click("#setup-form button[type=submit]")
    page.wait_for_load_state("load")
    password = page.locator("#admin-password").inner_text().strip()
    _log_in(office, "duchashi", password)
    _change_password(office, password, "Dcs-2026-first-week")
    assert "东湖区人民政府督查室" in page.locator("nav").inner_text()

    office.step = "2 a directory of 40 units from .xlsx"
    units = _sheet(tmp_path / "单位名录.xlsx", [["单位名称", "简称", "类别"], *[list(u) for u in UNITS]])
    office.nav("单位")
    office.click("#unit-actions >> text=批量导入")
    office.upload("#id_file", units)
    office.click("#unit-import-form button[type=submit]")
    page.wait_for_load_state("load")
    assert "40 个待新增" in page.locator("#import-summary").inner_text()
    office.click("#unit-import-confirm button[type=submit]")
    page.wait_for_url("**/units/")
    assert page.locator("tr.unit-row").count() == 40

    office.step = "3 forty liaison accounts from .xlsx"
    people = [[SURNAMES[i % 20] + GIVEN[i % 10], short, "联络员", f"1387000{i:04d}", f"lly{i}@donghu.example"]
              for i, (_full, short, _kind) in enumerate(UNITS)]
    roster = _sheet(tmp_path / "联络员.xlsx", [["姓名", "单位", "角色", "手机", "邮箱"], *people])
    office.nav("账号管理", menu="管理")
    office.click("text=批量导入")
    office.upload("#id_file", roster)
    office.click("#import-form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator("#preview-ok").is_visible()
    office.click("#apply-form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator("#password-table tbody tr").count() == 40
    with page.expect_download() as download:
        office.click("#download-form button[type=submit]")
    saved = tmp_path / "初始密码.xlsx"
    download.value.save_as(saved)
    printed = load_workbook(saved).active
    shorts = {short for _full, short, _kind in UNITS}
    slips = {row[1]: (row[3], row[4]) for row in printed.iter_rows(min_row=2, values_only=True) if row[1] in shorts}
    assert len(slips) == 40 and all(password for _user, password in slips.values())

    office.step = "4 seed 002 imported"
    office.nav("导入", menu="管理")
    office.upload("#id_file", SEED_002)
    office.click("#upload-button")
    page.wait_for_url(re.compile(r".*/imports/\d+/$"))
    office.click("#confirm-import")
    page.wait_for_url("**/tasks/")
    total = int(re.search(r"\d+", page.locator("#result-count").inner_text()).group())
    assert total >= 90, total

    office.step = "5 lead units on 20 tasks (two bulk actions), deadlines on all (one)"
    assert "10" in _bulk(office, "lead_units", ("#id_lead_units", "区住建局"), rows=range(0, 10))
    assert "10" in _bulk(office, "lead_units", ("#id_lead_units", "区发改委"), rows=range(10, 20))
    message = _bulk(office, "deadline", ("#id_deadline", "2026-12-31"))
    assert str(total) in message, message

    office.step = "6 dispatched"
    message = _bulk(office, "dispatch")
    assert "20" in message, message  # the tasks still without a lead unit are skipped, and the list says why

    office.step = "7 a liaison logs in with the printed password, changes it, acknowledges"
    liaison = context.browser.new_context(viewport={"width": 375, "height": 800}, base_url=live_empty)
    office.page = liaison.new_page()
    username, first_password = slips["区住建局"]
    _log_in(office, username, first_password)
    _change_password(office, first_password, "Zj-liaison-2026")
    office.click(".navbar-toggler")
    office.nav("待办")
    waiting = office.page.locator("#todo-acknowledge li.list-group-item")
    assert waiting.count() == 10  # 区住建局 leads the first ten tasks
    office.click("#todo-acknowledge button[type=submit]")
    office.page.wait_for_load_state("load")
    assert waiting.count() == 9
    liaison.close()
    office.page = page

    office.step = "8 a leader's instruction registered and dispatched from one form"
    office.nav("任务清单")
    office.click("text=立项")
    office.choose("#id_kind", "leader_instruction")
    office.fill("#id_title", "区长在《关于燃气安全隐患排查的报告》上的批示")
    office.fill("#id_text", "请区住建局牵头,会同区应急管理局,一周内完成全区燃气管道隐患排查并报送结果。")
    office.fill("#id_lead_units", "区住建局")
    office.fill("#id_support_units", "区应急管理局")
    office.fill("#id_working_days", "5")
    office.click("#id_dispatch")
    office.click("#register-form button[type=submit]")
    page.wait_for_load_state("load")
    assert "燃气管道隐患排查" in page.content()
    assert "已交办" in page.content()

    counts = dict(office.counts)
    if out := os.environ.get("DUBAN_INTERACTIONS"):
        Path(out).write_text(json.dumps(counts, ensure_ascii=False, indent=1), encoding="utf-8")
    assert sum(counts.values()) < 150, counts
    context.close()
