"""The account page's form (one account, new or edited) and the upload of a list."""
from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duban.core.errors import ActionRefused
from duban.people.models import Role, User
from duban.people.roster import PHONE, USERNAME, clean_phone, split_list
from duban.tasks.forms import UnitListField, styled
from duban.units.models import Unit
from duban.units.services import resolve_units

MAX_UPLOAD = 5 * 1024 * 1024


class AccountForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=100)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.LIAISON)
    unit = forms.CharField(label=_("Unit"), max_length=200, required=False,
                           help_text=_("Required for liaisons and unit heads."),
                           widget=forms.TextInput(attrs={"list": "unit-names", "autocomplete": "off"}))
    title = forms.CharField(label=_("Position"), max_length=100, required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    email = forms.EmailField(label=_("E-mail"), required=False)
    oversees = UnitListField(label=_("Units overseen (分管单位)"),
                             help_text=_("Leaders only. Separate names with 、"))
    areas = forms.CharField(label=_("Areas overseen (分管领域)"), max_length=1000, required=False,
                            help_text=_("Leaders only. Separate with 、"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        styled(self)

    def clean_unit(self) -> Unit | None:
        text = self.cleaned_data.get("unit", "").strip()
        if not text:
            return None
        try:
            units = resolve_units([text])
        except ActionRefused as exc:
            raise forms.ValidationError(str(exc)) from None
        return units[0]

    def clean_phone(self) -> str:
        phone = clean_phone(self.cleaned_data.get("phone", ""))
        if phone and not PHONE.fullmatch(phone):
            raise forms.ValidationError(gettext("Enter the phone number in digits."))
        return phone

    def clean_areas(self) -> list[str]:
        return split_list(self.cleaned_data.get("areas", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        role = data.get("role")
        if role in (Role.LIAISON, Role.UNIT_HEAD) and not data.get("unit") and "unit" not in self.errors:
            self.add_error("unit", gettext("Liaisons and unit heads need their unit (单位)."))
        if role and role != Role.LEADER:
            data["oversees"], data["areas"] = [], []
        return data


class NewAccountForm(AccountForm):
    username = forms.CharField(
        label=_("Username"), max_length=150, required=False,
        help_text=_("Empty: the mobile number, else the next free u0001, u0002 …"))

    field_order = ("display_name", "username", "role", "unit", "title", "phone", "email", "oversees", "areas")

    def clean_username(self) -> str:
        username = self.cleaned_data.get("username", "").strip()
        if username and not USERNAME.fullmatch(username):
            raise forms.ValidationError(gettext("Letters, digits and _ . @ + - only (2 to 150)."))
        if username and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(gettext("This username is taken."))
        return username


class EditAccountForm(AccountForm):
    """The account's details; ``version`` carries what the editor loaded (see update_user)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_user(cls, user: User, data: Any = None) -> EditAccountForm:
        initial = {
            "display_name": user.display_name, "role": user.role,
            "unit": user.unit.display_name if user.unit else "", "title": user.title, "phone": user.phone,
            "email": user.email, "oversees": list(user.oversees_units.all()), "areas": "、".join(user.areas or []),
            "version": user.version,
        }
        return cls(data, initial=initial)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("List of people (.xlsx or .csv)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(gettext("The file is larger than 5 MB; is it the right one?"))
        return upload
