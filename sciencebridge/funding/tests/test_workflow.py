"""The joint-proposal workflow through its services, including every rule that rejects bad input."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from djmoney.money import Money

from conftest import pdf_upload
from sciencebridge.accounts.roles import Role
from sciencebridge.core.models import StateTransition
from sciencebridge.core.testing.factories import UserFactory, make_call
from sciencebridge.funding.models import HalfState, JointProposal
from sciencebridge.funding.services import proposals as svc

pytestmark = pytest.mark.django_db


def fields_of(exc: ValidationError) -> set[str]:
    return set(exc.message_dict)


def test_full_path_to_screened_eligible(world, make_ready_pair, django_capture_on_commit_callbacks):
    p = make_ready_pair()
    hk, ml = p.half("HK"), p.half("ML")
    assert (
        hk.lead == world.hk_lead and ml.lead == world.ml_lead and ml.institution == world.tsinghua
    )
    with django_capture_on_commit_callbacks(
        execute=True
    ):  # notifications are e-mailed after commit
        svc.submit_half(world.ml_lead, ml)
        svc.submit_half(world.hk_lead, hk)
    assert any("endorsement" in m.subject for m in mail.outbox)
    svc.endorse(world.hk_office, hk, "Supported by ASTRI")
    svc.screen(world.itc_officer, hk, eligible=True, reason="Meets ITF rules")
    svc.screen(world.most_officer, ml, eligible=True, reason="Meets MOST rules")
    hk.refresh_from_db()
    ml.refresh_from_db()
    assert hk.state == ml.state == HalfState.ELIGIBLE
    steps = list(
        StateTransition.objects.filter(
            object_id=hk.pk, content_type__model="proposalhalf"
        ).values_list("to_state", "actor__username")
    )
    assert steps[-3:] == [
        ("submitted", "hk_lead"),
        ("endorsed", "astri_office"),
        ("eligible", "itc_officer"),
    ]


def test_shared_fields_are_one_record_for_both_halves(world, make_ready_pair):
    p = make_ready_pair()
    svc.update_shared(
        world.ml_lead, JointProposal.objects.get(pk=p.pk), title="Renamed by Mainland lead"
    )
    assert {h.proposal.title for h in JointProposal.objects.get(pk=p.pk).halves.all()} == {
        "Renamed by Mainland lead"
    }
    svc.submit_half(world.ml_lead, p.half("ML"))
    with pytest.raises(ValidationError, match="locked"):
        svc.update_shared(
            world.hk_lead, JointProposal.objects.get(pk=p.pk), title="Changed after submission"
        )


def test_budget_over_ceiling_is_rejected_and_old_budget_kept(world, make_ready_pair):
    p = make_ready_pair()
    hk = p.half("HK")
    with pytest.raises(ValidationError) as e:
        svc.replace_budget(
            world.hk_lead, hk, [{"category": "staff", "amount": Money(1_200_000, "HKD")}]
        )
    assert "exceeds this side's ceiling of HK$1,000,000.00" in e.value.message_dict["budget"][0]
    assert [line.amount for line in hk.budget_lines.all()] == [Money(600000, "HKD")]


def test_wrong_currency_for_side_is_rejected(world, make_ready_pair):
    p = make_ready_pair()
    with pytest.raises(ValidationError, match="must be in CNY"):
        svc.replace_budget(
            world.ml_lead, p.half("ML"), [{"category": "staff", "amount": Money(1000, "HKD")}]
        )


def test_half_without_partner_cannot_be_submitted(world):
    p = svc.create_proposal(
        world.hk_lead, world.call, title="Solo", abstract="x", duration_months=12
    )
    with pytest.raises(ValidationError) as e:
        svc.submit_half(world.hk_lead, p.half("HK"))
    assert "Unilateral submission is not accepted" in e.value.message_dict["partner"][0]


def test_partner_from_wrong_region_is_rejected(world):
    p = svc.create_proposal(world.hk_lead, world.call, title="x", abstract="x", duration_months=12)
    with pytest.raises(ValidationError, match="not in the right region"):
        svc.invite_partner(world.hk_lead, p, email="someone@hku.hk", institution=world.hku)
    # the invited Mainland partner registers with a Hong Kong institution: still refused
    inv = svc.invite_partner(world.hk_lead, p, email="wrong@hku.hk", institution=world.tsinghua)
    wrong = UserFactory(
        username="wrong", email="wrong@hku.hk", institution=world.hku, roles=[Role.APPLICANT]
    )
    with pytest.raises(ValidationError, match="not in the right region"):
        svc.accept_invitation(wrong, inv.token)
    assert p.half("ML").lead is None


def test_invitation_only_for_its_addressee(world):
    p = svc.create_proposal(world.hk_lead, world.call, title="x", abstract="x", duration_months=12)
    inv = svc.invite_partner(
        world.hk_lead, p, email="ml_lead@example.org", institution=world.tsinghua
    )
    other = UserFactory(username="other_ml", institution=world.fudan, roles=[Role.APPLICANT])
    with pytest.raises(PermissionDenied):
        svc.accept_invitation(other, inv.token)


def test_lead_from_ineligible_institution(world):
    boss = UserFactory(username="boss", institution=world.company, roles=[Role.APPLICANT])
    with pytest.raises(ValidationError) as e:
        svc.create_proposal(boss, world.call, title="x", abstract="x", duration_months=12)
    assert "may not lead the Hong Kong side" in e.value.message_dict["institution"][0]
    assert not JointProposal.objects.exists()


def test_second_role_in_same_exercise_across_sibling_schemes(world):
    from sciencebridge.core.testing.factories import make_scheme

    jrs = make_scheme(
        world.itc, world.most, code="jrs", group="nsfc-rgc", max_roles=1, max_duration=48
    )
    yrs = make_scheme(
        world.itc, world.most, code="yrs", group="nsfc-rgc", max_roles=1, max_duration=48
    )
    c1 = make_call(jrs, exercise="2026/27")
    c2 = make_call(yrs, exercise="2026/27")
    c3 = make_call(yrs, code="yrs-next", exercise="2027/28")
    svc.create_proposal(world.hk_lead, c1, title="first", abstract="x", duration_months=48)
    with pytest.raises(ValidationError) as e:
        svc.create_proposal(world.hk_lead, c2, title="second", abstract="x", duration_months=48)
    assert "already holds a role in the 2026/27 exercise" in e.value.message_dict["lead"][0]
    svc.create_proposal(
        world.hk_lead, c3, title="next year is fine", abstract="x", duration_months=48
    )


def test_duration_over_limit(world):
    with pytest.raises(ValidationError) as e:
        svc.create_proposal(world.hk_lead, world.call, title="x", abstract="x", duration_months=36)
    assert "over this scheme's limit of 24 months" in e.value.message_dict["duration_months"][0]


def test_submission_after_deadline_refused(world, make_ready_pair):
    p = make_ready_pair()
    later = world.call.closes_at + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="The call is not open"):
        svc.submit_half(world.hk_lead, p.half("HK"), now=later)
    assert p.half("HK").state == HalfState.DRAFT


def test_non_pdf_and_oversized_attachments(world, make_ready_pair, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    p = make_ready_pair()
    kind = world.scheme.required_attachments.get()
    with pytest.raises(ValidationError, match="is not a PDF"):
        svc.add_attachment(
            world.hk_lead, p.half("HK"), kind, SimpleUploadedFile("cv.docx", b"PK\x03\x04 docx")
        )
    settings.ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="the limit is"):
        svc.add_attachment(world.hk_lead, p.half("HK"), kind, pdf_upload(size_pad=5000))
    assert p.half("HK").attachments.count() == 1  # the earlier good file is kept


def test_endorsement_by_another_institutions_office(world, make_ready_pair):
    p = make_ready_pair()
    svc.submit_half(world.hk_lead, p.half("HK"))
    with pytest.raises(PermissionDenied, match="Only the research office of ASTRI"):
        svc.endorse(world.hku_office, p.half("HK"))


def test_industry_share_minimum(world, make_ready_pair):
    p = make_ready_pair()
    svc.update_shared(
        world.hk_lead,
        JointProposal.objects.get(pk=p.pk),
        project_type=world.scheme.project_types.get(code="collaborative"),
    )
    with pytest.raises(ValidationError) as e:
        svc.submit_half(world.hk_lead, JointProposal.objects.get(pk=p.pk).half("HK"))
    assert "needs at least 50%" in e.value.message_dict["industry_sponsorship"][0]


def test_screening_needs_endorsement_and_partner(world, make_ready_pair):
    p = make_ready_pair()
    hk = p.half("HK")
    svc.submit_half(world.hk_lead, hk)
    with pytest.raises(ValidationError, match="must be endorsed"):
        svc.screen(world.itc_officer, hk, eligible=True, reason="ok")
    svc.endorse(world.hk_office, hk)
    with pytest.raises(ValidationError, match="Unilateral submission"):
        svc.screen(world.itc_officer, hk, eligible=True, reason="ok")
    with pytest.raises(PermissionDenied):
        svc.screen(world.most_officer, hk, eligible=True, reason="not my agency")
    svc.screen(world.itc_officer, hk, eligible=False, reason="Budget not justified")
    hk.refresh_from_db()
    assert hk.state == HalfState.INELIGIBLE and hk.screening_reason == "Budget not justified"


def test_return_and_resubmit(world, make_ready_pair):
    p = make_ready_pair()
    hk = p.half("HK")
    svc.submit_half(world.hk_lead, hk)
    with pytest.raises(ValidationError):
        svc.return_half(world.hk_office, hk, "  ")
    svc.return_half(world.hk_office, hk, "Please add the industry letter")
    hk.refresh_from_db()
    assert hk.state == HalfState.RETURNED and hk.is_editable
    svc.submit_half(world.hk_lead, hk)
    hk.refresh_from_db()
    assert hk.state == HalfState.SUBMITTED


def test_deadline_makes_unilateral_half_ineligible_and_drafts_lapse(world, make_ready_pair):
    p = make_ready_pair()
    q = make_ready_pair(title="Second")
    svc.submit_half(world.hk_lead, p.half("HK"))  # partner never submits
    after = world.call.closes_at + dt.timedelta(hours=1)
    counts = svc.process_deadline(world.call, now=after)
    assert counts == {"lapsed": 3, "unilateral": 1}
    hk = p.half("HK")
    assert (
        hk.state == HalfState.INELIGIBLE
        and "Unilateral submission is not accepted" in hk.screening_reason
    )
    assert {h.state for h in q.halves.all()} == {HalfState.LAPSED}
    assert svc.process_deadline(world.call, now=after) == {"lapsed": 0, "unilateral": 0}


def test_withdraw_by_either_lead_withdraws_the_pair(world, make_ready_pair):
    p = make_ready_pair()
    svc.submit_half(world.hk_lead, p.half("HK"))
    with pytest.raises(PermissionDenied):
        svc.withdraw(world.outsider, p, "no")
    svc.withdraw(world.ml_lead, p, "Partner left")
    assert {h.state for h in p.halves.all()} == {HalfState.WITHDRAWN}


def test_drafting_in_closed_call_refused(world):
    world.call.closes_at = timezone.now() - dt.timedelta(days=1)
    world.call.save()
    with pytest.raises(ValidationError, match="closed"):
        svc.create_proposal(world.hk_lead, world.call, title="x", abstract="x", duration_months=12)


def test_team_member_from_other_region_goes_to_partner_half(world, make_ready_pair):
    p = make_ready_pair()
    with pytest.raises(ValidationError, match="partner's half"):
        svc.add_team_member(world.hk_lead, p.half("HK"), name="Dr Wang", institution=world.fudan)
    svc.add_team_member(world.hk_lead, p.half("HK"), name="Dr Chan", institution=world.hku)
    assert p.half("HK").team.count() == 2


def test_only_lead_edits_own_half(world, make_ready_pair):
    p = make_ready_pair()
    with pytest.raises(PermissionDenied):
        svc.update_half(world.ml_lead, p.half("HK"), keywords="hijack")
    with pytest.raises(PermissionDenied):
        svc.submit_half(world.ml_lead, p.half("HK"))
    assert Decimal(p.half("HK").industry_sponsorship) == Decimal(100000)
