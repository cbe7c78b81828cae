"""Assessment pages: the role matrix for each view, what unit staff may see with rankings off and on, the
quality rating on the review desk, and constant query counts."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from duban.assessment.demo import ensure_demo_scheme
from duban.assessment.models import Bonus, Scheme, ScoreItem, ScoreTotal
from duban.assessment.services import add_bonus, run_scoring
from duban.tasks.reporting.models import ProgressReport
from duban.units.models import Unit
from duban.units.services import find_unit

TODAY = dt.date(2026, 11, 18)
ROLES = ("admin", "supervisor", "leader", "zhujian", "renshe")


@pytest.fixture
def scheme(db) -> Scheme:
    return ensure_demo_scheme(TODAY)


def _client(login, who: str) -> Client:
    return Client() if who == "anonymous" else login(who)


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302)] + [(r, 200) for r in (*ROLES, "zhujian_head")])
def test_scheme_list(scheme: Scheme, login, who: str, status: int) -> None:
    response = _client(login, who).get("/assessment/")
    assert response.status_code == status
    if status == 200:
        assert scheme.name in response.content.decode()


@pytest.mark.parametrize(("who", "status", "ranking"), [
    ("anonymous", 302, False), ("admin", 200, True), ("supervisor", 200, True), ("leader", 200, True),
    ("zhujian", 200, False), ("renshe", 200, False)])
def test_scheme_detail(scheme: Scheme, login, who: str, status: int, ranking: bool) -> None:
    response = _client(login, who).get(f"/assessment/{scheme.pk}/")
    assert response.status_code == status
    if status != 200:
        return
    page = response.content.decode()
    assert ('id="rank-units"' in page) is ranking
    assert ('id="rank-areas"' in page) is ranking and ('id="rank-leaders"' in page) is ranking
    if not ranking:  # rankings off: a unit sees its own score, no other unit's name
        assert 'id="own-score"' in page
        other = "区人社局" if who == "zhujian" else "区住建局"
        assert other not in page
    assert (f'action="/assessment/{scheme.pk}/run/"' in page) is (who in ("admin", "supervisor"))


def test_unit_staff_see_rankings_when_published(scheme: Scheme, login) -> None:
    scheme.public_rankings, scheme.honour_top, scheme.warning_bottom = True, 3, 3
    scheme.save()
    run_scoring(scheme, None, as_of=TODAY)
    page = login("renshe").get(f"/assessment/{scheme.pk}/").content.decode()
    assert 'id="rank-units"' in page and "区住建局" in page
    assert 'id="honour-list"' in page and 'id="warning-list"' in page
    assert f'action="/assessment/{scheme.pk}/run/"' not in page
    zhujian = find_unit("区住建局")
    assert login("renshe").get(f"/assessment/{scheme.pk}/units/{zhujian.pk}/").status_code == 200


def test_leader_sees_lists_only_when_enabled(scheme: Scheme, login) -> None:
    page = login("leader").get(f"/assessment/{scheme.pk}/").content.decode()
    assert 'id="honour-list"' not in page


@pytest.mark.parametrize(("who", "status"), [
    ("anonymous", 302), ("admin", 200), ("supervisor", 200), ("leader", 200), ("zhujian", 200),
    ("zhujian_head", 200), ("renshe", 404)])
def test_unit_score_detail(scheme: Scheme, login, who: str, status: int) -> None:
    zhujian = find_unit("区住建局")
    response = _client(login, who).get(f"/assessment/{scheme.pk}/units/{zhujian.pk}/")
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        total = ScoreTotal.objects.get(run__scheme=scheme, subject="unit", unit=zhujian)
        assert f'id="unit-total">{total.total}<' in page
        letter = ScoreItem.objects.filter(run__scheme=scheme, unit=zhujian, letter__isnull=False).first()
        assert f"/letters/{letter.letter_id}/" in page  # each item links to the event behind it
        task_item = ScoreItem.objects.filter(run__scheme=scheme, unit=zhujian, kind="task_behind_share").first()
        if task_item:
            assert f"/tasks/{task_item.task_id}/" in page


def test_unit_sees_no_rank_when_rankings_are_off(scheme: Scheme, login) -> None:
    zhujian = find_unit("区住建局")
    page = login("zhujian").get(f"/assessment/{scheme.pk}/units/{zhujian.pk}/").content.decode()
    assert 'id="unit-rank"' not in page
    assert 'id="unit-rank"' in login("leader").get(f"/assessment/{scheme.pk}/units/{zhujian.pk}/").content.decode()


@pytest.mark.parametrize(("who", "status"), [
    ("anonymous", 302), ("admin", 302), ("supervisor", 302), ("leader", 403), ("zhujian", 403),
    ("zhujian_head", 403), ("renshe", 403)])
def test_run_scoring_view(scheme: Scheme, login, who: str, status: int) -> None:
    before = scheme.run.pk
    response = _client(login, who).post(f"/assessment/{scheme.pk}/run/")
    assert response.status_code == status
    scheme.refresh_from_db()
    assert (scheme.run.pk != before) is (who in ("admin", "supervisor"))
    if who in ("admin", "supervisor"):
        assert response["Location"] == f"/assessment/{scheme.pk}/"


@pytest.mark.parametrize(("who", "status"), [
    ("anonymous", 302), ("admin", 302), ("supervisor", 302), ("leader", 403), ("zhujian", 403),
    ("zhujian_head", 403), ("renshe", 403)])
def test_add_bonus_view(scheme: Scheme, login, who: str, status: int) -> None:
    renshe = find_unit("区人社局")
    response = _client(login, who).post(f"/assessment/{scheme.pk}/bonus/",
                                        {"unit": renshe.pk, "points": "1.5", "reason": "经验做法获市级推广"})
    assert response.status_code == status
    assert Bonus.objects.filter(scheme=scheme, unit=renshe, points=Decimal("1.5")).exists() is (
        who in ("admin", "supervisor"))


def test_add_bonus_rejects_bad_input(scheme: Scheme, login) -> None:
    c = login("supervisor")
    renshe = find_unit("区人社局")
    for data in ({"unit": renshe.pk, "points": "abc", "reason": "x"}, {"unit": "", "points": "1", "reason": "x"},
                 {"unit": renshe.pk, "points": "1", "reason": ""}, {"unit": renshe.pk, "points": "NaN", "reason": "x"}):
        assert c.post(f"/assessment/{scheme.pk}/bonus/", data).status_code == 302
    assert not Bonus.objects.filter(scheme=scheme).exists()


def test_get_on_actions_is_refused(scheme: Scheme, login) -> None:
    c = login("supervisor")
    assert c.get(f"/assessment/{scheme.pk}/run/").status_code == 405
    assert c.get(f"/assessment/{scheme.pk}/bonus/").status_code == 405


def test_pages_are_chinese_by_default(scheme: Scheme, login) -> None:
    page = login("supervisor").get(f"/assessment/{scheme.pk}/").content.decode()
    with translation.override("zh-hans"):
        assert translation.gettext("Ranking by unit") in page and translation.gettext("By area of work") in page
    assert "2026年10月1日" in page  # dates in Chinese convention


def _grow(scheme: Scheme, supervisor, n: int) -> None:
    """n more units with a score (each through a bonus), and more items for 区住建局."""
    zhujian = find_unit("区住建局")
    for i in range(n):
        unit = Unit.objects.create(name=f"测试单位{scheme.pk}-{i}-{Unit.objects.count()}")
        add_bonus(supervisor, scheme, unit, Decimal(1), "测试")
        add_bonus(supervisor, scheme, zhujian, Decimal("0.1"), "测试")
    run_scoring(scheme, supervisor, as_of=TODAY)


def _count(c: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert c.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["supervisor", "zhujian"])
def test_query_counts_are_constant(scheme: Scheme, login, user, who: str) -> None:
    zhujian = find_unit("区住建局")
    c = login(who)
    urls = ["/assessment/", f"/assessment/{scheme.pk}/", f"/assessment/{scheme.pk}/units/{zhujian.pk}/"]
    _grow(scheme, user("supervisor"), 1)
    before = [_count(c, url) for url in urls]
    _grow(scheme, user("supervisor"), 6)
    assert ScoreTotal.objects.filter(run__scheme=scheme, subject="unit").count() >= 27
    assert [_count(c, url) for url in urls] == before


def test_review_desk_accepts_a_quality_rating(login) -> None:
    report = ProgressReport.objects.exclude(state="draft").first()
    ProgressReport.objects.filter(pk=report.pk).update(state="submitted")
    c = login("supervisor")
    page = c.get("/review/").content.decode()
    with translation.override("zh-hans"):
        assert 'name="quality"' in page and translation.gettext("Excellent") in page
    response = c.post(f"/reports/{report.pk}/review/", {"decision": "accept", "quality": "3"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "accepted" and report.quality == ProgressReport.Quality.GOOD


def test_review_without_rating_leaves_it_empty(login) -> None:
    report = ProgressReport.objects.exclude(state="draft").filter(quality__isnull=True).first()
    ProgressReport.objects.filter(pk=report.pk).update(state="submitted")
    login("supervisor").post(f"/reports/{report.pk}/review/", {"decision": "accept", "quality": ""})
    report.refresh_from_db()
    assert report.state == "accepted" and report.quality is None
