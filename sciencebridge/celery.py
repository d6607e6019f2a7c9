"""Celery application: ``celery -A sciencebridge worker`` (production queue)."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciencebridge.settings")
app = Celery("sciencebridge")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_without_secret_key(**kwargs):
    from sciencebridge.core.startup import require_secret_key

    require_secret_key()
