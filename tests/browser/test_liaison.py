from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_liaison_sees_own_tasks_opens_one_and_switches_language(page, live_duban: str) -> None:  # noqa: ANN001
    login(page, "zhujian")
    assert "区住建局的任务" in page.content()
    page.goto("/tasks/")
    assert page.locator("tr.task-row").count() == 9
    assert "9 项任务" in page.locator("#result-count").inner_text()

    page.locator("tr.task-row a").first.click()
    page.wait_for_url(re.compile(r".*/tasks/\d+/$"))
    assert "区住建局" in page.locator(".unit-lead").first.inner_text()
    assert page.locator(".breadcrumb-item").count() >= 3

    with page.expect_navigation():
        page.select_option("#language", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Progress reports" in page.content()
    with page.expect_navigation():
        page.select_option("#language", "zh-hans")
    assert "进展报送" in page.content()

    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling on a phone
    assert all(url.startswith(live_duban) for url in page.requests), [
        u for u in page.requests if not u.startswith(live_duban)]


def test_supervisor_filters_the_list_without_reload(page, live_duban: str) -> None:  # noqa: ANN001
    page.set_viewport_size({"width": 1280, "height": 900})  # a supervisor at a desk
    login(page, "supervisor")
    page.goto("/tasks/")
    assert "78 项任务" in page.locator("#result-count").inner_text()
    page.select_option("#id_status", "ongoing")
    expect(page.locator("#result-count")).to_contain_text("44")
    assert "status=ongoing" in page.url
    assert all(url.startswith(live_duban) for url in page.requests)


def test_phone_filters_fold_away(page) -> None:  # noqa: ANN001
    login(page, "zhujian")
    page.goto("/tasks/")
    assert not page.locator("#id_status").is_visible()
    page.get_by_role("button", name="更多筛选").click()
    page.locator("#id_status").wait_for(state="visible")
    page.select_option("#id_status", "done")
    expect(page.locator("#result-count")).to_contain_text("2 ")
    assert page.locator("tr.task-row").count() == 2


def test_wrong_password_gets_a_clear_message(page) -> None:  # noqa: ANN001
    page.goto("/login/")
    page.fill("#id_username", "zhujian")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.content()
