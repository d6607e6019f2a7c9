"""``core.precompiled``: a queryset compiled once, sent again with other values."""

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


def _institutions_by_name(ids):
    return Institution.objects.filter(pk__any=ids).order_by("name", "pk")


def test_all_gives_the_orms_rows_in_its_order_for_lists_of_any_length(world):
    query = Precompiled(_institutions_by_name, [-1])
    every = list(Institution.objects.values_list("pk", flat=True))
    assert len(every) >= 3
    for ids in (every, every[:1], every[1:], [], [-5]):
        assert query.all(ids) == list(_institutions_by_name(ids))
    first = query.all(every[:1])[0]
    assert first.name == Institution.objects.get(pk=every[0]).name  # every field read back


def test_all_orders_by_the_name_in_the_pages_language(world):
    """modeltranslation writes ``name`` as the active language's column: the SQL is kept per language."""
    from django.utils import translation

    query = Precompiled(_institutions_by_name, [-1])
    every = list(Institution.objects.values_list("pk", flat=True))
    orders = {}
    for language in ("en", "zh-hant", "zh-hans"):
        with translation.override(language):
            orders[language] = [i.pk for i in query.all(every)]
            assert orders[language] == [i.pk for i in _institutions_by_name(every)]
    assert len(set(map(tuple, orders.values()))) > 1  # the world's names sort differently


def test_all_is_compiled_once_on_postgresql_and_built_per_call_elsewhere(world):
    built = []

    def build(ids):
        built.append(len(ids))
        return _institutions_by_name(ids)

    query = Precompiled(build, [-1])
    every = list(Institution.objects.values_list("pk", flat=True))
    query.all(every)
    before = len(built)
    with CaptureQueriesContext(connection) as ctx:
        for n in range(1, len(every) + 1):
            assert [i.pk for i in query.all(every[:n])] == [
                i.pk for i in _institutions_by_name(every[:n])
            ]
    calls = len(every)
    assert len(ctx.captured_queries) == 2 * calls  # one query per call (and one per ORM check)
    assert len(built) - before == (0 if connection.vendor == "postgresql" else calls)


def test_a_queryset_that_needs_more_than_its_rows_is_refused(world):
    for build in (
        lambda ids: Institution.objects.filter(pk__any=ids).prefetch_related("people"),
        lambda ids: Institution.objects.filter(pk__any=ids).values("code"),
    ):
        with pytest.raises(ValueError, match="no prefetch, no values"):
            Precompiled(build, [-1]).first([world.hku.pk])
