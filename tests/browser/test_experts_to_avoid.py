"""Issue 17 in a real browser: an applicant names two experts to avoid on her half and submits; the
officer's assignment run shows them excluded, "named by the applicant"; the applicant's pages show
nothing about the match nor about who reviewed."""

import re

import pytest
from django.db import connection

from sciencebridge.experts import matching_adapter
from sciencebridge.funding.models import SchemeSide
from sciencebridge.funding.services import proposals as fsvc
from sciencebridge.review.models import Assignment
from sciencebridge.review.tests.conftest import TOPICS, rw  # noqa: F401  (fixture)
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.EXPERTS_MATCHING_MODEL = "tfidf"
    settings.LANGUAGE_CODE = "en"
    settings.JOBS_BACKEND = "thread" if connection.vendor == "postgresql" else "sync"
    matching_adapter.invalidate()
    yield
    matching_adapter.invalidate()


def test_applicant_names_experts_to_avoid_and_the_run_excludes_them(
    rw,  # noqa: F811
    make_ready_pair,
    browser_page,
):
    page = browser_page
    SchemeSide.objects.filter(scheme=rw.scheme).update(
        avoid_experts_allowed=True, avoid_experts_max=3
    )
    p = make_ready_pair(title="Solid-state battery electrolytes for delivery robots")
    p.abstract = TOPICS["battery"][1]
    p.save(update_fields=["abstract"])
    first, second = rw.experts["HK"][0], rw.experts["HK"][1]

    # 1. The applicant names two experts to avoid on her half, then submits it.
    login(page, "hk_lead")
    page.goto(page.base + f"/proposals/{p.reference}/")
    page.click("#edit-my-half")
    page.click("#avoid-link-hk")
    page.wait_for_selector("#exclusions-form")
    assert page.locator("#exclusions-form fieldset").count() == 3
    page.fill("#id_x-0-name", first.name_en)
    page.fill("#id_x-0-reason", "Leads a competing group.")
    page.fill("#id_x-1-name", second.name_en)
    page.fill("#id_x-1-institution", "HK University 1")
    page.fill("#id_x-1-reason", "A dispute over an earlier project.")
    page.click("#save-exclusions")
    page.wait_for_selector(".msg.success")
    assert "Recorded." in page.inner_text(".messages")
    shot(page, "avoid-01-named")
    page.goto(page.base + f"/proposals/{p.reference}/hk/")
    assert "Experts to avoid (2/3)" in page.inner_text("#avoid-link-hk")
    page.click("#submit-half")
    page.wait_for_selector(".msg.success")
    half = p.half("HK")
    half.refresh_from_db()
    assert half.is_submitted
    # The partner submits, the office endorses and the officer screens the half eligible (issue 2's
    # steps, through the services).
    ml = p.half("ML")
    ml.refresh_from_db()
    fsvc.submit_half(rw.ml_lead, ml)
    fsvc.endorse(rw.hk_office, half)
    fsvc.screen(rw.itc_officer, half, eligible=True, reason="Complete.")

    # 2. The officer sees the match and runs the assignment: both excluded, "named by the applicant".
    login(page, "itc_officer")
    page.goto(page.base + f"/exclusions/{p.reference}/hk/")
    table = page.inner_text("#exclusions")
    assert f"matched to {first}" in table and f"matched to {second}" in table
    page.goto(page.base + f"/review/calls/{rw.call.code}/")
    page.click("#side-hk button.start-run")
    page.wait_for_url(re.compile(r".*/review/runs/\d+/"))
    page.wait_for_selector(".figures", timeout=60000)
    unit = page.locator(f"#unit-h{half.pk}")
    text = unit.inner_text()
    assert "Excluded for conflicts of interest" in text
    for e in (first, second):
        assert f"{e}: Named by the applicant as an expert to avoid." in text
    shot(page, "avoid-02-run")
    seated = set(Assignment.objects.filter(half=half).values_list("expert_id", flat=True))
    assert seated and not seated & {first.pk, second.pk}
    page.click("button.publish")
    page.wait_for_selector(".msg.success")

    # 3. The applicant's pages say nothing about the match nor about who reviews.
    login(page, "hk_lead")
    reviewers = list(
        Assignment.objects.filter(half=half)
        .select_related("expert")
        .values_list("expert__name_en", flat=True)
    )
    for path in (f"/proposals/{p.reference}/", f"/exclusions/{p.reference}/hk/"):
        page.goto(page.base + path)
        body = page.inner_text("main")
        assert not any(name in body for name in reviewers)
        assert "matched to" not in body and "not in the database" not in body
        assert "Named by the applicant" not in body
    assert page.locator("#exclusions .badge").all_inner_texts() == ["recorded", "recorded"]
    shot(page, "avoid-03-applicant")
