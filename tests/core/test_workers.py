"""Two workers at once, and a worker killed mid-pass, on a real database in processes of their own
(PostgreSQL when DATABASE_URL names one, else SQLite): no letter or message twice, nothing lost."""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import fresh_database, postgres_config

HARNESS = str(Path(__file__).with_name("worker_harness.py"))
ROOT = str(Path(__file__).resolve().parents[2])
MORNING = "2026-11-18T09:00:00+08:00"
HALF_AN_HOUR_LATER = "2026-11-18T09:31:00+08:00"


def _env(data_dir: Path, url: str | None) -> dict[str, str]:
    env = {**os.environ, "DUBAN_DATA_DIR": str(data_dir), "PYTHONPATH": ROOT}
    env.pop("DATABASE_URL", None)
    if url:
        env["DATABASE_URL"] = url
    return env


def _run(env: dict[str, str], *args: str) -> dict:
    done = subprocess.run([sys.executable, HARNESS, *args], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The living demo, set up once; each test works on a copy."""
    data_dir = tmp_path_factory.mktemp("workers-template")
    _run(_env(data_dir, fresh_database("workers_template")), "setup", MORNING)
    return data_dir


@pytest.fixture
def demo_copy(demo_template: Path, tmp_path: Path) -> dict[str, str]:
    data_dir = tmp_path / "data"
    shutil.copytree(demo_template, data_dir)
    return _env(data_dir, fresh_database("workers", template="workers_template"))


def _unfinished_claims(env: dict[str, str]) -> int:
    sql = "SELECT count(*) FROM core_jobrun WHERE finished_at IS NULL"
    if postgres_config():
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as conn:
            return conn.execute(sql).fetchone()[0]
    with sqlite3.connect(Path(env["DUBAN_DATA_DIR"]) / "duban.sqlite3", timeout=10) as conn:
        return conn.execute(sql).fetchone()[0]


def test_worker_once_twice_on_the_demo(demo_copy: dict[str, str]) -> None:
    before = _run(demo_copy, "check", MORNING)
    assert before["today"] == 0 and not before["chart"]
    _run(demo_copy, "cli", MORNING)
    first = _run(demo_copy, "check", MORNING)
    assert first["today"] > 0 and first["letters"] == before["letters"] + first["today"]
    assert first["chart"]  # computed by the worker, shared with the web processes through the database cache ("shared")
    assert first["missing"] == [] and first["sent"] == first["deliveries"] > before["deliveries"]
    _run(demo_copy, "cli", MORNING)
    assert _run(demo_copy, "check", MORNING) == first


def test_two_workers_at_once_send_nothing_twice(demo_copy: dict[str, str]) -> None:
    workers = [subprocess.Popen([sys.executable, HARNESS, "pass", MORNING, f"w{i}"], env=demo_copy,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in (1, 2)]
    outputs = [w.communicate(timeout=300) for w in workers]
    assert all(w.returncode == 0 for w in workers), [err[-2000:] for _out, err in outputs]
    state = _run(demo_copy, "check", MORNING)
    assert state["today"] > 0 and state["jobs"] == 1
    assert state["same_event"] == 0 and state["gaps"] == [] and state["missing"] == []
    assert state["sent"] == state["deliveries"] > 0
    emails = sum(out.count("\nSubject: ") for out, _err in outputs)  # the console mail backend prints each one
    assert emails == state["emails"] > 0
    _run(demo_copy, "pass", MORNING, "w3")
    assert _run(demo_copy, "check", MORNING) == state


def test_a_worker_killed_mid_pass_loses_nothing(demo_copy: dict[str, str]) -> None:
    worker = subprocess.Popen([sys.executable, HARNESS, "pass", MORNING, "doomed"], env=demo_copy,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _unfinished_claims(demo_copy) == 0 and worker.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    assert _unfinished_claims(demo_copy) == 1, "the worker was killed while it held today's run"
    # Restarted within the half hour the claim is still honoured; after it, the run is taken over.
    _run(demo_copy, "pass", HALF_AN_HOUR_LATER, "restarted")
    state = _run(demo_copy, "check", HALF_AN_HOUR_LATER)
    assert state["unfinished"] == 0 and state["missing"] == [] and state["same_event"] == 0
    assert state["gaps"] == [] and state["today"] > 0
    assert state["sent"] == state["deliveries"]
