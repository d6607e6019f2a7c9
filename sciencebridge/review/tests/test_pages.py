import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.kept import page_and_reads
from sciencebridge.review.models import Assignment, AssignmentState, ReviewState, RunState
from sciencebridge.review.services import invitations as inv

from .conftest import TOPICS, make_eligible, make_expert

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_officer_runs_inspects_edits_and_publishes(rw, client, django_capture_on_commit_callbacks):
    login(client, rw.itc_officer)
    page = client.get(reverse("review:call", args=[rw.call.code]))
    assert page.status_code == 200 and b"Run the assignment" in page.content
    assert (
        b"side-hk" in page.content and b"side-ml" not in page.content
    )  # only the officer's own side
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("review:start_run", args=[rw.call.code, "hk"]), {"mode": "optimal"})
    run_url = r.url
    run = rw.call.assignment_runs.get()
    assert run_url == reverse("review:run", args=[run.pk])
    status = client.get(reverse("review:run_status", args=[run.pk])).json()
    assert (
        status["state"] == "done"
        and status["percent"] == 100
        and status["run_state"] == RunState.PROPOSED
    )
    page = client.get(run_url)
    content = page.content.decode()
    assert "Publish invitations" in content and "Why chosen" in content
    assert "Excluded for conflicts of interest" in content and "Astriexpert" in content
    # Adding the conflicted expert by hand is refused with the reason.
    unit = f"h{rw.proposals[0].half('HK').pk}"
    r = client.post(
        reverse("review:add_reviewer", args=[run.pk]),
        {"unit": unit, "expert": rw.conflicted.pk},
        follow=True,
    )
    assert "Conflict of interest" in r.content.decode()
    assert not Assignment.objects.filter(expert=rw.conflicted).exists()
    r = client.post(reverse("review:publish", args=[run.pk]), follow=True)
    assert "12 invitations sent" in r.content.decode()
    assert Assignment.objects.filter(state=AssignmentState.INVITED).count() == 12


def test_other_agency_and_experts_get_404_on_officer_pages(published, client):
    rw = published.world
    run = published.run
    for user in (rw.most_officer, rw.hk_lead, rw.experts["HK"][0].user):
        login(client, user)
        assert client.get(reverse("review:run", args=[run.pk])).status_code == 404
        assert client.get(reverse("review:run_status", args=[run.pk])).status_code == 404
        assert client.post(reverse("review:publish", args=[run.pk])).status_code == 404
        assert (
            client.post(reverse("review:start_run", args=[rw.call.code, "hk"])).status_code == 404
        )


def test_expert_accepts_confirms_and_submits_review(published, client):
    rw = published.world
    a = published.run.assignments.select_related("expert__user").first()
    login(client, a.expert.user)
    mine = client.get(reverse("review:mine"))
    assert a.proposal.reference in mine.content.decode()
    page = client.get(reverse("review:respond", args=[a.token]))
    # Issue 15: the abstract helps the expert decide whether to accept; the conflict check ran first
    # (a conflicted expert gets 404 here, see below).
    assert page.status_code == 200 and a.proposal.abstract in page.content.decode()
    r = client.post(reverse("review:respond", args=[a.token]), {"action": "accept"})
    assert r.url == reverse("review:review", args=[a.pk])
    coi = client.get(r.url)
    assert (
        b"Before you open the proposal" in coi.content
        and a.proposal.abstract.encode() not in coi.content
    )
    client.post(reverse("review:confirm_no_conflict", args=[a.pk]))
    page = client.get(r.url)
    assert a.proposal.abstract in page.content.decode()
    crit = list(rw.scheme.criteria.all())
    data = {f"score_{c.pk}": "7" for c in crit}
    data.update(
        comments_to_applicant="Sound plan.", confidential_comments="", recommendation="fund"
    )
    client.post(r.url, {**data, "action": "save"})
    a.refresh_from_db()
    assert a.review.state == ReviewState.DRAFT and a.review.comments_to_applicant == "Sound plan."
    r2 = client.post(r.url, {**data, "action": "submit"}, follow=True)
    assert "Review submitted" in r2.content.decode()
    a.refresh_from_db()
    assert a.state == AssignmentState.SUBMITTED and str(a.review.weighted_score) == "7.00"


def test_another_expert_cannot_open_someone_elses_review(published, client):
    rw = published.world
    a = published.run.assignments.select_related("expert__user").first()
    other = next(e for e in rw.experts["HK"] if e.pk != a.expert_id)
    login(client, other.user)
    assert client.get(reverse("review:respond", args=[a.token])).status_code == 404
    assert client.get(reverse("review:review", args=[a.pk])).status_code == 404


def test_conflicted_expert_never_sees_the_proposal_page(published, client):
    a = published.run.assignments.select_related("expert__user").first()
    login(client, a.expert.user)
    client.post(
        reverse("review:respond", args=[a.token]), {"action": "conflict", "reason": "Co-author"}
    )
    a.refresh_from_db()
    assert a.state == AssignmentState.CONFLICT
    assert client.get(reverse("review:review", args=[a.pk])).status_code == 404
    assert client.get(reverse("review:respond", args=[a.token])).status_code == 404


def _grow(rw, n):
    start = len(rw.proposals)
    for i in range(n):
        topic = list(TOPICS)[i % 4]
        rw.proposals.append(make_eligible(rw, f"Extra {start + i}", topic))
        make_expert(
            f"hkextra{start + i}", "HK", rw.experts["HK"][0].institution, topic, 200 + start + i
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_query_counts_flat_on_list_pages(rw, run_sync, client):
    from sciencebridge.review.services import assignment as svc

    run = run_sync(rw.itc_officer, rw.call, "HK")
    svc.publish(rw.itc_officer, run)
    expert = rw.experts["HK"][0]
    login(client, rw.itc_officer)
    small_run = _queries(client, reverse("review:run", args=[run.pk]))
    small_call = _queries(client, reverse("review:call", args=[rw.call.code]))
    login(client, expert.user)
    small_mine = _queries(client, reverse("review:mine"))
    _grow(rw, 8)
    from sciencebridge.review.models import AssignmentRun

    AssignmentRun.objects.filter(pk=run.pk).update(state=RunState.PROPOSED)
    Assignment.objects.filter(run=run).update(state=AssignmentState.PROPOSED)
    run2 = run_sync(rw.itc_officer, rw.call, "HK")
    svc.publish(rw.itc_officer, run2)
    assert run2.assignments.count() == 36
    login(client, rw.itc_officer)
    assert _queries(client, reverse("review:run", args=[run2.pk])) <= small_run + 2
    assert _queries(client, reverse("review:call", args=[rw.call.code])) <= small_call + 2
    login(client, expert.user)
    assert _queries(client, reverse("review:mine")) <= small_mine


def test_dashboard_panels(published, client):
    a = published.run.assignments.select_related("expert__user").first()
    login(client, a.expert.user)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "Invitations waiting for your answer" in page and a.proposal.reference in page
    login(client, published.world.itc_officer)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "Review assignment" in page and "Invitations published" in page


def test_dashboard_seat_counts_are_kept_until_a_seat_changes(published, client):
    """The officer dashboard's seat counts are kept between requests (``published_seat_counts``)
    and follow every seat that changes state or is added, as counted from scratch."""
    from sciencebridge.review import selectors

    run = published.run
    calls = [published.world.call]

    def shown():
        return selectors.assignment_status_of(calls)[published.world.call.pk][0]["counts"]

    def counted():
        return dict(
            run.assignments.order_by()
            .values("state")
            .annotate(n=Count("id"))
            .values_list("state", "n")
        )

    first = shown()
    assert first == counted() and first.get(AssignmentState.INVITED)
    with CaptureQueriesContext(connection) as kept:
        assert shown() == first
    assert not any("COUNT(" in q["sql"] for q in kept.captured_queries)  # nothing counted again
    a = run.assignments.filter(state=AssignmentState.INVITED).select_related("expert__user")[0]
    login(client, a.expert.user)
    client.post(reverse("review:respond", args=[a.token]), {"action": "decline", "reason": "Busy"})
    now = shown()
    assert now != first and now == counted()  # the decline, and the replacement invited
    assert now[AssignmentState.DECLINED] == first.get(AssignmentState.DECLINED, 0) + 1


def test_the_officers_assignment_status_is_kept_per_agency_until_a_seat_changes(published, client):
    """The dashboard's status rows are kept (``review.dashboard``): the first computation learns
    their tables, the second keeps them; another officer of the agency reads no run; a decline (a
    seat's new state) is shown at once."""
    from sciencebridge.core.testing.factories import UserFactory

    world = published.world
    login(client, world.itc_officer)
    for _ in range(2):
        page_and_reads(client, "/dashboard/", "review_assignmentrun")
    kept, reads = page_and_reads(client, "/dashboard/", "review_assignmentrun")
    assert reads == 0 and "Invitations published" in kept and "astate-declined" not in kept
    colleague = UserFactory(agency=world.itc, roles=[Role.PROGRAMME_OFFICER], username="itc_2")
    login(client, colleague)
    html, reads = page_and_reads(client, "/dashboard/", "review_assignmentrun")
    assert reads == 0 and "Invitations published" in html
    a = published.run.assignments.filter(state=AssignmentState.INVITED).select_related(
        "expert__user"
    )[0]
    login(client, a.expert.user)
    client.post(reverse("review:respond", args=[a.token]), {"action": "decline", "reason": "Busy"})
    login(client, colleague)
    html, reads = page_and_reads(client, "/dashboard/", "review_assignmentrun")
    assert reads > 0 and "astate-declined" in html


def test_decline_by_link_invites_replacement(published, client):
    a = published.run.assignments.select_related("expert__user").first()
    login(client, a.expert.user)
    client.post(
        reverse("review:respond", args=[a.token]), {"action": "decline", "reason": "Too busy"}
    )
    a.refresh_from_db()
    assert (
        a.state == AssignmentState.DECLINED
        and a.replacements.get().state == AssignmentState.INVITED
    )
    assert inv  # module used


def test_call_page_shows_own_summary_and_partner_summary_only_if_shared(
    published, run_sync, client
):
    from sciencebridge.funding.models import PartnerVisibility, SchemeSide

    from .test_permissions import write

    rw = published.world
    ml_run = run_sync(rw.most_officer, rw.call, "ML")
    svc_publish = __import__(
        "sciencebridge.review.services.assignment", fromlist=["publish"]
    ).publish
    svc_publish(rw.most_officer, ml_run)
    seat = ml_run.assignments.select_related(
        "expert__user", "proposal__call__scheme", "half"
    ).first()
    write(seat, 8)
    login(client, rw.itc_officer)
    page = client.get(reverse("review:call", args=[rw.call.code])).content.decode()
    assert "review (summary)" in page and "1 reviews submitted; mean weighted score 8.00." in page
    login(client, rw.most_officer)
    page = client.get(reverse("review:call", args=[rw.call.code])).content.decode()
    assert "1 reviews submitted; mean weighted score 8.00 (from 8.00 to 8.00)." in page
    SchemeSide.objects.filter(scheme=rw.scheme).update(partner_visibility=PartnerVisibility.STATUS)
    login(client, rw.itc_officer)
    page = client.get(reverse("review:call", args=[rw.call.code])).content.decode()
    assert "partner agency" not in page
