"""``any_rows`` answers ``qs.exists()`` for several querysets in one query; ``probed`` lets a dashboard
panel skip its queries only when the dashboard found its probe empty. (That every probe is a
necessary condition for its panel is checked on the demo data, where every role has rows:
``test_seed.test_seed_demo_builds_every_state_with_timelines``.)"""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sciencebridge.core.probes import Counted, any_rows, probe_dashboard, probe_request, probed
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.funding.models import ProposalHalf, TeamMember
from sciencebridge.funding.tests.test_officer_list import _pairs
from sciencebridge.institutions.models import Institution

pytestmark = pytest.mark.django_db


@pytest.fixture
def halves(world):
    _pairs(world, [(f"P-{i}", f"T{i}", "submitted", "eligible", ["10"], i) for i in range(3)])
    return ProposalHalf.objects.all()


def test_each_answer_is_whether_its_queryset_has_a_row(halves):
    probes = {
        "ml": halves.filter(side="ML"),
        "none eligible on hk": halves.filter(side="HK", state="draft"),
        "ordered and sliced": halves.order_by("-id")[:1],
        "institutions": Institution.objects.filter(code__isnull=False),
    }
    with CaptureQueriesContext(connection) as ctx:
        answers = any_rows(probes)
    assert answers == {name: qs.exists() for name, qs in probes.items()}
    assert answers == {
        "ml": True,
        "none eligible on hk": False,
        "ordered and sliced": True,
        "institutions": True,
    }
    assert len(ctx.captured_queries) == 1


def test_a_list_is_answered_yes_when_one_of_its_querysets_has_a_row(halves, world):
    nobody = UserFactory()
    lead = halves.filter(lead__isnull=False).first().lead
    answers = any_rows(
        {
            "lead": [ProposalHalf.objects.filter(lead=lead), TeamMember.objects.filter(user=lead)],
            "nobody": [
                ProposalHalf.objects.filter(lead=nobody),
                TeamMember.objects.filter(user=nobody),
            ],
            "second only": [ProposalHalf.objects.filter(lead=nobody), halves],
        }
    )
    assert answers == {"lead": True, "nobody": False, "second only": True}


def test_querysets_empty_by_construction_are_not_sent():
    with CaptureQueriesContext(connection) as ctx:
        assert any_rows(
            {"none": ProposalHalf.objects.none(), "both": [ProposalHalf.objects.none()]}
        ) == {
            "none": False,
            "both": False,
        }
        assert any_rows({}) == {}
    assert ctx.captured_queries == []


def test_a_panel_skips_only_what_the_dashboard_found_empty(halves):
    request = RequestFactory().get("/dashboard/")
    assert probed(request, "anything")  # nothing answered: the panel does its full work

    class Module:
        @staticmethod
        def probes(user):
            return {"a.yes": halves, "a.no": halves.none(), "a.empty": halves.filter(pk=0)}

    class Without:  # a dashboard module without probes
        pass

    request.user = UserFactory()
    probe_dashboard(request, [Module, Without])
    assert probed(request, "a.yes")
    assert not probed(request, "a.no") and not probed(request, "a.empty")
    assert probed(request, "b.unknown")


def _probe_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT (EXISTS(") or "experts_expertprofile" in q["sql"]
    ]


def test_the_navigation_asks_its_probes_in_one_query_and_the_dashboard_with_its_own(client, world):
    """An applicant's "My reviews" and "My projects" entries depend on an expert profile and a led
    project side: one query answers both on any page; on the dashboard, the dashboard's query."""
    client.force_login(world.hk_lead)
    (on_a_page,) = _probe_queries(client, reverse("funding:calls"))
    assert "experts_expertprofile" in on_a_page and "projects_projectside" in on_a_page
    (on_the_dashboard,) = _probe_queries(client, reverse("core:dashboard"))
    assert "funding_partnerinvitation" in on_the_dashboard  # a dashboard probe, in the same query
    assert "experts_expertprofile" in on_the_dashboard


def test_an_officer_page_that_read_the_profile_asks_no_probe_for_it(client, world):
    """The officer's list reads the officer's expert profile (conflicts of interest): the navigation
    uses it, with no probe."""
    client.force_login(world.itc_officer)
    queries = _probe_queries(client, reverse("funding:officer_proposals", args=[world.call.code]))
    assert not any(q.startswith("SELECT (EXISTS(") for q in queries), queries


def test_a_counted_probe_is_answered_with_its_number_of_rows_in_the_same_query(halves):
    from sciencebridge.core.probes import Counted

    probes = {
        "ml": Counted(halves.filter(side="ML")),
        "none": Counted(halves.filter(side="HK", state="draft")),
        "empty by construction": Counted(halves.none()),
        "any hk": halves.filter(side="HK"),
    }
    with CaptureQueriesContext(connection) as ctx:
        answers = any_rows(probes)
    assert len(ctx.captured_queries) == 1
    assert answers == {"ml": 3, "none": 0, "empty by construction": 0, "any hk": True}
    assert answers["ml"] == halves.filter(side="ML").count()


def test_the_unread_notifications_come_with_the_pages_probes(world, client):
    from sciencebridge.notifications.models import Notification

    for n in range(2):
        Notification.objects.create(
            recipient=world.hk_lead, email="a@example.org", subject=f"s{n}", body="b"
        )
    client.force_login(world.hk_lead)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("funding:calls")).content.decode()
    assert "Notifications (2)" in html
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]


# ---- the probes' statement kept per user ------------------------------------------------------


def _counting(builder):
    """A dashboard module whose ``probes`` are ``builder(user)``, counting how often it is built."""

    class Module:
        built = 0

        @classmethod
        def probes(cls, user):
            cls.built += 1
            return builder(user)

    return Module


def _ask(user, modules) -> dict:
    request = RequestFactory().get("/dashboard/")
    request.user = user
    probe_request(request, modules)
    return request.probes


def _notify(user):
    from sciencebridge.notifications.models import Notification

    Notification.objects.create(recipient=user, email="a@example.org", subject="s", body="b")


def _unread(user):
    from sciencebridge.notifications.models import Notification

    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def test_a_users_probes_are_built_once_and_answered_afresh_on_every_request(world):
    user, other = world.hk_lead, UserFactory()
    module = _counting(lambda u: {"unread": Counted(_unread(u)), "any": _unread(u)})
    assert _ask(user, [module]) == {"unread": 0, "any": False}
    _notify(user)
    with CaptureQueriesContext(connection) as ctx:
        assert _ask(user, [module]) == {"unread": 1, "any": True}
    assert module.built == 1  # the statement kept, the rows read again
    assert len(ctx.captured_queries) == 1
    assert _ask(other, [module]) == {"unread": 0, "any": False}  # another user: their own
    assert module.built == 2
    user.grant_role("programme_officer")  # other roles: built again (a builder may branch on them)
    assert _ask(user, [module]) == {"unread": 1, "any": True}
    assert module.built == 3


def _reads_the_database(user):
    first = list(Institution.objects.order_by("pk").values_list("pk", flat=True)[:1])
    return {"probe": Institution.objects.filter(pk__in=first)}


def _reads_the_clock(user):
    from django.utils import timezone

    return {"probe": _unread(user).filter(created_at__lte=timezone.now())}


def _reads_a_related_object(user):
    return {"probe": Institution.objects.filter(code=user.institution.code)}


def _reads_the_request_cache(user):
    from sciencebridge.funding.selectors import applicant_proposal_ids

    ids = [0, *applicant_proposal_ids(user)]
    return {"probe": ProposalHalf.objects.filter(proposal_id__in=ids)}


@pytest.mark.parametrize(
    "builder",
    [_reads_the_database, _reads_the_clock, _reads_a_related_object, _reads_the_request_cache],
)
def test_probes_that_read_more_than_the_user_are_built_on_every_request(world, builder):
    from sciencebridge.accounts.models import User
    from sciencebridge.core.request_cache import RequestCacheMiddleware
    from sciencebridge.funding.selectors import applicant_proposal_ids

    user = User.objects.get(pk=world.hk_lead.pk)  # as a request has it: no institution read yet
    assert user.institution_id
    module = _counting(builder)

    def page(request):  # as in a request: the proposals the user is on already asked for
        applicant_proposal_ids(user)
        return _ask(user, [module])

    first = RequestCacheMiddleware(page)(None)
    second = RequestCacheMiddleware(page)(None)
    assert first == second == any_rows(builder(user))
    assert module.built == 2  # on each request: nothing kept


def test_an_ordinary_page_keeps_the_navigations_probes_and_counts_afresh(
    client, world, monkeypatch
):
    """Pages other than the dashboard hand the navigation Django's lazy user: its probes are kept
    all the same, and the unread notifications are counted on every request."""
    from sciencebridge.core.testing.spies import record_calls
    from sciencebridge.notifications import nav

    built = record_calls(monkeypatch, nav, "probes", lambda user: user.pk)
    client.force_login(world.hk_lead)
    assert "Notifications (1)" not in client.get(reverse("funding:calls")).content.decode()
    _notify(world.hk_lead)
    for _ in range(2):
        assert "Notifications (1)" in client.get(reverse("funding:calls")).content.decode()
    assert built == [world.hk_lead.pk]
