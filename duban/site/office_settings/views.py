"""The office's settings pages (/settings/), for supervisors and admins; /admin/ stays for superusers.

Views are thin: a form, one service call that checks the version and writes the activity log, and on refusal
either the current values (someone else saved meanwhile) or the user's input with the reason."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from duban.core import office as offices
from duban.core import workdays
from duban.core.errors import ActionRefused
from duban.core.models import DEFAULT_DEADLINE_DAYS, WorkdayOverride
from duban.core.versioned import saved_version
from duban.documents import settings as document_settings
from duban.documents.defaults import DEFAULT_TEMPLATES as DOCUMENT_DEFAULTS
from duban.documents.models import TEMPLATE_HELP, DocumentTemplate
from duban.letters import settings as letter_settings
from duban.letters.defaults import DEFAULT_TEMPLATES as LETTER_DEFAULTS
from duban.letters.models import EscalationRule, LetterTemplate
from duban.notify import settings as notify_settings
from duban.notify.models import GroupRobot
from duban.people.access import managers_only
from duban.site.office_settings import forms
from duban.tasks.models import SourceDocument

GET_POST = require_http_methods(["GET", "POST"])


def settings_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in, and the office's managers only (others get 403)."""
    return login_required(managers_only(view))


def _form_page(request: HttpRequest, template: str, form: Any, save: Callable[[], object], *, success: str,
               done: str, fresh: Callable[[], Any], loaded: Callable[[], Any], context: dict[str, Any]) -> HttpResponse:
    """GET shows ``form``; a valid POST runs ``save``. A refusal shows ``fresh()`` (the current values) when
    the record changed since ``form`` was loaded (``loaded()`` differs from what it carried), else the
    user's input with the reason."""
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            carried = form.cleaned_data.get("version", form.cleaned_data.get("loaded"))
            try:
                save()
            except ActionRefused as exc:
                messages.error(request, str(exc))
                stale = carried != loaded()
                if stale:
                    form = fresh()
                status = 409 if stale else 400
            else:
                messages.success(request, success)
                return redirect(done)
    return render(request, template, {**context, "form": form}, status=status)


# --- the index ---------------------------------------------------------------------------------------------------

@settings_page
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    office = offices.current_office()
    rule = letter_settings.rule_for("")
    days = {**DEFAULT_DEADLINE_DAYS, **(office.deadline_days or {})}
    smtp = notify_settings.smtp_settings()
    sections = [
        ("settings-office", _("Office details"), office.name),
        ("settings-escalation", _("Escalation ladder"),
         _("Reminder %(remind)d working days before the deadline, urging %(urge)d after it, red letter %(red)d "
           "after it") % {"remind": rule.remind_before, "urge": rule.urge_after, "red": rule.red_overdue}),
        ("settings-letter-templates", _("Letter templates"),
         _("%(n)d of %(total)d changed from the built-in wording") % {
             "n": LetterTemplate.objects.count(), "total": len(LETTER_DEFAULTS)}),
        ("settings-document-templates", _("Document templates"),
         _("%(n)d kinds of document") % {"n": len(DOCUMENT_DEFAULTS)}),
        ("settings-deadlines", _("Default deadlines"),
         " · ".join(f"{forms.deadline_label(k)} {n}" for k, n in days.items())),
        ("settings-workdays", _("Working-day adjustments"),
         _("%(n)d days adjusted against the official calendar") % {"n": WorkdayOverride.objects.count()}),
        ("settings-vocabulary", _("Status words"), forms.vocabulary_sample(offices.status_vocabulary())),
        ("settings-channels", _("Notification channels"),
         _("%(robots)d group robots; mail server: %(host)s") % {
             "robots": GroupRobot.objects.filter(active=True).count(),
             "host": smtp.host or _("as set in the environment")}),
    ]
    return render(request, "site/settings/index.html", {"sections": sections})


# --- 办公室信息 ------------------------------------------------------------------------------------------------------

@settings_page
@GET_POST
def office_details(request: HttpRequest) -> HttpResponse:
    office = offices.current_office()
    if not office.pk:
        return redirect("first-run")

    def fresh() -> forms.OfficeForm:
        current = offices.current_office()
        return forms.OfficeForm(instance=current, initial={"version": current.version})

    form = forms.OfficeForm(request.POST if request.method == "POST" else None, instance=office,
                            initial={"version": office.version})
    fields = ("name", "authority", "level", "letter_prefix", "document_prefix")
    return _form_page(
        request, "site/settings/form.html", form,
        lambda: offices.save_office(request.user, version=form.cleaned_data["version"],
                                    **{f: form.cleaned_data[f] for f in fields}),
        success=_("The office's details were saved."), done="settings", fresh=fresh,
        loaded=lambda: offices.current_office().version, context={"heading": _("Office details")})


# --- 催办规则 --------------------------------------------------------------------------------------------------------

def _kind_name(kind: str) -> str:
    return str(_("All sources (default)")) if not kind else str(SourceDocument.Kind(kind).label)


@settings_page
@require_http_methods(["GET"])
def escalation(request: HttpRequest) -> HttpResponse:
    saved = {r.source_kind: r for r in EscalationRule.objects.all()}
    rows = [(key or "default", _kind_name(key), saved.get(key), saved.get(key) or letter_settings.rule_for(key))
            for key in ["", *SourceDocument.Kind.values]]
    return render(request, "site/settings/escalation.html", {"rows": rows})


@settings_page
@GET_POST
def escalation_rule(request: HttpRequest, kind: str) -> HttpResponse:
    source_kind = "" if kind == "default" else kind
    if source_kind and source_kind not in SourceDocument.Kind.values:
        raise Http404

    def fresh() -> forms.RuleForm:
        row = letter_settings.rule_for(source_kind)
        return forms.RuleForm(instance=row, initial={"version": saved_version(row)})

    row = letter_settings.rule_for(source_kind)
    form = forms.RuleForm(request.POST if request.method == "POST" else None, instance=row,
                          initial={"version": saved_version(row)})
    return _form_page(
        request, "site/settings/rule.html", form,
        lambda: letter_settings.save_escalation_rule(
            request.user, source_kind, version=form.cleaned_data["version"],
            **{f: form.cleaned_data[f] for f in letter_settings.RULE_FIELDS}),
        success=_("The escalation rule was saved; letters issued from now on follow it."),
        done="settings-escalation", fresh=fresh,
        loaded=lambda: saved_version(letter_settings.rule_for(source_kind)),
        context={"heading": _kind_name(source_kind), "default": not source_kind})


# --- 函件模板 --------------------------------------------------------------------------------------------------------

def _wording(row: LetterTemplate) -> dict[str, Any]:
    return {"version": saved_version(row), "title": row.title, "body": row.body}


@settings_page
@require_http_methods(["GET"])
def letter_templates(request: HttpRequest) -> HttpResponse:
    saved = set(LetterTemplate.objects.values_list("kind", flat=True))
    rows = [(kind, label, kind in saved) for kind, label in LetterTemplate.Kind.choices]
    return render(request, "site/settings/letter_templates.html", {"rows": rows})


@settings_page
@GET_POST
def letter_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in LETTER_DEFAULTS:
        raise Http404
    row = letter_settings.template_for(kind)
    form = forms.LetterTemplateForm(request.POST if request.method == "POST" else None, initial=_wording(row))
    preview: tuple[str, str] | None = None
    preview_error = ""
    if request.method == "POST" and "preview" in request.POST:
        if form.is_valid():
            try:
                preview = letter_settings.render_sample(form.cleaned_data["title"], form.cleaned_data["body"])
            except ActionRefused as exc:
                preview_error = str(exc)
        return render(request, "site/settings/letter_template.html", {
            "form": form, "kind_name": row.get_kind_display(), "preview": preview, "preview_error": preview_error,
            "placeholders": letter_settings.PLACEHOLDERS}, status=200 if form.is_valid() else 400)
    if request.method == "GET":
        try:
            preview = letter_settings.render_sample(row.title, row.body)
        except ActionRefused as exc:  # a template saved broken through /admin/
            preview_error = str(exc)

    def fresh() -> forms.LetterTemplateForm:
        return forms.LetterTemplateForm(initial=_wording(letter_settings.template_for(kind)))

    return _form_page(
        request, "site/settings/letter_template.html", form,
        lambda: letter_settings.save_letter_template(
            request.user, kind, version=form.cleaned_data["version"], title=form.cleaned_data["title"],
            body=form.cleaned_data["body"]),
        success=_("The letter template was saved; letters issued from now on use it."),
        done="settings-letter-templates", fresh=fresh,
        loaded=lambda: saved_version(letter_settings.template_for(kind)),
        context={"kind_name": row.get_kind_display(), "preview": preview, "preview_error": preview_error,
                 "placeholders": letter_settings.PLACEHOLDERS})


# --- 公文模板 --------------------------------------------------------------------------------------------------------

@settings_page
@require_http_methods(["GET"])
def document_templates(request: HttpRequest) -> HttpResponse:
    rows = [(kind, label) for kind, label in DocumentTemplate.Kind.choices if kind in DOCUMENT_DEFAULTS]
    return render(request, "site/settings/document_templates.html", {"rows": rows})


@settings_page
@GET_POST
def document_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in DOCUMENT_DEFAULTS:
        raise Http404
    row = document_settings.template_for(kind)

    def fresh() -> forms.DocumentTemplateForm:
        current = document_settings.template_for(kind)
        return forms.DocumentTemplateForm(instance=current,
                                          initial={"loaded": document_settings.loaded_stamp(current)})

    form = forms.DocumentTemplateForm(request.POST if request.method == "POST" else None, instance=row,
                                      initial={"loaded": document_settings.loaded_stamp(row)})
    return _form_page(
        request, "site/settings/document_template.html", form,
        lambda: document_settings.save_document_template(
            request.user, kind, loaded=form.cleaned_data["loaded"] or "",
            **{f: form.cleaned_data[f] for f in document_settings.FIELDS}),
        success=_("The document template was saved; documents made from now on use it."),
        done="settings-document-templates", fresh=fresh,
        loaded=lambda: document_settings.loaded_stamp(document_settings.template_for(kind)),
        context={"kind_name": row.get_kind_display(), "help": TEMPLATE_HELP})


# --- 默认期限 --------------------------------------------------------------------------------------------------------

@settings_page
@GET_POST
def deadlines(request: HttpRequest) -> HttpResponse:
    def initial() -> dict[str, Any]:
        office = offices.current_office()
        return {**DEFAULT_DEADLINE_DAYS, **(office.deadline_days or {}), "version": office.version}

    form = forms.DeadlinesForm(request.POST if request.method == "POST" else None, initial=initial())
    return _form_page(
        request, "site/settings/form.html", form,
        lambda: offices.save_deadlines(request.user, version=form.cleaned_data["version"], days=form.days()),
        success=_("The default deadlines were saved; matters registered from now on use them."),
        done="settings", fresh=lambda: forms.DeadlinesForm(initial=initial()),
        loaded=lambda: offices.current_office().version,
        context={"heading": _("Default deadlines"),
                 "intro": _("Working days from registration (立项) to the deadline when none is entered.")})


# --- 工作日调整 ------------------------------------------------------------------------------------------------------

@settings_page
@GET_POST
def workday_overrides(request: HttpRequest) -> HttpResponse:
    form = forms.WorkdayForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                workdays.add_override(request.user, data["date"], is_workday=data["is_workday"], note=data["note"])
            except ActionRefused as exc:
                messages.error(request, str(exc))
                status = 409
            else:
                messages.success(request, _("Saved; deadlines and reminders count working days with it."))
                return redirect("settings-workdays")
    year = _year(request.GET.get("year"))
    rows = WorkdayOverride.objects.filter(date__year__gte=year - 1).order_by("date")[:200]
    return render(request, "site/settings/workdays.html", {
        "form": form, "rows": rows, "year": year, "official": workdays.official_exceptions(year),
        "years": (year - 1, year + 1)}, status=status)


def _year(value: str | None) -> int:
    this = timezone.localdate().year
    try:
        year = int(value or this)
    except ValueError:
        return this
    return year if 2000 <= year <= 2100 else this


@settings_page
@require_POST
def workday_remove(request: HttpRequest, date: str) -> HttpResponse:
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise Http404 from None
    try:
        workdays.remove_override(request.user, day)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The adjustment was removed; the official calendar applies to that day."))
    return redirect("settings-workdays")


# --- 状态用语 --------------------------------------------------------------------------------------------------------

@settings_page
@GET_POST
def vocabulary(request: HttpRequest) -> HttpResponse:
    def initial() -> dict[str, Any]:
        return {"vocabulary": offices.status_vocabulary(), "version": offices.current_office().version}

    form = forms.VocabularyForm(request.POST if request.method == "POST" else None, initial=initial())
    return _form_page(
        request, "site/settings/form.html", form,
        lambda: offices.save_status_vocabulary(request.user, version=form.cleaned_data["version"],
                                               vocabulary=form.cleaned_data["vocabulary"]),
        success=_("The status words were saved."), done="settings",
        fresh=lambda: forms.VocabularyForm(initial=initial()), loaded=lambda: offices.current_office().version,
        context={"heading": _("Status words"),
                 "intro": _("The words task lists, ledgers and reports use for each status, as your reports "
                            "already write them.")})


# --- 通知渠道 --------------------------------------------------------------------------------------------------------

@settings_page
@require_http_methods(["GET"])
def channels(request: HttpRequest) -> HttpResponse:
    robots = GroupRobot.objects.select_related("unit").order_by("-active", "name")[:200]
    smtp = notify_settings.smtp_settings()
    return render(request, "site/settings/channels.html", {
        "robots": robots, "smtp": smtp, "test_form": forms.TestEmailForm(initial={"to": request.user.email})})


def _robot_fields(form: forms.RobotForm) -> dict[str, Any]:
    return {f: form.cleaned_data[f] for f in notify_settings.ROBOT_FIELDS}


@settings_page
@GET_POST
def robot_new(request: HttpRequest) -> HttpResponse:
    form = forms.RobotForm(request.POST if request.method == "POST" else None, initial={"active": True})
    return _form_page(
        request, "site/settings/form.html", form,
        lambda: notify_settings.save_group_robot(request.user, None, version=None, **_robot_fields(form)),
        success=_("The group robot was added."), done="settings-channels", fresh=lambda: form,
        loaded=lambda: None, context={"heading": _("Add a group robot"), "back": "settings-channels"})


@settings_page
@GET_POST
def robot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    robot = get_object_or_404(GroupRobot, pk=pk)

    def fresh() -> forms.RobotForm:
        current = GroupRobot.objects.get(pk=pk)
        return forms.RobotForm(instance=current, initial={"version": current.version})

    form = forms.RobotForm(request.POST if request.method == "POST" else None, instance=robot,
                           initial={"version": robot.version})
    form.fields["version"].required = True
    return _form_page(
        request, "site/settings/form.html", form,
        lambda: notify_settings.save_group_robot(request.user, pk, version=form.cleaned_data["version"],
                                                 **_robot_fields(form)),
        success=_("The group robot was saved."), done="settings-channels", fresh=fresh,
        loaded=lambda: GroupRobot.objects.values_list("version", flat=True).get(pk=pk),
        context={"heading": robot.name, "back": "settings-channels"})


def _report(request: HttpRequest, outcome: notify_settings.Outcome) -> None:
    if outcome.ok:
        messages.success(request, _("The test message was sent."))
    else:
        messages.error(request, _("The test message could not be sent: %(reason)s. Details: %(error)s")
                       % {"reason": outcome.reason, "error": outcome.error})


@settings_page
@require_POST
def robot_test(request: HttpRequest, pk: int) -> HttpResponse:
    _report(request, notify_settings.send_robot_test(request.user, get_object_or_404(GroupRobot, pk=pk)))
    return redirect("settings-channels")


@settings_page
@GET_POST
def smtp(request: HttpRequest) -> HttpResponse:
    def version() -> int:
        return saved_version(notify_settings.smtp_settings())

    def fresh() -> forms.SmtpForm:
        return forms.SmtpForm(instance=notify_settings.smtp_settings(), initial={"version": version()})

    form = forms.SmtpForm(request.POST if request.method == "POST" else None,
                          instance=notify_settings.smtp_settings(), initial={"version": version()})
    fields = ("host", "port", "username", "password", "from_email", "use_tls", "use_ssl", "clear_password")
    return _form_page(
        request, "site/settings/form.html", form,
        lambda: notify_settings.save_smtp(request.user, version=form.cleaned_data["version"],
                                          **{f: form.cleaned_data[f] for f in fields}),
        success=_("The mail server was saved."), done="settings-channels", fresh=fresh, loaded=version,
        context={"heading": _("Mail server (SMTP)"), "back": "settings-channels"})


@settings_page
@require_POST
def smtp_test(request: HttpRequest) -> HttpResponse:
    form = forms.TestEmailForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid email address to send the test message to."))
    else:
        _report(request, notify_settings.send_test_email(request.user, form.cleaned_data["to"]))
    return redirect("settings-channels")
