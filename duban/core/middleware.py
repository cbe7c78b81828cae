"""Chinese first: the interface language is the one the user chose (language cookie), else Simplified Chinese.

Django's LocaleMiddleware would follow the browser's Accept-Language, which on many office computers says
English even though every user reads Chinese; the choice stays with the user.
"""
from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
