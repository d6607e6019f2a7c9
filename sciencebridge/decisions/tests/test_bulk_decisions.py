"""Decisions in bulk for one side of a call (issue 15): the plan (top N within the budget, in ranking
order; decided, not gradable and conflicted proposals left out), the fingerprinted confirmation, one
timeline step per proposal through the single decision, e-mails after the commit, who may do it; and
the panel recommendation's reason read in the viewer's language."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from djmoney.money import Money

from sciencebridge.accounts.roles import Role
from sciencebridge.core.models import StateTransition
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.core.workflow import timeline
from sciencebridge.decisions.models import DecisionState, SideDecision
from sciencebridge.decisions.services import bulk as bsvc
from sciencebridge.decisions.services import decisions as dsvc
from sciencebridge.decisions.services import panel as psvc
from sciencebridge.funding.models import HalfState

pytestmark = pytest.mark.django_db

SCORES = (9, 8, 7, 6)  # quality and feasibility alike: ranks 1..4 in this order


@pytest.fixture
def side(dworld, eligible_pair, add_review, ready_to_decide):
    """Four eligible joint proposals reviewed on the Hong Kong side (ranked in the order built), each
    asking HKD 600,000 against an HK budget of 1,500,000; the gates are open."""
    proposals = []
    for i, score in enumerate(SCORES, 1):
        p = eligible_pair(title=f"Bulk project {i}")
        add_review(p.half("HK"), "Pat Reviewer", {"quality": score, "feasibility": score})
        proposals.append(p)
    ready_to_decide(*proposals)
    dworld.proposals = proposals
    return dworld


def _reopen(call):
    """Open the call again for a moment, to add proposals after the gates were opened."""
    import datetime as dt

    from django.utils import timezone

    from sciencebridge.funding.models import Call

    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() + dt.timedelta(days=1))
    call.refresh_from_db()


def _refs(items):
    return [i.half.proposal.reference for i in items]


def _recorded():
    return (
        SideDecision.objects.exclude(state="").count(),
        StateTransition.objects.count(),
    )


def test_plan_funds_the_top_in_ranking_order_within_the_budget(side):
    p1, p2, p3, p4 = side.proposals
    plan = bsvc.plan_bulk_decisions(side.itc_officer, side.call, "HK")
    # Default: as many as the remaining 1,500,000 allows, 600,000 each: the top two.
    assert plan.default_n == plan.n == 2
    assert _refs(plan.items) == [p.reference for p in (p1, p2, p3, p4)]
    assert [i.decision for i in plan.items] == ["fund", "fund", "regret", "regret"]
    assert [i.rank for i in plan.items] == [1, 2, 3, 4]
    assert plan.funded[0].amount == Money(600000, "HKD")
    assert plan.committed == Money(0, "HKD") and plan.committed_after == Money(1200000, "HKD")
    assert plan.remaining_after == Money(300000, "HKD")
    assert plan.confirmable and not plan.errors
    # Three do not fit: the third is flagged and the plan cannot be confirmed.
    over = bsvc.plan_bulk_decisions(side.itc_officer, side.call, "HK", n=3)
    assert [i.fits for i in over.funded] == [True, True, False]
    assert over.errors and not over.confirmable
    assert over.fingerprint != plan.fingerprint
    one = bsvc.plan_bulk_decisions(side.itc_officer, side.call, "HK", n=1)
    assert _refs(one.funded) == [p1.reference] and len(one.regretted) == 3
    # Money already committed on the side lowers the default.
    dsvc.decide(side.itc_officer, p4.half("HK"), fund=True, amount="500000", reason="Own page.")
    after = bsvc.plan_bulk_decisions(side.itc_officer, side.call, "HK")
    assert after.committed == Money(500000, "HKD") and after.n == 1
    assert p4.reference not in _refs(after.items)


def test_decided_ungradable_and_conflicted_proposals_are_left_out(
    side, eligible_pair, ready_to_decide
):
    from sciencebridge.experts.models import DeclaredConflict, ExpertProfile

    p1, p2, p3, p4 = side.proposals
    _reopen(side.call)
    unreviewed = eligible_pair(title="Never reviewed")
    ready_to_decide(unreviewed)
    dsvc.decide(side.itc_officer, p1.half("HK"), fund=False, reason="Decided on its own page.")
    officer = UserFactory(username="itc_officer2", agency=side.itc, roles=[Role.PROGRAMME_OFFICER])
    profile = ExpertProfile.objects.create(
        user=officer, name_en="Officer Two", region="HK", email="o2@x.org"
    )
    DeclaredConflict.objects.create(
        expert=profile, person_email=p3.half("HK").lead.email, reason="Former student."
    )
    plan = bsvc.plan_bulk_decisions(officer, side.call, "HK")
    assert _refs(plan.items) == [p2.reference, p4.reference]
    why = {e.half.proposal.reference: e.code for e in plan.excluded}
    assert why == {p1.reference: bsvc.DECIDED, unreviewed.reference: bsvc.NOT_GRADABLE}
    # The conflicted proposal is neither planned nor named: only counted.
    assert plan.n_withheld == 1 and p3.reference not in why
    with pytest.raises(ValidationError):
        bsvc.decide_in_bulk(officer, side.call, "HK", n=plan.n, fingerprint="0" * 64)
    bsvc.decide_in_bulk(officer, side.call, "HK", n=plan.n, fingerprint=plan.fingerprint)
    assert not SideDecision.objects.filter(half=p3.half("HK")).exclude(state="").exists()


@pytest.mark.parametrize("change", ["someone_decided", "budget_changed"])
def test_a_stale_preview_is_refused_and_nothing_is_recorded(side, change):
    p1, p2, p3, p4 = side.proposals
    plan = bsvc.plan_bulk_decisions(side.itc_officer, side.call, "HK")
    if change == "someone_decided":
        other = UserFactory(username="itc_other", agency=side.itc, roles=[Role.PROGRAMME_OFFICER])
        dsvc.decide(other, p3.half("HK"), fund=False, reason="Decided meanwhile.")
    else:
        side.call.budget_hk = Money(1_400_000, "HKD")
        side.call.save(update_fields=["budget_hk", "budget_hk_currency"])
    before = _recorded()
    with pytest.raises(ValidationError, match="changed since your preview") as e:
        bsvc.decide_in_bulk(
            side.itc_officer, side.call, "HK", n=plan.n, fingerprint=plan.fingerprint
        )
    assert e.value.code == "stale"
    assert _recorded() == before
    assert not SideDecision.objects.filter(half=p1.half("HK")).exclude(state="").exists()


def test_each_proposal_gets_its_own_transition_through_the_single_decision(side):
    p1, p2, p3, p4 = side.proposals
    plan = bsvc.plan_bulk_decisions(side.itc_officer, side.call, "HK")
    done = bsvc.decide_in_bulk(
        side.itc_officer, side.call, "HK", n=plan.n, fingerprint=plan.fingerprint
    )
    assert [d.half.proposal_id for d in done] == [p.pk for p in side.proposals]
    states = {
        d.half.proposal.reference: d.state
        for d in SideDecision.objects.filter(side="HK").select_related("half__proposal")
    }
    assert states == {
        p1.reference: DecisionState.COMMITTED,  # awaiting the Mainland side
        p2.reference: DecisionState.COMMITTED,
        p3.reference: DecisionState.DECLINED,
        p4.reference: DecisionState.DECLINED,
    }
    assert dsvc.committed_total(side.call, "HK") == Decimal(1200000)
    for d, rank in zip(done, (1, 2, 3, 4), strict=True):
        d.refresh_from_db()
        assert d.decided_by == side.itc_officer and d.decided_at
        steps = [s for s in timeline(d) if s.to_state in (DecisionState.COMMITTED, "declined")]
        assert len(steps) == 1 and steps[0].actor == side.itc_officer
        assert f"rank {rank} of 4" in steps[0].reason
        assert f"rank {rank} of 4" in d.reason  # the decision's own reason field (English)
    # A regret closes the partner half, as on the single decision page.
    ml = p3.half("ML")
    assert ml.state == HalfState.NOT_FUNDED
    # Each reader sees the platform's reason in their own language.
    with translation.override("zh-hant"):
        step = next(s for s in timeline(done[0]) if s.to_state == DecisionState.COMMITTED)
        assert "批量決定" in step.reason and "第 1 名" in step.reason


def test_emails_go_out_only_after_the_commit(side, django_capture_on_commit_callbacks):
    plan = bsvc.plan_bulk_decisions(side.itc_officer, side.call, "HK")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        bsvc.decide_in_bulk(
            side.itc_officer, side.call, "HK", n=plan.n, fingerprint=plan.fingerprint
        )
        assert mail.outbox == [] and connection.run_on_commit  # registered, not sent
    assert callbacks
    # The two regretted proposals are final (a regret closes both halves): their four leads hear it;
    # the funded ones wait for the Mainland side.
    p1, p2, p3, p4 = side.proposals
    to = sorted(m.to[0] for m in mail.outbox)
    leads = sorted(h.lead.email for p in (p3, p4) for h in p.halves.all())
    assert to == leads


def test_a_refused_bulk_decision_registers_no_email(side, django_capture_on_commit_callbacks):
    plan = bsvc.plan_bulk_decisions(side.itc_officer, side.call, "HK", n=3)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        bsvc.decide_in_bulk(side.itc_officer, side.call, "HK", n=3, fingerprint=plan.fingerprint)
    assert callbacks == [] and not SideDecision.objects.exclude(state="").exists()


def test_only_the_officers_of_the_side_decide_in_bulk(side, client):
    plan = bsvc.plan_bulk_decisions(side.itc_officer, side.call, "HK")
    for user in (side.most_officer, side.chair, side.hk_lead):
        with pytest.raises(PermissionDenied):
            bsvc.plan_bulk_decisions(user, side.call, "HK")
        with pytest.raises(PermissionDenied):
            bsvc.decide_in_bulk(user, side.call, "HK", n=plan.n, fingerprint=plan.fingerprint)
    url = reverse("decisions:bulk", args=[side.call.code, "hk"])
    client.force_login(side.most_officer)  # the Mainland panel's officer: not this side's
    assert client.get(url).status_code in (403, 404)
    resp = client.post(url, {"n": plan.n, "fingerprint": plan.fingerprint, "confirm": "1"})
    assert resp.status_code in (403, 404)
    client.force_login(side.chair)
    assert client.get(url).status_code == 403
    assert not SideDecision.objects.exclude(state="").exists()
    # The Mainland officer decides the Mainland side.
    ml = bsvc.plan_bulk_decisions(side.most_officer, side.call, "ML")
    assert ml.side == "ML" and ml.currency == "CNY"


def test_preview_then_confirm_through_the_page(side, client):
    p1, p2, p3, p4 = side.proposals
    url = reverse("decisions:bulk", args=[side.call.code, "hk"])
    client.force_login(side.itc_officer)
    panel = client.get(reverse("decisions:panel", args=[side.call.code, "hk"]))
    assert url in panel.content.decode()
    resp = client.get(url)
    assert resp.status_code == 200
    html = resp.content.decode()
    plan = resp.context["plan"]
    assert plan.n == 2 and 'data-decision="fund"' in html and 'data-decision="regret"' in html
    assert 'data-letter="award"' in html and 'data-letter="regret"' in html
    assert "1,200,000" in html  # committed after
    # Nothing is recorded by the preview, nor by a POST without confirm.
    assert client.post(url, {"n": "1"}).context["plan"].n == 1
    assert not SideDecision.objects.exclude(state="").exists()
    # A stale fingerprint: the page says so and shows the new preview.
    resp = client.post(url, {"n": 2, "fingerprint": "stale", "confirm": "1"})
    assert resp.status_code == 200 and "changed since your preview" in resp.content.decode()
    assert not SideDecision.objects.exclude(state="").exists()
    resp = client.post(url, {"n": 2, "fingerprint": plan.fingerprint, "confirm": "1"})
    assert resp.status_code == 302
    assert SideDecision.objects.filter(side="HK").exclude(state="").count() == 4


def test_preview_queries_do_not_grow_with_the_proposals(
    side, eligible_pair, add_review, ready_to_decide
):
    with CaptureQueriesContext(connection) as small:
        bsvc.plan_bulk_decisions(side.itc_officer, side.call, "HK")
    _reopen(side.call)
    more = []
    for i in range(3):
        p = eligible_pair(title=f"More {i}")
        add_review(p.half("HK"), "Pat Reviewer", {"quality": 5, "feasibility": 5})
        more.append(p)
    ready_to_decide(*more, recommendation="reject")
    with CaptureQueriesContext(connection) as large:
        plan = bsvc.plan_bulk_decisions(side.itc_officer, side.call, "HK")
    assert len(plan.items) == 7
    assert len(large) == len(small)


def test_panel_recommendation_reason_reads_in_the_viewers_language(dworld, eligible_pair):
    p = eligible_pair()
    panel = psvc.panel_for(dworld.call, "HK")
    psvc.appoint_chair(dworld.itc_officer, panel, dworld.chair)
    with translation.override("en"):
        rec = psvc.record_recommendation(
            dworld.chair,
            p.half("HK"),
            recommendation="fund_conditions",
            notes="Strong team.",
            conditions="Quarterly report.",
        )
    with translation.override("en"):
        (step,) = timeline(rec)
        assert step.reason == ("Fund with conditions: Strong team. (Conditions: Quarterly report.)")
    with translation.override("zh-hant"):
        (step,) = timeline(rec)
        assert step.reason.startswith("附條件資助") and "Strong team." in step.reason
        assert "條件" in step.reason and "Quarterly report." in step.reason
        assert "Fund" not in step.reason
    with translation.override("zh-hans"):
        (step,) = timeline(rec)
        assert step.reason.startswith("附条件资助")


def test_amounts_and_partner_sides_as_the_single_decision_reads_them(side, client):
    """The plan sums the side's own currency only, caps it at the call's ceiling, leaves out a
    proposal whose partner half cannot be funded, and shows the partner side's decision (issue 16: all read per row in the database)."""
    from sciencebridge.funding.models import BudgetLine, Call, ProposalHalf

    p1, p2, p3, p4 = side.proposals
    hk1 = p1.half("HK")
    line = hk1.budget_lines.first()
    BudgetLine.objects.create(  # a line in the other side's currency is not asked of this side
        half=hk1, category=line.category, description="Mainland", amount=Money(999, "CNY")
    )
    before = bsvc.plan_bulk_decisions(side.itc_officer, side.call, "HK")
    assert before.items[0].amount == Money(600000, "HKD")
    Call.objects.filter(pk=side.call.pk).update(ceiling_hk=Decimal("550000.00"))
    side.call.refresh_from_db()
    ProposalHalf.objects.filter(pk=p2.half("ML").pk).update(state=HalfState.WITHDRAWN)
    dsvc.decide(side.most_officer, p4.half("ML"), fund=True, amount="100000", reason="Funded.")
    plan = bsvc.plan_bulk_decisions(side.itc_officer, side.call, "HK", n=2)
    assert [(i.half.proposal.reference, i.amount) for i in plan.funded] == [
        (p1.reference, Money(Decimal("550000.00"), "HKD")),
        (p3.reference, Money(Decimal("550000.00"), "HKD")),
    ]
    assert [i.partner_state for i in plan.items] == ["", "", DecisionState.COMMITTED]
    [left_out] = plan.excluded
    assert left_out.half.proposal == p2 and left_out.code == bsvc.PARTNER
    assert "it is Withdrawn" in left_out.why
    client.force_login(side.itc_officer)
    html = client.get(reverse("decisions:bulk", args=[side.call.code, "hk"])).content.decode()
    row = html.split(f'data-ref="{p4.reference}"')[1].split("</tr>")[0]
    assert str(DecisionState.COMMITTED.label) in row


def test_the_page_lists_those_to_fund_then_the_first_of_the_rest(side, client, monkeypatch):
    """A national side has thousands of proposals: the page lists every one to fund and the first
    of the others, says how many more, and lists them all on request; the decision covers all."""
    from sciencebridge.decisions import views

    monkeypatch.setattr(views, "BULK_ROWS_SHOWN", 1)
    p1, p2, p3, p4 = side.proposals
    url = reverse("decisions:bulk", args=[side.call.code, "hk"])
    client.force_login(side.itc_officer)

    def listed(html):
        table = html.split('id="bulk-plan"')[1].split("</table>")[0]
        return [p.reference for p in side.proposals if f'data-ref="{p.reference}"' in table]

    html = client.get(url).content.decode()  # n = 2: two to fund, one of the two others
    assert listed(html) == [p1.reference, p2.reference, p3.reference]
    assert "1 more proposal, not to be funded, is not listed." in html
    assert "Confirm: record 4 decisions (2 funded)" in html
    everything = client.get(url, {"n": 2, "all": 1}).content.decode()
    assert listed(everything) == [p.reference for p in side.proposals]
    assert "not listed" not in everything
    one = client.get(url, {"n": 1}).content.decode()
    assert listed(one) == [p1.reference, p2.reference]
    assert "2 more proposals, not to be funded, are not listed." in one


def test_the_plan_loads_only_the_halves_a_page_shows(side):
    """The plan reads its halves as plain rows; the halves themselves are loaded for the rows a page
    lists (one query), and any other one read loads the rest of the plan's halves at once."""
    p1, p2, p3, p4 = side.proposals
    plan = bsvc.plan_bulk_decisions(side.itc_officer, side.call, "HK")
    with CaptureQueriesContext(connection) as shown:
        plan.show(plan.items[0], plan.items[2])
        assert [plan.items[i].half.proposal.reference for i in (0, 2)] == [
            p1.reference,
            p3.reference,
        ]
    assert len(shown) == 1
    with CaptureQueriesContext(connection) as rest:
        assert _refs(plan.items) == [p.reference for p in side.proposals]
    assert len(rest) == 1
    assert plan.items[1].half.pk == p2.half("HK").pk


def test_reasons_left_out_read_in_the_language_of_each_plan(side, eligible_pair, ready_to_decide):
    """Each reason is worded once per plan: a plan made in Chinese gives it in Chinese, the next
    one in English again."""
    _reopen(side.call)
    ready_to_decide(*(eligible_pair(title=f"Never reviewed {i}") for i in (1, 2)))
    reasons = {}
    for lang in ("zh-hant", "en"):
        with translation.override(lang):
            plan = bsvc.plan_bulk_decisions(side.itc_officer, side.call, "HK")
            reasons[lang] = [e.why for e in plan.excluded if e.code == bsvc.NOT_GRADABLE]
    assert len(reasons["en"]) == 2 and len(set(reasons["en"])) == 1
    assert reasons["en"][0] == "Not gradable: too few valid reviews to be ranked."
    assert reasons["zh-hant"][0] != reasons["en"][0]
    with translation.override("zh-hant"):
        assert reasons["zh-hant"][0] == str(
            translation.gettext("Not gradable: too few valid reviews to be ranked.")
        )
