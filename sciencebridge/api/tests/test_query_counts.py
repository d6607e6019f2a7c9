"""The proposal list of the API costs a fixed number of queries, whatever the number of proposals
(issue 16): the experts to avoid of every half, the viewer's conflicts, budgets, teams, documents and
discipline codes are read once per request, not once per proposal."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from djmoney.money import Money
from rest_framework.test import APIClient

from sciencebridge.accounts.models import User
from sciencebridge.classification.models import ClassificationScheme, DisciplineCode
from sciencebridge.core.testing.kept import forget_kept_values
from sciencebridge.exclusions.models import ExpertExclusion
from sciencebridge.exclusions.serializers import exclusions_json
from sciencebridge.experts.models import ExpertProfile, ExpertStatus
from sciencebridge.funding.models import Attachment, ProposalHalf
from sciencebridge.review.tests.conftest import make_eligible

pytestmark = pytest.mark.django_db


def _add_proposals(world, start, n, avoided):
    """n eligible joint proposals; each HK half names one expert to avoid (matched to ``avoided``)
    and each half has a document and a discipline code."""
    kind = world.scheme.required_attachments.get(code="proposal")
    scheme = ClassificationScheme.objects.get_or_create(code="nsfc", defaults={"name": "NSFC"})[0]
    code = DisciplineCode.objects.get_or_create(scheme=scheme, code="E", defaults={"name": "Eng"})[
        0
    ]
    for i in range(start, start + n):
        p = make_eligible(world, f"Proposal {i}", "battery", ref=f"Q-{i:03d}")
        for half in p.halves.all():
            Attachment.objects.create(
                half=half, kind=kind, file="x.pdf", original_name=f"p{i}.pdf", size=10,
                uploaded_by=half.lead,
            )  # fmt: skip
            half.discipline_codes.add(code)
        x = ExpertExclusion.objects.create(
            half=p.half("HK"), name="Avoided Expert", reason="Competitor", created_by=world.hk_lead
        )
        x.matched_experts.set([avoided])


def _list(user):
    """The proposal list as ``user`` sees it (a fresh user object: nothing cached on it), and the
    number of queries it took, computed afresh (``forget_kept_values``)."""
    forget_kept_values()
    c = APIClient()
    c.force_authenticate(User.objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as ctx:
        resp = c.get("/api/v1/proposals/?page_size=100")
    assert resp.status_code == 200
    return resp.json(), len(ctx.captured_queries)


@pytest.fixture
def avoided(world):
    return ExpertProfile.objects.create(
        name_en="Avoided Expert",
        region="HK",
        email="avoid@experts.example.org",
        status=ExpertStatus.ADMITTED,
    )


def test_proposal_list_costs_the_same_for_2_and_8_proposals(world, avoided):
    # The ITC officer is themself named as an expert to avoid on one proposal (a conflict of interest
    # by "named by the applicant"): that proposal is hidden from them altogether.
    own = ExpertProfile.objects.create(
        user=world.itc_officer, name_en="Officer Expert", region="HK", status=ExpertStatus.ADMITTED
    )
    _add_proposals(world, 0, 2, avoided)
    ExpertExclusion.objects.get(half__proposal__reference="Q-000").matched_experts.add(own)
    viewers = (world.itc_officer, world.most_officer, world.hk_lead, world.ml_lead)
    before = {u.username: _list(u) for u in viewers}
    _add_proposals(world, 2, 6, avoided)
    after = {u.username: _list(u) for u in viewers}
    for u in viewers:
        (body2, n2), (body8, n8) = before[u.username], after[u.username]
        hidden = 1 if u == world.itc_officer else 0
        assert (body2["count"], body8["count"]) == (2 - hidden, 8 - hidden), u.username
        assert n8 == n2, (u.username, n2, n8)
        assert n8 <= 20, (u.username, n8)  # 62 for the officer at 8 proposals before issue 16

    body = after["itc_officer"][0]
    hk = {
        p["reference"]: next(h for h in p["halves"] if h["side"] == "HK") for p in body["results"]
    }
    assert "Q-000" not in hk  # conflicted: the proposal is not theirs to see
    for ref in (f"Q-{i:03d}" for i in range(1, 8)):
        (x,) = hk[ref]["expert_exclusions"]
        assert x["matched_experts"] == [str(avoided)] and x["in_database"] is True
        assert x["state"] == "in_force" and hk[ref]["attachments"][0]["name"].endswith(".pdf")
        assert hk[ref]["discipline_codes"] == ["E"]
    # The applicant reads what they entered, "recorded", and nothing of the match.
    for p in after["hk_lead"][0]["results"]:
        (x,) = next(h for h in p["halves"] if h["side"] == "HK")["expert_exclusions"]
        assert x["status"] == "recorded" and "matched_experts" not in x
    # The partner side's officers and the partner team: nothing of the HK half's (their own half's
    # list, empty here, is theirs).
    for name in ("most_officer", "ml_lead"):
        for p in after[name][0]["results"]:
            hk_half = next(h for h in p["halves"] if h["side"] == "HK")
            assert "expert_exclusions" not in hk_half, name
            ml_half = next(h for h in p["halves"] if h["side"] == "ML")
            assert ml_half["expert_exclusions"] == [], name


def test_list_gives_each_half_what_the_one_half_check_gives(world, avoided):
    """The list (conflicts computed once, prefetched exclusions) and ``exclusions_json`` on one half
    (``has_conflict``, its own queries) agree for every viewer and half."""
    _add_proposals(world, 0, 3, avoided)
    own = ExpertProfile.objects.create(
        user=world.itc_officer, name_en="Officer Expert", region="HK", status=ExpertStatus.ADMITTED
    )
    ExpertExclusion.objects.get(half__proposal__reference="Q-001").matched_experts.add(own)
    for user in (world.itc_officer, world.hk_lead, world.most_officer, world.ml_lead):
        body, _ = _list(user)
        fresh = User.objects.get(pk=user.pk)
        for p in body["results"]:
            for h in p["halves"]:
                half = ProposalHalf.objects.get(proposal__reference=p["reference"], side=h["side"])
                assert h.get("expert_exclusions") == exclusions_json(fresh, half), (
                    user.username,
                    p["reference"],
                    h["side"],
                )


def _rows_read(model, request):
    """The ``half_id`` of every ``model`` row loaded while ``request()`` runs."""
    from django.db.models.signals import post_init

    seen = []

    def note(sender, instance, **kwargs):
        seen.append(instance.half_id)

    post_init.connect(note, sender=model)
    try:
        request()
    finally:
        post_init.disconnect(note, sender=model)
    return set(seen)


@pytest.mark.parametrize("model", ["BudgetLine", "Attachment"])
def test_what_only_full_shows_is_read_only_for_halves_seen_in_full(world, avoided, model):
    """An officer sees the partner agency's halves at most in summary: the page does not even load
    their budget lines or documents. A co-applicant sees both halves in full, and reads both."""
    from sciencebridge.funding import models as funding_models

    row_model = getattr(funding_models, model)
    _add_proposals(world, 0, 3, avoided)
    halves = ProposalHalf.objects.filter(proposal__reference__startswith="Q-")
    for half in halves:
        currency = "HKD" if half.side == "HK" else "CNY"
        funding_models.BudgetLine.objects.create(
            half=half, category="staff", amount=Money(Decimal(100), currency)
        )
    side = {h.pk: h.side for h in halves}
    assert {side[h] for h in row_model.objects.values_list("half_id", flat=True)} == {"HK", "ML"}

    def sides_read(user, url):
        c = APIClient()
        c.force_authenticate(User.objects.get(pk=user.pk))
        ids = _rows_read(row_model, lambda: c.get(url))
        return {side[i] for i in ids if i in side}

    for url in ("/api/v1/proposals/", "/api/v1/proposals/Q-001/"):
        assert sides_read(world.itc_officer, url) == {"HK"}, url
        assert sides_read(world.most_officer, url) == {"ML"}, url
        assert sides_read(world.hk_lead, url) == {"HK", "ML"}, url


def test_a_remembered_visibility_is_used_only_for_the_viewer_it_was_worked_out_for(world):
    """The list works out each half's visibility once and keeps it on the half; a level kept for
    one user is never read as another's."""
    from sciencebridge.api.serializers import remember_visibility, visibility_of
    from sciencebridge.funding.rules import half_visibility

    p = make_eligible(world, "Shared", "battery", ref="V-001")
    halves = list(p.halves.all())
    remember_visibility(world.itc_officer, halves)
    for half in halves:
        assert visibility_of(world.itc_officer, half) == half_visibility(world.itc_officer, half)
        assert visibility_of(world.most_officer, half) == half_visibility(world.most_officer, half)
    hk = next(h for h in halves if h.side == "HK")
    # the two officers see the halves differently: a mix-up would show
    assert visibility_of(world.itc_officer, hk) != visibility_of(world.most_officer, hk)
    half = halves[0]
    half.visibility_for = (world.itc_officer.pk, "made-up")  # what is kept is what is used
    assert visibility_of(world.itc_officer, half) == "made-up"
    assert visibility_of(world.most_officer, half) == half_visibility(world.most_officer, half)
