"""The to-do list lists the most urgent items of each section and counts the rest (a province's busiest unit
owes over a thousand reports at once); the home page shows the counts only."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.letters.models import Letter
from duban.people.models import User
from duban.site import todo
from duban.site.todo import todo_counts, unit_todo


@pytest.fixture
def busy(db) -> User:  # noqa: ANN001
    """The demo liaison whose unit owes the most reports (four, as of the demo's date)."""
    return max(User.objects.filter(role="liaison", unit__isnull=False).order_by("pk"),
               key=lambda u: unit_todo(u).counts["report"])


def test_each_section_lists_at_most_the_limit_and_counts_all(busy: User, monkeypatch) -> None:  # noqa: ANN001
    everything = unit_todo(busy)
    owed = [(task.pk, period.pk) for task, period in everything.report]
    assert len(owed) == everything.counts["report"] >= 3
    dues = [period.due for _task, period in everything.report]
    assert dues == sorted(dues)  # most urgent first
    monkeypatch.setattr(todo, "LIMIT", 2)
    first, second = unit_todo(busy, page=1), unit_todo(busy, page=2)
    assert [(t.pk, p.pk) for t, p in first.report] == owed[:2]
    assert [(t.pk, p.pk) for t, p in second.report] == owed[2:4]
    assert first.counts == second.counts == everything.counts
    assert first.report_page.paginator.num_pages == -(-len(owed) // 2)


def test_capped_sections_say_how_many_more(busy: User, monkeypatch) -> None:  # noqa: ANN001
    task = unit_todo(busy).report[0][0]
    for n in range(3):
        Letter.objects.create(event_key=f"test-{n}", kind=Letter.Kind.URGE, prefix="督催", year=2026, seq=900 + n,
                              number=f"督催〔2026〕{900 + n}号", addressee_role="liaison", title="催办", body="请报送",
                              reason="test", issued_on=task.deadline or task.created_at.date(), unit=busy.unit,
                              task=task)
    monkeypatch.setattr(todo, "LIMIT", 2)
    listed = unit_todo(busy)
    unanswered = Letter.objects.filter(unit=busy.unit, acknowledged_at__isnull=True).exclude(kind="reminder").count()
    assert len(listed.letters) == 2 and listed.counts["letters"] == unanswered >= 3
    assert listed.more()["letters"] == unanswered - 2
    assert todo_counts(busy) == listed.counts


def test_the_page_shows_the_totals_and_a_pager(busy: User, login, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(todo, "LIMIT", 2)
    client = login(busy.username)
    owed = unit_todo(busy).counts["report"]
    page = client.get("/todo/").content.decode()
    assert page.count('href="/tasks/') >= 2 and f"1 / {-(-owed // 2)}" in page
    second = client.get("/todo/?page=2")
    assert len(second.context["todo"].report) == min(2, owed - 2)
    home = client.get("/").context
    assert home["todo_counts"]["report"] == owed and home["todo_total"] == sum(todo_counts(busy).values())


def test_the_counts_cost_the_same_queries_however_much_is_owed(busy: User) -> None:
    idle = next(u for u in User.objects.filter(role="liaison", unit__isnull=False).order_by("pk")
                if not todo_counts(u)["report"])
    def queries(user: User) -> int:  # noqa: E306
        with CaptureQueriesContext(connection) as ctx:
            todo_counts(user)
        return len(ctx)
    assert queries(idle) == queries(busy) == 4  # a liaison approves nothing: no fifth count
