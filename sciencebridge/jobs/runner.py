"""Start and execute background jobs.

``enqueue()`` creates a Job row and hands its id to the configured backend:
- ``thread`` (embedded default): a small in-process thread pool;
- ``celery``: the ``sciencebridge.jobs.tasks.run_job`` task on the configured broker;
- ``sync``: run immediately in the caller (tests).
``execute()`` is what every backend calls; it is safe to call twice for the same job.
"""

import logging
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Job, JobState

log = logging.getLogger(__name__)
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _thread_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sb-job")
        return _pool


def enqueue(kind: str, handler: str, *, params: dict | None = None, user=None) -> Job:
    job = Job.objects.create(kind=kind, handler=handler, params=params or {}, created_by=user)
    backend = getattr(settings, "JOBS_BACKEND", "thread")

    def dispatch():
        if backend == "sync":
            execute(job.pk)
        elif backend == "celery":
            from .tasks import run_job

            run_job.delay(job.pk)
        else:
            _thread_pool().submit(_run_in_thread, job.pk)

    transaction.on_commit(dispatch)
    return job


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        execute(job_id)
    finally:
        close_old_connections()


def execute(job_id: int) -> Job:
    # Claim the job atomically so a retried delivery never runs a finished or running job twice.
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=timezone.now()
    )
    job = Job.objects.get(pk=job_id)
    if not claimed:
        return job
    try:
        fn = import_string(job.handler)
        result = fn(job, **job.params)
        job.refresh_from_db(fields=["progress", "total", "message"])
        job.result = result if isinstance(result, dict) else {"value": result}
        job.state = JobState.DONE
        if job.total:
            job.progress = job.total
    except Exception as exc:  # the job's failure is recorded and shown; the worker survives
        log.exception("job %s failed", job_id)
        job.state = JobState.FAILED
        job.error = f"{exc.__class__.__name__}: {exc}\n\n{traceback.format_exc(limit=5)}"
    job.finished_at = timezone.now()
    job.save()
    return job
