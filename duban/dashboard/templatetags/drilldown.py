"""``{% drilldown filters as drill %}``: the task list's extra filters (hidden inputs) and their chips.

The labels need the names of a unit and a leader: at most two small queries, whatever the data."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template
from django.utils.translation import gettext as _

from duban.dashboard import drill
from duban.people.models import User
from duban.tasks.models import Task, TaskUnit
from duban.units.models import Unit

register = template.Library()

# The values the task list's status dropdown offers: anything else (a list, done_only, open) becomes a chip.
LISTED_STATUSES = frozenset([s.value for s in Task.Status] + ["ongoing"])


@dataclass
class Drilldown:
    hidden: list[tuple[str, str]] = field(default_factory=list)
    chips: list[dict[str, str]] = field(default_factory=list)
    status_option: tuple[str, str] | None = None  # an extra <option> so the dropdown is not blank
    area_none: str = ""  # the label of the extra area option for tasks without an area


def status_label(value: str) -> str:
    names = {**{s.value: str(s.label) for s in Task.Status}, "ongoing": _("Done and ongoing"),
             "done_only": _("Done, not ongoing"), "open": _("Open (neither done nor suspended)")}
    return "、".join(names.get(v, v) for v in value.split(",") if v)


def _when(reports_due: str) -> str:
    if reports_due == "week":
        return _("this week")
    return _("%(year)s-%(month)s") % {"year": reports_due[:4], "month": int(reports_due[5:7])}


def _label(key: str, f: Any) -> str:
    if key == "role":
        unit = Unit.objects.filter(pk=f.unit).only("name", "short_name").first()
        name = unit.display_name if unit else str(f.unit)
        return (_("Lead unit: %(unit)s") if f.role == TaskUnit.Role.LEAD
                else _("Supporting unit: %(unit)s")) % {"unit": name}
    if key == "status":
        return _("Status: %(status)s") % {"status": status_label(f.status)}
    if key == "area":
        return _("Area of work: %(area)s") % {"area": _("Unclassified")}
    if key == "leader":
        if f.leader == drill.NONE:
            name = _("not assigned")
        else:
            leader = User.objects.filter(pk=int(f.leader)).first()
            name = str(leader) if leader else f.leader
        return _("Responsible leader: %(name)s") % {"name": name}
    if key == "light":
        return _("Light: %(light)s") % {"light": Task.Light(f.light).label}
    if key == "overdue":
        return _("Past the deadline")
    if key == "due":
        return _("Deadline this week")
    if key == "due_within":
        return _("Deadline within %(days)s days") % {"days": f.due_within}
    when = _when(f.reports_due)
    return {"on_time": _("Reports on time, due %(when)s"), "late": _("Reports late, due %(when)s"),
            "missing": _("Reports missing, due %(when)s")}.get(f.report, _("Reports due %(when)s")) % {"when": when}


@register.simple_tag(takes_context=True)
def drilldown(context: template.Context, filters: Any) -> Drilldown:
    request = context.get("request")
    path = request.path if request else ""
    query = list(request.GET.lists()) if request else []
    pairs = [(k, v) for k, values in query for v in values]
    d = Drilldown(hidden=drill.carried(filters))
    for chip in drill.chips(filters, LISTED_STATUSES):
        d.chips.append({"key": chip.key, "label": _label(chip.key, filters),
                        "url": drill.without(path, pairs, chip.drops)})
    if drill.unlisted_status(filters, LISTED_STATUSES):
        d.status_option = (filters.status, status_label(filters.status))
    if filters.area == drill.NONE:
        d.area_none = _("Unclassified")
    return d
