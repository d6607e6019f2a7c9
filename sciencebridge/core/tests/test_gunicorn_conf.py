"""``deploy/gunicorn.conf.py``: each worker moves its start-up objects out of the collector's reach,
collects its young objects less often, and frees each request's cyclic garbage once it has answered
(issue 16: collections were the tail of every endpoint), with CPython's default one setting away."""

import gc
from unittest import mock

import pytest

from sciencebridge.core.testing.gunicorn import load_gunicorn_conf


@pytest.mark.parametrize("env, expected", [(None, (5000, 20, 100)), ("700,10,10", (700, 10, 10))])
def test_a_worker_sets_its_collector_thresholds(monkeypatch, env, expected):
    if env is None:
        monkeypatch.delenv("WEB_GC_THRESHOLD", raising=False)
    else:
        monkeypatch.setenv("WEB_GC_THRESHOLD", env)
    conf = load_gunicorn_conf()
    calls = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "set_threshold", lambda *t: calls.append(t))
    monkeypatch.setattr("sciencebridge.experts.warmup.start_background_warm", mock.Mock())
    conf.post_worker_init(mock.Mock())
    assert calls == ["freeze", expected]


def test_the_recycling_limit_is_far_above_a_busy_minute():
    # issue 16: max_requests=2000 restarted each worker every ~2 s under the benchmark's load
    conf = load_gunicorn_conf()
    assert conf.max_requests >= 50_000 and conf.max_requests_jitter > 0


def _conf_with(monkeypatch, env: dict):
    """The configuration as loaded with exactly ``env`` among the worker settings."""
    for name in ("WEB_GC_BETWEEN_REQUESTS", "WEB_WORKER_CLASS", "WEB_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return load_gunicorn_conf()


@pytest.mark.parametrize(
    "env, expected",
    [({}, ("sync", 1)), ({"WEB_WORKER_CLASS": "gthread", "WEB_THREADS": "2"}, ("gthread", 2))],
)
def test_workers_are_sync_unless_set(monkeypatch, env, expected):
    """One request at a time per worker, taken from the listen queue only when free (issue 16: a
    gthread worker accepted connections its busy threads could not serve, the tail of every page)."""
    conf = _conf_with(monkeypatch, env)
    assert (conf.worker_class, conf.threads) == expected


class _Cycle:
    """An object kept alive only by a reference cycle, as a page's model instances are."""

    def __init__(self):
        self.me = self


def _cycle_collected_by(hook) -> bool:
    import weakref

    was_enabled = gc.isenabled()
    gc.disable()  # only the hook may collect
    try:
        ref = weakref.ref(_Cycle())
        assert ref() is not None
        hook()
        return ref() is None
    finally:
        if was_enabled:
            gc.enable()


def test_a_sync_worker_frees_a_requests_cycles_once_it_has_answered(monkeypatch):
    conf = _conf_with(monkeypatch, {})
    assert _cycle_collected_by(lambda: conf.post_request(mock.Mock(), None, {}, None))


@pytest.mark.parametrize(
    "env",
    [{"WEB_GC_BETWEEN_REQUESTS": "false"}, {"WEB_WORKER_CLASS": "gthread", "WEB_THREADS": "2"}],
)
def test_the_collection_between_requests_is_left_out_when_off_or_threaded(monkeypatch, env):
    """With threads, other requests are running when one ends: their live objects would be traversed."""
    conf = _conf_with(monkeypatch, env)
    assert not _cycle_collected_by(lambda: conf.post_request(mock.Mock(), None, {}, None))
