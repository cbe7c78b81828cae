"""Shared fixtures. The demo district (seed 001) is loaded once per test session; each test runs in a
transaction that is rolled back, so tests may change it freely."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from duban.people.models import Role, User
from duban.people.services import create_user
from duban.site.demo.load import PASSWORD, load_demo
from duban.tasks.models import Task
from duban.units.services import find_unit

# The whole session runs on a fixed working day (the clock ticks on from there), so the living demo, the
# schedule and the escalation ladder give the same results whenever the suite runs.
TODAY = dt.datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(scope="session", autouse=True)
def _clock() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture(scope="session", autouse=True)
def _fast_passwords() -> None:
    """Hashing with the production hasher costs most of a second per account; tests need no such strength."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded and generated files of the test session go to a temporary directory, not var/."""
    from django.conf import settings

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture(scope="session")
def django_db_setup(_clock, _fast_passwords, _media_root, django_db_setup, django_db_blocker):  # noqa: ANN001, ANN201
    with django_db_blocker.unblock():
        load_demo()
        create_user(None, "zhujian_head", PASSWORD, role=Role.UNIT_HEAD, unit=find_unit("区住建局"),
                    display_name="住建局局长")


@pytest.fixture
def user(db):  # noqa: ANN001, ANN201
    """``user("zhujian")``: a demo account."""
    return lambda username: User.objects.get(username=username)


@pytest.fixture
def login(db, client):  # noqa: ANN001, ANN201
    """``login("zhujian")``: a test client logged in as that demo account (a fresh client each call)."""
    def _login(username: str) -> Client:
        c = Client()
        c.force_login(User.objects.get(username=username))
        return c
    return _login


@pytest.fixture
def zhujian_task(db) -> Task:  # noqa: ANN001
    return Task.objects.actionable().filter(task_units__unit=find_unit("区住建局")).order_by("path").first()


@pytest.fixture
def renshe_only_task(db) -> Task:  # noqa: ANN001
    """A task of 区人社局 in which 区住建局 has no part."""
    return (Task.objects.actionable().filter(task_units__unit=find_unit("区人社局"))
            .exclude(task_units__unit=find_unit("区住建局")).order_by("path").first())
