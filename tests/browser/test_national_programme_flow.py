"""Issue 12 in a real browser: a national programme open to Hong Kong applicants (NSFC Excellent Young
Scientists Fund (Hong Kong and Macao)). A researcher at a designated university applies; one at a
non-designated university and one over the age limit are told why at draft time; the NSFC officer
screens (verifying the residence declaration); reviews, panel and decision through the services; the
award of RMB 2m creates a project with three tranches."""

import datetime as dt

import pytest

from sciencebridge.core.testing.factories import MINIMAL_PDF
from sciencebridge.funding.models import HalfState, JointProposal
from sciencebridge.funding.tests.conftest import applicant, build_nworld
from sciencebridge.funding.tests.test_national import _review_and_recommend
from tests.browser.conftest import login, logout, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def nworld(transactional_db):
    return build_nworld()


def attach(page, label_part):
    page.select_option(
        "#id_a-kind", label=page.locator(f"#id_a-kind option:has-text('{label_part}')").inner_text()
    )
    page.set_input_files(
        "#id_a-file",
        files=[{"name": "doc.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}],
    )
    page.click("form:has(input[value=attach]) button[type=submit]")
    page.wait_for_selector(".msg.success")


def test_national_programme_from_draft_to_three_tranches(nworld, browser_page):
    page = browser_page
    call_url = page.base + f"/calls/{nworld.call.code}/"
    old = applicant("old", nworld.hku, born=dt.date(1980, 3, 1), sex="M")
    mu = applicant("mu", nworld.hkmu, born=dt.date(1992, 1, 1), sex="F")

    # 1. Over the age limit: told why, no button to start.
    login(page, old.username)
    page.goto(call_url)
    text = page.inner_text("#national-rules")
    assert "On the reference date 2026-01-01 you are 45; this programme takes men under 38." in text
    assert page.locator("#start-application").count() == 0
    logout(page)

    # 2. At a non-designated university: told which universities are designated.
    login(page, mu.username)
    page.goto(call_url)
    text = page.inner_text("#national-rules")
    assert "Hong Kong Metropolitan University is not designated" in text and "HKU" in text
    assert page.locator("#start-application").count() == 0
    shot(page, "national-01-not-designated")
    logout(page)

    # 3. Eligible at HKU: applies, completes the one half (no partner), attaches the residence evidence.
    login(page, nworld.young.username)
    page.goto(call_url)
    assert "0 of 2 made" in page.inner_text("#quota")
    page.click("#start-application")
    page.fill("#id_title", "Quantum sensing of coastal sediments")
    page.fill("#id_abstract", "Diamond NV-centre sensors for sediment transport.")
    page.fill("#id_duration_months", "36")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#national-eligibility")
    ref = page.inner_text("h1 .ref").strip()
    assert page.locator("#invite-partner").count() == 0
    assert "attach the residence declaration with evidence" in page.inner_text(
        "#national-eligibility"
    )
    page.click("#edit-my-half")
    page.fill("#id_d-keywords", "quantum sensing, sediments")
    page.click("form:has(input[value=details]) button[type=submit]")
    page.wait_for_selector(".msg.success")
    page.select_option("#id_b-0-category", "staff")
    page.fill("#id_b-0-description", "Research staff")
    page.fill("#id_b-0-amount_0", "2000000")
    page.select_option("#id_b-0-amount_1", "CNY")
    page.click("#budget-form button[type=submit]")
    page.wait_for_selector(".msg.success")
    attach(page, "Full proposal")
    attach(page, "Residence declaration")
    page.click("#submit-half")
    page.wait_for_selector("text=has been submitted")
    logout(page)

    # 4. The NSFC officer sees the declared data, must verify the declaration, screens eligible.
    login(page, nworld.officer.username)
    page.goto(page.base + f"/proposals/{ref}/")
    assert "1990-05-01" in page.inner_text("#personal-data")
    page.goto(page.base + f"/proposals/{ref}/ml/screen/")
    assert "Declaration to verify" in page.inner_text("#national-eligibility")
    page.check("input[value=eligible]")
    page.fill("#id_reason", "Designated university; personal rules met.")
    page.click("main form button[type=submit]")
    assert "Verify the applicant" in page.inner_text("main")
    page.check("#id_declarations_verified")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Screening recorded")
    shot(page, "national-02-screened")

    # 5. Reviews and the panel (services), then the officer awards RMB 2m on the decision page.
    half = JointProposal.objects.get(reference=ref).halves.get()
    assert half.state == HalfState.ELIGIBLE and half.declarations_verified_by == nworld.officer
    _review_and_recommend(nworld, half)
    page.goto(page.base + f"/decisions/proposals/{ref}/ml/decide/")
    page.check("input[value=fund]")
    page.fill("#id_amount", "2000000")
    page.fill("#id_reason", "Ranked first by the panel.")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    project = half.proposal.project
    tranches = list(project.sides.get().tranches.order_by("number"))
    assert len(tranches) == 3 and sum(t.amount.amount for t in tranches) == 2_000_000
    page.goto(page.base + f"/projects/{project.reference}/")
    assert "2,000,000" in page.inner_text("main")
    shot(page, "national-03-project")
    page.goto(call_url)
    assert "1 of 2 made" in page.inner_text("#quota")
