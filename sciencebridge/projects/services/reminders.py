"""Reminders about reports before and after their due dates.

``send_report_reminders()`` is idempotent: each (report, stage) reminder is recorded in
``ReminderLog`` under a unique key before its e-mail goes out, in one transaction, so running it
twice (or from two schedulers at once) never sends the same reminder twice. When a run was missed,
only the latest stage reached is sent, not every stage in between.
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from sciencebridge.core.notify import Subject, notify

from ..models import ProjectState, ReminderLog, Report, ReportState

# (stage, days relative to the due date). Negative: before it is due.
DEFAULT_STAGES = [("before-14", -14), ("due", 0), ("overdue-7", 7), ("overdue-30", 30)]


def stages() -> list[tuple[str, int]]:
    return sorted(getattr(settings, "PROJECTS_REMINDER_STAGES", DEFAULT_STAGES), key=lambda s: s[1])


def stage_for(report: Report, today: dt.date) -> str | None:
    days = (today - report.due_date).days
    reached = [name for name, offset in stages() if days >= offset]
    return reached[-1] if reached else None


def send_report_reminders(today: dt.date | None = None) -> list[tuple[Report, str]]:
    """Send the reminders due today; returns what was sent."""
    today = today or timezone.localdate()
    earliest = min(offset for _n, offset in stages())
    open_reports = (
        Report.objects.filter(
            state__in=[ReportState.PENDING, ReportState.RETURNED],
            due_date__lte=today - dt.timedelta(days=earliest),
            project_side__project__state=ProjectState.ACTIVE,
        )
        .select_related("project_side__project", "project_side__lead", "project_side__agency")
        .prefetch_related("reminders")
        .order_by("due_date", "pk")
    )
    sent = []
    for report in open_reports:
        stage = stage_for(report, today)
        if stage is None or any(r.kind == stage for r in report.reminders.all()):
            continue
        side = report.project_side
        to = [side.lead.email] if side.lead else []
        overdue = report.due_date < today
        if overdue:
            to += list(side.agency.officers.filter(is_active=True).values_list("email", flat=True))
        try:
            with transaction.atomic():
                ReminderLog.objects.create(report=report, kind=stage, sent_to=", ".join(to))
                subject = (
                    gettext_noop("Overdue: %(report)s for %(ref)s")
                    if overdue
                    else gettext_noop("Reminder: %(report)s for %(ref)s is due on %(due)s")
                )
                notify(
                    to,
                    Subject(
                        subject,
                        report=report,
                        ref=side.project.reference,
                        due=report.due_date.isoformat(),
                    ),
                    "projects/email/report_reminder.txt",
                    {
                        "report": report,
                        "side": side,
                        "overdue": overdue,
                        "days": abs((today - report.due_date).days),
                    },
                )
        except IntegrityError:
            continue  # another run sent this one
        sent.append((report, stage))
    return sent


def scheduled_reminders() -> dict:
    """Entry point for the scheduler (jobs.schedule.SCHEDULE): a JSON-friendly summary."""
    sent = send_report_reminders()
    return {
        "sent": len(sent),
        "reminders": [f"{r.project_side.project.reference} {r} [{stage}]" for r, stage in sent],
    }
