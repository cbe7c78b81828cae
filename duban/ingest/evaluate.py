"""Score a parse against a hand-written label file, field by field.

A label file is JSON: `{"document": "x.txt" | "seed": "001", "tasks": [{number, path, text, lead_units,
support_units, status, ongoing, deadline, indicators}]}`. Tasks are paired first on number+path (when the
texts also agree loosely), then on text similarity alone, so one missed task does not shift every later pair.
Each field is then counted as true/false positives over (task, value) pairs: a unit on a task the parser
missed is a false negative, a unit on a task it invented a false positive, so boundary errors show in
every field rather than vanishing from the denominators.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from .model import ParsedDocument, ParsedTask
from .normalize import normalize_line

FIELDS = ("tasks", "units", "status", "deadline", "indicators")
_PATH_MATCH = 0.5  # same number+path: texts need only agree this much
_TEXT_MATCH = 0.8  # different path: texts must be this alike
_SPACE = re.compile(r"\s+")


@dataclass(slots=True)
class Counts:
    """True positives, false positives, false negatives of one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def empty(self) -> bool:
        return not (self.tp or self.fp or self.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Score:
    """Counts per field for one document (or a sum of documents), and the pairs that disagree."""

    counts: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in FIELDS})
    errors: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in FIELDS:
            self.counts[name].add(other.counts[name])
        self.errors.extend(other.errors)


def _norm(text: str) -> str:
    return _SPACE.sub("", normalize_line(text)).rstrip("。;,")


def similarity(a: str, b: str) -> float:
    """Character-level likeness of two task texts after normalisation, in [0, 1]."""
    a, b = _norm(a), _norm(b)
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def match_tasks(expected: list[dict[str, Any]], parsed: list[ParsedTask]) -> dict[int, int]:
    """Expected index → parsed index, one to one."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    by_key: dict[tuple[str, ...], list[int]] = {}
    for j, task in enumerate(parsed):
        by_key.setdefault((task.number, *task.path), []).append(j)
    for i, label in enumerate(expected):
        for j in by_key.get((label["number"], *label["path"]), []):
            if j not in used and similarity(label["text"], parsed[j].text) >= _PATH_MATCH:
                pairs[i] = j
                used.add(j)
                break
    candidates = []
    for i, label in enumerate(expected):
        if i in pairs:
            continue
        for j, task in enumerate(parsed):
            if j not in used and (s := similarity(label["text"], task.text)) >= _TEXT_MATCH:
                candidates.append((s, i, j))
    for _s, i, j in sorted(candidates, reverse=True):
        if i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)
    return pairs


def _count(expected: set[Any], found: set[Any]) -> Counts:
    return Counts(len(expected & found), len(found - expected), len(expected - found))


def _units(key: object, lead: list[str], support: list[str]) -> set[tuple[object, str, str]]:
    return {(key, _norm(u), "lead") for u in lead} | {(key, _norm(u), "support") for u in support}


def _indicator_hits(expected: list[dict[str, Any]], parsed: ParsedTask) -> int:
    """Expected indicators found on the task: same target, unit and op, and names that overlap."""
    hits, used = 0, set()
    for want in expected:
        for k, got in enumerate(parsed.indicators):
            if k in used or got.unit != want["unit"] or got.op != want["op"]:
                continue
            if abs(float(got.target) - float(want["target"])) > 1e-9:
                continue
            a, b = _norm(want["name"]), _norm(got.name)
            if a in b or b in a or similarity(a, b) >= 0.5:
                hits += 1
                used.add(k)
                break
    return hits


def score_document(doc: ParsedDocument, expected: list[dict[str, Any]]) -> Score:
    """Compare a parse with the expected tasks of its label file."""
    score = Score()
    counts = score.counts
    pairs = match_tasks(expected, doc.tasks)
    matched = set(pairs.values())
    counts["tasks"] = Counts(len(pairs), len(doc.tasks) - len(pairs), len(expected) - len(pairs))
    want_units: set[Any] = set()
    got_units: set[Any] = set()
    want_status: set[Any] = set()
    got_status: set[Any] = set()
    want_deadline: set[Any] = set()
    got_deadline: set[Any] = set()
    for i, label in enumerate(expected):
        key = ("e", i)
        want_units |= _units(key, label.get("lead_units", []), label.get("support_units", []))
        if label.get("status"):
            want_status.add((key, label["status"], bool(label.get("ongoing", False))))
        if label.get("deadline"):
            want_deadline.add((key, label["deadline"]))
        want_n = len(label.get("indicators", []))
        if i in pairs:
            hits = _indicator_hits(label.get("indicators", []), doc.tasks[pairs[i]])
            counts["indicators"].add(Counts(hits, len(doc.tasks[pairs[i]].indicators) - hits, want_n - hits))
        else:
            counts["indicators"].fn += want_n
            score.errors.append(f"missed task {'/'.join(label['path'])}: {label['text'][:40]}")
    keys = {j: ("e", i) for i, j in pairs.items()}
    for j, task in enumerate(doc.tasks):
        key = keys.get(j, ("p", j))
        got_units |= _units(key, task.lead_units, task.support_units)
        if task.status:
            got_status.add((key, task.status, task.ongoing))
        if task.deadline:
            got_deadline.add((key, task.deadline.isoformat()))
        if j not in matched:
            counts["indicators"].fp += len(task.indicators)
            score.errors.append(f"extra task {'/'.join(task.path)}: {task.text[:40]}")
    counts["units"] = _count(want_units, got_units)
    counts["status"] = _count(want_status, got_status)
    counts["deadline"] = _count(want_deadline, got_deadline)
    for name, want, got in (("units", want_units, got_units), ("status", want_status, got_status),
                            ("deadline", want_deadline, got_deadline)):
        for item in sorted(map(str, want - got)):
            score.errors.append(f"{name} missed {item}")
        for item in sorted(map(str, got - want)):
            score.errors.append(f"{name} extra {item}")
    return score


@dataclass(frozen=True, slots=True)
class LabelFile:
    """A label file and the document it describes."""

    name: str
    document: Path
    tasks: list[dict[str, Any]]
    date: dt.date | None = None


def load_label_file(path: Path, seed_dirs: tuple[Path, ...] = ()) -> LabelFile:
    """Read a label file; `{"seed": "001"}` names a seed document looked up in seed_dirs."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if "seed" in data:
        found = [p for d in seed_dirs if d.is_dir() for p in sorted(d.glob(f"{data['seed']}_*.txt"))]
        if not found:
            raise FileNotFoundError(f"seed {data['seed']} not found in {', '.join(map(str, seed_dirs))}")
        document = found[0]
    else:
        document = path.parent / data["document"]
    date = dt.date.fromisoformat(data["date"]) if data.get("date") else None
    return LabelFile(path.stem, document, data["tasks"], date)
