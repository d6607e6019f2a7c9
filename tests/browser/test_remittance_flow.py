"""Issue 12, the cross-boundary remittance ledger in a real browser: the MOST officer instructs and remits
the Mainland (RMB) first tranche of a joint project led in Hong Kong; a second posting of the same bank
reference is refused; ASTRI's research office records the receipt in HKD (a receipt far above the remitted
amount at the day's reference rate is refused first, keeping what was typed); the public dashboard's live
total of Mainland funds remitted to Hong Kong moves."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sciencebridge.cooperation.models import Indicator
from sciencebridge.projects.tests.conftest import fund_proposal
from sciencebridge.remittances.models import ReferenceRate, Remittance
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _live_total(page):
    page.goto(page.base + "/cooperation/")
    card = page.locator("#live-figures .card", has_text="remitted to Hong Kong")
    return card.locator(".bignum").inner_text()


def test_remit_receive_in_hkd_and_the_public_total_moves(world, make_ready_pair, browser_page):
    page = browser_page
    today = timezone.localdate()
    for i in range(10):
        ReferenceRate.objects.create(
            date=today - dt.timedelta(days=i), hkd_per_cny=Decimal("1.08"), source="test"
        )
    Indicator.objects.create(
        code="live-remitted-rmb",
        name="Mainland S&T funds remitted to Hong Kong, recorded on this platform",
        unit="RMB",
        metric_code="remittances.remitted_rmb",
    )
    project = fund_proposal(world, make_ready_pair(title="Cold-chain sensing")).project
    other = fund_proposal(world, make_ready_pair(title="Second project")).project
    assert _live_total(page).startswith("0")

    # 1. The MOST officer instructs the due Mainland tranche and remits it.
    login(page, "most_officer")
    page.click("nav.mainnav >> text=Remittances")
    tranche = project.sides.get(side="ML").tranches.get(number=1)
    page.click(f"#instructable-{tranche.pk} a.button")
    page.click("#submit-instruct")
    page.wait_for_selector(".msg.success")
    page.click("#do-remit")
    page.fill("#id_bank_reference", "ICBC-2026-000123")
    page.click("#submit-step")
    page.wait_for_selector(".msg.success")
    assert "RMB 200,000.00" in page.inner_text("#remitted")
    shot(page, "remittance-01-remitted")

    # 2. The same bank reference posted on another remittance is refused, nothing posted.
    t_other = other.sides.get(side="ML").tranches.get(number=1)
    page.goto(page.base + f"/remittances/instruct/{t_other.pk}/")
    page.click("#submit-instruct")
    page.wait_for_selector(".msg.success")
    page.click("#do-remit")
    page.fill("#id_bank_reference", "icbc-2026-000123")
    page.click("#submit-step")
    assert "posts once" in page.inner_text("#step-form")
    assert Remittance.objects.filter(bank_reference__isnull=False).count() == 1

    # 3. ASTRI's research office records the receipt in HKD.
    login(page, "astri_office")
    page.click("nav.mainnav >> text=Remittances")
    rem = Remittance.objects.get(tranche=tranche)
    page.click(f"#rem-{rem.pk} a")
    page.click("#do-receive")
    page.fill("#id_amount", "250000")
    page.click("#submit-step")
    assert "Refused" in page.inner_text("#step-form")
    assert page.input_value("#id_amount") == "250000"
    page.fill(
        "#id_amount", "215800"
    )  # 200,000 × 1.08 = 216,000; 200 short: within the flag threshold
    page.click("#submit-step")
    page.wait_for_selector(".msg.success")
    assert "HKD 215,800.00" in page.inner_text("#received")
    assert "Received in Hong Kong" in page.inner_text("h1")
    shot(page, "remittance-02-received")

    # 4. The public live total moved by the RMB remitted (the second remittance is only instructed).
    page.locator("form[action$='/accounts/logout/'] button").click()
    assert _live_total(page) == "200,000 RMB"
