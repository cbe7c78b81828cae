"""The unit directory: every unit with its short names and its part in tasks, so liaisons and supervisors
agree on who is who; and, for the office, adding, renaming, merging, deactivating, importing and exporting
units (the writes are duban.units.services and duban.units.directory_import)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.errors import ActionRefused
from duban.core.pagination import page_of
from duban.ingest.errors import IngestError
from duban.ingest.readers.grid import grid_from_text, read_grid
from duban.people.access import is_manager, managers_only
from duban.people.models import User
from duban.site.unit_forms import MergeForm, UnitForm, UnitImportForm
from duban.tasks.models import TaskUnit
from duban.units import directory_import, services
from duban.units.directory_export import directory_xlsx
from duban.units.models import Unit, UnitAlias
from duban.units.options import active_names
from duban.units.rows import UnitRow, read_unit_rows

IMPORT_SALT = "duban.units.import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:50]
    units = Unit.objects.select_related("parent").prefetch_related(
        Prefetch("aliases", queryset=UnitAlias.objects.order_by("name"))
    ).order_by("-active", "name")
    if q:
        units = units.filter(Q(name__icontains=q) | Exists(UnitAlias.objects.filter(unit=OuterRef("pk"),
                                                                                  name__icontains=q)))
    page = page_of(units, request.GET.get("page"), 100)
    # Task counts for this page's units only: counting for every unit before paging grouped all 140,000
    # task-unit rows of a province on each request.
    rows = list(page.object_list)
    counts = {row["unit"]: row for row in TaskUnit.objects.filter(unit__in=[u.pk for u in rows]).order_by().values("unit")
              .annotate(lead=Count("pk", filter=Q(role=TaskUnit.Role.LEAD)), total=Count("pk"))}
    for unit in rows:
        unit.lead_count = counts.get(unit.pk, {}).get("lead", 0)
        unit.task_count = counts.get(unit.pk, {}).get("total", 0)
    page.object_list = rows
    return render(request, "site/unit_list.html", {"page": page, "q": q, "manages": is_manager(request.user)})


def _edit_form(unit: Unit, data: dict | None = None) -> UnitForm:
    initial = {"name": unit.name, "short_name": unit.short_name, "kind": unit.kind, "version": unit.version,
               "parent": unit.parent.name if unit.parent else "",
               "aliases": "\n".join(services.other_names(unit))}
    return UnitForm(data, initial=initial)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's details, its people and its tasks; for the office also the edit, merge and deactivate forms."""
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=pk)
    manages = is_manager(request.user)
    form = _edit_form(unit) if manages else None
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        form = _edit_form(unit, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_unit(request.user, unit, version=data["version"], name=data["name"],
                                     short_name=data["short_name"], kind=data["kind"], parent=data["parent"],
                                     aliases=data["aliases"])
            except ActionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Saved."))
                return redirect("unit-detail", pk=unit.pk)
    counts = TaskUnit.objects.filter(unit=unit).aggregate(
        lead=Count("pk", filter=Q(role=TaskUnit.Role.LEAD)), total=Count("pk"),
        open=Count("pk", filter=Q(task__closed_at__isnull=True)))
    people = User.objects.filter(unit=unit).order_by("-is_active", "role", "display_name")
    return render(request, "site/unit_detail.html", {
        "unit": unit, "form": form, "manages": manages, "counts": counts, "people": people,
        "children": unit.children.order_by("name"), "aliases": services.other_names(unit),
        "merge_form": MergeForm(initial={"version": unit.version}) if manages else None,
        "unit_names": active_names() if manages else [],
    }, status=400 if form is not None and form.errors else 200)


@login_required
@managers_only
def unit_new(request: HttpRequest) -> HttpResponse:
    form = UnitForm(request.POST or None, initial={"kind": Unit.Kind.DEPARTMENT})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.create_unit(request.user, data["name"], short_name=data["short_name"],
                                        aliases=data["aliases"], kind=data["kind"], parent=data["parent"])
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(name)s was added to the directory.") % {"name": unit.name})
            return redirect("unit-detail", pk=unit.pk)
    return render(request, "site/unit_new.html", {"form": form, "unit_names": active_names()},
                  status=400 if form.errors else 200)


@login_required
@managers_only
@require_POST
def unit_merge(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("unit-detail", pk=unit.pk)
    keep = form.cleaned_data["into"]
    try:
        services.merge_units(request.user, keep, unit, version=form.cleaned_data["version"])
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("unit-detail", pk=unit.pk)
    messages.success(request, _("%(gone)s was merged into %(keep)s; its names are kept as other names.")
                     % {"gone": unit.name, "keep": keep.name})
    return redirect("unit-detail", pk=keep.pk)


@login_required
@managers_only
@require_POST
def unit_active(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        version = int(request.POST.get("version", ""))
        services.set_active(request.user, unit, active, version=version)
    except ValueError:
        messages.error(request, _("The form was incomplete; please try again."))
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s is active again.") % {"name": unit.name} if active else
                         _("%(name)s is deactivated: it takes no new work, and its tasks say so.")
                         % {"name": unit.name})
    return redirect("unit-detail", pk=unit.pk)


def _rows_from(token: str) -> tuple[list[UnitRow], str]:
    data = signing.loads(token, salt=IMPORT_SALT, max_age=3600)
    return [UnitRow(**row) for row in data["rows"]], data["fingerprint"]


@login_required
@managers_only
def unit_import(request: HttpRequest) -> HttpResponse:
    """Upload or paste a list → preview of what each row will do → confirm (all or nothing)."""
    if request.method == "POST" and "token" in request.POST:
        try:
            rows, expected = _rows_from(request.POST["token"])
        except signing.BadSignature:
            messages.error(request, _("The preview has expired; please upload the list again."))
            return redirect("unit-import")
        try:
            outcome = directory_import.apply(request.user, rows, expected=expected)
        except ActionRefused as exc:
            messages.error(request, str(exc))
            return redirect("unit-import")
        messages.success(request, _("Unit directory imported: %(created)d added, %(updated)d changed, "
                                    "%(unchanged)d unchanged.") % vars(outcome))
        return redirect("unit-list")
    form = UnitImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            grid = (read_grid(upload.read(), upload.name) if upload is not None
                    else grid_from_text(form.cleaned_data["text"]))
        except IngestError as exc:
            form.add_error(None, str(exc))
        else:
            rows = read_unit_rows(grid)
            planned = directory_import.plan(rows)
            token = signing.dumps({"rows": [vars(r) for r in rows], "fingerprint": directory_import.fingerprint()},
                                  salt=IMPORT_SALT, compress=True)
            summary = {a: sum(1 for p in planned if p.action == a) for a in ("create", "update", "same", "error")}
            return render(request, "site/unit_import_preview.html",
                          {"planned": planned, "summary": summary, "token": token if not summary["error"] else ""})
    return render(request, "site/unit_import.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@managers_only
def unit_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(directory_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"单位名录-{timezone.localdate():%Y%m%d}.xlsx")
    return response
