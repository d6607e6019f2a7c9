from celery import shared_task


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def run_job(self, job_id: int):
    """Run a job. A redelivered message (worker lost) is safe: execute() claims the row or does nothing."""
    from .runner import execute

    job = execute(job_id)
    return job.state if job else "missing"


@shared_task(acks_late=True)
def run_scheduled(dotted: str):
    """Celery beat entry point for jobs.schedule.SCHEDULE."""
    from django.utils.module_loading import import_string

    return import_string(dotted)()
