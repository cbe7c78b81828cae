from django.contrib import admin

from duban.imports.models import ImportDraft


@admin.register(ImportDraft)
class ImportDraftAdmin(admin.ModelAdmin):
    list_display = ("filename", "state", "created_by", "created_at", "source")
    list_filter = ("state",)
    readonly_fields = ("sha256", "size", "created_at")
