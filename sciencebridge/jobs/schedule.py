"""Scheduled jobs: what runs periodically, in one place.

With Celery, ``celery -A sciencebridge beat`` sends these as tasks (see CELERY_BEAT_SCHEDULE in settings).
In the embedded default, ``manage.py run_scheduler`` (started by scripts/demo) runs them in-process.
Each entry is (name, dotted path of a function with no required arguments, interval in seconds).
Every function is idempotent: running it twice sends nothing twice.
"""

import os

# Read from the environment, not django.conf.settings: settings.py imports this module to build the beat schedule.
REAPER_INTERVAL = int(os.environ.get("JOBS_REAPER_INTERVAL", 30))

SCHEDULE = [
    ("reap-jobs", "sciencebridge.jobs.reaper.reap", REAPER_INTERVAL),
    (
        "send-notifications",
        "sciencebridge.notifications.services.send_due",
        max(REAPER_INTERVAL, 30),
    ),
    ("process-deadlines", "sciencebridge.jobs.schedule.process_deadlines", 300),
    ("review-reminders", "sciencebridge.review.schedule.send_review_reminders", 3600),
    (
        "project-report-reminders",
        "sciencebridge.projects.services.reminders.scheduled_reminders",
        3600,
    ),
    ("transfer-alerts", "sciencebridge.transfer.services.alerts.run_all_saved_searches", 3600),
    (
        "remittance-receipt-reminders",
        "sciencebridge.remittances.services.remittances.scheduled_reminders",
        3600,
    ),
    (
        "dataflow-filing-reminders",
        "sciencebridge.dataflows.services.filings.scheduled_reminders",
        3600,
    ),
    ("recheck-reminders", "sciencebridge.rechecks.reminders.scheduled_reminders", 3600),
]


def process_deadlines():
    from django.utils import timezone

    from sciencebridge.funding.models import Call
    from sciencebridge.funding.services.proposals import process_deadline

    done = {}
    for call in Call.objects.filter(
        closes_at__lte=timezone.now(), deadline_processed_at__isnull=True
    ):
        done[call.code] = process_deadline(call)
    return done
