"""The settings as production loads them: each case starts a fresh interpreter with a given environment
(settings are evaluated once per process, so the test process's own settings prove nothing here)."""

import ast
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "deploy" / "production.env.example"
CLEARED = (
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "DJANGO_SETTINGS_MODULE",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SQLITE_TRANSACTION_MODE",
    "FILES_SERVE_METHOD",
)
STRONG_KEY = "k" + secrets.token_urlsafe(60)


def _env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(
        SCIENCEBRIDGE_VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_SETTINGS_MODULE="sciencebridge.settings",
    )
    env.update(extra)
    return env


def _run(tmp_path, code, **extra):
    return subprocess.run(
        [sys.executable, "-c", code],
        env=_env(tmp_path, **extra),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings(tmp_path, names, **extra):
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}))"
    )
    r = _run(tmp_path, code, **extra)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_debug_is_off_unless_set(tmp_path):
    assert _settings(tmp_path, ["DEBUG"], SECRET_KEY=STRONG_KEY)["DEBUG"] is False
    assert _settings(tmp_path, ["DEBUG"], DEBUG="true")["DEBUG"] is True


@pytest.mark.parametrize(
    "key",
    [None, "dev-only-not-secret-change-me-in-production", "change-me-to-50-random-characters"],
)
def test_server_refuses_to_start_without_a_real_secret_key(tmp_path, key):
    extra = {} if key is None else {"SECRET_KEY": key}
    r = _run(tmp_path, "import sciencebridge.wsgi", **extra)
    assert r.returncode != 0
    assert "ImproperlyConfigured" in r.stderr and "SECRET_KEY is not set" in r.stderr
    # Nothing can sign with the public key either (sessions, CSRF, password-reset links).
    r = _run(
        tmp_path,
        "import django; django.setup(); from django.core import signing; signing.dumps(1)",
        **extra,
    )
    assert r.returncode != 0 and "SECRET_KEY" in r.stderr


def test_server_starts_with_a_key_and_in_debug_without_one(tmp_path):
    assert _run(tmp_path, "import sciencebridge.wsgi", SECRET_KEY=STRONG_KEY).returncode == 0
    r = _run(tmp_path, "import sciencebridge.wsgi", DEBUG="true")
    assert r.returncode == 0, r.stderr


def test_offline_tools_run_without_a_key(tmp_path):
    r = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run", "-v0"],
        env=_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr


def test_cookie_security_from_the_environment_is_kept(tmp_path):
    names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"]
    assert _settings(tmp_path, names, SECRET_KEY=STRONG_KEY) == dict.fromkeys(names, True)
    got = _settings(
        tmp_path,
        names,
        SECRET_KEY=STRONG_KEY,
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
    )
    assert got == dict.fromkeys(names, False)
    got = _settings(tmp_path, names, SECRET_KEY=STRONG_KEY, SESSION_COOKIE_SECURE="false")
    assert got == {"SESSION_COOKIE_SECURE": False, "CSRF_COOKIE_SECURE": True}


def test_hsts_is_one_year_by_default_and_subdomains_preload_are_opt_in(tmp_path):
    names = ["SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD"]
    assert _settings(tmp_path, names, SECRET_KEY=STRONG_KEY) == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
    }
    assert _settings(
        tmp_path,
        names,
        SECRET_KEY=STRONG_KEY,
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
    ) == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
    }


def test_settings_module_assigns_each_setting_once():
    """Two LOGGING blocks (or two cookie blocks) meant the later one silently won."""
    tree = ast.parse((ROOT / "sciencebridge" / "settings.py").read_text())
    seen: dict[str, int] = {}
    for node in tree.body:  # module level only: the `if not DEBUG:` branches are one decision each
        if isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name) and t.id.isupper():
                    seen[t.id] = seen.get(t.id, 0) + 1
    assert seen.get("LOGGING") == 1
    assert [n for n, c in seen.items() if c > 1] == []


def _example_env(tmp_path) -> dict:
    values = {}
    for line in EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            k, _, v = line.partition("=")
            values[k.strip()] = v.strip()
    # The example's placeholder key is refused on purpose; an operator generates one.
    assert values["SECRET_KEY"].startswith("change-me")
    values["SECRET_KEY"] = STRONG_KEY
    for k in ("STATIC_ROOT", "MEDIA_ROOT", "SCIENCEBRIDGE_VAR_DIR"):
        values.pop(k, None)  # /srv/... paths; the temp ones from _env stand in
    values.pop("DATABASE_URL")  # check --deploy does not connect; a temp SQLite file stands in
    return values


@pytest.mark.slow
def test_check_deploy_is_clean_on_the_production_example(tmp_path):
    r = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=_env(tmp_path, **_example_env(tmp_path)),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert "WARNINGS" not in out and "W0" not in out, out
    assert "no issues" in out, out


@pytest.mark.django_db
def test_sqlite_default_serialises_writes(tmp_path):
    """The embedded default: WAL, a 20 s busy timeout and BEGIN IMMEDIATE, on a real file database."""
    code = (
        "import json, django; django.setup(); from django.db import connection as c; c.ensure_connection(); "
        "cur = c.cursor(); q = lambda s: cur.execute(s).fetchone()[0]; "
        "print(json.dumps({'journal': q('PRAGMA journal_mode'), 'busy': q('PRAGMA busy_timeout'), "
        "'sync': q('PRAGMA synchronous'), 'mode': c.transaction_mode, "
        "'timeout': c.settings_dict['OPTIONS'].get('timeout')}))"
    )
    r = _run(tmp_path, code, DEBUG="true")
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout.strip().splitlines()[-1])
    assert got == {"journal": "wal", "busy": 20000, "sync": 1, "mode": "IMMEDIATE", "timeout": 20}
    if connection.vendor == "sqlite":  # and the suite itself runs with them
        assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_static_files_are_served_with_debug_off(client):
    assert settings.DEBUG is False
    r = client.get(
        "/static/"
        + next(
            p.relative_to(ROOT / "sciencebridge" / "static").as_posix()
            for p in (ROOT / "sciencebridge" / "static").rglob("*.css")
        )
    )
    assert r.status_code == 200
