"""Assessment (考核): schemes per period, the office's bonuses, and scoring runs whose every point is an item
pointing to the event behind it. Activity (logins, clicks, time online) is never an input."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.supervision import scoring


def _points(verbose: str, default: str, help_text: str) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=6, decimal_places=2, default=Decimal(default),
                               validators=[MinValueValidator(Decimal(0))], help_text=help_text)


class Scheme(models.Model):
    """The scoring rules for one period (e.g. a quarter), on a ten- or hundred-point scale."""

    class Scale(models.IntegerChoices):
        TEN = 10, _("Ten points")
        HUNDRED = 100, _("Hundred points")

    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(_("period start"))
    end = models.DateField(_("period end"))
    scale = models.PositiveSmallIntegerField(_("scale"), choices=Scale.choices, default=Scale.HUNDRED)
    weight_reporting = models.PositiveSmallIntegerField(
        _("weight: on-time reporting (%)"), default=40, validators=[MaxValueValidator(100)],
        help_text=_("Share of the scale for reports submitted on time; a late report loses half its share, a "
                    "missing one all of it."))
    weight_schedule = models.PositiveSmallIntegerField(
        _("weight: schedule status (%)"), default=40, validators=[MaxValueValidator(100)],
        help_text=_("Share of the scale for the status of the tasks the unit leads; a task behind schedule loses "
                    "half its share, an overdue one all of it."))
    weight_quality = models.PositiveSmallIntegerField(
        _("weight: quality rating (%)"), default=20, validators=[MaxValueValidator(100)],
        help_text=_("Share of the scale for the supervisor's quality rating of reports (excellent/good/fair/poor). "
                    "The three weights add up to 100."))
    deduct_urge = _points(_("deduction per urging letter"), "0.5", _("Points deducted for each 催办函."))
    deduct_blue = _points(_("deduction per blue letter"), "0.5", _("Points deducted for each blue 督办单."))
    deduct_yellow = _points(_("deduction per yellow letter"), "1", _("Points deducted for each yellow 督办单."))
    deduct_red = _points(_("deduction per red letter"), "2", _("Points deducted for each red 督办单."))
    deduct_returned = _points(_("deduction per return"), "0.5",
                              _("Points deducted each time a report is returned."))
    deduct_late = _points(_("deduction per late report"), "0.5", _("Points deducted for each late report."))
    deduct_missing = _points(_("deduction per missing report"), "1",
                             _("Points deducted for each report not submitted by its due date."))
    bonus_cap = _points(_("bonus cap"), "5", _("The office's bonuses together add at most this many points."))
    public_rankings = models.BooleanField(
        _("public rankings and 红黑榜"), default=False,
        help_text=_("Off by default: unit staff then see only their own unit's score and bulletins "
                    "print no ranking."))
    honour_top = models.PositiveSmallIntegerField(
        _("honour list: top N"), default=0, help_text=_("0: no honour list by rank."))
    warning_bottom = models.PositiveSmallIntegerField(
        _("warning list: bottom N"), default=0, help_text=_("0: no warning list by rank."))
    honour_min = models.DecimalField(
        _("honour list: at least"), max_digits=6, decimal_places=2, null=True, blank=True,
        help_text=_("Units with at least this score are on the honour list."))
    warning_below = models.DecimalField(
        _("warning list: below"), max_digits=6, decimal_places=2, null=True, blank=True,
        help_text=_("Units scoring below this are on the warning list."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-start", "-id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The period ends before it starts.")})
        if self.weight_reporting + self.weight_schedule + self.weight_quality != 100:
            raise ValidationError(_("The three weights must add up to 100."))

    @property
    def lists_enabled(self) -> bool:
        return self.public_rankings and bool(self.honour_top or self.warning_bottom or self.honour_min is not None
                                             or self.warning_below is not None)

    def rules(self) -> scoring.Rules:
        return scoring.Rules(
            scale=self.scale, weight_reporting=self.weight_reporting, weight_schedule=self.weight_schedule,
            weight_quality=self.weight_quality, deduct_urge=self.deduct_urge, deduct_blue=self.deduct_blue,
            deduct_yellow=self.deduct_yellow, deduct_red=self.deduct_red, deduct_returned=self.deduct_returned,
            deduct_late=self.deduct_late, deduct_missing=self.deduct_missing, bonus_cap=self.bonus_cap)


class Bonus(models.Model):
    """Points the office adds (or, when negative, deducts) for a unit, with the reason the unit will see."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="bonuses")
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2,
                                 help_text=_("Positive: bonus; negative: deduction."))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("bonus or deduction")
        verbose_name_plural = _("bonuses and deductions")
        ordering = ["scheme", "unit", "id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.points:+}"


class ScoreRun(models.Model):
    """The latest scoring of a scheme; running again replaces it."""

    scheme = models.OneToOneField(Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="run")
    as_of = models.DateField(_("as of"))
    ran_at = models.DateTimeField(_("scored at"))
    ran_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("scored by"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    units = models.PositiveIntegerField(_("units scored"), default=0)
    items = models.PositiveIntegerField(_("score items"), default=0)

    class Meta:
        verbose_name = _("scoring run")
        verbose_name_plural = _("scoring runs")

    def __str__(self) -> str:
        return f"{self.scheme} @ {self.as_of}"


class ScoreTotal(models.Model):
    """One subject's score in a run: a unit, a leader's area, or a leader."""

    class Subject(models.TextChoices):
        UNIT = "unit", _("Unit")
        AREA = "area", _("Area of work")
        LEADER = "leader", _("Responsible leader")

    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="totals")
    subject = models.CharField(_("subject"), max_length=10, choices=Subject.choices)
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("responsible leader"), null=True,
                               blank=True, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    total = models.DecimalField(_("score"), max_digits=8, decimal_places=2)
    reporting = models.DecimalField(_("on-time reporting"), max_digits=8, decimal_places=2)
    schedule = models.DecimalField(_("schedule status"), max_digits=8, decimal_places=2)
    quality = models.DecimalField(_("quality rating"), max_digits=8, decimal_places=2)
    deductions = models.DecimalField(_("deductions"), max_digits=8, decimal_places=2)
    bonus = models.DecimalField(_("bonus"), max_digits=8, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank"))
    honour = models.BooleanField(_("honour list"), default=False)
    warning = models.BooleanField(_("warning list"), default=False)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["run", "subject", "rank", "name"]
        indexes = [models.Index(fields=["run", "subject", "rank"]), models.Index(fields=["run", "unit"])]


class ScoreItem(models.Model):
    """A point won or lost by a unit, pointing to the report, period, letter, task or bonus behind it.

    The event links are plain ids (no constraint, no index): a run writes hundreds of thousands of items and must
    stay fast, and an event deleted later simply leaves the item's label as the record of what it was."""

    class Kind(models.TextChoices):
        REPORTING_BASE = scoring.REPORTING_BASE, _("On-time reporting: full marks")
        REPORT_LATE_SHARE = scoring.REPORT_LATE_SHARE, _("On-time reporting: report late")
        SCHEDULE_BASE = scoring.SCHEDULE_BASE, _("Schedule status: full marks")
        TASK_BEHIND_SHARE = scoring.TASK_BEHIND_SHARE, _("Schedule status: task behind schedule")
        TASK_OVERDUE_SHARE = scoring.TASK_OVERDUE_SHARE, _("Schedule status: task overdue")
        QUALITY_BASE = scoring.QUALITY_BASE, _("Quality rating: full marks")
        QUALITY_SHARE = scoring.QUALITY_SHARE, _("Quality rating: report rated below excellent")
        URGE = scoring.URGE, _("Deduction: urging letter")
        BLUE = scoring.BLUE, _("Deduction: blue supervision letter")
        YELLOW = scoring.YELLOW, _("Deduction: yellow supervision letter")
        RED = scoring.RED, _("Deduction: red supervision letter")
        RETURNED = scoring.RETURNED, _("Deduction: report returned")
        LATE = scoring.LATE, _("Report late")
        MISSING = scoring.MISSING, _("Report missing")
        BONUS = scoring.BONUS, _("Set by the office")
        BONUS_CAP = scoring.BONUS_CAP, _("Bonus cap")
        FLOOR = scoring.FLOOR, _("A score never goes below zero")

    # No database constraints and only the one (run, unit) index: a province run inserts ~10⁵–10⁶ rows, and
    # deferred constraint checks at commit would cost more than the scoring. Runs delete their items first.
    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="score_items", db_constraint=False,
                            db_index=False)
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+", db_constraint=False,
                             db_index=False)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2)
    share = models.DecimalField(_("of which on-time reporting"), max_digits=8, decimal_places=2, default=0,
                                help_text=_("For a late or missing report: the share of the on-time reporting "
                                            "component lost; the rest of the points is the deduction."))
    label = models.CharField(_("event"), max_length=300, blank=True)
    count = models.PositiveIntegerField(default=1)
    task = models.ForeignKey("tasks.Task", null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+",
                             db_constraint=False, db_index=False)
    report = models.ForeignKey("reporting.ProgressReport", null=True, blank=True, on_delete=models.DO_NOTHING,
                               related_name="+", db_constraint=False, db_index=False)
    period = models.ForeignKey("reporting.ReportingPeriod", null=True, blank=True, on_delete=models.DO_NOTHING,
                               related_name="+", db_constraint=False, db_index=False)
    letter = models.ForeignKey("letters.Letter", null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+",
                               db_constraint=False, db_index=False)
    bonus = models.ForeignKey(Bonus, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+",
                              db_constraint=False, db_index=False)

    class Meta:
        verbose_name = _("score item")
        verbose_name_plural = _("score items")
        ordering = ["run", "unit", "id"]
        indexes = [models.Index(fields=["run", "unit"])]

    @property
    def deduction(self) -> Decimal:
        return self.points - self.share
