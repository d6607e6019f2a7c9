"""Start and execute background jobs.

``enqueue()`` creates a Job row in the caller's transaction and, once that commits, hands its id to the
configured backend (``dispatch()``):
- ``thread`` (embedded default): a small in-process thread pool;
- ``celery``: the ``sciencebridge.jobs.tasks.run_job`` task on the configured broker;
- ``sync``: run immediately in the caller (tests).
If the broker cannot be reached the job stays queued, marked "waiting for the queue", and the reaper
(``jobs.reaper``) sends it again later: the person who started it never sees an error for it.

``execute()`` is what every backend calls. It claims the job (queued, or running with an expired lease)
with one conditional UPDATE, so a redelivered message never runs a job that another worker is running or
has finished; it holds a lease renewed by a heartbeat while the handler runs.
"""

import datetime as dt
import logging
import threading
import traceback
import uuid
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connection, connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Job, JobState, Reason, lease_duration

log = logging.getLogger(__name__)
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _thread_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sb-job")
        return _pool


def backoff(attempt: int) -> dt.timedelta:
    """Delay before retry number ``attempt``: 0 for 0, then base, 2 base, 4 base, ... capped."""
    if attempt <= 0:
        return dt.timedelta(0)
    base = settings.JOBS_RETRY_BACKOFF
    return dt.timedelta(seconds=min(base * 2 ** (attempt - 1), settings.JOBS_RETRY_BACKOFF_MAX))


def enqueue(kind: str, handler: str, *, params: dict | None = None, user=None) -> Job:
    job = Job.objects.create(
        kind=kind,
        handler=handler,
        params=params or {},
        created_by=user,
        max_attempts=settings.JOBS_MAX_ATTEMPTS,
        next_attempt_at=timezone.now(),
    )
    # After commit: a rolled-back transaction sends nothing, and a worker never looks for a row not yet visible.
    transaction.on_commit(lambda: dispatch(job.pk))
    return job


def dispatch(job_id: int) -> bool:
    """Hand a queued job to the backend. Never raises: a broker failure leaves the job waiting for the
    reaper. Returns whether the job was handed over."""
    backend = settings.JOBS_BACKEND
    now = timezone.now()
    handed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        dispatched_at=now, dispatch_attempts=F("dispatch_attempts") + 1
    )
    if not handed:
        return False
    try:
        if backend == "sync":
            execute(job_id)
        elif backend == "celery":
            from .tasks import run_job

            run_job.apply_async((job_id,), retry=False)
        else:
            _thread_pool().submit(_run_in_thread, job_id)
    except Exception as exc:  # the broker is down or unreachable: the reaper sends the job later
        log.warning(
            "job %s could not be sent to the queue (%s: %s); the reaper will retry",
            job_id,
            exc.__class__.__name__,
            exc,
        )
        tries = (
            Job.objects.filter(pk=job_id).values_list("dispatch_attempts", flat=True).first() or 1
        )
        Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
            dispatched_at=None,
            reason=Reason.QUEUE_UNREACHABLE,
            next_attempt_at=timezone.now() + backoff(tries),
        )
        return False
    return True


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        execute(job_id)
    finally:
        # The thread ends here: close its connections outright. close_old_connections() keeps them for
        # CONN_MAX_AGE, and a connection left by a finished thread holds the database open (at test
        # teardown PostgreSQL refused to drop the test database "being accessed by other users").
        connections.close_all()


class _Heartbeat(threading.Thread):
    """Renews the lease of a running job until stopped (a dead process stops renewing: the lease expires)."""

    def __init__(self, job_id: int, claim: str):
        super().__init__(name=f"sb-job-heartbeat-{job_id}", daemon=True)
        self.job_id, self.claim, self.stopped = job_id, claim, threading.Event()
        self.lost = False

    def run(self):
        every = max(settings.JOBS_LEASE_SECONDS / 3, 0.2)
        try:
            while not self.stopped.wait(every):
                now = timezone.now()
                try:
                    renewed = Job.objects.filter(
                        pk=self.job_id, claim=self.claim, state=JobState.RUNNING
                    ).update(heartbeat_at=now, lease_expires_at=now + lease_duration())
                except Exception as exc:  # the database is briefly away: try again next beat
                    log.warning("job %s heartbeat failed: %s", self.job_id, exc)
                    continue
                if not renewed:
                    self.lost = (
                        True  # cancelled, or reaped after a pause: the final write will not land
                    )
                    return
        finally:
            connection.close()


def claim(job_id: int) -> Job | None:
    """Take the job for this worker: queued, or running with an expired lease (its worker died) and attempts
    left. One conditional UPDATE, so of two deliveries only one gets it."""
    now = timezone.now()
    token = uuid.uuid4().hex
    claimable = Q(state=JobState.QUEUED) | Q(
        state=JobState.RUNNING, lease_expires_at__lt=now, attempts__lt=F("max_attempts")
    )
    got = Job.objects.filter(claimable, pk=job_id).update(
        state=JobState.RUNNING,
        claim=token,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        lease_expires_at=now + lease_duration(),
    )
    if not got:
        return None
    return Job.objects.get(pk=job_id)


def execute(job_id: int) -> Job:
    job = claim(job_id)
    if job is None:  # running elsewhere, finished, cancelled, or unknown: nothing to do
        return Job.objects.filter(pk=job_id).first()
    heartbeat = None
    # (Not inside a caller's transaction: the row is not visible to another connection until it commits.)
    if settings.JOBS_HEARTBEAT_THREAD and not connection.in_atomic_block:
        heartbeat = _Heartbeat(job.pk, job.claim)
        heartbeat.start()
    fields = {"finished_at": None, "lease_expires_at": None}
    try:
        fn = import_string(job.handler)
        result = fn(job, **job.params)
        job.refresh_from_db(fields=["progress", "total", "message"])
        fields.update(
            state=JobState.DONE,
            result=result if isinstance(result, dict) else {"value": result},
            reason=Reason.NONE,
            error="",
        )
        if job.total:
            fields["progress"] = job.total
    except Exception as exc:  # the job's failure is recorded and shown; the worker survives
        log.exception("job %s failed", job_id)
        fields.update(
            state=JobState.FAILED,
            reason=Reason.HANDLER_ERROR,
            error=f"{exc.__class__.__name__}: {exc}\n\n{traceback.format_exc(limit=5)}",
        )
    finally:
        if heartbeat is not None:
            heartbeat.stopped.set()
            heartbeat.join(5)
    fields["finished_at"] = timezone.now()
    # Only the holder of the claim finishes the job: if it was cancelled or reaped meanwhile, that stands.
    if not Job.objects.filter(pk=job.pk, claim=job.claim, state=JobState.RUNNING).update(**fields):
        log.warning(
            "job %s finished after losing its claim (cancelled or reaped); result not recorded",
            job_id,
        )
    return Job.objects.get(pk=job.pk)


# ----------------------------------------------------------------------------------------------
# People acting on a job: handlers may declare who may act and what to undo when a job is given up
# ----------------------------------------------------------------------------------------------
def handler_hook(job: Job, name: str):
    try:
        return getattr(import_string(job.handler), name, None)
    except ImportError:
        return None


def give_up(job: Job, reason: str) -> None:
    """The job will not run (again): let its handler release what it holds (e.g. mark its run failed)."""
    hook = handler_hook(job, "on_give_up")
    if hook is not None:
        try:
            hook(job, reason=reason, **job.params)
        except Exception:
            log.exception("give-up hook of job %s failed", job.pk)


def may_act(user, job: Job) -> bool:
    """Retry or cancel: its creator, a person the handler names (e.g. any officer managing the run's side),
    an administrator."""
    if not (user and user.is_authenticated):
        return False
    if user.is_superuser or job.created_by_id == user.pk:
        return True
    hook = handler_hook(job, "may_act")
    try:
        return bool(hook and hook(user, job, **job.params))
    except Exception:
        return False


def can_retry(job: Job) -> bool:
    """A job not finished that is stalled or waiting, or a job given up whose handler released nothing."""
    if job.status in ("stalled", "waiting", "retrying") or (
        job.state == JobState.QUEUED and job.dispatch_attempts
    ):
        return True
    return (
        job.state == JobState.FAILED
        and job.reason in (Reason.GAVE_UP_WORKER_LOST, Reason.GAVE_UP_WAITING)
        and handler_hook(job, "on_give_up") is None
    )


def retry(job: Job) -> Job:
    """Send the job again now (with one more attempt allowed if it had used them all)."""
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if not can_retry(job):
            return job
        Job.objects.filter(pk=job.pk).update(
            state=JobState.QUEUED,
            claim="",
            lease_expires_at=None,
            dispatched_at=None,
            next_attempt_at=now,
            max_attempts=max(job.max_attempts, job.attempts + 1),
            finished_at=None,
        )
        transaction.on_commit(lambda: dispatch(job.pk))
    return Job.objects.get(pk=job.pk)


def cancel(job: Job) -> Job:
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.is_final:
            return job
        Job.objects.filter(pk=job.pk).update(
            state=JobState.CANCELLED,
            reason=Reason.CANCELLED,
            claim="",
            lease_expires_at=None,
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        give_up(job, Reason.CANCELLED)
    return job
