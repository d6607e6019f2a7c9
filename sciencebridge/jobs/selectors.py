from django.db.models import Q
from django.utils import timezone

from .models import Job, JobState, Reason


def stuck_or_failed():
    """Jobs someone should look at: failed, stalled (lease expired), waiting for the queue, retrying."""
    now = timezone.now()
    return Job.objects.filter(
        Q(state=JobState.FAILED)
        | Q(state=JobState.RUNNING, lease_expires_at__lt=now)
        | Q(state=JobState.QUEUED, attempts__gt=0)
        | Q(state=JobState.QUEUED, dispatched_at__isnull=True, reason=Reason.QUEUE_UNREACHABLE)
    ).select_related("created_by")


def backlog() -> dict:
    now = timezone.now()
    return {
        "waiting_for_queue": Job.objects.filter(
            state=JobState.QUEUED, dispatched_at__isnull=True, reason=Reason.QUEUE_UNREACHABLE
        ).count(),
        "stalled": Job.objects.filter(state=JobState.RUNNING, lease_expires_at__lt=now).count(),
    }
