"""Issue 6 (platforms and talent) in a real browser:

1. the public registry of labs and platforms, list and detail, in Traditional Chinese;
2. a Hong Kong researcher requests time on a Mainland instrument, the facility's manager approves,
   the researcher books a slot, and a second overlapping booking is refused with a clear message
   (the page keeps what was typed);
3. a Mainland applicant applies to a Hong Kong posting with a PDF CV, the host office selects them
   (ranked with the matching engine's reason shown), and the applicant sees the selection.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import MINIMAL_PDF, InstitutionFactory, UserFactory
from sciencebridge.platforms.models import Facility, Platform
from sciencebridge.platforms.services.registry import load_platforms
from sciencebridge.talent.models import Programme, ProgrammeCall
from sciencebridge.talent.services import exchanges as talent_svc
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = ("cv.pdf", "application/pdf", MINIMAL_PDF)


def test_registry_in_traditional_chinese(world, browser_page):
    for code, name, region in [
        ("cuhk", "CUHK", "HK"),
        ("hkust", "HKUST", "HK"),
        ("polyu", "PolyU", "HK"),
        ("cityu", "CityU", "HK"),
        ("seu", "Southeast University", "ML"),
    ]:
        InstitutionFactory(code=code, name=name, short_name=name, region=region)
    load_platforms()
    page = browser_page
    page.context.add_cookies([{"name": "django_language", "value": "zh-hant", "url": page.base}])
    page.goto(page.base + "/platforms/")
    page.wait_for_selector("html[lang=zh-hant]")
    assert "合成化學全國重點實驗室" in page.inner_text("#platforms")
    assert "重組中" in page.content() or "改組中" in page.content()
    shot(page, "p1-platforms-list-zh-hant")
    page.select_option("#id_kind", "skl")
    page.select_option("#id_status", "reorganising")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r".*kind=skl.*"))
    assert "毫米波國家重點實驗室" in page.inner_text("#platforms")
    assert "合成化學全國重點實驗室" not in page.inner_text("#platforms")
    page.click("text=毫米波國家重點實驗室")
    page.wait_for_selector("dl.facts")
    body = page.inner_text("main")
    assert "Southeast University" in body and "2008-03-01" in body
    shot(page, "p2-platform-detail-zh-hant")


def test_hk_researcher_books_mainland_facility_and_overlap_is_refused(world, browser_page):
    lab = Platform.objects.create(
        code="gba-test", kind="gba_joint_lab", name="Neutron scattering joint laboratory"
    )
    lab.hosts.add(world.hku)
    lab.partners.add(world.tsinghua)
    manager = UserFactory(username="ml_manager", institution=world.tsinghua)
    f = Facility.objects.create(
        platform=lab,
        code="ml-beamline",
        name="Neutron beamline (Dongguan)",
        kind="instrument",
        region="ML",
        slot_minutes=60,
    )
    f.managers.add(manager)
    page = browser_page
    # 1. The Hong Kong researcher asks for time for an approved project.
    login(page, world.hk_lead.username)
    page.goto(page.base + "/platforms/facilities/ml-beamline/")
    page.fill("#id_project_reference", "MHX/007/26")
    page.fill("#id_hours_requested", "8")
    page.fill("#id_purpose", "Diffraction of battery cathodes")
    page.click("main form.card button[type=submit]")
    page.wait_for_selector(".msg.success")
    assert "cross-boundary use" in page.inner_text("main")
    alloc_url = page.url
    # 2. The Mainland manager approves a quota of 6 hours.
    login(page, "ml_manager")
    page.goto(alloc_url)
    page.check("input[name=decide-decision][value=approve]")
    page.fill("#id_decide-hours_approved", "6")
    page.click("form:has(input[value=decide]) button[type=submit]")
    page.wait_for_selector(".msg.success")
    # 3. The researcher books 10:00-12:00 three days ahead.
    login(page, world.hk_lead.username)
    page.goto(alloc_url)
    day = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%d")
    page.fill("#id_book-starts_at", f"{day}T10:00")
    page.fill("#id_book-ends_at", f"{day}T12:00")
    page.click("form:has(input[value=book]) button[type=submit]")
    page.wait_for_selector(".msg.success")
    assert f"{day} 10:00" in page.inner_text("main")
    shot(page, "p3-booking-confirmed")
    # 4. A second, overlapping booking (11:00-13:00) is refused, saying why, and keeps the input.
    page.fill("#id_book-starts_at", f"{day}T11:00")
    page.fill("#id_book-ends_at", f"{day}T13:00")
    page.fill("#id_book-note", "second run")
    page.click("form:has(input[value=book]) button[type=submit]")
    page.wait_for_selector(".fielderror")
    assert "already booked" in page.inner_text(".fielderror")
    assert f"{day} 10:00" in page.inner_text(".fielderror")
    assert page.input_value("#id_book-note") == "second run"
    shot(page, "p4-overlap-refused")
    assert f.bookings.count() == 1
    # 5. The cross-boundary page shows it, as such.
    page.goto(page.base + "/platforms/cross-boundary/")
    assert "MHX/007/26" in page.inner_text("main")


def test_applicant_applies_and_is_selected(world, browser_page):
    now = timezone.now()
    prog = Programme.objects.create(
        code="ysx", name="Young scientist exchange", kind="young_scientist"
    )
    call = ProgrammeCall.objects.create(
        programme=prog,
        code="ysx-26",
        title="2026 round",
        opens_at=now - dt.timedelta(days=3),
        closes_at=now + dt.timedelta(days=30),
    )
    world.hku_office.grant_role(Role.RESEARCH_OFFICE)
    posting = talent_svc.create_posting(
        world.hku_office,
        call,
        title="Visiting researcher in quantum sensing",
        duration_months=6,
        description="Diamond NV-centre quantum sensing for biomedical imaging.",
        keywords="quantum sensing, imaging",
    )
    page = browser_page
    login(page, world.ml_lead.username)
    page.goto(page.base + "/talent/")
    page.click("text=Visiting researcher in quantum sensing")
    page.fill(
        "#id_statement", "I build NV-centre quantum sensing microscopes for biomedical imaging."
    )
    page.set_input_files("#id_cv", files=[{"name": PDF[0], "mimeType": PDF[1], "buffer": PDF[2]}])
    page.click("main form.card button[type=submit]")
    page.wait_for_selector(".msg.success")
    assert "Submitted" in page.inner_text("#my-application")
    shot(page, "p5-application-sent")
    login(page, world.hku_office.username)
    page.goto(page.base + f"/talent/postings/{posting.pk}/manage/")
    row = page.locator("#applications tbody tr").first
    assert "quantum sensing" in row.inner_text()  # the reason for the match
    row.locator("select[name=to]").select_option("selected")
    row.locator("input[name=starts_on]").fill("2026-03-01")
    row.locator("input[name=ends_on]").fill("2026-09-01")
    row.locator("button[type=submit]").click()
    page.wait_for_selector(".msg.success")
    assert "Selected" in page.inner_text("#applications")
    shot(page, "p6-selected")
    login(page, world.ml_lead.username)
    page.goto(page.base + f"/talent/postings/{posting.pk}/")
    assert "Selected" in page.inner_text("#my-application")
    shot(page, "p7-applicant-sees-selection")
