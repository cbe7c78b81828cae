"""Account lists as offices keep them (花名册): an .xlsx or .csv sheet with one person a row under the header
姓名, 单位, 角色, 手机, 邮箱 (and optionally 用户名, 分管单位, 分管领域, 职务). This module only reads the sheet and
checks each row on its own (required cells, known role, phone and e-mail form, repeats within the sheet); that
units exist and usernames are free is the database's business (duban.people.services.plan_import). The same
records serve the import page and ``duban users import``."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from duban.core.errors import ActionRefused
from duban.ingest.errors import IngestError
from duban.ingest.readers.grid import read_grid
from duban.people.models import Role

# The template's header row, in order; the first three columns are always needed.
HEADERS = ("姓名", "单位", "角色", "手机", "邮箱", "用户名", "分管单位", "分管领域", "职务")
REQUIRED_HEADERS = ("姓名", "角色")
# Other spellings a clerk's own sheet may use for the same columns.
HEADER_ALIASES = {
    "姓名": "name", "名字": "name", "name": "name",
    "单位": "unit", "所在单位": "unit", "工作单位": "unit", "unit": "unit",
    "角色": "role", "role": "role",
    "手机": "phone", "手机号": "phone", "手机号码": "phone", "联系电话": "phone", "电话": "phone", "phone": "phone",
    "邮箱": "email", "电子邮箱": "email", "email": "email", "e-mail": "email",
    "用户名": "username", "账号": "username", "登录名": "username", "username": "username",
    "分管单位": "oversees", "oversees": "oversees",
    "分管领域": "areas", "分管工作": "areas", "areas": "areas",
    "职务": "title", "title": "title",
}
# Role names as offices write them; the Chinese labels of Role (django.po) are all here.
ROLE_NAMES = {
    "联络员": Role.LIAISON, "单位联络员": Role.LIAISON,
    "单位负责人": Role.UNIT_HEAD, "负责人": Role.UNIT_HEAD,
    "领导": Role.LEADER, "分管领导": Role.LEADER, "责任领导": Role.LEADER,
    "督查员": Role.SUPERVISOR, "督查人员": Role.SUPERVISOR,
    "管理员": Role.ADMIN, "系统管理员": Role.ADMIN,
    **{role.value: role for role in Role},
}
UNIT_STAFF = (Role.LIAISON, Role.UNIT_HEAD)
MAX_ROWS = 2000
LIST_SEPARATORS = re.compile(r"[、，,；;\n]+")
USERNAME = re.compile(r"[A-Za-z0-9_.@+-]{2,150}")
PHONE = re.compile(r"\+?\d{5,20}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass
class Record:
    """One row as read; ``row`` is its number in the sheet (the header is row 1), for messages."""

    row: int
    name: str
    role: str
    unit: str = ""
    phone: str = ""
    email: str = ""
    username: str = ""
    oversees: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    title: str = ""

    def as_data(self) -> dict[str, Any]:
        """Plain data, to carry a previewed list in the session until it is applied."""
        return asdict(self)


@dataclass
class Roster:
    records: list[Record]
    errors: dict[int, list[str]]  # sheet row number → what is wrong with it

    @property
    def ok(self) -> bool:
        return not self.errors


def read_table(data: bytes, filename: str) -> list[list[str]]:
    """The rows of an .xlsx (its first sheet) or .csv file, or a message the user can act on."""
    try:
        return read_grid(data, filename)
    except IngestError as exc:
        raise ActionRefused(str(exc)) from None


def split_list(text: str) -> list[str]:
    """``区住建局、区发改委`` → its items (also separated by commas, semicolons or line breaks)."""
    return [item.strip() for item in LIST_SEPARATORS.split(text or "") if item.strip()]


def role_of(text: str) -> str | None:
    return ROLE_NAMES.get(re.sub(r"\s+", "", text or "").lower())


def clean_phone(text: str) -> str:
    """Digits only (spaces, dashes and brackets dropped; +86 kept as written)."""
    return re.sub(r"[\s\-()（）]", "", text or "")


def parse(rows: list[list[str]]) -> Roster:
    """Records from a table's rows: the first non-empty row is the header; blank rows are skipped. Problems
    are collected per row rather than stopping at the first, so the whole list can be corrected at once."""
    start = next((i for i, row in enumerate(rows) if any(cell.strip() for cell in row)), None)
    if start is None:
        raise ActionRefused(_("The file is empty: use the template and fill in one person a row."))
    header = [HEADER_ALIASES.get(re.sub(r"\s+", "", cell).lower().rstrip("*"), "") for cell in rows[start]]
    missing = [name for name in REQUIRED_HEADERS if HEADER_ALIASES[name] not in header]
    if missing:
        raise ActionRefused(_("The header row must contain the columns %(names)s (see the template).")
                            % {"names": "、".join(missing)})
    body = [(start + i + 2, row) for i, row in enumerate(rows[start + 1:]) if any(c.strip() for c in row)]
    if not body:
        raise ActionRefused(_("The file has a header row but nobody under it."))
    if len(body) > MAX_ROWS:
        raise ActionRefused(_("At most %(n)d people per file; split the list.") % {"n": MAX_ROWS})
    records, errors = [], {}
    for number, row in body:
        cells: dict[str, str] = {}
        for key, value in zip(header, row):
            if key and value and not cells.get(key):
                cells[key] = value
        record, problems = _record(number, cells)
        records.append(record)
        if problems:
            errors[number] = problems
    _repeats(records, errors)
    return Roster(records, errors)


def _record(number: int, cells: dict[str, str]) -> tuple[Record, list[str]]:
    problems = []
    role = role_of(cells.get("role", ""))
    record = Record(
        row=number, name=cells.get("name", ""), role=role or "", unit=cells.get("unit", ""),
        phone=clean_phone(cells.get("phone", "")), email=cells.get("email", ""),
        username=cells.get("username", ""), oversees=split_list(cells.get("oversees", "")),
        areas=split_list(cells.get("areas", "")), title=cells.get("title", ""),
    )
    if not record.name:
        problems.append(_("The name (姓名) is missing."))
    elif len(record.name) > 100:
        problems.append(_("The name is longer than 100 characters."))
    if role is None:
        problems.append(_("Unknown role “%(role)s”: write 联络员, 单位负责人, 领导, 督查员 or 管理员.")
                        % {"role": cells.get("role", "")} if cells.get("role") else _("The role (角色) is missing."))
    elif role in UNIT_STAFF and not record.unit:
        problems.append(_("Liaisons and unit heads need their unit (单位)."))
    if record.phone and not PHONE.fullmatch(record.phone):
        problems.append(_("The phone number “%(phone)s” is not a number.") % {"phone": cells.get("phone", "")})
    if record.email and not EMAIL.fullmatch(record.email):
        problems.append(_("The e-mail address “%(email)s” is not valid.") % {"email": record.email})
    if record.username and not USERNAME.fullmatch(record.username):
        problems.append(_("The username may contain only letters, digits and _ . @ + - (2 to 150)."))
    if (record.oversees or record.areas) and role is not None and role != Role.LEADER:
        problems.append(_("Only leaders oversee units or areas (分管单位, 分管领域)."))
    if len(record.title) > 100:
        problems.append(_("The position is longer than 100 characters."))
    return record, problems


def _repeats(records: list[Record], errors: dict[int, list[str]]) -> None:
    """The same username or phone number twice in one sheet: the later row is the one refused."""
    seen: dict[tuple[str, str], int] = {}
    for record in records:
        for kind, value in (("username", record.username.lower()), ("phone", record.phone)):
            if not value:
                continue
            first = seen.setdefault((kind, value), record.row)
            if first != record.row:
                errors.setdefault(record.row, []).append(
                    _("Repeats row %(row)d (same username or phone number).") % {"row": first})
