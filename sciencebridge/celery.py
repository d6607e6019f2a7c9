"""Celery application: ``celery -A sciencebridge worker`` (production queue)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciencebridge.settings")
app = Celery("sciencebridge")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
