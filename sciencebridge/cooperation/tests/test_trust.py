"""Issue 11 (trust): a partial update (PATCH) never drops data. Every writable field of every writable API
serializer of the committee's records is patched alone, and every other field must come back unchanged.
The list of writable fields is read from the serializers, so a new field without a test value fails here."""

import datetime as dt
import decimal

import pytest
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sciencebridge.cooperation import api
from sciencebridge.cooperation.models import Agreement, Workplan, WorkplanItem
from sciencebridge.cooperation.services.reference import load_public_record

pytestmark = pytest.mark.django_db
BASE = "/api/v1/cooperation"

#: Fields whose value is computed from the patched one (translation fallbacks, live progress).
DERIVED = {
    "title_en": {"title"},
    "text_en": {"text"},
    "call_ids": {"metric_filters", "value", "progress"},
    "metric_code": {"value", "progress"},
    "target": {"progress"},
}
#: Fields an update refuses to change (with a 400), which must then change nothing either.
IMMUTABLE = {"workplan"}


def client_for(user):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return c


def _other_choice(field, current):
    for value in field.choices:
        if value not in ("", current):
            return value
    raise AssertionError(f"no other choice for {field.field_name}")


def _slugs(field):
    related = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
    return [getattr(obj, related.slug_field) for obj in related.get_queryset().order_by("pk")]


def new_value(field, current, world):
    """A valid value different from ``current`` for any writable field type the serializers use."""
    if isinstance(field, serializers.ListField):
        return [world.call.pk]
    if isinstance(field, serializers.ManyRelatedField):
        slugs = _slugs(field)
        other = [s for s in slugs if s not in (current or [])]
        return sorted(set(current or []) - {current[0]} | {other[0]}) if current else [other[0]]
    if isinstance(field, serializers.SlugRelatedField):
        return next(s for s in _slugs(field) if str(s) != str(current))
    if isinstance(field, serializers.ChoiceField):
        return _other_choice(field, current)
    if isinstance(field, serializers.DateField):
        return (
            (dt.date.fromisoformat(current) + dt.timedelta(days=1)).isoformat()
            if current
            else "2031-01-01"
        )
    if isinstance(field, serializers.URLField):
        return "https://example.org/patched"
    if isinstance(field, serializers.DecimalField):
        return str(decimal.Decimal(current or 0) + 1)
    if isinstance(field, serializers.CharField):
        return f"{current or 'v'}-patched"
    raise AssertionError(f"add a test value for {type(field).__name__} {field.field_name}")


def writable(serializer_class):
    fields = serializer_class(context={}).fields
    return {name: f for name, f in fields.items() if not f.read_only}


def patch_each_field(client, world, url, serializer_class, check_extra=None):
    snapshot = client.get(url).json()
    for name, field in writable(serializer_class).items():
        value = new_value(field, snapshot.get(name), world)
        resp = client.patch(url, {name: value}, format="json")
        if name in IMMUTABLE:
            assert resp.status_code == 400, (name, resp.content)
        else:
            assert resp.status_code == 200, (name, resp.content)
        if name == "code":
            url = url.replace(f"/{snapshot['code']}/", f"/{value}/")
        after = client.get(url).json()
        changed = {k for k in snapshot if after.get(k) != snapshot.get(k)}
        allowed = ({name} | DERIVED.get(name, set())) if name not in IMMUTABLE else set()
        assert changed <= allowed, f"PATCH {name} also changed {changed - allowed}"
        if name in after and name not in IMMUTABLE:
            expected = value if not isinstance(value, list) else sorted(value)
            got = after[name] if not isinstance(after[name], list) else sorted(after[name])
            assert str(got) == str(expected), (name, got, expected)
        if check_extra:
            check_extra(name)
        snapshot = after
    return snapshot


@pytest.fixture
def sec(db, secretariat):
    load_public_record()
    return client_for(secretariat)


def test_patching_any_agreement_field_keeps_the_others(world, sec):
    resp = sec.post(
        f"{BASE}/agreements/",
        {
            "code": "full-mou",
            "kind": "memorandum",
            "title_en": "Full MoU",
            "title_zh_hant": "備忘錄",
            "title_zh_hans": "备忘录",
            "parties": ["most", "hksar"],
            "signed_on": "2020-01-01",
            "signed_at": "Hong Kong",
            "signatories": "A; B",
            "areas": ["joint-funding"],
            "summary": "Summary",
            "full_text": "Text",
            "status": "in_force",
            "valid_until": "2030-01-01",
            "source_url": "https://example.org/mou",
            "confidence": "C",
        },
        format="json",
    )
    assert resp.status_code == 201, resp.content
    final = patch_each_field(sec, world, f"{BASE}/agreements/full-mou/", api.AgreementSerializer)
    assert Agreement.objects.get(code=final["code"]).parties.count() == len(final["parties"]) >= 1


def test_patching_any_workplan_field_keeps_the_others(world, sec):
    resp = sec.post(
        f"{BASE}/workplans/",
        {
            "code": "wp-full",
            "title_en": "Workplan",
            "title_zh_hant": "工作計劃",
            "title_zh_hans": "工作计划",
            "period": "2026",
            "starts_on": "2026-01-01",
            "ends_on": "2027-12-31",
            "approved_at": 18,
            "agreement": "miit-2024",
            "source_url": "https://example.org/wp",
        },
        format="json",
    )
    assert resp.status_code == 201, resp.content
    final = patch_each_field(sec, world, f"{BASE}/workplans/wp-full/", api.WorkplanSerializer)
    assert Workplan.objects.get(code=final["code"]).agreement is not None


def test_patching_any_workplan_item_field_keeps_the_others_and_the_call_links(world, sec):
    sec.post(
        f"{BASE}/workplans/",
        {"code": "wp-items", "title_en": "Items", "period": "2026"},
        format="json",
    )
    resp = sec.post(
        f"{BASE}/workplan-items/",
        {
            "workplan": "wp-items",
            "area": "joint-funding",
            "number": "i",
            "text_en": "Fund two",
            "text_zh_hant": "資助兩項",
            "text_zh_hans": "资助两项",
            "owner": "MOST",
            "target": "2",
            "metric_code": "funding.projects_funded",
            "call_ids": [world.call.pk],
            "source_url": "https://example.org/item",
        },
        format="json",
    )
    assert resp.status_code == 201, resp.content
    item = WorkplanItem.objects.get(pk=resp.json()["id"])
    item.metric_filters = {**item.metric_filters, "year": 2026}  # a filter set on the page
    item.save(update_fields=["metric_filters"])

    def links_kept(_name):
        filters = WorkplanItem.objects.get(pk=item.pk).metric_filters
        assert filters.get("year") == 2026 and filters.get("call_ids"), filters

    patch_each_field(
        sec, world, f"{BASE}/workplan-items/{item.pk}/", api.ItemSerializer, links_kept
    )


def test_patch_of_the_text_alone_keeps_the_call_links(world, sec):
    """The reported case: PATCH of a linked item wiped ``metric_filters`` to {}."""
    sec.post(
        f"{BASE}/workplans/", {"code": "wp-x", "title_en": "X", "period": "2026"}, format="json"
    )
    pk = sec.post(
        f"{BASE}/workplan-items/",
        {
            "workplan": "wp-x",
            "area": "joint-funding",
            "number": "i",
            "text_en": "Fund two",
            "target": "2",
            "metric_code": "funding.projects_funded",
            "call_ids": [world.call.pk],
        },
        format="json",
    ).json()["id"]
    assert (
        sec.patch(
            f"{BASE}/workplan-items/{pk}/", {"text_en": "Fund three"}, format="json"
        ).status_code
        == 200
    )
    assert WorkplanItem.objects.get(pk=pk).metric_filters == {"call_ids": [world.call.pk]}
    assert (
        sec.patch(f"{BASE}/workplan-items/{pk}/", {"call_ids": []}, format="json").status_code
        == 200
    )
    assert WorkplanItem.objects.get(pk=pk).metric_filters == {}  # emptied on purpose: all calls


def test_the_funding_and_project_apis_have_no_partial_updates_to_get_wrong(world, make_ready_pair):
    """Their serializers are read-only: a PATCH is refused outright (405), so it cannot drop anything."""
    from sciencebridge.api.views import ProposalViewSet
    from sciencebridge.projects.api import OutcomeViewSet, ProjectViewSet, ReportViewSet

    for viewset in (ProposalViewSet, ProjectViewSet, ReportViewSet, OutcomeViewSet):
        assert not hasattr(viewset, "partial_update") and not hasattr(viewset, "update"), viewset
    p = make_ready_pair()
    resp = client_for(world.hk_lead).patch(
        f"/api/v1/proposals/{p.reference}/", {"title": "x"}, format="json"
    )
    assert resp.status_code == 405


def test_item_text_is_bounded(world, sec):
    sec.post(
        f"{BASE}/workplans/",
        {"code": "wp-long", "title_en": "Long", "period": "2026"},
        format="json",
    )
    resp = sec.post(
        f"{BASE}/workplan-items/",
        {"workplan": "wp-long", "area": "joint-funding", "number": "i", "text_en": "x" * 50_000},
        format="json",
    )
    assert resp.status_code == 400 and "2000" in str(resp.json()["text_en"])
    assert not WorkplanItem.objects.filter(workplan__code="wp-long").exists()
