"""The scheduled reaper: no job stays stuck (runs every JOBS_REAPER_INTERVAL seconds, see jobs.schedule).

1. A running job whose lease expired lost its worker: requeue it after a backoff, or give it up once it
   has used its attempts (its handler's ``on_give_up`` releases what it held, e.g. the assignment run).
2. A queued job that is due and never reached the queue (broker down at enqueue) or was sent but never
   picked up is sent again (a transactional-outbox relay); after JOBS_GIVE_UP_AFTER it is given up.
Every step is a conditional UPDATE, so two reapers at once do no harm.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import Job, JobState, Reason
from .runner import backoff, dispatch, give_up

log = logging.getLogger(__name__)


def reap(now=None) -> dict:
    now = now or timezone.now()
    out = {"requeued": 0, "given_up": 0, "sent": 0}
    for job in Job.objects.filter(state=JobState.RUNNING, lease_expires_at__lt=now):
        mine = Job.objects.filter(
            pk=job.pk, state=JobState.RUNNING, claim=job.claim, lease_expires_at__lt=now
        )
        if job.attempts >= job.max_attempts:
            if mine.update(
                state=JobState.FAILED,
                reason=Reason.GAVE_UP_WORKER_LOST,
                claim="",
                lease_expires_at=None,
                finished_at=now,
            ):
                log.error(
                    "job %s given up: its worker stopped responding %s times", job.pk, job.attempts
                )
                job.refresh_from_db()
                give_up(job, Reason.GAVE_UP_WORKER_LOST)
                out["given_up"] += 1
        # The lease already waited JOBS_LEASE_SECONDS: the first retry goes at once, later ones back off.
        elif mine.update(
            state=JobState.QUEUED,
            reason=Reason.WORKER_LOST,
            claim="",
            lease_expires_at=None,
            dispatched_at=None,
            next_attempt_at=now + backoff(job.attempts - 1),
        ):
            log.warning(
                "job %s lost its worker (attempt %s of %s); requeued",
                job.pk,
                job.attempts,
                job.max_attempts,
            )
            out["requeued"] += 1

    pickup = now - dt.timedelta(seconds=settings.JOBS_PICKUP_TIMEOUT)
    too_old = now - dt.timedelta(seconds=settings.JOBS_GIVE_UP_AFTER)
    due = Job.objects.filter(
        Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=pickup),
        state=JobState.QUEUED,
        next_attempt_at__lte=now,
    ).order_by("next_attempt_at")
    for job in due:
        if job.created_at < too_old and job.dispatched_at is None:
            if Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
                state=JobState.FAILED, reason=Reason.GAVE_UP_WAITING, finished_at=now
            ):
                job.refresh_from_db()
                give_up(job, Reason.GAVE_UP_WAITING)
                out["given_up"] += 1
            continue
        if job.dispatched_at is not None:  # sent but never picked up: send again, later next time
            Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(
                reason=Reason.NOT_PICKED_UP, next_attempt_at=now + backoff(job.dispatch_attempts)
            )
        # Two reapers may both send it: harmless, only one delivery can claim the job.
        if dispatch(job.pk):
            out["sent"] += 1
    return out
