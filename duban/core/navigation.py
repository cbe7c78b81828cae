"""After a form: run the action, say how it went, and go back where the user came from (if on this site)."""
from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from duban.core.errors import ActionRefused


def back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = default
    return HttpResponseRedirect(target)


def attempt(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run a service call; a refusal becomes an error message for the user instead of an error page."""
    try:
        action()
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, success)
    return True
