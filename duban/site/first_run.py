"""The first-run page: a fresh installation asks for its office before anything else. Before any account
exists it is open (there is nobody to log in as); once accounts exist only the office's managers may use it,
and once the office is recorded its details are edited in the settings pages."""
from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from duban.core.errors import ActionRefused
from duban.core.models import Office
from duban.core.office import office_exists
from duban.people.access import is_manager
from duban.people.models import User
from duban.site.setup import set_up

USERNAME = forms.RegexField(regex=r"^[A-Za-z0-9_.@+-]{2,150}$", label=_("Administrator's username"),
                            error_messages={"invalid": _("Letters, digits and _ . @ + - only.")})


class SetUpForm(forms.Form):
    name = forms.CharField(label=_("Office name"), max_length=100, help_text=_("e.g. 东湖区人民政府督查室"))
    authority = forms.CharField(label=_("Issuing authority (发文机关)"), max_length=100, required=False,
                                help_text=_("Empty: derived from the office name, e.g. 东湖区人民政府办公室."))
    level = forms.ChoiceField(label=_("Level"), choices=Office.Level.choices)
    letter_prefix = forms.CharField(label=_("Letter number prefix"), max_length=6, required=False,
                                    help_text=_("e.g. 东湖 gives 东湖督办〔2026〕3号; may stay empty."))
    document_prefix = forms.CharField(label=_("Document number prefix (发文字号)"), max_length=20, required=False)

    def __init__(self, *args, with_admin: bool, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if with_admin:
            self.fields["admin"] = USERNAME


def setup_page(request: HttpRequest) -> HttpResponse:
    if office_exists():
        return redirect("home")
    first = not User.objects.exists()
    if not first and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not first and not is_manager(request.user):
        raise PermissionDenied
    form = SetUpForm(request.POST or None, with_admin=first)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = set_up(request.user, admin=data.pop("admin", None), **data)
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            return render(request, "site/setup_done.html", {"done": done})
    return render(request, "site/setup.html", {"form": form, "first": first})


class FirstRunMiddleware:
    """Until the office is recorded, send the home page and the login page to the set-up page: everyone on a
    fresh installation, and the office's managers on one that has accounts already (an upgrade). Costs a
    query on those two paths only."""

    PATHS = ("/", "/login/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and request.path in self.PATHS and not office_exists() and (
                is_manager(request.user) or not User.objects.exists()):
            return redirect("first-run")
        return self.get_response(request)
