"""`duban parse FILE [--date] [--json]`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from duban.ingest.cli import main

from .conftest import fixture_path


def test_json_output(seed001_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(seed001_path), "--json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert len(data["tasks"]) == 78 and data["issuer"] == "青云谱区人民政府"
    assert "区政府办(区外办)" in out  # ensure_ascii=False: Chinese as written
    assert out.startswith('{\n  "title"')  # indent 2


def test_summary_tree(seed001_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(seed001_path)]) == 0
    out = capsys.readouterr().out
    assert "类型:落实情况报告" in out and "任务:78 项,需人工核对 0 项" in out
    assert "【四】聚焦新城打造,推动文明形象实现再提升" in out and "  【二】用心建设文明家园" in out
    assert "39. 加快推进基础设施建设" in out
    assert "时限:2020-12-31(年底前)" in out


def test_date_option_anchors_deadlines(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(fixture_path("plan_lines.txt")), "--date", "2022-05-01", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["date"] == "2022-05-01"
    assert [t["deadline"] for t in data["tasks"]][1] == "2022-12-31"


def test_review_marks_in_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(fixture_path("report_vocab.txt"))]) == 0
    assert "⚠ 5. 推进园区污水处理厂建设。" in capsys.readouterr().out


def test_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["parse", str(empty)]) == 1
    assert "错误:文件为空" in capsys.readouterr().err


def test_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["parse", "x.txt", "--date", "2020/12/16"])
    assert exit_info.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_parse_word_is_optional_and_module_entry_point(seed001_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(seed001_path), "--json"]) == 0  # as `duban parse` passes it on, without "parse"
    assert len(json.loads(capsys.readouterr().out)["tasks"]) == 78
    out = subprocess.run([sys.executable, "-m", "duban.ingest", "parse", str(seed001_path)],
                         capture_output=True, text=True, check=True).stdout
    assert "任务:78 项" in out
