"""The matching models are loaded when a serving process starts (issue 14, "first use is slow"):
manage.py runserver, gunicorn workers, Celery workers; never in tests nor other management commands."""

from __future__ import annotations

import sys
import types
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings as django_settings

from sciencebridge.core.testing.gunicorn import load_gunicorn_conf
from sciencebridge.experts import matching_adapter, warmup

RUNSERVER = ["manage.py", "runserver", "127.0.0.1:8000", "--noreload"]


@pytest.fixture
def warm(settings, monkeypatch):
    """``matching_adapter.warm`` replaced by a mock; the once-per-process guard reset; the setting on."""
    settings.MATCHING_WARM_AT_START = True
    fake = mock.Mock(return_value={"tfidf": 0.01})
    monkeypatch.setattr(matching_adapter, "warm", fake)
    closed = mock.Mock()
    monkeypatch.setattr("django.db.connections.close_all", closed)
    warmup._reset_for_tests()
    yield types.SimpleNamespace(warm=fake, close_all=closed)
    warmup._reset_for_tests()


def _ready_with_argv(monkeypatch, argv, environ=None):
    """Run the experts app's ``ready()`` as if the process had been started with ``argv``, and return
    the warm-up thread it started (None: none)."""
    monkeypatch.setattr(sys, "argv", argv)
    for key, value in (environ or {}).items():
        monkeypatch.setenv(key, value)
    started = []
    real = warmup.start_background_warm

    def spy(**kw):
        thread = real(**kw)
        started.append(thread)
        return thread

    monkeypatch.setattr(warmup, "start_background_warm", spy)
    apps.get_app_config("experts").ready()
    thread = started[0] if started else None
    if thread is not None:
        thread.join(10)
    return thread


def test_the_test_settings_keep_it_off():
    assert django_settings.MATCHING_WARM_AT_START is False


def test_not_started_under_pytest_nor_management_commands(warm, monkeypatch):
    assert _ready_with_argv(monkeypatch, list(sys.argv)) is None  # this very test run
    for command in ("migrate", "seed_demo", "collectstatic", "shell", "run_scheduler", "check"):
        assert _ready_with_argv(monkeypatch, ["manage.py", command]) is None, command
    assert _ready_with_argv(monkeypatch, ["pytest", "-q", "runserver"]) is None
    warm.warm.assert_not_called()


def test_runserver_starts_it_once_in_the_background_and_closes_its_connections(warm, monkeypatch):
    thread = _ready_with_argv(monkeypatch, RUNSERVER)
    assert thread is not None and thread.name == "matching-warm" and thread.daemon
    assert not thread.is_alive()
    warm.warm.assert_called_once_with()
    warm.close_all.assert_called_once_with()
    # Once per process: a second ready() (or a hook) does not load the models again.
    assert _ready_with_argv(monkeypatch, RUNSERVER) is None
    assert warmup.start_background_warm() is None
    warm.warm.assert_called_once_with()


def test_runserver_with_the_autoreloader_warms_the_serving_child_only(warm, monkeypatch):
    argv = ["manage.py", "runserver"]
    monkeypatch.delenv("RUN_MAIN", raising=False)
    assert _ready_with_argv(monkeypatch, argv) is None  # the file watcher
    assert _ready_with_argv(monkeypatch, argv, {"RUN_MAIN": "true"}) is not None
    warm.warm.assert_called_once_with()


def test_the_setting_turns_it_off(warm, settings, monkeypatch):
    settings.MATCHING_WARM_AT_START = False
    assert _ready_with_argv(monkeypatch, RUNSERVER) is None
    assert warmup.start_background_warm() is None
    warm.warm.assert_not_called()


def test_a_failed_warm_up_is_logged_and_still_closes_connections(warm, caplog):
    warm.warm.side_effect = RuntimeError("no weights")
    thread = warmup.start_background_warm()
    thread.join(10)
    assert "matching warm-up failed" in caplog.text
    warm.close_all.assert_called_once_with()


@pytest.mark.parametrize("on", [True, False])
def test_gunicorn_worker_hook(warm, settings, monkeypatch, on):
    settings.MATCHING_WARM_AT_START = on
    monkeypatch.setattr("gc.freeze", mock.Mock())  # not this test process's objects
    monkeypatch.setattr("gc.set_threshold", mock.Mock())  # nor its collector
    load_gunicorn_conf().post_worker_init(mock.Mock())
    thread = next(
        (t for t in __import__("threading").enumerate() if t.name == "matching-warm"), None
    )
    if thread is not None:
        thread.join(10)
    assert warm.warm.call_count == (1 if on else 0)


@pytest.mark.parametrize(
    "pool_module, main_warms",
    [("celery.concurrency.prefork", False), ("celery.concurrency.solo", True)],
)
def test_celery_hooks(warm, monkeypatch, pool_module, main_warms):
    from sciencebridge import celery as celery_app

    calls = []
    monkeypatch.setattr(warmup, "start_background_warm", lambda **kw: calls.append("warm"))
    pool = type("TaskPool", (), {"__module__": pool_module})()
    celery_app._warm_matching_in_main_process(sender=types.SimpleNamespace(pool=pool))
    assert calls == (["warm"] if main_warms else [])
    calls.clear()
    celery_app._warm_matching_in_pool_process(sender="worker@host")  # a prefork pool process
    assert calls == ["warm"]
