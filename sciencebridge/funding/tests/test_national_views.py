"""National programmes through the pages and the API: eligibility told at draft time, the single half from
submission to project, and who sees the applicant's personal eligibility data (object by object)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import AgencyFactory, UserFactory
from sciencebridge.funding.models import Call, EligibilityProfile, HalfState, JointProposal
from sciencebridge.funding.services import proposals as svc

from .conftest import applicant
from .test_national import _review_and_recommend

pytestmark = pytest.mark.django_db
DOB = "1990-05-01"


def test_call_page_explains_eligibility(client, nworld):
    url = reverse("funding:call", args=[nworld.call.code])
    client.force_login(nworld.young)
    page = client.get(url).content.decode()
    assert 'id="start-application"' in page and "is designated for this exercise" in page
    assert "0 of 2 made" in page and "Men under 38, women under 40" in page
    old = applicant("old", nworld.hku, born=dt.date(1980, 1, 1), sex="M")
    client.force_login(old)
    page = client.get(url).content.decode()
    assert "this programme takes men under 38" in page and 'id="start-application"' not in page
    mu = applicant("mu", nworld.hkmu, born=dt.date(1992, 1, 1), sex="F")
    client.force_login(mu)
    page = client.get(url).content.decode()
    assert "Hong Kong Metropolitan University is not designated" in page
    # Applying anyway: the reason, and nothing created.
    r = client.post(
        reverse("funding:proposal_create", args=[nworld.call.code]),
        {"title": "T", "abstract": "A", "duration_months": 36},
    )
    assert r.status_code == 200 and "is not designated" in r.content.decode()
    assert not JointProposal.objects.exists()


def test_eligibility_profile_page_saves_own_data(client, nworld):
    client.force_login(nworld.young)
    url = reverse("funding:eligibility_profile")
    r = client.post(
        url,
        {
            "date_of_birth": "1991-02-03",
            "sex": "F",
            "employment_type": "full_time",
            "career_stage": "faculty",
            "months_in_region": "13",
        },
    )
    assert r.status_code == 200 and "A year has 12 months." in r.content.decode()
    r = client.post(
        url + "?next=/calls/eys-2026/",
        {
            "date_of_birth": "1991-02-03",
            "sex": "F",
            "employment_type": "full_time",
            "career_stage": "faculty",
            "months_in_region": "10",
        },
    )
    assert r.status_code == 302 and r["Location"] == "/calls/eys-2026/"
    assert EligibilityProfile.objects.get(user=nworld.young).date_of_birth == dt.date(1991, 2, 3)


def test_views_end_to_end_single_half(client, nworld, national_ready):
    from sciencebridge.projects.models import Project

    client.force_login(nworld.young)
    r = client.post(
        reverse("funding:proposal_create", args=[nworld.call.code]),
        {"title": "Coastal quantum sensing", "abstract": "Abstract.", "duration_months": 36},
    )
    assert r.status_code == 302
    p = JointProposal.objects.get()
    assert p.halves.count() == 1
    page = client.get(reverse("funding:proposal", args=[p.reference])).content.decode()
    assert 'id="national-eligibility"' in page and 'id="invite-partner"' not in page
    assert 'id="personal-data"' not in page  # the applicant edits it on the profile page
    assert client.get(reverse("funding:invite", args=[p.reference])).status_code == 403
    # Complete it (services), submit through the page.
    full = national_ready(title="Second")
    half = full.halves.get()
    r = client.post(reverse("funding:submit", args=[full.reference, "ml"]))
    half.refresh_from_db()
    assert half.state == HalfState.SUBMITTED
    client.force_login(nworld.officer)
    page = client.get(reverse("funding:proposal", args=[full.reference])).content.decode()
    assert 'id="personal-data"' in page and DOB in page
    screen = reverse("funding:screen", args=[full.reference, "ml"])
    page = client.get(screen).content.decode()
    assert "Declaration to verify" in page
    r = client.post(screen, {"decision": "eligible", "reason": "OK"})
    assert "Verify the applicant" in r.content.decode()
    r = client.post(screen, {"decision": "eligible", "reason": "OK", "declarations_verified": "on"})
    assert r.status_code == 302
    half.refresh_from_db()
    assert half.state == HalfState.ELIGIBLE
    _review_and_recommend(nworld, half)
    # Panels and the meeting show the one side; the Hong Kong panel of this call does not exist.
    assert client.get(reverse("decisions:panel", args=[nworld.call.code, "ml"])).status_code == 200
    assert client.get(reverse("decisions:panel", args=[nworld.call.code, "hk"])).status_code == 404
    meeting = client.get(reverse("decisions:meeting", args=[nworld.call.code]))
    assert meeting.status_code == 200 and DOB not in meeting.content.decode()
    r = client.post(
        reverse("decisions:decide", args=[full.reference, "ml"]),
        {"decision": "fund", "amount": "2000000", "reason": "Ranked first."},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    project = Project.objects.get(proposal=full)
    detail = client.get(reverse("projects:detail", args=[project.reference]))
    assert detail.status_code == 200 and "2,000,000" in detail.content.decode()
    assert project.sides.get().tranches.count() == 3
    call_page = client.get(reverse("funding:call", args=[nworld.call.code])).content.decode()
    assert "1 of 2 made" in call_page
    # Exports never carry personal data.
    csv = client.get(reverse("funding:officer_proposals", args=[nworld.call.code]) + "?format=csv")
    assert csv.status_code == 200 and DOB not in csv.content.decode()


def test_who_sees_personal_eligibility_data(client, nworld, national_ready):
    """The person; the screening officers of the agency the half was submitted to. Not before submission,
    not another agency's officers, research offices, reviewers, panel chairs or other applicants."""
    p = national_ready()
    half = p.halves.get()
    person = nworld.young
    most = AgencyFactory(code="most")
    others = {
        "most_officer": UserFactory(username="mo", agency=most, roles=[Role.PROGRAMME_OFFICER]),
        "hku_office": UserFactory(
            username="hku_off", institution=nworld.hku, roles=[Role.RESEARCH_OFFICE]
        ),
        "chair": nworld.chair,
        "other_applicant": applicant("other", nworld.hku, born=dt.date(1991, 1, 1), sex="F"),
    }
    assert person.has_perm("funding.view_eligibility_profile", person)
    assert not nworld.officer.has_perm("funding.view_eligibility_profile", person)  # a draft
    svc.submit_half(person, half)
    assert nworld.officer.has_perm("funding.view_eligibility_profile", person)
    for name, user in others.items():
        assert not user.has_perm("funding.view_eligibility_profile", person), name
    # The other applicant's data stays hidden from the officer (nothing submitted by them).
    assert not nworld.officer.has_perm(
        "funding.view_eligibility_profile", others["other_applicant"]
    )
    # Pages: the research office reads the submitted half but not the personal data.
    client.force_login(others["hku_office"])
    r = client.get(reverse("funding:proposal", args=[p.reference]))
    assert DOB not in r.content.decode() and 'id="personal-data"' not in r.content.decode()
    # Reviewers read the review page: no personal data.
    svc.screen(nworld.officer, half, eligible=True, reason="OK", declarations_verified=True)
    half.refresh_from_db()
    _review_and_recommend(nworld, half)
    from sciencebridge.review.models import Review

    review = Review.objects.get()
    client.force_login(nworld.chair)
    r = client.get(reverse("decisions:panel", args=[nworld.call.code, "ml"]))
    assert r.status_code == 200 and DOB not in r.content.decode()
    assert review.assignment.half_id == half.pk


def test_api_carries_no_personal_data(client, nworld, national_ready):
    p = national_ready()
    svc.submit_half(nworld.young, p.halves.get())
    client.force_login(nworld.officer)
    r = client.get("/api/v1/proposals/")
    body = r.content.decode()
    assert r.status_code == 200 and p.reference in body
    assert DOB not in body and "date_of_birth" not in body and "months_in_region" not in body
    schemes = client.get("/api/v1/schemes/").json()
    kinds = {s["code"]: s["kind"] for s in schemes["results"]}
    assert kinds["nsfc-eys-hkm"] == "national"
    call = client.get(f"/api/v1/calls/{nworld.call.pk}/").json()
    assert call["award_quota"] == 2 and call["reference_date"] == "2026-01-01"


def test_closed_call_deadline_page_safe(nworld):
    Call.objects.filter(pk=nworld.call.pk).update(closes_at=timezone.now() - dt.timedelta(days=1))
    nworld.call.refresh_from_db()
    assert svc.process_deadline(nworld.call) == {"lapsed": 0, "unilateral": 0}
