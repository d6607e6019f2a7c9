"""Reminders to the side's officers about open recheck requests: ``reminder_days`` before the due date
(the scheme side's rule), then once overdue, then every 30 days while it stays overdue.

Idempotent like the report reminders: each (request, stage) is recorded in ``RecheckReminder`` under a
unique key in the same transaction as its notification, so two runs never send one twice; after a missed
run only the latest stage reached is sent.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sciencebridge.core.notify import Subject, notify

from .models import RecheckReminder, RecheckRequest, RecheckState


def stage_for(req: RecheckRequest, today: dt.date, reminder_days: int) -> str | None:
    days = (today - req.due_date).days  # negative: before it is due
    if days > 0:
        return f"overdue-{(days - 1) // 30 * 30}"  # overdue-0, overdue-30, overdue-60 ...
    if days >= -reminder_days:
        return "before"
    return None


def send_recheck_reminders(today: dt.date | None = None) -> list[tuple[RecheckRequest, str]]:
    from .services import _officer_emails, policy_for

    today = today or timezone.localdate()
    open_requests = (
        RecheckRequest.objects.filter(state=RecheckState.REQUESTED)
        .select_related("half__proposal__call__scheme", "half__agency")
        .prefetch_related("reminders", "half__proposal__call__scheme__sides__recheck_policy")
        .order_by("due_date", "pk")
    )
    sent = []
    for req in open_requests:
        policy = policy_for(req.half)
        stage = stage_for(req, today, policy.reminder_days if policy else 7)
        if stage is None or any(r.kind == stage for r in req.reminders.all()):
            continue
        to = _officer_emails(req.half)
        overdue = stage.startswith("overdue")
        try:
            with transaction.atomic():
                RecheckReminder.objects.create(request=req, kind=stage, sent_to=", ".join(to))
                notify(
                    to,
                    Subject(
                        gettext_noop("Overdue recheck: %(ref)s was due on %(due)s")
                        if overdue
                        else gettext_noop("Reminder: the recheck of %(ref)s is due on %(due)s"),
                        ref=req.half.proposal.reference,
                        due=req.due_date.isoformat(),
                    ),
                    "rechecks/email/reminder.txt",
                    {
                        "req": req,
                        "half": req.half,
                        "overdue": overdue,
                        "days": abs((today - req.due_date).days),
                    },
                )
        except IntegrityError:
            continue  # another run sent this one
        sent.append((req, stage))
    return sent


def scheduled_reminders() -> dict:
    """Entry point for the scheduler (jobs.schedule.SCHEDULE): a JSON-friendly summary."""
    sent = send_recheck_reminders()
    return {
        "sent": len(sent),
        "reminders": [f"{r.half.proposal.reference} {r.half.side} [{stage}]" for r, stage in sent],
    }
