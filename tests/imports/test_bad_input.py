"""Bad files get a clear Chinese message; nothing is saved and nothing crashes."""
from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from duban.imports.models import ImportDraft
from duban.imports.services import MAX_UPLOAD_BYTES


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(24):
                member.write(chunk)
    return buffer.getvalue()


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _docx_named_txt() -> bytes:
    import docx

    document = docx.Document()
    for line in ("一、优化营商环境", "1.推进政务服务一网通办。", "牵头单位:区行政审批局"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


CASES = [
    ("empty.txt", b"", "文件为空"),
    ("garbage.bin", bytes(range(256)) * 40, ""),
    ("broken.docx", b"PK\x03\x04" + b"\x00garbage" * 100, "损坏"),
    ("broken.xlsx", b"PK\x03\x04\x14\x00" + bytes(200), "损坏"),
    ("broken.pdf", b"%PDF-1.7\n%garbage that is not a pdf", ""),
    ("bomb.docx", None, "压缩炸弹"),
    ("scan.pdf", None, "扫描"),
    ("photo.docx", b"\x89PNG\r\n\x1a\n" + bytes(100), "不支持"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), ".docx"),
    ("notes.txt", "会议纪要:今天天气很好。".encode(), "没有识别出任务"),
]


@pytest.mark.parametrize(("name", "data", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_refused_with_a_message(login, settings, tmp_path, name: str, data: bytes | None,
                                            words: str) -> None:
    settings.MEDIA_ROOT = tmp_path
    data = {"bomb.docx": _zip_bomb, "scan.pdf": _blank_pdf}.get(name, lambda: data)()
    response = login("supervisor").post("/imports/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 400
    body = response.content.decode()
    message = body[body.index('id="upload-error"'):][:300]
    assert words in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message.split(">", 1)[1])  # a message in Chinese
    assert not ImportDraft.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_oversized_upload_is_refused(login, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    big = SimpleUploadedFile("big.txt", b"1." + b"x" * (MAX_UPLOAD_BYTES + 1))
    response = login("supervisor").post("/imports/", {"file": big})
    assert response.status_code == 400 and "上限 20 MB" in response.content.decode()
    assert not ImportDraft.objects.exists()


def test_missing_file_is_refused(login) -> None:
    response = login("supervisor").post("/imports/", {})
    assert response.status_code == 400 and "请选择" in response.content.decode()


def test_wrong_extension_is_read_by_content(login) -> None:
    response = login("supervisor").post("/imports/", {"file": SimpleUploadedFile("plan.txt", _docx_named_txt())})
    assert response.status_code == 302
    assert ImportDraft.objects.get().parsed["tasks"][0]["lead_units"] == ["区行政审批局"]


@override_settings(DEBUG=False)
def test_parser_crash_becomes_a_message(login, monkeypatch) -> None:
    from duban.imports import services

    def boom(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("parser bug")

    monkeypatch.setattr(services.ingest, "parse_blocks", boom)
    response = login("supervisor").post("/imports/", {"file": SimpleUploadedFile("a.txt", "1.任务".encode())})
    assert response.status_code == 400 and "无法读取" in response.content.decode()
