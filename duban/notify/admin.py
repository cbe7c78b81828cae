"""Admin: robots are configured here (saved through the service, so logged); the outbox and preferences are
read-only views, with a "send again" action for deliveries that gave up."""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from duban.notify import services
from duban.notify.models import Delivery, GroupRobot, Preference


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


class GroupRobotForm(forms.ModelForm):
    url = forms.URLField(label=GroupRobot._meta.get_field("url").verbose_name, max_length=500,
                         assume_scheme="https")

    class Meta:
        model = GroupRobot
        fields = ("name", "channel", "url", "secret", "unit", "active")
        widgets = {"secret": forms.PasswordInput(render_value=True)}


@admin.register(GroupRobot)
class GroupRobotAdmin(admin.ModelAdmin):
    form = GroupRobotForm
    list_display = ("name", "channel", "unit", "active")
    list_filter = ("channel", "active")
    search_fields = ("name", "unit__name")
    autocomplete_fields = ("unit",)

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        services.save_robot(request.user, obj, created=not change)

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False  # deactivate instead: deliveries keep their robot, and the change is logged


@admin.register(Preference)
class PreferenceAdmin(ReadOnlyAdmin):
    list_display = ("user", "email", "updated_at")
    list_filter = ("email",)
    search_fields = ("user__username", "user__display_name")


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("id", "channel", "robot", "state", "attempts", "next_attempt_at", "sent_at", "created_at",
                    "notification")
    list_filter = ("state", "channel")
    search_fields = ("notification__title", "last_error")
    date_hierarchy = "created_at"
    list_select_related = ("notification", "robot")
    actions = ["send_again"]

    @admin.action(description=_("Send the selected failed deliveries again"))
    def send_again(self, request, queryset) -> None:  # noqa: ANN001
        count = services.requeue(request.user, queryset.values_list("pk", flat=True))
        self.message_user(request, _("%(count)d deliveries queued again.") % {"count": count},
                          messages.SUCCESS)
