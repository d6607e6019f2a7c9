"""ScienceBridge: the Mainland–Hong Kong science and technology cooperation platform."""

from .celery import app as celery_app

__all__ = ["celery_app"]
