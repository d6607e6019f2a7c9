"""Filing the contract: each party with the authority of its own location, within the annex's working
days of the contract taking effect, counted over that party's public holidays (``holidays``: CN, HK).

Reminders before and after each due date, and at the end of the recipient's record-keeping period, are
idempotent: each (agreement, stage) is recorded under a unique key before its e-mail goes out.
"""

import datetime as dt
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sciencebridge.accounts.roles import Role
from sciencebridge.core.notify import Subject, notify

from ..models import AgreementReminder, AgreementState, DataTransferAgreement, Filing, PartyRole
from ..rules import party_of, reads_all

# (stage, days relative to the due date). Negative: before it is due.
DEFAULT_STAGES = [("before-3", -3), ("due", 0), ("overdue-1", 1), ("overdue-7", 7)]
RETENTION_NOTICE_DAYS = 30


@lru_cache(maxsize=8)
def _calendar(code: str, first_year: int):
    import holidays

    return holidays.country_holidays(code, years=range(first_year, first_year + 3))


def due_date(effective: dt.date, calendar: str, working_days: int) -> dt.date:
    """The ``working_days``-th working day after ``effective`` in that calendar (weekends, public
    holidays and, on the Mainland, the weekend days made working days all counted as the calendar says)."""
    return _calendar(calendar, effective.year).get_nth_working_day(effective, working_days)


def skipped_holidays(effective: dt.date, due: dt.date, calendar: str) -> list[tuple[dt.date, str]]:
    cal = _calendar(calendar, effective.year)
    return sorted((d, str(n)) for d, n in cal.items() if effective < d <= due)


def open_filings(a: DataTransferAgreement) -> list[Filing]:
    out = []
    for party, loc in (
        (PartyRole.PROCESSOR, a.processor_location),
        (PartyRole.RECIPIENT, a.recipient_location),
    ):
        f, _created = Filing.objects.get_or_create(
            agreement=a,
            party=party,
            defaults={
                "authority": loc.filing_authority,
                "due_date": due_date(
                    a.effective_date, loc.holiday_calendar, a.annex.filing_working_days
                ),
            },
        )
        out.append(f)
    return out


@transaction.atomic
def record_filing(user, filing: Filing, *, reference: str, filed_on: dt.date) -> Filing:
    a = filing.agreement
    if filing.party not in party_of(user, a) and not reads_all(user):
        raise PermissionDenied(_("Only the filing party records its filing."))
    if a.state != AgreementState.SIGNED:
        raise ValidationError(_("Filings are recorded for signed agreements."))
    errors = {}
    reference = (reference or "").strip()
    if not reference:
        errors["reference"] = _("Give the filing reference the authority issued.")
    if filed_on is None:
        errors["filed_on"] = _("Give the date of filing.")
    elif filed_on < a.effective_date:
        errors["filed_on"] = _(
            "A filing dated %(filed)s is before the contract took effect (%(eff)s): the contract is "
            "filed after it takes effect. Check the date or the agreement."
        ) % {"filed": filed_on.isoformat(), "eff": a.effective_date.isoformat()}
    elif filed_on > timezone.localdate():
        errors["filed_on"] = _("The filing date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    filing.reference, filing.filed_on = reference, filed_on
    filing.recorded_by, filing.recorded_at = user, timezone.now()
    filing.save(update_fields=["reference", "filed_on", "recorded_by", "recorded_at"])
    return filing


# --- reminders -------------------------------------------------------------------------------------


def stages() -> list[tuple[str, int]]:
    return sorted(
        getattr(settings, "DATAFLOWS_FILING_REMINDER_STAGES", DEFAULT_STAGES), key=lambda s: s[1]
    )


def _secretariat_emails() -> list[str]:
    return list(
        get_user_model()
        .objects.filter(groups__name=Role.SECRETARIAT, is_active=True)
        .values_list("email", flat=True)
    )


def _log_and_notify(a, kind, to, subject, template, context) -> bool:
    try:
        with transaction.atomic():
            AgreementReminder.objects.create(agreement=a, kind=kind, sent_to=", ".join(to))
            notify(to, subject, template, context)
    except IntegrityError:
        return False  # another run sent this one
    return True


def send_reminders(today: dt.date | None = None) -> list[str]:
    today = today or timezone.localdate()
    earliest = min(offset for _n, offset in stages())
    sent = []
    filings = (
        Filing.objects.filter(
            filed_on__isnull=True,
            agreement__state=AgreementState.SIGNED,
            due_date__lte=today - dt.timedelta(days=earliest),
        )
        .select_related("agreement__processor_contact", "agreement__recipient_contact")
        .prefetch_related("agreement__reminders")
        .order_by("due_date", "pk")
    )
    secretariat = None
    for f in filings:
        days = (today - f.due_date).days
        reached = [name for name, offset in stages() if days >= offset]
        if not reached:
            continue
        kind = f"filing-{f.party}-{reached[-1]}"
        a = f.agreement
        if any(r.kind == kind for r in a.reminders.all()):
            continue
        contact = a.processor_contact if f.party == PartyRole.PROCESSOR else a.recipient_contact
        to = [contact.email] if contact and contact.email else []
        overdue = f.due_date < today
        if overdue:
            secretariat = _secretariat_emails() if secretariat is None else secretariat
            to += secretariat
        subject = (
            gettext_noop("Overdue: filing of %(ref)s with %(authority)s")
            if overdue
            else gettext_noop("Reminder: file %(ref)s with %(authority)s by %(due)s")
        )
        if _log_and_notify(
            a,
            kind,
            to,
            Subject(subject, ref=a.reference, authority=f.authority, due=f.due_date.isoformat()),
            "dataflows/email/filing_reminder.txt",
            {"agreement": a, "filing": f, "overdue": overdue, "days": abs(days)},
        ):
            sent.append(f"{a.reference} {kind}")
    # The recipient's record-keeping period: a reminder as its end approaches.
    for a in (
        DataTransferAgreement.objects.filter(
            state=AgreementState.SIGNED, effective_date__isnull=False
        )
        .exclude(reminders__kind="retention-end")
        .select_related("annex", "recipient_contact")
    ):
        until = a.records_kept_until
        if until is None or (until - today).days > RETENTION_NOTICE_DAYS:
            continue
        to = [a.recipient_contact.email] if a.recipient_contact else []
        if _log_and_notify(
            a,
            "retention-end",
            to,
            Subject(
                gettext_noop("Processing records of %(ref)s: kept until %(until)s"),
                ref=a.reference,
                until=until.isoformat(),
            ),
            "dataflows/email/retention_reminder.txt",
            {"agreement": a, "until": until},
        ):
            sent.append(f"{a.reference} retention-end")
    return sent


def scheduled_reminders() -> dict:
    """Entry point for the scheduler (jobs.schedule.SCHEDULE)."""
    sent = send_reminders()
    return {"sent": len(sent), "reminders": sent}
