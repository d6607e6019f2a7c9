"""Offers, needs, the NDA step and the deal pipeline, through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from djmoney.money import Money

from sciencebridge.core.models import StateTransition
from sciencebridge.core.workflow import timeline
from sciencebridge.transfer import metrics
from sciencebridge.transfer.models import Deal, DealState, NdaAcceptance, OfferState
from sciencebridge.transfer.services import deals as svc
from sciencebridge.transfer.services import needs as need_svc
from sciencebridge.transfer.services import offers as offer_svc

from .conftest import BATTERY

pytestmark = pytest.mark.django_db


def test_tto_enters_offer_in_three_languages_and_publishes(market):
    offer = market.make_offer(publish=False, title_zh_hans="更安全锂电池的固态电解质")
    assert offer.state == OfferState.DRAFT and offer.institution == market.hku
    assert offer.title_zh_hant == "更安全鋰電池的固態電解質"
    offer_svc.publish_offer(market.tto, offer)
    offer.refresh_from_db()
    assert offer.state == OfferState.PUBLISHED and offer.published_at is not None
    assert [s.to_state for s in timeline(offer)] == ["draft", "published"]
    from django.utils import translation

    with translation.override("zh-hant"):
        assert offer.title == "更安全鋰電池的固態電解質"
    with translation.override("zh-hans"):
        assert offer.title == "更安全锂电池的固态电解质"


def test_offer_validation_is_explained(market):
    with pytest.raises(ValidationError) as e:
        offer_svc.create_offer(
            market.tto,
            **{**BATTERY, "title_en": "", "title_zh_hant": "", "trl": 12, "offer_types": []},
        )
    errors = e.value.message_dict
    assert "title_en" in errors and "trl" in errors and "offer_types" in errors
    # A title in Chinese only is enough.
    o = offer_svc.create_offer(
        market.tto, **{**BATTERY, "title_en": "", "title_zh_hant": "固態電解質"}
    )
    assert o.title_en == "固態電解質"


def test_only_tto_offers_and_only_its_side_edits(market):
    with pytest.raises(PermissionDenied):
        offer_svc.create_offer(market.ent, **BATTERY)
    offer = market.make_offer()
    with pytest.raises(PermissionDenied):
        offer_svc.update_offer(market.tto2, offer, trl=6)
    offer_svc.update_offer(market.tto, offer, trl=6)
    offer.refresh_from_db()
    assert offer.trl == 6


def test_only_registered_enterprises_post_needs(market):
    with pytest.raises(PermissionDenied):
        need_svc.post_need(market.unregistered, title="x", description="y", field="ai")
    with pytest.raises(PermissionDenied):
        need_svc.post_need(market.tto, title="x", description="y", field="ai")
    need = market.make_need(user=market.ml_ent)  # from the Mainland side too
    assert need.institution == market.byd
    with pytest.raises(ValidationError):
        need_svc.post_need(market.ent, title="", description="", field="nope")


def test_interest_nda_and_pipeline_to_licensed(market, django_capture_on_commit_callbacks):
    offer = market.make_offer()
    need = market.make_need()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        deal = svc.express_interest(market.ent, offer, message="We want to license it.", need=need)
    assert deal.state == DealState.CONTACTED and deal.contacted_on == timezone.localdate()
    assert str(deal.value_currency) == "HKD"  # a Hong Kong enterprise deals in HKD
    assert any("Expression of interest" in m.subject for m in mail.outbox)
    with pytest.raises(ValidationError):  # one open deal per enterprise and offer
        svc.express_interest(market.ent_colleague, offer, message="Again")

    svc.accept_nda(market.ent, offer, signer_name="Ada Lau", accept=True)
    deal.refresh_from_db()
    assert deal.state == DealState.UNDER_NDA and deal.nda_on == timezone.localdate()

    # The enterprise cannot record progress on the owner's behalf; the owner can.
    assert svc.moves_for(market.ent, deal) == [DealState.CLOSED]
    assert set(svc.moves_for(market.tto, deal)) == {DealState.NEGOTIATING, DealState.CLOSED}
    with pytest.raises(ValidationError):
        svc.move_deal(market.ent, deal, DealState.NEGOTIATING)
    svc.move_deal(market.tto, deal, DealState.NEGOTIATING, reason="Term sheet sent")
    assert deal.negotiating_on == timezone.localdate()
    with pytest.raises(ValidationError) as e:  # a licence needs its value
        svc.move_deal(market.tto, deal, DealState.LICENSED)
    assert "value" in e.value.message_dict
    with pytest.raises(ValidationError):
        svc.move_deal(
            market.tto,
            deal,
            DealState.LICENSED,
            value=Money(100, "HKD"),
            concluded_on=timezone.localdate() + dt.timedelta(days=3),
        )
    svc.move_deal(
        market.tto,
        deal,
        DealState.LICENSED,
        value=Money(Decimal("1500000"), "HKD"),
        terms="Exclusive licence, 3% royalty",
    )
    deal.refresh_from_db()
    assert deal.state == DealState.LICENSED and deal.value == Money(Decimal("1500000"), "HKD")
    assert deal.closed_on == timezone.localdate()
    steps = [(s.from_state, s.to_state, s.actor_id) for s in timeline(deal)]
    assert steps == [
        ("", "contacted", market.ent.pk),
        ("contacted", "under_nda", market.ent.pk),
        ("under_nda", "negotiating", market.tto.pk),
        ("negotiating", "licensed", market.tto.pk),
    ]
    with pytest.raises(ValidationError):  # final
        svc.move_deal(market.tto, deal, DealState.CLOSED)
    assert deal.history.count() >= 4
    # Counted: deals by stage and value per currency (HKD and RMB never added together).
    assert metrics.deals_by_stage()["licensed"] == 1
    from sciencebridge.core import metrics as registry

    assert registry.compute("transfer.deals_licensed") == 1
    assert registry.compute("transfer.licensed_value_hkd") == 1500000
    assert registry.compute("transfer.licensed_value_rmb") == 0
    # The charts' one query for several years gives each year's figure (issue 16).
    this_year = deal.closed_on.year
    years = [this_year - 1, this_year, this_year + 1]
    assert registry.compute_per_year("transfer.licensed_value_hkd", years) == [0, 1500000, 0]
    assert registry.compute_per_year("transfer.deals_licensed", years) == [0, 1, 0]
    for code in (
        "transfer.deals_concluded",
        "transfer.deals_contacted",
        "transfer.licensed_value_rmb",
    ):
        per_year = registry.compute_per_year(code, years)
        assert per_year == [registry.compute(code, year=y) for y in years]


def test_nda_without_prior_interest_opens_a_deal_and_needs_acceptance(market):
    offer = market.make_offer()
    with pytest.raises(ValidationError) as e:
        svc.accept_nda(market.ml_ent, offer, signer_name="Chen Hao", accept=False)
    assert "accept" in e.value.message_dict
    svc.accept_nda(market.ml_ent, offer, signer_name="Chen Hao", accept=True)
    deal = Deal.objects.get(offer=offer, enterprise=market.byd)
    assert deal.state == DealState.UNDER_NDA and str(deal.value_currency) == "CNY"
    # Accepting again changes nothing.
    svc.accept_nda(market.ml_ent, offer, signer_name="Chen Hao", accept=True)
    assert NdaAcceptance.objects.filter(offer=offer).count() == 1
    with pytest.raises(PermissionDenied):
        svc.accept_nda(market.unregistered, offer, signer_name="X", accept=True)


def test_closed_deal_can_be_reopened_by_new_interest(market):
    offer = market.make_offer()
    deal = svc.express_interest(market.ent, offer, message="Hello")
    svc.move_deal(market.ent, deal, DealState.CLOSED, reason="Not now")
    again = svc.express_interest(market.ent, offer, message="Now we are ready")
    assert again.pk != deal.pk and again.state == DealState.CONTACTED


def test_outsiders_cannot_move_deals(market):
    offer = market.make_offer()
    deal = svc.express_interest(market.ent, offer, message="Hello")
    for outsider in (market.tto2, market.ml_ent, market.unregistered):
        with pytest.raises(PermissionDenied):
            svc.move_deal(outsider, deal, DealState.CLOSED)
    assert StateTransition.objects.filter(object_id=deal.pk, to_state="closed").count() == 0


def test_withdrawn_offer_accepts_no_interest(market):
    offer = market.make_offer()
    offer_svc.withdraw_offer(market.tto, offer)
    with pytest.raises(PermissionDenied):
        svc.express_interest(market.ent, offer, message="Hello")
