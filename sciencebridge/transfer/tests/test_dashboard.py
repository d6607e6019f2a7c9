"""Dashboard sections, navigation and the alerts command."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from sciencebridge.transfer.models import SavedSearch
from sciencebridge.transfer.services import deals as svc

pytestmark = pytest.mark.django_db


def test_tto_dashboard_lists_eois_and_enterprise_sees_matches(sample, client):
    s = sample
    need = s.make_need()
    svc.express_interest(s.ent, s.battery, message="Interested", need=need)
    client.force_login(s.tto)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert (
        "Expressions of interest to answer" in body
        and "HK Robotics Ltd → Solid-state electrolyte" in body
    )
    assert "Transfer office" in body
    client.force_login(s.ent)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert "Offers matching our needs" in body and need.title in body
    assert "electrolyte" in body and "Our technology needs" in body
    client.force_login(s.unregistered)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert "Offers matching our needs" not in body and "Technology marketplace" in body


def test_alerts_command_is_idempotent(market, django_capture_on_commit_callbacks):
    market.make_offer()
    SavedSearch.objects.create(
        user=market.ent, query="lithium battery electrolyte"
    )  # no baseline run
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(
        execute=True
    ):  # notifications are e-mailed after commit
        call_command("transfer_alerts")
        call_command("transfer_alerts")
    assert len([m for m in mail.outbox if market.ent.email in m.to]) == 1
