"""The robots' wire formats, checked against a real local HTTP server."""
from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse

import pytest

from duban.notify import channels
from duban.notify.channels import Message

SECRET = "SEC0123456789abcdef"


def test_dingtalk_signature_format() -> None:
    ts = 1700000000000
    mac = hmac.new(SECRET.encode(), f"{ts}\n{SECRET}".encode(), hashlib.sha256)
    expected = base64.b64encode(mac.digest()).decode()
    assert channels.dingtalk_sign(SECRET, ts) == expected
    url = channels.dingtalk_url("https://oapi.dingtalk.com/robot/send?access_token=abc", SECRET, ts)
    base, query = url.split("?", 1)
    assert base == "https://oapi.dingtalk.com/robot/send"
    assert query.startswith(f"access_token=abc&timestamp={ts}&sign=")
    raw_sign = query.split("&sign=", 1)[1]
    assert "+" not in raw_sign and "/" not in raw_sign and "=" not in raw_sign  # URL-encoded base64
    assert urllib.parse.unquote_plus(raw_sign) == expected
    assert channels.dingtalk_url("https://x/robot/send?access_token=abc", "", ts) == "https://x/robot/send?access_token=abc"


def test_dingtalk_post_is_signed_with_the_real_clock(robot_server) -> None:  # noqa: ANN001
    before = int(time.time() * 1000)
    channels.send_dingtalk(robot_server.url(), SECRET, Message("督办通知", "第12项任务已逾期。", "https://d.example/tasks/12/"),
                           "查看详情")
    [req] = robot_server.requests
    ts = int(req.query["timestamp"])
    assert before <= ts <= int(time.time() * 1000)
    # The server's check: recompute the HMAC from the timestamp it received.
    assert req.query["sign"] == channels.dingtalk_sign(SECRET, ts)
    assert req.query["key"] == "robot-key"
    assert req.body == {"msgtype": "markdown", "markdown": {
        "title": "督办通知", "text": "**督办通知**\n\n第12项任务已逾期。\n\n[查看详情](https://d.example/tasks/12/)"}}


def test_wecom_payload_and_size_limit() -> None:
    payload = channels.wecom_payload(Message("提醒", "进展" * 3000), "查看详情")
    assert payload["msgtype"] == "markdown"
    assert len(payload["markdown"]["content"].encode()) <= channels.WECOM_MAX_BYTES
    assert payload["markdown"]["content"].startswith("**提醒**")


@pytest.mark.parametrize(("answer", "error"), [
    ((200, {"errcode": 93000, "errmsg": "invalid webhook url"}), "errcode 93000"),
    ((200, "<html>proxy login</html>"), "not JSON"),
    ((200, {"ok": True}), "errcode None"),
    ((500, {"errcode": 0}), "HTTP 500"),
])
def test_robot_errors_raise(robot_server, answer, error: str) -> None:  # noqa: ANN001
    robot_server.fail_next(1, answer)
    with pytest.raises(channels.SendError, match=error):
        channels.send_wecom(robot_server.url(), Message("t", "b"), "查看详情")


def test_site_url(settings) -> None:  # noqa: ANN001
    settings.DUBAN_SITE_URL = ""
    assert channels.site_url("/tasks/1/") == ""
    settings.DUBAN_SITE_URL = "https://duban.example.gov.cn/"
    assert channels.site_url("/tasks/1/") == "https://duban.example.gov.cn/tasks/1/"
    assert channels.site_url("") == ""
