"""Celery application: ``celery -A sciencebridge worker`` (production queue)."""

import os

from celery import Celery
from celery.signals import worker_init, worker_process_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciencebridge.settings")
app = Celery("sciencebridge")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_without_secret_key(**kwargs):
    from sciencebridge.core.startup import require_secret_key

    require_secret_key()


# Load the expert-matching models where the jobs run (MATCHING_WARM_AT_START, default on), in the
# background, so the first matching job does not wait ~25 s for weights (issue 14): in each process of
# the prefork pool (the default), and in the main process for the solo and threads pools.
@worker_process_init.connect
def _warm_matching_in_pool_process(**kwargs):
    from sciencebridge.experts.warmup import start_background_warm

    start_background_warm()


@worker_ready.connect
def _warm_matching_in_main_process(sender=None, **kwargs):
    pool = getattr(sender, "pool", None)
    if pool is not None and type(pool).__module__.endswith(".prefork"):
        return  # the pool's processes warm themselves (above); the main process runs no job
    from sciencebridge.experts.warmup import start_background_warm

    start_background_warm()
