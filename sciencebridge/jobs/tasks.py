from celery import shared_task


@shared_task(bind=True, acks_late=True, max_retries=3)
def run_job(self, job_id: int):
    from .runner import execute

    return execute(job_id).state


@shared_task(acks_late=True)
def run_scheduled(dotted: str):
    """Celery beat entry point for jobs.schedule.SCHEDULE."""
    from django.utils.module_loading import import_string

    return import_string(dotted)()
