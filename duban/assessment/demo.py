"""The demo's assessment: one scheme for the current quarter, rankings off (the default), scored once."""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from duban.assessment.models import Scheme, ScoreRun
from duban.assessment.services import run_scoring
from duban.core import audit
from duban.core.actions import Action
from duban.people.models import User


def quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    first_month = (today.month - 1) // 3 * 3 + 1
    start = dt.date(today.year, first_month, 1)
    end = (dt.date(today.year + 1, 1, 1) if first_month == 10 else dt.date(today.year, first_month + 3, 1)
           ) - dt.timedelta(days=1)
    return start, end


@transaction.atomic
def ensure_demo_scheme(today: dt.date) -> Scheme:
    """Idempotent: a second call finds the scheme and, once it is scored, changes nothing."""
    start, end = quarter(today)
    supervisor = User.objects.filter(username="supervisor").first()
    scheme = Scheme.objects.filter(start=start, end=end).order_by("id").first()
    if scheme is None:
        scheme = Scheme.objects.create(name=f"{today.year}年第{(start.month - 1) // 3 + 1}季度考核", start=start,
                                       end=end)
        audit.record(supervisor, Action.ASSESSMENT_SCHEME_CREATE, scheme, summary=scheme.name)
    if not ScoreRun.objects.filter(scheme=scheme).exists():
        run_scoring(scheme, supervisor, as_of=today)
    return scheme
