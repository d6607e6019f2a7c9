"""The notification outbox.

``notify()`` stores one :class:`Notification` per recipient in the caller's transaction, written in the
recipient's language, and queues a job that e-mails them once the transaction commits. So a rolled-back
change sends nothing, a mail-server outage never breaks the action (the e-mail is retried with backoff by
``send_due``, scheduled), and the recipient sees the notification in the platform either way.
"""

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import F
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from .models import DeliveryState, Notification

log = logging.getLogger(__name__)
LANGS = {code for code, _name in settings.LANGUAGES}
# The deliver job runs right after commit; the scheduled sweep takes over if it has not sent by then.
FIRST_SWEEP_AFTER = dt.timedelta(seconds=60)


class Subject:
    """A subject translated separately for each recipient:
    ``Subject(gettext_noop("Screening result for %(ref)s"), ref=half.proposal.reference)``."""

    def __init__(self, message: str, **params):
        self.message, self.params = message, params

    def __str__(self):
        text = gettext(self.message)
        return text % self.params if self.params else text


def language_of(user) -> str:
    lang = (getattr(user, "preferred_language", "") or "").lower()
    return lang if lang in LANGS else ""


def _users_by_email(emails: list[str]) -> dict:
    users = {}
    qs = (
        get_user_model()
        .objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails, is_active=True)
        .order_by("pk")
    )
    for user in qs:
        users.setdefault(user.email_lower, user)
    return users


def notify(to: str | list[str], subject, template: str, context: dict) -> list[Notification]:
    """Store a notification for each address (linked to the user who has it, if any) and e-mail it after
    commit. The recipient's preferred language wins; for an address without an account, the language
    active at the call (callers pick it with ``translation.override``)."""
    raw = [to] if isinstance(to, str) else list(to)
    emails = list(dict.fromkeys(e.strip().lower() for e in raw if e and e.strip()))
    if not emails:
        return []
    users = _users_by_email(emails)
    fallback = translation.get_language() or settings.LANGUAGE_CODE
    rendered: dict[str, tuple[str, str]] = {}
    rows = []
    for email in emails:
        user = users.get(email)
        lang = language_of(user) or fallback
        if lang not in rendered:
            with translation.override(lang):
                rendered[lang] = (
                    str(subject)[:255],
                    render_to_string(template, {**context, "site_url": settings.SITE_URL}),
                )
        subj, body = rendered[lang]
        rows.append(
            Notification(
                recipient=user,
                email=email,
                language=lang,
                template=template,
                subject=subj,
                body=body,
                next_attempt_at=timezone.now() + FIRST_SWEEP_AFTER,
            )
        )
    rows = Notification.objects.bulk_create(rows)
    from sciencebridge.jobs.runner import enqueue

    enqueue(
        "notifications.send",
        "sciencebridge.notifications.services.deliver",
        params={"ids": [n.pk for n in rows]},
    )
    return rows


def _backoff(attempt: int) -> dt.timedelta:
    return dt.timedelta(seconds=settings.NOTIFY_RETRY_BACKOFF * 2 ** max(attempt - 1, 0))


def _send(notifications, connection) -> dict:
    sent = retry = 0
    for n in notifications:
        now = timezone.now()
        # Claim this attempt (one conditional UPDATE): the deliver job and the sweep never both send it.
        if not Notification.objects.filter(
            pk=n.pk, delivery=DeliveryState.PENDING, attempts=n.attempts
        ).update(attempts=F("attempts") + 1, next_attempt_at=now + _backoff(n.attempts + 1)):
            continue
        attempt = n.attempts + 1
        try:
            EmailMessage(
                n.subject, n.body, settings.DEFAULT_FROM_EMAIL, [n.email], connection=connection
            ).send()
        except (
            Exception
        ) as exc:  # the mail server is down or refused: try again later, the action stands
            log.warning(
                "notification %s not sent (attempt %s): %s: %s",
                n.pk,
                attempt,
                exc.__class__.__name__,
                exc,
            )
            give_up = attempt >= settings.NOTIFY_MAX_ATTEMPTS
            Notification.objects.filter(pk=n.pk).update(
                last_error=f"{exc.__class__.__name__}: {exc}"[:300],
                delivery=DeliveryState.FAILED if give_up else DeliveryState.PENDING,
            )
            retry += 0 if give_up else 1
            continue
        Notification.objects.filter(pk=n.pk).update(
            delivery=DeliveryState.SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None
        )
        sent += 1
    return {"sent": sent, "retry_later": retry}


def deliver(job, ids: list[int]) -> dict:
    """Job handler: e-mail these notifications now (those not sent already)."""
    pending = list(Notification.objects.filter(pk__in=ids, delivery=DeliveryState.PENDING))
    return _send(pending, get_connection(fail_silently=False))


def send_due(limit: int = 500) -> dict:
    """Scheduled: e-mail notifications whose first delivery failed or never ran and whose retry is due."""
    due = list(
        Notification.objects.filter(
            delivery=DeliveryState.PENDING, next_attempt_at__lte=timezone.now()
        ).order_by("next_attempt_at")[:limit]
    )
    if not due:
        return {"sent": 0, "retry_later": 0}
    return _send(due, get_connection(fail_silently=False))


def mark_read(user, notification: Notification) -> None:
    if notification.recipient_id == user.pk and notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
