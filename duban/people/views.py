"""The user's own account: changing the password and the optional authenticator app (TOTP)."""
from __future__ import annotations

import base64

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

from duban.core import audit
from duban.core.actions import Action


class LoginForm(OTPAuthenticationFormMixin, AuthenticationForm):
    """Password, and the authenticator code only for users who set one up (django-otp's own form asks
    everyone for a code)."""

    otp_token = forms.CharField(required=False, max_length=8)
    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_challenge = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict:
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user):
            if not cleaned.get("otp_device"):  # one authenticator app per account: that is the device
                device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
                cleaned["otp_device"] = device.persistent_id if device else ""
            self.clean_otp(user)
        return cleaned


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "people/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):  # noqa: ANN001, ANN201
        response = super().form_valid(form)
        audit.record(self.request.user, Action.AUTH_PASSWORD, self.request.user, summary=self.request.user.username)
        messages.success(self.request, _("Your password was changed."))
        return response


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """Set up or remove the authenticator app. A new device counts only after the user typed a code from it."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if request.method == "POST" and request.POST.get("action") == "remove" and confirmed:
        TOTPDevice.objects.filter(user=user).delete()
        audit.record(user, Action.AUTH_OTP_REMOVED, user, summary=user.username)
        messages.success(request, _("The authenticator app was removed."))
        return redirect("account-security")
    device = None
    if confirmed is None:
        device, _created = TOTPDevice.objects.get_or_create(user=user, confirmed=False,
                                                            defaults={"name": "duban"})
        if request.method == "POST" and request.POST.get("action") == "confirm":
            if device.verify_token(request.POST.get("token", "").strip()):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                otp_login(request, device)
                audit.record(user, Action.AUTH_OTP_ADDED, user, summary=user.username)
                messages.success(request, _("The authenticator app is set up; you will be asked for a code at login."))
                return redirect("account-security")
            messages.error(request, _("The code did not match. Check the time on your phone and try again."))
    return render(request, "people/security.html", {
        "confirmed": confirmed, "device": device,
        "secret": base64.b32encode(device.bin_key).decode() if device else "",
        "qr": _qr_svg(device.config_url) if device else "",
    })


def _qr_svg(text: str) -> str:
    import segno

    return segno.make(text, error="m").svg_inline(scale=4)


def lockout(request: HttpRequest, response: HttpResponse | None = None, credentials: dict | None = None) -> HttpResponse:
    """What a locked-out login sees (django-axes calls this): a plain statement of what to do."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "people/lockout.html", {"minutes": minutes}, status=429)
