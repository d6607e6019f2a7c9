"""The officer's list of a call (issue 15): every column sorts (whitelisted), the requested budget shows
and sorts, headers keep the filters and page, the query count stays flat, the call page links to it."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from djmoney.money import Money

from sciencebridge.core.money import format_money
from sciencebridge.funding import selectors
from sciencebridge.funding.models import BudgetLine, JointProposal, ProposalHalf

pytestmark = pytest.mark.django_db


def _pairs(world, specs):
    """Submitted pairs from (reference, title, hk_state, ml_state, hk_budget, days_ago) rows."""
    now = timezone.now()
    for ref, title, hk_state, ml_state, budget, days in specs:
        p = JointProposal.objects.create(
            call=world.call,
            reference=ref,
            title=title,
            abstract="a",
            duration_months=12,
            created_by=world.hk_lead,
        )
        hk = ProposalHalf.objects.create(
            proposal=p,
            side="HK",
            agency=world.itc,
            institution=world.astri,
            lead=world.hk_lead,
            state=hk_state,
            submitted_at=now - dt.timedelta(days=days),
        )
        ProposalHalf.objects.create(
            proposal=p,
            side="ML",
            agency=world.most,
            institution=world.tsinghua,
            lead=world.ml_lead,
            state=ml_state,
            submitted_at=None if ml_state == "draft" else now,
        )
        if budget:
            for part in budget:
                BudgetLine.objects.create(
                    half=hk, category="staff", amount=Money(Decimal(part), "HKD")
                )
        # A line in the other side's currency is not part of what the half asks for.
        BudgetLine.objects.create(half=hk, category="staff", amount=Money(Decimal(1), "CNY"))


@pytest.fixture
def listed(world):
    _pairs(
        world,
        [
            ("R-003", "Beta", "submitted", "draft", ["300000", "5000.50"], 3),
            ("R-001", "Gamma", "eligible", "submitted", ["100000"], 1),
            ("R-002", "Alpha", "submitted", "eligible", ["900000"], 5),
        ],
    )
    return world


def _url(world, **params):
    from urllib.parse import urlencode

    base = reverse("funding:officer_proposals", args=[world.call.code])
    return base + ("?" + urlencode(params) if params else "")


def _refs(client, url):
    body = client.get(url).content.decode()
    return re.findall(r">(R-\d{3})</a>", body)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["R-001", "R-002", "R-003"]),
        ("reference", ["R-001", "R-002", "R-003"]),
        ("-reference", ["R-003", "R-002", "R-001"]),
        ("title", ["R-002", "R-003", "R-001"]),
        ("-title", ["R-001", "R-003", "R-002"]),
        ("budget", ["R-001", "R-003", "R-002"]),
        ("-budget", ["R-002", "R-003", "R-001"]),
        ("submitted", ["R-002", "R-003", "R-001"]),
        ("-submitted", ["R-001", "R-003", "R-002"]),
        # workflow order: submitted before eligible; ties broken by reference
        ("state", ["R-002", "R-003", "R-001"]),
        ("-state", ["R-001", "R-002", "R-003"]),
        # partner: not yet submitted first, then submitted, then eligible
        ("partner", ["R-003", "R-001", "R-002"]),
        ("-partner", ["R-002", "R-001", "R-003"]),
        # same institution and no area everywhere: the reference decides, in both directions
        ("institution", ["R-001", "R-002", "R-003"]),
        ("-institution", ["R-001", "R-002", "R-003"]),
        ("area", ["R-001", "R-002", "R-003"]),
        ("-area", ["R-001", "R-002", "R-003"]),
        # unknown values: the default order, never an error
        ("bogus", ["R-001", "R-002", "R-003"]),
        ("-proposal__lead__password", ["R-001", "R-002", "R-003"]),
        ("--title", ["R-001", "R-002", "R-003"]),
    ],
)
def test_every_column_sorts(listed, client, sort, expected):
    client.force_login(listed.itc_officer)
    assert _refs(client, _url(listed, sort=sort)) == expected


def test_institution_and_area_sort_by_the_shown_name(listed, client):
    from sciencebridge.core.testing.factories import InstitutionFactory

    zeta = InstitutionFactory(code="zeta", name="Zeta Institute", short_name="AAA", region="HK")
    ProposalHalf.objects.filter(proposal__reference="R-003", side="HK").update(institution=zeta)
    areas = list(listed.scheme.areas.all()[:2])
    if len(areas) == 2:
        first, second = sorted(areas, key=lambda a: a.name)
        JointProposal.objects.filter(reference="R-002").update(area=second)
        JointProposal.objects.filter(reference="R-001").update(area=first)
    client.force_login(listed.itc_officer)
    # "AAA" (the short name English pages show) before "ASTRI"
    assert _refs(client, _url(listed, sort="institution")) == ["R-003", "R-001", "R-002"]
    assert _refs(client, _url(listed, sort="-institution")) == ["R-001", "R-002", "R-003"]
    if len(areas) == 2:
        # no area first (empty), then by name
        assert _refs(client, _url(listed, sort="area")) == ["R-003", "R-001", "R-002"]


def test_budget_shown_in_the_half_currency(listed, client):
    client.force_login(listed.itc_officer)
    body = client.get(_url(listed)).content.decode()
    cells = re.findall(r'<td class="num budget">(.*?)</td>', body)
    assert len(cells) == 3
    # both HKD lines, not the CNY one
    assert cells[2] == html.escape(format_money(Decimal("305000.50"), "HKD")) == "HK$305,000.50"
    assert cells[0] == html.escape(format_money(Decimal("100000"), "HKD"))
    total = selectors.officer_halves(listed.itc_officer, listed.call).get(
        proposal__reference="R-003"
    )
    assert total.requested_budget == Decimal("305000.50")


def _headers(body):
    ths = re.findall(r"<th scope=\"col\" class=\"col-(\w+)\"([^>]*)><a href=\"([^\"]*)\">", body)
    return {key: (attrs, html.unescape(href)) for key, attrs, href in ths}


def test_headers_toggle_and_keep_the_other_params(listed, client):
    client.force_login(listed.itc_officer)
    heads = _headers(client.get(_url(listed, state="submitted", page="1")).content.decode())
    assert set(heads) == set(selectors.OFFICER_SORT_KEYS)
    # the default order is by reference: that header is active, ascending
    assert 'aria-sort="ascending"' in heads["reference"][0]
    assert "aria-sort" not in heads["title"][0]
    assert "sort=-reference" in heads["reference"][1]
    title_href = heads["title"][1]
    assert "sort=title" in title_href and "state=submitted" in title_href and "page=1" in title_href

    heads = _headers(client.get(_url(listed, state="submitted", sort="title")).content.decode())
    assert 'aria-sort="ascending"' in heads["title"][0]
    assert "aria-sort" not in heads["reference"][0]
    assert "sort=-title" in heads["title"][1] and "state=submitted" in heads["title"][1]

    heads = _headers(client.get(_url(listed, sort="-budget")).content.decode())
    assert 'aria-sort="descending"' in heads["budget"][0]
    assert "sort=budget" in heads["budget"][1] and "sort=-budget" not in heads["budget"][1]


def test_filter_and_sort_together(listed, client):
    client.force_login(listed.itc_officer)
    assert _refs(client, _url(listed, state="submitted", sort="-budget")) == ["R-002", "R-003"]
    # The per-state counts are not changed by the annotations (one row per state).
    body = client.get(_url(listed, sort="-budget")).content.decode()
    assert "Submitted: 2</span>" in body and "Screened: eligible: 1</span>" in body


def test_pager_keeps_sort_and_filters(listed, client, monkeypatch):
    from sciencebridge.funding import views

    real = views.Paginator
    monkeypatch.setattr(views, "Paginator", lambda qs, n: real(qs, 2))
    client.force_login(listed.itc_officer)
    body = client.get(_url(listed, sort="-title", q="a")).content.decode()
    nxt = html.unescape(re.search(r'<nav class="pager">.*?<a href="([^"]*)">›', body).group(1))
    assert "sort=-title" in nxt and "q=a" in nxt and nxt.count("page=") == 1
    assert _refs(client, _url(listed, sort="-title", page=2)) == ["R-002"]


@pytest.mark.parametrize("sort", ["partner", "-budget", "institution", "area"])
def test_query_count_constant(world, client, django_assert_max_num_queries, sort):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.itc_officer)
    specs = [(f"R-{i:03d}", f"T{i}", "submitted", "submitted", ["1000"], i) for i in range(1, 13)]
    _pairs(world, specs[:3])
    url = _url(world, sort=sort)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    small = len(ctx.captured_queries)
    _pairs(world, specs[3:])
    with django_assert_max_num_queries(small):
        body = client.get(url).content.decode()
    assert len(re.findall(r">(R-\d{3})</a>", body)) == 12


def test_call_page_links_officers_of_the_call_only(world, client):
    from sciencebridge.accounts.roles import Role
    from sciencebridge.core.testing.factories import AgencyFactory, UserFactory

    url = reverse("funding:call", args=[world.call.code])
    target = reverse("funding:officer_proposals", args=[world.call.code])
    rgc = AgencyFactory(code="rgc", name="Research Grants Council", short_name="RGC", region="HK")
    other = UserFactory(username="rgc_officer", agency=rgc, roles=[Role.PROGRAMME_OFFICER])
    admin = UserFactory(username="su", is_superuser=True, is_staff=True)
    for user, shown in (
        (world.itc_officer, True),
        (world.most_officer, True),
        (other, False),
        (world.hk_lead, False),
        (world.hk_office, False),
        (admin, False),  # the list is for officers of the call's agencies: a superuser gets a 403
    ):
        client.force_login(user)
        assert (target in client.get(url).content.decode()) is shown, user.username
        assert (client.get(target).status_code == 200) is shown, user.username
    client.logout()
    assert target not in client.get(url).content.decode()


# ---------------------------------------------------------------------------------------------------
# Issue 16: a page is chosen on narrow id rows, then only its halves are loaded
# ---------------------------------------------------------------------------------------------------
def _many(world, n):
    """``n`` pairs with distinct budgets, states and partner states, so every sort has something to do."""
    states = ["submitted", "eligible", "endorsed", "ineligible"]
    _pairs(
        world,
        [
            (
                f"M-{i:03d}",
                f"Title {(i * 37) % n:03d}",
                states[i % 4],
                ["draft", "submitted", "eligible"][i % 3],
                [str(1000 * ((i * 53) % n + 1))],
                i % 9,
            )
            for i in range(n)
        ],
    )


@pytest.mark.parametrize("sort", ["", "-budget", "partner", "-state", "title", "-submitted"])
def test_pages_together_are_the_whole_sorted_list(world, client, sort):
    """Page 1 and page 2 (50 rows each) are exactly the full query's order, cut in two, whatever the
    sort: the page's ids come from the narrow query, the rows from another one."""
    _many(world, 70)
    client.force_login(world.itc_officer)
    expected = list(
        selectors.officer_halves(world.itc_officer, world.call, sort=sort).values_list(
            "proposal__reference", flat=True
        )
    )
    assert len(expected) == 70
    shown = []
    for page in (1, 2):
        body = client.get(_url(world, sort=sort, page=page)).content.decode()
        shown += re.findall(r">(M-\d{3})</a>", body)
    assert shown == expected


def test_count_with_and_without_filters(world, client):
    """Unfiltered, the list's length is the sum of the per-state counts (no COUNT query of its own);
    filtered, it is counted."""
    _many(world, 8)  # states cycle submitted, eligible, endorsed, ineligible
    client.force_login(world.itc_officer)
    assert client.get(_url(world)).context["page"].paginator.count == 8
    eligible = client.get(_url(world, state="eligible"))
    assert eligible.context["page"].paginator.count == 2
    assert re.findall(r">(M-\d{3})</a>", eligible.content.decode()) == ["M-001", "M-005"]


def test_each_half_carries_its_proposals_call(world):
    """``ProposalHalf.call`` is copied from the proposal on save; a bulk insert that forgets it fails
    (the column is NOT NULL) rather than hiding the half from its call's lists."""
    from django.db import IntegrityError, transaction

    _many(world, 2)
    for half in ProposalHalf.objects.select_related("proposal"):
        assert half.call_id == half.proposal.call_id == world.call.pk
    p = JointProposal.objects.create(
        call=world.call,
        reference="NO-CALL",
        title="t",
        abstract="a",
        duration_months=12,
        created_by=world.hk_lead,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalHalf.objects.bulk_create([ProposalHalf(proposal=p, side="HK", agency=world.itc)])


def test_the_call_comes_with_its_schemes_sides_and_an_unknown_code_with_none(
    world, django_assert_num_queries
):
    from sciencebridge.funding.selectors import call_with_sides

    with django_assert_num_queries(2):  # the call with its scheme, the sides
        call = call_with_sides(world.call.code)
    with django_assert_num_queries(0):
        sides = sorted((s.side, s.agency_id) for s in call.scheme.sides.all())
        assert call.scheme.side("HK").agency_id == world.itc.pk
    assert call.pk == world.call.pk
    assert sides == sorted(world.scheme.sides.values_list("side", "agency_id"))
    assert call_with_sides("no-such-call") is None


def test_an_agencys_calls_read_once_compiled_are_calls_of_agency(world):
    from sciencebridge.accounts.roles import Role
    from sciencebridge.core.testing.factories import AgencyFactory, UserFactory, make_call
    from sciencebridge.funding.selectors import agency_calls, calls_of_agency

    second = make_call(world.scheme, code="second-call", closes_in_days=40)
    rgc = AgencyFactory(code="rgc", name="RGC", region="HK")
    stranger = UserFactory(username="rgc_officer", agency=rgc, roles=[Role.PROGRAMME_OFFICER])
    for user in (world.itc_officer, world.most_officer, stranger, world.hk_lead):
        assert [c.pk for c in agency_calls(user)] == [c.pk for c in calls_of_agency(user)]
    assert {c.pk for c in agency_calls(world.itc_officer)} == {world.call.pk, second.pk}
    assert agency_calls(stranger) == () and agency_calls(world.hk_lead) == ()
