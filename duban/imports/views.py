"""The supervisor's import: upload a document, check the proposed tree, confirm."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from duban.core.errors import ActionRefused
from duban.imports import services
from duban.imports.models import ImportDraft
from duban.imports.preview import build_rows, split_units
from duban.people.access import managers_only
from duban.tasks.models import SourceDocument


@login_required
@require_http_methods(["GET", "POST"])
@managers_only
def import_start(request: HttpRequest) -> HttpResponse:
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            date = dt.date.fromisoformat(request.POST["date"]) if request.POST.get("date") else None
        except ValueError:
            date = None
        if upload is None:
            error = _("Choose a file to import.")
        else:
            try:
                draft = services.create_draft(request.user, upload, date=date)
                return redirect("import-preview", pk=draft.pk)
            except ActionRefused as exc:
                error = str(exc)
    context = {
        "error": error,
        "drafts": ImportDraft.objects.select_related("created_by", "source")[:20],
        "sources": SourceDocument.objects.all()[:20],
        "max_mb": services.MAX_UPLOAD_BYTES // 1024 // 1024,
    }
    return render(request, "imports/import_start.html", context, status=400 if error else 200)


def _edits(post: dict, count: int) -> dict[int, dict]:
    edits = {}
    for i in range(count):
        if f"t-{i}-text" not in post:
            continue
        deadline = post.get(f"t-{i}-deadline", "")
        try:
            deadline = dt.date.fromisoformat(deadline).isoformat() if deadline else None
        except ValueError:
            deadline = None
        edits[i] = {
            "include": post.get(f"t-{i}-include") == "on",
            "text": post[f"t-{i}-text"].strip(),
            "lead_units": split_units(post.get(f"t-{i}-lead", "")),
            "support_units": split_units(post.get(f"t-{i}-support", "")),
            "deadline": deadline,
        }
    return edits


@login_required
@require_http_methods(["GET", "POST"])
@managers_only
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_object_or_404(ImportDraft.objects.select_related("previous", "source"), pk=pk)
    if request.method == "POST" and draft.state == ImportDraft.State.PREVIEW:
        version = int(request.POST.get("version", "0") or 0)
        action = request.POST.get("action", "save")
        try:
            if action == "discard":
                services.discard_draft(request.user, draft, version)
                messages.info(request, _("The import was discarded; nothing was imported."))
                return redirect("import-start")
            draft = services.edit_draft(request.user, draft, version, _edits(request.POST, len(draft.parsed["tasks"])))
            if action == "apply":
                result = services.apply_draft(request.user, draft, draft.version)
                messages.success(request, _("Imported: %(created)d new, %(updated)d updated, %(unchanged)d "
                                            "unchanged tasks.") % vars(result))
                return redirect("task-list")
            messages.success(request, _("Corrections saved."))
            return redirect("import-preview", pk=draft.pk)
        except ActionRefused as exc:
            messages.error(request, str(exc))
            draft.refresh_from_db()
    rows, removed, summary = build_rows(draft)
    return render(request, "imports/import_preview.html", {
        "draft": draft, "rows": rows, "removed": removed, "summary": summary,
        "editable": draft.state == ImportDraft.State.PREVIEW,
    })
