"""Query-count probe of every REST API list endpoint (issue 16): each list is fetched with pages of
2 and of 20 rows, as each given user, against an existing database (e.g. the demo's); a count that
grows with the page is flagged. Read-only (the client authenticates without a session).

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 DEBUG=true \\
        .venv/bin/python bench/api_list_queries.py admin,itc.officer,demo-expert-012

Each line: endpoint, user, then (status, rows, queries) for the two page sizes.
"""

import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sciencebridge.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from rest_framework.pagination import PageNumberPagination  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from sciencebridge.accounts.models import User  # noqa: E402
from sciencebridge.api.urls import router  # noqa: E402


def probe(usernames):
    settings.ALLOWED_HOSTS = ["*"]
    for prefix, _viewset, basename in router.registry:
        url = reverse(f"api:{basename}-list")
        for username in usernames:
            res = []
            for size in (2, 20):
                PageNumberPagination.page_size = size
                client = APIClient()
                client.force_authenticate(User.objects.get(username=username))  # nothing cached
                with CaptureQueriesContext(connection) as ctx:
                    r = client.get(url)
                body = r.json() if r.status_code == 200 else {}
                rows = len(body.get("results", [])) if isinstance(body, dict) else -1
                res.append((r.status_code, rows, len(ctx.captured_queries)))
            grows = res[1][2] != res[0][2] and res[1][1] > res[0][1]
            print(f"{prefix:30s} {username:18s} {res}{'  <-- grows' if grows else ''}", flush=True)


if __name__ == "__main__":
    probe(sys.argv[1].split(","))
