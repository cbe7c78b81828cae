from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.uploads import check_evidence
from duban.tasks.models import Task


class ReportForm(forms.Form):
    """A period's progress report; the indicator fields are added per task."""

    progress = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    problems = forms.CharField(label=_("Problems"), required=False, max_length=3000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    next_steps = forms.CharField(label=_("Next steps"), required=False, max_length=3000,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    coordination = forms.CharField(label=_("Coordination needed"), required=False, max_length=3000,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    percent = forms.IntegerField(label=_("Percent complete"), required=False, min_value=0, max_value=100,
                                 widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    evidence = forms.FileField(label=_("Evidence (optional)"), required=False)

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = list(task.indicators.all())
        actuals = (self.initial or {}).get("indicator_actuals") or {}
        for ind in self.indicators:
            self.fields[f"ind_{ind.pk}"] = forms.DecimalField(
                label=f"{ind.name}({ind.get_direction_display()}{ind.target.normalize():f}{ind.unit_of_measure})",
                required=False, max_digits=18, decimal_places=4, initial=actuals.get(str(ind.pk)),
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}))
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def clean_evidence(self) -> Any:
        upload = self.cleaned_data.get("evidence")
        if upload:
            check_evidence(upload)
        return upload

    def content(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "progress": data["progress"], "problems": data["problems"], "next_steps": data["next_steps"],
            "coordination": data["coordination"], "percent": data["percent"],
            "indicator_actuals": {str(i.pk): str(data[f"ind_{i.pk}"]) for i in self.indicators
                                  if data.get(f"ind_{i.pk}") is not None},
        }


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("Why it is returned"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
