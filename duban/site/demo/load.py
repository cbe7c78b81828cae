"""Load the demo district. Idempotent: a second run finds everything in place and writes nothing."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from duban import ingest
from duban.assessment.demo import ensure_demo_scheme
from duban.core.office import office_exists
from duban.dashboard.services import refresh_monthly
from duban.people.models import Role, User
from duban.people.services import create_user
from duban.site.demo.alive import bring_to_life, demo_dates
from duban.site.setup import set_up
from duban.tasks.importer import import_document
from duban.tasks.models import SourceDocument
from duban.units.services import create_unit, find_unit

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SEED = SAMPLES / "001_qingyunpu_implementation_2020.txt"
PASSWORD = "duban-demo"
# Areas of work for the six parts of the demo report, by section number (demo content, not a parser rule).
AREAS = {"一": "经济运行", "二": "产业发展", "三": "改革开放", "四": "城市建设", "五": "社会民生", "六": "政府建设"}
LEADER_AREAS = ["城市建设", "社会民生"]
DEMO_OFFICE = "青云谱区人民政府督查室"


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    display_name: str
    unit: str | None = None
    title: str = ""


ACCOUNTS = (
    Account("admin", Role.ADMIN, "系统管理员", "区政府办", "信息中心"),
    Account("supervisor", Role.SUPERVISOR, "李督查", "区政府办", "区政府办督查室"),
    Account("leader", Role.LEADER, "王副区长", None, "副区长"),
    Account("zhujian", Role.LIAISON, "住建局联络员", "区住建局", "办公室"),
    Account("renshe", Role.LIAISON, "人社局联络员", "区人社局", "办公室"),
)


def _fields_for(leader: User) -> Callable[[list[dict[str, str]]], dict]:
    def fields(sections: list[dict[str, str]]) -> dict:
        area = AREAS.get(sections[0]["number"], "") if sections else ""
        return {"area": area, "leader": leader if area in LEADER_AREAS else None}
    return fields


@transaction.atomic
def load_demo(today: dt.date | None = None) -> SourceDocument:
    """The demo as of ``today``: seed 001 imported with its dates moved into the current year, then alive."""
    today = today or timezone.localdate()
    if not office_exists():
        set_up(None, name=DEMO_OFFICE, level="district")
    if existing := SourceDocument.objects.filter(sha256=hashlib.sha256(SEED.read_bytes()).hexdigest()).first():
        return existing
    for entry in json.loads((SAMPLES / "qingyunpu_units.json").read_text(encoding="utf-8")):
        if find_unit(entry["name"]) is None:
            create_unit(None, entry["name"], short_name=entry["short_name"], aliases=entry["aliases"],
                        kind=entry["kind"])
    for account in ACCOUNTS:
        if not User.objects.filter(username=account.username).exists():
            create_user(
                None, account.username, PASSWORD, role=account.role, display_name=account.display_name,
                title=account.title, unit=find_unit(account.unit) if account.unit else None,
                areas=LEADER_AREAS if account.role == Role.LEADER else None,
            )
    data = SEED.read_bytes()
    document_date, _, _ = demo_dates(today)
    parsed = ingest.parse_bytes(data, SEED.name, date=document_date)
    source = import_document(None, parsed.to_dict(), data=data, filename=SEED.name, text=data.decode("utf-8"),
                             title=f"青云谱区{document_date.year}年《政府工作报告》重点任务落实情况",
                             fields_for=_fields_for(User.objects.get(username="leader"))).source
    bring_to_life(source, today)
    refresh_monthly(today=today)  # the task chart's monthly reporting figures, every month
    ensure_demo_scheme(today)
    return source
