"""Matching in both directions with reasons, and saved-search alerts sent once per new match."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from sciencebridge.transfer import matching_adapter as ma
from sciencebridge.transfer.models import SavedSearchHit
from sciencebridge.transfer.selectors import visible_offers
from sciencebridge.transfer.services import alerts
from sciencebridge.transfer.services import offers as offer_svc

from .conftest import SENSOR, VISION

pytestmark = pytest.mark.django_db


def test_offers_for_a_need_with_reasons(sample):
    need = sample.make_need()
    matches = ma.offers_for_need(need)
    assert matches[0].obj == sample.battery
    assert {"electrolyte", "lithium"} <= set(matches[0].terms)
    assert matches[0].same_field and 0 < matches[0].percent <= 100
    assert sample.draft.pk not in [m.obj.pk for m in matches]  # drafts are never matched
    assert sample.sensor.pk not in [m.obj.pk for m in matches]  # nothing in common, no match


def test_needs_for_an_offer_with_reasons(sample):
    bus = sample.make_need()
    inspection = sample.make_need(
        user=sample.ml_ent,
        title="Automatic inspection of car body panels",
        description="Detect scratches and dents with cameras and deep learning.",
        field="ai",
        keywords="inspection, defect detection",
    )
    got = ma.needs_for_offer(sample.vision)
    assert [m.obj for m in got][:1] == [inspection]
    assert {"scratches", "deep"} & set(got[0].terms)
    assert ma.needs_for_offer(sample.battery)[0].obj == bus


def test_enterprise_only_offer_is_not_matched_for_an_unregistered_viewer(sample):
    text = "defect inspection with machine vision"
    anon = ma.offers_for_text(text, visible=visible_offers(sample.unregistered))
    assert sample.vision.pk not in [m.obj.pk for m in anon]
    assert ma.offers_for_text(text, visible=visible_offers(sample.ent))[0].obj == sample.vision


def test_chinese_need_finds_offer_in_chinese(sample):
    need = sample.make_need(
        title="電動巴士電池的固態電解質",
        description="需要固態電解質防止鋰電池熱失控。",
        keywords="固態電解質, 鋰電池",
    )
    assert ma.offers_for_need(need)[0].obj == sample.battery


def test_alert_once_per_new_match(market, django_capture_on_commit_callbacks):
    m = market
    with django_capture_on_commit_callbacks(execute=True):
        m.make_offer()  # exists before the search: not alerted
        need = m.make_need()  # saves a search tied to the need (alert_me)
    mail.outbox.clear()
    assert SavedSearchHit.objects.filter(search__need=need).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        offer_svc.create_offer(
            m.tto2,
            publish=True,
            title_en="Sodium-ion battery cathode",
            summary_en="A cathode for sodium-ion batteries that avoids lithium and thermal "
            "runaway in bus battery packs.",
            field="energy",
            keywords="battery, cathode",
            trl=6,
            ip_status="granted",
            offer_types=["licence"],
            visibility="public",
        )
        m.make_offer(user=m.tto2, **SENSOR)  # unrelated: no alert
    alerts_to_ent = [x for x in mail.outbox if m.ent.email in x.to]
    assert len(alerts_to_ent) == 1
    assert (
        "Sodium-ion battery cathode" in alerts_to_ent[0].body
        and "shared terms" in alerts_to_ent[0].body
    )
    # Running again (the scheduled job, or another publication) sends nothing twice.
    mail.outbox.clear()
    alerts.run_all_saved_searches()
    with django_capture_on_commit_callbacks(execute=True):
        m.make_offer(**VISION)
    assert [x for x in mail.outbox if m.ent.email in x.to] == []


def test_tto_follows_needs(market, django_capture_on_commit_callbacks):
    m = market
    alerts.save_search(m.tto, target="needs", query="battery electrolyte thermal runaway")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        m.make_need(user=m.ml_ent)
    got = [x for x in mail.outbox if m.tto.email in x.to]
    assert len(got) == 1 and "Safer batteries for electric buses" in got[0].body
    with pytest.raises(PermissionDenied):
        alerts.save_search(m.unregistered, target="needs", query="x")
