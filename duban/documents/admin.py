from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from duban.documents.models import Briefing, DocumentTemplate


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    """The office edits the fixed wording of its documents here; each field's help text lists what it may use."""

    list_display = ("kind", "header", "title", "signature", "updated_at")
    fieldsets = (
        (None, {"fields": ("kind",)}),
        (_("Header"), {"fields": ("header", "number")}),
        (_("Body"), {"fields": ("title", "addressee", "intro", "closing", "signature")}),
        (_("Distribution record"), {"fields": ("copy_to", "printed_by")}),
    )


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin):
    list_display = ("__str__", "title", "issued_on", "created_by")
    list_filter = ("year",)
    readonly_fields = ("year", "seq", "items", "created_by")
