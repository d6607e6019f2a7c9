import os

from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "sciencebridge.experts"

    def ready(self):
        # MATCHING_WARM_AT_START=1 (set by scripts/demo; opt-in for web and queue workers, each of which
        # then holds the text models in memory): load the models in the background at start, so the
        # first expert search does not wait ~25 s for weights.
        if os.environ.get("MATCHING_WARM_AT_START") == "1":
            import threading

            from .matching_adapter import warm

            threading.Thread(
                target=_warm_quietly, args=(warm,), name="matching-warm", daemon=True
            ).start()


def _warm_quietly(warm):
    import logging

    from django.db import connections

    try:
        seconds = warm()
        logging.getLogger(__name__).info("matching models warm: %s", seconds)
    except Exception:  # a failed warm-up only means the first search loads the models itself
        logging.getLogger(__name__).exception("matching warm-up failed")
    finally:
        connections.close_all()  # the thread ends: do not leave its connection open
