from __future__ import annotations

import re
from collections.abc import Iterator

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from duban.core import chain
from duban.core.models import ActivityLog, WorkdayOverride


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    """Holidays and make-up working days the official calendar library does not know yet."""

    list_display = ("date", "is_workday", "note")
    list_filter = ("is_workday",)


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only and written only by services. Search by user name, action, summary
    or object ("tasks.task#12" finds exactly one object's entries); the changelist exports what it shows as
    CSV and verifies the hash chain."""

    list_display = ("seq", "at", "actor", "action", "object_type", "object_id", "summary")
    list_filter = ("action", "object_type", "at")
    search_fields = ("actor__username", "object_type", "object_id", "action", "summary")
    date_hierarchy = "at"
    list_select_related = ("actor",)
    show_full_result_count = False  # a second count over millions of rows on every search
    change_list_template = "admin/core/activitylog/change_list.html"

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def get_search_results(self, request: HttpRequest, queryset: QuerySet,
                           search_term: str) -> tuple[QuerySet, bool]:
        if match := re.fullmatch(r"\s*([a-z_]+\.[a-z_]+)#(\S+)\s*", search_term, re.IGNORECASE):
            return queryset.filter(object_type=match[1].lower(), object_id=match[2]), False
        return super().get_search_results(request, queryset, search_term)

    def get_urls(self) -> list:
        return [
            path("verify/", self.admin_site.admin_view(self.verify_view), name="core_activitylog_verify"),
            path("export/", self.admin_site.admin_view(self.export_view), name="core_activitylog_export"),
            *super().get_urls(),
        ]

    def verify_view(self, request: HttpRequest) -> HttpResponse:
        """Walk the whole chain (read-only) and show the result on the changelist."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        result = chain.verify()
        if not result.ok:
            messages.error(request, _("The audit chain is broken: %(problem)s") % {"problem": result.problem})
        elif missing := chain.missing_guards():
            messages.warning(request, _("Chain intact (%(count)s entries), but the database triggers "
                                        "protecting the log are missing: run “duban audit protect”. "
                                        "(%(names)s)") % {"count": result.count, "names": ", ".join(missing)})
        else:
            messages.success(request, _("Chain intact: %(count)s entries verified.")
                             % {"count": result.count})
        return HttpResponseRedirect(reverse("admin:core_activitylog_changelist"))

    def export_view(self, request: HttpRequest) -> HttpResponseBase:
        """The changelist's entries (same search, filters and dates) as CSV, streamed in batches."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            queryset = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:core_activitylog_changelist") + "?e=1")
        response = StreamingHttpResponse(_in_language(chain.csv_lines(queryset), translation.get_language()),
                                         content_type="text/csv; charset=utf-8")
        name = f"activity-log-{timezone.localdate():%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def _in_language(lines: Iterator[str], language: str) -> Iterator[str]:
    # The response is streamed after the request's middleware has finished: keep the user's language.
    with translation.override(language):
        yield from lines
