"""Synthetic data at district, city or province scale, for measuring the pages (``duban gen``).

Everything is derived from one seed, so two runs with the same seed and day give the same rows. Rows are
written in large batches straight into the tables (COPY on PostgreSQL, executemany on SQLite) with ids
assigned here, so foreign keys need no round trip; the province (2,000 units, 50,000 tasks, a million
progress reports) takes minutes. Statuses and lights are not invented: each task's reports, milestones
and indicator actuals are generated first and the status engine (duban.supervision.schedule) judges them,
as the daily worker would. One audit entry summarises the run instead of one per row.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from duban.core import audit
from duban.core.workdays import work_calendar
from duban.letters.models import Letter, LetterCounter
from duban.people.models import Role, User
from duban.supervision import cadence as rules
from duban.supervision import ladder, schedule
from duban.supervision.workdays import WorkCalendar
from duban.tasks.models import PATH_STEP, Indicator, Milestone, SourceDocument, Task, TaskUnit
from duban.tasks.reporting.models import ProgressReport, ReportingPeriod, ReportRevision
from duban.tasks.status import STATUS_FROM_ENGINE
from duban.units.models import Unit, UnitAlias
from duban.units.names import normalise_name

PASSWORD = "duban-demo"
UTC = dt.UTC
LOCAL = ZoneInfo("Asia/Shanghai")
BATCH = 20_000


@dataclass(frozen=True)
class Scale:
    units: int
    tasks: int  # actionable: tasks and subtasks (section headings come on top)
    reports: int
    letters: int
    documents: int
    supervisors: int
    level: str  # the government the units belong to: province, city or district


SCALES = {
    "province": Scale(2_000, 50_000, 1_000_000, 100_000, 25, 10, "province"),
    "city": Scale(200, 5_000, 100_000, 10_000, 6, 5, "city"),
    "district": Scale(20, 500, 10_000, 1_000, 3, 3, "district"),
    "tiny": Scale(12, 60, 600, 60, 2, 2, "district"),  # for tests
}

AREAS = ["经济运行", "产业发展", "改革开放", "城市建设", "社会民生", "生态环境", "乡村振兴", "政府建设"]
NUMERALS = "一二三四五六七八九十"
PLACE_CHARS = "青川临江云泽安平东湖西山南华北宁清河长乐新丰永和兴隆金溪玉泉石桥白沙桃源松柏凤岭龙潭"
DEPARTMENTS = [  # (provincial name, city/district name, short stem)
    ("发展和改革委员会", "发展和改革委员会", "发改委"), ("教育厅", "教育局", "教育"), ("科学技术厅", "科学技术局", "科技"),
    ("工业和信息化厅", "工业和信息化局", "工信"), ("公安厅", "公安局", "公安"), ("民政厅", "民政局", "民政"),
    ("司法厅", "司法局", "司法"), ("财政厅", "财政局", "财政"), ("人力资源和社会保障厅", "人力资源和社会保障局", "人社"),
    ("自然资源厅", "自然资源局", "自然资源"), ("生态环境厅", "生态环境局", "生态环境"),
    ("住房和城乡建设厅", "住房和城乡建设局", "住建"), ("交通运输厅", "交通运输局", "交通"), ("水利厅", "水利局", "水利"),
    ("农业农村厅", "农业农村局", "农业农村"), ("商务厅", "商务局", "商务"), ("文化和旅游厅", "文化广电旅游局", "文旅"),
    ("卫生健康委员会", "卫生健康委员会", "卫健委"), ("退役军人事务厅", "退役军人事务局", "退役军人"),
    ("应急管理厅", "应急管理局", "应急"), ("审计厅", "审计局", "审计"), ("市场监督管理局", "市场监督管理局", "市场监管"),
    ("体育局", "体育局", "体育"), ("统计局", "统计局", "统计"), ("医疗保障局", "医疗保障局", "医保"),
    ("林业局", "林业局", "林业"), ("地方金融监督管理局", "金融工作办公室", "金融"), ("机关事务管理局", "机关事务管理局", "机关事务"),
    ("粮食和物资储备局", "粮食和物资储备局", "粮食"), ("能源局", "城市管理局", "能源"), ("乡村振兴局", "乡村振兴局", "乡村振兴"),
    ("数据局", "数据局", "数据"), ("政务服务管理局", "行政审批局", "政务服务"), ("信访局", "信访局", "信访"),
    ("人民政府办公厅", "人民政府办公室", "政府办"), ("国有资产监督管理委员会", "国有资产监督管理委员会", "国资委"),
]
VERTICALS = ["税务局", "气象局", "通信管理局", "海关", "消防救援总队", "银行保险监督管理局"]
SOES = ["投资集团有限公司", "交通投资集团有限责任公司", "水利投资集团有限公司", "城市建设投资集团有限公司"]
PROJECTS = {
    "经济运行": ["重大项目开工", "固定资产投资", "社会消费品零售总额", "规模以上工业增加值", "财政收入"],
    "产业发展": ["先进制造业集群", "数字经济核心产业", "新能源汽车产业链", "文化旅游融合项目", "现代物流园区"],
    "改革开放": ["营商环境优化", "一网通办事项", "外贸进出口", "招商引资项目", "国企改革三年行动"],
    "城市建设": ["老旧小区改造", "城市道路提升", "地下管网更新", "保障性租赁住房", "海绵城市建设"],
    "社会民生": ["城镇新增就业", "义务教育学位", "基层医疗机构", "养老服务设施", "困难群众救助"],
    "生态环境": ["空气质量优良天数", "河湖长制", "垃圾分类", "矿山生态修复", "污水处理提质增效"],
    "乡村振兴": ["高标准农田", "农村人居环境整治", "农村公路", "特色产业基地", "防止返贫监测"],
    "政府建设": ["政务公开", "依法行政", "12345热线办理", "数字政府", "过紧日子"],
}
VERBS = ["加快推进", "全面完成", "持续推进", "深入实施", "扎实做好", "着力抓好"]
MEASURES = [("个", 10, 200), ("公里", 5, 120), ("亿元", 10, 500), ("万人", 1, 20), ("万平方米", 5, 300), ("所", 2, 40)]
REPORT_LINES = ["已完成年度计划的{p}%,", "已召开专题推进会{n}次,", "完成投资{n}亿元,", "已完成主体工程,",
                "已完成前期手续办理,", "正在组织实施,"]


def _progress_text(key: str, percent: int | None, rng: random.Random) -> str:
    head = rng.choice(REPORT_LINES).format(p=percent or 0, n=rng.randint(1, 30))
    return f"{key}:{head}各项工作按计划推进。"


@dataclass
class Plan:
    """One actionable task as generated: what it will look like, before it is written."""

    id: int
    doc: int
    area: str
    start: dt.date
    deadline: dt.date
    cadence: str
    lead: int
    supports: list[int]
    fate: str  # done, ongoing, overdue, ahead, on, behind, idle, suspended
    periods: list[rules.Period] = field(default_factory=list)
    reporters: int = 1
    milestones: list[tuple[str, dt.date, dt.date | None]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    row: tuple = ()
    status: str = ""
    ongoing: bool = False
    light: str = ""
    reason: str = ""
    share: float | None = None
    latest_end: dt.date | None = None  # the latest accepted report: its period's end, percent complete
    latest_percent: int | None = None
    has_report: bool = False  # any report beyond a draft


class Writer:
    """Batched inserts of plain tuples into one table: COPY on PostgreSQL, executemany elsewhere.

    ``given`` names the fields every row supplies, in order; all other columns get the field's default."""

    def __init__(self, model: type[models.Model], given: Sequence[str]) -> None:
        self.model = model
        fields = {f.attname: f for f in model._meta.concrete_fields}
        self.given = list(given)
        rest = [f for name, f in fields.items() if name not in self.given]
        self.columns = [fields[name].column for name in self.given] + [f.column for f in rest]
        now = timezone.now()
        self.constants = tuple(self._const(f, now) for f in rest)
        self.postgres = connection.vendor == "postgresql"
        kinds = [fields[name] for name in self.given]
        self.times = [i for i, f in enumerate(kinds) if isinstance(f, models.DateTimeField)]
        self.rows: list[tuple] = []
        self.count = 0

    def _const(self, f: models.Field, now: dt.datetime) -> Any:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value: Any = now
        elif f.has_default() or (not f.null and f.empty_strings_allowed):
            value = f.get_default()  # "" for text fields without a default
        elif f.null:
            value = None
        else:
            raise ValueError(f"{self.model.__name__}.{f.attname} needs a value")
        if isinstance(f, models.JSONField):
            return json.dumps(value)
        if isinstance(f, models.DateTimeField) and value is not None:
            return value if connection.vendor == "postgresql" else _naive(value)
        return f.get_db_prep_save(value, connection)

    def add(self, *row: Any) -> None:
        if self.times and not self.postgres:
            row = tuple(_naive(v) if i in self.times and v is not None else v for i, v in enumerate(row))
        self.rows.append(row + self.constants)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", self.rows)
        self.count += len(self.rows)
        self.rows = []


def _naive(value: dt.datetime) -> str:
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), LOCAL)


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))


def _add_months(d: dt.date, months: int) -> dt.date:
    m = d.month - 1 + months
    return _month_end(d.year + m // 12, m % 12 + 1)


def _fast_calendar(today: dt.date) -> WorkCalendar:
    """The calendar in force with every day of ten years spelt out as an override: the same answers, from a
    set lookup instead of the holiday library's per-call validation (a hundred thousand calls here)."""
    base = work_calendar()
    days = [today + dt.timedelta(days=n) for n in range(-6 * 366, 4 * 366)]
    work = [d for d in days if base.is_workday(d)]
    return WorkCalendar.with_overrides(holidays=set(days) - set(work), workdays=work)


def _pick(total: int, wanted: int) -> Callable[[int], bool]:
    """Exactly ``wanted`` of ``total`` candidates, spread evenly: candidate i is taken when the running
    share crosses an integer."""
    return lambda i: (i + 1) * wanted // total > i * wanted // total if total else False


class Generator:
    def __init__(self, scale: Scale, seed: int, today: dt.date, log: Callable[[str], None]) -> None:
        self.scale, self.seed, self.today, self.log = scale, seed, today, log
        self.rng = random.Random(seed)
        self.calendar = _fast_calendar(today)
        self.timings: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    def _step(self, name: str, fn: Callable[[], int]) -> None:
        began = time.monotonic()
        count = fn()
        self.timings[name] = time.monotonic() - began
        self.counts[name] = count
        self.log(f"  {name:<12} {count:>9,} rows  {self.timings[name]:6.1f} s")

    def run(self) -> dict[str, Any]:
        began = time.monotonic()
        with transaction.atomic():
            self.batch = self._batch_tag()
            self._step("units", self.units)
            self._step("users", self.users)
            self._step("documents", self.documents)
            self._step("tasks", self.tasks)
            self._step("reports", self.reports)
            self._step("task rows", self.statuses)
            self._step("letters", self.letters)
            self._reset_sequences()
            first = SourceDocument.objects.get(pk=self.doc_ids[0])
            audit.record(None, "demo.generate", first, summary=f"duban gen {self.scale.level} seed {self.seed}",
                         after={"scale": self.scale.__dict__, "seed": self.seed, "counts": self.counts})
        self.timings["total"] = time.monotonic() - began
        return {"counts": self.counts, "timings": self.timings, "prefix": self.batch}

    def _batch_tag(self) -> str:
        """'gen-' for the first run in a database, 'gen2-' … for later forced runs (names stay unique)."""
        n = 1
        while User.objects.filter(username__startswith=f"gen{n if n > 1 else ''}-").exists():
            n += 1
        return f"gen{n if n > 1 else ''}-"

    # ---- units ---------------------------------------------------------------------------------------

    def _places(self, count: int, suffix: str, taken: set[str]) -> list[str]:
        found = []
        while len(found) < count:
            name = "".join(self.rng.sample(PLACE_CHARS, 2)) + suffix
            if name not in taken:
                taken.add(name)
                found.append(name)
        return found

    def _unit_specs(self) -> list[tuple[str, str, str, int | None]]:
        """(name, short name, kind, parent index) in the order a directory lists them, top level first."""
        taken: set[str] = set()
        tag = "" if self.batch == "gen-" else self.batch[3:-1]
        out: list[tuple[str, str, str, int | None]] = []
        level = self.scale.level
        top = self._places(1, {"province": "省", "city": "市", "district": "区"}[level], taken)[0] + tag
        prefix = {"province": "省", "city": "市", "district": "区"}[level]
        out.append((f"{top}人民政府", f"{prefix}政府", Unit.Kind.GOVERNMENT, None))
        small = self.scale.units < 200
        for prov, local, stem in DEPARTMENTS[: max(4, self.scale.units * 2 // 3 - 1)] if small else DEPARTMENTS:
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
        while len(out) < self.scale.units:
            if level == "district":
                for place in self._places(1, "", taken):
                    suffix = self.rng.choice(["街道办事处", "镇人民政府"])
                    out.append((f"{top}{place}{suffix}", f"{place}{suffix[:2] if suffix[0] == '街' else '镇'}",
                                Unit.Kind.STREET, 0))
                continue
            place = self._places(1, below[0], taken)[0] + tag
            gov = len(out)
            out.append((f"{place}人民政府", "", Unit.Kind.GOVERNMENT, 0))
            for prov, local, stem in DEPARTMENTS[:24]:
                out.append((f"{place}{local}", "", Unit.Kind.DEPARTMENT, gov))
            for county in self._places(4 if level == "province" else 6, "县" if level == "province" else "镇",
                                       taken):
                sub = len(out)
                if level == "province":
                    out.append((f"{place}{county}人民政府", "", Unit.Kind.GOVERNMENT, gov))
                    for prov, local, stem in DEPARTMENTS[:14]:
                        out.append((f"{place}{county}{local}", "", Unit.Kind.DEPARTMENT, sub))
                    for town in self._places(6, "", taken):
                        out.append((f"{place}{county}{town}{self.rng.choice(['镇人民政府', '乡人民政府', '街道办事处'])}",
                                    "", Unit.Kind.STREET, sub))
                else:
                    out.append((f"{place}{county}人民政府", "", Unit.Kind.STREET, gov))
        return out[: self.scale.units]

    def units(self) -> int:
        specs = self._unit_specs()
        first = _next_id(Unit)
        self.unit_ids = list(range(first, first + len(specs)))
        w = Writer(Unit, ["id", "name", "short_name", "kind", "parent_id", "requires_head_approval", "active"])
        aliases = Writer(UnitAlias, ["id", "unit_id", "name", "key"])
        keys = set(UnitAlias.objects.values_list("key", flat=True))
        alias_id = _next_id(UnitAlias)
        self.head_approval = set()
        for i, (name, short, kind, parent) in enumerate(specs):
            approval = i % 10 == 3
            if approval:
                self.head_approval.add(first + i)
            w.add(first + i, name, short, kind, None if parent is None else first + parent, approval, True)
            for alias in (name, short):
                key = normalise_name(alias) if alias else ""
                if key and key not in keys:
                    keys.add(key)
                    aliases.add(alias_id, first + i, alias, key)
                    alias_id += 1
        w.flush()
        aliases.flush()
        self.unit_names = [s[1] or s[0] for s in specs]
        return w.count

    # ---- users ---------------------------------------------------------------------------------------

    def users(self) -> int:
        hashed = make_password(PASSWORD)  # once: hashing thousands of times would take minutes
        now = timezone.now()
        w = Writer(User, ["id", "username", "password", "role", "unit_id", "display_name", "title", "areas",
                          "is_staff", "is_superuser", "password_changed_at", "date_joined", "is_active"])
        uid = _next_id(User)
        b = self.batch
        office = self.unit_ids[0]
        self.supervisors, self.leaders, self.liaison, self.head = [], {}, {}, {}
        w.add(uid, f"{b}admin", hashed, Role.ADMIN, office, "系统管理员", "信息中心", "[]", True, True, now, now, True)
        uid += 1
        for n in range(1, self.scale.supervisors + 1):
            w.add(uid, f"{b}supervisor{n}", hashed, Role.SUPERVISOR, office, f"督查员{n}", "督查室", "[]",
                  False, False, now, now, True)
            self.supervisors.append(uid)
            uid += 1
        titles = {"province": "副省长", "city": "副市长", "district": "副区长"}[self.scale.level]
        for n in range(4):
            areas = AREAS[2 * n: 2 * n + 2]
            w.add(uid, f"{b}leader{n + 1}", hashed, Role.LEADER, None, f"{'赵钱孙李'[n]}{titles}", titles,
                  json.dumps(areas, ensure_ascii=False), False, False, now, now, True)
            for area in areas:
                self.leaders[area] = uid
            uid += 1
        for i, unit in enumerate(self.unit_ids):
            w.add(uid, f"{b}u{i + 1:04d}", hashed, Role.LIAISON, unit, f"{self.unit_names[i]}联络员", "办公室", "[]",
                  False, False, now, now, True)
            self.liaison[unit] = uid
            w.add(uid + 1, f"{b}h{i + 1:04d}", hashed, Role.UNIT_HEAD, unit, f"{self.unit_names[i]}负责人", "主要负责人",
                  "[]", False, False, now, now, True)
            self.head[unit] = uid + 1
            uid += 2
        w.flush()
        return w.count

    # ---- documents and the task tree -----------------------------------------------------------------

    def documents(self) -> int:
        w = Writer(SourceDocument, ["id", "kind", "title", "issuer", "date", "cadence", "report_due_day", "text"])
        first = _next_id(SourceDocument)
        self.doc_ids, self.doc_dates = [], []
        top = self.unit_names[0].removesuffix("政府")
        kinds = [SourceDocument.Kind.DECOMPOSITION, SourceDocument.Kind.WORK_REPORT,
                 SourceDocument.Kind.MEETING_DECISION, SourceDocument.Kind.LEADER_INSTRUCTION]
        for n in range(self.scale.documents):
            date = self.today - dt.timedelta(days=150 + (n * 397) % 600)
            title = (f"{date.year}年《政府工作报告》重点任务分解方案" if n % 4 == 0
                     else f"{date.year}年第{n}号重点工作督办事项清单")
            w.add(first + n, kinds[n % 4], f"{title}({n + 1})", f"{top}政府办公室", date, "monthly", 5, "")
            self.doc_ids.append(first + n)
            self.doc_dates.append(date)
        w.flush()
        return w.count

    def tasks(self) -> int:
        scale, rng = self.scale, self.rng
        tasks = Writer(Task, ["id", "parent_id", "path", "depth", "kind", "number", "heading", "text", "leader_id",
                              "owner", "deadline", "deadline_text", "cadence", "report_due_day", "start_date",
                              "priority", "area", "status", "ongoing", "source_id", "source_location",
                              "dispatch_state", "dispatched_at", "ack_due", "acknowledged_at",
                              "acknowledged_by_id", "light", "status_reason", "schedule_share"])
        links = Writer(TaskUnit, ["id", "task_id", "unit_id", "role", "order"])
        indicators = Writer(Indicator, ["id", "task_id", "name", "target", "unit_of_measure", "direction", "text"])
        milestones = Writer(Milestone, ["id", "task_id", "title", "due", "done_on"])
        task_id, link_id, ind_id, ms_id = _next_id(Task), _next_id(TaskUnit), _next_id(Indicator), _next_id(Milestone)
        last_root = Task.objects.filter(depth=0).aggregate(m=Max("path"))["m"]
        root_pos = int(last_root) if last_root else 0
        self.plans: list[Plan] = []
        self.indicators: dict[int, tuple[int, float]] = {}  # task -> (indicator id, target)
        n_units = len(self.unit_ids)
        per_doc = [scale.tasks // scale.documents + (1 if d < scale.tasks % scale.documents else 0)
                   for d in range(scale.documents)]
        for d, quota in enumerate(per_doc):
            doc_id, doc_date = self.doc_ids[d], self.doc_dates[d]
            sections = min(8, max(2, quota // 40))
            subs = min(6, max(1, quota // (sections * 8)))
            slots = sections * subs
            made, number = 0, 0
            for s in range(sections):
                area = AREAS[(s + d) % len(AREAS)]
                root_pos += 1
                s_path = str(root_pos).zfill(PATH_STEP)
                s_id = task_id
                task_id += 1
                tasks.add(s_id, None, s_path, 0, Task.Kind.SECTION, NUMERALS[s], f"{area}方面", "", None, "", None,
                          "", "", None, None, 0, area, Task.Status.NOT_STARTED, False, doc_id, f"第{s + 1}部分",
                          Task.Dispatch.DRAFT, None, None, None, None, Task.Light.GREY, "", None)
                for u in range(subs):
                    slot = s * subs + u
                    want = (quota * (slot + 1)) // slots - (quota * slot) // slots
                    sub_path = f"{s_path}.{str(u + 1).zfill(PATH_STEP)}"
                    sub_id = task_id
                    task_id += 1
                    project = PROJECTS[area][u % len(PROJECTS[area])]
                    tasks.add(sub_id, s_id, sub_path, 1, Task.Kind.SUBSECTION, NUMERALS[u % 10], f"推进{project}",
                              "", None, "", None, "", "", None, None, 0, area, Task.Status.NOT_STARTED, False,
                              doc_id, "", Task.Dispatch.DRAFT, None, None, None, None, Task.Light.GREY, "", None)
                    pos, left = 0, want
                    while left > 0:
                        pos += 1
                        number += 1
                        n_sub = rng.choice((2, 3)) if left >= 4 and rng.random() < 0.12 else 0
                        parent_path = f"{sub_path}.{str(pos).zfill(PATH_STEP)}"
                        parent_id = task_id
                        items = [(parent_id, sub_id, parent_path, 2, Task.Kind.TASK, str(number))]
                        task_id += 1
                        for k in range(n_sub):
                            items.append((task_id, parent_id, f"{parent_path}.{str(k + 1).zfill(PATH_STEP)}", 3,
                                          Task.Kind.SUBTASK, str(k + 1)))
                            task_id += 1
                        for tid, parent, path, depth, kind, num in items:
                            plan = self._plan(tid, doc_id, doc_date, area, n_units)
                            ids = self._write_task(tasks, plan, parent, path, depth, kind, num, project)
                            for order, unit in enumerate([plan.lead, *plan.supports]):
                                links.add(link_id, tid, unit, "lead" if order == 0 else "support", order)
                                link_id += 1
                            if ids.get("indicator"):
                                name, target, uom = ids["indicator"]
                                indicators.add(ind_id, tid, name, target, uom, ">=", f"{name}{target}{uom}")
                                self.indicators[tid] = (ind_id, float(target))
                                ind_id += 1
                            for title, due, done_on in ids.get("milestones", ()):
                                milestones.add(ms_id, tid, title, due, done_on)
                                ms_id += 1
                            made += 1
                        left -= len(items)
            self.log(f"    document {d + 1}/{scale.documents}: {made} tasks")
        for w in (links, indicators, milestones):
            w.flush()
        self.task_writer = tasks  # the tasks themselves are written once their reports are known
        self.counts["task_units"] = links.count
        self.counts["indicators"] = indicators.count
        self.counts["milestones"] = milestones.count
        return len(self.plans)

    def _plan(self, tid: int, doc: int, doc_date: dt.date, area: str, n_units: int) -> Plan:
        rng = self.rng
        start = doc_date + dt.timedelta(days=15)
        deadline = _add_months(start, rng.choice((8, 11, 14, 17, 20, 23, 29)))
        # A few units lead many tasks (发改委, 住建 …), most lead a few: a skewed pick.
        lead = self.unit_ids[int(n_units * rng.random() ** 2)]
        supports = list({self.unit_ids[rng.randrange(n_units)] for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4)))} - {lead})
        if deadline < self.today:
            fate = "ongoing" if rng.random() < 0.15 else ("done" if rng.random() < 0.75 else "overdue")
        else:
            r = rng.random()
            fate = ("idle" if r < 0.03 else "suspended" if r < 0.04 else "behind" if r < 0.22
                    else "ahead" if r < 0.37 else "on")
        plan = Plan(tid, doc, area, start, deadline, "quarterly" if rng.random() < 0.2 else "monthly", lead,
                    supports, fate)
        rule = rules.CadenceRule(rules.Cadence(plan.cadence), due_day=5)
        plan.periods = [p for p in rules.periods(rule, start, deadline, self.calendar) if p.start <= self.today]
        plan.reporters = 1 + len(supports)
        self.plans.append(plan)
        return plan

    def _write_task(self, w: Writer, plan: Plan, parent: int, path: str, depth: int, kind: str, number: str,
                    project: str) -> dict[str, Any]:
        rng = self.rng
        extra: dict[str, Any] = {}
        verb = rng.choice(VERBS)
        place = self.unit_names[self.unit_ids.index(plan.lead)] if len(self.unit_ids) < 300 else ""
        uom, lo, hi = rng.choice(MEASURES)
        amount = rng.randint(lo, hi)
        text = f"{verb}{project}{'工作' if kind == Task.Kind.TASK else '专项行动'},全年完成{amount}{uom}。{place}".strip()
        if rng.random() < 0.15:
            extra["indicator"] = (project, amount, uom)
        ms: list[tuple[str, dt.date, dt.date | None]] = []
        if rng.random() < 0.25:
            for q in range(1, 4):
                due = _add_months(plan.start, q * 3)
                if due >= plan.deadline:
                    break
                reached = due <= self.today and plan.fate != "behind"
                ms.append((f"第{q}阶段:完成{project}{q * 25}%", due, due - dt.timedelta(days=3) if reached else None))
            extra["milestones"] = ms
        plan.milestones = ms
        plan.extra = extra
        long_term = plan.fate == "ongoing"
        deadline_text = "长期坚持" if long_term else f"{plan.deadline.year}年{plan.deadline.month}月底前"
        dispatched = _at(self.calendar.next_workday(plan.start), 9)
        fresh = plan.fate != "idle" and rng.random() < 0.01  # still to acknowledge
        ack_due = self.calendar.add_workdays(dispatched.date(), 3)
        acked = None if fresh else _at(self.calendar.add_workdays(dispatched.date(), 1), 15)
        plan.row = (plan.id, parent, path, depth, kind, number, "", text,
                    self.leaders.get(plan.area), f"{rng.choice('张王李赵刘陈杨黄')}{rng.choice(['处长', '科长', '局长'])}",
                    plan.deadline, deadline_text, plan.cadence, 5, plan.start, 1 if rng.random() < 0.1 else 0,
                    plan.area, plan.doc, f"第{number}项",
                    Task.Dispatch.DISPATCHED if fresh else Task.Dispatch.ACKNOWLEDGED, dispatched, ack_due, acked,
                    None if fresh else self.liaison[plan.lead])
        return extra

    def statuses(self) -> int:
        """Judge each task on its generated reports and write it (the headings went first)."""
        w = self.task_writer
        for plan in self.plans:
            self._judge(plan)
            (pid, parent, path, depth, kind, number, heading, text, leader, owner, deadline, dtext, cad, due_day,
             start, prio, area, doc, loc, dispatch, dispatched_at, ack_due, acked_at, acked_by) = plan.row
            w.add(pid, parent, path, depth, kind, number, heading, text, leader, owner, deadline, dtext, cad, due_day,
                  start, prio, area, plan.status, plan.ongoing, doc, loc, dispatch, dispatched_at, ack_due, acked_at,
                  acked_by, plan.light, plan.reason, plan.share)
        w.flush()
        return w.count

    # ---- the percent trajectory and the status engine's verdict --------------------------------------

    def _percent(self, plan: Plan, on: dt.date) -> int:
        t = schedule.schedule_share(plan.start, plan.deadline, min(on, plan.deadline))
        # "on" is a little above 序时进度, so rounding never tips it into 滞后.
        factor = {"ahead": 1.25, "behind": 0.6, "overdue": 0.8, "done": 1.0, "ongoing": 1.0}.get(plan.fate, 1.04)
        if plan.fate in ("done", "ongoing") and on >= plan.deadline - dt.timedelta(days=31):
            return 100
        return max(1, min(100, round(t * 100 * factor)))

    def _judge(self, plan: Plan) -> None:
        """Status, light, reason and 序时进度 exactly as the engine gives them for the generated facts."""
        percent = plan.latest_percent
        ind = plan.extra.get("indicator")
        indicators: tuple[schedule.IndicatorState, ...] = ()
        if ind:
            target = float(ind[1])
            actual = round(target * percent / 100, 2) if percent is not None else None
            indicators = (schedule.IndicatorState(target=target, actual=actual, name=ind[0]),)
        facts = schedule.TaskFacts(
            today=self.today, start=plan.start, end=plan.deadline, deadline=plan.deadline,
            suspended=plan.fate == "suspended", done=plan.fate in ("done", "ongoing"), ongoing=plan.fate == "ongoing",
            indicators=indicators,
            milestones=tuple(schedule.MilestoneState(due=due, reached=done) for _, due, done in plan.milestones),
            percent=None if percent is None else float(percent), report_as_of=plan.latest_end,
            has_report=plan.has_report)
        result = schedule.evaluate(facts, calendar=self.calendar)
        plan.status = STATUS_FROM_ENGINE[result.status]
        plan.ongoing = result.status == schedule.Status.DONE_ONGOING
        plan.light = result.light.value
        plan.reason = result.reason[:200]
        plan.share = round(result.schedule_share, 4)

    # ---- periods, reports --------------------------------------------------------------------------

    def reports(self) -> int:
        rng = random.Random(self.seed * 7 + 1)
        periods = Writer(ReportingPeriod, ["id", "task_id", "key", "start", "end", "due"])
        reports = Writer(ProgressReport, [
            "id", "task_id", "period_id", "unit_id", "period_start", "period_end", "progress", "next_steps",
            "percent", "indicator_actuals", "state", "submitted_by_id", "submitted_at", "late", "returned_count",
            "review_note", "reviewed_by_id", "reviewed_at", "approved_by_id", "created_at"])
        revisions = Writer(ReportRevision, ["id", "report_id", "state", "content", "note", "actor_id", "at"])
        pid, rid, vid = _next_id(ReportingPeriod), _next_id(ProgressReport), _next_id(ReportRevision)
        # The lead unit reports every finished period, except the latest one for a few open tasks (the ladder
        # urges those); the supporting units' reports make up the rest of the count.
        def finished(plan: Plan) -> list[rules.Period]:
            return [p for p in plan.periods if p.end < self.today] if plan.fate != "idle" else []

        def skips_last(n: int, plan: Plan) -> bool:
            return n % 13 == 4 and plan.fate not in ("done", "ongoing")

        lead_total = sum(len(finished(plan)) - (1 if finished(plan) and skips_last(n, plan) else 0)
                         for n, plan in enumerate(self.plans))
        support_total = sum(len(finished(plan)) * len(plan.supports) for plan in self.plans)
        want = self.scale.reports
        if lead_total + support_total < want:
            self.log(f"    only {lead_total + support_total} report slots for {want} reports: writing all")
        take_lead = _pick(lead_total, min(lead_total, want))
        take_support = _pick(support_total, max(0, min(support_total, want - lead_total)))
        lead_index = support_index = 0
        self.missing: dict[int, list[rules.Period]] = {}
        self.period_ids: dict[tuple[int, str], int] = {}
        for position, plan in enumerate(self.plans):
            done = finished(plan)
            for p in plan.periods:
                periods.add(pid, plan.id, p.key, p.start, p.end, p.due)
                self.period_ids[(plan.id, p.key)] = pid
                pid += 1
            if plan.fate == "idle":
                continue
            ind = self.indicators.get(plan.id)
            for n, p in enumerate(done):
                last = n == len(done) - 1
                percent = self._percent(plan, p.end)
                actuals = json.dumps({str(ind[0]): round(ind[1] * percent / 100, 2)}) if ind else "{}"
                for k, unit in enumerate([plan.lead, *plan.supports]):
                    if k == 0 and last and skips_last(position, plan):
                        chosen = False
                    elif k == 0:
                        chosen = take_lead(lead_index)
                        lead_index += 1
                    else:
                        chosen = take_support(support_index)
                        support_index += 1
                    if not chosen:
                        if k == 0:
                            self.missing.setdefault(plan.id, []).append(p)
                        continue
                    r = rng.random()
                    if last and plan.fate not in ("done", "ongoing"):
                        state = ("accepted" if r < 0.55 else "submitted" if r < 0.8 else "draft" if r < 0.88
                                 else "returned" if r < 0.95 else "pending_approval")
                    else:
                        state = "accepted"  # older returns were corrected and accepted long ago
                    if state == "pending_approval" and unit not in self.head_approval:
                        state = "submitted"
                    late = state != "draft" and rng.random() < 0.08
                    sent_day = p.due + dt.timedelta(days=rng.randint(1, 6)) if late else \
                        max(p.end - dt.timedelta(days=rng.randint(0, 3)), p.start)
                    sent_day = min(sent_day, self.today)
                    sent = _at(sent_day, 9 + rng.randint(0, 8), rng.randint(0, 59))
                    reviewed = state in ("accepted", "returned")
                    review_at = _at(min(sent_day + dt.timedelta(days=1), self.today), 16) if reviewed else None
                    if review_at is not None and review_at < sent:
                        review_at = sent + dt.timedelta(hours=1)
                    reviewer = self.supervisors[rid % len(self.supervisors)] if reviewed else None
                    note = "请补充具体工程量和资金到位情况。" if state == "returned" else ""
                    liaison = self.liaison[unit]
                    reports.add(
                        rid, plan.id, self.period_ids[(plan.id, p.key)], unit, p.start, p.end,
                        _progress_text(p.key, percent, rng), "按计划推进,确保按期完成。", percent, actuals, state,
                        None if state == "draft" else liaison, None if state == "draft" else sent, late,
                        1 if state == "returned" else 0, note, reviewer, review_at,
                        self.head[unit] if state in ("accepted", "submitted", "returned") and unit in self.head_approval
                        else None, sent)
                    if state == "accepted" and (plan.latest_end is None or p.end > plan.latest_end):
                        plan.latest_end, plan.latest_percent = p.end, percent
                    plan.has_report = plan.has_report or state != "draft"
                    if state == "returned":
                        revisions.add(vid, rid, "submitted", "{}", "", liaison, sent)
                        revisions.add(vid + 1, rid, "returned", "{}", note, reviewer, review_at)
                        vid += 2
                    rid += 1
        for w in (periods, reports, revisions):
            w.flush()
        self.counts["periods"] = periods.count
        self.counts["revisions"] = revisions.count
        return reports.count

    # ---- letters -----------------------------------------------------------------------------------

    def _letter_events(self, plan: Plan) -> tuple[list[tuple], list[tuple]]:
        """(escalations and urges, reminders) the ladder would have issued: (issued on, kind, level, key)."""
        main, reminders = [], []
        for p in plan.periods:
            if p.due < self.today:
                reminders.append((self.calendar.add_workdays(p.due, -3), "reminder", "", p.key,
                                  f"{p.key}进展将于{p.due.month}月{p.due.day}日到期"))
        for p in self.missing.get(plan.id, ()):
            on = self.calendar.add_workdays(p.due, 1)
            if on <= self.today:
                main.append((on, "urge", "", p.key, f"{p.key}进展逾期未报送"))
                on = self.calendar.add_workdays(p.due, 5)
                if on <= self.today:
                    main.append((on, "escalate", "yellow", p.key, f"{p.key}进展逾期 5 个工作日未报送"))
        dkey = ladder.deadline_period_key(plan.deadline)
        if plan.status not in (Task.Status.DONE, Task.Status.SUSPENDED):
            on = self.calendar.add_workdays(plan.deadline, -5)
            if on <= self.today:
                main.append((on, "escalate", "blue", dkey, "距完成时限不足 5 个工作日"))
        if plan.status == Task.Status.OVERDUE:
            on = self.calendar.add_workdays(plan.deadline, 5)
            if on <= self.today:
                main.append((on, "escalate", "red", dkey, f"逾期 5 个工作日(完成时限 {plan.deadline})"))
        return main, reminders

    def letters(self) -> int:
        rng = random.Random(self.seed * 7 + 2)
        events = [(plan, self._letter_events(plan)) for plan in self.plans if plan.fate != "idle"]
        n_main = sum(len(m) for _, (m, _) in events)
        n_rem = sum(len(r) for _, (_, r) in events)
        want = self.scale.letters
        take_main = _pick(n_main, min(n_main, want))
        take_rem = _pick(n_rem, max(0, min(n_rem, want - n_main)))
        chosen: list[tuple] = []
        i = j = 0
        for plan, (main, rem) in events:
            for ev in main:
                if take_main(i):
                    chosen.append((plan, *ev))
                i += 1
            for ev in rem:
                if take_rem(j):
                    chosen.append((plan, *ev))
                j += 1
        chosen.sort(key=lambda c: (c[1], c[0].id))
        counters = {(c.prefix, c.year): c.value for c in LetterCounter.objects.all()}
        taken = set(Letter.objects.values_list("event_key", flat=True)) if Letter.objects.exists() else set()
        w = Writer(Letter, ["id", "task_id", "unit_id", "event_key", "period_key", "kind", "level", "prefix", "year",
                            "seq", "number", "addressee_role", "title", "body", "reason", "issued_on",
                            "acknowledged_at", "acknowledged_by_id", "response", "created_at"])
        through = Writer(Letter.addressees.through, ["id", "letter_id", "user_id"])
        lid, aid = _next_id(Letter), _next_id(Letter.addressees.through)
        titles = {"reminder": "提示函", "urge": "催办函", "blue": "督办单(蓝)", "yellow": "督办单(黄)", "red": "督办单(红)"}
        prefixes = {"reminder": "提示", "urge": "催办", "escalate": "督办"}
        for plan, on, kind, level, key, reason in chosen:
            event_key = f"{plan.id}:{key}:default:{kind}:{level or 'none'}"
            if event_key in taken:
                continue
            prefix = prefixes[kind]
            seq = counters.get((prefix, on.year), 0) + 1
            counters[(prefix, on.year)] = seq
            role = {"yellow": Role.UNIT_HEAD, "red": Role.LEADER}.get(level, Role.LIAISON)
            to = (self.leaders.get(plan.area) if role == Role.LEADER else
                  self.head[plan.lead] if role == Role.UNIT_HEAD else self.liaison[plan.lead])
            acked = on < self.today - dt.timedelta(days=10) and rng.random() < 0.97
            title = titles[level or kind]
            w.add(lid, plan.id, plan.lead, event_key, key, kind, level, prefix, on.year, seq,
                  ladder.letter_number(prefix, on.year, seq), role, f"关于第{plan.row[5]}项任务的{title}",
                  f"{self.unit_names[self.unit_ids.index(plan.lead)] if len(self.unit_ids) < 300 else '你单位'}:"
                  f"{reason},请抓紧办理并及时反馈。", reason, on,
                  _at(on + dt.timedelta(days=rng.randint(1, 3)), 11) if acked else None,
                  (to or self.liaison[plan.lead]) if acked else None, "已收悉,正在抓紧推进。" if acked else "",
                  _at(on, 8))
            if to:
                through.add(aid, lid, to)
                aid += 1
            lid += 1
        w.flush()
        through.flush()
        for (prefix, year), value in counters.items():
            LetterCounter.objects.update_or_create(prefix=prefix, year=year, defaults={"value": value})
        return w.count

    def _reset_sequences(self) -> None:
        if connection.vendor != "postgresql":
            return
        tables = [Unit, UnitAlias, User, SourceDocument, Task, TaskUnit, Indicator, Milestone, ReportingPeriod,
                  ProgressReport, ReportRevision, Letter, Letter.addressees.through]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), tables):
                cursor.execute(sql)


def generate(scale: str | Scale, seed: int = 1, today: dt.date | None = None,
             log: Callable[[str], None] = lambda line: None) -> dict[str, Any]:
    """Fill the database with one synthetic government's work at ``scale``; returns counts and timings."""
    spec = SCALES[scale] if isinstance(scale, str) else scale
    return Generator(spec, seed, today or timezone.localdate(), log).run()


def has_tasks() -> bool:
    return Task.objects.exists()


def analyse() -> None:
    """Fresh planner statistics and visibility maps after a bulk load, so the planner knows the new row counts
    and index-only scans need not visit the rows (PostgreSQL; SQLite gathers statistics with ANALYZE)."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block  # VACUUM refuses transactions
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


