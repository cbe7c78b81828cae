"""The office's account pages (账号管理), outside /admin/: list, one new account, edit, the account actions
(停用, 启用, 重置密码, 解除锁定, 吊销令牌), importing a list, and the one-time page of initial passwords. Managers
only; every write goes through one service that writes the activity log."""
from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from duban.core.errors import ActionRefused
from duban.core.pagination import page_of
from duban.people import services
from duban.people.access import managers_only
from duban.people.models import Role, User
from duban.people.roster import Record, parse, read_table
from duban.site.accounts import held, sheets
from duban.site.accounts.forms import EditAccountForm, NewAccountForm, UploadForm
from duban.site.accounts.tokens import active_tokens, revoke_tokens
from duban.units.options import active_names

PREVIEW = "accounts.import"  # the previewed list, in the session until it is applied
STATES = ("active", "disabled", "locked")


def _slip(user: User, password: str) -> dict[str, str]:
    """A row of the printable list: who, and the password to hand over."""
    return {"name": str(user), "unit": user.unit.display_name if user.unit else "",
            "role": str(user.get_role_display()), "username": user.username, "password": password}


@login_required
@managers_only
def account_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:50]
    role = request.GET.get("role", "")
    state = request.GET.get("state", "")
    people = User.objects.select_related("unit").order_by("-is_active", "unit__name", "display_name", "username")
    if q:
        people = people.filter(Q(display_name__icontains=q) | Q(username__icontains=q) | Q(unit__name__icontains=q)
                               | Q(unit__short_name__icontains=q) | Q(title__icontains=q))
    if role in Role.values:
        people = people.filter(role=role)
    if state == "active":
        people = people.filter(is_active=True)
    elif state == "disabled":
        people = people.filter(is_active=False)
    elif state == "locked":
        people = people.filter(username__in=services.locked_out())
    page = page_of(people, request.GET.get("page"), 50)
    rows = list(page.object_list)
    locked = services.locked_out(u.username for u in rows)
    for person in rows:
        person.locked = person.username in locked
    page.object_list = rows
    return render(request, "site/accounts/list.html", {
        "page": page, "q": q, "role": role, "state": state, "roles": Role.choices,
        "states": (("active", _("Active")), ("disabled", _("Disabled")), ("locked", _("Locked out"))),
    })


@login_required
@managers_only
def account_new(request: HttpRequest) -> HttpResponse:
    form = NewAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user, password = services.create_account(
                request.user, d["username"] or services.suggest_username(d["phone"]), role=d["role"], unit=d["unit"],
                display_name=d["display_name"], title=d["title"], phone=d["phone"], email=d["email"],
                areas=d["areas"], oversees=d["oversees"])
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            held.hold(request, [_slip(user, password)])
            messages.success(request, _("The account %(username)s was created.") % {"username": user.username})
            return redirect("account-passwords")
    return render(request, "site/accounts/new.html", {"form": form, "unit_names": active_names()})


@login_required
@managers_only
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User.objects.select_related("unit"), pk=pk)
    form = EditAccountForm.for_user(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.update_user(
                request.user, account, version=d["version"], phone=d["phone"], oversees=d["oversees"],
                display_name=d["display_name"], role=d["role"], unit=d["unit"], title=d["title"], email=d["email"],
                areas=d["areas"])
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The account was saved."))
            return redirect("account-detail", pk=account.pk)
    return render(request, "site/accounts/detail.html", {
        "account": account, "form": form, "unit_names": active_names(),
        "locked": account.username in services.locked_out([account.username]),
        "tokens": active_tokens(account), "is_self": account.pk == request.user.pk,
    })


@login_required
@require_POST
@managers_only
def account_action(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the account's buttons, each confirmed on the page before it posts here."""
    account = get_object_or_404(User.objects.select_related("unit"), pk=pk)
    action = request.POST.get("action", "")
    try:
        if action in ("disable", "enable"):
            services.set_active(request.user, account, action == "enable")
            messages.success(request, _("The account was disabled.") if action == "disable"
                             else _("The account was re-enabled."))
        elif action == "reset":
            password = services.reset_password(request.user, account)
            held.hold(request, [_slip(account, password)])
            return redirect("account-passwords")
        elif action == "unlock":
            services.unlock(request.user, account)
            messages.success(request, _("The account was unlocked; the failed logins were forgotten."))
        elif action == "revoke":
            n = revoke_tokens(request.user, account)
            messages.success(request, ngettext("%(n)d API token was revoked.", "%(n)d API tokens were revoked.", n)
                             % {"n": n} if n else _("This account has no API tokens to revoke."))
        else:
            messages.error(request, _("Unknown action."))
    except ActionRefused as exc:
        messages.error(request, str(exc))
    return redirect("account-detail", pk=account.pk)


@login_required
@managers_only
def account_import(request: HttpRequest) -> HttpResponse:
    """Upload a list: the preview shows what each row becomes and every row's problems; nothing is created
    until the preview is confirmed, and then all rows or none."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            roster = parse(read_table(upload.read(), upload.name))
        except ActionRefused as exc:
            form.add_error("file", str(exc))
        else:
            plan = services.plan_import(roster.records, roster.errors, request.user)
            nonce = secrets.token_urlsafe(12)
            if plan.ok:
                request.session[PREVIEW] = {"nonce": nonce, "records": [r.as_data() for r in roster.records]}
            else:
                request.session.pop(PREVIEW, None)
            labels = dict(Role.choices)
            for row in plan.rows:
                row.role_label = labels.get(row.record.role, "")  # type: ignore[attr-defined]
            return render(request, "site/accounts/preview.html", {
                "plan": plan, "nonce": nonce, "filename": upload.name})
    return render(request, "site/accounts/import.html", {"form": form})


@login_required
@require_POST
@managers_only
def account_import_apply(request: HttpRequest) -> HttpResponse:
    preview = request.session.get(PREVIEW)
    if not preview or request.POST.get("nonce") != preview.get("nonce"):
        messages.error(request, _("This preview is no longer valid; please upload the list again."))
        return redirect("account-import")
    try:
        created = services.import_users(request.user, [Record(**r) for r in preview["records"]])
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("account-import")
    request.session.pop(PREVIEW, None)
    held.hold(request, [_slip(c.user, c.password) for c in created])
    messages.success(request, ngettext("%(n)d account was created.", "%(n)d accounts were created.", len(created))
                     % {"n": len(created)})
    return redirect("account-passwords")


@login_required
@managers_only
def account_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(sheets.template(), content_type=sheets.XLSX)
    response["Content-Disposition"] = content_disposition_header(True, _("account-list-template") + ".xlsx")
    return response


@never_cache
@login_required
@managers_only
def account_passwords(request: HttpRequest) -> HttpResponse:
    """The initial passwords, shown on this page once; a POST dismisses the ones not downloaded."""
    if request.method == "POST":
        if held.release(request):
            messages.info(request, _("The passwords were dismissed; reset a password if one was not written down."))
        return redirect("account-list")
    fresh, total = held.show(request)
    return render(request, "site/accounts/passwords.html", {"rows": fresh, "total": total})


@never_cache
@login_required
@require_POST
@managers_only
def account_passwords_download(request: HttpRequest) -> HttpResponse:
    """The printable list of the held passwords, once: they leave the session with it."""
    rows = held.release(request)
    if not rows:
        messages.error(request, _("There are no passwords to download: they were downloaded or dismissed already."))
        return redirect("account-list")
    response = HttpResponse(sheets.password_list(rows), content_type=sheets.XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = content_disposition_header(True, f"{_('initial-passwords')}-{stamp}.xlsx")
    return response
