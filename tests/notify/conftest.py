"""A real HTTP server on 127.0.0.1 standing in for the 企业微信 and 钉钉 robots: it records every request and
answers from a script (success, an errcode, an HTTP error, or a delay)."""
from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

OK = (200, {"errcode": 0, "errmsg": "ok"})
BAD_SIGN = {"errcode": 310000, "errmsg": "sign not match"}


@dataclass
class Received:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict


@dataclass
class RobotServer:
    base: str
    requests: list[Received] = field(default_factory=list)
    script: list[tuple[int, dict | str]] = field(default_factory=list)  # answers to give, in order, then OK
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, name: str = "send") -> str:
        return f"{self.base}/{name}?key=robot-key"

    def fail_next(self, times: int, answer: tuple[int, dict | str] = (200, BAD_SIGN)) -> None:
        self.script.extend([answer] * times)

    def answer(self, received: Received) -> tuple[int, dict | str]:
        with self.lock:
            self.requests.append(received)
            return self.script.pop(0) if self.script else OK


@pytest.fixture
def robot_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[RobotServer]:
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            parsed = urllib.parse.urlsplit(self.path)
            received = Received(parsed.path, dict(urllib.parse.parse_qsl(parsed.query)), dict(self.headers),
                                json.loads(raw.decode("utf-8")))
            if state.delay:
                time.sleep(state.delay)
            status, payload = state.answer(received)
            data = (payload if isinstance(payload, str) else json.dumps(payload)).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:  # noqa: ANN002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state = RobotServer(base=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def _empty_inboxes(db) -> None:  # noqa: ANN001
    """Start from empty inboxes and outbox: the demo's own dispatches already notify people."""
    from duban.notify.models import Notification

    Notification.objects.all().delete()
