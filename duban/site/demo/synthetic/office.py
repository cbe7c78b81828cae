"""The office's units and the people in them: a directory shaped like a real government's, and its accounts.

Units come top level first (the government, its departments, vertical bodies and state firms, then the
governments below with their own departments and towns) because the pages list them in that order."""
from __future__ import annotations

import json

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from duban.people.models import Role, User
from duban.units.models import Unit, UnitAlias
from duban.units.names import normalise_name

from .scales import PASSWORD
from .state import Run
from .vocabulary import AREAS, DEPARTMENTS, PLACE_CHARS, SOES, VERTICALS
from .writer import Writer, next_id

UnitSpec = tuple[str, str, str, int | None]  # name, short name, kind, index of the parent unit


def batch_tag() -> str:
    """'gen-' for the first run in a database, 'gen2-' … for later forced runs (names stay unique)."""
    n = 1
    while User.objects.filter(username__startswith=f"gen{n if n > 1 else ''}-").exists():
        n += 1
    return f"gen{n if n > 1 else ''}-"


def places(run: Run, count: int, suffix: str, taken: set[str]) -> list[str]:
    """``count`` new two-character place names: unique, since unit names must be."""
    found = []
    while len(found) < count:
        name = "".join(run.rng.sample(PLACE_CHARS, 2)) + suffix
        if name not in taken:
            taken.add(name)
            found.append(name)
    return found


def unit_specs(run: Run) -> list[UnitSpec]:
    """(name, short name, kind, parent index) in the order a directory lists them, top level first."""
    taken: set[str] = set()
    tag = "" if run.batch == "gen-" else run.batch[3:-1]
    out: list[UnitSpec] = []
    level = run.scale.level
    top = places(run, 1, {"province": "省", "city": "市", "district": "区"}[level], taken)[0] + tag
    prefix = {"province": "省", "city": "市", "district": "区"}[level]
    out.append((f"{top}人民政府", f"{prefix}政府", Unit.Kind.GOVERNMENT, None))
    small = run.scale.units < 200
    for prov, local, stem in DEPARTMENTS[: max(4, run.scale.units * 2 // 3 - 1)] if small else DEPARTMENTS:
        name = prov if level == "province" else local
        # 省教育厅, 省统计局, 市金融办, 区发改委: the short name keeps the kind of body the full name ends with.
        suffix = "" if stem.endswith(("委", "办")) else {"厅": "厅", "室": "办"}.get(name[-1], "局")
        out.append((f"{top}{name}", f"{prefix}{stem}{suffix}", Unit.Kind.DEPARTMENT, 0))
    for v in [] if small else VERTICALS:
        out.append((f"{top}{v}", "", Unit.Kind.VERTICAL, 0))
    for s in [] if small else SOES:
        out.append((f"{top}{s}", "", Unit.Kind.SOE, 0))
    # Then the governments below, each with its departments and its streets and towns, until full.
    below = {"province": ("市", "县"), "city": ("县", "镇"), "district": ("街道", "镇")}[level]
    while len(out) < run.scale.units:
        if level == "district":
            for place in places(run, 1, "", taken):
                suffix = run.rng.choice(["街道办事处", "镇人民政府"])
                out.append((f"{top}{place}{suffix}", f"{place}{suffix[:2] if suffix[0] == '街' else '镇'}",
                            Unit.Kind.STREET, 0))
            continue
        place = places(run, 1, below[0], taken)[0] + tag
        gov = len(out)
        out.append((f"{place}人民政府", "", Unit.Kind.GOVERNMENT, 0))
        for _prov, local, _stem in DEPARTMENTS[:24]:
            out.append((f"{place}{local}", "", Unit.Kind.DEPARTMENT, gov))
        for county in places(run, 4 if level == "province" else 6, "县" if level == "province" else "镇", taken):
            sub = len(out)
            if level == "province":
                out.append((f"{place}{county}人民政府", "", Unit.Kind.GOVERNMENT, gov))
                for _prov, local, _stem in DEPARTMENTS[:14]:
                    out.append((f"{place}{county}{local}", "", Unit.Kind.DEPARTMENT, sub))
                for town in places(run, 6, "", taken):
                    out.append((f"{place}{county}{town}{run.rng.choice(['镇人民政府', '乡人民政府', '街道办事处'])}",
                                "", Unit.Kind.STREET, sub))
            else:
                out.append((f"{place}{county}人民政府", "", Unit.Kind.STREET, gov))
    return out[: run.scale.units]


def write_units(run: Run) -> int:
    """The units and the aliases the name matcher finds them by; every tenth unit's head approves reports."""
    specs = unit_specs(run)
    first = next_id(Unit)
    run.unit_ids = list(range(first, first + len(specs)))
    w = Writer(Unit, ["id", "name", "short_name", "kind", "parent_id", "requires_head_approval", "active"])
    aliases = Writer(UnitAlias, ["id", "unit_id", "name", "key"])
    keys = set(UnitAlias.objects.values_list("key", flat=True))
    alias_id = next_id(UnitAlias)
    run.head_approval = set()
    for i, (name, short, kind, parent) in enumerate(specs):
        approval = i % 10 == 3
        if approval:
            run.head_approval.add(first + i)
        w.add(first + i, name, short, kind, None if parent is None else first + parent, approval, True)
        for alias in (name, short):
            key = normalise_name(alias) if alias else ""
            if key and key not in keys:
                keys.add(key)
                aliases.add(alias_id, first + i, alias, key)
                alias_id += 1
    w.flush()
    aliases.flush()
    run.unit_names = [s[1] or s[0] for s in specs]
    return w.count


def write_people(run: Run) -> int:
    """An administrator, the supervisors, four leaders sharing the areas of work, a liaison and a head per
    unit; all with one password, hashed once (hashing thousands of times would take minutes)."""
    hashed = make_password(PASSWORD)
    now = timezone.now()
    w = Writer(User, ["id", "username", "password", "role", "unit_id", "display_name", "title", "areas",
                      "is_staff", "is_superuser", "password_changed_at", "date_joined", "is_active"])
    uid = next_id(User)
    b = run.batch
    office = run.unit_ids[0]
    run.supervisors, run.leaders, run.liaison, run.head = [], {}, {}, {}
    w.add(uid, f"{b}admin", hashed, Role.ADMIN, office, "系统管理员", "信息中心", "[]", True, True, now, now, True)
    uid += 1
    for n in range(1, run.scale.supervisors + 1):
        w.add(uid, f"{b}supervisor{n}", hashed, Role.SUPERVISOR, office, f"督查员{n}", "督查室", "[]",
              False, False, now, now, True)
        run.supervisors.append(uid)
        uid += 1
    titles = {"province": "副省长", "city": "副市长", "district": "副区长"}[run.scale.level]
    for n in range(4):
        areas = AREAS[2 * n: 2 * n + 2]
        w.add(uid, f"{b}leader{n + 1}", hashed, Role.LEADER, None, f"{'赵钱孙李'[n]}{titles}", titles,
              json.dumps(areas, ensure_ascii=False), False, False, now, now, True)
        for area in areas:
            run.leaders[area] = uid
        uid += 1
    for i, unit in enumerate(run.unit_ids):
        w.add(uid, f"{b}u{i + 1:04d}", hashed, Role.LIAISON, unit, f"{run.unit_names[i]}联络员", "办公室", "[]",
              False, False, now, now, True)
        run.liaison[unit] = uid
        w.add(uid + 1, f"{b}h{i + 1:04d}", hashed, Role.UNIT_HEAD, unit, f"{run.unit_names[i]}负责人", "主要负责人",
              "[]", False, False, now, now, True)
        run.head[unit] = uid + 1
        uid += 2
    w.flush()
    return w.count
