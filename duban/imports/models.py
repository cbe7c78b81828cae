"""An import in progress: the uploaded file, what the parser proposed, and the supervisor's corrections."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.files import import_path


class ImportDraft(models.Model):
    class State(models.TextChoices):
        PREVIEW = "preview", _("Awaiting confirmation")
        APPLIED = "applied", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    file = models.FileField(upload_to=import_path)
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    parsed = models.JSONField(_("proposed tasks"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PREVIEW)
    previous = models.ForeignKey(
        "tasks.SourceDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("An earlier import of the same document, which this one updates."),
    )
    source = models.ForeignKey(
        "tasks.SourceDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="drafts"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
