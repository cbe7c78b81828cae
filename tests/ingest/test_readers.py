"""Text readers: encodings, BOMs, binary refusal and format sniffing."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from duban.ingest import IngestError, parse_bytes, parse_file
from duban.ingest.readers import read_bytes, sniff
from duban.ingest.readers.txt import decode_bytes, text_to_blocks


def _comparable(doc) -> dict:
    data = doc.to_dict()
    data.pop("filename")
    return data


def test_gb18030_copy_of_seed_001_parses_identically(seed001_path: Path, tmp_path: Path) -> None:
    text = seed001_path.read_text(encoding="utf-8")
    gb_file = tmp_path / "seed001_gb18030.txt"
    gb_file.write_bytes(text.encode("gb18030"))
    assert decode_bytes(gb_file.read_bytes())[1] == "gb18030"
    assert _comparable(parse_file(gb_file)) == _comparable(parse_file(seed001_path))


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        ("一、任务\n1.推进(一)".encode("gbk"), "gb18030"),
        (codecs.BOM_UTF8 + "一、任务".encode(), "utf-8-sig"),
        ("一、任务".encode("utf-16"), "utf-16"),  # with BOM, as Notepad's "Unicode"
        ("一、任务".encode(), "utf-8"),
    ],
)
def test_encodings(encoded: bytes, encoding: str) -> None:
    text, found = decode_bytes(encoded)
    assert found == encoding
    assert text.startswith("一、任务")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件为空"),
        (b"  \n\t\r\n", "文件为空"),
        (codecs.BOM_UTF8 + b"   ", "文件为空"),
        (b"abc\x00\x01def", "二进制"),
        (bytes(range(256)), "二进制"),
        (b"\xff\xff\xff\xff", "编码"),
        (b"\x89PNG\r\n\x1a\n0000", "不支持的文件格式"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".doc/.xls"),
        (b"PK\x03\x04broken", "损坏"),
    ],
)
def test_unreadable_input_raises_one_chinese_error(data: bytes, message: str) -> None:
    with pytest.raises(IngestError, match=message):
        parse_bytes(data, "upload.bin")


def test_missing_file() -> None:
    with pytest.raises(IngestError, match="无法打开文件"):
        parse_file("/nonexistent/任务.txt")


def test_web_table_lines_become_rows() -> None:
    blocks = text_to_blocks("发布机构: | 青云谱区人民政府 | 生成日期: | 2020-12-16 |\n|---|---|\n正文")
    assert [b.kind for b in blocks] == ["row", "paragraph"]
    assert blocks[0].cells == ("发布机构:", "青云谱区人民政府", "生成日期:", "2020-12-16")


def test_sniff_by_content_not_name() -> None:
    assert sniff("一、任务".encode(), "plan.docx") == "txt"
    assert sniff(b"<!DOCTYPE html><html><body>x</body></html>", "plan.txt") == "html"
    assert sniff(b"%PDF-1.4\n", "plan.txt") == "pdf"


def test_markdown_table_of_tasks() -> None:
    text = "\n".join(
        [
            "| 序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限 |",
            "|---|---|---|---|---|",
            "| 1 | 新增停车泊位1000个 | 区住建局 | 区城管局、区交警大队 | 2021年底 |",
            "| 2 | 建成社区邻里中心 | 区民政局 |  | 2021年6月底 |",
        ]
    )
    doc = parse_bytes(text.encode(), "台账.md")
    assert [(t.number, t.lead_units, t.support_units) for t in doc.tasks] == [
        ("1", ["区住建局"], ["区城管局", "区交警大队"]),
        ("2", ["区民政局"], []),
    ]
    assert [t.deadline.isoformat() for t in doc.tasks] == ["2021-12-31", "2021-06-30"]
    assert read_bytes(text.encode())[0].kind == "row"


def test_full_width_punctuation_copy_of_seed_001_parses_identically(seed001_path: Path, tmp_path: Path) -> None:
    text = seed001_path.read_text(encoding="utf-8")
    wide = text.translate({ord(c): chr(ord(c) + 0xFEE0) for c in "():,;|"})  # （）：，；｜
    wide = "\n".join(line.replace(".", "\uff0e", 1) if line[:1].isdigit() else line for line in wide.split("\n"))
    assert "区政府办\uff08区外办\uff09" in wide and "责任单位\uff1a" in wide and "\n1\uff0e严格" in wide
    wide_file = tmp_path / "seed001_wide.txt"
    wide_file.write_text(wide, encoding="utf-8")
    assert _comparable(parse_file(wide_file)) == _comparable(parse_file(seed001_path))


def test_html_page_furniture_is_dropped_but_the_article_kept() -> None:
    from duban.ingest.readers.html import html_to_blocks

    page = """<html><body>
    <div class="mainnav"><ul><li>首页</li><li>政务公开</li></ul></div>
    <div class="position">当前位置:首页 &gt; 督查通报</div>
    <div id="printContent"><div class="TRS_Editor"><p>1.新建公厕21座。</p><p>责任单位:区城管局</p></div></div>
    <div class="bdsharebuttonbox"><span>分享到:</span><a>微信</a></div>
    <div class="article-tools"><a>【打印本页】</a><a>【关闭窗口】</a></div>
    <div class="related"><ul><li>1.关于2022年重点任务完成情况的通报</li></ul></div>
    <div class="ft"><p>主办:某区人民政府办公室</p></div>
    </body></html>"""
    assert [b.text for b in html_to_blocks(page)] == ["1.新建公厕21座。", "责任单位:区城管局"]
