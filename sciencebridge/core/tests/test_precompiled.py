"""``core.precompiled``: a one-row queryset compiled once, sent again with other values."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sciencebridge.accounts.models import User
from sciencebridge.core.precompiled import Precompiled
from sciencebridge.core.sessions import SessionStore
from sciencebridge.institutions.models import Institution

pytestmark = pytest.mark.django_db


def _by_username(username):
    return User.objects.select_related("institution").filter(username=username).order_by()[:1]


def test_each_call_sends_its_own_values_in_one_query(world):
    query = Precompiled(_by_username, "\x00stand-in")
    assert query.first(world.hk_lead.username) == world.hk_lead  # compiled here
    with CaptureQueriesContext(connection) as ctx:
        lead, unknown = query.first(world.hk_lead.username), query.first("no-such-user")
        assert lead.institution.name == world.hk_lead.institution.name  # select_related
    assert len(ctx.captured_queries) == 2
    assert lead.email == world.hk_lead.email and unknown is None


def test_a_queryset_whose_sql_does_not_hold_the_stand_in_is_refused(world):
    ignoring = Precompiled(lambda code: Institution.objects.filter(code="HKU")[:1], "\x00x")
    with pytest.raises(ValueError, match="appears 0 times"):
        ignoring.first("HKU")


def test_annotations_are_set_on_the_instance(world):
    from django.db.models import Value

    query = Precompiled(
        lambda code: Institution.objects.annotate(tag=Value("t")).filter(code=code)[:1], "\x00s"
    )
    assert query.first(world.hku.code).tag == "t"


def _session(data: dict, expire_in_s: int) -> str:
    store = SessionStore()
    store.update(data)
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + timezone.timedelta(seconds=expire_in_s)
    )
    return store.session_key


def test_a_live_session_is_read_and_an_expired_or_unknown_one_is_empty(db):
    live, expired = _session({"a": 1}, 3600), _session({"b": 2}, -1)
    assert SessionStore(live).load() == {"a": 1}
    store = SessionStore(expired)
    assert store.load() == {} and store.session_key is None
    store = SessionStore("x" * 32)
    assert store.load() == {} and store.session_key is None
