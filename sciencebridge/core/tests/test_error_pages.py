"""Branded, translated error pages with DEBUG off (Django's own are bare English), a 500 page that renders
without the database, the help page, and /favicon.ico."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client, RequestFactory, override_settings
from django.urls import path
from django.utils import translation
from django.views.defaults import server_error

from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db


def _forbidden(request):
    raise PermissionDenied


def _missing(request):
    raise Http404("No such proposal")


def _broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    *site_urlpatterns,
    path("boom/403/", _forbidden),
    path("boom/404/", _missing),
    path("boom/500/", _broken),
]

TEXT = {
    404: {"en": "Page not found", "zh-hant": "找不到網頁", "zh-hans": "找不到网页"},
    403: {
        "en": "You may not open this page",
        "zh-hant": "你無權開啟此頁",
        "zh-hans": "你无权打开此页",
    },
    500: {
        "en": "Something went wrong on our side",
        "zh-hant": "本平台發生錯誤",
        "zh-hans": "本平台发生错误",
    },
    "csrf": {"en": "The form has expired", "zh-hant": "表格已失效", "zh-hans": "表单已失效"},
}
LANGS = ["en", "zh-hant", "zh-hans"]


def _get(client, url, lang):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client.get(url)


def _branded(html, lang):
    assert f'<html lang="{lang}"' in html
    assert 'class="brand"' in html and "/help/" in html  # the site's header and footer
    assert "Django" not in html


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("url", ["/no-such-page/", "/boom/404/"])
def test_404_is_branded_and_translated(client, lang, url):
    resp = _get(client, url, lang)
    assert resp.status_code == 404
    html = resp.content.decode()
    _branded(html, lang)
    assert TEXT[404][lang] in html and f"<title>{TEXT[404][lang]} · ScienceBridge</title>" in html


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
@pytest.mark.parametrize("lang", LANGS)
def test_403_names_the_signed_in_user_in_the_page_language(client, lang):
    client.force_login(UserFactory(username="wing", first_name="Wing", last_name="Chan"))
    resp = _get(client, "/boom/403/", lang)
    assert resp.status_code == 403
    html = resp.content.decode()
    _branded(html, lang)
    assert TEXT[403][lang] in html and "Wing Chan" in html
    assert 'class="mainnav"' in html  # the navigation is there, to go on from here


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
@pytest.mark.parametrize("lang", LANGS)
def test_500_is_branded_and_translated(lang):
    client = Client(raise_request_exception=False)
    resp = _get(client, "/boom/500/", lang)
    assert resp.status_code == 500
    html = resp.content.decode()
    _branded(html, lang)
    assert TEXT[500][lang] in html


@pytest.mark.parametrize("lang", LANGS)
def test_500_page_needs_no_database(lang, django_assert_num_queries):
    """The 500 page is what people see when the database is the problem: rendering it queries nothing."""
    with translation.override(lang), django_assert_num_queries(0):
        resp = server_error(RequestFactory().get("/"))
    assert resp.status_code == 500 and TEXT[500][lang] in resp.content.decode()


@override_settings(DEBUG=False)
@pytest.mark.parametrize("lang", LANGS)
def test_expired_form_page_is_translated(lang):
    client = Client(enforce_csrf_checks=True)
    resp = _get(client, "/accounts/login/", lang)
    assert resp.status_code == 200
    resp = client.post("/accounts/login/", {"username": "x", "password": "y"})  # no CSRF token
    assert resp.status_code == 403
    html = resp.content.decode()
    _branded(html, lang)
    assert TEXT["csrf"][lang] in html


@pytest.mark.parametrize(
    "lang, words",
    [("en", "Help and contact"), ("zh-hant", "說明及聯絡"), ("zh-hans", "帮助与联系")],
)
def test_help_page_gives_the_contact_address(client, lang, words):
    html = _get(client, "/help/", lang).content.decode()
    assert words in html and f"mailto:{settings.SUPPORT_EMAIL}" in html


def test_favicon_is_served_at_the_root(client):
    resp = client.get("/favicon.ico")
    assert resp.status_code == 302 and resp["Location"].endswith("favicon.ico")
    icon = client.get(resp["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
