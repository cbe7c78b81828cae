"""Limits that keep a hostile file from hurting the server before any reader opens it.

A .docx or .xlsx is a zip archive: a few kilobytes can declare gigabytes of XML (a zip bomb). The archive's
directory states each member's size, so the check costs nothing and happens before anything is inflated.
"""
from __future__ import annotations

import zipfile

from ..errors import IngestError

MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # all members together, inflated
MAX_MEMBERS = 5000
MAX_RATIO = 200  # inflated size / compressed size of one member (normal XML compresses ~10-20×)
RATIO_APPLIES_ABOVE = 10 * 1024 * 1024


def check_archive(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise IngestError("文件结构异常(包含的部件过多),已拒绝读取")
    total = 0
    for info in members:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNPACKED_BYTES or (info.file_size > RATIO_APPLIES_ABOVE and ratio > MAX_RATIO):
            raise IngestError("文件解压后体积异常(疑似压缩炸弹),已拒绝读取")
