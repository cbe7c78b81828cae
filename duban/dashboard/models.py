"""Materialised figures of the task chart, for the counts that would otherwise read every progress report."""
from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MonthlyReporting(models.Model):
    """Reporting periods that fell due in one month: reports on time, late, and missing.

    ``unit`` empty: the whole office's figures (every task). With a unit: that unit's chart, i.e. its own
    reports on tasks it takes part in, and the periods of those tasks nobody answered. The office's row is
    stored on its own rather than summed over units, because a task with several units would count once per
    unit. Filled only by ``duban.dashboard.services.refresh_monthly``; months without any figure have no row.
    """

    month = models.DateField(_("month"))  # the first day
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    on_time = models.PositiveIntegerField(_("reports on time"), default=0)
    late = models.PositiveIntegerField(_("reports late"), default=0)
    missing = models.PositiveIntegerField(_("reports missing"), default=0)
    refreshed_at = models.DateTimeField(_("refreshed"))

    class Meta:
        verbose_name = _("monthly reporting figure")
        verbose_name_plural = _("monthly reporting figures")
        constraints = [
            models.UniqueConstraint(fields=["month", "unit"], name="monthly_reporting_once"),
            # NULLs are distinct in a unique index: the office's row needs its own guard.
            models.UniqueConstraint(fields=["month"], condition=Q(unit__isnull=True),
                                    name="monthly_reporting_office_once"),
        ]
        indexes = [models.Index(fields=["unit", "month"], name="monthly_reporting_unit_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.unit_id or '*'}: {self.on_time}/{self.late}/{self.missing}"
