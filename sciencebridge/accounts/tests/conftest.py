import re

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse


@pytest.fixture(autouse=True)
def _requests_commit(monkeypatch):
    """E-mail goes through the notification outbox, which sends after commit. Each test runs inside one
    transaction that never commits, so run each request's on-commit callbacks as the commit would."""
    original = Client.request

    def request(self, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)


def register(client, email, institution=None, password="Correct-horse-77", next_url="", **extra):
    data = {
        "email": email,
        "first_name": "Mei",
        "last_name": "Chan",
        "password1": password,
        "password2": password,
        **({"institution": institution.pk} if institution else {}),
        **extra,
    }
    url = reverse("accounts:register") + (f"?next={next_url}" if next_url else "")
    return client.post(url, data)


def last_link(kind: str) -> str:
    """The path of the last e-mailed link of a kind ("activate", "affiliation/confirm")."""
    for message in reversed(mail.outbox):
        m = re.search(rf"https?://[^/\s]+(/\S*/{kind}/\S+)", message.body)
        if m:
            return m.group(1)
    raise AssertionError(f"no {kind} link in {[m.subject for m in mail.outbox]}")


@pytest.fixture
def registered(world, client):
    """Register and activate an account whose address is NOT at ASTRI's domain, claiming ASTRI."""

    def make(email="mei.chan@gmail.com", institution=None):
        from sciencebridge.accounts.models import User

        register(client, email, institution or world.astri)
        client.post(last_link("activate"))
        client.logout()
        return User.objects.get(email=email)

    return make
