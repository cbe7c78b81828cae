"""Responsible units (单位) and the many short names (简称) documents use for them."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.units.names import normalise_name


class Unit(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        STREET = "street", _("Street or town")
        SOE = "soe", _("State-owned enterprise")
        SUPERIOR = "superior", _("Higher-level unit")
        VERTICAL = "vertical", _("Vertical agency")
        GOVERNMENT = "government", _("Government")
        OTHER = "other", _("Other")

    name = models.CharField(_("full name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    active = models.BooleanField(_("active"), default=True)
    requires_head_approval = models.BooleanField(
        _("reports need the unit head's approval"), default=False,
        help_text=_("Progress reports go to the unit head before they reach the supervision office."),
    )

    version = models.PositiveIntegerField(default=1, editable=False)  # optimistic locking of directory edits

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class UnitAlias(models.Model):
    """Another name a document may use for a unit. ``key`` is the normalised form used for lookups."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alias"), max_length=200)
    key = models.CharField(max_length=200, unique=True, editable=False)

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        self.key = normalise_name(self.name)
        super().save(*args, **kwargs)
