"""Structure on synthetic documents in other shapes: line fields, bracketed fields, ——sub-headings."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.ingest import parse_file, parse_text
from duban.ingest.numbering import parse_label

from .conftest import fixture_path


@pytest.mark.parametrize(
    ("line", "rank", "label", "rest"),
    [
        ("一、聚焦两手抓", 0, "一", "聚焦两手抓"),
        ("十二、其他", 0, "十二", "其他"),
        ("(一)抓实抓细", 1, "一", "抓实抓细"),
        ("( 三 ) 抓实", 1, "三", "抓实"),
        ("1.严格落实", 2, "1", "严格落实"),
        ("39、加快推进", 2, "39", "加快推进"),
        ("(1)一季度开工", 3, "1", "一季度开工"),
        ("③加强领导", 4, "3", "加强领导"),
        ("2)细化措施", 5, "2", "细化措施"),
        ("第一部分 总体要求", -1, "一", "总体要求"),
    ],
)
def test_labels(line: str, rank: int, label: str, rest: str) -> None:
    found = parse_label(line)
    assert found is not None and (found.rank, found.label, found.rest) == (rank, label, rest)


@pytest.mark.parametrize("line", ["1.5亿元投资", "2020年计划", "十字街夜市", "2020.6.6特大案件", "一是强化协作"])
def test_not_labels(line: str) -> None:
    assert parse_label(line) is None


def test_line_based_decomposition_plan() -> None:
    doc = parse_file(fixture_path("plan_lines.txt"))
    assert doc.kind == "decomposition"
    assert doc.title == "某某区2021年政府工作报告重点任务分解方案"
    assert doc.date is None  # the title's year anchors deadlines but is not the document date
    tasks = {t.number: t for t in doc.tasks}
    assert list(tasks) == ["1", "2", "3", "4", "5"]
    assert tasks["1"].path == ["一", "一", "1"] and tasks["3"].path == ["一", "二", "3"]
    assert tasks["4"].path == ["二", "4"] and tasks["4"].heading == "增进民生福祉"
    assert (tasks["1"].lead_units, tasks["1"].support_units) == (["区科工局"], ["区统计局", "区市场监管局"])
    assert tasks["1"].leader == "张三"
    assert (tasks["2"].lead_units, tasks["2"].support_units) == (["区发改委", "区投促局"], ["各街道(镇)"])
    assert (tasks["5"].lead_units, tasks["5"].support_units) == (["区教体局(区语委)"], ["区住建局"])
    deadlines = {n: (t.deadline_text, t.deadline) for n, t in tasks.items()}
    assert deadlines == {
        "1": ("2021年11月底", dt.date(2021, 11, 30)),
        "2": ("年底前", dt.date(2021, 12, 31)),
        "3": ("2021年下半年", dt.date(2021, 12, 31)),
        "4": ("11月中旬", dt.date(2021, 11, 20)),
        "5": ("长期坚持", None),
    }
    assert not any(t.needs_review for t in doc.tasks)
    assert [(i.name, i.target, i.op) for i in tasks["4"].indicators] == [("完成居家适老化改造", 2000, ">=")]
    assert all(t.status is None for t in doc.tasks)


def test_explicit_date_overrides_and_anchors_relative_deadlines() -> None:
    doc = parse_file(fixture_path("plan_lines.txt"), date=dt.date(2022, 3, 1))
    assert doc.date == dt.date(2022, 3, 1)
    assert {t.number: t.deadline for t in doc.tasks}["2"] == dt.date(2022, 12, 31)


def test_bracketed_plan_with_lists_and_cover_notice() -> None:
    doc = parse_file(fixture_path("plan_brackets.txt"))
    assert doc.kind == "decomposition"
    assert [t.path for t in doc.tasks] == [["一", "1"], ["一", "2"], ["二", "1"], ["二", "2"]]
    first, second, third, fourth = doc.tasks
    # the (1)(2) list stays inside its task; the bracket is not part of the text
    assert first.text == (
        "加快重大项目建设,全年实施省市重点项目45个。\n(1)一季度开工项目不少于10个;\n(2)6月底前完成年度投资计划的50%。"
    )
    assert (first.lead_units, first.support_units) == (["县发改委"], ["县财政局", "县自然资源局"])
    assert (second.lead_units, second.support_units) == (["县住建局"], ["县政府办(县外办)", "各乡镇"])
    assert (third.lead_units, third.support_units) == (["县人社局"], ["县财政局"])
    assert [(i.name, i.target, i.unit, i.op) for i in third.indicators] == [("新增城镇就业", 3000, "人", ">=")]
    assert (fourth.lead_units, fourth.support_units) == (["县民政局"], ["县卫健委"])
    # the cover notice and the 工作要求 section (no fields) are not tasks
    texts = " ".join(t.text for t in doc.tasks)
    assert "高度重视" not in texts and "印发给你们" not in texts and "加强组织领导" not in texts


def test_plan_with_dash_subheadings() -> None:
    doc = parse_file(fixture_path("plan_dashes.txt"))
    tasks = {t.number: t for t in doc.tasks}
    assert list(tasks) == ["1", "2", "3", "4"]
    assert tasks["1"].heading == "不断增强城市功能" and tasks["2"].heading == "不断增强城市功能"
    assert tasks["3"].heading == "持续提升城市品质"
    assert tasks["4"].heading == "着力保障和改善民生"  # a new section ends the sub-heading
    assert tasks["3"].path == ["一", "3"]  # sub-headings have no label: they are not in the path
    assert [s.number for s in tasks["3"].sections] == ["一"]
    assert (tasks["2"].lead_units, tasks["2"].support_units) == (["区住建局"], ["区水务局"])
    assert (tasks["2"].deadline_text, tasks["2"].deadline) == ("年内", dt.date(2023, 12, 31))
    # a continuation paragraph joins its task; the closing notice does not
    assert tasks["4"].text == "新增就业5000人。\n重点做好高校毕业生、退役军人就业服务。"
    assert [(i.name, i.target) for i in tasks["1"].indicators] == [("打通断头路", 5), ("新增停车泊位", 1000)]


def test_report_with_other_status_vocabulary() -> None:
    doc = parse_file(fixture_path("report_vocab.txt"))
    assert (doc.title, doc.issuer, doc.date) == ("某某县2022年重点任务推进情况", "某某县人民政府", dt.date(2022, 9, 30))
    assert doc.kind == "implementation_report"
    states = [(t.status, t.status_text) for t in doc.tasks]
    assert states == [
        ("in_progress", "序时推进"), ("behind", "滞后序时"), ("not_started", "未启动"), ("done", "已完成"), (None, None),
    ]
    # a paragraph after 进展情况 continues the progress; the 落款 does not
    assert doc.tasks[2].progress == "受用地指标影响,项目尚未开工。"
    assert doc.tasks[4].progress == "正在开展前期工作。"
    assert doc.tasks[4].review_reasons == ["未识别出完成状态"]
    assert "某某县人民政府办公室" not in (doc.tasks[4].progress or "")


def test_inline_fields_and_circled_sub_items() -> None:
    text = "\n".join(
        [
            "一、重点任务",
            "1.推进数字政府建设。责任单位:区数据局 责任领导:李四 完成时限:2024年6月底前",
            "①建设一体化平台;",
            "②上线移动端应用。",
            "2.推进政务公开。责任单位:区政府办",
        ]
    )
    doc = parse_text(text)
    first, second = doc.tasks
    assert first.text == "推进数字政府建设。\n①建设一体化平台;\n②上线移动端应用。"
    assert (first.lead_units, first.leader, first.deadline) == (["区数据局"], "李四", dt.date(2024, 6, 30))
    assert second.lead_units == ["区政府办"]
    assert second.needs_review is False


def test_sub_items_that_carry_the_units_are_the_tasks() -> None:
    text = "\n".join(
        [
            "一、项目建设",
            "1.加快重点项目",
            "(1)建成A项目。(牵头单位:区发改委)",
            "(2)开工B项目。(牵头单位:区住建局)",
            "(3)签约C项目。(牵头单位:区投促局)",
            "2.优化服务",
            "(1)压缩审批时限。(牵头单位:区行政审批局)",
        ]
    )
    doc = parse_text(text)
    assert [t.path for t in doc.tasks] == [["一", "1", "1"], ["一", "1", "2"], ["一", "1", "3"], ["一", "2", "1"]]
    assert doc.tasks[0].heading == "加快重点项目"


def test_tasks_without_units_are_flagged() -> None:
    text = "一、任务\n1.甲任务\n责任单位:区发改委\n2.乙任务\n3.丙任务\n责任单位:区财政局"
    doc = parse_text(text)
    assert [t.number for t in doc.tasks] == ["1", "2", "3"]
    assert [t.needs_review for t in doc.tasks] == [False, True, False]
    assert doc.tasks[1].review_reasons == ["未找到责任单位"]


def test_prose_without_fields_yields_no_tasks_unless_a_plan() -> None:
    bulletin = "某市简报(第1期)\n一、全员动员,确保“三个到位”。确保思想认识到位,切实把建设作为当前关键任务来抓。"
    assert parse_text(bulletin).tasks == []
    assert parse_text(bulletin).kind == "bulletin"


def test_work_report_fallback_proposes_a_task_per_commitment_for_review() -> None:
    text = "\n".join(
        [
            "2021年某区政府工作报告",
            "一、过去五年工作回顾",
            "五年来,我们千方百计强产业、调结构,助推了经济高质量发展。",
            "二、今后五年的主要任务",
            "围绕上述目标,我们重点要做好三方面工作:",
            "(一)加快产业转型发展",
            "产业是发展的根本。必须拉长板、补短板,巩固提升优势产业的领先地位。",
            "做强优势产业“存量”。深化推进产业高质量发展十大提升行动,新增规上企业50家。推动园区提档升级。",
            "做优项目发展“增量”。坚定不移把“项目为王”的理念落到实处,力争到2025年完成投资500亿元。",
            "(二)加快民生共建共享",
            "获得感成色更足。深入开展“就业创业”活动,完善区、街道、社区三级服务体系。",
            "各位代表,展望新蓝图、开启新征程,我们重任在肩。",
        ]
    )
    doc = parse_text(text)
    assert doc.kind == "work_report"
    assert [t.path for t in doc.tasks] == [["二", "一", "1"], ["二", "一", "2"], ["二", "一", "3"], ["二", "二", "1"]]
    assert [t.text for t in doc.tasks[:2]] == ["深化推进产业高质量发展十大提升行动,新增规上企业50家。", "推动园区提档升级。"]
    assert all(t.needs_review for t in doc.tasks)
    assert doc.tasks[2].deadline == dt.date(2025, 12, 31)
    # the run-in title names the task's heading; the intro (产业是发展的根本。必须…) gives no task
    assert doc.tasks[0].heading == "做强优势产业“存量”"
    assert doc.tasks[0].sections[-1].title == "加快产业转型发展"


def test_work_report_targets_give_one_task_each() -> None:
    text = "\n".join(
        [
            "2023年某区政府工作报告",
            "二、2023年工作安排",
            "主要预期目标是:地区生产总值增长6.5%左右;城镇调查失业率控制在5.5%以内;完成市下达的节能减排任务。",
            "(一)扩大有效需求",
            "扩大有效投资。全年安排重点项目150个。",
        ]
    )
    doc = parse_text(text)
    assert [(t.path, t.heading, t.text) for t in doc.tasks[:3]] == [
        (["二", "1"], "主要预期目标", "地区生产总值增长6.5%左右"),
        (["二", "2"], "主要预期目标", "城镇调查失业率控制在5.5%以内"),
        (["二", "3"], "主要预期目标", "完成市下达的节能减排任务"),
    ]
    assert [(i.name, i.target, i.op) for i in doc.tasks[1].indicators] == [("城镇调查失业率", 5.5, "<=")]
    assert doc.tasks[3].path == ["二", "一", "1"]


@pytest.mark.parametrize("number", ["000", "003"])  # 004 is unit statements: test_unit_statements.py
def test_briefings_and_articles_propose_no_tasks(number: str) -> None:
    from .conftest import seed_path

    doc = parse_file(seed_path(number))
    assert doc.tasks == []


def test_seed_002_work_report() -> None:
    from .conftest import seed_path

    doc = parse_file(seed_path("002"))
    assert doc.kind == "work_report"
    assert doc.title == "2021年东湖区政府工作报告(2021年10月)"
    assert (doc.issuer, doc.date) == ("东湖区人民政府", dt.date(2021, 10, 12))
    assert {t.path[0] for t in doc.tasks} == {"二"}  # nothing from the review (一、本届政府工作回顾)
    assert {t.sections[-1].number for t in doc.tasks} == {"一", "二", "三", "四", "五"}
    assert all(t.needs_review for t in doc.tasks)
    assert not any("注释" in t.text or t.text.startswith("“资智回昌”") for t in doc.tasks)


def test_report_sections_of_a_progress_report_stay_apart() -> None:
    text = "\n".join(
        [
            "一、重点项目",
            "1.建成区体育中心。",
            "牵头单位:区教体局",
            "进展情况:推进中。主体完工。",
            "室内装修已完成60%。",
            "存在问题:资金缺口较大。",
            "下一步措施:积极争取专项债。",
            "1)加快装修;",
            "2)年底前交付。",
            "需协调事项:协调区财政局拨付资金。",
            "2.建成社区食堂。",
            "牵头单位:区民政局",
        ]
    )
    first, second = parse_text(text).tasks
    assert first.progress == "主体完工。\n室内装修已完成60%。"
    assert first.problems == "资金缺口较大。"
    assert first.next_steps == "积极争取专项债。\n1)加快装修;\n2)年底前交付。"
    assert first.coordination == "协调区财政局拨付资金。"
    assert first.text == "建成区体育中心。"
    assert second.lead_units == ["区民政局"] and second.progress is None


def test_numbered_details_inside_progress_are_not_tasks() -> None:
    text = "\n".join(
        [
            "一、城市建设",
            "5.打通断头路3条。",
            "责任单位:区住建局",
            "落实情况:推进中。",
            "1.金鹰路已完成主体建设;",
            "2.利民路已全面通车。",
            "6.新建公厕21座。",
            "责任单位:区城管局",
            "落实情况:已完成。",
        ]
    )
    first, second = parse_text(text).tasks
    assert (first.number, second.number) == ("5", "6")
    assert first.progress == "1.金鹰路已完成主体建设;\n2.利民路已全面通车。"
    assert second.status == "done"
