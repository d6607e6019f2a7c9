"""Issue 11: repeated failed log-ins are locked out (page and API token endpoint); API tokens expire;
people see and revoke their own tokens."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
PASSWORD = "pw-123456"  # the factories' password


@pytest.fixture(autouse=True)
def _fresh_lockouts():
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


def test_login_page_locks_out_after_five_failures(world, client, settings):
    url = reverse("accounts:login")
    for _ in range(4):
        assert client.post(url, {"username": "hk_lead", "password": "wrong"}).status_code == 200
    resp = client.post(url, {"username": "hk_lead", "password": "wrong"})
    assert resp.status_code == 429
    resp = client.post(
        url, {"username": "HK_LEAD", "password": PASSWORD}
    )  # even the right password
    assert resp.status_code == 429 and "Too many failed attempts" in resp.content.decode()
    # Another account from the same address is not affected.
    assert client.post(url, {"username": "ml_lead", "password": PASSWORD}).status_code == 302


def test_lockout_ends_after_the_cooloff(world, client, settings):
    from axes.models import AccessAttempt

    url = reverse("accounts:login")
    for _ in range(5):
        client.post(url, {"username": "hk_lead", "password": "wrong"})
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(hours=1))
    assert client.post(url, {"username": "hk_lead", "password": PASSWORD}).status_code == 302


def test_token_endpoint_locks_out_too(world):
    api = APIClient()
    url = reverse("api:token")
    for _ in range(5):
        assert api.post(url, {"username": "hk_lead", "password": "wrong"}).status_code in (400, 429)
    resp = api.post(url, {"username": "hk_lead", "password": PASSWORD})
    assert resp.status_code == 429 and "Too many failed attempts" in resp.json()["detail"]
    assert not Token.objects.filter(user=world.hk_lead).exists()


def test_token_endpoint_accepts_email_and_reports_expiry(world):
    resp = APIClient().post(
        reverse("api:token"), {"username": world.hk_lead.email, "password": PASSWORD}
    )
    assert resp.status_code == 200
    token = Token.objects.get(user=world.hk_lead)
    assert resp.json()["token"] == token.key
    assert resp.json()["expires"].startswith(str((token.created + dt.timedelta(days=30)).date()))


def test_expired_token_is_refused_and_replaced(world, settings):
    token = Token.objects.create(user=world.hk_lead)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/facility-allocations/").status_code == 200
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - dt.timedelta(days=31))
    resp = api.get("/api/v1/facility-allocations/")
    assert resp.status_code == 401 and "expired" in resp.json()["detail"]
    settings.API_TOKEN_LIFETIME_DAYS = 60  # configurable
    assert api.get("/api/v1/facility-allocations/").status_code == 200
    settings.API_TOKEN_LIFETIME_DAYS = 30
    # Logging in again (even with the stale token still in the header) issues a new one.
    resp = api.post(reverse("api:token"), {"username": "hk_lead", "password": PASSWORD})
    assert resp.status_code == 200 and resp.json()["token"] != token.key


def test_list_and_revoke_tokens_by_api(world):
    token = Token.objects.create(user=world.hk_lead)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    rows = api.get(reverse("api:my_tokens")).json()
    assert rows == [
        {
            "key_prefix": token.key[:6],
            "created": rows[0]["created"],
            "expires": rows[0]["expires"],
            "expired": False,
        }
    ]
    assert token.key not in str(rows)
    assert api.delete(reverse("api:my_tokens")).status_code == 204
    assert api.get(reverse("api:my_tokens")).status_code == 401
    assert not Token.objects.filter(user=world.hk_lead).exists()


def test_tokens_page_create_and_revoke(world, client):
    client.force_login(world.hk_lead)
    html = client.post(reverse("accounts:tokens"), {"action": "create"}).content.decode()
    token = Token.objects.get(user=world.hk_lead)
    assert f'id="new-token">{token.key}<' in html
    html = client.get(reverse("accounts:tokens")).content.decode()
    assert token.key not in html and token.key[:6] in html
    client.post(reverse("accounts:tokens"), {"action": "revoke"})
    assert not Token.objects.filter(user=world.hk_lead).exists()
    other = Token.objects.create(user=world.ml_lead)
    client.post(reverse("accounts:tokens"), {"action": "revoke"})
    assert Token.objects.filter(pk=other.pk).exists()  # only one's own


def test_password_reset_revokes_api_tokens(world, client):
    import re

    from django.core import mail

    Token.objects.create(user=world.hk_lead)
    client.post(reverse("accounts:password_reset"), {"email": world.hk_lead.email})
    link = re.search(r"https?://\S+(/accounts/reset/\S+/)", mail.outbox[-1].body).group(1)
    page = client.get(link, follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "Another-strong-77", "new_password2": "Another-strong-77"},
    )
    assert not Token.objects.filter(user=world.hk_lead).exists()
