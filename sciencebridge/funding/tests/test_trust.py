"""Issue 11 (trust), the funding items: drafts invisible to officers, what "summary" shares, positive
budget lines, actions offered only when allowed, real PDFs, bounded texts, row-locked transitions."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone
from djmoney.money import Money
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sciencebridge.core.models import StateTransition
from sciencebridge.core.testing.factories import MINIMAL_PDF
from sciencebridge.funding import rules
from sciencebridge.funding.models import BudgetLine, HalfState, JointProposal, ProposalHalf
from sciencebridge.funding.rules import half_visibility
from sciencebridge.funding.selectors import visible_halves, visible_proposals
from sciencebridge.funding.services import proposals as svc
from sciencebridge.funding.validation import check_attachment_file
from sciencebridge.funding.visibility import HALF_FIELDS, PENDING, half_data

pytestmark = pytest.mark.django_db


def api(user):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return c


def _fresh(p) -> JointProposal:
    return visible_proposals(p.created_by).get(pk=p.pk)


def _same_page(content: bytes, ref: str) -> bytes:
    """The page without its reference and its per-render CSRF token (masked anew on every render)."""
    import re

    return re.sub(
        rb'name="csrfmiddlewaretoken" value="[^"]+"', b"CSRF", content.replace(ref.encode(), b"REF")
    )


def _officer_urls(ref):
    return [
        reverse("funding:proposal", args=[ref]),
        reverse("decisions:outcome", args=[ref]),
        reverse("decisions:decide", args=[ref, "hk"]),
        reverse("decisions:decide", args=[ref, "ml"]),
        reverse("funding:screen", args=[ref, "hk"]),
        reverse("funding:screen", args=[ref, "ml"]),
        f"/api/v1/proposals/{ref}/",
    ]


# ----------------------------------------------------------------------------------------------
# 1. Officers never read a proposal that was not submitted to their own agency
# ----------------------------------------------------------------------------------------------
def test_officers_get_404_for_a_draft_exactly_as_for_a_missing_reference(
    world, make_ready_pair, client
):
    p = make_ready_pair()  # both halves complete, neither submitted
    missing = p.reference[:-4] + "9999"
    for officer in (world.itc_officer, world.most_officer):
        client.force_login(officer)
        for url, ghost in zip(_officer_urls(p.reference), _officer_urls(missing), strict=True):
            resp = client.get(url) if not url.startswith("/api/") else api(officer).get(url)
            absent = client.get(ghost) if not ghost.startswith("/api/") else api(officer).get(ghost)
            assert resp.status_code == absent.status_code == 404, (
                officer.username,
                url,
                resp.status_code,
            )
            assert _same_page(resp.content, p.reference) == _same_page(absent.content, missing), url
        resp = client.post(
            reverse("decisions:decide", args=[p.reference, "hk"]),
            {"decision": "fund", "amount": "1", "reason": "x"},
        )
        assert resp.status_code == 404
        assert not visible_proposals(officer).exists() and not visible_halves(officer).exists()
        assert all(half_visibility(officer, h) is None for h in p.halves.all())
        assert not rules.officer_receives(officer, p)


def test_only_the_agency_it_was_submitted_to_sees_a_half(world, make_ready_pair, client):
    p = make_ready_pair()
    svc.submit_half(world.ml_lead, p.half("ML"))  # to MOST; the Hong Kong half is still a draft
    client.force_login(world.most_officer)
    assert client.get(reverse("funding:proposal", args=[p.reference])).status_code == 200
    assert client.get(reverse("decisions:outcome", args=[p.reference])).status_code == 200
    client.force_login(world.itc_officer)  # nothing was submitted to ITC: no trace of the proposal
    for url in _officer_urls(p.reference)[:-1]:
        assert client.get(url).status_code == 404, url
    assert api(world.itc_officer).get(f"/api/v1/proposals/{p.reference}/").status_code == 404
    assert not visible_proposals(world.itc_officer).exists()


def test_a_proposal_withdrawn_as_a_draft_never_reaches_the_officers(world, make_ready_pair, client):
    p = make_ready_pair()
    svc.withdraw(world.hk_lead, p, "Changed our minds")
    assert {h.state for h in ProposalHalf.objects.filter(proposal=p)} == {HalfState.WITHDRAWN}
    for officer in (world.itc_officer, world.most_officer):
        client.force_login(officer)
        assert client.get(reverse("funding:proposal", args=[p.reference])).status_code == 404
        assert client.get(reverse("decisions:outcome", args=[p.reference])).status_code == 404
        assert not visible_proposals(officer).exists()
    client.force_login(world.hk_office)  # never sent to the research office either
    assert client.get(reverse("funding:proposal", args=[p.reference])).status_code == 404


def test_withdrawn_after_submission_stays_visible_to_its_agency(world, make_ready_pair):
    p = make_ready_pair()
    svc.submit_half(world.ml_lead, p.half("ML"))
    svc.withdraw(world.ml_lead, p, "Lab closed")
    assert list(visible_proposals(world.most_officer)) == [p]
    assert not visible_proposals(world.itc_officer).exists()


def test_selector_and_predicate_agree_for_every_identity(world, make_ready_pair):
    p = make_ready_pair()
    people = [
        world.itc_officer,
        world.most_officer,
        world.hk_office,
        world.hku_office,
        world.hk_lead,
        world.ml_lead,
        world.outsider,
    ]

    def check():
        for user in people:
            for half in _fresh(p).halves.all():
                by_rule = half_visibility(user, half) is not None
                by_query = visible_halves(user).filter(pk=half.pk).exists()
                assert by_rule == by_query, (user.username, half.side, half.state)

    check()
    svc.submit_half(world.hk_lead, p.half("HK"))
    check()
    svc.submit_half(world.ml_lead, p.half("ML"))
    check()


# ----------------------------------------------------------------------------------------------
# 2. What each visibility level shares, field by field
# ----------------------------------------------------------------------------------------------
def test_the_fields_of_each_level_are_defined_once_and_nested():
    assert HALF_FIELDS[PENDING] == ("side", "agency", "submitted")
    assert HALF_FIELDS["status"] == ("side", "agency", "submitted", "state", "submitted_at")
    assert HALF_FIELDS["summary"] == (
        "side",
        "agency",
        "submitted",
        "state",
        "submitted_at",
        "institution",
        "lead",
        "team",
    )
    assert set(HALF_FIELDS["full"]) - set(HALF_FIELDS["summary"]) == {
        "screening_reason",
        "keywords",
        "discipline_codes",
        "industry_sponsorship",
        "budget",
        "budget_total",
        "currency",
        "attachments",
    }


def _api_half(user, ref, side):
    body = api(user).get(f"/api/v1/proposals/{ref}/").json()
    return next((h for h in body["halves"] if h["side"] == side), None)


def _page_section(client, ref, side):
    html = client.get(reverse("funding:proposal", args=[ref])).content.decode()
    return html.split(f'id="half-{side.lower()}"')[1].split("</section>")[0]


def test_the_lead_reads_team_and_budget_lines_as_json(world, make_ready_pair):
    p = make_ready_pair()
    hk = p.half("HK")
    svc.replace_budget(
        world.hk_lead,
        hk,
        [
            {"category": "staff", "description": "RA", "amount": Money("600000", "HKD")},
            {"category": "travel", "description": "Visits", "amount": Money("1234.5", "HKD")},
        ],
    )
    svc.add_team_member(world.hk_lead, hk, name="Dr Chan Tai Man")
    data = _api_half(world.hk_lead, p.reference, "HK")
    assert data["budget"] == [
        {"category": "staff", "description": "RA", "amount": "600000.00", "currency": "HKD"},
        {"category": "travel", "description": "Visits", "amount": "1234.50", "currency": "HKD"},
    ]
    member = hk.team.get(name="Dr Chan Tai Man")
    code = member.institution.code if member.institution else None
    assert {"name": "Dr Chan Tai Man", "role": member.role, "institution": code} in data["team"]


def test_partner_draft_shows_only_that_it_is_not_submitted(world, make_ready_pair, client):
    p = make_ready_pair()
    ml = p.half("ML")
    svc.add_team_member(world.ml_lead, ml, name="Draft Teammate Wang")
    svc.submit_half(world.hk_lead, p.half("HK"))
    ml_half = _fresh(p).half("ML")
    for viewer in (
        world.itc_officer,
        world.hk_office,
    ):  # the partner agency, the partner's institution
        assert half_visibility(viewer, ml_half) == PENDING
        assert set(half_data(ml_half, PENDING)) == {"side", "agency", "submitted"}
        assert _api_half(viewer, p.reference, "ML") == {
            "visibility": "pending",
            "side": "ML",
            "agency": "most",
            "submitted": False,
        }
        client.force_login(viewer)
        section = _page_section(client, p.reference, "ML")
        assert "has not yet submitted" in section
        for secret in (
            "Tsinghua",
            "Draft Teammate Wang",
            world.ml_lead.get_full_name(),
            "Draft",
            "500,000",
        ):
            assert secret not in section, (viewer.username, secret)


def test_summary_shares_state_institution_and_team_once_submitted_and_nothing_else(
    world, make_ready_pair, client
):
    p = make_ready_pair()
    svc.add_team_member(world.ml_lead, p.half("ML"), name="Submitted Teammate Li")
    svc.submit_half(world.hk_lead, p.half("HK"))
    svc.submit_half(world.ml_lead, p.half("ML"))
    ml_half = _fresh(p).half("ML")
    assert half_visibility(world.itc_officer, ml_half) == "summary"
    data = _api_half(world.itc_officer, p.reference, "ML")
    assert set(data) == set(HALF_FIELDS["summary"]) | {"visibility"}
    assert (
        data["state"] == "submitted"
        and data["institution"] == "tsinghua"
        and data["submitted"] is True
    )
    assert {m["name"] for m in data["team"]} >= {"Submitted Teammate Li"}
    client.force_login(world.itc_officer)
    section = _page_section(client, p.reference, "ML")
    assert "Tsinghua" in section and "Submitted Teammate Li" in section
    assert (
        "500,000" not in section
        and "proposal.pdf" not in section
        and "sensing, logistics" not in section
    )


def test_status_level_shares_the_state_only(world, make_ready_pair, client):
    side = world.scheme.side("ML")
    side.partner_visibility = "status"  # what MOST's officers see of the Hong Kong half
    side.save()
    p = make_ready_pair()
    svc.submit_half(world.hk_lead, p.half("HK"))
    svc.submit_half(world.ml_lead, p.half("ML"))
    data = _api_half(world.most_officer, p.reference, "HK")
    assert set(data) == set(HALF_FIELDS["status"]) | {"visibility"} and data["state"] == "submitted"
    client.force_login(world.most_officer)
    section = _page_section(client, p.reference, "HK")
    assert "ASTRI" not in section and world.hk_lead.get_full_name() not in section


def test_full_level_for_the_own_agency_and_the_applicants(world, make_ready_pair):
    p = make_ready_pair()
    svc.submit_half(world.hk_lead, p.half("HK"))
    for user in (world.itc_officer, world.hk_lead, world.ml_lead):
        data = _api_half(user, p.reference, "HK")
        # experts to avoid (issue 17): that side's officers and the half's own applicants only
        own = {"expert_exclusions"} if user in (world.itc_officer, world.hk_lead) else set()
        assert set(data) == set(HALF_FIELDS["full"]) | {"visibility"} | own
        assert (
            data["budget_total"] == "600000.00" and data["attachments"][0]["name"] == "proposal.pdf"
        )
    # Co-applicants read the partner's draft in full: they write it together.
    assert set(_api_half(world.hk_lead, p.reference, "ML")) == set(HALF_FIELDS["full"]) | {
        "visibility"
    }


# ----------------------------------------------------------------------------------------------
# 3. Budget lines are positive
# ----------------------------------------------------------------------------------------------
def test_negative_budget_line_cannot_offset_the_ceiling(world, make_ready_pair, client):
    p = make_ready_pair()
    hk = p.half("HK")
    # 1.5 million over a 1 million ceiling, "offset" by a negative line: the total would pass.
    lines = [
        {"category": "equipment", "description": "Big machine", "amount": Money(1500000, "HKD")},
        {"category": "other", "description": "Credit", "amount": Money(-900000, "HKD")},
    ]
    with pytest.raises(ValidationError) as exc:
        svc.replace_budget(world.hk_lead, hk, lines)
    assert "positive" in " ".join(exc.value.message_dict["budget"])
    assert [ln.amount for ln in hk.budget_lines.all()] == [Money(600000, "HKD")]  # nothing lost
    client.force_login(world.hk_lead)
    url = reverse("funding:half_edit", args=[p.reference, "hk"])
    resp = client.post(
        url,
        {
            "action": "budget",
            "b-TOTAL_FORMS": "2",
            "b-INITIAL_FORMS": "0",
            "b-0-category": "equipment",
            "b-0-amount_0": "1500000",
            "b-0-amount_1": "HKD",
            "b-1-category": "other",
            "b-1-amount_0": "-900000",
            "b-1-amount_1": "HKD",
        },
    )
    assert resp.status_code == 200 and "positive" in resp.content.decode()
    assert [ln.amount for ln in hk.budget_lines.all()] == [Money(600000, "HKD")]


def test_database_refuses_a_non_positive_budget_line(world, make_ready_pair):
    hk = make_ready_pair().half("HK")
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.create(half=hk, category="other", amount=Money(-1, "HKD"))
    with pytest.raises(ValidationError):
        BudgetLine(half=hk, category="other", amount=Money(0, "HKD")).full_clean()


# ----------------------------------------------------------------------------------------------
# 4. Actions are offered only when the rules allow them
# ----------------------------------------------------------------------------------------------
def test_screen_is_not_offered_before_endorsement(world, make_ready_pair, client):
    p = make_ready_pair()
    svc.submit_half(world.hk_lead, p.half("HK"))
    svc.submit_half(world.ml_lead, p.half("ML"))
    screen_url = reverse("funding:screen", args=[p.reference, "hk"])
    client.force_login(world.itc_officer)
    assert (
        screen_url
        not in client.get(reverse("funding:proposal", args=[p.reference])).content.decode()
    )
    assert (
        screen_url
        not in client.get(
            reverse("funding:officer_proposals", args=[world.call.code])
        ).content.decode()
    )
    page = client.get(screen_url).content.decode()
    assert rules.screening_blocker(p.half("HK")) in page and "<form" not in page.split("<main")[1]
    with pytest.raises(ValidationError) as exc:  # the service refuses with the very same reason
        svc.screen(world.itc_officer, p.half("HK"), eligible=True, reason="ok")
    assert exc.value.messages == [rules.screening_blocker(p.half("HK"))]
    client.force_login(world.hk_office)
    endorse_url = reverse("funding:endorse", args=[p.reference, "hk"])
    assert (
        endorse_url in client.get(reverse("funding:proposal", args=[p.reference])).content.decode()
    )
    svc.endorse(world.hk_office, _fresh(p).half("HK"))
    assert (
        endorse_url
        not in client.get(reverse("funding:proposal", args=[p.reference])).content.decode()
    )
    client.force_login(world.itc_officer)
    assert (
        screen_url in client.get(reverse("funding:proposal", args=[p.reference])).content.decode()
    )
    assert (
        screen_url
        in client.get(reverse("funding:officer_proposals", args=[world.call.code])).content.decode()
    )


def test_withdraw_is_not_offered_on_a_closed_proposal(world, make_ready_pair, client):
    p = make_ready_pair()
    url = reverse("funding:withdraw", args=[p.reference])
    client.force_login(world.hk_lead)
    assert url in client.get(reverse("funding:proposal", args=[p.reference])).content.decode()
    svc.withdraw(world.hk_lead, p, "No longer")
    assert url not in client.get(reverse("funding:proposal", args=[p.reference])).content.decode()


def test_submit_is_not_offered_once_the_call_has_closed(world, make_ready_pair, client):
    p = make_ready_pair()
    url = reverse("funding:half_edit", args=[p.reference, "hk"])
    client.force_login(world.hk_lead)
    assert 'id="submit-half"' in client.get(url).content.decode()
    world.call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    world.call.save()
    page = client.get(url).content.decode()
    assert 'id="submit-half"' not in page and "The call is not open" in page
    with pytest.raises(ValidationError, match="The call is not open"):
        svc.submit_half(world.hk_lead, _fresh(p).half("HK"))


# ----------------------------------------------------------------------------------------------
# 7. A PDF is a file that parses as a PDF
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>",
        b"%PDF-",
        b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",  # no pages, no xref
        b"MZ\x90\x00 not a pdf",
    ],
)
def test_a_file_that_only_starts_like_a_pdf_is_refused(world, make_ready_pair, content):
    upload = SimpleUploadedFile("evil.pdf", content, content_type="application/pdf")
    assert any("not a PDF" in m for m in check_attachment_file(upload))
    p = make_ready_pair()
    kind = world.scheme.required_attachments.get(code="proposal")
    with pytest.raises(ValidationError) as exc:
        svc.add_attachment(world.hk_lead, p.half("HK"), kind, upload)
    assert "file" in exc.value.message_dict
    assert p.half("HK").attachments.get().original_name == "proposal.pdf"  # the good one stays


def test_a_real_pdf_is_accepted():
    assert check_attachment_file(SimpleUploadedFile("ok.pdf", MINIMAL_PDF)) == []


# ----------------------------------------------------------------------------------------------
# 8. The shared texts have stated limits
# ----------------------------------------------------------------------------------------------
def test_five_megabyte_abstract_is_refused_with_the_limit_stated(world, client):
    url = reverse("funding:proposal_create", args=[world.call.code])
    client.force_login(world.hk_lead)
    assert "At most 5,000 characters." in client.get(url).content.decode()
    resp = client.post(url, {"title": "Huge", "abstract": "x" * 50_000, "duration_months": 12})
    assert resp.status_code == 200 and "5,000" in resp.content.decode()
    # Five megabytes never reach the form: the request body limit refuses them first (core guard).
    assert (
        client.post(
            url, {"title": "Huge", "abstract": "x" * 5_000_000, "duration_months": 12}
        ).status_code
        == 400
    )
    assert not JointProposal.objects.exists()
    with pytest.raises(ValidationError) as exc:
        svc.create_proposal(
            world.hk_lead,
            world.call,
            title="Huge",
            abstract="x" * 5001,
            plan="y" * 50001,
            duration_months=12,
        )
    assert set(exc.value.message_dict) >= {"abstract", "plan"}


def test_negative_industry_sponsorship_is_refused(world, make_ready_pair):
    p = make_ready_pair()
    with pytest.raises(ValidationError):
        svc.update_half(world.hk_lead, p.half("HK"), industry_sponsorship=-5)


# ----------------------------------------------------------------------------------------------
# 9. Transitions lock the row: a second, stale attempt is refused cleanly, never applied twice
# ----------------------------------------------------------------------------------------------
def _transitions(half, to_state):
    return StateTransition.objects.filter(
        object_id=half.pk, to_state=to_state, content_type__model="proposalhalf"
    ).count()


def test_second_endorsement_from_a_stale_page_is_refused(world, make_ready_pair):
    p = make_ready_pair()
    svc.submit_half(world.hk_lead, p.half("HK"))
    first, second = (
        ProposalHalf.objects.select_related("proposal__call__scheme").get(pk=p.half("HK").pk)
        for _ in range(2)
    )
    svc.endorse(world.hk_office, first)
    with pytest.raises(ValidationError):
        svc.endorse(world.hk_office, second)  # loaded before the first endorsement
    assert _transitions(first, HalfState.ENDORSED) == 1


def test_second_submission_from_a_stale_page_is_refused(world, make_ready_pair):
    p = make_ready_pair()
    first, second = (ProposalHalf.objects.get(pk=p.half("ML").pk) for _ in range(2))
    svc.submit_half(world.ml_lead, first)
    with pytest.raises(ValidationError):
        svc.submit_half(world.ml_lead, second)
    assert _transitions(first, HalfState.SUBMITTED) == 1


def test_screening_from_a_stale_page_records_the_true_previous_state(world, make_ready_pair):
    p = make_ready_pair()
    svc.submit_half(world.hk_lead, p.half("HK"))
    svc.submit_half(world.ml_lead, p.half("ML"))
    first, second = (ProposalHalf.objects.get(pk=p.half("ML").pk) for _ in range(2))
    svc.screen(world.most_officer, first, eligible=True, reason="Fine")
    svc.screen(
        world.most_officer, second, eligible=False, reason="Revised"
    )  # a revision, seen as one
    steps = StateTransition.objects.filter(
        object_id=first.pk,
        content_type__model="proposalhalf",
        to_state__in=["eligible", "ineligible"],
    ).order_by("id")
    assert [(s.from_state, s.to_state) for s in steps] == [
        ("submitted", "eligible"),
        ("eligible", "ineligible"),
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_offices_endorsing_at_once_endorse_once(world, make_ready_pair):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite serialises all writers, so it cannot show row locking at work"
        )
    p = make_ready_pair()
    svc.submit_half(world.hk_lead, p.half("HK"))
    pk = p.half("HK").pk
    barrier = threading.Barrier(4)
    ok, refused, other = [], [], []

    def worker():
        try:
            half = ProposalHalf.objects.select_related("proposal__call__scheme").get(pk=pk)
            barrier.wait(timeout=10)
            svc.endorse(world.hk_office, half)
            ok.append(1)
        except ValidationError:
            refused.append(1)
        except Exception as exc:  # noqa: BLE001 - asserted below
            other.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not other, other
    assert len(ok) == 1 and len(refused) == 3
    assert _transitions(ProposalHalf.objects.get(pk=pk), HalfState.ENDORSED) == 1
