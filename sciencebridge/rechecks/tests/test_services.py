import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import pdf_upload
from sciencebridge.core.models import StateTransition
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.funding.models import HalfState, TeamMember
from sciencebridge.funding.services import proposals as fsvc
from sciencebridge.notifications.models import Notification
from sciencebridge.rechecks import rules, selectors
from sciencebridge.rechecks import services as svc
from sciencebridge.rechecks.models import RecheckReminder, RecheckRequest, RecheckState
from sciencebridge.rechecks.reminders import send_recheck_reminders

pytestmark = pytest.mark.django_db


def half_steps(half):
    return list(
        StateTransition.objects.filter(
            content_type__model="proposalhalf", object_id=half.pk
        ).order_by("at", "id")
    )


def test_request_within_window_sets_due_date_and_tells_both_sides(world, make_ineligible):
    ml = make_ineligible().half("ML")
    req = svc.request_recheck(
        world.ml_lead, ml, reasons="The form was signed; see the scan.", evidence=pdf_upload()
    )
    assert req.state == RecheckState.REQUESTED
    assert req.due_date == timezone.localdate() + dt.timedelta(days=60)
    assert req.screening_reason == "Budget form unsigned."
    assert req.evidence_name == "proposal.pdf" and req.evidence.name.startswith("rechecks/")
    note = half_steps(ml)[-1]
    assert note.from_state == note.to_state == HalfState.INELIGIBLE
    assert req.due_date.isoformat() in note.reason and note.actor == world.ml_lead
    to = set(Notification.objects.values_list("email", flat=True))
    assert world.most_officer.email in to and world.ml_lead.email in to
    assert world.itc_officer.email not in to
    first = StateTransition.objects.get(content_type__model="recheckrequest", object_id=req.pk)
    assert first.to_state == RecheckState.REQUESTED and first.actor == world.ml_lead


def test_reverse_returns_the_half_to_review_and_records_who_and_why(world, make_ineligible):
    ml = make_ineligible().half("ML")
    req = svc.request_recheck(world.ml_lead, ml, reasons="Signed.")
    svc.decide(world.most_officer, req, reverse=True, reason="Signature found on page 3.")
    ml.refresh_from_db()
    req.refresh_from_db()
    assert ml.state == HalfState.ELIGIBLE
    assert req.state == RecheckState.REVERSED
    assert req.decided_by == world.most_officer and req.decision_reason.startswith("Signature")
    step = half_steps(ml)[-1]
    assert (step.from_state, step.to_state) == (HalfState.INELIGIBLE, HalfState.ELIGIBLE)
    assert "Signature found on page 3." in step.reason and step.actor == world.most_officer
    move = StateTransition.objects.filter(content_type__model="recheckrequest").last()
    assert (move.from_state, move.to_state, move.actor) == (
        "requested",
        "reversed",
        world.most_officer,
    )
    # The half is in review: the assignment picks it up as an eligible Mainland half.
    from sciencebridge.review.services.assignment import units_for

    assert [u.half.pk for u in units_for(world.call, "ML")] == [ml.pk]


def test_uphold_keeps_the_half_ineligible_and_notes_the_reason(world, make_ineligible):
    ml = make_ineligible().half("ML")
    req = svc.request_recheck(world.ml_lead, ml, reasons="Signed.")
    svc.decide(world.most_officer, req, reverse=False, reason="The signature is not the PI's.")
    ml.refresh_from_db()
    assert ml.state == HalfState.INELIGIBLE
    assert RecheckRequest.objects.get().state == RecheckState.UPHELD
    assert "The signature is not the PI's." in half_steps(ml)[-1].reason


def test_reverse_obeys_the_pairing_rule(world, make_ineligible):
    ml = make_ineligible(partner_submitted=False).half("ML")
    req = svc.request_recheck(world.ml_lead, ml, reasons="Signed.")
    with pytest.raises(ValidationError) as e:
        svc.decide(world.most_officer, req, reverse=True, reason="Signed after all.")
    assert "Unilateral submission is not accepted" in str(e.value)
    ml.refresh_from_db()
    req.refresh_from_db()
    assert ml.state == HalfState.INELIGIBLE and req.state == RecheckState.REQUESTED


def test_request_after_the_window_is_refused_with_the_dates(world, make_ineligible):
    ml = make_ineligible().half("ML")
    late = ml.state_changed_at + dt.timedelta(days=15, minutes=1)
    with pytest.raises(ValidationError) as e:
        svc.request_recheck(world.ml_lead, ml, reasons="Signed.", now=late)
    assert "recheck window closed" in str(e.value) and "15 days" in str(e.value)
    assert not RecheckRequest.objects.exists()
    # on the last minute of the window it is still accepted
    svc.request_recheck(
        world.ml_lead, ml, reasons="Signed.", now=ml.state_changed_at + dt.timedelta(days=15)
    )


def test_request_without_reason_or_with_a_non_pdf_is_refused(world, make_ineligible):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ml = make_ineligible().half("ML")
    with pytest.raises(ValidationError) as e:
        svc.request_recheck(world.ml_lead, ml, reasons="   ")
    assert set(e.value.message_dict) == {"reasons"}
    bad = SimpleUploadedFile("x.pdf", b"<html>%PDF-</html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as e:
        svc.request_recheck(world.ml_lead, ml, reasons="Signed.", evidence=bad)
    assert set(e.value.message_dict) == {"evidence"}
    assert not RecheckRequest.objects.exists()
    assert not Notification.objects.filter(subject__contains="Recheck").exists()


def test_second_open_request_and_a_second_request_after_a_decision_are_refused(
    world, make_ineligible
):
    ml = make_ineligible().half("ML")
    req = svc.request_recheck(world.ml_lead, ml, reasons="Signed.")
    with pytest.raises(ValidationError) as e:
        svc.request_recheck(world.ml_lead, ml, reasons="Again.")
    assert "already open" in str(e.value)
    svc.decide(world.most_officer, req, reverse=False, reason="Not signed.")
    ml.refresh_from_db()
    with pytest.raises(ValidationError) as e:
        svc.request_recheck(world.ml_lead, ml, reasons="Again.")
    assert "was decided on" in str(e.value)
    assert RecheckRequest.objects.count() == 1


def test_withdrawn_request_can_be_filed_again_within_the_window(world, make_ineligible):
    ml = make_ineligible().half("ML")
    req = svc.request_recheck(world.ml_lead, ml, reasons="Signed.")
    with pytest.raises(PermissionDenied):
        svc.withdraw(world.most_officer, req)
    svc.withdraw(world.ml_lead, req, "Filed the wrong scan.")
    assert RecheckRequest.objects.get().state == RecheckState.WITHDRAWN
    svc.request_recheck(world.ml_lead, ml, reasons="The right scan.")
    assert RecheckRequest.objects.filter(state=RecheckState.REQUESTED).count() == 1


def test_request_on_a_half_that_is_not_ineligible(world, make_ineligible):
    hk = make_ineligible().half("HK")  # endorsed, not screened ineligible
    with pytest.raises(ValidationError) as e:
        svc.request_recheck(world.hk_lead, hk, reasons="Why not.")
    assert "Only a half screened ineligible" in str(e.value)


def test_side_without_a_recheck_rule_takes_no_requests(world, make_ineligible, policy):
    ml = make_ineligible().half("ML")
    policy.allowed = False
    policy.save()
    with pytest.raises(ValidationError) as e:
        svc.request_recheck(world.ml_lead, ml, reasons="Signed.")
    assert "takes no recheck requests" in str(e.value)


def test_only_the_lead_files_and_only_that_sides_officers_decide(world, make_ineligible):
    ml = make_ineligible().half("ML")
    for user in (world.hk_lead, world.most_officer, world.outsider):
        with pytest.raises(PermissionDenied):
            svc.request_recheck(user, ml, reasons="Signed.")
    req = svc.request_recheck(world.ml_lead, ml, reasons="Signed.")
    for user in (world.itc_officer, world.ml_lead, world.hk_lead):
        with pytest.raises(PermissionDenied):
            svc.decide(user, req, reverse=True, reason="Because.")
    with pytest.raises(ValidationError) as e:
        svc.decide(world.most_officer, req, reverse=True, reason="  ")
    assert set(e.value.message_dict) == {"reason"}
    ml.refresh_from_db()
    req.refresh_from_db()
    assert ml.state == HalfState.INELIGIBLE and req.state == RecheckState.REQUESTED
    svc.decide(world.most_officer, req, reverse=False, reason="Not signed.")
    with pytest.raises(ValidationError) as e:
        svc.decide(world.most_officer, req, reverse=True, reason="Changed my mind.")
    assert "already closed" in str(e.value)


def test_who_sees_a_request_object_by_object(world, make_ineligible):
    ml = make_ineligible().half("ML")
    member = UserFactory(username="ml_member", institution=world.tsinghua, roles=["applicant"])
    TeamMember.objects.create(half=ml, name="M", user=member)
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    req = svc.request_recheck(world.ml_lead, ml, reasons="Signed.")
    req = selectors.visible_requests(admin).get(pk=req.pk)
    expected = {
        world.ml_lead: True,
        member: True,
        world.most_officer: True,
        admin: True,
        world.hk_lead: False,  # the partner half's team
        world.itc_officer: False,  # the other side's officers
        world.hk_office: False,
        world.hku_office: False,
        world.outsider: False,
    }
    for user, sees in expected.items():
        assert bool(rules.can_view_request(user, req)) is sees, user.username
        assert selectors.visible_requests(user).filter(pk=req.pk).exists() is sees, user.username
        assert user.has_perm("rechecks.view_request", req) is sees, user.username
    assert user_can_decide(world.most_officer, req) and not user_can_decide(world.itc_officer, req)


def user_can_decide(user, req):
    return user.has_perm("rechecks.decide_request", req)


def test_reminders_before_due_and_when_overdue_once_each(world, make_ineligible):
    ml = make_ineligible().half("ML")
    req = svc.request_recheck(world.ml_lead, ml, reasons="Signed.")
    Notification.objects.all().delete()
    assert send_recheck_reminders(today=req.due_date - dt.timedelta(days=8)) == []
    week_before = req.due_date - dt.timedelta(days=7)
    assert [s for _r, s in send_recheck_reminders(today=week_before)] == ["before"]
    assert send_recheck_reminders(today=week_before) == []  # idempotent
    late = req.due_date + dt.timedelta(days=1)
    assert [s for _r, s in send_recheck_reminders(today=late)] == ["overdue-0"]
    assert send_recheck_reminders(today=late + dt.timedelta(days=3)) == []
    assert [s for _r, s in send_recheck_reminders(today=late + dt.timedelta(days=30))] == [
        "overdue-30"
    ]
    assert RecheckReminder.objects.count() == 3
    to = set(Notification.objects.values_list("email", flat=True))
    assert to == {world.most_officer.email}
    assert Notification.objects.filter(subject__startswith="Overdue recheck").count() == 2
    req.refresh_from_db()
    assert req.is_overdue(late) and not req.is_overdue(week_before)
    svc.decide(world.most_officer, req, reverse=False, reason="Not signed.")
    assert send_recheck_reminders(today=late + dt.timedelta(days=90)) == []


def test_reverse_of_a_half_already_rescreened_eligible_records_the_outcome(world, make_ineligible):
    ml = make_ineligible().half("ML")
    req = svc.request_recheck(world.ml_lead, ml, reasons="Signed.")
    fsvc.screen(world.most_officer, ml, eligible=True, reason="Re-screened.")
    svc.decide(world.most_officer, req, reverse=True, reason="Already re-screened.")
    req.refresh_from_db()
    assert req.state == RecheckState.REVERSED
