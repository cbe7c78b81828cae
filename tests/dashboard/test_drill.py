"""The task list keeps the chart's drill-down filters: hidden inputs resend them, chips show and drop them."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.dashboard import drill
from duban.dashboard.templatetags.drilldown import LISTED_STATUSES
from duban.people.models import User
from duban.tasks.filters import TaskFilter
from duban.tasks.models import Task
from duban.units.services import find_unit

LIST = "/tasks/"


def _hidden(html: str) -> dict[str, str]:
    """The hidden inputs of the filter chips' block."""
    block = re.search(r'<div id="filter-chips".*?</div>', html, re.DOTALL)
    assert block, "no filter-chips block"
    return dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">', block.group(0)))


def _chips(html: str) -> dict[str, tuple[str, str]]:
    """data-chip key → (label, removal URL)."""
    found = re.findall(r'<a class="filter-chip[^"]*" href="([^"]*)" data-chip="([a-z_]+)"[^>]*>'
                       r'<span class="chip-label">([^<]*)</span>', html)
    return {key: (label, url.replace("&amp;", "&")) for url, key, label in found}


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_carried_filters_are_normalised_and_only_meaningful_ones_kept() -> None:
    f = TaskFilter.from_params({"role": "lead", "report": "late", "leader": "none", "due_within": "7",
                                "overdue": "on", "light": "red", "due": "week"})
    # role without a unit and report without reports_due mean nothing: not carried, no chip.
    assert drill.carried(f) == [("leader", "none"), ("light", "red"), ("overdue", "1"), ("due", "week"),
                                ("due_within", "7")]
    assert [c.key for c in drill.chips(f, LISTED_STATUSES)] == ["leader", "light", "overdue", "due", "due_within"]
    g = TaskFilter.from_params({"unit": "3", "role": "support", "reports_due": "2026-11", "report": "missing",
                                "status": "on_schedule,ahead", "area": "none"})
    assert drill.carried(g) == [("role", "support"), ("reports_due", "2026-11"), ("report", "missing")]
    chips = {c.key: c.drops for c in drill.chips(g, LISTED_STATUSES)}
    assert chips == {"role": ("unit", "role"), "status": ("status",), "area": ("area",),
                     "reports_due": ("reports_due", "report")}
    assert not drill.chips(TaskFilter.from_params({"status": "behind", "unit": "3", "q": "路"}), LISTED_STATUSES)


def test_without_drops_the_parameters_and_the_page() -> None:
    query = [("unit", "3"), ("role", "lead"), ("status", "behind"), ("page", "2"), ("q", "")]
    assert drill.without("/tasks/", query, ("unit", "role")) == "/tasks/?status=behind"
    assert drill.without("/tasks/", query, ("unit", "role", "status")) == "/tasks/"


def test_drilled_down_list_shows_and_resends_its_filters(login) -> None:
    client = login("supervisor")
    zhujian = find_unit("区住建局")
    leader = User.objects.get(username="leader")
    url = (f"{LIST}?unit={zhujian.pk}&role=lead&status=on_schedule,ahead&leader={leader.pk}"
           "&reports_due=2026-11&report=on_time&sort=deadline")
    response = client.get(url)
    html = response.content.decode()
    assert _hidden(html) == {"role": "lead", "leader": str(leader.pk), "reports_due": "2026-11",
                             "report": "on_time"}
    chips = _chips(html)
    assert set(chips) == {"role", "status", "leader", "reports_due"}
    assert zhujian.display_name in chips["role"][0]
    assert leader.display_name in chips["leader"][0]
    assert "2026" in chips["reports_due"][0] and "11" in chips["reports_due"][0]
    # The combined status shows as an option of its own, chosen, instead of a blank dropdown.
    assert re.search(r'<option value="on_schedule,ahead" selected>[^<]+</option>', html)
    # Each chip drops its own filter (and the unit with the role) and keeps the others.
    assert _params(chips["role"][1]) == {"status": ["on_schedule,ahead"], "leader": [str(leader.pk)],
                                         "reports_due": ["2026-11"], "report": ["on_time"], "sort": ["deadline"]}
    assert "report" not in _params(chips["reports_due"][1]) and "reports_due" not in _params(chips["reports_due"][1])
    assert _params(chips["status"][1])["role"] == ["lead"]
    expected = TaskFilter.from_params({"unit": str(zhujian.pk), "role": "lead", "status": "on_schedule,ahead",
                                       "leader": str(leader.pk)}).apply(Task.objects.actionable()).count()
    assert client.get(chips["reports_due"][1]).context["page"].paginator.count == expected


def test_changing_a_field_keeps_the_drill_down_filters(login) -> None:
    """The form's htmx request carries the hidden inputs; its answer refreshes the chips out of band."""
    client = login("supervisor")
    zhujian = find_unit("区住建局")
    full = client.get(f"{LIST}?unit={zhujian.pk}&role=lead&area=none").content.decode()
    assert _hidden(full) == {"role": "lead"}
    assert re.search(r'<option value="none" selected>[^<]+</option>', full)
    # What the browser sends after the status dropdown changed: the fields plus the hidden inputs.
    sent = {"q": "", "unit": str(zhujian.pk), "status": "done", "area": "", **_hidden(full), "sort": "number"}
    response = client.get(LIST, sent, headers={"HX-Request": "true"})
    html = response.content.decode()
    lead_done = Task.objects.actionable().filter(status="done", task_units__unit=zhujian,
                                                 task_units__role="lead").count()
    assert response.context["page"].paginator.count == lead_done
    assert 'id="filter-chips"' in html and 'hx-swap-oob="true"' in html
    assert set(_chips(html)) == {"role"} and _hidden(html) == {"role": "lead"}
    # Choosing "all units" leaves a role that means nothing: its chip and hidden input go.
    html = client.get(LIST, {**sent, "unit": ""}, headers={"HX-Request": "true"}).content.decode()
    assert not _chips(html) and not _hidden(html)


def test_plain_list_has_no_chips(login) -> None:
    html = login("zhujian").get(f"{LIST}?status=behind").content.decode()
    assert not _chips(html) and not _hidden(html) and 'id="filter-chips"' in html


def test_chips_cost_a_constant_number_of_queries(login) -> None:
    client = login("supervisor")
    leader = User.objects.get(username="leader")
    plain = f"{LIST}?status=behind"
    drilled = f"{LIST}?status=behind,overdue&unit={find_unit('区住建局').pk}&role=lead&leader={leader.pk}&light=red"
    client.get(plain)
    with CaptureQueriesContext(connection) as before:
        client.get(plain)
    with CaptureQueriesContext(connection) as after:
        client.get(drilled)
    assert len(after) <= len(before) + 2  # the unit's and the leader's names
