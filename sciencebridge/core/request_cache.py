"""Values worth computing once per request, such as the viewer's conflicts of interest, which the
selectors of several apps ask for while one page is built (issue 16).

The cache exists only while ``RequestCacheMiddleware`` handles a request, in a context variable (so
per thread under gunicorn's threads); outside a request (tests calling selectors, jobs, the shell)
every call computes afresh. Any write through the ORM during the request (save, delete, many-to-many
change) empties it, so a page that declares a conflict and then lists proposals sees the new state."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_store: ContextVar[dict | None] = ContextVar("sciencebridge_request_cache", default=None)


def once_per_request(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, remembered under ``key`` until the request ends or something is written.
    Callers must not mutate what they get back (return immutable values, e.g. a frozenset)."""
    store = _store.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def active() -> bool:
    """Whether a request is being handled (values asked for now are kept until it ends)."""
    return _store.get() is not None


@contextmanager
def suspended():
    """Nothing is remembered or reused inside this block: every ``once_per_request`` computes
    (``core.probes`` builds with it to see every query a builder needs)."""
    token = _store.set(None)
    try:
        yield
    finally:
        _store.reset(token)


def forget(**_kwargs) -> None:
    store = _store.get()
    if store:
        store.clear()


class RequestCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _store.set({})
        try:
            return self.get_response(request)
        finally:
            _store.reset(token)


def connect_invalidation() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(forget, dispatch_uid=f"request_cache_forget_{id(signal)}")
