"""scripts/backup and scripts/restore round-trip a PostgreSQL database."""

import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


def _url(db, name):
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_dump_and_restore_round_trip(world, make_ready_pair, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the dump/restore recipe is for PostgreSQL; SQLite backups are a file copy")
    make_ready_pair()
    db = connection.settings_dict
    restored = f"sb_restore_{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": _url(db, db["NAME"]),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    subprocess.run(
        ["bash", str(ROOT / "scripts/backup"), str(tmp_path / "bk")],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
    )
    admin = psycopg.connect(_url(db, "postgres"), autocommit=True)
    admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run(
            ["bash", str(ROOT / "scripts/restore"), str(tmp_path / "bk")],
            check=True,
            cwd=ROOT,
            env={**env, "DATABASE_URL": _url(db, restored)},
            capture_output=True,
        )
        tables = [
            "funding_jointproposal",
            "funding_proposalhalf",
            "funding_budgetline",
            "core_statetransition",
            "accounts_user",
            "institutions_institution",
        ]
        with psycopg.connect(_url(db, db["NAME"])) as a, psycopg.connect(_url(db, restored)) as b:
            for t in tables:
                q = f"SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM {t} t"
                assert a.execute(q).fetchone() == b.execute(q).fetchone(), t
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored}" WITH (FORCE)')
        admin.close()
