"""NUL characters and over-long values are refused once, for every view (core/middleware.py).

PostgreSQL cannot hold NUL in text: each of these was a 500 there (a lookup or a write raising
ValueError). On SQLite they were stored. Both must now answer 400 with a clear message and change nothing.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sciencebridge.core.testing.factories import MINIMAL_PDF
from sciencebridge.funding.models import HalfState

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of():
    def make(user=None):
        c = Client(raise_request_exception=False)
        if user is not None:
            c.force_login(user)
        return c

    return make


def _refused(resp, needle="NUL"):
    assert resp.status_code == 400, (resp.status_code, resp.content[:300])
    body = resp.content.decode()
    assert needle in body, body[:500]
    return body


def test_nul_in_the_path_is_400_not_500(world, client_of):
    c = client_of(world.hk_lead)
    _refused(c.get("/proposals/%00/"))
    _refused(c.get("/proposals/P%00X/edit/"))
    _refused(client_of().get("/calls/%00/"))  # anonymous too


def test_nul_in_the_query_string(world, client_of):
    c = client_of(world.itc_officer)
    _refused(c.get(reverse("funding:officer_proposals", args=[world.call.code]), {"q": "a\x00b"}))
    _refused(c.get("/proposals/", {"x\x00": "1"}))


def test_nul_in_a_free_text_reason_changes_nothing(world, make_ready_pair, client_of):
    p = make_ready_pair()
    c = client_of(world.hk_lead)
    body = _refused(
        c.post(reverse("funding:withdraw", args=[p.reference]), {"reason": "changed\x00 mind"})
    )
    assert "reason" in body
    p.refresh_from_db()
    assert p.half("HK").state == HalfState.DRAFT


def test_nul_in_json_api_body_and_token_header(world, client_of):
    c = client_of()
    r = c.post(
        "/api/v1/auth/token/",
        json.dumps({"username": "hk_lead\x00", "password": "x"}),
        content_type="application/json",
    )
    assert r.status_code == 400 and "NUL" in r.json()["detail"]
    r = c.get("/api/v1/proposals/", HTTP_AUTHORIZATION="Token abc\x00def")
    assert r.status_code == 400
    nested = {"a": [{"b": ["ok", {"c": "deep\x00"}]}]}
    r = client_of(world.hk_lead).post(
        "/api/v1/proposals/", json.dumps(nested), content_type="application/json"
    )
    assert r.status_code == 400 and "/a/0/b/1/c" in r.json()["detail"]


def test_nul_in_a_cookie_or_session_key(world, client_of):
    c = client_of()
    c.cookies["sessionid"] = "abcdefghijk\x00"
    assert c.get(reverse("funding:my_proposals")).status_code == 400


def test_nul_in_an_uploaded_file_name_but_not_in_its_content(world, make_ready_pair, client_of):
    p = make_ready_pair()
    half = p.half("HK")
    kind = world.scheme.required_attachments.get(code="proposal")
    c = client_of(world.hk_lead)
    url = reverse("funding:half_edit", args=[p.reference, "HK"])
    # Django drops non-printable characters from uploaded file names; the guard checks them anyway.
    bad = SimpleUploadedFile("plan\x00.pdf", MINIMAL_PDF, content_type="application/pdf")
    assert c.post(url, {"action": "attach", "a-kind": kind.pk, "a-file": bad}).status_code < 500
    assert not any("\x00" in a.original_name for a in half.attachments.all())
    # NUL bytes inside a PDF are normal binary content and must not be refused by the guard.
    ok = SimpleUploadedFile(
        "plan.pdf", MINIMAL_PDF.replace(b"%%EOF", b"\x00\x00%%EOF"), content_type="application/pdf"
    )
    r = c.post(url, {"action": "attach", "a-kind": kind.pk, "a-file": ok})
    assert r.status_code != 400 and r.status_code < 500
    assert half.attachments.count() >= 1


def test_over_long_text_value_is_refused(world, make_ready_pair, client_of, settings):
    settings.MAX_TEXT_VALUE_CHARS = 1000
    p = make_ready_pair()
    c = client_of(world.hk_lead)
    _refused(
        c.post(reverse("funding:withdraw", args=[p.reference]), {"reason": "x" * 1001}), "1,000"
    )
    p.refresh_from_db()
    assert p.half("HK").state == HalfState.DRAFT
    r = c.post(
        "/api/v1/proposals/", json.dumps({"title": "y" * 1001}), content_type="application/json"
    )
    assert r.status_code == 400 and "1,000" in r.json()["detail"]


def test_whole_body_is_bounded(world, client_of):
    from django.conf import settings

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    c = client_of(world.hk_lead)
    huge = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)
    r = c.post(reverse("funding:my_proposals"), {"reason": huge})
    assert r.status_code == 400


def test_deeply_nested_json_is_refused(world, client_of):
    body = "[" * 5000 + "]" * 5000
    r = client_of(world.hk_lead).post("/api/v1/proposals/", body, content_type="application/json")
    assert r.status_code == 400


def test_message_is_translated(world, client_of):
    c = client_of(world.hk_lead)
    r = c.get("/proposals/%00/", HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert r.status_code == 400
    assert "NUL" in r.content.decode() and "請求" in r.content.decode()
