"""First-run set-up: the office's record, `duban setup`, the first-run page, and the office's name in what
Duban writes."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from duban.core.actions import Action
from duban.core.errors import ActionRefused
from duban.core.models import ActivityLog, Office
from duban.core.office import authority_for, current_office, save_office
from duban.people.models import Role, User
from duban.site.setup import set_up


@pytest.mark.parametrize(("name", "authority"), [
    ("东湖区人民政府督查室", "东湖区人民政府办公室"),
    ("南昌市人民政府督查室", "南昌市人民政府办公室"),
    ("江西省人民政府督查室", "江西省人民政府办公厅"),
    ("东湖区人民政府办公室督查室", "东湖区人民政府办公室"),
])
def test_the_issuing_authority_follows_from_the_name(name: str, authority: str) -> None:
    assert authority_for(name) == authority


@pytest.mark.parametrize(("authority", "level", "place", "addressees"), [
    ("东湖区人民政府办公室", "district", "区", "各街道办事处，区政府各部门"),
    ("安义县人民政府办公室", "district", "县", "各乡镇人民政府、街道办事处，县政府各部门"),
    ("南昌市人民政府办公室", "city", "市", "各区（县）人民政府，市政府各部门"),
    ("江西省人民政府办公厅", "province", "省", "各市（州）人民政府，省政府各部门"),
])
def test_documents_address_the_units_of_the_offices_level(authority: str, level: str, place: str,
                                                          addressees: str) -> None:
    office = Office(name="督查室", authority=authority, level=level)
    assert (office.place, office.addressees) == (place, addressees)
    assert office.government == authority.removesuffix("办公室").removesuffix("办公厅")


def test_the_demo_is_set_up_through_the_same_code(db) -> None:
    office = current_office()
    assert (office.pk, office.name, office.authority, office.level) == (
        1, "青云谱区人民政府督查室", "青云谱区人民政府办公室", "district")
    assert ActivityLog.objects.filter(action=Action.OFFICE_SETUP, object_id="1").count() == 1


def test_a_stale_edit_of_the_office_is_refused(db) -> None:
    office = current_office()
    save_office(None, version=office.version, name="东湖区人民政府督查室")
    with pytest.raises(ActionRefused):
        save_office(None, version=office.version, name="西湖区人民政府督查室")
    assert current_office().name == "东湖区人民政府督查室"
    entry = ActivityLog.objects.filter(action=Action.OFFICE_UPDATE).first()
    assert entry.before == {"name": "青云谱区人民政府督查室", "authority": "青云谱区人民政府办公室"}
    assert entry.after == {"name": "东湖区人民政府督查室", "authority": "东湖区人民政府办公室"}


def test_setup_command_records_the_office_and_prints_a_one_time_password(db) -> None:
    out = io.StringIO()
    call_command("setup", office="东湖区人民政府督查室", level="district", admin="donghu_admin",
                 letter_prefix="东湖", stdout=out)
    office = current_office()
    assert (office.name, office.authority, office.letter_prefix) == ("东湖区人民政府督查室", "东湖区人民政府办公室", "东湖")
    admin = User.objects.get(username="donghu_admin")
    assert admin.role == Role.ADMIN and admin.must_change_password
    password = next(line.split(": ", 1)[1] for line in out.getvalue().splitlines() if "One-time password" in line)
    assert admin.check_password(password) and len(password) == 12
    again = io.StringIO()
    call_command("setup", office="东湖区人民政府督查室", level="district", admin="donghu_admin", stdout=again)
    assert "One-time password" not in again.getvalue()
    User.objects.get(username="donghu_admin").check_password(password)


def test_setup_refuses_an_unknown_level_and_an_empty_name(db) -> None:
    with pytest.raises(ActionRefused):
        set_up(None, name="东湖区人民政府督查室", level="village")
    with pytest.raises(ActionRefused):
        set_up(None, name="  ", level="city")


def test_letters_are_numbered_and_signed_by_the_office(db) -> None:
    from duban.letters.models import Letter
    from duban.letters.services import run_ladder

    save_office(None, letter_prefix="青云")
    Letter.objects.all().delete()
    letters = run_ladder()
    assert letters and all(letter.number.startswith("青云") for letter in letters)
    assert all(letter.body.rstrip().splitlines()[-2] == "青云谱区人民政府督查室" for letter in letters)


def test_with_accounts_only_a_manager_may_set_up(db, login) -> None:
    Office.objects.all().delete()
    assert Client().get("/setup/").url.startswith("/login/")
    assert Client().get("/login/").status_code == 200  # no loop between the login and the set-up page
    assert login("zhujian").get("/setup/").status_code == 403
    assert login("zhujian").get("/").status_code == 200
    supervisor = login("supervisor")
    assert supervisor.get("/").url == "/setup/"
    assert supervisor.post("/setup/", {"name": "东湖区人民政府督查室", "level": "city"}).status_code == 200
    assert current_office().level == "city"
