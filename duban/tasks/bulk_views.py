"""Bulk actions on the task list (批量操作), for the office: the list's bar posts the selection (ticked rows, or
"all N tasks matching this filter" as the list's query string) and an action here; a value is chosen if the
action needs one, a confirmation page lists what will change and what is skipped, and confirming applies it.

The confirmation carries a signed token of the action and of every selected task's id and version, so what is
applied is what was shown, and a task that moved on meanwhile refuses the whole batch (duban.tasks.bulk)."""
from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from duban.core.errors import ActionRefused
from duban.people.access import managers_only
from duban.people.directory import leaders
from duban.tasks import bulk
from duban.tasks.filters import all_areas
from duban.tasks.models import Task, TaskUnit
from duban.units.models import Unit
from duban.units.options import display_names

ACTIONS = (
    ("lead_units", gettext_lazy("Set lead units")),
    ("support_units", gettext_lazy("Add supporting units")),
    ("leader", gettext_lazy("Set the responsible leader")),
    ("deadline", gettext_lazy("Set the deadline")),
    ("cadence", gettext_lazy("Set the reporting cadence")),
    ("area", gettext_lazy("Set the area of work")),
    ("dispatch", gettext_lazy("Dispatch")),
    ("delete", gettext_lazy("Delete undispatched drafts")),
)
NO_VALUE = ("dispatch", "delete")
SALT = "duban.tasks.bulk"
TOKEN_AGE = 3600  # seconds a confirmation page stays valid
SHOWN = 50  # rows listed on the confirmation page; the rest are counted


def _label(name: str) -> str:
    return str(Task._meta.get_field(name).verbose_name)


class BulkForm(forms.Form):
    """The value a bulk action sets; only the field of the chosen action is required."""

    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    lead_units = forms.CharField(
        required=False, max_length=2000, help_text=gettext_lazy("In order; the first one summarises and reports. "
                                                                "Separate names with 、"),
        widget=forms.TextInput(attrs={"list": "bulk-unit-names", "autocomplete": "off"}))
    support_units = forms.CharField(
        required=False, max_length=2000, help_text=gettext_lazy("Added to the units the tasks already have."),
        widget=forms.TextInput(attrs={"list": "bulk-unit-names", "autocomplete": "off"}))
    leader = forms.ModelChoiceField(queryset=leaders(), required=False)
    deadline = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    cadence = forms.ChoiceField(choices=Task.Cadence.choices, required=False)
    area = forms.CharField(required=False, max_length=bulk.AREA_MAX,
                           widget=forms.TextInput(attrs={"list": "bulk-areas", "autocomplete": "off"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.change: bulk.Change | None = None
        labels = {"lead_units": TaskUnit.Role.LEAD.label, "support_units": TaskUnit.Role.SUPPORT.label,
                  "leader": _label("leader"), "deadline": _label("deadline"), "cadence": _label("cadence"),
                  "area": _label("area")}
        for name, label in labels.items():
            self.fields[name].label = label
            css = "form-select" if isinstance(self.fields[name].widget, forms.Select) else "form-control"
            self.fields[name].widget.attrs.setdefault("class", css)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        action = data.get("action")
        if not action:
            return data
        if action in NO_VALUE:
            kwargs: dict[str, Any] = {action: True}
        else:
            value = data.get(action)
            if value in (None, "") and action != "cadence":  # "" is a cadence: inherited
                self.add_error(action, forms.Field.default_error_messages["required"])
                return data
            kwargs = {action: value}
        try:
            self.change = bulk.build_change(**kwargs)
        except ActionRefused as exc:
            self.add_error(None if action in NO_VALUE else action, str(exc))
        return data


def _list_url(params: QueryDict) -> str:
    query = params.urlencode()
    return reverse("task-list") + (f"?{query}" if query else "")


def _selection(post: QueryDict) -> tuple[list[int] | None, QueryDict]:
    """Ticked task ids, or None for "all tasks matching the filter"; and the list's filter."""
    params = QueryDict(post.get("filter", ""), mutable=True)
    params.pop("page", None)
    if post.get("scope") == "filter":
        return None, params
    return [int(i) for i in post.getlist("task") if i.isdigit()], params


@login_required
@require_POST
@managers_only
def bulk_start(request: HttpRequest) -> HttpResponse:
    """The selection and the action from the list: ask for the value, then show what would change."""
    ids, params = _selection(request.POST)
    back = _list_url(params)
    action = request.POST.get("action", "")
    if action not in dict(ACTIONS):
        messages.error(request, _("Choose what to do with the selected tasks."))
        return HttpResponseRedirect(back)
    try:
        tasks = bulk.select(request.user, ids=ids, params=params)
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(back)
    if not tasks:
        messages.error(request, _("Select at least one task first."))
        return HttpResponseRedirect(back)
    bound = action in NO_VALUE or request.POST.get("step") == "preview"
    form = BulkForm(request.POST if bound else None, initial={"action": action})
    context = {"action": action, "action_label": dict(ACTIONS)[action], "tasks": tasks, "back": back,
               "ids": ids, "filter": params.urlencode(), "form": form}
    if bound and form.is_valid() and form.change is not None:
        return _confirm(request, form.change, tasks, params, context)
    if action in NO_VALUE:  # nothing to choose: the refusal is all there is to say
        for error in form.non_field_errors():
            messages.error(request, error)
        return HttpResponseRedirect(back)
    context["field"] = form[action]
    if action in ("lead_units", "support_units"):
        context["unit_names"] = [name for _pk, name in display_names(Unit.objects.filter(active=True))]
    if action == "area":
        context["areas"] = all_areas()
    return render(request, "tasks/bulk_form.html", context)


def _confirm(request: HttpRequest, change: bulk.Change, tasks: list[Task], params: QueryDict,
             context: dict[str, Any]) -> HttpResponse:
    plan = bulk.make_plan(tasks, change)
    token = signing.dumps({
        "u": request.user.pk, "c": change.data(), "v": [[t.pk, t.version] for t in tasks],
        "p": [r.task.pk for r in plan.changed], "q": params.urlencode(),
    }, salt=SALT, compress=True)
    return render(request, "tasks/bulk_confirm.html", {
        **context, "plan": plan, "token": token, "danger": change.delete,
        "rows": plan.changed[:SHOWN], "more": max(0, len(plan.changed) - SHOWN),
        "skipped": plan.skipped[:SHOWN], "skipped_more": max(0, len(plan.skipped) - SHOWN),
        "reasons": plan.reasons(),
    })


@login_required
@require_POST
@managers_only
def bulk_apply(request: HttpRequest) -> HttpResponse:
    """Apply what the confirmation page showed, all or nothing."""
    try:
        data = signing.loads(request.POST.get("token", ""), salt=SALT, max_age=TOKEN_AGE)
    except signing.BadSignature:
        messages.error(request, _("This confirmation is no longer valid; please select the tasks again."))
        return HttpResponseRedirect(reverse("task-list"))
    if data.get("u") != request.user.pk:
        raise PermissionDenied
    back = _list_url(QueryDict(data.get("q", "")))
    versions = {int(pk): int(version) for pk, version in data["v"]}
    try:
        change = bulk.Change.from_data(data["c"])
        plan = bulk.apply(request.user, change, list(versions), versions=versions, planned=data["p"])
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(back)
    done = len(plan.changed)
    if change.delete:
        text = ngettext("%(n)d task deleted.", "%(n)d tasks deleted.", done) % {"n": done}
    else:
        text = ngettext("%(n)d task changed.", "%(n)d tasks changed.", done) % {"n": done}
    if plan.skipped:
        text += " " + ngettext("%(n)d skipped.", "%(n)d skipped.", len(plan.skipped)) % {"n": len(plan.skipped)}
    messages.success(request, text)
    return HttpResponseRedirect(back)
