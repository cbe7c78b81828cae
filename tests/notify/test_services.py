"""notify(): an inbox item per recipient, the deliveries their settings and units ask for, nothing twice."""
from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from duban.core.models import ActivityLog
from duban.notify import services
from duban.notify.models import Channel, Delivery, GroupRobot, Notification, Preference
from duban.people.models import User
from duban.units.services import find_unit


@pytest.fixture
def people(user) -> dict[str, User]:  # noqa: ANN001
    User.objects.filter(username__in=["zhujian", "supervisor"]).update(email="")
    User.objects.filter(username="zhujian").update(email="zhujian@example.gov.cn")
    return {name: user(name) for name in ("zhujian", "zhujian_head", "renshe", "supervisor", "leader")}


def test_notify_creates_inbox_items_and_deliveries(people, zhujian_task) -> None:  # noqa: ANN001
    robot = GroupRobot.objects.create(name="住建局工作群", channel=Channel.WECOM, url="https://qyapi.example/send?key=k",
                                      unit=find_unit("区住建局"))
    created = services.notify([people["zhujian"], people["zhujian_head"]], kind="reminder", title="报送提醒",
                              body="请于3日内报送本月进展。", link=f"/tasks/{zhujian_task.pk}/",
                              obj=zhujian_task,
                              key=f"reminder:task:{zhujian_task.pk}:2026-03")
    assert {n.recipient.username for n in created} == {"zhujian", "zhujian_head"}
    assert all(n.object_type == "tasks.task" and n.object_id == str(zhujian_task.pk) for n in created)
    deliveries = Delivery.objects.filter(notification__in=created)
    # One email (only zhujian has an address), one post to the unit's group although two of its people got it.
    assert sorted((d.channel, d.target) for d in deliveries) == [
        ("email", "zhujian@example.gov.cn"), ("wecom", robot.url)]
    assert all(d.state == Delivery.State.PENDING and d.attempts == 0 for d in deliveries)
    entry = ActivityLog.objects.get(action="notify.send", object_id=str(created[0].pk))
    assert entry.after["recipients"] == sorted(n.recipient_id for n in created)


def test_same_key_twice_creates_nothing(people) -> None:  # noqa: ANN001
    GroupRobot.objects.create(name="住建局群", channel=Channel.DINGTALK, url="https://oapi.example/robot/send?access_token=t",
                              unit=find_unit("区住建局"))
    args = {"kind": "urge", "title": "催办", "key": "urge:42"}
    first = services.notify([people["zhujian"]], **args)
    counts = (Notification.objects.count(), Delivery.objects.count(), ActivityLog.objects.count())
    assert services.notify([people["zhujian"]], **args) == []
    assert (Notification.objects.count(), Delivery.objects.count(), ActivityLog.objects.count()) == counts
    # A newcomer of the same unit gets the inbox item, but the unit's group is not posted to again.
    second = services.notify([people["zhujian"], people["zhujian_head"]], **args)
    assert [n.recipient.username for n in second] == ["zhujian_head"]
    assert Delivery.objects.filter(channel=Channel.DINGTALK).count() == 1
    assert first[0].pk != second[0].pk


def test_uniqueness_is_enforced_by_the_database(people) -> None:  # noqa: ANN001
    note = services.notify([people["renshe"]], kind="other", title="x", key="k:1")[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=people["renshe"], kind="other", title="again", key="k:1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(notification=note, channel="email", target="a@b.c",
                                dedupe_key=services.dedupe_key("k:1", "email", "a@b.c"))
        Delivery.objects.create(notification=note, channel="email", target="a@b.c",
                                dedupe_key=services.dedupe_key("k:1", "email", "a@b.c"))


def test_email_preference_is_respected(people) -> None:  # noqa: ANN001
    services.set_preferences(people["zhujian"], email=False)
    services.notify([people["zhujian"]], kind="other", title="不发邮件", key="pref:1")
    assert not Delivery.objects.filter(channel=Channel.EMAIL).exists()
    services.set_preferences(people["zhujian"], email=True)
    services.notify([people["zhujian"]], kind="other", title="发邮件", key="pref:2")
    assert Delivery.objects.filter(channel=Channel.EMAIL).count() == 1
    assert ActivityLog.objects.filter(action="notify.preferences", actor=people["zhujian"]).count() == 2
    assert Preference.objects.get(user=people["zhujian"]).email is True


def test_no_email_without_an_address_and_defaults(people) -> None:  # noqa: ANN001
    assert services.preference_for(people["zhujian"]).email is True  # has an address: on by default
    assert services.preference_for(people["renshe"]).email is False  # none: nothing to send to
    services.notify([people["renshe"]], kind="other", title="只在站内", key="noemail")
    assert not Delivery.objects.exists()


def test_office_robot_gets_messages_for_supervisors_only(people) -> None:  # noqa: ANN001
    office = GroupRobot.objects.create(name="督查室群", channel=Channel.WECOM, url="https://qyapi.example/send?key=o")
    GroupRobot.objects.create(name="停用", channel=Channel.WECOM, url="https://qyapi.example/send?key=x",
                              unit=find_unit("区住建局"), active=False)
    services.notify([people["leader"], people["zhujian"]], kind="comment", title="批示", key="c:1")
    assert not Delivery.objects.filter(channel=Channel.WECOM).exists()
    services.notify([people["supervisor"]], kind="other", title="报送已提交", key="c:2")
    assert list(Delivery.objects.filter(channel=Channel.WECOM).values_list("robot", flat=True)) == [office.pk]
    services.notify([people["supervisor"]], kind="other", title="不进群", key="c:3", robots=False)
    assert Delivery.objects.filter(channel=Channel.WECOM).count() == 1


@pytest.mark.parametrize("link", ["https://evil.example/", "//evil.example/x", "tasks/1/", "/\\evil"])
def test_links_must_be_site_paths(people, link: str) -> None:  # noqa: ANN001
    with pytest.raises(ValueError):
        services.notify([people["zhujian"]], kind="other", title="x", link=link, key="bad")
    assert not Notification.objects.filter(key="bad").exists()


def test_inactive_users_and_bad_arguments(people) -> None:  # noqa: ANN001
    User.objects.filter(pk=people["renshe"].pk).update(is_active=False)
    people["renshe"].refresh_from_db()
    assert services.notify([people["renshe"]], kind="other", title="x", key="k") == []
    with pytest.raises(ValueError):
        services.notify([people["zhujian"]], kind="other", title="x", key="")
    with pytest.raises(ValueError):
        services.notify([people["zhujian"]], kind="nonsense", title="x", key="k2")


def test_mark_read_and_mark_all_read(people) -> None:  # noqa: ANN001
    notes = [services.notify([people["zhujian"]], kind="other", title=f"第{i}条", key=f"r:{i}")[0]
             for i in range(3)]
    other = services.notify([people["renshe"]], kind="other", title="别人的", key="r:x")[0]
    assert services.mark_read(people["zhujian"], notes[0].pk).read_at is not None
    first_read = Notification.objects.get(pk=notes[0].pk).read_at
    services.mark_read(people["zhujian"], notes[0].pk)  # again: no change, no second log entry
    assert Notification.objects.get(pk=notes[0].pk).read_at == first_read
    assert ActivityLog.objects.filter(action="notify.read", object_id=str(notes[0].pk)).count() == 1
    from django.http import Http404
    with pytest.raises(Http404):
        services.mark_read(people["zhujian"], other.pk)
    assert services.mark_all_read(people["zhujian"]) == 2
    assert services.mark_all_read(people["zhujian"]) == 0
    assert Notification.objects.get(pk=other.pk).read_at is None
    assert ActivityLog.objects.filter(action="notify.read_all", actor=people["zhujian"]).count() == 1


def test_requeue_gives_failed_deliveries_new_attempts(people) -> None:  # noqa: ANN001
    note = services.notify([people["zhujian"]], kind="other", title="x", key="rq")[0]
    delivery = note.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.FAILED, attempts=6)
    assert services.requeue(people["supervisor"], [delivery.pk]) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.PENDING, 0)
    assert ActivityLog.objects.filter(action="notify.requeue", object_id=str(delivery.pk)).exists()
