"""Readers for .docx, .xlsx, .html and .pdf, on files built in the test."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from duban.ingest import IngestError, parse_bytes, parse_file
from duban.ingest.readers import read_bytes

from .builders import add_chinese_numbering, add_numbered_paragraph, docx_bytes, make_pdf
from .conftest import fixture_path


def _tasks(doc) -> list[dict]:
    return [t.to_dict() for t in doc.tasks]


@pytest.fixture(scope="module")
def plan_lines() -> list[str]:
    from duban.ingest.normalize import normalize_text

    return [line for line in normalize_text(fixture_path("plan_lines.txt").read_text("utf-8")).split("\n") if line]


# docx ---------------------------------------------------------------------------------------------------


def test_docx_paragraphs_parse_like_the_text(plan_lines: list[str], tmp_path: Path) -> None:
    document = docx.Document()
    for line in plan_lines:
        document.add_paragraph(line)
    path = tmp_path / "plan.docx"
    document.save(path)
    doc = parse_file(path)
    assert _tasks(doc) == _tasks(parse_file(fixture_path("plan_lines.txt")))
    assert doc.title == "某某区2021年政府工作报告重点任务分解方案" and doc.kind == "decomposition"


def test_docx_automatic_numbering_is_restored() -> None:
    document = docx.Document()
    document.add_paragraph("2021年重点任务分解方案")
    add_chinese_numbering(document)
    add_numbered_paragraph(document, "推动经济发展", 0)
    add_numbered_paragraph(document, "壮大实体经济", 1)
    add_numbered_paragraph(document, "新增规上企业20家。", 2)
    document.add_paragraph("牵头单位:区科工局")
    add_numbered_paragraph(document, "新增专精特新企业5家。", 2)
    document.add_paragraph("牵头单位:区科工局")
    add_numbered_paragraph(document, "优化营商环境", 1)
    add_numbered_paragraph(document, "压缩审批时限。", 2)
    document.add_paragraph("牵头单位:区行政审批局")
    add_numbered_paragraph(document, "增进民生福祉", 0)
    add_numbered_paragraph(document, "新增就业5000人。", 2)
    document.add_paragraph("牵头单位:区人社局")
    data = docx_bytes(document)
    texts = [b.text for b in read_bytes(data, "plan.docx")]
    assert texts[1:5] == ["一、推动经济发展", "(一)壮大实体经济", "1.新增规上企业20家。", "牵头单位:区科工局"]
    assert "(二)优化营商环境" in texts and "二、增进民生福祉" in texts and "1.压缩审批时限。" in texts
    doc = parse_bytes(data, "plan.docx")
    assert [t.path for t in doc.tasks] == [["一", "一", "1"], ["一", "一", "2"], ["一", "二", "1"], ["二", "1"]]


def test_docx_table_with_merged_cells() -> None:
    document = docx.Document()
    document.add_paragraph("某区2021年重点工作任务分解表")
    table = document.add_table(rows=5, cols=5)
    for i, header in enumerate(["序 号", "工作任务", "牵头单位", "配合单位", "完成时限"]):
        table.cell(0, i).text = header
    table.cell(1, 0).merge(table.cell(1, 4)).text = "一、推动经济发展"
    for i, value in enumerate(["1", "新增规上企业20家以上。", "区科工局", "区统计局、区税务局", "2021年11月底"]):
        table.cell(2, i).text = value
    for i, value in enumerate(["2", "新增专精特新企业5家。", "", "", "年底前"]):
        table.cell(3, i).text = value
    table.cell(2, 2).merge(table.cell(3, 2))  # one 牵头单位 for both rows
    table.cell(4, 0).merge(table.cell(4, 4)).text = "二、增进民生福祉"
    document.add_paragraph("各责任单位要高度重视,按月报送进展。")
    doc = parse_bytes(docx_bytes(document), "表.docx")
    assert [(t.path, t.lead_units, t.support_units, t.deadline) for t in doc.tasks] == [
        (["一", "1"], ["区科工局"], ["区统计局", "区税务局"], dt.date(2021, 11, 30)),
        (["一", "2"], ["区科工局"], [], dt.date(2021, 12, 31)),
    ]
    assert doc.tasks[0].sections[0].title == "推动经济发展"
    assert [(i.name, i.target, i.op) for i in doc.tasks[0].indicators] == [("新增规上企业", 20, ">=")]


def test_docx_layout_table_gives_paragraphs() -> None:
    document = docx.Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "一、重点任务"
    cell.add_paragraph("1.推进政务公开。")
    cell.add_paragraph("责任单位:区政府办")
    blocks = read_bytes(docx_bytes(document), "x.docx")
    assert [(b.kind, b.text) for b in blocks] == [
        ("paragraph", "一、重点任务"), ("paragraph", "1.推进政务公开。"), ("paragraph", "责任单位:区政府办"),
    ]


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    """The same zip package with one member's content replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == name else source.read(item))
    return buffer.getvalue()


def test_damaged_docx() -> None:
    data = _replace_member(docx_bytes(docx.Document()), "word/document.xml", b"<w:document><broken")
    with pytest.raises(IngestError, match="Word 文件已损坏"):
        parse_bytes(data, "x.docx")


# xlsx ---------------------------------------------------------------------------------------------------


def _workbook_bytes(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_ledger_with_merged_cells_dates_and_status() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["2022年重点任务推进台账"])
    sheet.merge_cells("A1:H1")
    sheet.append(["填报单位:区政府办"])
    sheet.append(["序号", "任务内容", "牵头单位", "协同单位", "责任领导", "时间节点", "完成情况", "状态"])
    sheet.append(["一、产业发展"])
    sheet.merge_cells("A4:H4")
    sheet.append([1, "建设标准厂房10万平方米", "区工信局", "区住建局、区自然资源局", "张三",
                  dt.datetime(2022, 12, 31), "主体完工80%", "序时推进"])
    sheet.append([2, "引进亿元以上项目15个", None, None, None, "2022年9月底", "已引进9个", "滞后"])
    sheet.merge_cells("C5:C6")
    sheet.merge_cells("E5:E6")
    sheet.append(["二", "民生保障"])
    sheet.append([3.0, "新增就业5000人以上", "区人社局", None, "李四", "年底前", "完成", "完成"])
    hidden = workbook.create_sheet("旧表")
    hidden.append(["序号", "工作任务", "责任单位"])
    hidden.append([1, "不应读取", "区财政局"])
    hidden.sheet_state = "hidden"
    doc = parse_bytes(_workbook_bytes(workbook), "台账.xlsx")
    assert doc.title == "2022年重点任务推进台账"
    assert doc.kind == "implementation_report"
    rows = [(t.path, t.lead_units, t.support_units, t.leader, t.deadline, t.status, t.status_text, t.progress)
            for t in doc.tasks]
    assert rows == [
        (["一", "1"], ["区工信局"], ["区住建局", "区自然资源局"], "张三", dt.date(2022, 12, 31), "in_progress",
         "序时推进", "主体完工80%"),
        (["一", "2"], ["区工信局"], [], "张三", dt.date(2022, 9, 30), "behind", "滞后", "已引进9个"),
        (["二", "3"], ["区人社局"], [], "李四", dt.date(2022, 12, 31), "done", "完成", "完成"),
    ]
    assert doc.tasks[2].sections[0].title == "民生保障"
    assert [(i.name, i.target, i.op) for i in doc.tasks[2].indicators] == [("新增就业", 5000, ">=")]


def test_xlsx_header_synonyms_and_several_sheets() -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.append(["编号", "工作事项", "责任单位", "完成时限"])
    first.append(["1", "推进数字政府建设", "区数据局、区政府办", "2023-06-30"])
    second = workbook.create_sheet("民生")
    second.append(["序号", "项目内容", "牵头部门", "配合部门", "完成时间"])
    second.append(["1", "建成社区食堂10个", "区民政局", "各街道", "2023年下半年"])
    doc = parse_bytes(_workbook_bytes(workbook), "tasks.xlsx")
    assert [(t.text, t.lead_units, t.support_units, t.deadline) for t in doc.tasks] == [
        ("推进数字政府建设", ["区数据局"], ["区政府办"], dt.date(2023, 6, 30)),
        ("建成社区食堂10个", ["区民政局"], ["各街道"], dt.date(2023, 12, 31)),
    ]


def test_xlsx_beyond_the_row_limit_is_refused_not_cut(monkeypatch) -> None:  # noqa: ANN001
    """A sheet longer than the limit is refused with a message; rows that are only formatted do not count."""
    from duban.ingest.readers import xlsx

    monkeypatch.setattr(xlsx, "_MAX_ROWS", 5)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["序号", "任务内容", "牵头单位"])
    for n in range(1, 5):
        sheet.append([n, f"第{n}项任务", "区发改委"])
    sheet.cell(row=40, column=2).number_format = "0.00"  # formatted, empty
    assert len(parse_bytes(_workbook_bytes(workbook), "t.xlsx").tasks) == 4
    sheet.append([5, "第5项任务", "区发改委"])
    with pytest.raises(IngestError, match="超过 5 行"):
        parse_bytes(_workbook_bytes(workbook), "t.xlsx")


def test_damaged_xlsx() -> None:
    data = _replace_member(_workbook_bytes(openpyxl.Workbook()), "xl/workbook.xml", b"<workbook><broken")
    with pytest.raises(IngestError, match="Excel 文件已损坏"):
        parse_bytes(data, "x.xlsx")


# html ---------------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>落实情况_某区人民政府</title>
<script>var nav = "一、不是任务";</script><style>p {{ color: red }}</style></head><body>
<div class="top-nav"><a href="/">首页</a> <a>政务公开</a></div>
<div class="crumbs">您当前所在位置:首页 &gt; 工作动态</div>
<table width="100%"><tr><td>
<h1>某区2020年重点任务落实情况</h1>
<table class="meta"><tr><td>发布机构:</td><td>某区人民政府</td><td>生成日期:</td><td>2020-12-16</td></tr>
<tr><td>公开方式:</td><td>主动公开</td><td>有效性:</td><td>有效</td></tr></table>
<p>一、聚焦经济发展</p><p>(一)抓实项目建设</p>
<p>1.新增停车泊位1934个。</p><p>责任单位:区住建局、区政府办(区外办)</p>
<p>贯彻落实情况:推进中,计划年底前完成。已完成3个停车场。</p>
<p>2.完善辖区医院分诊。</p><p>责任单位:区卫生健康委</p><p>贯彻落实情况:已完成并长期坚持。<br>规范发热门诊。</p>
</td></tr></table>
<div id="footer">主办:某区人民政府 版权所有 一、不是任务</div>
</body></html>"""


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_html_page_without_navigation(charset: str) -> None:
    data = PAGE.format(charset=charset).encode("gb18030" if charset == "gbk" else "utf-8")
    doc = parse_bytes(data, "page.html")
    assert (doc.title, doc.issuer, doc.date) == ("某区2020年重点任务落实情况", "某区人民政府", dt.date(2020, 12, 16))
    assert doc.kind == "implementation_report"
    first, second = doc.tasks
    assert first.path == ["一", "一", "1"]
    assert (first.lead_units, first.support_units) == (["区住建局"], ["区政府办(区外办)"])
    assert (first.status, first.deadline) == ("in_progress", dt.date(2020, 12, 31))
    assert (second.status, second.ongoing) == ("done", True)
    assert second.progress == "规范发热门诊。"  # a <br> paragraph continues the progress
    all_text = " ".join(b.text for b in read_bytes(data, "page.html"))
    assert "首页" not in all_text and "版权所有" not in all_text and "var nav" not in all_text


def test_html_data_table_with_spans() -> None:
    page = """<html><body><p>某区重点任务分解表</p><table border="1">
    <tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>完成时限</th></tr>
    <tr><td colspan="4">一、壮大实体经济</td></tr>
    <tr><td>1</td><td>新增规上企业20家</td><td rowspan="2">区科工局</td><td>2021年底前</td></tr>
    <tr><td>2</td><td>新增专精特新企业5家</td><td>2021年6月底</td></tr>
    </table></body></html>"""
    doc = parse_bytes(page.encode(), "t.html")
    assert [(t.path, t.lead_units, t.deadline) for t in doc.tasks] == [
        (["一", "1"], ["区科工局"], dt.date(2021, 12, 31)),
        (["一", "2"], ["区科工局"], dt.date(2021, 6, 30)),
    ]


# pdf ----------------------------------------------------------------------------------------------------


def test_pdf_text_layer_parses_like_the_text(plan_lines: list[str]) -> None:
    # wrap the long task line across two visual lines, as a PDF would, and add page numbers
    lines = list(plan_lines)
    long = lines.index("5.新建3所幼儿园,力争到2025年学前教育普惠率不低于85%。")
    lines[long:long + 1] = ["5.新建3所幼儿园,力争到2025年学前教育", "普惠率不低于85%。"]
    half = len(lines) // 2
    data = make_pdf([lines[:half] + ["- 1 -"], lines[half:] + ["- 2 -"]])
    doc = parse_bytes(data, "plan.pdf")
    assert _tasks(doc) == _tasks(parse_file(fixture_path("plan_lines.txt")))


def test_scanned_pdf_is_refused_clearly() -> None:
    with pytest.raises(IngestError, match="扫描件"):
        parse_bytes(make_pdf([[], []]), "scan.pdf")


def test_damaged_pdf() -> None:
    with pytest.raises(IngestError, match="PDF"):
        parse_bytes(b"%PDF-1.4\n garbage", "x.pdf")


def test_pdf_paragraph_running_over_a_page_break_is_joined() -> None:
    paragraph = "1.推进高频政务服务事项“免证办”,全年新增“免证办”事项100项以上,推动企业开办全流程1个工作日内办结。"
    lines = ["　　" + paragraph[:26], paragraph[26:54], paragraph[54:]]  # 28 characters a line, indent first
    data = make_pdf([
        ["某区2024年重点任务清单", "一、提升政务服务效能", *lines[:2], "- 1 -"],
        [lines[2], "　　责任单位:区政务服务管理局", "- 2 -"],
    ])
    texts = [b.text for b in read_bytes(data, "x.pdf")]
    assert texts == ["某区2024年重点任务清单", "一、提升政务服务效能", paragraph, "责任单位:区政务服务管理局"]
