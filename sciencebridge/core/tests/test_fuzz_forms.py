"""Fuzz every form the URL conf exposes: no hostile value may cause a server error.

Discovery: every URL pattern of the project (``get_resolver()``) is filled with real values from a small
world (a draft, a submitted and a funded joint proposal with its project, an exchange posting), opened
as each identity (a superuser and role users), and the pages' links are followed (bounded); every
``<form method="post">`` found is then posted once per field and hostile value, the other fields keeping
the values the page filled in (so a valid form reaches the service layer with one bad value in it):

- text fields: a NUL character, an over-long value;
- numbers: negative, huge, 1e309, NaN;  dates: 0001-01-01, 9999-12-31 (and datetimes alike);
- choices: an unknown id, an id beyond bigint.

Any 5xx fails the test, listed with user, URL, field and value. It runs on SQLite and PostgreSQL (where
NUL and out-of-range numbers used to be 500s) and stops discovering and posting at a time budget
(``BUDGET_S``); the coverage it reached is printed and a floor asserted.
"""

import datetime as dt
import re
import time
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

BUDGET_S = 50
MAX_PAGES_PER_NAME = 1  # per identity: /proposals/A/ and /proposals/B/ have the same forms
SKIP_PREFIXES = (
    "/admin/",
    "/api/",
    "/static/",
    "/files/",
    "/i18n/",
    "/accounts/logout/",
    "/health/",
)
SKIP_ACTIONS = ("logout",)
TEXT_TYPES = {"text", "textarea", "email", "url", "search", "password", "tel", "hidden", ""}


TEXT_NUL = "nul\x00here"


def text_long() -> str:
    return "x" * (getattr(settings, "MAX_TEXT_VALUE_CHARS", 100_000) + 1)


def hostile_values(kind: str) -> list[str]:
    """Values tried one field at a time (NUL and over-long text are tried on all text fields at once)."""
    if kind == "number":
        return ["-1", "-99999999999999999999", "99999999999999999999", "1e309", "NaN"]
    if kind == "date":
        return ["0001-01-01", "9999-12-31"]
    if kind == "datetime-local":
        return ["0001-01-01T00:00", "9999-12-31T23:59"]
    if kind == "select":
        return ["-1", "99999999999999999999"]
    if kind in TEXT_TYPES:
        return ["-1"] if kind != "hidden" else []
    return []


class FormParser(HTMLParser):
    """POST forms (action, enctype, fields with kind and current value) and links of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.links, self._form, self._select, self._textarea = [], [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action"),
                "fields": {},
            }
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"][a["name"]] = (kind, a.get("value", "on"))
                else:
                    self._form["fields"].setdefault(a["name"], (kind, None))
            elif kind not in ("submit", "button", "image", "reset"):
                self._form["fields"][a["name"]] = (kind, a.get("value", ""))
            elif kind == "submit":
                self._form.setdefault("submit", (a["name"], a.get("value", "")))
        elif tag == "button" and a.get("name") and (a.get("type") or "submit") == "submit":
            self._form.setdefault("submit", (a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form["fields"][a["name"]] = ("textarea", "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form["fields"][a["name"]] = ("select", None)
        elif tag == "option" and self._select:
            kind, value = self._form["fields"][self._select]
            if value is None or "selected" in a:
                self._form["fields"][self._select] = ("select", a.get("value", ""))

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            kind, value = self._form["fields"][self._textarea]
            self._form["fields"][self._textarea] = (kind, value + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            if self._form["method"] == "post":
                self.forms.append(self._form)
            self._form = None


def url_patterns(resolver=None, prefix=""):
    """(route with <params>, url name) of every pattern in the URL conf."""
    for p in (resolver or get_resolver()).url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from url_patterns(p, route)
        elif isinstance(p, URLPattern):
            yield route, p.name


def fill(route: str, values: dict[str, list[str]]) -> list[str]:
    """Concrete paths for ``route``: each <param> from ``values`` (first candidates), or none."""
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if "^" in route or "(?P" in route:
        return []
    paths = ["/" + route]
    for name in params:
        candidates = values.get(name)
        if not candidates:
            return []
        paths = [
            re.sub(rf"<(?:\w+:)?{name}>", str(v), p, count=1) for p in paths for v in candidates[:2]
        ]
    return paths


@pytest.fixture
def fuzz_world(world, make_ready_pair):
    from sciencebridge.funding.services import proposals as fsvc
    from sciencebridge.projects.tests.conftest import fund_proposal
    from sciencebridge.talent.models import Programme, ProgrammeCall
    from sciencebridge.talent.services import exchanges as tsvc

    draft = make_ready_pair(title="Draft pair")
    submitted = make_ready_pair(title="Submitted pair")
    fsvc.submit_half(world.hk_lead, submitted.half("HK"))
    fsvc.submit_half(world.ml_lead, submitted.half("ML"))
    funded = fund_proposal(world, make_ready_pair(title="Funded pair"))
    now = timezone.now()
    prog = Programme.objects.create(
        code="ysx", name="Young scientist exchange", kind="young_scientist"
    )
    pcall = ProgrammeCall.objects.create(
        programme=prog,
        code="ysx-2026",
        title="2026 exchanges",
        opens_at=now - dt.timedelta(days=5),
        closes_at=now + dt.timedelta(days=30),
    )
    posting = tsvc.create_posting(
        world.hku_office,
        pcall,
        title="Visiting researcher",
        description="Quantum sensing.",
        keywords="quantum",
        duration_months=6,
        positions=1,
    )
    identities = {
        "superuser": UserFactory(username="fuzz_root", is_superuser=True, is_staff=True),
        "applicant": world.hk_lead,
        "ml_applicant": world.ml_lead,
        "itc_officer": world.itc_officer,
        "research_office": world.hk_office,
        "secretariat": UserFactory(username="fuzz_secretariat", roles=[Role.SECRETARIAT]),
        "tto": UserFactory(username="fuzz_tto", institution=world.hku, roles=[Role.TTO]),
        "enterprise": UserFactory(
            username="fuzz_enterprise", institution=world.company, roles=[Role.ENTERPRISE]
        ),
    }
    project = getattr(funded, "project", None)
    values = {
        "ref": [submitted.reference, draft.reference, funded.reference],
        "reference": [project.reference] if project else [],
        "code": [world.call.code, pcall.code],
        "side": ["hk", "ml"],
        "pk": [posting.pk, 1],
        "token": [],
        "slug": [],
    }
    return identities, values


def test_no_form_field_takes_the_server_down(fuzz_world):
    identities, values = fuzz_world
    started = time.monotonic()
    routes = list(url_patterns())
    seeds = [
        p for route, _name in routes for p in fill(route, values) if not p.startswith(SKIP_PREFIXES)
    ]
    failures, posted, forms_seen, pages, form_owners = [], 0, set(), 0, []

    def over_budget():
        return time.monotonic() - started > BUDGET_S

    for who, user in identities.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        queue, seen, per_name = list(seeds), set(), {}
        while queue and not over_budget():
            path = queue.pop(0)
            if path in seen or path.startswith(SKIP_PREFIXES):
                continue
            seen.add(path)
            try:
                match = resolve(path)
            except Resolver404:
                continue
            name = match.view_name
            if per_name.get(name, 0) >= MAX_PAGES_PER_NAME:
                continue
            per_name[name] = per_name.get(name, 0) + 1
            resp = client.get(path)
            pages += 1
            if resp.status_code >= 500:
                failures.append((who, "GET", path, "", resp.status_code))
                continue
            if resp.status_code != 200 or "html" not in resp.get("Content-Type", ""):
                continue
            parser = FormParser()
            parser.feed(resp.content.decode("utf-8", "replace"))
            for href in parser.links:
                target = urlsplit(urljoin(path, href))
                if not target.netloc and target.path not in seen:
                    queue.append(target.path)
            for form in parser.forms:
                action = urlsplit(urljoin(path, form["action"] or path)).path
                if any(s in action for s in SKIP_ACTIONS) or action.startswith(SKIP_PREFIXES):
                    continue
                try:
                    action_name = resolve(action).view_name
                except Resolver404:
                    continue
                signature = (action_name, tuple(sorted(form["fields"])), form.get("submit"))
                if signature in forms_seen:
                    continue
                forms_seen.add(signature)
                form_owners.append((who, signature))
                base = {k: v for k, (_kind, v) in form["fields"].items() if v is not None}
                if form.get("submit"):
                    base.setdefault(*form["submit"])
                fields = {
                    f: k for f, (k, _v) in form["fields"].items() if f != "csrfmiddlewaretoken"
                }
                texts = [f for f, k in fields.items() if k in TEXT_TYPES]
                attempts = []
                if texts:  # every text field at once: the guard answers before any view code runs
                    attempts += [
                        ({f: TEXT_NUL for f in texts}, "all text fields = NUL"),
                        ({f: text_long() for f in texts}, "all text fields over-long"),
                    ]
                for f, k in fields.items():  # one field at a time: the rest valid, so services run
                    attempts += [({f: bad}, f"{f}={bad[:40]!r}") for bad in hostile_values(k)]
                for change, label in attempts:
                    if over_budget():
                        break
                    resp = client.post(action, {**base, **change})
                    posted += 1
                    if resp.status_code >= 500:
                        failures.append((who, "POST", action, label, resp.status_code))
                client.force_login(user)  # a form may have changed the session (e.g. a password)
    elapsed = time.monotonic() - started
    print(
        f"\nfuzz: {len(identities)} identities, {pages} pages, {len(forms_seen)} distinct forms, "
        f"{posted} hostile posts in {elapsed:.1f} s; {len(failures)} server errors"
    )
    print("forms:", sorted({f"{who_}:{sig[0]}" for who_, sig in form_owners}))
    assert failures == [], "\n".join(map(str, failures))
    assert len(forms_seen) >= 20 and posted >= 150, (
        "the discovery found too little to be meaningful"
    )


def test_form_bounds_are_ordinary_field_errors(world):
    """What the fuzz found, as plain form errors (core/formfields.py) on any form of any app."""
    from django import forms

    from sciencebridge.institutions.models import Institution

    class F(forms.Form):
        day = forms.DateField()
        when = forms.DateTimeField()
        one = forms.ModelChoiceField(Institution.objects.all())
        many = forms.ModelMultipleChoiceField(Institution.objects.all())

    f = F(
        {
            "day": "0001-01-01",
            "when": "9999-12-31 23:59",
            "one": "99999999999999999999",
            "many": ["99999999999999999999"],
        }
    )
    assert not f.is_valid()
    assert set(f.errors) == {"day", "when", "one", "many"}
    assert "between the years 1900 and 2100" in f.errors["day"][0]
    ok = F(
        {
            "day": "2026-05-01",
            "when": "2026-05-01 10:00",
            "one": world.hku.pk,
            "many": [world.hku.pk],
        }
    )
    assert ok.is_valid(), ok.errors
