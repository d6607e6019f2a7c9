from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sciencebridge.core.workflow import Because, reason_fields, render_reason


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


FINAL_STATES = (JobState.DONE, JobState.FAILED, JobState.CANCELLED)


class Reason(models.TextChoices):
    """Why a job is not simply queued or running: shown to people, so no internals (those go to the log)."""

    NONE = "", ""
    QUEUE_UNREACHABLE = (
        "queue_unreachable",
        _("The job queue could not be reached; it will be retried automatically."),
    )
    NOT_PICKED_UP = "not_picked_up", _("No worker picked the job up in time; it was sent again.")
    WORKER_LOST = (
        "worker_lost",
        _("The worker running the job stopped responding; the job will run again."),
    )
    GAVE_UP_WORKER_LOST = (
        "gave_up_worker_lost",
        _("The worker running the job stopped responding too many times; the job was given up."),
    )
    GAVE_UP_WAITING = (
        "gave_up_waiting",
        _("The job waited too long for the queue and was given up."),
    )
    HANDLER_ERROR = "handler_error", _("The job stopped with an error.")
    CANCELLED = "cancelled", _("Cancelled by a person.")


class Job(models.Model):
    """A background job whose progress a page can poll. Runs in-process or on Celery.

    Fault model: a worker holds a *lease* on the job while it runs (renewed by a heartbeat); a scheduled
    reaper (``jobs.reaper.reap``) requeues jobs whose lease expired and re-sends queued jobs that never
    reached the queue or were never picked up, with backoff and a bounded number of attempts.
    """

    kind = models.CharField(max_length=60)
    # Dotted path of the function to run: fn(job, **params). Must be safe to run again after a crash.
    handler = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        max_length=10, choices=JobState.choices, default=JobState.QUEUED, db_index=True
    )
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)  # in English (logs, admin)
    # A platform-written message, worded in each reader's language (``message_text``): the job runs
    # in a worker where no reader's language is active.
    message_msgid = models.CharField(max_length=500, blank=True)
    message_params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Execution attempts (claims by a worker), bounded by max_attempts.
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=3)
    # Times the job was handed (or tried to be handed) to the queue.
    dispatch_attempts = models.PositiveIntegerField(default=0)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The running worker's claim: a token and a lease it renews while alive.
    claim = models.CharField(max_length=32, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=30, choices=Reason.choices, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.state})"

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        return int(100 * self.progress / self.total) if self.total else 0

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def status(self) -> str:
        """What a person should read: queued, waiting (for the queue), retrying, running, stalled, done,
        failed or cancelled."""
        if (
            self.state == JobState.RUNNING
            and self.lease_expires_at
            and self.lease_expires_at < timezone.now()
        ):
            return "stalled"
        if self.state == JobState.QUEUED:
            if self.dispatched_at is None and self.reason == Reason.QUEUE_UNREACHABLE:
                return "waiting"
            if self.attempts:
                return "retrying"
        return self.state

    def get_status_display(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def message_text(self) -> str:
        """The latest progress message in the active language."""
        if self.message_msgid:
            return render_reason(self.message_msgid, self.message_params or {})
        return self.message

    @property
    def reason_text(self) -> str:
        return str(self.get_reason_display()) if self.reason else ""

    def report(self, progress: int, total: int | None = None, message: str | Because = "") -> None:
        """Record progress from inside the job (cheap single UPDATE, which also renews the lease).
        ``message``: ``because(gettext_noop("Scoring %(n)d proposals"), n=…)``, so that each reader
        reads it in their own language, or plain text (shown as written)."""
        self.progress = progress
        fields = {"progress": progress}
        if total is not None:
            self.total = total
            fields["total"] = total
        if message:
            stored = reason_fields(message)
            self.message = stored["reason"][:500]
            self.message_msgid = stored.get("reason_msgid", "")[:500]
            self.message_params = stored.get("reason_params", {})
            fields.update(
                message=self.message,
                message_msgid=self.message_msgid,
                message_params=self.message_params,
            )
        if self.claim:
            now = timezone.now()
            fields.update(heartbeat_at=now, lease_expires_at=now + lease_duration())
        Job.objects.filter(pk=self.pk).update(**fields)


STATUS_LABELS = {
    **dict(JobState.choices),
    "waiting": _("Waiting for the queue"),
    "retrying": _("Retrying"),
    "stalled": _("Stalled"),
}


def lease_duration():
    import datetime as dt

    return dt.timedelta(seconds=settings.JOBS_LEASE_SECONDS)
