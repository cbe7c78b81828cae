from django.contrib import admin

from duban.tasks.reporting.models import ProgressReport


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ("task", "unit", "period_start", "period_end", "state", "submitted_at")
    list_filter = ("state", "unit")
    raw_id_fields = ("task",)
