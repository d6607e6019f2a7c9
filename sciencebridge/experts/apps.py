from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "sciencebridge.experts"

    def ready(self):
        # The embedded server (manage.py runserver, scripts/demo) loads the matching models in the
        # background at start, so the first expert search does not wait ~25 s for weights. Never in
        # tests nor other management commands; gunicorn and Celery workers start it from their own
        # hooks (deploy/gunicorn.conf.py, sciencebridge/celery.py). Setting MATCHING_WARM_AT_START.
        from . import (
            signals,  # noqa: F401  (connects the receivers)
            warmup,
        )

        if warmup.should_warm_at_start():
            warmup.start_background_warm()
