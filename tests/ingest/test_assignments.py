"""Units assigned in prose and the tasks of meeting minutes."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.ingest import parse_text
from duban.ingest.assignments import find_assignment


@pytest.mark.parametrize(
    ("sentence", "lead", "support"),
    [
        ("会议要求,由区水务局牵头,区住建局、区城管局、各街道配合,5月底前完成易涝点整治。",
         ["区水务局"], ["区住建局", "区城管局", "各街道"]),
        ("由区卫健委负责,区财政局、区发改委配合,严格按照政府采购程序组织实施。", ["区卫健委"], ["区财政局", "区发改委"]),
        ("区住建局要会同区财政局、相关街道,加快推进老旧小区改造。", ["区住建局"], ["区财政局", "相关街道"]),
        ("区征收办牵头,沙河湾街道具体负责,区司法局配合,依法推进征收。", ["区征收办"], ["沙河湾街道", "区司法局"]),
        ("会议同意追加经费150万元,由区财政局按程序办理。", ["区财政局"], []),
        ("请区教体局会同区住建局抓紧开展前期工作。", ["区教体局"], ["区住建局"]),
        ("区交通运输局、区城管执法局、莲洲镇等单位要每天调度工作进展。", ["区交通运输局"], ["区城管执法局", "莲洲镇"]),
        ("由区人力资源和社会保障局牵头,区财政局和区税务局配合。", ["区人力资源和社会保障局"], ["区财政局", "区税务局"]),
        ("由区发改委、区统计局牵头抓好落实。", ["区发改委", "区统计局"], []),
        # nothing assigned
        ("会议同意区卫健委提出的采购方案,所需资金由区财政统筹安排。", [], []),
        ("会议强调,各单位要进一步提高思想认识。", [], []),
        ("会议听取了区征收办关于征收补偿工作进展情况的汇报。", [], []),
        ("要持续深化改革,不断提升企业和群众的获得感。", [], []),
        ("", [], []),
    ],
)
def test_find_assignment(sentence: str, lead: list[str], support: list[str]) -> None:
    assert find_assignment(sentence) == (lead, support)


MINUTES = "\n".join(
    [
        "某区人民政府常务会议纪要",
        "某区人民政府办公室  2023年4月14日",
        "现将会议议定事项纪要如下:",
        "一、关于防汛工作",
        "会议听取了区水务局的汇报。会议要求,由区水务局牵头,各街道配合,5月底前完成易涝点整治。",
        "二、关于学习有关精神",
        "会议传达学习了有关文件精神。会议强调,各单位要提高认识。",
        "三、其他事项",
        "(一)会议同意追加经费150万元,由区财政局按程序办理。",
        "(二)请区教体局会同区住建局抓紧开展前期工作,确保年内开工。",
        "出席:张三、李四",
        "列席:区政府办(由区政府办负责记录)",
    ]
)


def test_minutes_give_one_task_per_assigned_item() -> None:
    doc = parse_text(MINUTES)
    assert (doc.kind, doc.issuer, doc.date) == ("meeting_decision", "某区人民政府办公室", dt.date(2023, 4, 14))
    rows = [(t.path, t.heading, t.lead_units, t.support_units, t.deadline) for t in doc.tasks]
    assert rows == [
        (["一"], "关于防汛工作", ["区水务局"], ["各街道"], dt.date(2023, 5, 31)),
        (["三", "一"], "其他事项", ["区财政局"], [], None),
        (["三", "二"], "其他事项", ["区教体局"], ["区住建局"], dt.date(2023, 12, 31)),
    ]
    # the lead-in goes, the background sentence (会议听取了…) is not part of the task
    assert doc.tasks[0].text == "由区水务局牵头,各街道配合,5月底前完成易涝点整治。"
    assert not any(t.needs_review for t in doc.tasks)
