"""Issue 13, GBA data flows, in a real browser: a project lead in Shenzhen asks to send survey data with
personal information to the partner at HKU; a recipient in Beijing is refused with the reason and the
input kept; the fields are filled and the PIIA attached; both parties accept; the bilingual PDF opens; each
party's filing due date skips its own side's public holidays; both filings are recorded; the secretariat's
oversight and the committee's workplan item move."""

import datetime as dt
from decimal import Decimal

import pytest

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import MINIMAL_PDF, UserFactory
from sciencebridge.dataflows import reference
from sciencebridge.dataflows.models import DataTransferAgreement, GBALocation
from sciencebridge.dataflows.services.filings import due_date
from sciencebridge.projects.tests.conftest import fund_proposal
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EFFECTIVE = dt.date(2026, 9, 28)  # the Monday before the National Day holidays on both sides


def item_progress(page, number):
    return page.get_attribute(
        f".workplan-progress .item-row[data-number='{number}']", "data-progress"
    )


def _workplan():
    from sciencebridge.cooperation.models import CooperationArea
    from sciencebridge.cooperation.services import workplans as wsvc
    from sciencebridge.cooperation.services.reference import load_public_record

    load_public_record()
    sec = UserFactory(username="gba_sec", roles=[Role.SECRETARIAT])
    wp = wsvc.create_workplan(sec, code="wp-gba", title="Workplan 2026", period="2026")
    wsvc.save_item(
        sec,
        wp,
        area=CooperationArea.objects.get(code="gba"),
        number="ix",
        text="File GBA data-transfer agreements on time",
        metric_code="dataflows.on_time_filing_rate",
        target=Decimal(100),
    )
    wsvc.move_workplan(sec, wp, "approved", "Approved")
    return sec


def test_shenzhen_lead_sends_survey_data_to_hku(world, make_ready_pair, browser_page):
    page = browser_page
    project = fund_proposal(world, make_ready_pair(title="Cross-boundary commuting survey")).project
    UserFactory(
        username="hku_partner",
        first_name="Siu Wai",
        last_name="Cheung",
        institution=world.hku,
        roles=[Role.APPLICANT],
    )
    reference.load()  # live-server tests flush the database between tests: the migration's rows go
    _workplan()
    loc = {x.code: x for x in GBALocation.objects.all()}
    page.goto(page.base + "/cooperation/")
    assert item_progress(page, "ix") == "0.0"

    # 1. The Mainland lead (Shenzhen) asks to send survey data to HKU; Beijing is refused, input kept.
    login(page, "ml_lead")
    page.goto(page.base + "/dataflows/")
    page.click("text=Request a data transfer")
    page.fill("#id_title", "Commuter survey wave 1")
    page.select_option("#id_project", str(project.pk))
    page.select_option("#id_processor_institution", str(world.tsinghua.pk))
    page.select_option("#id_processor_location", str(loc["shenzhen"].pk))
    page.select_option("#id_recipient_institution", str(world.hku.pk))
    page.select_option("#id_recipient_location", str(loc["beijing"].pk))
    page.fill("#id_recipient_contact_email", "hku_partner@example.org")
    page.fill("#id_purpose", "Joint analysis of commuting patterns")
    page.fill("#id_processing_method", "Pseudonymised statistical analysis")
    page.fill("#id_pi_categories", "Age band; district of residence; commuting times")
    page.fill("#id_volume", "1200")
    page.fill("#id_retention_months", "36")
    page.select_option("#id_consent_basis", "consent")
    page.fill("#id_security_measures", "Encryption at rest and in transit; named researchers only")
    page.fill("#id_piia_date", "2026-09-01")
    page.fill("#id_effective_date", EFFECTIVE.isoformat())
    page.set_input_files(
        "#id_piia_file", {"name": "piia.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}
    )
    page.click("main form button[type=submit]")
    assert "Beijing is outside the Greater Bay Area" in page.inner_text("main")
    assert page.input_value("#id_purpose") == "Joint analysis of commuting patterns"
    assert DataTransferAgreement.objects.count() == 0
    shot(page, "gba-01-beijing-refused")
    page.select_option("#id_recipient_location", str(loc["hong-kong"].pk))
    page.set_input_files(
        "#id_piia_file", {"name": "piia.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}
    )
    page.click("main form button[type=submit]")
    page.wait_for_selector("#submit-agreement")
    a = DataTransferAgreement.objects.get()
    assert a.piia_file

    # 2. Submitted; the lead accepts for the sender.
    page.click("#submit-agreement")
    page.click("#accept-processor")
    assert "Awaiting acceptance" in page.inner_text("#agreement-state")

    # 3. The partner at HKU accepts for the recipient: signed, both filings scheduled.
    login(page, "hku_partner")
    page.goto(page.base + f"/dataflows/agreements/{a.pk}/")
    page.click("#accept-recipient")
    assert "Signed by both parties" in page.inner_text("#agreement-state")
    ml_due = due_date(EFFECTIVE, "CN", 10)
    hk_due = due_date(EFFECTIVE, "HK", 10)
    assert ml_due == dt.date(2026, 10, 16) and hk_due != ml_due
    assert ml_due.isoformat() in page.inner_text("#filing-processor .due")
    assert hk_due.isoformat() in page.inner_text("#filing-recipient .due")
    assert "2026-10-01" in page.inner_text("#filing-processor .holidays")  # National Day (CN)
    assert "2026-10-01" in page.inner_text("#filing-recipient .holidays")  # National Day (HK)
    assert "2026-10-05" in page.inner_text(
        "#filing-processor .holidays"
    )  # Golden Week: Mainland only
    assert "2026-10-05" not in page.inner_text("#filing-recipient .holidays")
    shot(page, "gba-02-signed-filings-due")

    # 4. The bilingual contract opens (Simplified Chinese + English; Traditional offered).
    for link in ("#pdf-hans", "#pdf-hant"):
        r = page.request.get(page.base + page.get_attribute(link, "href"))
        assert r.ok and r.headers["content-type"] == "application/pdf"
        assert r.body().startswith(b"%PDF")

    # 5. Both filings: HKU with the Digital Policy Office, the lead with the Guangdong office.
    f_hk = a.filings.get(party="recipient")
    page.fill(f"#id_f{f_hk.pk}-reference", "DPO-GBA-2026-0042")
    page.fill(f"#id_f{f_hk.pk}-filed_on", "2026-10-06")
    page.click("#filing-recipient button[type=submit]")
    assert "DPO-GBA-2026-0042" in page.inner_text("#filing-recipient")
    login(page, "ml_lead")
    page.goto(page.base + f"/dataflows/agreements/{a.pk}/")
    f_ml = a.filings.get(party="processor")
    page.fill(f"#id_f{f_ml.pk}-reference", "GDCAC-2026-0107")
    page.fill(f"#id_f{f_ml.pk}-filed_on", "2026-09-25")  # before the contract took effect
    page.click("#filing-processor button[type=submit]")
    assert "before the contract took effect" in page.inner_text("main")
    page.fill(f"#id_f{f_ml.pk}-reference", "GDCAC-2026-0107")
    page.fill(f"#id_f{f_ml.pk}-filed_on", "2026-10-12")
    page.click("#filing-processor button[type=submit]")
    assert "GDCAC-2026-0107" in page.inner_text("#filing-processor")
    shot(page, "gba-03-filed")

    # 6. The secretariat's oversight and the workplan item move.
    login(page, "gba_sec")
    page.goto(page.base + "/dataflows/agreements/oversight/")
    assert page.inner_text("#m-signed").strip() == "1"
    assert page.inner_text("#m-ontime").strip().startswith("100")
    assert "Joint analysis of commuting patterns" not in page.inner_text("main")
    shot(page, "gba-04-oversight")
    page.goto(page.base + "/cooperation/")
    assert item_progress(page, "ix") == "100.0"
