"""The remittance ledger's services: instruct, remit, receive, report use, reconcile, remind.

Each function checks permission and input first and raises ``PermissionDenied`` or a ``ValidationError``
keyed by field, so a refused posting changes nothing. Amounts are validated against the step's fixed
currency (RMB remitted, HKD received) and, for a receipt, against the remitted amount converted at the
reference rate of the day: more than ``REMITTANCE_TOLERANCE_PERCENT`` above it is refused; a receipt that
differs from it by more than ``REMITTANCE_FLAG_PERCENT`` either way is flagged for reconciliation.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from djmoney.money import Money

from sciencebridge.accounts.roles import Role
from sciencebridge.core.notify import Subject, notify
from sciencebridge.core.workflow import record_initial_state, transition
from sciencebridge.institutions.models import Region
from sciencebridge.projects import bounds
from sciencebridge.projects.models import Tranche, TrancheState
from sciencebridge.projects.services import projects as prj

from .. import workdays
from ..models import NOTE_MAX, ReferenceRate, Remittance, RemittanceReminder, RemittanceState

CENTS = Decimal("0.01")
RATE_PLACES = Decimal("0.000001")
RATE_LOOKBACK_DAYS = 7  # no fixing on weekends and holidays: the latest within a week counts


def receipt_working_days() -> int:
    return int(getattr(settings, "REMITTANCE_RECEIPT_WORKING_DAYS", 10))


def tolerance_percent() -> Decimal:
    return Decimal(str(getattr(settings, "REMITTANCE_TOLERANCE_PERCENT", "2")))


def flag_percent() -> Decimal:
    return Decimal(str(getattr(settings, "REMITTANCE_FLAG_PERCENT", "0.5")))


def money_str(m: Money) -> str:
    code = str(m.currency)
    return f"{'RMB' if code == 'CNY' else code} {m.amount:,.2f}"


def recipient_for(tranche: Tranche):
    """The Hong Kong institution that receives and uses this tranche's money: the side's own institution
    when it is in Hong Kong (a national programme open to Hong Kong), otherwise the project's Hong Kong
    lead institution. None: nothing of this tranche is used in Hong Kong."""
    side = tranche.project_side
    if side.institution is not None and side.institution.region == Region.HONG_KONG:
        return side.institution
    hk = next((s for s in side.project.sides.all() if s.side == "HK"), None)
    if hk is not None and hk.institution is not None and hk.institution.region == Region.HONG_KONG:
        return hk.institution
    return None


def instruct_blocker(tranche: Tranche) -> str | None:
    """Why a remittance of this tranche cannot be instructed now (None: it can)."""
    if tranche.amount.currency.code != "CNY":
        return _("Only Mainland-side tranches in RMB are remitted across the boundary.")
    if recipient_for(tranche) is None:
        return _("No institution in Hong Kong receives this tranche.")
    if tranche.state == TrancheState.SCHEDULED:
        gate = tranche.gating_report
        if gate is not None:
            return _(
                "%(tranche)s is not yet due: it is released after the %(report)s is accepted "
                "(payment due %(due)s)."
            ) % {"tranche": tranche, "report": str(gate).lower(), "due": tranche.due_date}
        return _("%(tranche)s is not yet due (payment due %(due)s).") % {
            "tranche": tranche,
            "due": tranche.due_date,
        }
    if Remittance.objects.filter(tranche_id=tranche.pk).exists():
        return _("A remittance of %(tranche)s has already been instructed.") % {"tranche": tranche}
    return None


def _require(user, perm, obj, message):
    if not user.has_perm(perm, obj):
        raise PermissionDenied(message)


def _date_errors(field, value, *, not_before=None, label_before=""):
    today = timezone.localdate()
    if value is None:
        return {field: _("Enter a date.")}
    if value > today:
        return {field: _("This date is in the future.")}
    if not_before is not None and value < not_before:
        return {
            field: _("This date is before %(what)s (%(d)s).")
            % {"what": label_before, "d": not_before}
        }
    return {}


def _next_reference(tranche: Tranche) -> str:
    side = tranche.project_side
    return f"R-{side.project.reference}-{side.side}-{tranche.number}"[:60]


@transaction.atomic
def instruct(
    tranche: Tranche, *, actor, amount: Money | None = None, instructed_on=None
) -> Remittance:
    """The agency's instruction to remit a due tranche (all of it unless ``amount`` says less)."""
    _require(
        actor,
        "remittances.instruct",
        tranche,
        _("Only officers of %(agency)s instruct remittances of this tranche.")
        % {"agency": tranche.project_side.agency},
    )
    Tranche.objects.select_for_update().filter(pk=tranche.pk).first()
    tranche.refresh_from_db(fields=["state"])
    blocker = instruct_blocker(tranche)
    if blocker:
        raise ValidationError(blocker)
    amount = amount if amount is not None else tranche.amount
    if amount.currency.code != "CNY":
        raise ValidationError({"amount": _("A remittance is instructed in RMB.")})
    if amount.amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    if amount.amount > tranche.amount.amount:
        raise ValidationError(
            {
                "amount": _("At most the tranche's %(total)s can be remitted.")
                % {"total": money_str(tranche.amount)}
            }
        )
    instructed_on = instructed_on or timezone.localdate()
    errors = _date_errors("instructed_on", instructed_on)
    if not errors:
        too_early = bounds.paid_on_error(tranche.project_side.project, instructed_on)
        if too_early:
            errors = {"instructed_on": too_early}
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            rem = Remittance.objects.create(
                reference=_next_reference(tranche),
                tranche=tranche,
                agency=tranche.project_side.agency,
                recipient=recipient_for(tranche),
                instructed_amount=amount,
                instructed_on=instructed_on,
                instructed_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            _("A remittance of %(tranche)s has already been instructed.") % {"tranche": tranche}
        ) from None
    record_initial_state(rem, actor=actor, reason=_("Remittance instructed."))
    return rem


def _lock(rem: Remittance) -> Remittance:
    fresh = Remittance.objects.select_for_update().get(pk=rem.pk)
    for f in ("state", "state_changed_at", "bank_reference"):
        setattr(rem, f, getattr(fresh, f))
    return rem


def _posted_elsewhere(bank_reference: str) -> Remittance | None:
    return (
        Remittance.objects.annotate(ref_u=Upper("bank_reference"))
        .filter(ref_u=bank_reference.upper())
        .first()
    )


def _already_posted(bank_reference, other: Remittance) -> ValidationError:
    return ValidationError(
        {
            "bank_reference": _(
                "Bank reference %(ref)s was already posted on %(when)s (remittance %(rem)s): "
                "a bank reference posts once, so nothing was posted again."
            )
            % {"ref": bank_reference, "when": other.remitted_on, "rem": other.reference}
        }
    )


def record_remitted(
    rem: Remittance, *, actor, remitted_on: dt.date, amount: Money, bank_reference: str
) -> Remittance:
    """The agency remitted the money (RMB) with the bank's reference. A bank reference posts once.

    A released tranche not yet paid is recorded as paid in the project's ledger at the same time (one
    payment, keyed by the remittance), so the project's page and the officer's desk agree."""
    _require(
        actor,
        "remittances.remit",
        rem,
        _("Only officers of %(agency)s record this remittance.") % {"agency": rem.agency},
    )
    bank_reference = (bank_reference or "").strip()
    errors = {}
    if not bank_reference:
        errors["bank_reference"] = _("Enter the bank's reference of the transfer.")
    elif len(bank_reference) > 60:
        errors["bank_reference"] = _("At most 60 characters.")
    if amount is None or amount.currency.code != "CNY":
        errors["amount"] = _("The amount remitted is in RMB, the currency the agency approved.")
    elif amount.amount <= 0:
        errors["amount"] = _("Enter an amount above zero.")
    elif amount.amount > rem.instructed_amount.amount:
        errors["amount"] = _("More than the %(amount)s instructed.") % {
            "amount": money_str(rem.instructed_amount)
        }
    errors.update(
        _date_errors(
            "remitted_on",
            remitted_on,
            not_before=rem.instructed_on,
            label_before=_("the instruction"),
        )
    )
    if errors:
        raise ValidationError(errors)
    other = _posted_elsewhere(bank_reference)
    if other is not None:
        raise _already_posted(bank_reference, other)
    try:
        with transaction.atomic():
            _lock(rem)
            if rem.state != RemittanceState.INSTRUCTED:
                raise ValidationError(
                    _("This remittance was already posted as remitted (bank reference %(ref)s).")
                    % {"ref": rem.bank_reference}
                )
            rem.remitted_on, rem.remitted_amount = remitted_on, amount
            rem.bank_reference, rem.remitted_by = bank_reference, actor
            transition(
                rem,
                RemittanceState.REMITTED,
                actor=actor,
                reason=_("Remitted %(amount)s, bank reference %(ref)s.")
                % {"amount": money_str(amount), "ref": bank_reference},
                update_fields=[
                    "remitted_on",
                    "remitted_amount",
                    "remitted_amount_currency",
                    "bank_reference",
                    "remitted_by",
                ],
            )
            tranche = Tranche.objects.select_related("project_side").get(pk=rem.tranche_id)
            if tranche.state == TrancheState.RELEASED:
                prj.record_payment(
                    tranche,
                    actor=actor,
                    amount=amount,
                    paid_on=remitted_on,
                    idempotency_key=f"remittance-{rem.pk}",
                    bank_reference=bank_reference,
                )
    except IntegrityError:
        other = _posted_elsewhere(bank_reference)
        if other is not None:
            raise _already_posted(bank_reference, other) from None
        raise
    return rem


def reference_rate_on(day: dt.date) -> ReferenceRate | None:
    """The reference rate of ``day``, or the latest published in the week before it."""
    return (
        ReferenceRate.objects.filter(
            date__lte=day, date__gte=day - dt.timedelta(days=RATE_LOOKBACK_DAYS)
        )
        .order_by("-date")
        .first()
    )


def record_receipt(rem: Remittance, *, actor, received_on: dt.date, amount: Money) -> Remittance:
    """The Hong Kong institution received the money, in HKD. The effective rate is derived and the
    reference rate of the day recorded; far above the reference it is refused, otherwise a difference
    beyond the flag threshold is flagged for reconciliation."""
    _require(
        actor,
        "remittances.receive",
        rem,
        _("Only the research office of %(inst)s records this receipt.") % {"inst": rem.recipient},
    )
    if amount is None:
        raise ValidationError({"amount": _("Enter the amount received in HKD.")})
    if amount.currency.code != "HKD":
        code = "RMB" if amount.currency.code == "CNY" else amount.currency.code
        raise ValidationError(
            {
                "amount": _(
                    "A receipt is recorded in HKD, the currency received in Hong Kong; this amount "
                    "is in %(cur)s."
                )
                % {"cur": code}
            }
        )
    if amount.amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    with transaction.atomic():
        _lock(rem)
        if rem.state != RemittanceState.REMITTED:
            if rem.state == RemittanceState.INSTRUCTED:
                raise ValidationError(_("This remittance has not been remitted yet."))
            raise ValidationError(_("The receipt of this remittance has already been recorded."))
        rem.refresh_from_db(fields=["remitted_on", "remitted_amount", "remitted_amount_currency"])
        errors = _date_errors(
            "received_on", received_on, not_before=rem.remitted_on, label_before=_("the remittance")
        )
        if errors:
            raise ValidationError(errors)
        rate = reference_rate_on(received_on)
        if rate is None:
            raise ValidationError(
                {
                    "received_on": _(
                        "No reference rate is recorded for %(day)s or the week before; an "
                        "administrator adds it (Admin → Reference rates) before the receipt is recorded."
                    )
                    % {"day": received_on}
                }
            )
        remitted = rem.remitted_amount.amount
        expected = (remitted * rate.hkd_per_cny).quantize(CENTS, ROUND_HALF_UP)
        ceiling = (expected * (1 + tolerance_percent() / 100)).quantize(CENTS, ROUND_HALF_UP)
        if amount.amount > ceiling:
            raise ValidationError(
                {
                    "amount": _(
                        "Refused: %(received)s is more than the %(remitted)s remitted, converted at the "
                        "reference rate of %(rate)s on %(day)s (%(expected)s), allows: at most "
                        "%(ceiling)s (tolerance %(tol)s%%)."
                    )
                    % {
                        "received": money_str(amount),
                        "remitted": money_str(rem.remitted_amount),
                        "rate": rate.hkd_per_cny.normalize(),
                        "day": rate.date,
                        "expected": money_str(Money(expected, "HKD")),
                        "ceiling": money_str(Money(ceiling, "HKD")),
                        "tol": tolerance_percent().normalize(),
                    }
                }
            )
        difference = amount.amount - expected
        rem.received_on, rem.received_amount, rem.received_by = received_on, amount, actor
        rem.effective_rate = (amount.amount / remitted).quantize(RATE_PLACES, ROUND_HALF_UP)
        rem.reference_rate, rem.reference_rate_date = rate.hkd_per_cny, rate.date
        rem.difference = difference
        rem.needs_reconciliation = abs(difference) > expected * flag_percent() / 100
        reason = _("Received %(amount)s (effective rate %(eff)s; reference %(ref)s).") % {
            "amount": money_str(amount),
            "eff": rem.effective_rate.normalize(),
            "ref": rate.hkd_per_cny.normalize(),
        }
        if rem.needs_reconciliation:
            reason += " " + _("Flagged for reconciliation: %(diff)s from the reference.") % {
                "diff": money_str(Money(difference, "HKD"))
            }
        transition(
            rem,
            RemittanceState.RECEIVED,
            actor=actor,
            reason=reason,
            update_fields=[
                "received_on",
                "received_amount",
                "received_amount_currency",
                "received_by",
                "effective_rate",
                "reference_rate",
                "reference_rate_date",
                "difference",
                "needs_reconciliation",
            ],
        )
    return rem


def report_use(
    rem: Remittance, *, actor, note: str, reported_on: dt.date | None = None
) -> Remittance:
    """The research office reports the money as used in Hong Kong."""
    _require(
        actor,
        "remittances.report_use",
        rem,
        _("Only the research office of %(inst)s reports this use.") % {"inst": rem.recipient},
    )
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say how the funds were used in Hong Kong.")})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("At most %(n)s characters.") % {"n": NOTE_MAX}})
    reported_on = reported_on or timezone.localdate()
    with transaction.atomic():
        _lock(rem)
        if rem.state != RemittanceState.RECEIVED:
            if rem.state == RemittanceState.REPORTED:
                raise ValidationError(_("The use of this remittance has already been reported."))
            raise ValidationError(_("The receipt must be recorded before the use is reported."))
        rem.refresh_from_db(fields=["received_on"])
        errors = _date_errors(
            "reported_on", reported_on, not_before=rem.received_on, label_before=_("the receipt")
        )
        if errors:
            raise ValidationError(errors)
        rem.used_reported_on, rem.use_note = reported_on, note
        transition(
            rem,
            RemittanceState.REPORTED,
            actor=actor,
            reason=_("Reported as used in Hong Kong."),
            update_fields=["used_reported_on", "use_note"],
        )
    return rem


@transaction.atomic
def reconcile(rem: Remittance, *, actor, note: str) -> Remittance:
    """An officer of the remitting agency explains a flagged difference (bank charges, a later fixing…)."""
    _require(
        actor,
        "remittances.reconcile",
        rem,
        _("Only officers of %(agency)s reconcile this remittance.") % {"agency": rem.agency},
    )
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Explain the difference.")})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("At most %(n)s characters.") % {"n": NOTE_MAX}})
    fresh = Remittance.objects.select_for_update().get(pk=rem.pk)
    if not fresh.needs_reconciliation or fresh.reconciled_at is not None:
        raise ValidationError(_("This remittance has nothing to reconcile."))
    fresh.reconciled_at, fresh.reconciled_by, fresh.reconciliation_note = (
        timezone.now(),
        actor,
        note,
    )
    fresh.save(update_fields=["reconciled_at", "reconciled_by", "reconciliation_note"])
    return fresh


# ----------------------------------------------------------------------------------------------
# Reminders: remitted but not confirmed received within N working days (HK and Mainland holidays)
# ----------------------------------------------------------------------------------------------
def receipt_deadline(rem: Remittance) -> dt.date | None:
    if rem.remitted_on is None:
        return None
    return workdays.add_working_days(rem.remitted_on, receipt_working_days())


def send_receipt_reminders(today: dt.date | None = None) -> list[Remittance]:
    """Remind the receiving research office and the agency's officers of remittances not confirmed
    received within N working days. Idempotent: one reminder per remittance (unique log row)."""
    today = today or timezone.localdate()
    n = receipt_working_days()
    kind = f"receipt-{n}"
    candidates = (
        Remittance.objects.filter(state=RemittanceState.REMITTED, remitted_on__lt=today)
        .exclude(reminders__kind=kind)
        .select_related("recipient", "agency", "tranche__project_side__project")
        .order_by("remitted_on", "pk")
    )
    sent = []
    for rem in candidates:
        deadline = workdays.add_working_days(rem.remitted_on, n)
        if today <= deadline:
            continue
        to = [
            *rem.recipient.people.filter(
                is_active=True, groups__name=Role.RESEARCH_OFFICE
            ).values_list("email", flat=True),
            *rem.agency.officers.filter(is_active=True).values_list("email", flat=True),
        ]
        try:
            with transaction.atomic():
                RemittanceReminder.objects.create(remittance=rem, kind=kind, sent_to=", ".join(to))
                notify(
                    to,
                    Subject(
                        gettext_noop("Remittance %(ref)s not yet confirmed received"),
                        ref=rem.reference,
                    ),
                    "remittances/email/receipt_reminder.txt",
                    {"rem": rem, "deadline": deadline, "days": n},
                )
        except IntegrityError:
            continue
        sent.append(rem)
    return sent


def scheduled_reminders() -> dict:
    sent = send_receipt_reminders()
    return {"sent": len(sent), "remittances": [r.reference for r in sent]}
