"""Downloads of official documents (.docx, and PDF where LibreOffice is installed) and the briefing builder."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from duban.core.pagination import page_of
from duban.documents import builders, pdf, services
from duban.documents.gbt9704 import Document
from duban.documents.models import Briefing
from duban.letters.access import visible_letters
from duban.people.access import is_manager, managers_only, reads_all
from duban.tasks.access import visible_tasks
from duban.tasks.filters import TaskFilter, date_or_today, units_with_tasks
from duban.tasks.models import Task
from duban.units.options import display_names, unit_options

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A briefing article the office writes itself, and the longest each part may be.
ARTICLE_FIELDS = {"column": 20, "headline": 100, "unit": 100, "text": 20000}


def wants_pdf(request: HttpRequest) -> bool:
    if request.GET.get("format") != "pdf":
        return False
    if not pdf.available():
        raise Http404("PDF conversion is not available on this server")
    return True


def download(document: Document, filename: str, as_pdf: bool) -> HttpResponse:
    """The document as an attachment; the Chinese file name travels in RFC 5987 form (filename*=UTF-8'')."""
    data = builders.render(document)
    if as_pdf:
        data, filename, content_type = pdf.docx_to_pdf(data), f"{filename}.pdf", "application/pdf"
    else:
        filename, content_type = f"{filename}.docx", DOCX
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _readers_only(request: HttpRequest) -> None:
    if not reads_all(request.user):
        raise PermissionDenied



@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """What can be produced, with an as-of date."""
    return render(request, "documents/index.html", {
        "as_of": date_or_today(request.GET.get("as_of")),
        "pdf": pdf.available(),
        "reads_all": reads_all(request.user),
        "is_manager": is_manager(request.user),
        "briefings": Briefing.objects.all()[:10] if reads_all(request.user) else [],
    })


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """落实情况报告 for the tasks the task list's filters select, among those the user may see."""
    as_of = date_or_today(request.GET.get("as_of"))
    as_pdf = wants_pdf(request)
    filters = TaskFilter.from_params(request.GET)
    tasks = filters.apply(visible_tasks(request.user, Task.objects.actionable()))
    document = builders.build_report(tasks, as_of)
    services.record_generated(request.user, "report", as_of=as_of, fmt="pdf" if as_pdf else "docx",
                              detail={"filters": request.GET.urlencode()[:300]})
    return download(document, f"落实情况报告_{as_of.isoformat()}", as_pdf)


@login_required
@require_GET
def bulletin(request: HttpRequest) -> HttpResponse:
    """督查通报: for the office and leaders (it names every unit's late tasks)."""
    _readers_only(request)
    as_of = date_or_today(request.GET.get("as_of"))
    as_pdf = wants_pdf(request)
    source = TaskFilter.from_params(request.GET).source
    tasks = Task.objects.filter(source_id=source) if source else Task.objects.all()
    document = builders.build_bulletin(tasks, as_of, builders.bulletin_rankings(as_of))
    services.record_generated(request.user, "bulletin", as_of=as_of, fmt="pdf" if as_pdf else "docx",
                              detail={"source": source})
    return download(document, f"督查通报_{as_of.isoformat()}", as_pdf)


@login_required
@require_GET
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    """A 督办函 for whoever may see the letter (others get 404, as on the letter page)."""
    item = get_object_or_404(visible_letters(request.user).select_related("unit"), pk=pk)
    as_pdf = wants_pdf(request)
    document = builders.build_letter(item)
    services.record_generated(request.user, "letter", as_of=item.issued_on, fmt="pdf" if as_pdf else "docx",
                              obj=item)
    return download(document, item.number, as_pdf)


@login_required
@require_GET
def briefing(request: HttpRequest, pk: int) -> HttpResponse:
    _readers_only(request)
    item = get_object_or_404(Briefing, pk=pk)
    as_pdf = wants_pdf(request)
    document = builders.build_briefing(item)
    services.record_generated(request.user, "briefing", as_of=item.issued_on, fmt="pdf" if as_pdf else "docx",
                              obj=item)
    return download(document, f"简报{item.year}年第{item.seq}期", as_pdf)


@login_required
@require_http_methods(["GET", "POST"])
@managers_only
def briefing_new(request: HttpRequest) -> HttpResponse:
    """The office picks tasks (filtered like the task list) and writes an optional 编者按; the issue gets the
    next number of the year."""
    error = ""
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("task") if v.isdigit()]
        tasks = list(Task.objects.actionable().filter(pk__in=ids).only("pk"))
        article = {key: request.POST.get(f"article_{key}", "")[:limit] for key, limit in ARTICLE_FIELDS.items()}
        written = bool(article["headline"].strip() and article["text"].strip())
        if tasks or written:
            item = services.create_briefing(
                request.user, tasks=tasks, lead=request.POST.get("lead", "")[:5000],
                title=request.POST.get("title", ""), issued_on=timezone.localdate(),
                column=request.POST.get("column", ""), article=article if written else None)
            messages.success(request, _("Briefing %(number)s compiled.") % {"number": str(item)})
            return redirect("documents-index")
        error = "empty"
    filters = TaskFilter.from_params(request.GET)
    page = page_of(builders.report_tasks(filters.apply(Task.objects.actionable()), timezone.localdate()),
                   request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "documents/briefing_new.html", {
        "page": page, "filters": filters, "error": error, "querystring": params.urlencode(),
        "unit_options": unit_options(display_names(units_with_tasks()), filters.unit),
        "statuses": Task.Status.choices,
        "form": request.POST if error else {},
    }, status=400 if error else 200)
