"""Gunicorn settings for ScienceBridge: `gunicorn -c deploy/gunicorn.conf.py sciencebridge.wsgi`."""

import multiprocessing
import os

import environ

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", 2 * multiprocessing.cpu_count() + 1))
# Sync workers, one request at a time each, behind nginx (deploy/nginx.conf.example buffers requests
# and responses, so no worker waits on a slow client). A sync worker takes a connection only when
# it is free: requests queue in the listen backlog and the first free worker serves the next one.
# A gthread worker accepts while its threads are busy, and keeps a keep-alive connection: under the
# benchmark's 8 connections they piled up on one of three workers while another idled. Measured at
# 8 connections on 2 cores (bench/RESULTS-scale.md, session 16): the same throughput, p95 of the
# officer list 260-330 -> 167-181 ms, API proposal detail 179-227 -> 135-141 ms.
# WEB_WORKER_CLASS=gthread with WEB_THREADS=2 restores the earlier setting.
worker_class = os.environ.get("WEB_WORKER_CLASS", "sync")
threads = int(os.environ.get("WEB_THREADS", 1))  # over 1, gunicorn runs gthread workers
timeout = int(os.environ.get("WEB_TIMEOUT", 60))
# Recycle workers now and then to bound memory, but rarely and at staggered moments: with 2,000 a
# worker under load restarted every ~2 s (a cold worker: imports, URL/template caches, gc.freeze below),
# and the restarts, all due at about the same count, shaped the latency tail. 50,000 +/- 5,000 means
# that at 1,000 req/s over 5 workers each restarts about every 4 minutes, never two at once.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", 50000))
max_requests_jitter = int(os.environ.get("WEB_MAX_REQUESTS_JITTER", max_requests // 10))
accesslog = "-"
_gc_threshold = tuple(int(n) for n in os.environ.get("WEB_GC_THRESHOLD", "5000,20,100").split(","))
# a boolean read as sciencebridge/settings.py reads theirs (django-environ)
_gc_between_requests = environ.Env().bool("WEB_GC_BETWEEN_REQUESTS", default=True)
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Move everything loaded at start-up (Django, the apps, the URL and template caches) out of the
    cyclic garbage collector's reach: full collections then scan only what a request allocated.
    Measured on the 5,000-proposal joint-meeting page: full-GC time per request 0.36 s -> 0.11 s,
    request 2.03 s -> 1.76 s (bench/RESULTS-scale.md)."""
    import gc

    gc.collect()
    gc.freeze()
    # Collect the young generation after 5,000 net allocations instead of CPython's 700: a page
    # allocates tens of thousands of objects, and with the default every few requests ended in a
    # full collection that scans what the per-process caches keep (the side rankings, the kept rows):
    # 60-100 ms with the worker's threads stopped, the tail of every endpoint (bench/RESULTS-scale.md,
    # session 15). WEB_GC_THRESHOLD="700,10,10" restores CPython's default.
    gc.set_threshold(*_gc_threshold)
    # Then load the expert-matching models in the background (MATCHING_WARM_AT_START, default on): the
    # worker serves at once, and the first expert search does not wait ~25 s for weights (issue 14).
    from sciencebridge.experts.warmup import start_background_warm

    start_background_warm()


def post_request(worker, req, environ, resp):
    """Collect the young generations after each response has been sent, while no request of this
    worker is in progress (sync workers; WEB_GC_BETWEEN_REQUESTS=false turns it off).

    A page's model instances refer to one another in cycles (a half keeps its proposal, the proposal
    its list of halves), so they are freed only by the cyclic collector. Left to its thresholds, it
    freed ~25 requests' worth at once, inside whichever request tripped them: 40-100 ms pauses, the
    p99 of every API list. Collected here, each request's garbage is still young and small, and none
    of a running request's live objects is traversed or promoted. Measured in-process on the scale
    data: time per request -6 to -17 %, p99 125-131 -> 43 ms (bench/RESULTS-scale.md, session 35).
    With threads, other requests are in progress at this point, so it is left to the thresholds."""
    if _gc_between_requests and worker_class == "sync" and threads == 1:
        import gc

        gc.collect(1)
