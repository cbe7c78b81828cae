from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from duban.core import audit
from duban.core.actions import Action
from duban.people.models import User
from duban.people.services import AUDITED


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active", "unit")
    search_fields = ("username", "display_name", "unit__name")
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Duban"), {"fields": ("role", "unit", "display_name", "title",
                                                                  "phone", "areas", "must_change_password")}))

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        """A password set by an administrator is an initial one; role and unit changes are logged."""
        if not change:
            obj.must_change_password = True
        before = User.objects.filter(pk=obj.pk).values(*AUDITED).first() if change else None
        super().save_model(request, obj, form, change)
        after = audit.snapshot(obj, AUDITED)
        old, new = audit.changed(before or {}, after)
        if new:
            audit.record(request.user, Action.USER_PERMISSIONS if change else "user.create", obj, summary=obj.username,
                         before=old if change else None, after=new)

    def save_related(self, request, form, formsets, change) -> None:  # noqa: ANN001
        obj = form.instance
        before = (set(obj.groups.values_list("pk", flat=True)), set(obj.user_permissions.values_list("pk", flat=True)))
        super().save_related(request, form, formsets, change)
        after = (set(obj.groups.values_list("pk", flat=True)), set(obj.user_permissions.values_list("pk", flat=True)))
        if change and before != after:
            audit.record(request.user, Action.USER_PERMISSIONS, obj, summary=obj.username,
                         before={"groups": sorted(before[0]), "permissions": sorted(before[1])},
                         after={"groups": sorted(after[0]), "permissions": sorted(after[1])})
