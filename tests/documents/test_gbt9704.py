"""The GB/T 9704-2012 writer on its own: page setup, fonts and sizes, headings, page numbers, the parts."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn
from docx.shared import Emu, Mm

from duban.documents import gbt9704
from duban.documents.gbt9704 import Document, Header, Heading, Item, Paragraph, chinese_date, render, typeset


def _sample(**extra) -> Document:
    return Document(
        title="关于重点任务推进情况的通报",
        header=Header("区人民政府督查室", "督办〔2026〕3号"),
        addressee="各街道办事处",
        blocks=[Heading(1, "一、总体情况"), Paragraph("截至2026年11月18日,共有重点任务78项。"),
                Heading(2, "(一)疫情防控"), Heading(3, "1.压实责任"), Item("1.", "严格落实管理。"),
                Paragraph("区卫生健康委", lead="责任单位:")],
        attachments=["滞后事项清单"], signature="区人民政府督查室", date=dt.date(2026, 11, 22),
        copy_to="区委办", printed_by="区人民政府办公室", printed_on=dt.date(2026, 11, 22), **extra)


@pytest.fixture(scope="module")
def docx():
    return read_docx(io.BytesIO(render(_sample())))


def _east_asian(run) -> str:
    return run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def _latin(run) -> str:
    return run._r.rPr.find(qn("w:rFonts")).get(qn("w:ascii"))


def _paragraph(docx, text: str):
    return next(p for p in docx.paragraphs if p.text.startswith(text))


def test_page_is_a4_with_the_standard_margins_and_type_area(docx) -> None:
    section = docx.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == 37
    assert round(section.left_margin.mm) == 28
    assert round(section.right_margin.mm) == 26
    assert round(section.bottom_margin.mm) == 35
    assert round(Emu(section.page_width - section.left_margin - section.right_margin).mm) == 156
    assert round(Emu(section.page_height - section.top_margin - section.bottom_margin).mm) == 225


def test_body_lines_fit_22_to_a_page_and_28_characters_to_a_line(docx) -> None:
    normal = docx.styles["Normal"].paragraph_format
    type_height = Mm(225)
    assert normal.line_spacing * 22 <= type_height < normal.line_spacing * 23
    run = _paragraph(docx, "截至").runs[0]
    spacing = int(run._r.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20  # points
    assert 28 * (16 + spacing) <= 156 / 25.4 * 72 < 29 * (16 + spacing)


def test_title_is_2hao_xiaobiaosong_centred(docx) -> None:
    title = _paragraph(docx, "关于重点任务推进情况的通报")
    assert title.alignment == 1  # centre
    run = title.runs[0]
    assert run.font.size.pt == 22
    assert _east_asian(run) == "方正小标宋简体"
    assert _latin(run) == "Times New Roman"


def test_body_is_3hao_fangsong_with_a_two_character_indent(docx) -> None:
    body = _paragraph(docx, "截至")
    run = body.runs[0]
    assert run.font.size.pt == 16
    assert _east_asian(run) == "仿宋_GB2312"
    assert _latin(run) == "Times New Roman"
    ind = body._p.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert body.paragraph_format.first_line_indent.pt == 32


def test_headings_use_heiti_kaiti_and_bold_fangsong(docx) -> None:
    h1, h2, h3 = (_paragraph(docx, t).runs[0] for t in ("一、总体情况", "（一）", "1.压实责任"))
    assert (_east_asian(h1), _east_asian(h2), _east_asian(h3)) == ("黑体", "楷体_GB2312", "仿宋_GB2312")
    assert not h1.bold and not h2.bold and h3.bold
    assert {h1.font.size.pt, h2.font.size.pt, h3.font.size.pt} == {16}


def test_defaults_name_the_east_asian_font_not_a_theme(docx) -> None:
    fonts = docx.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(
        qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert fonts.get(qn("w:eastAsiaTheme")) is None


def test_page_numbers_are_page_fields_right_on_odd_and_left_on_even_pages(docx) -> None:
    section = docx.sections[0]
    assert docx.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == 2 and even.alignment == 0  # right, left
    for footer in (odd, even):
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert "PAGE" in "".join(t.text for t in footer._p.iter(qn("w:instrText")))
        run = footer.runs[0]
        assert run.font.size.pt == 14 and _east_asian(run) == "宋体"


def test_red_header_with_number_and_red_rule(docx) -> None:
    org = _paragraph(docx, "区人民政府督查室")
    assert str(org.runs[0].font.color.rgb) == "FF0000"
    number = _paragraph(docx, "督办〔2026〕3号")
    rule = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"


def test_closing_and_record(docx) -> None:
    texts = [p.text for p in docx.paragraphs]
    assert "各街道办事处：" in texts
    assert "附件：滞后事项清单" in texts
    assert texts.index("区人民政府督查室", 2) < texts.index("2026年11月22日")
    assert "抄送：区委办" in texts
    assert "区人民政府办公室\t2026年11月22日印发" in texts
    assert _paragraph(docx, "2026年11月22日").alignment == 2


def test_fonts_may_be_overridden() -> None:
    docx = read_docx(io.BytesIO(render(_sample(), fonts={"body": "FangSong", "title": "SimSun"})))
    assert _east_asian(_paragraph(docx, "截至").runs[0]) == "FangSong"
    assert _east_asian(_paragraph(docx, "关于").runs[0]) == "SimSun"
    assert gbt9704.FONTS["body"] == "仿宋_GB2312"  # the mapping itself is untouched


def test_combined_documents_each_start_on_a_new_page() -> None:
    docx = read_docx(io.BytesIO(render(gbt9704.combine([_sample(), _sample(), _sample()]))))
    breaks = [br for br in docx.element.body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    assert len(breaks) == 2
    assert sum(p.text == "关于重点任务推进情况的通报" for p in docx.paragraphs) == 3


@pytest.mark.parametrize("raw, typeset_text", [
    ("责任单位:区住建局,区人社局", "责任单位：区住建局，区人社局"),
    ("(一)推进中;计划年底前完成", "（一）推进中；计划年底前完成"),
    ("投资1,000万元,10:30开会", "投资1,000万元，10:30开会"),
])
def test_typeset_uses_chinese_punctuation(raw: str, typeset_text: str) -> None:
    assert typeset(raw) == typeset_text


def test_chinese_date_has_no_leading_zeros() -> None:
    assert chinese_date(dt.date(2026, 1, 5)) == "2026年1月5日"
