"""Concurrent requests (PostgreSQL): a double-submitted expression of interest makes one deal; two
alert runs at once e-mail a new match once."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections

from sciencebridge.transfer.models import Deal, SavedSearch, SavedSearchHit
from sciencebridge.transfer.services import alerts
from sciencebridge.transfer.services import deals as svc

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real concurrency"
    ),
]


def _race(fn, n=2):
    barrier = threading.Barrier(n)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(fn())
        except Exception as e:  # collected and asserted on below
            results.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_double_submitted_interest_makes_one_deal(market):
    offer = market.make_offer()
    results = _race(lambda: svc.express_interest(market.ent, offer, message="Interested"), n=3)
    assert Deal.objects.filter(offer=offer).count() == 1
    assert sum(isinstance(r, Deal) for r in results) == 1
    assert all(isinstance(r, ValidationError) for r in results if not isinstance(r, Deal))


def test_concurrent_alert_runs_send_once(market):
    market.make_offer()
    search = SavedSearch.objects.create(user=market.ent, query="lithium battery electrolyte")
    mail.outbox.clear()
    _race(lambda: alerts.run_saved_search(SavedSearch.objects.get(pk=search.pk)), n=3)
    assert SavedSearchHit.objects.filter(search=search).count() == 1
    assert len([m for m in mail.outbox if market.ent.email in m.to]) == 1
