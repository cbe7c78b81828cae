"""Accuracy against the hand-written labels (the same scoring as benchmarks/ingest_accuracy.py; no timing).

Targets: seed 001 exact (all 78 tasks, every unit, every status); every other labelled document at least
95% F1 for task boundaries and for (task, unit, role) triples.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from duban.ingest import parse_file
from duban.ingest.evaluate import Counts, LabelFile, load_label_file, score_document

from .conftest import FIXTURES, SEED_DIRS

LABELED = FIXTURES / "labeled"
LABEL_FILES = sorted(LABELED.glob("*.json"))
FIXTURE_FILES = [p for p in LABEL_FILES if not p.stem.startswith("seed")]
TARGET_F1 = 0.95


def _load(path: Path) -> LabelFile:
    try:
        return load_label_file(path, SEED_DIRS)
    except FileNotFoundError as exc:
        pytest.skip(str(exc))


def test_there_are_enough_labelled_shapes() -> None:
    suffixes = {p.suffix for p in LABELED.iterdir() if p.suffix != ".json" and p.stem != "make_fixtures"}
    assert len(FIXTURE_FILES) >= 6 and {".txt", ".docx", ".xlsx", ".html", ".pdf"} <= suffixes


@pytest.mark.parametrize("path", LABEL_FILES, ids=lambda p: p.stem)
def test_label_files_are_well_formed(path: Path) -> None:
    label = _load(path)
    assert label.document.exists() and label.tasks
    for task in label.tasks:
        assert {"number", "path", "text", "lead_units", "support_units", "status", "deadline", "indicators"} <= task.keys()
        assert task["path"][-1] == task["number"]


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
def test_fixture_tasks_and_units_reach_the_target(path: Path) -> None:
    label = _load(path)
    score = score_document(parse_file(label.document, date=label.date), label.tasks)
    tasks, units = score.counts["tasks"], score.counts["units"]
    assert tasks.f1 >= TARGET_F1, score.errors
    assert units.f1 >= TARGET_F1, score.errors


def test_seed001_is_exact() -> None:
    label = _load(LABELED / "seed001.json")
    doc = parse_file(label.document)
    score = score_document(doc, label.tasks)
    assert len(doc.tasks) == len(label.tasks) == 78
    for name in ("tasks", "units", "status", "deadline"):
        counts = score.counts[name]
        assert (counts.fp, counts.fn) == (0, 0), (name, score.errors)


# the scorer itself ----------------------------------------------------------------------------------------


def test_scorer_counts_missed_and_wrong_units() -> None:
    label = _load(LABELED / "a_plan_lines.json")
    doc = parse_file(label.document)
    assert score_document(doc, label.tasks).counts["tasks"].f1 == 1.0
    broken = copy.deepcopy(doc)
    dropped = broken.tasks.pop(0)  # a missed task: its units are missed too
    replaced = broken.tasks[0].lead_units
    broken.tasks[0].lead_units = ["县统计局"]  # a wrong lead
    score = score_document(broken, label.tasks)
    assert (score.counts["tasks"].tp, score.counts["tasks"].fn) == (len(doc.tasks) - 1, 1)
    missed_units = len(dropped.lead_units) + len(dropped.support_units) + len(replaced)
    assert (score.counts["units"].fn, score.counts["units"].fp) == (missed_units, 1)


def test_scorer_pairs_by_text_when_numbers_shift() -> None:
    label = _load(LABELED / "a_plan_lines.json")
    doc = parse_file(label.document)
    for task in doc.tasks:  # renumbered: pairing falls back to the text
        task.number = str(int(task.number) + 100)
        task.path = [*task.path[:-1], task.number]
    assert score_document(doc, label.tasks).counts["tasks"].f1 == 1.0


def test_counts_without_anything_to_score_are_perfect() -> None:
    assert Counts().f1 == 1.0 and Counts(tp=1, fp=1, fn=1).f1 == 0.5
