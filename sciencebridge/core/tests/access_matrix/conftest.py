"""The access-matrix world is built once per module inside a transaction rolled back at the end, so it
never leaks into other tests; each test runs in its own savepoint (pytest-django's ``db``), so a POST that
wrongly succeeds is rolled back before the next cell."""

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation

from . import identities as ids
from .cells import app_keys, stored_files
from .fingerprint import fingerprint
from .routes import URLCONF
from .rules import KNOWN_OPEN, KNOWN_OPEN_ROUTES
from .stats import STATS
from .world import build_world


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(
            ROOT_URLCONF=URLCONF,
            JOBS_BACKEND="sync",
            EXPERTS_MATCHING_MODEL="tfidf",
            LANGUAGE_CODE="en",
        ),
    ):
        translation.activate("en")
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            before = stored_files()
            w = build_world()
            w.files = stored_files() - before
            w.sessions = {}
            for name, user in w.users.items():
                c = Client()
                c.force_login(user)
                w.sessions[name] = c.cookies[settings.SESSION_COOKIE_NAME].value
            w.fingerprint = fingerprint()
            yield w
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            translation.deactivate()


@pytest.fixture
def as_identity(matrix_world, db):
    """as_identity(name) -> a test client signed in as that identity (``anon``: signed out)."""

    def make(name):
        c = Client()
        if name in matrix_world.sessions:
            c.cookies[settings.SESSION_COOKIE_NAME] = matrix_world.sessions[name]
        return c

    return make


def pytest_terminal_summary(terminalreporter):
    if not STATS["cells"]:
        return
    tr = terminalreporter
    tr.section("access matrix")
    tr.write_line(f"routes (outside /admin/): {len(app_keys())}, identities: {len(ids.ALL)}")
    tr.write_line(
        f"cells checked: {STATS['cells']} (GET, POST, API list, hidden-object, stored-file and admin "
        f"checks); not as the rule says: {STATS['failed']} outside KNOWN_OPEN, "
        f"{STATS['failed_known']} in KNOWN_OPEN"
    )
    tr.write_line(
        f"unexpected 2xx (a refused identity got the page, list item, hidden object or file): "
        f"{STATS['unexpected_200']} outside KNOWN_OPEN, {STATS['unexpected_200_known']} in KNOWN_OPEN"
    )
    tr.write_line(
        f"KNOWN_OPEN: {len(KNOWN_OPEN)} cells + every refusal on {', '.join(KNOWN_OPEN_ROUTES)}"
    )
    skipped = STATS["skipped"]
    tr.write_line(
        f"routes skipped: {len(skipped)}" + "".join(f"\n  {k}: {v}" for k, v in skipped.items())
    )
