"""The notification outbox: stored per recipient in their language, e-mailed after commit, retried when the
mail server is down, and visible in the platform to the recipient only."""

import datetime as dt
import socket

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from sciencebridge.core.notify import Subject, notify
from sciencebridge.jobs.models import Job
from sciencebridge.notifications.models import DeliveryState, Notification
from sciencebridge.notifications.services import send_due

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now: "the mail server is down"
    return port


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        _closed_port(),
        2,
    )
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    return settings


def _screenable_pair(world, make_ready_pair, django_capture_on_commit_callbacks):
    from sciencebridge.funding.services import proposals as svc

    p = make_ready_pair()
    hk, ml = p.half("HK"), p.half("ML")
    with django_capture_on_commit_callbacks(execute=True):
        svc.submit_half(world.ml_lead, ml)
        svc.submit_half(world.hk_lead, hk)
        svc.endorse(world.hk_office, hk, "Supported")
    return hk


def test_each_recipient_gets_their_own_language(world, django_capture_on_commit_callbacks):
    world.hk_lead.preferred_language = "zh-hant"
    world.hk_lead.save()
    world.ml_lead.preferred_language = "zh-hans"
    world.ml_lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(
            [world.hk_lead.email, world.ml_lead.email.upper(), "stranger@example.org"],
            Subject(gettext_noop("Notifications")),
            "notifications/email/selftest.txt",
            {"n": 3},
        )
    by_email = {n.email: n for n in rows}
    assert by_email[world.hk_lead.email].recipient == world.hk_lead
    assert (
        by_email[world.hk_lead.email].subject == "通知"
        and by_email[world.hk_lead.email].language == "zh-hant"
    )
    assert (
        by_email[world.ml_lead.email].subject == "通知"
        and "未读" in by_email[world.ml_lead.email].body
    )
    assert "未讀" in by_email[world.hk_lead.email].body
    stranger = by_email["stranger@example.org"]
    assert stranger.recipient is None and stranger.language == "en" and "unread" in stranger.body
    assert sorted(m.to[0] for m in mail.outbox) == sorted(by_email)
    assert Notification.objects.filter(delivery=DeliveryState.SENT).count() == 3


def test_rolled_back_change_sends_nothing(world, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(world.hk_lead.email, "Hello", "notifications/email/selftest.txt", {"n": 1})
        raise RuntimeError("the change fails after notifying")
    assert mail.outbox == [] and not Notification.objects.exists() and not Job.objects.exists()


def test_nothing_is_sent_before_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        notify(world.hk_lead.email, "Hello", "notifications/email/selftest.txt", {"n": 1})
    assert mail.outbox == [] and len(pending) == 1
    pending[0]()  # the commit
    assert [m.to for m in mail.outbox] == [[world.hk_lead.email]]


def test_mail_server_down_screening_succeeds_and_mail_follows(
    world, make_ready_pair, client, smtp_down, django_capture_on_commit_callbacks
):
    hk = _screenable_pair(world, make_ready_pair, django_capture_on_commit_callbacks)
    Notification.objects.all().delete()
    mail.outbox.clear()
    client.force_login(world.itc_officer)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("funding:screen", args=[hk.proposal.reference, "hk"]),
            {"decision": "eligible", "reason": "Meets ITF rules"},
        )
    assert r.status_code == 302  # the action succeeded: no 500 for a mail outage
    hk.refresh_from_db()
    assert hk.state == "eligible"
    n = Notification.objects.get(recipient=world.hk_lead)
    assert (
        n.delivery == DeliveryState.PENDING
        and n.attempts == 1
        and "ConnectionRefused" in n.last_error
    )
    assert n.next_attempt_at > timezone.now()
    # The applicant already sees it in the platform.
    client.force_login(world.hk_lead)
    assert "Screening result for" in client.get(reverse("notifications:list")).content.decode()

    assert send_due() == {"sent": 0, "retry_later": 0}  # not due yet (backoff)
    Notification.objects.filter(pk=n.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert send_due() == {"sent": 0, "retry_later": 1}  # still down
    smtp_down.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    Notification.objects.filter(pk=n.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert send_due() == {"sent": 1, "retry_later": 0}
    n.refresh_from_db()
    assert n.delivery == DeliveryState.SENT and n.attempts == 3 and n.sent_at
    assert [m.to for m in mail.outbox] == [
        [world.hk_lead.email]
    ] and "Screening result" in mail.outbox[0].subject
    assert send_due()["sent"] == 0 and len(mail.outbox) == 1  # sent once


def test_gives_up_after_max_attempts(
    world, settings, smtp_down, django_capture_on_commit_callbacks
):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        (n,) = notify(world.hk_lead.email, "Hello", "notifications/email/selftest.txt", {"n": 1})
    Notification.objects.filter(pk=n.pk).update(next_attempt_at=timezone.now())
    send_due()
    n.refresh_from_db()
    assert n.delivery == DeliveryState.FAILED and n.attempts == 2


def test_list_unread_count_and_mark_read_are_per_user(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mine = notify(
            world.hk_lead.email, "For the HK lead", "notifications/email/selftest.txt", {"n": 1}
        )[0]
        notify(world.hk_lead.email, "Second one", "notifications/email/selftest.txt", {"n": 2})
        theirs = notify(
            world.ml_lead.email, "For the ML lead", "notifications/email/selftest.txt", {"n": 1}
        )[0]
    client.force_login(world.hk_lead)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "For the HK lead" in page and "For the ML lead" not in page
    assert "Notifications (2)" in client.get(reverse("core:dashboard")).content.decode()
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post(reverse("notifications:read", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "Notifications (1)" in client.get(reverse("core:dashboard")).content.decode()
    client.post(reverse("notifications:read_all"))
    assert Notification.objects.filter(recipient=world.hk_lead, read_at__isnull=True).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert world.hk_lead.has_perm("notifications.view_notification", mine)
    assert not world.hk_lead.has_perm("notifications.view_notification", theirs)
    client.logout()
    assert client.get(reverse("notifications:list")).status_code == 302  # to the login page
