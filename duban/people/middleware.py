"""Send a user who must change their password (initial or expired), or who must enrol a second factor, to
the page that does it before anything else."""
from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from duban.people.passwords import must_change

EXEMPT_PREFIXES = ("/account/", "/logout/", "/static/", "/i18n/", "/healthz", "/api/")


class AccountPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(EXEMPT_PREFIXES):
            if must_change(user):
                messages.warning(request, _("Please choose a new password before you continue."))
                return redirect(reverse("password-change"))
            if user.role in settings.DUBAN_OTP_REQUIRED_ROLES and not _has_second_factor(request):
                messages.warning(request, _("Your role needs a second factor: set up the authenticator app."))
                return redirect(reverse("account-security"))
        return self.get_response(request)


def _has_second_factor(request: HttpRequest) -> bool:
    from django_otp import user_has_device

    return user_has_device(request.user) and request.user.is_verified()
