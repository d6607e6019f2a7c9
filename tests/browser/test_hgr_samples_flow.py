"""Issue 13 (human genetic resources) in a real browser: a researcher at a pilot unit (HKU-Shenzhen
Hospital) applies to export blood samples to HKU; the secretariat records the authority's approval; a
first transfer within the approval goes to a full review and is cleared; a transfer exceeding what is
left is refused with the figures (the form keeps what was typed); the next transfer of the same kind
between the same parties is a white-list notification, counted on the secretariat's page."""

import datetime as dt

import pytest
from django.utils import timezone

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import InstitutionFactory, UserFactory
from sciencebridge.dataflows.models_samples import HgrTransfer, PilotUnit, SampleFlowRule
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pilot_unit_export_approval_transfers_and_white_list(world, browser_page):
    hosp = InstitutionFactory(
        code="hku-szh", name="HKU-Shenzhen Hospital", short_name="HKU-SZH", region="ML"
    )
    PilotUnit.objects.create(institution=hosp, kind="hospital", parent=world.hku)
    UserFactory(username="szh_researcher", institution=hosp, roles=[Role.APPLICANT])
    UserFactory(username="b_secretariat", roles=[Role.SECRETARIAT])
    SampleFlowRule.objects.create(effective_from=dt.date(2024, 1, 1), whitelist_enabled=True)
    today = timezone.localdate().isoformat()
    page = browser_page

    # 1. the pilot unit applies and submits
    login(page, "szh_researcher")
    page.goto(page.base + "/dataflows/samples/")
    page.click("text=New export application")
    page.select_option("#id_recipient", label="HKU")
    page.select_option("#id_sample_kind", "blood")
    page.fill("#id_quantity", "100")
    page.fill("#id_unit", "tubes")
    page.fill("#id_purpose", "Genotyping of a liver-cancer cohort")
    page.click("#export-form button[type=submit]")
    page.wait_for_selector(".msg.success")
    page.click("button[value=submit]")
    page.wait_for_selector("#app-state:has-text('Submitted')")
    url = page.url
    shot(page, "hgr1-submitted")

    # 2. the secretariat records the approval
    login(page, "b_secretariat")
    page.goto(url)
    page.fill("#id_a-approval_reference", "MOST-HGR-2026-017")
    page.fill("#id_a-approval_date", today)
    page.click("#approval-form button[type=submit]")
    page.wait_for_selector("#app-state:has-text('Approved')")
    assert "MOST-HGR-2026-017" in page.inner_text("#approval")

    # 3. a transfer within the approval: first of its kind between these parties, full review
    login(page, "szh_researcher")
    page.goto(url)
    assert "full review" in page.inner_text("#next-review")
    page.fill("#id_t-quantity", "60")
    page.fill("#id_t-shipped_on", today)
    page.click("#transfer-form button[type=submit]")
    page.wait_for_selector(".msg.success")
    assert "Full review" in page.inner_text("#app-transfers")

    # 4. a transfer exceeding what is left: refused with the figures, the input kept, nothing stored
    page.fill("#id_t-quantity", "50")
    page.fill("#id_t-shipped_on", today)
    page.fill("#id_t-note", "second shipment")
    page.click("#transfer-form button[type=submit]")
    page.wait_for_selector(".fielderror")
    err = page.inner_text("#transfer-form .fielderror")
    assert "would exceed approval MOST-HGR-2026-017" in err and "40 left" in err
    assert page.input_value("#id_t-quantity") == "50"
    assert page.input_value("#id_t-note") == "second shipment"
    assert HgrTransfer.objects.count() == 1
    shot(page, "hgr2-transfer-exceeding-refused")

    # 5. the secretariat clears the first transfer
    login(page, "b_secretariat")
    page.goto(url)
    page.click("#app-transfers button[value=clear]")
    page.wait_for_selector(".msg.success")
    assert "Cleared" in page.inner_text("#app-transfers")

    # 6. the next transfer of the same kind between the same parties: a white-list notification
    login(page, "szh_researcher")
    page.goto(url)
    assert "white-list notification" in page.inner_text("#next-review")
    page.fill("#id_t-quantity", "30")
    page.fill("#id_t-shipped_on", today)
    page.click("#transfer-form button[type=submit]")
    page.wait_for_selector(".msg.success")
    assert "White-list notification" in page.inner_text("#app-transfers")
    assert "90 used, 10 left" in page.inner_text("#usage")

    # 7. the secretariat's figures count it
    login(page, "b_secretariat")
    page.goto(page.base + "/dataflows/samples/?review=notification")
    assert page.inner_text("#whitelist-count").strip() == "1"
    shot(page, "hgr3-secretariat-figures")
