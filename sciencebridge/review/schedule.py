"""Scheduled jobs of the review app, in the format of ``sciencebridge.jobs.schedule.SCHEDULE``:
(name, dotted path of a function with no required arguments, interval in seconds)."""

SCHEDULE = [
    ("review-reminders", "sciencebridge.review.schedule.send_review_reminders", 3600),
]


def send_review_reminders():
    from .services.invitations import send_reminders

    return send_reminders()
