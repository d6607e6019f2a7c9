"""Issue 15 in a real browser: budget rows added and removed on the half edit page without saving first,
with the total following along, and a discipline picked by typing part of its Chinese name."""

import pytest
from djmoney.money import Money
from playwright.sync_api import expect

from sciencebridge.classification.models import DisciplineCode
from sciencebridge.core.management.commands.seed_reference import load_classifications
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def row(n):
    return f"#budget-form tr:has(#id_b-{n}-category)"


def test_budget_rows_and_discipline_picker_on_the_half_edit_page(
    world, make_ready_pair, browser_page
):
    load_classifications()
    p = make_ready_pair()  # the HK half has one saved line: staff, RA, HK$600,000
    half = p.half("HK")
    page = browser_page
    login(page, "hk_lead")
    page.goto(page.base + f"/proposals/{p.reference}/hk/")
    assert page.inner_text("#budget-total") == "HK$600,000.00"
    assert page.input_value("#id_b-TOTAL_FORMS") == "3"  # the saved row and two blank ones

    # Two rows added without saving: the form grows and the total follows what is typed.
    page.click("#budget-add")
    page.click("#budget-add")
    assert page.input_value("#id_b-TOTAL_FORMS") == "5"
    page.select_option("#id_b-3-category", "equipment")
    page.fill("#id_b-3-description", "Cold-chain sensors")
    page.fill("#id_b-3-amount_0", "120000")
    assert page.input_value("#id_b-3-amount_1") == "HKD"  # the side's currency comes first
    assert page.inner_text("#budget-total") == "HK$720,000.00"
    page.select_option("#id_b-4-category", "travel")
    page.fill("#id_b-4-description", "Shenzhen visits")
    page.fill("#id_b-4-amount_0", "30000.50")
    assert page.inner_text("#budget-total") == "HK$750,000.50"
    shot(page, "15-budget-two-rows-added")

    # One of them removed again: hidden, its DELETE box ticked, out of the total.
    page.locator(f"{row(4)} [data-formset-remove]").click()
    assert page.locator(row(4)).is_hidden()
    assert page.is_checked("#id_b-4-DELETE")
    assert page.inner_text("#budget-total") == "HK$720,000.00"

    page.click("#budget-form button[type=submit]")
    page.wait_for_selector(".msg.success")
    assert page.inner_text("#budget-total") == "HK$720,000.00"
    assert sorted((b.category, b.description, b.amount) for b in half.budget_lines.all()) == [
        ("equipment", "Cold-chain sensors", Money(120000, "HKD")),
        ("staff", "RA", Money(600000, "HKD")),
    ]

    # The discipline picker, on the Traditional Chinese page: typing part of a Chinese name finds the code.
    page.click("button[data-lang=zh-hant]")
    page.wait_for_selector("html[lang=zh-hant]")
    control = page.locator("#id_d-discipline_codes-ts-control")
    assert control.get_attribute("placeholder") == "輸入代碼或學科名稱的一部分"
    control.click()
    control.press_sequentially("高分")
    # All 147 codes are offered until the search narrows them to the one.
    expect(page.locator(".ts-dropdown .option")).to_have_count(1)
    option = page.locator(".ts-dropdown .option")
    # One more key, and the option picked at once, as a quick hand would (a CI failure once: a
    # filter still pending from the last key reopened the whole list over the save button).
    control.press_sequentially("子")
    assert option.inner_text() == "E03 有機高分子材料"
    option.click()
    assert page.inner_text(".ts-control .item").startswith("E03 有機高分子材料")
    # The list closes once a code is picked and stays closed: it must not cover the save button.
    page.wait_for_timeout(600)  # longer than tom-select's default filter delay (set to 0 here)
    expect(page.locator(".ts-dropdown")).to_be_hidden()
    shot(page, "15-discipline-picker-zh-hant")
    page.click("form:has(input[value=details]) button[type=submit]")
    page.wait_for_selector(".msg.success")
    e03 = DisciplineCode.objects.get(scheme__code="nsfc", code="E03")
    assert list(half.discipline_codes.all()) == [e03]
    # Shown again as the picked item after the reload, in Chinese.
    assert page.inner_text(".ts-control .item").startswith("E03 有機高分子材料")
    page.locator(".ts-wrapper .ts-control").click()  # its input is tucked away while an item shows
    page.keyboard.type("無此學科")
    expect(page.locator(".ts-dropdown .no-results")).to_have_text("沒有相符的學科。")
