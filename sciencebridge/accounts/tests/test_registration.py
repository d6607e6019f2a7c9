"""Issue 11: registration must not tell which e-mail addresses (or usernames) have accounts; passwords
pass Django's numeric and common-password validators; people log in with their e-mail address."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from sciencebridge.accounts.models import User

from .conftest import last_link, register

pytestmark = pytest.mark.django_db


def _visible(resp, client):
    """What the person sees after submitting: status, where they are sent, and that page's text."""
    follow = client.get(resp["Location"]) if resp.status_code == 302 else resp
    html = follow.content.decode().replace(resp.wsgi_request.POST["email"].lower(), "@")
    return (
        resp.status_code,
        resp.get("Location"),
        re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html),
    )


def test_existing_address_gets_the_same_answer_and_an_email_instead(world, client):
    new = register(client, "fresh@example.org", world.astri)
    seen_new = _visible(new, client)
    mail.outbox.clear()
    client.cookies.clear()
    taken = register(client, world.hk_lead.email.upper(), world.astri)
    assert _visible(taken, client) == seen_new
    assert User.objects.filter(email__iexact=world.hk_lead.email).count() == 1
    assert [m.to for m in mail.outbox] == [[world.hk_lead.email.upper()]] or [
        m.to for m in mail.outbox
    ] == [[world.hk_lead.email]]
    assert (
        "already has an account" in mail.outbox[0].body
        and "/accounts/password-reset/" in mail.outbox[0].body
    )


def test_no_username_to_probe(world, client):
    html = client.get(reverse("accounts:register")).content.decode()
    assert 'name="username"' not in html
    # A username that exists (hk_lead) is simply not part of registration.
    register(client, "hk_lead@another.example", world.astri, username="hk_lead")
    u = User.objects.get(email="hk_lead@another.example")
    assert u.username != "hk_lead" and u.username.startswith("hk_lead")


def test_new_account_logs_in_with_email_only_after_activation(world, client):
    register(client, "Kim@Example.org", world.astri)
    assert (
        client.post(
            reverse("accounts:login"),
            {"username": "kim@example.org", "password": "Correct-horse-77"},
        ).status_code
        == 200
    )  # refused
    client.post(last_link("activate"))
    client.logout()
    resp = client.post(
        reverse("accounts:login"), {"username": "KIM@example.org ", "password": "Correct-horse-77"}
    )
    assert resp.status_code == 302
    assert client.post(last_link("activate")).status_code == 400  # single use


def test_unactivated_address_gets_a_fresh_activation_link(world, client):
    register(client, "late@example.org", world.astri)
    mail.outbox.clear()
    register(client, "late@example.org", world.astri)
    assert User.objects.filter(email="late@example.org").count() == 1
    client.post(last_link("activate"))
    assert User.objects.get(email="late@example.org").is_active


@pytest.mark.parametrize(
    "password,message",
    [
        ("8402917365132", "entirely numeric"),
        ("password1234", "too common"),
        ("short-1A", "too short"),
    ],
)
def test_password_validators(world, client, password, message):
    resp = register(client, "v@example.org", world.astri, password=password)
    assert resp.status_code == 200 and message in resp.content.decode()
    assert not User.objects.filter(email="v@example.org").exists()
