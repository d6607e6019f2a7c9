"""The access matrix (issue 11, "make the class impossible"): every route of the URL conf × every identity.

Generated from the URL conf: a route without a rule in ``rules.py`` fails ``test_every_route_has_a_rule``.
Cells:
- GET: the status each identity gets (200, redirect, login, 403/404, 405), as the rule says;
- POST: on action URLs and forms, every identity the rule does not allow is refused (403/404/login) and the
  database is unchanged;
- LIST: every API list contains the world's object exactly for the identities its detail rule allows;
- ABSENT: pages an identity may open but where one object must not appear;
- FILE: every file the world stored, on the one file route ``core:file`` (``/files/<signed name>/``): served to
  the identities its rule names, refused to everyone else.
Cells listed in ``rules.KNOWN_OPEN`` (findings being fixed on other branches) run as strict xfails.
"""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url

from . import identities as ids
from .cells import FILE_KEY, admin_keys, app_keys, media_files, url_for, variants
from .dsl import ANY, DENY, LOGIN, NOT_ALLOWED, NOT_SERVED, OK, REDIRECT, UNCHANGED
from .fingerprint import rows_written, unchanged_since
from .rules import ADMIN_RULE, KNOWN_OPEN, KNOWN_OPEN_ROUTES, RULES
from .stats import STATS
from .targets import TARGETS

pytestmark = pytest.mark.django_db


def _variant_names(key):
    rule = RULES.get(key)
    if rule is not None and rule.files:
        return list(rule.per_variant)
    target = TARGETS.get(key)
    return list(target) if isinstance(target, dict) else [""]


def _cell_name(key, variant):
    return f"{key}[{variant}]" if variant else key


def _mark(method, key, variant, who, expected):
    name = f"{method} {_cell_name(key, variant)} {who}"
    reason = KNOWN_OPEN.get(name)
    if reason is None and key in KNOWN_OPEN_ROUTES and expected in (DENY, LOGIN, NOT_SERVED):
        reason = KNOWN_OPEN_ROUTES[key]
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def _is_api(key):
    return key.startswith("api:")


def _login_redirect(resp, key=""):
    if resp.status_code != 302:
        return False
    path = resp["Location"].split("?")[0]
    if key.startswith("admin:"):
        return path.endswith("/admin/login/")
    return path == resolve_url(settings.LOGIN_URL)


def check(resp, expected, key) -> str | None:
    """None if the response is what ``expected`` says, else what went wrong."""
    s = resp.status_code
    if s >= 500:
        return f"server error {s}"
    ok = {
        OK: s == 200,
        REDIRECT: s in (301, 302, 303) and not _login_redirect(resp, key),
        LOGIN: (s in (401, 403)) if _is_api(key) else _login_redirect(resp, key),
        DENY: s in (403, 404) or (s in (401,) and _is_api(key)),
        NOT_ALLOWED: s == 405,
        NOT_SERVED: not (200 <= s < 300),
        ANY: True,
        UNCHANGED: True,  # the database check follows
    }[expected]
    if ok:
        return None
    where = f" → {resp['Location']}" if s in (301, 302, 303) else ""
    return f"expected {expected}, got {s}{where}"


def _known(request) -> bool:
    return request.node.get_closest_marker("xfail") is not None


def _count(request, leaked: bool, failed: bool):
    STATS["cells"] += 1
    if leaked:
        STATS["unexpected_200_known" if _known(request) else "unexpected_200"] += 1
    if failed:
        STATS["failed_known" if _known(request) else "failed"] += 1


def _record(request, expected, resp, failure):
    leaked = expected in (DENY, LOGIN, NOT_SERVED, NOT_ALLOWED) and 200 <= resp.status_code < 300
    _count(request, leaked, bool(failure))


# ------------------------------------------------------------------------------------------------------------
# Completeness
# ------------------------------------------------------------------------------------------------------------
def test_every_route_has_a_rule():
    missing = [k for k in app_keys() if k not in RULES]
    assert not missing, (
        f"routes without an access rule (add them to access_matrix/rules.py): {missing}"
    )


def test_every_rule_names_a_route():
    keys = set(app_keys()) | {FILE_KEY}
    stale = [k for k in RULES if k not in keys]
    assert not stale, f"rules for routes that no longer exist (remove them): {stale}"


def test_every_route_with_kwargs_can_be_built(matrix_world):
    for key in app_keys():
        rule = RULES[key]
        if rule.skip or rule.files:
            continue
        for kw in variants(key, matrix_world).values():
            url_for(key, kw)


def test_every_stored_file_has_a_rule(matrix_world):
    rule = RULES[FILE_KEY]
    assert media_files(matrix_world), (
        "the world stores no file: the file checks would check nothing"
    )
    for label in media_files(matrix_world):
        rule.for_variant(label)  # raises for a file of a kind no rule names


def test_every_known_open_cell_exists():
    cells = (
        {pid for pid, _ in _get_params()}
        | {pid for pid, _ in _post_params()}
        | {pid for pid, _ in _list_params()}
        | {pid for pid, _ in _absent_params()}
    )
    stale = sorted(set(KNOWN_OPEN) - cells)
    assert not stale, f"KNOWN_OPEN names cells that do not exist: {stale}"


# ------------------------------------------------------------------------------------------------------------
# GET
# ------------------------------------------------------------------------------------------------------------
def _get_params():
    out = []
    for key in app_keys():
        rule = RULES.get(key)
        if rule is None:
            continue
        if rule.skip:
            STATS["skipped"][key] = rule.skip
            continue
        for variant in _variant_names(key):
            vrule = rule.for_variant(variant)
            for who in vrule.sample or ids.ALL:
                expected = vrule.get[who]
                pid = f"GET {_cell_name(key, variant)} {who}"
                out.append(
                    (
                        pid,
                        pytest.param(
                            key,
                            variant,
                            who,
                            expected,
                            id=pid,
                            marks=_mark("GET", key, variant, who, expected),
                        ),
                    )
                )
    return out


@pytest.mark.parametrize(("key", "variant", "who", "expected"), [p for _, p in _get_params()])
def test_get(request, matrix_world, as_identity, key, variant, who, expected):
    if RULES[key].files:
        urls = [
            url_for(key, {"path": rel})
            for label, rel in media_files(matrix_world).items()
            if RULES[key].for_variant(label) is RULES[key].per_variant[variant]
        ]
        assert urls, f"the world stores no file under {variant}"
    else:
        urls = [url_for(key, variants(key, matrix_world)[variant])]
    client = as_identity(who)
    failures = []
    for url in urls:
        resp = client.get(url)
        failure = check(resp, expected, key)
        _record(request, expected, resp, failure)
        if failure:
            failures.append(f"{url}: {failure}")
    assert not failures, f"{who} GET " + "; ".join(failures)


# ------------------------------------------------------------------------------------------------------------
# POST: refused, and nothing changed
# ------------------------------------------------------------------------------------------------------------
def _post_params():
    out = []
    for key in app_keys():
        rule = RULES.get(key)
        if (
            rule is None or rule.skip or rule.files or key.startswith("api:")
        ):  # the API is read-only but for
            continue  # what its own tests cover (writes by DRF permissions); a write route would get post_only()
        for variant in _variant_names(key):
            vrule = rule.for_variant(variant)
            if not vrule.post:
                continue
            for who, expected in vrule.post.items():
                if expected == ANY:
                    continue
                pid = f"POST {_cell_name(key, variant)} {who}"
                out.append(
                    (
                        pid,
                        pytest.param(
                            key,
                            variant,
                            who,
                            expected,
                            id=pid,
                            marks=_mark("POST", key, variant, who, expected),
                        ),
                    )
                )
    return out


def test_rows_written_sees_a_write(matrix_world):
    """The "nothing written" shortcut of the POST cells counts writes on this database (or is off)."""
    from sciencebridge.cooperation.models import Meeting

    before = rows_written()
    Meeting.objects.filter(pk=matrix_world.meeting.pk).update(place="Macau")
    assert before is None or rows_written() > before
    assert not unchanged_since(matrix_world.fingerprint, before)


@pytest.mark.parametrize(("key", "variant", "who", "expected"), [p for _, p in _post_params()])
def test_post_refused(request, matrix_world, as_identity, key, variant, who, expected):
    url = url_for(key, variants(key, matrix_world)[variant])
    client = as_identity(who)
    rows_before = rows_written()
    resp = client.post(
        url,
        {
            "reason": "matrix",
            "comment": "matrix",
            "action": "approve",
            "recommendation": "fund",
            "notes": "matrix",
            "eligible": "1",
        },
    )
    failure = check(resp, expected, key)
    _record(request, expected, resp, failure)
    assert failure is None, f"{who} POST {url}: {failure}"
    assert unchanged_since(matrix_world.fingerprint, rows_before), (
        f"{who} POST {url} was refused ({resp.status_code}) but changed the database"
    )


# ------------------------------------------------------------------------------------------------------------
# LIST: API lists hold an object exactly for those who may read its detail
# ------------------------------------------------------------------------------------------------------------
def _detail_of(list_key):
    detail = list_key[: -len("-list")] + "-detail"
    return detail if detail in RULES and detail in TARGETS else None


def _list_params():
    out = []
    for key in app_keys():
        if not (key.startswith("api:") and key.endswith("-list")) or _detail_of(key) is None:
            continue
        for who in ids.ALL:
            pid = f"LIST {key} {who}"
            out.append(
                (pid, pytest.param(key, who, id=pid, marks=_mark("LIST", key, "", who, DENY)))
            )
    return out


def _items(client, url):
    items, page = [], url
    while page:
        resp = client.get(page)
        if resp.status_code != 200:
            return None
        data = resp.json()
        if isinstance(data, list):
            return data
        items += data["results"]
        page = data.get("next")
    return items


@pytest.mark.parametrize(("key", "who"), [p for _, p in _list_params()])
def test_list_matches_detail(request, matrix_world, as_identity, key, who):
    client = as_identity(who)
    items = _items(client, url_for(key, {}))
    detail = _detail_of(key)
    wrong = []
    for variant, kwargs in variants(detail, matrix_world).items():
        ((field, value),) = kwargs.items()
        expected = RULES[detail].for_variant(variant).get[who]
        present = items is not None and any(
            str(i.get(field if field != "pk" else "id")) == str(value) for i in items
        )
        _count(request, present and expected != OK, present != (expected == OK))
        if present and expected != OK:
            wrong.append(
                f"lists {_cell_name(detail, variant)} ({field}={value}) though its detail is refused"
            )
        elif not present and expected == OK:
            wrong.append(
                f"does not list {_cell_name(detail, variant)} ({field}={value}) though its detail is "
                f"readable"
            )
    assert not wrong, f"{who} {key}: " + "; ".join(wrong)


# ------------------------------------------------------------------------------------------------------------
# ABSENT: what a page one may read must not show
# ------------------------------------------------------------------------------------------------------------
def _absent_params():
    out = []
    for key in app_keys():
        rule = RULES.get(key)
        if rule is None or rule.skip:
            continue
        for variant in _variant_names(key):
            for who in rule.for_variant(variant).absent:
                pid = f"ABSENT {_cell_name(key, variant)} {who}"
                out.append(
                    (
                        pid,
                        pytest.param(
                            key,
                            variant,
                            who,
                            id=pid,
                            marks=_mark("ABSENT", key, variant, who, DENY),
                        ),
                    )
                )
    return out


@pytest.mark.parametrize(("key", "variant", "who"), [p for _, p in _absent_params()])
def test_page_hides(request, matrix_world, as_identity, key, variant, who):
    url = url_for(key, variants(key, matrix_world)[variant])
    resp = as_identity(who).get(url)
    assert resp.status_code == 200, (
        f"{who} cannot read {url} at all ({resp.status_code}); the rule says they can"
    )
    html = resp.content.decode()
    shown = [t for t in RULES[key].for_variant(variant).absent[who](matrix_world) if t in html]
    _count(request, bool(shown), bool(shown))
    assert not shown, f"{who} sees {shown} on {url}"


# ------------------------------------------------------------------------------------------------------------
# Django admin, summarised: staff only
# ------------------------------------------------------------------------------------------------------------
ADMIN_PUBLIC = {"admin:login", "admin:logout"}  # the admin's own sign-in and sign-out pages


def _admin_urls():
    from django.urls import NoReverseMatch, reverse

    from .routes import URLCONF

    urls = {}
    for key in admin_keys():
        if not key.startswith("admin:") or key in ADMIN_PUBLIC:
            continue
        try:
            urls[key] = reverse(key, urlconf=URLCONF)
        except NoReverseMatch:
            continue  # needs an object id or app label: behind the same admin_view wrapper
    return urls


@pytest.mark.parametrize("who", ids.ALL)
def test_admin_is_staff_only(request, matrix_world, as_identity, who):
    """Every identity on the admin index; anonymous users and the most trusted non-staff identity
    (the secretariat) on every admin page that takes no object id."""
    urls = _admin_urls()
    if who not in (ids.ANON, ids.SECRETARIAT):
        urls = {"admin:index": urls["admin:index"]}
    client = as_identity(who)
    for key, url in urls.items():
        resp = client.get(url)
        failure = check(resp, ADMIN_RULE.get[who], key)
        _record(request, ADMIN_RULE.get[who], resp, failure)
        assert failure is None, f"{who} GET {url}: {failure}"
