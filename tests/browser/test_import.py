from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.imports.conftest import PLAN

pytestmark = pytest.mark.browser


def test_supervisor_imports_a_plan_and_a_bad_file_is_refused(page, tmp_path: Path) -> None:  # noqa: ANN001
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "supervisor")
    page.goto("/imports/")

    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4\n%%EOF\n")
    page.set_input_files("#id_file", str(bad))
    page.click("#upload-button")
    assert page.locator("#upload-error").is_visible()
    assert "导入" in page.locator("h1").inner_text()

    plan = tmp_path / "分解方案.txt"
    plan.write_text(PLAN, encoding="utf-8")
    page.set_input_files("#id_file", str(plan))
    page.click("#upload-button")
    page.wait_for_url(re.compile(r".*/imports/\d+/$"))
    assert page.locator("tr.import-row").count() == 4
    assert page.locator(".unit-new").count() == 1  # 区图书馆 is not in the directory

    row = page.locator("#row-3")
    row.get_by_text("修改责任单位").click()
    row.locator("input[name='t-3-lead']").fill("区文广新旅局")
    page.click("button[value=save]")
    page.wait_for_load_state("load")
    assert page.locator("#row-3 .unit-new").count() == 0

    page.click("#confirm-import")
    page.wait_for_url("**/tasks/")
    assert "导入完成:新增 4 项" in page.content()
    page.fill("#id_q", "城市书房")
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^1 "))
    assert "区文广新旅局" in page.locator("tr.task-row").first.inner_text()
