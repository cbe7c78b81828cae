"""The settings pages' forms. Each carries the version (or last-saved time) it was loaded at, so the service
can refuse a save over someone else's change."""
from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.models import DEFAULT_DEADLINE_DAYS, Office
from duban.documents.models import DocumentTemplate
from duban.documents.settings import FIELDS as DOCUMENT_FIELDS
from duban.letters.models import EscalationRule
from duban.letters.settings import RULE_FIELDS
from duban.notify.models import GroupRobot, SmtpSettings
from duban.supervision import schedule
from duban.tasks.forms import Styled
from duban.tasks.models import SourceDocument
from duban.units.models import Unit


def vocabulary_sample(name: str) -> str:
    """A vocabulary as the words it shows, e.g. 已完成 · 序时推进 · 滞后序时 · 进展滞后."""
    words = schedule.VOCABULARIES[name]
    order = ("done", "done_ongoing", "not_started", "on_schedule", "ahead", "behind", "overdue")
    seen: list[str] = []
    for key in order:
        word = words[schedule.Status(key)]
        if word not in seen:
            seen.append(word)
    return " · ".join(seen)


def deadline_label(key: str) -> Any:
    return _("Urgent matters (急件)") if key == "urgent" else SourceDocument.Kind(key).label


class OfficeForm(Styled, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Office
        fields = ("name", "authority", "level", "letter_prefix", "document_prefix")


class DeadlinesForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in DEFAULT_DEADLINE_DAYS:
            self.fields[key] = forms.IntegerField(label=deadline_label(key), min_value=1, max_value=365,
                                                  widget=forms.NumberInput(attrs={"class": "form-control"}))

    def days(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key in DEFAULT_DEADLINE_DAYS}


class VocabularyForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    vocabulary = forms.ChoiceField(label=_("Status words"), widget=forms.RadioSelect,
                                   choices=[(name, vocabulary_sample(name)) for name in schedule.VOCABULARIES])


class RuleForm(Styled, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = EscalationRule
        fields = RULE_FIELDS


class LetterTemplateForm(Styled, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 10}), max_length=5000)


class DocumentTemplateForm(Styled, forms.ModelForm):
    loaded = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = DocumentTemplate
        fields = DOCUMENT_FIELDS
        widgets = {"intro": forms.Textarea(attrs={"rows": 4}), "closing": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.help_text = ""  # the placeholders are listed once, beside the form


class WorkdayForm(Styled, forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    is_workday = forms.TypedChoiceField(label=_("The day becomes"), coerce=lambda v: v == "1",
                                        choices=[("0", _("a holiday (no work)")),
                                                 ("1", _("a make-up working day (调休)"))])
    note = forms.CharField(label=_("Remark"), max_length=100, required=False,
                           help_text=_("e.g. the State Council's notice for next year"))


class RobotForm(Styled, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    url = forms.URLField(label=_("Webhook address"), max_length=500, assume_scheme="https")
    secret = forms.CharField(label=_("Signing secret"), max_length=200, required=False,
                             widget=forms.PasswordInput(render_value=False),
                             help_text=_("DingTalk only. Empty when editing: keep the saved secret."))
    unit = forms.ModelChoiceField(label=_("Unit"), required=False, queryset=Unit.objects.filter(active=True),
                                  empty_label=_("(the supervision office's own group)"))

    class Meta:
        model = GroupRobot
        fields = ("name", "channel", "url", "secret", "unit", "active")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("channel") != "dingtalk":
            data["secret"] = ""  # only DingTalk signs; a secret typed for WeCom is dropped, not an error
        elif self.instance.pk and not data.get("secret"):
            data["secret"] = self.instance.secret  # empty when editing: keep the saved one
        return data


class SmtpForm(Styled, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    password = forms.CharField(label=_("Password"), max_length=200, required=False,
                               widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                               help_text=_("Empty: keep the saved password."))
    clear_password = forms.BooleanField(label=_("Remove the saved password"), required=False)

    class Meta:
        model = SmtpSettings
        fields = ("host", "port", "username", "password", "from_email", "use_tls", "use_ssl")


class TestEmailForm(Styled, forms.Form):
    to = forms.EmailField(label=_("Send a test message to"), max_length=254)
