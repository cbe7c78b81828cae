"""Admin: robots are saved through the service (logged, secret never logged); the outbox is read-only."""
from __future__ import annotations

from duban.core.models import ActivityLog
from duban.notify import services
from duban.notify.models import Delivery, GroupRobot
from duban.people.models import User
from duban.units.services import find_unit


def test_robot_admin_saves_through_the_service(login) -> None:  # noqa: ANN001
    c = login("admin")
    assert c.get("/admin/notify/grouprobot/add/").status_code == 200
    response = c.post("/admin/notify/grouprobot/add/", {
        "name": "住建局钉钉群", "channel": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=t",
        "secret": "SECabc", "unit": find_unit("区住建局").pk, "active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    robot = GroupRobot.objects.get(name="住建局钉钉群")
    entry = ActivityLog.objects.get(action="notify.robot", object_id=str(robot.pk))
    assert "SECabc" not in str(entry.after) and "access_token" not in str(entry.after)


def test_robot_secret_only_for_dingtalk(login) -> None:  # noqa: ANN001
    response = login("admin").post("/admin/notify/grouprobot/add/", {
        "name": "企微群", "channel": "wecom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
        "secret": "SECabc", "active": "on"})
    assert response.status_code == 200 and not GroupRobot.objects.filter(name="企微群").exists()


def test_outbox_is_read_only_with_state_filters(login) -> None:  # noqa: ANN001
    User.objects.filter(username="zhujian").update(email="z@example.gov.cn")
    services.notify([User.objects.get(username="zhujian")], kind="other", title="x", key="adm")
    delivery = Delivery.objects.get()
    c = login("admin")
    assert c.get("/admin/notify/delivery/", {"state__exact": "pending"}).status_code == 200
    assert c.get(f"/admin/notify/delivery/{delivery.pk}/change/").status_code == 200  # view only
    assert c.get("/admin/notify/delivery/add/").status_code == 403
    assert c.get("/admin/notify/preference/").status_code == 200
    Delivery.objects.update(state="failed", attempts=6)
    c.post("/admin/notify/delivery/", {"action": "send_again", "_selected_action": [delivery.pk]})
    assert Delivery.objects.get().state == "pending"
