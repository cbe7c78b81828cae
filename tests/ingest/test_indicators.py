"""Quantity phrases → indicators; precision over recall."""

from __future__ import annotations

import pytest

from duban.ingest.indicators import find_indicators, parse_counted, parse_indicator


@pytest.mark.parametrize(
    ("clause", "name", "target", "unit", "op"),
    [
        ("新增停车泊位1934个", "新增停车泊位", 1934, "个", "="),
        ("完成居家适老化改造2000户以上", "完成居家适老化改造", 2000, "户", ">="),
        ("新增城镇就业不少于5000人", "新增城镇就业", 5000, "人", ">="),
        ("新增就业三万人", "新增就业", 30000, "人", "="),
        ("全年接待游客不少于两千万人次", "全年接待游客", 20_000_000, "人次", ">="),
        ("新建公厕二十一座", "新建公厕", 21, "座", "="),
        ("城镇登记失业率控制在4.5%以内", "城镇登记失业率", 4.5, "%", "<="),
        ("单位GDP能耗不超过0.5吨", "单位GDP能耗", 0.5, "吨", "<="),
        ("实现全区道路机械化清扫率95%以上", "实现全区道路机械化清扫率", 95, "%", ">="),
        ("政务服务事项网上可办率达到95%", "政务服务事项网上可办率", 95, "%", "="),
        ("完成固定资产投资150亿元", "完成固定资产投资", 15_000_000_000, "元", "="),
        ("实现年技术合同交易额逾7.5亿元", "实现年技术合同交易额", 750_000_000, "元", ">="),
        ("计划今年出让土地840余亩", "出让土地", 840, "亩", ">="),  # the time phrase is not the name
        ("力争到2025年学前教育普惠率不低于85%", "学前教育普惠率", 85, "%", ">="),
        ("建成区绿化覆盖率超过40%", "建成区绿化覆盖率", 40, "%", ">="),
    ],
)
def test_parse_indicator(clause: str, name: str, target: float, unit: str, op: str) -> None:
    indicator = parse_indicator(clause)
    assert indicator is not None
    assert (indicator.name, indicator.target, indicator.unit, indicator.op) == (name, target, unit, op)
    assert indicator.text == clause
    assert type(indicator.target) is type(target)


@pytest.mark.parametrize(
    "clause",
    [
        "实施井冈山大道等5条道路彩化工程",  # the quantity does not end the clause
        "加快推进18个“1+5+X”社区邻里中心建设",
        "打通医疗服务“最后一公里”",  # a number inside a quotation
        "力争培育高新技术企业140家、科技型中小企业150家",  # several targets in one clause
        "学前教育“三项占比”保持在120%、68%、100%以上",
        "地区生产总值年均增长7%-7.5%",  # a range
        "6月底前完成年度投资计划的50%",  # a share of another quantity
        "2025年",
        "第3个",
        "推进“五型”政府建设",
        "",
    ],
)
def test_no_indicator(clause: str) -> None:
    assert parse_indicator(clause) is None


def test_find_indicators_reads_each_clause() -> None:
    found = find_indicators("加快推进基础设施建设,新增停车泊位1934个,实施井冈山大道等5条道路彩化工程。新建公厕21座。")
    assert [(i.name, i.target) for i in found] == [("新增停车泊位", 1934), ("道路彩化工程", 5), ("新建公厕", 21)]


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("实施井冈山大道等5条道路彩化工程", [("道路彩化工程", 5, "条")]),
        ("完成城区12处易涝点整治", [("易涝点整治", 12, "处")]),
        ("确保象湖东岸、万象华庭、上下梅村3个安置小区竣工交付", [("安置小区竣工交付", 3, "个")]),
        ("实施10条道路“白改黑”、20条背街小巷提升改造", [("道路“白改黑”", 10, "条"), ("背街小巷提升改造", 20, "条")]),
        ("上线首批13个“一件事”", [("“一件事”", 13, "个")]),
        ("完成洪新、朱桥两个派出所建设", []),  # Chinese numerals before an object are mostly slogans
        ("坚决守住“两条底线”", []),
        ("推动企业开办1个工作日内办结", []),  # a time limit, not a count
        ("涉企执法案件办理情况每半年通报1次", []),  # a cadence
        ("谋划推进一批5G基站建设", []),
        ("全年安排重点项目150个", []),  # clause-final: parse_indicator's case
    ],
)
def test_parse_counted(clause: str, expected: list[tuple[str, int, str]]) -> None:
    assert [(i.name, i.target, i.unit) for i in parse_counted(clause)] == expected


@pytest.mark.parametrize("clause", ["开工建设城北污水处理厂三期", "涉企执法案件办理情况每半年通报一次"])
def test_phases_and_cadences_are_not_targets(clause: str) -> None:
    assert find_indicators(clause) == []
