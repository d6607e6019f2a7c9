"""Issue 17 in a real browser: a Mainland half screened ineligible asks for a recheck within the window
(a request with no reason is refused, the text kept); the Mainland officer sees it on the dashboard with its
due date and reverses it with a reason; the half is eligible again and enters review."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from sciencebridge.core.testing.factories import MINIMAL_PDF
from tests.browser.conftest import login, logout, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ineligible_half_asks_for_a_recheck_and_the_officer_reverses_it(
    world, make_ready_pair, browser_page
):
    from sciencebridge.funding.models import HalfState
    from sciencebridge.funding.services import proposals as fsvc
    from sciencebridge.rechecks.models import RecheckPolicy
    from sciencebridge.review.services.assignment import units_for

    RecheckPolicy.objects.create(
        scheme_side=world.scheme.side("ML"), request_window_days=15, handling_days=60
    )
    p = make_ready_pair()
    hk, ml = p.half("HK"), p.half("ML")
    fsvc.submit_half(world.hk_lead, hk)
    fsvc.submit_half(world.ml_lead, ml)
    hk.refresh_from_db()
    ml.refresh_from_db()
    fsvc.endorse(world.hk_office, hk)
    fsvc.screen(world.itc_officer, hk, eligible=True, reason="Complete.")
    fsvc.screen(world.most_officer, ml, eligible=False, reason="Budget form unsigned.")
    due = (timezone.localdate() + dt.timedelta(days=60)).isoformat()

    page = browser_page
    login(page, "ml_lead")
    page.goto(page.base + f"/proposals/{p.reference}/")
    page.click("#ask-recheck-ml")
    assert "Budget form unsigned." in page.inner_text(".screening-reason")
    # No reason: refused with a clear message
    page.click("#recheck-form button[type=submit]")
    assert "reasons are required" in page.inner_text("main")
    page.fill("#id_reasons", "The form is signed on page 4 of the budget PDF.")
    page.set_input_files(
        "#id_evidence",
        files=[{"name": "signed-form.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}],
    )
    page.click("#recheck-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/rechecks/\d+/$"))
    assert due in page.inner_text("#recheck-due")
    assert "signed-form.pdf" in page.inner_text("#recheck-evidence")
    shot(page, "recheck-requested")
    logout(page)

    login(page, "most_officer")
    dash = page.inner_text("main")
    assert "Recheck requests" in dash and p.reference in dash
    page.click(f".rechecks-open a:has-text('{p.reference}')")
    assert due in page.inner_text("#recheck-due")
    page.click("#decide-recheck")
    page.check("input[name=decision][value=reverse]")
    page.fill("#id_reason", "The signature is on page 4; the half is eligible.")
    page.click("#decide-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/rechecks/\d+/$"))
    assert page.inner_text("#recheck-state") == "Reversed: eligible"
    page.goto(page.base + f"/proposals/{p.reference}/")
    assert "Screened: eligible" in page.inner_text("#half-ml")
    assert "The signature is on page 4; the half is eligible." in page.inner_text(".timeline")
    shot(page, "recheck-reversed")

    ml.refresh_from_db()
    assert ml.state == HalfState.ELIGIBLE
    assert [u.half.pk for u in units_for(world.call, "ML")] == [ml.pk]  # in review
