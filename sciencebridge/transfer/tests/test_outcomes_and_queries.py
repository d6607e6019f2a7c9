"""A patent outcome of a funded project becomes an offer; pages keep a flat number of queries."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.projects.services import projects as project_svc
from sciencebridge.projects.tests.conftest import fund_proposal
from sciencebridge.transfer.models import TTO_ROLE
from sciencebridge.transfer.services import deals as deal_svc
from sciencebridge.transfer.services import offers as offer_svc
from sciencebridge.transfer.services import outcomes as outcome_svc

from .conftest import BATTERY

pytestmark = pytest.mark.django_db


@pytest.fixture
def patent(market, make_ready_pair):
    proposal = fund_proposal(market, make_ready_pair())
    project = proposal.project
    return project_svc.add_outcome(
        project,
        actor=market.hk_lead,
        kind="patent",
        side="HK",
        title="Cold-chain sensing tag",
        description="A printed temperature tag that logs vaccine temperatures across the boundary.",
        ip_status="filed",
        jurisdiction="HK",
        application_number="HK32024000123.4",
    )


def test_patent_outcome_becomes_offer(market, patent, client):
    astri_tto = UserFactory(username="astri_tto", institution=market.astri, roles=[TTO_ROLE])
    assert list(outcome_svc.ip_outcomes_for_tto(astri_tto)) == [patent]
    assert list(outcome_svc.ip_outcomes_for_tto(market.tto)) == []  # HKU is not on the project
    initial = outcome_svc.initial_from_outcome(patent)
    assert initial["ip_jurisdiction"] == "HK" and initial["ip_reference"] == "HK32024000123.4"
    client.force_login(astri_tto)
    r = client.get(reverse("transfer:offer_create"), {"outcome": patent.pk})
    assert "Cold-chain sensing tag" in r.content.decode()
    offer = offer_svc.create_offer(
        astri_tto,
        outcome=patent,
        publish=True,
        **{**initial, "field": "manufacturing", "trl": 6, "visibility": "public"},
    )
    assert offer.outcome == patent and offer.institution == market.astri
    assert list(outcome_svc.ip_outcomes_for_tto(astri_tto)) == []  # offered once
    with pytest.raises(ValidationError):
        offer_svc.create_offer(astri_tto, outcome=patent, **{**initial, "field": "ai", "trl": 6})
    with pytest.raises(ValidationError):  # another TTO cannot offer the project's patent
        offer_svc.create_offer(market.tto, outcome=patent, **{**initial, "field": "ai", "trl": 6})
    page = client.get(reverse("transfer:offer", args=[offer.pk])).content.decode()
    assert "Cold-chain sensing tag" in page and patent.project.reference in page


def _grow(market, n, start=0):
    for i in range(start, start + n):
        offer = offer_svc.create_offer(
            market.tto,
            publish=True,
            **{
                **BATTERY,
                "title_en": f"Battery technology {i}",
                "title_zh_hant": "",
                "visibility": "enterprises" if i % 2 else "public",
            },
        )
        deal_svc.express_interest(market.ent, offer, message="Interested")


@pytest.mark.parametrize(
    "name,user",
    [
        ("transfer:offers", None),
        ("transfer:offers", "ent"),
        ("transfer:deals", "ent"),
        ("transfer:deals", "tto"),
        ("transfer:office", "tto"),
        ("transfer:needs", "ent"),
    ],
)
def test_pages_have_flat_query_counts(market, client, name, user):
    if user:
        client.force_login(getattr(market, user))
    _grow(market, 3)
    market.make_need()
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(name)).status_code == 200
    _grow(market, 9, start=3)
    market.make_need(title="Another need")
    with CaptureQueriesContext(connection) as big:
        assert client.get(reverse(name)).status_code == 200
    assert len(big) == len(small), [q["sql"] for q in big.captured_queries]


def test_api_offer_list_query_count_is_flat(market):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(market.ent)
    _grow(market, 2)
    with CaptureQueriesContext(connection) as small:
        api.get("/api/v1/transfer/offers/")
    _grow(market, 8, start=2)
    with CaptureQueriesContext(connection) as big:
        assert api.get("/api/v1/transfer/offers/").json()["count"] == 10
    assert len(big) == len(small)
