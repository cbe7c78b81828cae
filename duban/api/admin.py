from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.api.models import ApiToken
from duban.core import audit
from duban.core.actions import Action


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are shown by prefix only (the token itself was printed once and only its hash is kept)."""

    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    readonly_fields = ("user", "prefix", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False  # created with `duban token USERNAME`, which prints the token once

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset) -> None:  # noqa: ANN001
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record(request.user, Action.TOKEN_REVOKE, token, summary=f"{token.user} {token.prefix}")
