"""/api/v1/letters: letters sent to the caller's unit (all of them for the office), and acknowledging one."""
from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from duban.api.pagination import page
from duban.api.schemas import AcknowledgeIn, ErrorOut, LetterOut, Page, unit_ref
from duban.core.errors import ActionRefused
from duban.letters import services as letter_services
from duban.letters.access import can_answer_letter, visible_letters
from duban.letters.models import Letter

router = Router(tags=["letters"])


def _letter(letter: Letter) -> dict:
    return {**{f: getattr(letter, f) for f in LetterOut.model_fields if f != "unit"}, "unit": unit_ref(letter.unit)}


@router.get("", response=Page[LetterOut])
def list_letters(request: HttpRequest, open: bool = False, level: str = ""):  # noqa: A002, ANN201
    qs = visible_letters(request.user).select_related("unit").order_by("-issued_on", "-id")
    if open:
        qs = qs.filter(acknowledged_at__isnull=True)
    if level:
        qs = qs.filter(level=level)
    meta, items = page(request, qs)
    return {**meta, "results": [_letter(x) for x in items]}


@router.post("/{letter_id}/acknowledge", response={200: LetterOut, 403: ErrorOut, 409: ErrorOut})
def acknowledge_letter(request: HttpRequest, letter_id: int, payload: AcknowledgeIn):  # noqa: ANN201
    letter = get_object_or_404(visible_letters(request.user).select_related("unit"), pk=letter_id)
    if not can_answer_letter(request.user, letter):
        return Status(403, {"detail": "not an addressee of this letter"})
    try:
        return Status(200, _letter(letter_services.acknowledge_letter(request.user, letter, payload.response)))
    except ActionRefused as exc:
        return Status(409, {"detail": str(exc)})
