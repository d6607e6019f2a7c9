"""The joint decision: both sides must fund, budgets per side and currency, releases, permissions, letters.

Every decision here comes after its gates (``ready_to_decide``: call closed, review stage closed, panel
recommendation); the gates themselves are tested in ``test_gates.py``."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from djmoney.money import Money

from sciencebridge.core.models import StateTransition
from sciencebridge.decisions.models import DecisionState, SideDecision
from sciencebridge.decisions.services import decisions as dsvc
from sciencebridge.funding.models import HalfState
from sciencebridge.funding.signals import proposal_jointly_funded

pytestmark = pytest.mark.django_db


@pytest.fixture
def signals_received():
    got = []

    def receiver(sender, proposal, actor, **kw):
        got.append((proposal.reference, actor.username))

    proposal_jointly_funded.connect(receiver, dispatch_uid="test-decisions")
    yield got
    proposal_jointly_funded.disconnect(dispatch_uid="test-decisions")


def test_both_sides_fund_then_jointly_funded(
    dworld, eligible_pair, ready_to_decide, signals_received, django_capture_on_commit_callbacks
):
    p = eligible_pair()
    ready_to_decide(p)
    hk, ml = p.half("HK"), p.half("ML")
    dworld.hk_lead.preferred_language = "zh-hant"
    dworld.hk_lead.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        d1 = dsvc.decide(dworld.itc_officer, hk, fund=True, amount="600,000", reason="Ranked 1st.")
    assert d1.state == DecisionState.COMMITTED and d1.amount == Money(600000, "HKD")
    hk.refresh_from_db()
    assert hk.state == HalfState.ELIGIBLE  # the half is FUNDED only when both sides fund
    assert signals_received == [] and mail.outbox == []
    assert dsvc.committed_total(dworld.call, "HK") == Decimal(600000)

    with django_capture_on_commit_callbacks(execute=True):
        d2 = dsvc.decide(
            dworld.most_officer,
            ml,
            fund=True,
            amount=Decimal(450000),
            reason="Strong team.",
            conditions="Annual progress report to MOST.",
        )
    hk.refresh_from_db()
    ml.refresh_from_db()
    d1.refresh_from_db()
    assert d1.state == d2.state == DecisionState.AWARDED
    assert hk.state == ml.state == HalfState.FUNDED
    assert hk.awarded_amount == Money(600000, "HKD") and ml.awarded_amount == Money(450000, "CNY")
    assert hk.decided_at and ml.decided_at
    p.refresh_from_db()
    assert p.is_jointly_funded
    assert signals_received == [(p.reference, "most_officer")]
    # Each lead is told in their own language.
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert "獲資助" in subjects[dworld.hk_lead.email]
    assert "is funded" in subjects[dworld.ml_lead.email]
    # Recorded in the timeline (half and decision) and the audit history.
    steps = StateTransition.objects.filter(object_id__in=[hk.pk, ml.pk, d1.pk, d2.pk]).values_list(
        "to_state", flat=True
    )
    assert {"committed", "awarded", "funded"} <= set(steps)
    assert hk.history.filter(state="funded").exists() and d1.history.count() >= 2


def test_decline_after_partner_funded_releases_commitment(
    dworld, eligible_pair, ready_to_decide, signals_received, django_capture_on_commit_callbacks
):
    p = eligible_pair()
    ready_to_decide(p)
    hk, ml = p.half("HK"), p.half("ML")
    dsvc.decide(dworld.itc_officer, hk, fund=True, amount=700000, reason="Good.")
    mail.outbox.clear()
    assert dsvc.budget_summary(dworld.call)[0]["remaining"] == Money(800000, "HKD")
    with django_capture_on_commit_callbacks(execute=True):
        dsvc.decide(dworld.most_officer, ml, fund=False, reason="Overlaps a funded NSFC project.")
    hk.refresh_from_db()
    ml.refresh_from_db()
    assert hk.state == ml.state == HalfState.NOT_FUNDED
    released = SideDecision.objects.get(half=hk)
    assert released.state == DecisionState.RELEASED
    summary = dsvc.budget_summary(dworld.call)[0]
    assert summary["committed"] == Money(0, "HKD") and summary["remaining"] == Money(1500000, "HKD")
    step = StateTransition.objects.filter(object_id=hk.pk, to_state="not_funded").get()
    assert "released" in step.reason and "Mainland side decided not to fund" in step.reason
    assert signals_received == []
    assert len(mail.outbox) == 2  # both leads hear the final outcome


def test_first_decline_closes_partner_and_partner_cannot_fund(
    dworld, eligible_pair, ready_to_decide
):
    p = eligible_pair()
    ready_to_decide(p)
    hk, ml = p.half("HK"), p.half("ML")
    dsvc.decide(dworld.itc_officer, hk, fund=False, reason="Below the funding line.")
    ml.refresh_from_db()
    assert ml.state == HalfState.NOT_FUNDED
    assert SideDecision.objects.get(half=ml).state == DecisionState.RELEASED
    with pytest.raises(
        ValidationError, match="already decided: Not funded: the partner side declined"
    ):
        dsvc.decide(dworld.most_officer, ml, fund=True, amount=1000, reason="x")


def test_budget_refusal_has_a_clear_message_and_changes_nothing(
    dworld, eligible_pair, ready_to_decide
):
    dworld.call.budget_hk = Money(1_000_000, "HKD")
    dworld.call.save()
    p1, p2 = eligible_pair(), eligible_pair()
    ready_to_decide(p1, p2)
    dsvc.decide(dworld.itc_officer, p1.half("HK"), fund=True, amount=900000, reason="First.")
    with pytest.raises(ValidationError) as exc:
        dsvc.decide(dworld.itc_officer, p2.half("HK"), fund=True, amount=200000, reason="Second.")
    msg = " ".join(exc.value.message_dict["amount"])
    assert (
        "Not enough budget: HK$100,000.00 remains" in msg
        and "HK$900,000.00 already committed" in msg
    )
    assert not SideDecision.objects.filter(half=p2.half("HK")).exclude(state="").exists()
    # Exactly the remainder fits.
    d = dsvc.decide(dworld.itc_officer, p2.half("HK"), fund=True, amount=100000, reason="Second.")
    assert d.state == DecisionState.COMMITTED
    assert dsvc.budget_summary(dworld.call)[0]["remaining"] == Money(0, "HKD")


def test_budgets_are_per_side_and_currency(dworld, eligible_pair, ready_to_decide):
    p = eligible_pair()
    ready_to_decide(p)
    dsvc.decide(dworld.itc_officer, p.half("HK"), fund=True, amount=1_000_000, reason="x")
    hk, ml = dsvc.budget_summary(dworld.call)
    assert hk["committed"] == Money(1_000_000, "HKD") and ml["committed"] == Money(0, "CNY")
    assert ml["remaining"] == Money(1_200_000, "CNY")


def test_ceiling_amount_and_missing_budget(dworld, eligible_pair, ready_to_decide):
    p = eligible_pair()
    ready_to_decide(p)
    with pytest.raises(ValidationError, match="per-project ceiling"):
        dsvc.decide(
            dworld.most_officer, p.half("ML"), fund=True, amount=900000, reason="x"
        )  # ceiling 800k
    with pytest.raises(ValidationError, match="more than zero"):
        dsvc.decide(dworld.most_officer, p.half("ML"), fund=True, amount="-5", reason="x")
    with pytest.raises(ValidationError, match="as a number"):
        dsvc.decide(dworld.most_officer, p.half("ML"), fund=True, amount="lots", reason="x")
    with pytest.raises(ValidationError, match="reason"):
        dsvc.decide(dworld.most_officer, p.half("ML"), fund=True, amount=1, reason=" ")
    dworld.call.budget_ml = None
    dworld.call.save()
    with pytest.raises(ValidationError, match="no budget set for the Mainland side"):
        dsvc.decide(dworld.most_officer, p.half("ML"), fund=True, amount=1000, reason="x")


def test_only_the_sides_own_officers_decide_once(dworld, eligible_pair, ready_to_decide):
    p = eligible_pair()
    ready_to_decide(p)
    for user in (dworld.most_officer, dworld.hk_lead, dworld.chair, dworld.hk_office):
        with pytest.raises(PermissionDenied):
            dsvc.decide(user, p.half("HK"), fund=True, amount=1000, reason="x")
    dsvc.decide(dworld.itc_officer, p.half("HK"), fund=True, amount=1000, reason="x")
    with pytest.raises(ValidationError, match="already decided"):
        dsvc.decide(dworld.itc_officer, p.half("HK"), fund=False, reason="changed my mind")


def test_award_letter_pdf_in_traditional_chinese(dworld, eligible_pair, ready_to_decide):
    from weasyprint import HTML

    from sciencebridge.decisions.services import letters

    dworld.hk_lead.preferred_language = "zh-hant"
    dworld.hk_lead.name_zh = "陳家明"
    dworld.hk_lead.save()
    p = eligible_pair()
    ready_to_decide(p)
    dsvc.decide(dworld.itc_officer, p.half("HK"), fund=True, amount=600000, reason="x")
    dsvc.decide(dworld.most_officer, p.half("ML"), fund=True, amount=450000, reason="x")
    half = p.half("HK")
    half.refresh_from_db()
    pdf = letters.render_letter_pdf(half)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    # No PDF text extractor is installed (pdftotext/pypdf): read the laid-out text WeasyPrint wrote.
    doc = HTML(string=letters.render_letter_html(half)).render()
    text = "".join(box.text for page in doc.pages for box in _text_boxes(page._page_box))
    assert "陳家明" in text and "HK$600,000.00" in text and "獲批金額" in text
    assert "Ka Ming" not in text
    # The Mainland lead (English) gets an English letter in RMB.
    ml = p.half("ML")
    ml.refresh_from_db()
    doc = HTML(string=letters.render_letter_html(ml)).render()
    text = "".join(box.text for page in doc.pages for box in _text_boxes(page._page_box))
    assert "CN¥450,000.00" in text and "Amount awarded" in text


def test_regret_letter_explains_release(dworld, eligible_pair, ready_to_decide):
    from sciencebridge.decisions.services import letters

    p = eligible_pair()
    ready_to_decide(p)
    dsvc.decide(dworld.itc_officer, p.half("HK"), fund=True, amount=600000, reason="x")
    dsvc.decide(dworld.most_officer, p.half("ML"), fund=False, reason="x")
    half = p.half("HK")
    half.refresh_from_db()
    html = letters.render_letter_html(half, "en")
    assert "is not funded" in html and "commitment to your side has therefore been released" in html
    zh = letters.render_letter_html(half, "zh-hans")
    assert "不获资助" in zh


def _text_boxes(box):
    if hasattr(box, "text") and isinstance(box.text, str):
        yield box
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child)
