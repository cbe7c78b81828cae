"""Bad input to the API is answered in the reader's language: a request that does not fit an endpoint's schema
gets 422 with one sentence naming the first field at fault (and the details for programs), never pydantic's
English."""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

PROBLEMS = {
    "missing": gettext_lazy("is required"),
    "int_parsing": gettext_lazy("must be a whole number"), "int_type": gettext_lazy("must be a whole number"),
    "int_from_float": gettext_lazy("must be a whole number"),
    "bool_parsing": gettext_lazy("must be true or false"), "bool_type": gettext_lazy("must be true or false"),
    "string_type": gettext_lazy("must be text"), "list_type": gettext_lazy("must be a list"),
    "dict_type": gettext_lazy("must be an object"), "model_type": gettext_lazy("must be an object"),
    "model_attributes_type": gettext_lazy("must be an object"),
    "date_from_datetime_parsing": gettext_lazy("must be a date such as 2026-12-31"),
    "date_parsing": gettext_lazy("must be a date such as 2026-12-31"),
    "date_type": gettext_lazy("must be a date such as 2026-12-31"),
    "extra_forbidden": gettext_lazy("is not a field this request knows"),
    "json_invalid": gettext_lazy("is not valid JSON"),
}
# What ninja itself answers in English with an HttpError, said in the reader's language.
NINJA_MESSAGES = {"Cannot parse request body": gettext_lazy("The request body is not valid JSON.")}
# ninja puts the part of the request first: body, query, path …; the reader needs the field's own name.
PARTS = {"body", "payload", "query", "path", "form", "header", "cookie"}


def describe(errors: list[dict]) -> str:
    error = errors[0] if errors else {}
    where = ".".join(str(p) for p in error.get("loc", ()) if p not in PARTS) or _("request")
    problem = PROBLEMS.get(error.get("type", ""), gettext_lazy("is not in the expected form"))
    return _("Bad request: %(field)s %(problem)s.") % {"field": where, "problem": problem}


def install(api: NinjaAPI) -> None:
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": describe(exc.errors), "errors": exc.errors}, status=422)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = str(exc)
        return api.create_response(request, {"detail": str(NINJA_MESSAGES.get(message, message))},
                                   status=exc.status_code)

    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(HttpError, http_error)
