from django.contrib import admin

from duban.tasks.models import Comment, Indicator, Milestone, SourceDocument, Task, TaskRequest, TaskUnit


class TaskUnitInline(admin.TabularInline):
    model = TaskUnit
    extra = 0
    autocomplete_fields = ("unit",)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("path", "number", "kind", "__str__", "status", "ongoing", "deadline", "area")
    list_filter = ("kind", "status", "ongoing", "area", "source")
    search_fields = ("text", "heading", "number")
    readonly_fields = ("path", "depth", "version")
    raw_id_fields = ("parent",)
    inlines = [TaskUnitInline, IndicatorInline, MilestoneInline]
    list_select_related = ("source",)


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "issuer", "date")
    list_filter = ("kind",)
    search_fields = ("title", "issuer")


admin.site.register(Comment)


@admin.register(TaskRequest)
class TaskRequestAdmin(admin.ModelAdmin):
    list_display = ("task", "kind", "unit", "state", "created_at", "decided_at")
    list_filter = ("kind", "state")
    raw_id_fields = ("task",)
