from django.contrib import admin

from duban.units.models import Unit, UnitAlias


class AliasInline(admin.TabularInline):
    model = UnitAlias
    extra = 1


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "parent", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "short_name", "aliases__name")
    inlines = [AliasInline]
