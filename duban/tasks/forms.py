from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duban.core.errors import ActionRefused
from duban.core.uploads import check_evidence
from duban.people.directory import leaders
from duban.people.models import Role, User
from duban.supervision.dates import doubtful_deadline
from duban.tasks.editing import INDICATOR_FIELDS, MILESTONE_FIELDS, Row
from duban.tasks.models import Indicator, Milestone, Task
from duban.tasks.register import MATTER_KINDS, TEXT_MAX, TITLE_MAX, Matter
from duban.units.models import Unit
from duban.units.services import resolve_units

# Lists of units are written as documents write them: 区住建局、区发改委 (commas, semicolons and spaces too).


def styled(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget of ``form``."""
    for field in form.fields.values():
        css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
        if isinstance(field.widget, forms.Select):
            css = "form-select"
        field.widget.attrs.setdefault("class", css)


class Styled:
    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        styled(self)  # type: ignore[arg-type]


class UnitListField(forms.CharField):
    """Units in order, by full name, short name or alias; unknown and deactivated units are refused by name."""

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("widget", forms.TextInput(attrs={"list": "unit-names", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: object) -> object:
        if isinstance(value, (list, tuple)):
            return "、".join(u.display_name for u in value)
        return value

    def clean(self, value: str) -> list[Unit]:  # type: ignore[override]
        try:
            return resolve_units(super().clean(value) or "")
        except ActionRefused as exc:
            raise forms.ValidationError(str(exc)) from None


class UnitsForm(forms.Form):
    """The task's lead units (the first one summarises and reports) and supporting units, in order."""

    lead_units = UnitListField(label=_("Lead units"), help_text=_("In order; the first one reports. "
                                                                    "Separate names with 、"))
    support_units = UnitListField(label=_("Supporting units"))

    def clean(self) -> dict:
        cleaned = super().clean()
        both = set(cleaned.get("lead_units") or []) & set(cleaned.get("support_units") or [])
        if both:
            raise forms.ValidationError(gettext("A unit cannot both lead and support: %(names)s.")
                                        % {"names": "、".join(u.display_name for u in both)})
        return cleaned


class IndicatorForm(Styled, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS


class MilestoneForm(Styled, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = MILESTONE_FIELDS
        widgets = {"due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "done_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


IndicatorFormSet = inlineformset_factory(Task, Indicator, form=IndicatorForm, extra=1, can_delete=True)
MilestoneFormSet = inlineformset_factory(Task, Milestone, form=MilestoneForm, extra=1, can_delete=True)


def formset_rows(formset: forms.BaseFormSet, names: tuple[str, ...]) -> list[Row]:
    """The rows the editor kept, changed, added or ticked for deletion (untouched blank rows left out)."""
    rows = []
    for form in formset.forms:
        pk = form.instance.pk
        if not pk and not form.has_changed():
            continue
        data = form.cleaned_data
        rows.append(Row(pk, {k: data.get(k) for k in names}, bool(data.get("DELETE"))))
    return rows


class PastDeadlineCheck:
    """A deadline before today, or before the date of the task's source, is usually a typo: the form asks the
    editor to confirm it (the ``confirm_deadline`` box appears with the message)."""

    def check_deadline(self, deadline: object, source_date: object) -> None:
        form: forms.Form = self  # type: ignore[assignment]
        if form.cleaned_data.get("confirm_deadline"):
            return
        doubt = doubtful_deadline(deadline, timezone.localdate(), source_date)  # type: ignore[arg-type]
        if doubt == "past":
            form.add_error("deadline", gettext("The deadline is before today. Tick the box below to keep it."))
        elif doubt == "before_source":
            form.add_error("deadline", gettext("The deadline is before the date of the source document. Tick the "
                                               "box below to keep it."))


class TaskEditForm(PastDeadlineCheck, forms.ModelForm):
    """Edits only the fields the user may change; ``version`` carries what the editor loaded."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    confirm_deadline = forms.BooleanField(label=_("Keep this deadline"), required=False)

    class Meta:
        model = Task
        fields = ("text", "owner", "deadline", "start_date", "cadence", "report_due_day", "priority", "area",
                  "leader", "ongoing")
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, allowed: tuple[str, ...], **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if "text" in self.fields:
            self.fields["text"].max_length = TEXT_MAX
            self.fields["text"].validators.append(MaxLengthValidator(TEXT_MAX))
        own = ("version", "confirm_deadline") if "deadline" in allowed else ("version",)
        for name in list(self.fields):
            if name not in own and name not in allowed:
                del self.fields[name]
        if "leader" in self.fields:
            self.fields["leader"].queryset = User.objects.filter(role=Role.LEADER)
        self.fields["version"].initial = self.instance.version
        styled(self)


    def clean(self) -> dict:
        cleaned = super().clean()
        if "deadline" in self.changed_data:
            source = self.instance.source
            self.check_deadline(cleaned.get("deadline"), source.date if source else None)
        return cleaned


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class RegisterForm(PastDeadlineCheck, Styled, forms.Form):
    """立项: one form for a matter registered by hand (see duban.tasks.register)."""

    kind = forms.ChoiceField(label=_("Source"), choices=[(k.value, k.label) for k in MATTER_KINDS])
    title = forms.CharField(label=_("Title of the source"), max_length=TITLE_MAX, required=False,
                            help_text=_("e.g. 王副区长在《关于…的报告》上的批示; empty: the kind and the date."))
    date = forms.DateField(label=_("Date of the source"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    source_text = forms.CharField(label=_("Wording of the instruction or decision"), required=False,
                                  max_length=20000, widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(label=_("Attachment"), required=False,
                                 help_text=_("The scanned instruction or the minutes: PDF, photo, Word or Excel."))
    text = forms.CharField(label=_("Task"), max_length=40000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Several numbered items (1. … 2. …) become one task each."))
    lead_units = UnitListField(label=_("Lead units"), help_text=_("In order; the first one reports. "
                                                                    "Separate names with 、"))
    support_units = UnitListField(label=_("Supporting units"))
    leader = forms.ModelChoiceField(label=_("Responsible leader"), required=False,
                                    queryset=leaders())
    owner = forms.CharField(label=_("Responsible person"), max_length=100, required=False)
    deadline = forms.DateField(label=_("Deadline"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    working_days = forms.IntegerField(label=_("or within N working days"), required=False, min_value=1,
                                      max_value=365)
    urgent = forms.BooleanField(label=_("Urgent (急件)"), required=False)
    cadence = forms.ChoiceField(label=_("Reporting cadence"), initial=Task.Cadence.ONCE,
                                choices=[c for c in Task.Cadence.choices if c[0]])
    area = forms.CharField(label=_("Area of work"), max_length=100, required=False,
                           widget=forms.TextInput(attrs={"list": "area-names", "autocomplete": "off"}))
    dispatch = forms.BooleanField(label=_("Dispatch now"), required=False)
    confirm_deadline = forms.BooleanField(label=_("Keep this deadline"), required=False)

    def clean_attachment(self) -> object:
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_evidence(upload)
        return upload

    def clean(self) -> dict:
        cleaned = super().clean()
        self.check_deadline(cleaned.get("deadline"), cleaned.get("date"))
        if cleaned.get("dispatch") and not cleaned.get("lead_units") and "lead_units" not in self.errors:
            self.add_error("lead_units", gettext("Choose a lead unit before dispatching."))
        return cleaned

    def matter(self) -> Matter:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("attachment", "confirm_deadline")}
        return Matter(**data)
