from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from duban.core.models import ActivityLog
from duban.imports.models import ImportDraft
from duban.tasks.models import SourceDocument, Task
from duban.units.services import find_unit


def _upload(client, text: str, name: str = "plan.txt"):  # noqa: ANN001, ANN202
    return client.post("/imports/", {"file": SimpleUploadedFile(name, text.encode("utf-8"))})


def test_upload_preview_correct_and_confirm(login, plan_text: str) -> None:
    c = login("supervisor")
    response = _upload(c, plan_text)
    draft = ImportDraft.objects.get()
    assert response.status_code == 302 and response.url == f"/imports/{draft.pk}/"
    page = c.get(response.url).content.decode()
    assert page.count('class="import-row') == 4
    assert "区图书馆 · 新单位" in page  # unknown to the directory: proposed as new
    assert "区市场监督管理局 ≈ 区市场监管局" in page  # another spelling of a known unit
    assert "各街道 · 单位集合 (6)" in page  # a collective name: the district's six streets and towns
    assert "区人社局" in page and "text-bg-success" in page

    task_count = Task.objects.actionable().count()
    form = {"version": draft.version, "action": "apply"}
    for i, item in enumerate(draft.parsed["tasks"]):
        form |= {f"t-{i}-text": item["text"], f"t-{i}-lead": "、".join(item["lead_units"]),
                 f"t-{i}-support": "、".join(item["support_units"]), f"t-{i}-deadline": item["deadline"] or "",
                 f"t-{i}-include": "on"}
    form["t-3-lead"] = "区文广新旅局"  # the supervisor corrects the unit to the directory's name
    del form["t-1-include"]  # and leaves task 2 out
    response = c.post(f"/imports/{draft.pk}/", form)
    assert response.status_code == 302, response.content.decode()[:500]
    assert Task.objects.actionable().count() == task_count + 3
    source = SourceDocument.objects.get(drafts=draft)
    books = source.tasks.get(number="4")
    assert books.lead_units == [find_unit("区文广新旅局")]
    assert not source.tasks.filter(number="2").exists()
    jobs = source.tasks.with_units().get(number="1")
    assert jobs.deadline.isoformat() == "2026-12-31"
    assert [u.display_name for u in jobs.lead_units] == ["区人社局"]
    assert [u.display_name for u in jobs.support_units][:2] == ["区发改委", "区市场监管局"]
    assert len(jobs.support_units) == 2 + 6
    assert find_unit("区市场监督管理局") == find_unit("区市场监管局")  # the new spelling is remembered
    assert find_unit("各街道") is None
    assert ActivityLog.objects.filter(action="import.apply", object_id=str(draft.pk)).exists()
    draft.refresh_from_db()
    assert draft.state == ImportDraft.State.APPLIED
    # a second confirmation of the same draft does nothing
    assert c.post(f"/imports/{draft.pk}/", form).status_code == 200
    assert Task.objects.actionable().count() == task_count + 3


def _confirm_all(c, draft: ImportDraft):  # noqa: ANN001, ANN202
    return c.post(f"/imports/{draft.pk}/", {"version": draft.version, "action": "apply"})


def test_same_document_again_changes_nothing(login, plan_text: str) -> None:
    c = login("supervisor")
    _upload(c, plan_text)
    _confirm_all(c, ImportDraft.objects.get())
    count = Task.objects.count()
    _upload(c, plan_text)
    again = ImportDraft.objects.latest("created_at")
    assert again.previous is not None
    page = c.get(f"/imports/{again.pk}/").content.decode()
    assert page.count(">未变化</span>") == 4
    _confirm_all(c, again)
    assert Task.objects.count() == count


def test_revised_document_updates_instead_of_duplicating(login, plan_text: str) -> None:
    c = login("supervisor")
    _upload(c, plan_text)
    _confirm_all(c, ImportDraft.objects.get())
    source = SourceDocument.objects.latest("created_at")
    revised = plan_text.replace("2026年10月底", "2026年11月底") + "5.建成口袋公园10个。\n牵头单位:区城管局\n完成时限:年底前\n"
    _upload(c, revised, "plan-v2.txt")
    draft = ImportDraft.objects.latest("created_at")
    assert draft.previous == source
    page = c.get(f"/imports/{draft.pk}/").content.decode()
    assert page.count(">已变化</span>") == 1 and page.count(">新增</span>") == 1
    _confirm_all(c, draft)
    assert source.tasks.actionable().count() == 5
    assert source.tasks.get(number="3").deadline.isoformat() == "2026-11-30"
    assert ActivityLog.objects.filter(action="task.update", object_id=str(source.tasks.get(number="3").pk)).exists()


def test_discard_imports_nothing(login, plan_text: str) -> None:
    c = login("supervisor")
    _upload(c, plan_text)
    draft = ImportDraft.objects.get()
    count = Task.objects.count()
    c.post(f"/imports/{draft.pk}/", {"version": draft.version, "action": "discard"})
    draft.refresh_from_db()
    assert draft.state == ImportDraft.State.DISCARDED and Task.objects.count() == count


def test_stale_confirmation_is_refused(login, plan_text: str) -> None:
    c = login("supervisor")
    _upload(c, plan_text)
    draft = ImportDraft.objects.get()
    old = draft.version
    c.post(f"/imports/{draft.pk}/", {"version": old, "action": "save"})
    response = c.post(f"/imports/{draft.pk}/", {"version": old, "action": "apply"})
    assert "已被他人修改或确认" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == ImportDraft.State.PREVIEW


def test_preview_queries_do_not_grow_with_tasks(login, plan_text: str, django_assert_num_queries) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = login("supervisor")
    _upload(c, plan_text)
    small = ImportDraft.objects.get()
    big_text = plan_text + "".join(f"{n}.任务{n}。\n牵头单位:区住建局\n" for n in range(5, 45))
    _upload(c, big_text, "big.txt")
    big = ImportDraft.objects.latest("created_at")
    assert len(big.parsed["tasks"]) == 44
    with CaptureQueriesContext(connection) as first:
        c.get(f"/imports/{small.pk}/")
    with django_assert_num_queries(len(first.captured_queries)):
        c.get(f"/imports/{big.pk}/")


def test_stored_file_has_a_random_name(login, plan_text: str) -> None:
    c = login("supervisor")
    c.post("/imports/", {"file": SimpleUploadedFile("../../etc/passwd.txt", plan_text.encode())})
    draft = ImportDraft.objects.get()
    assert draft.filename == "passwd.txt"
    assert "passwd" not in draft.file.name and draft.file.name.startswith("imports/")
    assert io.BytesIO(draft.file.read()).read().decode() == plan_text


def test_a_task_without_unit_gets_suggestions_never_an_assignment(login) -> None:
    c = login("supervisor")
    text = ("关于印发2026年城建重点工作分解方案的通知\n一、城市建设\n1.加快停车场和停车泊位建设,缓解停车难。\n"
            "完成时限:2026年12月底\n2.推进城区道路白改黑工程。\n完成时限:2026年10月底\n")
    c.post("/imports/", {"file": SimpleUploadedFile("no-units.txt", text.encode())})
    draft = ImportDraft.objects.get()
    assert all(not t["lead_units"] for t in draft.parsed["tasks"])
    page = c.get(f"/imports/{draft.pk}/").content.decode()
    assert "建议牵头单位" in page and 'data-value="区住建局"' in page
    assert page.count("缺少牵头单位") == 2
