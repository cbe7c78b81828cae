"""What the office may change about its documents without code, and the briefings (简报) it has compiled."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

TEMPLATE_HELP = _(
    "Django template syntax. Available everywhere: {{ as_of }} (2026年11月18日), {{ today }}, {{ year }}. "
    "Report: {{ source_title }}, {{ task_count }}, {{ done }}, {{ open }}. Bulletin: {{ figures.tasks }}, "
    "{{ figures.done }}, {{ figures.on_schedule }}, {{ figures.behind }}, {{ figures.overdue }}, "
    "{{ figures.letters }}. Briefing: {{ issue.seq }}, {{ issue.year }}, {{ issue.title }}. Letter: "
    "{{ letter.number }}, {{ letter.title }}, {{ letter.unit.display_name }}, {{ kind_name }}, {{ signed_by }} (the "
    "letter's own closing line). The office: {{ office.name }}, {{ office.authority }}, {{ office.government }}, "
    "{{ office.place }} (区/县/市/省), {{ office.addressees }}, {{ office.subordinates }}."
)


class DocumentTemplate(models.Model):
    """The fixed parts of one kind of document: 版头, title, opening and closing text, 落款, 版记."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Implementation report (落实情况)")
        BULLETIN = "bulletin", _("Supervision bulletin (督查通报)")
        BRIEFING = "briefing", _("Briefing (简报)")
        LETTER = "letter", _("Letter (督办函)")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, unique=True)
    header = models.CharField(
        _("issuing authority mark (发文机关标志)"), max_length=100, blank=True,
        help_text=format_lazy("{}{}", _("The red heading above the red rule, e.g. 督查通报. Empty: no red heading. "),
                              TEMPLATE_HELP))
    number = models.CharField(
        _("document number (发文字号)"), max_length=100, blank=True,
        help_text=format_lazy("{}{}", _("Under the red heading, e.g. 第{{ issue.seq }}期 for a briefing. "),
                              TEMPLATE_HELP))
    title = models.CharField(_("title"), max_length=300, help_text=TEMPLATE_HELP)
    addressee = models.CharField(_("addressed to (主送)"), max_length=300, blank=True, help_text=TEMPLATE_HELP)
    intro = models.TextField(_("opening text"), blank=True, help_text=TEMPLATE_HELP)
    closing = models.TextField(_("closing text"), blank=True,
                               help_text=format_lazy("{}{}", _("For a bulletin, the requirements that follow the figures. "),
                                                 TEMPLATE_HELP))
    signature = models.CharField(_("signed by (落款)"), max_length=200, blank=True,
                                 help_text=format_lazy("{}{}", _("For a briefing, the compiling office (编发单位). "),
                                                   TEMPLATE_HELP))
    copy_to = models.CharField(_("copied to (抄送)"), max_length=300, blank=True, help_text=TEMPLATE_HELP)
    printed_by = models.CharField(_("printed by (印发机关)"), max_length=200, blank=True, help_text=TEMPLATE_HELP)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Briefing(models.Model):
    """A numbered issue of the briefing: the items are copied in when it is compiled, so it reads the same
    later even when the reports behind it change."""

    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("issue"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    lead = models.TextField(_("editor's note (编者按)"), blank=True)
    items = models.JSONField(_("items"), default=list)
    issued_on = models.DateField(_("date"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")
        ordering = ["-year", "-seq"]
        constraints = [models.UniqueConstraint(fields=["year", "seq"], name="one_briefing_number")]

    def __str__(self) -> str:
        return f"{self.year}年第{self.seq}期"
