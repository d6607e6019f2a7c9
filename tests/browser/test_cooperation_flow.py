"""Issue 6, cooperation committee, in a real browser: the secretariat records a workplan with items in two
areas and links one to a call; funding a joint project in that call moves the item's progress on the
public dashboard; the dashboard renders its charts in English, Traditional and Simplified Chinese."""

from pathlib import Path

import pytest

from sciencebridge.accounts.roles import Role
from sciencebridge.cooperation.services.reference import load_public_record
from sciencebridge.cooperation.tests.helpers import fund_both_sides, make_eligible
from sciencebridge.core.testing.factories import UserFactory
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def item_progress(page, number):
    return page.get_attribute(
        f".workplan-progress .item-row[data-number='{number}']", "data-progress"
    )


def test_workplan_item_linked_to_a_call_moves_with_funding(world, make_ready_pair, browser_page):
    load_public_record()
    UserFactory(
        username="secretary", first_name="Yan Ting", last_name="Tsang", roles=[Role.SECRETARIAT]
    )
    page = browser_page
    login(page, "secretary")

    # 1. The secretariat records the 2026 workplan.
    page.goto(page.base + "/cooperation/workplans/")
    page.click("#new-workplan")
    page.fill("#id_code", "workplan-2026")
    page.fill("#id_title_en", "Workplan 2026")
    page.fill("#id_title_zh_hant", "2026年工作計劃")
    page.fill("#id_title_zh_hans", "2026年工作计划")
    page.fill("#id_period", "2026")
    page.click("main form button[type=submit]")
    page.wait_for_selector("h1:has-text('Workplan 2026')")

    # 2. Item (i) in joint funding, linked to the call: a target is required, and nothing typed is lost.
    page.click("#add-item")
    page.select_option("#id_area", label="Joint funding of research")
    page.fill("#id_number", "i")
    page.fill("#id_text_en", "Fund a joint project in the 2026 call")
    page.fill("#id_text_zh_hant", "在2026年徵集中資助一個聯合項目")
    page.fill("#id_text_zh_hans", "在2026年征集中资助一个联合项目")
    page.select_option("#id_metric_code", "funding.projects_funded")
    page.select_option("#id_calls", str(world.call.pk))
    page.click("main form button[type=submit]")
    assert "positive target" in page.inner_text("main form")
    assert page.input_value("#id_text_en") == "Fund a joint project in the 2026 call"
    page.fill("#id_target", "1")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".msg.success")

    # 3. Item (ii) in another area, not linked to data.
    page.click("#add-item")
    page.select_option("#id_area", label="Talent and exchanges")
    page.fill("#id_number", "ii")
    page.fill("#id_text_en", "Young scientist exchanges with the Mainland")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".msg.success")
    assert page.locator("#progress .area-progress").count() == 2
    page.click("#workplan-to-approved")
    page.wait_for_selector(".state-approved")
    shot(page, "cooperation-workplan-secretariat")

    # 4. The public dashboard shows the item at 0% while no project in the call is funded.
    page.goto(page.base + "/cooperation/")
    assert item_progress(page, "i") == "0.0"
    assert item_progress(page, "ii") == ""

    # 5. Both agencies fund a joint proposal in that call; the item's progress moves to 100%.
    fund_both_sides(world, make_eligible(world, make_ready_pair()))
    page.reload()
    assert item_progress(page, "i") == "100.0"
    row = page.locator(".workplan-progress .item-row[data-number='i']").first
    assert "100.0%" in row.inner_text()
    # money is drawn per currency: one ECharts panel for HKD, one for RMB
    page.wait_for_selector("#chart-funding .echart.is-drawn svg")
    assert page.locator("#chart-funding .echart.is-drawn svg").count() == 2

    # 6. The dashboard with charts in the three languages.
    shot(page, "cooperation-dashboard-en")
    assert page.locator("section.chart .echart.is-drawn svg").count() >= 5
    page.click("button[data-lang=zh-hant]")
    page.wait_for_selector("html[lang=zh-hant]")
    page.goto(page.base + "/cooperation/")
    assert "每年各方承諾資助金額" in page.inner_text("#chart-funding h2")
    page.wait_for_selector("#chart-funding .echart.is-drawn svg")
    assert "港元" in page.locator("#chart-funding .echart svg").first.text_content()
    assert item_progress(page, "i") == "100.0"
    shot(page, "cooperation-dashboard-zh-hant")
    page.click("button[data-lang=zh-hans]")
    page.wait_for_selector("html[lang=zh-hans]")
    page.goto(page.base + "/cooperation/")
    assert "每年各方承诺资助金额" in page.inner_text("#chart-funding h2")
    shot(page, "cooperation-dashboard-zh-hans")

    # 7. CSV of a chart downloads with the same numbers as its table.
    with page.expect_download() as dl:
        page.click("#chart-funding a.csv")
    text = Path(dl.value.path()).read_text(encoding="utf-8-sig")
    assert "600000" in text and "500000" in text
