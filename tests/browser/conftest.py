"""A real Duban for the browser: `duban demo --no-serve` then `duban serve` (gunicorn, DEBUG off) in a fresh
data directory, driven by Debian's Chromium through Playwright."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import fresh_database

CHROMIUM = os.environ.get("DUBAN_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(data_dir: Path, first: list[str], db_suffix: str) -> Iterator[str]:
    """Run ``duban <first…>`` then ``duban serve`` in ``data_dir``; the server's base URL while it runs."""
    env = {**os.environ, "DUBAN_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "duban.settings"}
    env.pop("DATABASE_URL", None)
    if url := fresh_database(db_suffix):
        env["DATABASE_URL"] = url
    duban = [sys.executable, "-m", "duban"]
    subprocess.run([*duban, *first], env=env, check=True, capture_output=True)
    port = _free_port()
    log = open(data_dir / "server.log", "wb")  # noqa: SIM115
    server = subprocess.Popen([*duban, "serve", "--port", str(port), "--workers", "2"], env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        raise RuntimeError(Path(log.name).read_text(errors="replace"))
    yield base
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def live_duban(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh demo per test module, so one module's changes never leak into another's assertions."""
    yield from _serve(tmp_path_factory.mktemp("duban-data"), ["demo", "--no-serve"], "browser")


@pytest.fixture(scope="module")
def live_empty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Duban as a new office installs it: migrated, nothing else (no office, no units, no accounts)."""
    yield from _serve(tmp_path_factory.mktemp("duban-empty"), ["migrate", "--no-input"], "browser_empty")


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}: apt-get install chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
        ])
        yield b
        b.close()


@pytest.fixture
def page(browser, live_duban: str) -> Iterator:  # noqa: ANN001
    """A fresh phone-sized browser context that records every request it makes."""
    context = browser.new_context(viewport={"width": 375, "height": 800}, base_url=live_duban)
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda request: pg.requests.append(request.url))
    refused = []
    pg.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield pg
    context.close()
    assert not refused, f"the page broke its own Content-Security-Policy: {refused[:3]}"


def login(page, username: str) -> None:  # noqa: ANN001
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "duban-demo")
    page.click("button[type=submit]")
    page.wait_for_url("**/")
