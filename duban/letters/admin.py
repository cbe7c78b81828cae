from django.contrib import admin

from duban.letters.defaults import DEFAULT_TEMPLATES
from duban.letters.models import EscalationRule, Letter, LetterTemplate


@admin.register(EscalationRule)
class EscalationRuleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "remind_before", "urge_after", "blue_within", "yellow_returns", "red_overdue",
                    "send_on_non_workdays", "active")


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    """The office edits the wording here; a kind without a row uses the built-in text, shown as the default."""

    list_display = ("kind", "title")

    def get_changeform_initial_data(self, request):  # noqa: ANN001, ANN201
        kind = request.GET.get("kind", "")
        title, body = DEFAULT_TEMPLATES.get(kind, ("", ""))
        return {"kind": kind, "title": title, "body": body}


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "unit", "kind", "level", "issued_on", "acknowledged_at")
    list_filter = ("kind", "level", "year")
    search_fields = ("number", "title", "unit__name")
    readonly_fields = [f.name for f in Letter._meta.fields]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False
