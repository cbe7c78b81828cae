from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

CHARTS = ("pie", "area", "unit", "leader", "indicators", "trends", "gantt")


def _open_dashboard(page) -> dict:
    page.goto("/dashboard/")
    for name in CHARTS:
        page.locator(f'[data-chart="{name}"] canvas').first.wait_for()
    return json.loads(page.locator("#dashboard-data").text_content())


def _count(page) -> int:
    return int(re.search(r"\d+", page.locator("#result-count").inner_text()).group())


def test_leader_reads_the_chart_and_drills_down(page, live_duban: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "leader")
    page.locator('nav a.nav-link[href="/dashboard/"]').click()
    page.wait_for_url("**/dashboard/")
    data = _open_dashboard(page)
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", page.locator(".as-of").inner_text())

    # A headline figure: the list behind it holds exactly that many tasks.
    figure = page.locator('[data-figure="behind"]')
    behind = int(figure.locator(".fig-value").inner_text())
    assert behind > 0
    figure.click()
    page.wait_for_url(re.compile(r".*/tasks/\?status=behind"))
    assert _count(page) == behind

    # A bar of the area chart: a real click on the canvas, where ECharts drew it.
    page.goto("/dashboard/")
    data = _open_dashboard(page)
    series = next(i for i, s in enumerate(data["area"]["series"]) if s["key"] == "on_track")
    index, item = max(enumerate(data["area"]["series"][series]["data"]), key=lambda p: p[1]["value"])
    x, y = page.evaluate("""([series, index, value]) => {
        const el = document.querySelector('[data-chart="area"]');
        const chart = echarts.getInstanceByDom(el);
        const below = chart.getOption().series.slice(0, series).reduce((a, s) => a + s.data[index].value, 0);
        const [x, y] = chart.convertToPixel({seriesIndex: series}, [index, below + value / 2]);
        const box = el.getBoundingClientRect();
        return [box.left + x, box.top + y];
    }""", [series, index, item["value"]])
    page.mouse.move(x, y)  # the tooltip must not break the CSP either
    page.wait_for_timeout(200)
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r".*/tasks/\?area=.*status=on_schedule%2Cahead"))
    assert _count(page) == item["value"]
    # The list shows what it is limited to: the combined status as a chip and as the chosen status, not a
    # blank dropdown; changing another field keeps it.
    expect(page.locator('#filter-chips [data-chip="status"]')).to_be_visible()
    assert page.locator("#id_status").input_value() == "on_schedule,ahead"
    page.select_option("#id_sort", "deadline")
    page.wait_for_url(re.compile(r".*sort=deadline"))
    expect(page.locator("#result-count")).to_contain_text(str(item["value"]))

    # A slice of the status pie.
    page.goto("/dashboard/")
    data = _open_dashboard(page)
    slice_ = max(data["pie"], key=lambda s: s["value"])
    x, y = page.evaluate("""(name) => {
        const el = document.querySelector('[data-chart="pie"]');
        const chart = echarts.getInstanceByDom(el);
        const opt = chart.getOption().series[0];
        const i = opt.data.findIndex((d) => d.name === name);
        const layout = chart.getModel().getSeriesByIndex(0).getData().getItemLayout(i);
        const mid = (layout.startAngle + layout.endAngle) / 2;
        const r = (layout.r0 + layout.r) / 2;
        const box = el.getBoundingClientRect();
        return [box.left + layout.cx + r * Math.cos(mid), box.top + layout.cy + r * Math.sin(mid)];
    }""", slice_["name"])
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r".*/tasks/\?status="))
    assert _count(page) == slice_["value"]
    assert all(url.startswith(live_duban) for url in page.requests), [
        u for u in page.requests if not u.startswith(live_duban)]


def test_phone_layout_and_print(page, live_duban: str) -> None:
    login(page, "leader")
    _open_dashboard(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    for name in CHARTS:
        box = page.locator(f'[data-chart="{name}"]').bounding_box()
        assert box["width"] <= 375 and box["height"] >= 200, name
    expect(page.locator('[data-figure="total"] .fig-value')).to_have_text("78")
    page.emulate_media(media="print")
    assert not page.locator("nav.duban-nav").is_visible()
    pdf = page.pdf(format="A4", landscape=True, print_background=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    assert all(url.startswith(live_duban) for url in page.requests)


def test_liaison_sees_own_unit_chart(page, live_duban: str) -> None:
    login(page, "zhujian")
    _open_dashboard(page)
    assert "区住建局" in page.locator("header").inner_text()
    total = page.locator('[data-figure="total"]')
    assert total.locator(".fig-value").inner_text() == "9"
    total.click()
    page.wait_for_url("**/tasks/")
    assert _count(page) == 9


def test_report_trend_drill_down_keeps_its_filters(page, live_duban: str) -> None:
    """A bar of the monthly reporting trend lists its tasks; the list keeps the month and the outcome when a
    field changes (they have no field of their own), shows them as a chip, and the chip's × drops them."""
    login(page, "supervisor")
    data = _open_dashboard(page)
    trends = data["trends"]
    key, bar = next((k, b) for k, b in zip(reversed(trends["keys"]), reversed(trends["on_time"])) if b["value"])
    page.goto(bar["url"])
    assert _count(page) == bar["value"]
    chip = page.locator('#filter-chips [data-chip="reports_due"]')
    expect(chip).to_contain_text(f"{int(key[:4])}")
    page.select_option("#id_sort", "status")
    page.wait_for_url(re.compile(r".*sort=status"))
    assert "reports_due=" + key in page.url and "report=on_time" in page.url
    expect(page.locator("#result-count")).to_contain_text(str(bar["value"]))
    expect(page.locator('#filter-chips [data-chip="reports_due"]')).to_be_visible()
    # the download links follow the filters htmx changed (without the list's own sort order)
    for link in ("#ledger-link", "#report-link"):
        href = page.locator(link).get_attribute("href")
        assert f"reports_due={key}" in href and "report=on_time" in href and "sort=" not in href
    page.locator('#filter-chips [data-chip="reports_due"]').click()
    page.wait_for_url(re.compile(r".*/tasks/\?sort=status$"))
    assert _count(page) == 78
    expect(page.locator("#filter-chips .filter-chip")).to_have_count(0)
