"""The officer's list keeps its counts, institutions and order between requests
(``funding.officer_list``): the pages are the same as computed afresh, and every write that changes
the list is seen on the next request."""

import re

import pytest
from django.utils import timezone

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.core.testing.spies import record_calls
from sciencebridge.core.workflow import transition
from sciencebridge.funding import officer_list, selectors
from sciencebridge.funding.models import JointProposal, ProposalHalf

from .test_officer_conflicts import _declare
from .test_officer_list import _pairs, _url

pytestmark = pytest.mark.django_db


@pytest.fixture
def orderings(monkeypatch):
    """The sorts actually computed (not answered from kept ids)."""
    return record_calls(
        monkeypatch, selectors, "sorted_half_ids", lambda rows, sort=None, call=None: sort
    )


@pytest.fixture
def listed(world):
    _pairs(
        world,
        [
            (f"K-{i:03d}", f"Title {(i * 7) % 12:02d}", "submitted", "submitted", ["1000"], i)
            for i in range(12)
        ],
    )
    return world


def _refs(client, url, **headers):
    body = client.get(url, **headers).content.decode()
    return re.findall(r">(K-\d{3})</a>", body)


def _expected(world, officer=None, **kw):
    rows = selectors.officer_halves(officer or world.itc_officer, world.call, **kw)
    return list(rows.values_list("proposal__reference", flat=True))


def _counts(response) -> dict:
    return {state: n for state, _label, n in response.context["counts"]}


def test_the_kept_list_is_the_fresh_one_and_is_computed_once(listed, client, orderings):
    client.force_login(listed.itc_officer)
    for sort in ("", "-title", "title"):
        first, again = (
            _refs(client, _url(listed, sort=sort)),
            _refs(client, _url(listed, sort=sort)),
        )
        assert first == again == _expected(listed, sort=sort)
    assert orderings == ["reference", "-title", "title"]


def test_a_warm_page_reads_no_list_wide_query(listed, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    wide = (
        'DISTINCT "funding_proposalhalf"."institution_id"',  # the filter's institutions
        'COUNT("funding_proposalhalf"."id") AS "n"',  # the per-state counts
        'SELECT "funding_proposalhalf"."id" AS "pk" FROM',  # the ids of the whole list, sorted
    )
    client.force_login(listed.itc_officer)
    for cold in (True, False):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(_url(listed))
        sql = "\n".join(q["sql"] for q in ctx.captured_queries)
        assert [w in sql for w in wide] == [cold] * 3
        assert response.context["page"].paginator.count == 12


def test_a_state_change_is_seen_even_under_a_frozen_clock(listed, client, monkeypatch, orderings):
    """Every transition records a step, whose id is in the stamp: equal timestamps do not hide it."""
    frozen = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    client.force_login(listed.itc_officer)
    assert _counts(client.get(_url(listed))) == {"submitted": 12}
    assert _refs(client, _url(listed, state="eligible")) == []
    half = ProposalHalf.objects.get(proposal__reference="K-004", side="HK")
    transition(half, "eligible", actor=listed.itc_officer)
    assert _counts(client.get(_url(listed))) == {"submitted": 11, "eligible": 1}
    assert _refs(client, _url(listed, state="eligible")) == ["K-004"]
    assert _refs(client, _url(listed, sort="state"))[-1] == "K-004"


def test_a_new_half_is_seen(listed, client):
    """A half added to a proposal that already exists (its Hong Kong side, after the Mainland one):
    the proposal itself is not saved again."""
    _pairs(listed, [("K-100", "New", "submitted", "submitted", ["5"], 0)])
    late = ProposalHalf.objects.get(proposal__reference="K-100", side="HK")
    late.delete()
    client.force_login(listed.itc_officer)
    assert len(_refs(client, _url(listed))) == 12
    late.pk = None
    late.save()
    response = client.get(_url(listed))
    assert re.findall(r">(K-\d{3})</a>", response.content.decode())[-1] == "K-100"
    assert response.context["page"].paginator.count == 13


def test_an_edited_title_reorders_the_title_sort(listed, client):
    client.force_login(listed.itc_officer)
    assert _refs(client, _url(listed, sort="title"))[0] == "K-000"  # "Title 00"
    p = JointProposal.objects.get(reference="K-011")
    p.title = "Aardvark"
    p.save()
    assert _refs(client, _url(listed, sort="title"))[0] == "K-011"


def test_an_officer_with_a_conflict_never_gets_anothers_list(listed, client):
    """Two officers of the same agency: the one without a conflict fills the kept values first; the
    conflicted one still does not see the proposal, in the rows, the counts or the pages."""
    colleague = UserFactory(
        username="itc2", agency=listed.itc, roles=[Role.PROGRAMME_OFFICER], email="itc2@x.hk"
    )
    client.force_login(listed.itc_officer)
    assert len(_refs(client, _url(listed, sort="-title"))) == 12
    assert _counts(client.get(_url(listed))) == {"submitted": 12}
    _declare(colleague, person_email=listed.hk_lead.email)  # lead of every proposal here
    client.force_login(colleague)
    assert _refs(client, _url(listed, sort="-title")) == []
    assert _counts(client.get(_url(listed))) == {}
    # and the first officer's list is untouched by the colleague's
    client.force_login(listed.itc_officer)
    assert _refs(client, _url(listed, sort="-title")) == _expected(listed, sort="-title")


def test_a_removed_half_leaves_the_page_and_the_kept_values(listed, client, orderings):
    """Removing a proposal is seen at once in this process (the receiver); in another process,
    which no signal reaches, the page leaves the missing half out and drops the call's values."""
    client.force_login(listed.itc_officer)
    assert len(_refs(client, _url(listed))) == 12
    JointProposal.objects.get(reference="K-003").delete()
    assert "K-003" not in _refs(client, _url(listed))
    assert client.get(_url(listed)).context["page"].paginator.count == 11
    assert len(orderings) == 2

    from django.db.models.signals import post_delete

    post_delete.disconnect(officer_list.forget_removed_half, sender=ProposalHalf)
    try:
        JointProposal.objects.get(reference="K-005").delete()
        stale = _refs(client, _url(listed))  # the kept ids still hold K-005: left out of the page
        assert "K-005" not in stale and len(stale) == 10
        assert len(orderings) == 2
        assert client.get(_url(listed)).context["page"].paginator.count == 10  # counted afresh
        assert len(orderings) == 3
    finally:
        post_delete.connect(officer_list.forget_removed_half, sender=ProposalHalf)


def test_orders_by_a_translated_name_are_kept_per_language(listed, client, orderings):
    client.force_login(listed.itc_officer)
    for lang in ("en", "zh-hant", "en"):
        client.get(_url(listed, sort="institution"), HTTP_ACCEPT_LANGUAGE=lang)
    client.get(_url(listed, sort="title"), HTTP_ACCEPT_LANGUAGE="zh-hant")
    client.get(_url(listed, sort="title"), HTTP_ACCEPT_LANGUAGE="en")
    assert orderings == ["institution", "institution", "title"]


def test_the_filters_choices_are_kept_per_language_and_follow_a_new_half(
    listed, client, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from sciencebridge.funding.forms import officer_filter_choices
    from sciencebridge.institutions.models import Institution

    computed = record_calls(
        monkeypatch, officer_list, "officer_filter_choices", lambda call, ids: sorted(ids)
    )
    client.force_login(listed.itc_officer)

    def choices(lang):
        form = client.get(_url(listed), HTTP_ACCEPT_LANGUAGE=lang).context["form"]
        return form.fields["area"].choices[1:], form.fields["institution"].choices[1:]

    received = ProposalHalf.objects.filter(call=listed.call, agency=listed.itc_officer.agency)
    ids = sorted(set(received.values_list("institution_id", flat=True)))
    Institution.objects.filter(pk__in=ids).update(name_zh_hant="香港應用科技研究院")
    for lang in ("en", "zh-hant", "en", "zh-hant"):
        with translation.override(lang):
            fresh = officer_filter_choices(listed.call, ids)
        assert choices(lang) == tuple(map(list, fresh))
    assert choices("en") != choices("zh-hant")  # the institution's name in the page's language
    assert computed == [ids] * 2  # once per language
    with CaptureQueriesContext(connection) as ctx:
        client.get(_url(listed))
    assert not [q for q in ctx.captured_queries if 'FROM "funding_thematicarea"' in q["sql"]]
    assert not [q for q in ctx.captured_queries if 'FROM "institutions_institution"' in q["sql"]]
    _pairs(listed, [("K-100", "New", "submitted", "submitted", ["5"], 0)])  # a new half: new stamp
    choices("en")
    assert len(computed) == 3
