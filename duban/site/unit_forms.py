"""The unit directory's forms: one unit's details, merging, and a list to import."""
from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.tasks.forms import Styled
from duban.units.models import Unit
from duban.units.rows import ALIAS_SPLIT, NAME_MAX, SHORT_MAX
from duban.units.services import find_unit


class UnitNameField(forms.CharField):
    """One unit by full name, short name or alias, typed with the directory as suggestions."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", NAME_MAX)
        kwargs.setdefault("widget", forms.TextInput(attrs={"list": "unit-names", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value: str) -> Unit | None:  # type: ignore[override]
        name = super().clean(value)
        if not name:
            return None
        unit = find_unit(name)
        if unit is None:
            raise forms.ValidationError(_("Not in the unit directory: %(name)s.") % {"name": name})
        return unit


class UnitForm(Styled, forms.Form):
    name = forms.CharField(label=_("full name"), max_length=NAME_MAX)
    short_name = forms.CharField(label=_("short name"), max_length=SHORT_MAX, required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=Unit.Kind.choices)
    parent = UnitNameField(label=_("parent unit"), required=False)
    aliases = forms.CharField(
        label=_("Also known as"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Other names documents use for this unit, one per line or separated by 、. A renamed unit "
                    "keeps its old name here."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_aliases(self) -> list[str]:
        text = self.cleaned_data.get("aliases") or ""
        return [a.strip() for line in text.splitlines() for a in ALIAS_SPLIT.split(line) if a.strip()]


class MergeForm(Styled, forms.Form):
    into = UnitNameField(label=_("Merge into"), help_text=_(
        "The unit that stays. This unit's tasks, people and letters move to it, and this unit's names become "
        "its other names."))
    version = forms.IntegerField(widget=forms.HiddenInput)


class UnitImportForm(Styled, forms.Form):
    file = forms.FileField(label=_("File"), required=False, help_text=_(".xlsx or .csv, at most 5 MB"))
    text = forms.CharField(
        label=_("Or paste the list"), required=False, max_length=200_000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One unit per line; optionally its short name and kind after a tab or comma, e.g. "
                    "区住房和城乡建设局,区住建局,部门"))

    MAX_BYTES = 5 * 1024 * 1024

    def clean(self) -> dict:
        cleaned = super().clean()
        upload, text = cleaned.get("file"), (cleaned.get("text") or "").strip()
        if upload is None and not text:
            raise forms.ValidationError(_("Choose a file or paste the list."))
        if upload is not None and upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is too large; the limit is 5 MB."))
        return cleaned
