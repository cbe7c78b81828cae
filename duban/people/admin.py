from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from duban.people.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active", "unit")
    search_fields = ("username", "display_name", "unit__name")
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Duban"), {"fields": ("role", "unit", "display_name", "title",
                                                                  "phone", "areas")}))
