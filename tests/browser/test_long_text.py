"""Careless input in a real browser: a 12,000-character unbroken word (a pasted link, a run of digits) in an
imported task must not push the task list's columns out of shape or the page sideways; the 立项 form refuses
over-long text with a message and keeps what was typed."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser
WORD = "https://example.invalid/" + "a1B2c3D4" * 1497  # 12,000 characters, no break opportunity
MARK = "长词排版测试"


def _columns(page) -> dict[str, float]:  # noqa: ANN001
    """Widths of the task list's header cells, and how far the page scrolls sideways."""
    return page.evaluate("""() => {
        const cells = [...document.querySelectorAll('table thead th')].filter(th => th.offsetParent !== null);
        const out = {overflow: document.documentElement.scrollWidth - window.innerWidth,
                     table: document.querySelector('table').getBoundingClientRect().width};
        cells.forEach((th, i) => { out['c' + i + th.innerText.trim()] = th.getBoundingClientRect().width; });
        return out;
    }""")


def test_a_12000_character_word_keeps_the_task_list_in_shape(page, tmp_path: Path) -> None:  # noqa: ANN001
    assert len(WORD) == 12000
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "supervisor")
    plan = tmp_path / "长文本.txt"
    plan.write_text(f"东湖区长文本测试分解方案\n1. {MARK}:核对材料{WORD}。(牵头单位:区住建局)\n"
                    f"2. {MARK}:完成老旧小区改造。(牵头单位:区住建局)\n", encoding="utf-8")
    page.goto("/imports/")
    page.set_input_files("#id_file", str(plan))
    page.click("#upload-button")
    page.wait_for_url("**/imports/*/")
    page.click("#confirm-import")
    page.wait_for_url("**/tasks/")

    page.goto(f"/tasks/?q={MARK}")
    assert page.locator("tr.task-row").count() == 2
    wide = _columns(page)
    page.goto(f"/tasks/?q={MARK}:完成老旧小区改造")  # the other task: same unit, deadline and status
    assert page.locator("tr.task-row").count() == 1
    normal = _columns(page)
    page.goto("/tasks/")  # the demo's tasks: long ordinary texts, filling the content column
    ordinary = _columns(page)
    assert wide["overflow"] <= 0 and wide["table"] <= 1280
    columns = [key for key in normal if key.startswith("c")]
    assert any("任务内容" in key for key in columns) and len(columns) >= 5
    for key in columns:  # every column as wide as in a list of ordinary tasks
        assert abs(wide[key] - normal[key]) <= 2 and abs(wide[key] - ordinary[key]) <= 2, (
            key, wide[key], normal[key], ordinary[key])

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/tasks/?q={MARK}")
    assert _columns(page)["overflow"] <= 0
    page.locator("tr.task-row a.task-text").first.click()
    page.wait_for_url("**/tasks/*/")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_register_refuses_overlong_text_and_keeps_it(page) -> None:  # noqa: ANN001
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "supervisor")
    page.goto("/tasks/new/")
    page.fill("#id_title", "王副区长批示")
    page.locator("#id_text").evaluate("(el, v) => { el.removeAttribute('maxlength'); el.value = v; }", WORD)
    page.fill("#id_lead_units", "区住建局")
    page.click("#register-form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator("#form-errors").is_visible()
    assert "2000" in page.content()
    assert page.locator("#id_text").input_value() == WORD
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
