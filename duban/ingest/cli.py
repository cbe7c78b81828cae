"""`duban parse FILE [--date YYYY-MM-DD] [--json]`: show what the ingest library reads from a document."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from typing import TextIO

from . import parse_file
from .errors import IngestError
from .model import ParsedDocument

_KIND_NAMES = {
    "work_report": "政府工作报告",
    "decomposition": "任务分解方案",
    "implementation_report": "落实情况报告",
    "meeting_decision": "会议纪要",
    "bulletin": "简报",
    "other": "其他",
}
_STATUS_NAMES = {"done": "已完成", "in_progress": "推进中", "behind": "滞后", "not_started": "未启动", "ahead": "超序时",
                 "overdue": "逾期", "suspended": "暂缓"}


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD:{value}") from exc


def _short(text: str, width: int = 48) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def write_summary(doc: ParsedDocument, out: TextIO) -> None:
    """A readable Chinese tree: header, then sections and tasks with units, status and deadline."""
    out.write(f"标题:{doc.title or '(未识别)'}\n")
    out.write(f"发布机构:{doc.issuer or '(未识别)'}  日期:{doc.date or '(未识别)'}  类型:{_KIND_NAMES[doc.kind]}\n")
    review = sum(t.needs_review for t in doc.tasks)
    out.write(f"任务:{len(doc.tasks)} 项,需人工核对 {review} 项\n")
    shown: list[tuple[str, str]] = []
    for task in doc.tasks:
        sections = [(s.number, s.title) for s in task.sections]
        depth = 0
        while depth < len(sections) and depth < len(shown) and shown[depth] == sections[depth]:
            depth += 1
        for level in range(depth, len(sections)):
            number, title = sections[level]
            out.write(f"{'  ' * level}【{number}】{title}\n")
        shown = sections
        indent = "  " * len(sections)
        mark = "⚠ " if task.needs_review else ""
        out.write(f"{indent}{mark}{task.number}. {_short(task.text)}\n")
        details = []
        if task.lead_units:
            details.append("牵头:" + "、".join(task.lead_units))
        if task.support_units:
            details.append("配合:" + "、".join(task.support_units))
        if task.leader:
            details.append("领导:" + task.leader)
        if task.status:
            details.append("状态:" + _STATUS_NAMES[task.status] + ("(长期坚持)" if task.ongoing else ""))
        if task.deadline or task.deadline_text:
            details.append(f"时限:{task.deadline or '?'}({task.deadline_text})")
        for indicator in task.indicators:
            details.append(f"指标:{indicator.name}{indicator.op}{indicator.target}{indicator.unit}")
        if details:
            out.write(f"{indent}   {';'.join(details)}\n")
        if task.review_reasons:
            out.write(f"{indent}   核对:{';'.join(task.review_reasons)}\n")


def main(argv: list[str] | None = None) -> int:
    """`parse FILE [--date D] [--json]`; the leading `parse` may be left out (the console script strips it).

    Returns the process exit code: 0 ok, 1 unreadable document, 2 usage error.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["parse"]:
        args_list = args_list[1:]
    parser = argparse.ArgumentParser(prog="duban parse", description="读取一份文件,显示识别出的任务")
    parser.add_argument("file", help=".txt/.docx/.xlsx/.html/.pdf 文件")
    parser.add_argument("--date", type=_date, help="文件日期(YYYY-MM-DD),用于换算“年底前”等时限")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    args = parser.parse_args(args_list)
    try:
        doc = parse_file(args.file, date=args.date)
    except IngestError as exc:
        print(f"错误:{exc}", file=sys.stderr)
        return 1
    try:
        if args.json:
            json.dump(doc.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            write_summary(doc, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:  # `duban parse … | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # as the Python docs advise
    return 0
