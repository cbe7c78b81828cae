"""Days in the office's time zone (Asia/Shanghai), for everything dated "as of" a day."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone


def day_end(day: dt.date) -> dt.datetime:
    """The first moment after ``day`` in the office's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
