"""API rate limits whose rates are read from settings at each call, so an operator (or a test) can change
them without reloading the API."""
from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle, AuthRateThrottle


class _FromSettings:
    setting = ""

    def __init__(self) -> None:
        super().__init__(getattr(settings, self.setting))  # type: ignore[call-arg]

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)  # type: ignore[attr-defined]
        return super().allow_request(request)  # type: ignore[misc]


class AnonThrottle(_FromSettings, AnonRateThrottle):
    setting = "DUBAN_API_RATE_ANON"


class UserThrottle(_FromSettings, AuthRateThrottle):
    setting = "DUBAN_API_RATE_USER"
