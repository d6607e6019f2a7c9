import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from djmoney.money import Money

from sciencebridge.core.models import StateTransition
from sciencebridge.notifications.models import Notification
from sciencebridge.projects.models import Payment, TrancheState
from sciencebridge.remittances import selectors
from sciencebridge.remittances.models import Remittance, RemittanceReminder, RemittanceState
from sciencebridge.remittances.services import remittances as svc

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _today_as_the_test_runs():
    """TODAY as of each test, not of collection: a run that crossed midnight in Hong Kong (16:00 UTC)
    compared a stale TODAY with the services' ``timezone.localdate()``."""
    global TODAY
    TODAY = timezone.localdate()


DAY = dt.timedelta(days=1)


def _remitted(world, tranche, ref="ICBC-0001", amount=None, on=None):
    rem = svc.instruct(tranche, actor=world.most_officer, instructed_on=TODAY - 5 * DAY)
    return svc.record_remitted(
        rem,
        actor=world.most_officer,
        remitted_on=on or TODAY - 3 * DAY,
        amount=amount or rem.instructed_amount,
        bank_reference=ref,
    )


def test_whole_ledger_path_with_timeline(world, ml_tranche, rates):
    rem = svc.instruct(ml_tranche, actor=world.most_officer, instructed_on=TODAY - 5 * DAY)
    assert rem.recipient == world.astri  # the project's Hong Kong institution
    assert rem.agency == world.most
    assert rem.instructed_amount == ml_tranche.amount
    assert rem.state == RemittanceState.INSTRUCTED

    svc.record_remitted(
        rem,
        actor=world.most_officer,
        remitted_on=TODAY - 3 * DAY,
        amount=rem.instructed_amount,
        bank_reference="ICBC-2026-0001",
    )
    ml_tranche.refresh_from_db()
    # The released tranche is paid in the project's ledger too, once, keyed by the remittance.
    assert ml_tranche.state == TrancheState.PAID
    assert Payment.objects.get(tranche=ml_tranche).bank_reference == "ICBC-2026-0001"

    hkd = Money(rem.remitted_amount.amount * rates, "HKD")
    svc.record_receipt(rem, actor=world.hk_office, received_on=TODAY - DAY, amount=hkd)
    rem.refresh_from_db()
    assert rem.state == RemittanceState.RECEIVED
    assert rem.effective_rate == rates
    assert rem.reference_rate == rates
    assert rem.reference_rate_date == TODAY - DAY
    assert rem.difference == 0 and not rem.needs_reconciliation

    svc.report_use(rem, actor=world.hk_office, note="Staff and equipment of the HK team.")
    rem.refresh_from_db()
    assert rem.state == RemittanceState.REPORTED
    steps = list(
        StateTransition.objects.filter(object_id=rem.pk, content_type__model="remittance")
        .order_by("at", "id")
        .values_list("to_state", "actor__username")
    )
    assert steps == [
        ("instructed", "most_officer"),
        ("remitted", "most_officer"),
        ("received", "astri_office"),
        ("reported", "astri_office"),
    ]


def test_a_bank_reference_posts_once(world, make_project, ml_tranche, rates):
    first = _remitted(world, ml_tranche, ref="ICBC-7788")
    other_tranche = make_project(title="Second project").sides.get(side="ML").tranches.get(number=1)
    second = svc.instruct(other_tranche, actor=world.most_officer)
    with pytest.raises(ValidationError) as e:
        svc.record_remitted(
            second,
            actor=world.most_officer,
            remitted_on=TODAY,
            amount=second.instructed_amount,
            bank_reference="icbc-7788",  # same reference, other case
        )
    msg = " ".join(e.value.message_dict["bank_reference"])
    assert "ICBC-7788" in msg or "icbc-7788" in msg
    assert first.reference in msg and "posts once" in msg
    second.refresh_from_db()
    assert second.state == RemittanceState.INSTRUCTED and second.bank_reference is None
    assert Payment.objects.filter(tranche=other_tranche).count() == 0
    # The same remittance posted again is refused too, and nothing changes.
    with pytest.raises(ValidationError, match="already posted"):
        svc.record_remitted(
            first,
            actor=world.most_officer,
            remitted_on=TODAY,
            amount=first.instructed_amount,
            bank_reference="ICBC-7788",
        )
    assert Payment.objects.filter(tranche=ml_tranche).count() == 1


def test_the_database_refuses_a_duplicate_bank_reference(world, make_project, ml_tranche):
    first = _remitted(world, ml_tranche, ref="BOC-1")
    other = make_project(title="Other").sides.get(side="ML").tranches.get(number=1)
    second = svc.instruct(other, actor=world.most_officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Remittance.objects.filter(pk=second.pk).update(bank_reference="boc-1")
    assert first.bank_reference == "BOC-1"


def test_received_more_than_remitted_is_refused(world, ml_tranche, rates):
    rem = _remitted(world, ml_tranche)
    expected = rem.remitted_amount.amount * rates
    too_much = Money((expected * Decimal("1.03")).quantize(Decimal("0.01")), "HKD")
    with pytest.raises(ValidationError) as e:
        svc.record_receipt(rem, actor=world.hk_office, received_on=TODAY, amount=too_much)
    msg = " ".join(e.value.message_dict["amount"])
    assert "Refused" in msg and "tolerance 2%" in msg and "1.08" in msg
    rem.refresh_from_db()
    assert rem.state == RemittanceState.REMITTED and rem.received_amount is None
    # Within the tolerance it is accepted, and flagged for reconciliation.
    ok = Money((expected * Decimal("1.015")).quantize(Decimal("0.01")), "HKD")
    svc.record_receipt(rem, actor=world.hk_office, received_on=TODAY, amount=ok)
    rem.refresh_from_db()
    assert rem.needs_reconciliation and rem.difference > 0


def test_a_receipt_in_rmb_is_refused(world, ml_tranche, rates):
    rem = _remitted(world, ml_tranche)
    with pytest.raises(ValidationError) as e:
        svc.record_receipt(
            rem, actor=world.hk_office, received_on=TODAY, amount=rem.remitted_amount
        )
    msg = " ".join(e.value.message_dict["amount"])
    assert "HKD" in msg and "RMB" in msg
    rem.refresh_from_db()
    assert rem.state == RemittanceState.REMITTED


def test_a_tranche_not_yet_due_is_refused(world, project):
    t2 = project.sides.get(side="ML").tranches.get(number=2)
    assert t2.state == TrancheState.SCHEDULED
    with pytest.raises(ValidationError, match="not yet due"):
        svc.instruct(t2, actor=world.most_officer)
    assert not Remittance.objects.exists()


def test_a_hong_kong_tranche_is_not_remitted(world, project):
    hk = project.sides.get(side="HK").tranches.get(number=1)
    with pytest.raises(PermissionDenied):
        svc.instruct(hk, actor=world.most_officer)  # not MOST's side
    with pytest.raises(ValidationError, match="RMB"):
        svc.instruct(hk, actor=world.itc_officer)


def test_a_tranche_is_instructed_once(world, ml_tranche):
    svc.instruct(ml_tranche, actor=world.most_officer)
    with pytest.raises(ValidationError, match="already been instructed"):
        svc.instruct(ml_tranche, actor=world.most_officer)
    assert Remittance.objects.count() == 1


def test_amounts_and_dates_are_checked(world, ml_tranche, rates):
    with pytest.raises(ValidationError, match="At most"):
        svc.instruct(
            ml_tranche, actor=world.most_officer, amount=ml_tranche.amount + Money(1, "CNY")
        )
    with pytest.raises(ValidationError):
        svc.instruct(ml_tranche, actor=world.most_officer, amount=Money(100, "HKD"))
    rem = svc.instruct(ml_tranche, actor=world.most_officer)
    with pytest.raises(ValidationError) as e:
        svc.record_remitted(
            rem,
            actor=world.most_officer,
            remitted_on=TODAY + DAY,
            amount=Money(10, "HKD"),
            bank_reference="",
        )
    assert set(e.value.message_dict) == {"remitted_on", "amount", "bank_reference"}
    svc.record_remitted(
        rem,
        actor=world.most_officer,
        remitted_on=TODAY,
        amount=rem.instructed_amount,
        bank_reference="X-1",
    )
    with pytest.raises(ValidationError, match="before the remittance"):
        svc.record_receipt(
            rem, actor=world.hk_office, received_on=TODAY - DAY, amount=Money(1, "HKD")
        )


def test_no_reference_rate_no_receipt(world, ml_tranche):
    rem = _remitted(world, ml_tranche)
    with pytest.raises(ValidationError, match="No reference rate"):
        svc.record_receipt(rem, actor=world.hk_office, received_on=TODAY, amount=Money(1, "HKD"))


def test_a_shortfall_is_flagged_and_reconciled(world, ml_tranche, rates):
    rem = _remitted(world, ml_tranche)
    short = Money(
        (rem.remitted_amount.amount * rates * Decimal("0.97")).quantize(Decimal("0.01")), "HKD"
    )
    svc.record_receipt(rem, actor=world.hk_office, received_on=TODAY, amount=short)
    rem.refresh_from_db()
    assert rem.needs_reconciliation and rem.difference < 0
    assert list(selectors.to_reconcile(world.most_officer)) == [rem]
    assert list(selectors.to_reconcile(world.itc_officer)) == []
    with pytest.raises(PermissionDenied):
        svc.reconcile(rem, actor=world.hk_office, note="Bank charges")
    svc.reconcile(rem, actor=world.most_officer, note="Intermediary bank charges.")
    assert list(selectors.to_reconcile(world.most_officer)) == []
    with pytest.raises(ValidationError, match="nothing to reconcile"):
        svc.reconcile(rem, actor=world.most_officer, note="Again")


def test_who_acts_on_which_step(world, ml_tranche, rates):
    with pytest.raises(PermissionDenied):
        svc.instruct(ml_tranche, actor=world.hk_office)
    rem = svc.instruct(ml_tranche, actor=world.most_officer)
    with pytest.raises(PermissionDenied):
        svc.record_remitted(
            rem,
            actor=world.itc_officer,
            remitted_on=TODAY,
            amount=rem.instructed_amount,
            bank_reference="Z",
        )
    svc.record_remitted(
        rem,
        actor=world.most_officer,
        remitted_on=TODAY,
        amount=rem.instructed_amount,
        bank_reference="Z",
    )
    for outsider in (world.hku_office, world.most_officer, world.hk_lead):
        with pytest.raises(PermissionDenied):
            svc.record_receipt(rem, actor=outsider, received_on=TODAY, amount=Money(1, "HKD"))


def test_receipt_reminder_after_n_working_days_once(world, ml_tranche, settings):
    settings.REMITTANCE_RECEIPT_WORKING_DAYS = 3
    # Remitted on Wednesday 30 Sep 2026: 1 Oct (both), 2–7 Oct (Mainland Golden Week) and the weekend
    # do not count; Thursday 8 Oct, Friday 9 Oct and Saturday 10 Oct (a Mainland make-up working day,
    # but a Hong Kong Saturday: not counted) → the third working day is Monday 12 Oct.
    rem = svc.instruct(ml_tranche, actor=world.most_officer, instructed_on=TODAY - 10 * DAY)
    Remittance.objects.filter(pk=rem.pk).update(
        state=RemittanceState.REMITTED, remitted_on=dt.date(2026, 9, 30)
    )
    rem.refresh_from_db()
    assert svc.receipt_deadline(rem) == dt.date(2026, 10, 12)
    assert svc.send_receipt_reminders(today=dt.date(2026, 10, 12)) == []
    sent = svc.send_receipt_reminders(today=dt.date(2026, 10, 13))
    assert sent == [rem]
    assert svc.send_receipt_reminders(today=dt.date(2026, 10, 14)) == []
    log = RemittanceReminder.objects.get()
    assert world.hk_office.email in log.sent_to and world.most_officer.email in log.sent_to
    assert world.hku_office.email not in log.sent_to
    reminders = Notification.objects.filter(
        recipient=world.hk_office, subject__contains="not yet confirmed received"
    )
    assert reminders.count() == 1
