"""Issue 12 (expert databases) in a real browser: HKU's research office nominates two experts from a CSV
file (one row refused, with the reason, nothing lost), the expert consents, the office submits, ITC checks
and forwards, MOST approves and the expert is in the database; MOST's export lists them."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.experts.models import ExpertProfile
from sciencebridge.nominations.models import Nomination, NominationExercise
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_batch_nomination_to_approval(world, browser_page):
    today = timezone.localdate()
    ex = NominationExercise.objects.create(
        code="edb",
        name="Expert databases 2026",
        year=today.year,
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=5),
        checking_agency=world.itc,
        approving_agency=world.most,
    )
    ex.nominating_institutions.set([world.hku])
    user = UserFactory(username="ada", institution=world.hku, roles=[Role.EXPERT])
    ExpertProfile.objects.create(
        user=user, name_en="Ada Wong", region="HK", institution=world.hku, email="ada@example.org"
    )
    page = browser_page

    login(page, "hku_office")
    page.goto(page.base + "/nominations/batch/")
    page.select_option("#id_exercise", str(ex.pk))
    page.set_input_files(
        "#id_file",
        {
            "name": "nominations.csv",
            "mimeType": "text/csv",
            "buffer": b"email,database\nada@example.org,programmes\nghost@example.org,awards\n",
        },
    )
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/nominations/batch/\d+/"))
    report = page.inner_text("#batch-report")
    assert "Ada Wong" in report and "No expert with the e-mail address ghost@example.org" in report
    shot(page, "n1-batch-report")
    nom = Nomination.objects.get()
    page.goto(page.base + f"/nominations/{nom.pk}/")
    page.click("button[value=submit]")
    page.wait_for_selector(".messages .msg.error")
    assert "has not consented to this nomination" in page.inner_text(".messages")

    login(page, "ada")
    page.goto(page.base + f"/nominations/{nom.pk}/")
    page.click("button[value=consent]")
    page.wait_for_selector("#consent:has-text('Given')")

    login(page, "hku_office")
    page.goto(page.base + f"/nominations/{nom.pk}/")
    page.click("button[value=submit]")
    page.wait_for_selector(".state-submitted")

    login(page, "itc_officer")
    page.goto(page.base + f"/nominations/{nom.pk}/")
    page.fill("#id_reason_c", "Qualified")
    page.click("button[value=forward]")
    page.wait_for_selector(".state-forwarded")

    login(page, "most_officer")
    page.goto(page.base + f"/nominations/{nom.pk}/")
    page.click("button[value=approve]")
    page.wait_for_selector(".state-approved")
    assert "Qualified" in page.inner_text(".timeline")
    shot(page, "n2-approved")
    with page.expect_download() as dl:
        page.goto(page.base + "/nominations/")
        page.click("a:has-text('CSV')")
    text = Path(dl.value.path()).read_text(encoding="utf-8-sig")
    assert "ada@example.org" in text.splitlines()[1]
