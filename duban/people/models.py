"""People: accounts with one role and, for unit staff, the unit they work for."""
from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.fields import EncryptedTextField


class Role(models.TextChoices):
    SUPERVISOR = "supervisor", _("Supervisor")
    LIAISON = "liaison", _("Liaison")
    UNIT_HEAD = "unit_head", _("Unit head")
    LEADER = "leader", _("Leader")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.LIAISON)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="people",
    )
    display_name = models.CharField(_("name"), max_length=100, blank=True)
    title = models.CharField(_("position"), max_length=100, blank=True)
    phone = EncryptedTextField(_("phone"), max_length=30, blank=True)
    must_change_password = models.BooleanField(
        _("must change password"), default=False,
        help_text=_("Set for an initial or reset password: the user must choose a new one at next login."),
    )
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True)
    areas = models.JSONField(
        _("areas of work"), default=list, blank=True,
        help_text=_("For leaders: the areas of work they are in charge of."),
    )
    oversees_units = models.ManyToManyField(
        "units.Unit", verbose_name=_("units overseen"), blank=True, related_name="overseers",
        help_text=_("For leaders: the units they are in charge of (分管)."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)  # edits of the account page check it

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_unit_staff(self) -> bool:
        """Liaisons and unit heads see only their own unit's work."""
        return self.role in (Role.LIAISON, Role.UNIT_HEAD)


class PasswordHistory(models.Model):
    """Hashes of a user's earlier passwords, so the last few cannot be chosen again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=256)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
