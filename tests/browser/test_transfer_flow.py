"""Issue 5, marketplace part, in a real browser: a technology-transfer office turns a project's patent
outcome into a technology offer; an enterprise posts its need, finds the offer among the matches (with
the reason), expresses interest, accepts the confidentiality terms and sees the details; the deal goes
to negotiation and is licensed, with its value in HKD. The public page works without login and in
Chinese."""

import pytest

from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.projects.services import projects as project_svc
from sciencebridge.projects.tests.conftest import fund_proposal
from sciencebridge.transfer import matching_adapter
from sciencebridge.transfer.models import ENTERPRISE_ROLE, TTO_ROLE, Deal
from tests.browser.conftest import login, logout, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SECRET = "Ink: silver nanowire in PEDOT"


@pytest.fixture
def patent(world, make_ready_pair):
    matching_adapter.invalidate()
    proposal = fund_proposal(world, make_ready_pair(title="Cold-chain sensing across the boundary"))
    return project_svc.add_outcome(
        proposal.project,
        actor=world.hk_lead,
        kind="patent",
        side="HK",
        title="Printed temperature tag for vaccine cold chains",
        description="A printed, battery-free temperature tag that records whether vaccines stayed cold "
        "during cross-boundary transport, read by a phone.",
        ip_status="filed",
        jurisdiction="HK",
        application_number="HK32024000123.4",
    )


def test_patent_outcome_to_licensed_deal(world, patent, browser_page):
    page = browser_page
    UserFactory(
        username="astri_tto",
        first_name="Tina",
        last_name="Ho",
        institution=world.astri,
        roles=[TTO_ROLE],
    )
    UserFactory(
        username="hk_ent",
        first_name="Ada",
        last_name="Lau",
        institution=world.company,
        roles=[ENTERPRISE_ROLE],
    )

    # 1. The TTO finds the project's patent and turns it into a public offer.
    login(page, "astri_tto")
    page.goto(page.base + "/transfer/office/")
    page.click(f"#offer-outcome-{patent.pk}")
    assert page.input_value("#id_title_en") == "Printed temperature tag for vaccine cold chains"
    assert page.input_value("#id_ip_reference") == "HK32024000123.4"
    page.fill("#id_title_zh_hant", "疫苗冷鏈印刷溫度標籤")
    page.fill(
        "#id_summary_en",
        "A printed, battery-free temperature tag that shows whether vaccines and "
        "medicines stayed cold in transport; any phone reads it.",
    )
    page.select_option("#id_field", "biotech")
    page.select_option("#id_trl", "6")
    page.fill("#id_keywords", "cold chain, temperature tag, vaccine, printed electronics")
    page.fill("#id_details", SECRET + "; threshold 8 °C; 2,000 tags field-tested.")
    page.click("#save-publish")
    page.wait_for_selector("text=Offer published")
    assert page.inner_text("#offer-state") == "Published"
    assert "Printed temperature tag" in page.inner_text("#offer-outcome")
    offer_url = page.url
    shot(page, "transfer-01-offer-published")
    logout(page)

    # 2. The public page needs no login and shows no confidential detail.
    page.goto(page.base + "/transfer/?q=vaccine")
    page.click("text=Printed temperature tag for vaccine cold chains")
    assert SECRET not in page.inner_text("main")
    page.click("button[data-lang=zh-hant]")
    page.wait_for_selector("html[lang=zh-hant]")
    assert "疫苗冷鏈印刷溫度標籤" in page.inner_text("h1")
    shot(page, "transfer-02-public-zh-hant")
    page.click("button[data-lang=en]")
    page.wait_for_selector("html[lang=en]")

    # 3. The enterprise posts its need and finds the offer among the matches, with the reason.
    login(page, "hk_ent")
    page.goto(page.base + "/transfer/needs/new/")
    page.fill("#id_title_en", "Monitoring vaccine temperature in cross-boundary shipments")
    page.fill(
        "#id_description_en",
        "We ship vaccines from Hong Kong to Shenzhen and need a cheap tag that "
        "proves the cold chain was kept.",
    )
    page.select_option("#id_field", "biotech")
    page.fill("#id_keywords", "cold chain, vaccine, temperature")
    page.click("#save-need")
    page.wait_for_selector("text=Need posted")
    match = page.locator("#matching-offers li.match").first
    assert "Printed temperature tag for vaccine cold chains" in match.inner_text()
    assert "vaccine" in match.locator(".reason-terms").inner_text()
    shot(page, "transfer-03-need-matches")
    match.locator("a").click()

    # 4. Interest, then the confidentiality step: the details appear for this enterprise.
    page.click("#express-interest")
    page.fill("#id_message", "We would like to license the tag for our cross-boundary logistics.")
    page.click("#send-interest")
    page.wait_for_selector("text=Your interest has been sent")
    assert page.inner_text("#deal-state") == "Contacted"
    page.goto(offer_url)
    assert SECRET not in page.inner_text("main")
    page.click("#sign-nda")
    page.click("#accept-nda")  # without ticking the box: refused, nothing lost
    assert "Tick the box" in page.inner_text(".has-error")
    page.check("#id_accept")
    page.click("#accept-nda")
    page.wait_for_selector("text=Confidentiality terms accepted")
    assert SECRET in page.inner_text("#offer-details")
    shot(page, "transfer-04-details-under-nda")
    logout(page)

    # 5. The TTO moves the deal to negotiation and records the licence with its value.
    login(page, "astri_tto")
    page.goto(page.base + "/transfer/deals/")
    page.click("#deals a")
    assert page.inner_text("#deal-state") == "Under NDA"
    page.select_option("#id_to", "negotiating")
    page.fill("#id_reason", "Term sheet sent")
    page.click("#move-deal")
    page.wait_for_selector("text=Deal updated")
    page.select_option("#id_to", "licensed")
    page.click("#move-deal")  # no value: refused with a reason
    assert "Record the value" in page.inner_text("main")
    page.select_option("#id_to", "licensed")
    page.fill("#id_value_0", "1200000")
    page.select_option("#id_value_1", "HKD")
    page.fill("#id_terms", "Non-exclusive licence for the Greater Bay Area, 4% royalty")
    page.click("#move-deal")
    page.wait_for_selector("text=Deal updated")
    assert page.inner_text("#deal-state") == "Licensed"
    assert "1,200,000" in page.inner_text("#deal-value")
    timeline = page.inner_text(".timeline")
    for label in ("Contacted", "Under NDA", "Negotiating", "Licensed"):
        assert label in timeline
    shot(page, "transfer-05-deal-licensed")
    deal = Deal.objects.get()
    assert deal.state == "licensed" and str(deal.value.currency) == "HKD"
    assert deal.offer.outcome_id == patent.pk
