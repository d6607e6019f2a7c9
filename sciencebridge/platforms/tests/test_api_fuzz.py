"""Schema-driven fuzzing of this app's and the talent app's API endpoints (as api/tests/test_fuzz.py
does for the whole API): no server errors, every response fits the published schema."""

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token

from sciencebridge.platforms.services import facilities as svc

from .conftest import next_slot

pytestmark = pytest.mark.django_db
PREFIXES = ("/api/v1/platforms", "/api/v1/facilit", "/api/v1/talent-")


@pytest.fixture
def keep_test_connection():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_platforms_and_talent_api_fuzz(world, fac, keep_test_connection):
    start = next_slot()
    svc.book(world.hk_lead, fac.alloc, starts_at=start, ends_at=start + dt.timedelta(hours=1))
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    headers = {"Authorization": f"Token {Token.objects.get_or_create(user=world.hk_lead)[0].key}"}
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith(PREFIXES):
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def check(case):
            case.call_and_validate(headers=headers)

        check()
        tested.append(f"{operation.method.upper()} {operation.path}")
    assert len(tested) == 12, tested
