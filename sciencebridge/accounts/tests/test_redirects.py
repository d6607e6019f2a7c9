"""Issue 11: ``next`` is honoured only for paths on this site (registration, activation, expert decisions)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from sciencebridge.accounts.roles import Role
from sciencebridge.core.redirects import safe_next
from sciencebridge.core.testing.factories import UserFactory

from .conftest import last_link, register

pytestmark = pytest.mark.django_db
EVIL = [
    "https://evil.example/phish",
    "//evil.example/x",
    "foo",
    "javascript:alert(1)",
    "/\\evil.example",
    "http://testserver\x00.evil.example/",
]


@pytest.mark.parametrize("target", EVIL)
def test_safe_next_refuses_other_sites_and_bare_words(target):
    request = RequestFactory().get("/", {"next": target})
    assert safe_next(request, "core:dashboard") == reverse("core:dashboard")


def test_safe_next_keeps_local_paths():
    request = RequestFactory().get("/", {"next": "/calls/?page=2"})
    assert safe_next(request, "core:dashboard") == "/calls/?page=2"


@pytest.mark.parametrize("target", ["https://evil.example/phish", "foo"])
def test_registration_and_activation_never_redirect_off_site(world, client, target):
    resp = register(client, "n@example.org", world.astri, next_url=target)
    assert resp.status_code == 302 and resp["Location"] == reverse("accounts:register_done")
    resp = client.post(last_link("activate"))
    assert resp.status_code == 302 and resp["Location"] == reverse("core:dashboard")


def test_activation_returns_to_a_local_next(world, client):
    register(client, "m@example.org", world.astri, next_url="/calls/")
    resp = client.post(last_link("activate"))
    assert resp["Location"] == "/calls/"


@pytest.mark.parametrize("target", ["https://evil.example/phish", "foo"])
def test_expert_decision_never_redirects_off_site(world, client, target):
    from sciencebridge.experts.models import ExpertProfile

    expert = ExpertProfile.objects.create(
        name_en="E", email="e@example.org", region="HK", institution=world.hku
    )
    client.force_login(UserFactory(username="vetter", roles=[Role.SECRETARIAT]))
    resp = client.post(reverse("experts:decide", args=[expert.pk]), {"next": target})
    assert resp.status_code == 302 and resp["Location"] == reverse("experts:vetting")
    resp = client.post(reverse("experts:decide", args=[expert.pk]), {"next": "/experts/"})
    assert resp["Location"] == "/experts/"
