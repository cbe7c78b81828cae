"""A task walked through a whole quarter on a controlled clock: periods, the National Day holiday, reminders,
each escalation level, returned reports, an extension and closure — checking every message, exactly once."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail

from duban.letters.models import Letter
from duban.letters.services import run_ladder
from duban.notify.models import Notification
from duban.notify.outbox import deliver_due
from duban.tasks import services, workflow
from duban.tasks.models import Task, TaskRequest
from duban.tasks.reporting.models import ProgressReport, ReportingPeriod
from duban.tasks.reporting.services import ensure_periods, review_report, submit_report
from duban.tasks.status import recompute_one
from duban.units.services import find_unit

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _morning(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=SHANGHAI)


def test_a_quarter_of_supervision(user) -> None:  # noqa: ANN001
    supervisor, liaison = user("supervisor"), user("zhujian")
    liaison.email = "zhujian@example.gov.cn"
    liaison.save()
    unit = find_unit("区住建局")
    section = Task.objects.filter(kind=Task.Kind.SECTION).first()
    task = services.create_task(supervisor, parent=section, number="99", text="完成老旧小区改造10个。",
                                lead_units=[unit], start_date=dt.date(2026, 10, 1), deadline=dt.date(2026, 12, 15),
                                cadence=Task.Cadence.MONTHLY, report_due_day=5)
    task = Task.objects.with_units().get(pk=task.pk)
    with time_machine.travel(_morning(dt.date(2026, 9, 30)), tick=False):
        workflow.dispatch(supervisor, [task])
    task.refresh_from_db()
    # three working days across the National Day holiday: 8 and 9 October, then Saturday 10 October, a make-up
    # working day (调休)
    assert task.ack_due == dt.date(2026, 10, 10)

    def report(day: dt.date, text: str) -> ProgressReport:
        period = ReportingPeriod.objects.filter(task=task, end__lt=day).order_by("-start").first()
        return submit_report(liaison, Task.objects.with_units().get(pk=task.pk), period,
                             content={"progress": text, "percent": 50}, at=_morning(day))

    actions = {
        dt.date(2026, 10, 9): lambda: workflow.acknowledge(liaison, Task.objects.with_units().get(pk=task.pk)),
        dt.date(2026, 11, 3): lambda: review_report(supervisor, report(dt.date(2026, 11, 3), "十月:开工3个"),
                                                    accept=True),
        dt.date(2026, 12, 3): lambda: review_report(supervisor, report(dt.date(2026, 12, 3), "十一月:开工6个"),
                                                    accept=False, note="请补充完工数量"),
        dt.date(2026, 12, 4): lambda: review_report(supervisor, report(dt.date(2026, 12, 4), "十一月:开工6个,完工2个"),
                                                    accept=False, note="请补充资金到位情况"),
        dt.date(2026, 12, 7): lambda: review_report(
            supervisor, report(dt.date(2026, 12, 7), "十一月:开工6个,完工2个,资金到位80%"), accept=True),
        dt.date(2026, 12, 23): lambda: workflow.decide(supervisor, workflow.request(
            liaison, Task.objects.with_units().get(pk=task.pk), TaskRequest.Kind.EXTENSION,
            reason="受雨季影响", new_deadline=dt.date(2026, 12, 31)), approve=True),
        dt.date(2026, 12, 30): lambda: workflow.decide(supervisor, workflow.request(
            liaison, Task.objects.with_units().get(pk=task.pk), TaskRequest.Kind.COMPLETION,
            reason="10个小区全部完工"), approve=True),
    }
    day, last_run = dt.date(2026, 10, 1), None
    while day <= dt.date(2027, 1, 8):
        with time_machine.travel(_morning(day), tick=False):
            if action := actions.get(day):
                action()
            ensure_periods(Task.objects.get(pk=task.pk), day)
            recompute_one(Task.objects.get(pk=task.pk), today=day)
            if run_ladder(day, last_run, task_ids=[task.pk]) or True:
                last_run = day
            deliver_due(_morning(day), "quarter-test")
            deliver_due(_morning(day), "quarter-test")  # a second worker finds nothing left to send
        day += dt.timedelta(days=1)

    letters = [(x.issued_on.isoformat(), x.kind, x.level) for x in Letter.objects.filter(task=task).order_by("id")]
    assert letters == [
        ("2026-11-02", "reminder", ""),   # October's report due 5 November: three working days before
        ("2026-12-02", "reminder", ""),   # November's report due 7 December (the 5th is a Saturday)
        ("2026-12-04", "escalate", "yellow"),  # the report returned twice
        ("2026-12-08", "escalate", "blue"),    # deadline 15 December within five working days
        ("2026-12-10", "reminder", ""),   # three working days before the deadline
        ("2026-12-16", "urge", ""),       # the working day after the missed deadline
        ("2026-12-22", "escalate", "red"),     # five working days overdue
        ("2026-12-24", "escalate", "blue"),    # the extended deadline, 31 December, is near
        ("2026-12-28", "reminder", ""),
    ]
    numbers = list(Letter.objects.filter(task=task).values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    red = Letter.objects.get(task=task, level="red")
    assert red.addressee_role == "leader" or red.addressees.exists()
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.closed_at and task.deadline == dt.date(2026, 12, 31)
    # every letter reached the liaison's inbox once, and by e-mail once
    to_liaison = Letter.objects.filter(task=task, addressees=liaison)
    assert to_liaison.count() == 8  # all but the red one, which went up to the responsible leader
    keys = [f"letter:{pk}" for pk in to_liaison.values_list("pk", flat=True)]
    assert Notification.objects.filter(recipient=liaison, key__in=keys).count() == len(keys)
    numbers = set(to_liaison.values_list("number", flat=True))
    letter_mails = [m for m in mail.outbox if m.to == [liaison.email] and m.subject.split(" ")[0] in numbers]
    assert len(letter_mails) == len(keys)
    reports = [str(pk) for pk in ProgressReport.objects.filter(task=task).values_list("pk", flat=True)]
    assert Notification.objects.filter(recipient=liaison, kind="report_returned", object_id__in=reports).count() == 2
