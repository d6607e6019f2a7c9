"""Loading the matching models when a serving process starts (issue 14, "first use is slow").

Without it the first expert search after a start waits for the text models' weights (~25 s on the
demo). ``start_background_warm`` runs ``matching_adapter.warm`` in a background thread, at most
once per process; the process serves requests meanwhile (a search that arrives during the
warm-up waits for the same index instead of loading it twice: ``get_index`` holds a lock).

Where it is started, when the setting ``MATCHING_WARM_AT_START`` is on (the default):

- gunicorn: ``post_worker_init`` in ``deploy/gunicorn.conf.py`` (each worker);
- Celery: ``worker_process_init`` in each prefork pool process, ``worker_ready`` in the main
  process for the solo/threads pools (``sciencebridge/celery.py``): the jobs run there;
- ``manage.py runserver`` (the embedded/demo server): ``ExpertsConfig.ready`` through
  ``should_warm_at_start``, never in tests nor in other management commands (migrate, seed...).
"""

from __future__ import annotations

import logging
import os
import sys
import threading

log = logging.getLogger(__name__)

_lock = threading.Lock()
_started_in: int | None = None  # pid of the process that started its warm-up (fork-safe)


def enabled() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "MATCHING_WARM_AT_START", True))


def is_runserver(argv: list[str] | None = None, environ=None) -> bool:
    """Whether this process is the one serving ``manage.py runserver``: with the autoreloader, the
    child that serves (``RUN_MAIN=true``), not the parent that only watches files."""
    argv = sys.argv if argv is None else argv
    environ = os.environ if environ is None else environ
    if len(argv) < 2 or argv[1] != "runserver":
        return False
    return "--noreload" in argv or environ.get("RUN_MAIN") == "true"


def should_warm_at_start(argv: list[str] | None = None, environ=None) -> bool:
    """For ``ExpertsConfig.ready``: the embedded server only (gunicorn and Celery have their hooks)."""
    return enabled() and is_runserver(argv, environ)


def _warm_quietly() -> None:
    from django.db import connections

    from . import matching_adapter

    try:
        seconds = matching_adapter.warm()
        log.info("matching models warm: %s", {k: round(v, 2) for k, v in seconds.items()})
    except Exception:  # a failed warm-up only means the first search loads the models itself
        log.exception("matching warm-up failed")
    finally:
        connections.close_all()  # the thread ends: do not leave its connections open


def start_background_warm(*, force: bool = False) -> threading.Thread | None:
    """Start the warm-up thread if the setting is on (or ``force``) and this process has not
    started one yet; returns the thread, or None when nothing was started."""
    global _started_in
    if not (force or enabled()):
        return None
    with _lock:
        if _started_in == os.getpid():
            return None
        _started_in = os.getpid()
    thread = threading.Thread(target=_warm_quietly, name="matching-warm", daemon=True)
    thread.start()
    return thread


def _reset_for_tests() -> None:
    global _started_in
    _started_in = None
