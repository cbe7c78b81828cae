"""Schemes are edited here by the office; bonuses are added on the scheme page (so they are audit-logged with a
reason); runs and their items are read-only (they are replaced by the next run)."""
from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from duban.assessment.models import Bonus, Scheme, ScoreRun
from duban.core import audit
from duban.core.actions import Action

SCHEME_FIELDS = ("name", "start", "end", "scale", "weight_reporting", "weight_schedule", "weight_quality",
                 "deduct_urge", "deduct_blue", "deduct_yellow", "deduct_red", "deduct_returned", "deduct_late",
                 "deduct_missing", "bonus_cap", "public_rankings", "honour_top", "warning_bottom", "honour_min",
                 "warning_below")


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ("name", "start", "end", "scale", "public_rankings")
    fieldsets = (
        (None, {"fields": ("name", ("start", "end"), "scale")}),
        (_("Weights (add up to 100)"), {"fields": ("weight_reporting", "weight_schedule", "weight_quality")}),
        (_("Deductions"), {"fields": ("deduct_urge", "deduct_blue", "deduct_yellow", "deduct_red",
                                      "deduct_returned", "deduct_late", "deduct_missing")}),
        (_("Bonuses"), {"fields": ("bonus_cap",)}),
        (_("Rankings and 红黑榜 (off by default)"), {"fields": ("public_rankings", "honour_top", "warning_bottom",
                                                            "honour_min", "warning_below")}),
    )

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(Scheme.objects.get(pk=obj.pk), SCHEME_FIELDS) if change else {}
        super().save_model(request, obj, form, change)
        old, new = audit.changed(before, audit.snapshot(obj, SCHEME_FIELDS))
        audit.record(request.user, Action.ASSESSMENT_SCHEME_CHANGE if change else Action.ASSESSMENT_SCHEME_CREATE, obj,
                     summary=obj.name, before=old or None, after=new)


@admin.register(Bonus)
class BonusAdmin(admin.ModelAdmin):
    list_display = ("scheme", "unit", "points", "reason", "created_by", "created_at")
    list_filter = ("scheme",)
    readonly_fields = ("scheme", "unit", "points", "reason", "created_by", "created_at")

    def has_add_permission(self, request):
        return False


@admin.register(ScoreRun)
class ScoreRunAdmin(admin.ModelAdmin):
    list_display = ("scheme", "as_of", "ran_at", "ran_by", "units", "items")
    readonly_fields = ("scheme", "as_of", "ran_at", "ran_by", "units", "items")

    def has_add_permission(self, request):
        return False
