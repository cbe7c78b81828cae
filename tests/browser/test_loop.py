from __future__ import annotations

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_liaison_sends_a_prefilled_report_and_the_supervisor_returns_it(browser, live_duban: str) -> None:  # noqa: ANN001
    phone = browser.new_context(viewport={"width": 375, "height": 800}, base_url=live_duban).new_page()
    login(phone, "zhujian")
    phone.click("#todo-summary")  # one tap from home
    phone.wait_for_url("**/todo/")
    returned = phone.locator("#todo-returned a").first
    task_text = returned.inner_text()
    returned.click()
    phone.wait_for_url("**/report/")
    assert phone.locator("#returned-note").is_visible()
    before = phone.locator("#id_progress").input_value()
    assert before  # prefilled with what was sent last time
    phone.fill("#id_progress", before + "本月完工2个小区,资金到位80%。")
    phone.click("#submit-report")
    phone.wait_for_url("**/todo/")
    assert "已报送" in phone.content()
    assert phone.locator("#todo-returned").count() == 0

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_duban).new_page()
    login(desk, "supervisor")
    desk.goto("/review/")
    item = desk.locator(".review-item", has_text="资金到位80%")
    item.locator("input[name=note]").fill("请附上完工验收情况")
    item.get_by_role("button", name="退回").click()
    desk.wait_for_url("**/review/")
    assert "已退回单位修改" in desk.content()
    assert desk.locator(".review-item", has_text="资金到位80%").count() == 0

    phone.goto("/todo/")
    assert "请附上完工验收情况" in phone.locator("#todo-returned").inner_text()
    assert task_text[:10] in phone.locator("#todo-returned").inner_text()
    phone.context.close()
    desk.context.close()


def test_liaison_acknowledges_a_new_task(page) -> None:  # noqa: ANN001
    login(page, "zhujian")
    page.goto("/todo/")
    count = page.locator("#todo-acknowledge li").count()
    assert count >= 1
    page.locator("#todo-acknowledge button", has_text="签收").first.click()
    page.wait_for_url("**/todo/")
    assert page.locator("#todo-acknowledge li").count() == count - 1
