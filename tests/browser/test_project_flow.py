"""Issue 5, funded projects, end to end in a real browser: an award becomes a project; the first tranche
is paid (a double submit pays once); a progress report is submitted with its PDF and accepted; the next
tranche is released and paid; a patent outcome is recorded; overdue items show on the officer's dashboard."""

import datetime as dt

import pytest

from sciencebridge.core.testing.factories import MINIMAL_PDF
from sciencebridge.projects.models import Payment, Project, Report, TrancheState
from sciencebridge.projects.tests.conftest import fund_proposal
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = ("progress-report-1.pdf", "application/pdf", MINIMAL_PDF)


def test_award_to_project_payment_report_tranche_patent(world, make_ready_pair, browser_page):
    page = browser_page
    # 1. Both agencies fund the joint proposal: the hand-over signal makes it a project.
    proposal = fund_proposal(world, make_ready_pair(title="Cross-boundary cold-chain sensing"))
    project = Project.objects.get(proposal=proposal)
    ref = project.reference

    login(page, "hk_lead")
    page.click("nav.mainnav >> text=My projects")
    assert ref in page.inner_text("#project-list")
    page.click(f"text={ref}")
    assert "HK$600,000.00" in page.inner_text("#side-hk .budget")
    assert "CN¥500,000.00" in page.inner_text("#side-ml .budget")
    assert "Released for payment" in page.inner_text("#tranche-hk-1")
    assert "Scheduled" in page.inner_text("#tranche-hk-2")
    shot(page, "projects-01-new-project")

    # 2. The ITC officer pays tranche 1; submitting the same form twice pays once.
    login(page, "itc_officer")
    page.goto(page.base + f"/projects/{ref}/")
    assert page.locator("#side-ml").count() == 0  # the Mainland side's money is MOST's business
    page.click("#tranche-hk-1 a.button")
    assert page.input_value("#id_amount_0") in ("240000", "240000.00")
    page.fill("#id_amount_0", "999999")
    page.click("#record-payment")
    assert "would exceed the approved budget" in page.inner_text("#payment-form")
    page.fill("#id_amount_0", "240000")
    page.fill("#id_bank_reference", "HSBC-778812")
    fields = page.eval_on_selector("#payment-form", "f => Object.fromEntries(new FormData(f))")
    pay_url = page.url
    page.click("#record-payment")
    page.wait_for_selector(".msg.success")
    # replay the very same form (same idempotency key), as a double click or a network retry would
    replay = page.request.post(pay_url, form=fields, headers={"Referer": pay_url})
    assert replay.ok and "nothing was paid twice" in replay.text()
    assert Payment.objects.count() == 1
    page.goto(page.base + f"/projects/{ref}/")
    assert "Paid" in page.inner_text("#tranche-hk-1")
    assert "HK$240,000.00" in page.inner_text("#side-hk .paid")
    shot(page, "projects-02-tranche-paid")

    # 3. The Hong Kong lead submits progress report 1 with its PDF.
    login(page, "hk_lead")
    page.goto(page.base + f"/projects/{ref}/")
    page.click("#report-hk-1 a.button")
    page.fill(
        "#id_summary",
        "Sensor nodes built and tested on the Lok Ma Chau route; joint workshop held.",
    )
    page.fill("#id_milestones", "M1 design, M2 prototype")
    page.click("#submit-report")
    page.wait_for_selector(".has-error")  # the PDF is required
    assert page.input_value("#id_summary").startswith("Sensor nodes built")
    page.set_input_files("#id_file", files=[{"name": PDF[0], "mimeType": PDF[1], "buffer": PDF[2]}])
    page.click("#submit-report")
    page.wait_for_selector(".msg.success")
    assert "Submitted" in page.inner_text("#report-hk-1")
    shot(page, "projects-03-report-submitted")

    # 4. The ITC officer accepts it; tranche 2 is released, and paid.
    login(page, "itc_officer")
    page.goto(page.base + f"/projects/{ref}/")
    page.click("#report-hk-1 a.button")
    page.check("input[name=decision][value=accept]")
    page.fill("#id_comment", "Progress as planned.")
    shot(page, "projects-04-review")
    page.click("#record-review")
    page.wait_for_selector(".msg.success")
    assert "Tranche 2 is now released for payment" in page.inner_text(".messages")
    assert "Released for payment" in page.inner_text("#tranche-hk-2")
    page.click("#tranche-hk-2 a.button")
    page.click("#record-payment")
    page.wait_for_selector(".msg.success")
    assert "Paid" in page.inner_text("#tranche-hk-2")
    assert "HK$540,000.00" in page.inner_text("#side-hk .paid")
    shot(page, "projects-05-next-tranche-paid")

    # 5. The Mainland lead records a patent outcome.
    login(page, "ml_lead")
    page.goto(page.base + f"/projects/{ref}/")
    page.click("#add-outcome")
    page.select_option("#id_kind", "patent")
    page.fill("#id_title", "Low-power cold-chain sensor node")
    page.click("#save")
    assert "Give the status of this IP" in page.inner_text("main")
    page.select_option("#id_ip_status", "filed")
    page.select_option("#id_jurisdiction", "PCT")
    page.fill("#id_application_number", "PCT/CN2026/100123")
    page.click("#save")
    page.wait_for_selector(".msg.success")
    assert "PCT international application" in page.inner_text("#outcomes")
    shot(page, "projects-06-patent-outcome")

    # 6. A report that runs late shows on the MOST officer's dashboard.
    Report.objects.filter(project_side__project=project, project_side__side="ML", number=1).update(
        due_date=dt.date.today() - dt.timedelta(days=12)
    )
    login(page, "most_officer")
    panel = page.inner_text("#projects-officer-panel")
    assert ref in panel and "overdue by" in panel
    shot(page, "projects-07-officer-dashboard")
    # On a phone the panel's tables scroll inside their own box, their visually hidden column
    # labels included: the page is no wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the officer's dashboard is {overflow}px wider than a 390px phone"
    assert project.sides.get(side="HK").tranches.get(number=2).state == TrancheState.PAID
