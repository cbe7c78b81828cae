"""The outbox against a real local HTTP server: retries with backoff, nothing lost when a worker dies, and no
delivery ever sent twice by two workers."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connections
from django.test import override_settings
from django.utils import timezone

from duban.core.models import ActivityLog
from duban.notify import outbox, services
from duban.notify.models import Channel, Delivery, GroupRobot
from duban.people.models import User
from duban.units.services import find_unit

pytestmark = pytest.mark.django_db
MIN = dt.timedelta(minutes=1)


@pytest.fixture
def t0() -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=1)


@pytest.fixture
def robot(robot_server) -> GroupRobot:  # noqa: ANN001
    return GroupRobot.objects.create(name="住建局工作群", channel=Channel.WECOM, url=robot_server.url(),
                                     unit=find_unit("区住建局"))


def _queue(n: int = 1, prefix: str = "m") -> list[Delivery]:
    zhujian = User.objects.get(username="zhujian")
    for i in range(n):
        services.notify([zhujian], kind="reminder", title=f"提醒{i}", body="请报送进展", link="/tasks/",
                        key=f"{prefix}:{i}")
    return list(Delivery.objects.order_by("id"))


def test_wecom_delivery_posts_markdown(robot, robot_server, t0, settings) -> None:  # noqa: ANN001
    settings.DUBAN_SITE_URL = "https://duban.example.gov.cn/"
    [delivery] = _queue()
    assert outbox.deliver_due(t0, "w1") == 1
    [req] = robot_server.requests
    assert req.query == {"key": "robot-key"}
    assert req.headers["Content-Type"].startswith("application/json")
    assert req.body["msgtype"] == "markdown"
    content = req.body["markdown"]["content"]
    assert "**提醒0**" in content and "请报送进展" in content
    assert "[查看详情](https://duban.example.gov.cn/tasks/)" in content
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.sent_at, delivery.claimed_by) == ("sent", 1, t0, "")
    assert outbox.deliver_due(t0 + MIN, "w1") == 0  # sent is final
    assert len(robot_server.requests) == 1


def test_failing_channel_retries_with_backoff_then_succeeds(robot, robot_server, t0) -> None:  # noqa: ANN001
    [delivery] = _queue()
    robot_server.fail_next(1)  # errcode ≠ 0 with HTTP 200 is a failure
    robot_server.fail_next(1, (502, "bad gateway"))
    assert outbox.deliver_due(t0, "w1") == 0
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert delivery.next_attempt_at == t0 + outbox.BACKOFF[0]
    assert "310000" in delivery.last_error
    assert outbox.deliver_due(t0 + 30 * dt.timedelta(seconds=1), "w1") == 0  # not due yet: nothing sent
    assert len(robot_server.requests) == 1
    assert outbox.deliver_due(t0 + MIN, "w1") == 0
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.next_attempt_at, delivery.last_error) == (
        2, t0 + MIN + outbox.BACKOFF[1], "HTTP 502")
    assert outbox.deliver_due(t0 + 6 * MIN, "w1") == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("sent", 3, "")
    assert len(robot_server.requests) == 3
    assert len({r.body["markdown"]["content"] for r in robot_server.requests}) == 1


def test_gives_up_after_max_attempts_and_logs_it(robot, robot_server, t0) -> None:  # noqa: ANN001
    [delivery] = _queue()
    robot_server.fail_next(100)
    now = t0
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        assert outbox.deliver_due(now, "w1") == 0
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
        if attempt < outbox.MAX_ATTEMPTS:
            assert delivery.state == "pending"
            now = delivery.next_attempt_at
    assert delivery.state == "failed"
    assert len(robot_server.requests) == outbox.MAX_ATTEMPTS
    assert outbox.deliver_due(now + dt.timedelta(days=2), "w1") == 0
    assert len(robot_server.requests) == outbox.MAX_ATTEMPTS
    assert ActivityLog.objects.filter(action="notify.failed", object_id=str(delivery.pk)).count() == 1


def test_a_worker_that_dies_mid_pass_loses_nothing(robot, robot_server, t0) -> None:  # noqa: ANN001
    deliveries = _queue(3)
    claimed = outbox.claim(t0, "doomed", batch=10)  # claims, then "dies" before sending anything
    assert len(claimed) == 3
    assert outbox.deliver_due(t0 + MIN, "w2") == 0  # the claim is fresh: others leave it alone
    assert robot_server.requests == []
    later = t0 + outbox.STALE_CLAIM + MIN
    assert outbox.deliver_due(later, "w2") == 3  # the stale claim is released and the rows delivered
    assert len(robot_server.requests) == 3
    assert set(Delivery.objects.values_list("state", flat=True)) == {"sent"}
    # The dead worker, were it to wake up, can no longer record anything on rows it lost.
    assert outbox._mark_sent(claimed[0], later) == 0
    assert [d.pk for d in deliveries] == sorted(d.pk for d in claimed)


def test_two_workers_racing_for_the_same_rows(robot, robot_server, t0) -> None:  # noqa: ANN001
    _queue(4)
    # Both pick the same candidates, then both try to take them: the conditional UPDATE lets one win each row.
    seen_by_a = outbox.candidates(t0, 10)
    seen_by_b = outbox.candidates(t0, 10)
    assert seen_by_a == seen_by_b and len(seen_by_a) == 4
    got_b = outbox.take(seen_by_b, t0, "b")
    got_a = outbox.take(seen_by_a, t0, "a")
    assert len(got_b) == 4 and got_a == []
    # Even two workers with the same id and the same clock cannot both hold a row.
    Delivery.objects.update(state="pending", claimed_by="", claimed_at=None)
    ids = outbox.candidates(t0, 10)
    first, second = outbox.take(ids, t0, "same"), outbox.take(ids, t0, "same")
    assert len(first) == 4 and second == []


@pytest.mark.parametrize("run", range(3))
def test_two_threads_never_send_the_same_delivery_twice(robot, robot_server, t0, run: int) -> None:  # noqa: ANN001
    """Two worker threads loop over the same outbox while the robot answers slowly, so their passes overlap.
    They share the test's database connection (as Django's live server does) to see its uncommitted rows; each
    worker's claim is still its own conditional UPDATE, re-read by its own token."""
    _queue(12, prefix=f"race{run}")
    robot_server.delay = 0.02
    conn = connections["default"]  # the wrapper itself, not the thread-local proxy
    conn.inc_thread_sharing()
    sent: dict[str, int] = {}
    start = threading.Barrier(2)

    def worker(name: str) -> None:
        connections["default"] = conn
        start.wait()
        total = 0
        for _ in range(50):
            total += outbox.deliver_due(t0, name, batch=3)
            if not Delivery.objects.filter(state__in=["pending", "sending"]).exists():
                break
        sent[name] = total

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("w1", "w2")]
    try:
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=60)
    finally:
        conn.dec_thread_sharing()
    titles = [r.body["markdown"]["content"].split("**")[1] for r in robot_server.requests]
    assert sorted(titles) == sorted(f"提醒{i}" for i in range(12))  # each exactly once
    assert set(sent) == {"w1", "w2"}  # both ran to the end (their counts are not compared: row counts are
    # per connection in SQLite, and these threads share one, so the robot's own record is the evidence)
    assert set(Delivery.objects.values_list("state", flat=True)) == {"sent"}


def test_email_is_sent_and_smtp_failures_retry(user, t0) -> None:  # noqa: ANN001
    User.objects.filter(username="zhujian").update(email="zhujian@example.gov.cn")
    services.notify([user("zhujian")], kind="urge", title="催办通知", body="任务已逾期。", key="mail:1",
                    robots=False)
    [delivery] = Delivery.objects.all()
    # A real SMTP connection to a closed port fails: the delivery waits and retries.
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    with override_settings(EMAIL_BACKEND=smtp, EMAIL_HOST="127.0.0.1", EMAIL_PORT=1):
        assert outbox.deliver_due(t0, "w1") == 0
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert delivery.last_error.startswith("email:")
    assert mail.outbox == []
    assert outbox.deliver_due(t0 + MIN, "w1") == 1  # the test backend (locmem) accepts it
    [message] = mail.outbox
    assert (message.subject, message.to) == ("催办通知", ["zhujian@example.gov.cn"])
    assert "任务已逾期。" in message.body


def test_deactivated_robot_is_not_posted_to(robot, robot_server, t0) -> None:  # noqa: ANN001
    [delivery] = _queue()
    GroupRobot.objects.filter(pk=robot.pk).update(active=False)
    assert outbox.deliver_due(t0, "w1") == 0
    delivery.refresh_from_db()
    assert delivery.state == "pending" and "deactivated" in delivery.last_error
    assert robot_server.requests == []


def test_unreachable_robot_is_a_failure_not_a_crash(t0) -> None:  # noqa: ANN001
    GroupRobot.objects.create(name="关了", channel=Channel.WECOM, url="http://127.0.0.1:1/send",
                              unit=find_unit("区住建局"))
    [delivery] = _queue()
    assert outbox.deliver_due(t0, "w1") == 0
    delivery.refresh_from_db()
    assert delivery.state == "pending" and delivery.attempts == 1 and delivery.last_error
