"""Visibility of reviews, object by object."""

from decimal import Decimal

import pytest

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.funding.models import HalfState, PartnerVisibility, SchemeSide
from sciencebridge.review import rules as r
from sciencebridge.review import selectors
from sciencebridge.review.models import Assignment, Review
from sciencebridge.review.services import invitations as inv
from sciencebridge.review.services import reviews as rsvc

from .conftest import write

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(published):
    """The three reviewers of one HK half."""
    first = published.run.assignments.first()
    seats = list(
        Assignment.objects.filter(proposal=first.proposal, half=first.half)
        .select_related("expert__user", "proposal__call__scheme", "half")
        .order_by("id")
    )
    assert len(seats) == 3
    return seats


def test_reviewer_sees_others_only_after_submitting(three, published):
    a, b, c = three
    scheme = (
        a.proposal.call.scheme
    )  # a scheme that opts in to reviewers reading each other's reviews
    scheme.reviewers_see_other_reviews = True
    scheme.save()
    ra = write(a)
    rb = write(b, score=5, submit=False)
    # b has not submitted: sees own draft, not a's review
    assert r.review_visibility(b.expert.user, rb) == r.FULL
    assert not b.expert.user.has_perm("review.view_review", ra)
    assert selectors.peer_reviews(b.expert.user, b) == []
    # a submitted: still cannot see b's draft
    assert not a.expert.user.has_perm("review.view_review", rb)
    rsvc.save(
        b.expert.user,
        rb,
        scores={s.criterion_id: 5 for s in rb.scores.all()},
        comments_to_applicant="ok",
        recommendation="fund",
        submit=True,
    )
    rb.refresh_from_db()
    assert a.expert.user.has_perm("review.view_review", rb)
    assert r.review_visibility(a.expert.user, rb) == r.PEER  # anonymised view
    assert [x.pk for x in selectors.peer_reviews(a.expert.user, a)] == [rb.pk]
    # c never submitted: sees neither
    assert not c.expert.user.has_perm("review.view_review", ra)


def test_reviews_are_confidential_between_reviewers_by_default(three, published):
    # Issue 11: the default is confidential (a scheme created without the setting, as make_scheme does).
    assert published.world.scheme.reviewers_see_other_reviews is False
    a, b, _c = three
    ra, rb = write(a), write(b)
    assert not b.expert.user.has_perm("review.view_review", ra)
    b = Assignment.objects.select_related("expert__user", "proposal__call__scheme", "review").get(
        pk=b.pk
    )
    assert selectors.peer_reviews(b.expert.user, b) == []
    assert rb.pk  # own review still visible
    assert b.expert.user.has_perm("review.view_review", rb)


def test_reviewer_of_another_proposal_sees_nothing(three, published):
    a = three[0]
    ra = write(a)
    other = (
        published.run.assignments.exclude(proposal=a.proposal)
        .select_related("expert__user")
        .first()
    )
    write(other)
    assert not other.expert.user.has_perm("review.view_review", ra)


def test_conflicted_expert_sees_nothing(three, published):
    a, b, _c = three
    rb = write(b)
    inv.declare_conflict(a.expert.user, a, "Former student")
    a.refresh_from_db()
    assert not rsvc.may_open(a.expert.user, a)
    assert not a.expert.user.has_perm("review.open_proposal", a)
    assert not a.expert.user.has_perm("review.view_review", rb)


def test_officers_see_own_side_and_only_partner_summary(three, published):
    rw = published.world
    ra = write(three[0])
    assert rw.itc_officer.has_perm("review.view_review", ra)
    assert r.review_visibility(rw.most_officer, ra) == r.SUMMARY
    assert not rw.most_officer.has_perm("review.view_review", ra)
    SchemeSide.objects.filter(scheme=rw.scheme).update(partner_visibility=PartnerVisibility.STATUS)
    rw.scheme.refresh_from_db()
    ra = type(ra).objects.get(pk=ra.pk)
    assert r.review_visibility(rw.most_officer, ra) is None
    other_agency = UserFactory(
        username="other_officer", agency=rw.hku, roles=[Role.PROGRAMME_OFFICER]
    )
    assert r.review_visibility(other_agency, ra) is None


def test_drafts_hidden_from_officers_and_panel(three, published):
    rw = published.world
    draft = write(three[0], submit=False)
    assert not rw.itc_officer.has_perm("review.view_review", draft)
    assert not rw.chair.has_perm("review.view_review", draft)
    final = write(three[1])
    assert rw.chair.has_perm("review.view_review", final)


def test_applicants_never_see_reviews_or_reviewer_identity(three, published):
    rw = published.world
    ra = write(three[0])
    for user in (rw.hk_lead, rw.ml_lead, rw.hk_office, rw.outsider):
        assert not user.has_perm("review.view_review", ra)
        assert r.review_visibility(user, ra) is None
    half = three[0].half
    assert selectors.applicant_comments(half.proposal) == []  # not decided yet
    half.state = HalfState.FUNDED
    half.save()
    comments = selectors.applicant_comments(half.proposal)
    assert comments == [
        {"side": "HK", "reviewer": 1, "comments": "Comments 7", "recommendation": "Fund"}
    ]
    text = str(comments)
    assert three[0].expert.name_en not in text and "secret" not in text


def test_selector_for_decisions(three, published, django_assert_max_num_queries):
    a, b, c = three
    write(a, 8)
    write(b, 4)
    halves = [a.half, *[p.half("HK") for p in published.world.proposals]]
    with django_assert_max_num_queries(3):
        by_half = selectors.submitted_reviews_by_half(halves)
        scores = [
            (
                rv.weighted_score,
                [s.criterion.weight for s in rv.scores.all()],
                rv.assignment.expert.pk,
            )
            for rv in by_half[a.half.pk]
        ]
    assert [s[0] for s in scores] == [8, 4]
    summary = selectors.review_summary(by_half[a.half.pk])
    assert summary.count == 2 and summary.mean == 6 and summary.spread == 4


def test_a_call_summary_from_the_database_equals_the_reviews_own(three, published):
    """The call's review page sums the weighted scores in the database (issue 16): the same count,
    mean, minimum and maximum as the reviews give, to the cent and in the same form ("7.50")."""
    a, b, c = three
    empty = selectors.submitted_reviews(call=a.proposal.call)
    assert selectors.summary_in_database(empty) == selectors.ReviewSummary(0, None, None, None)
    write(a, 8)
    write(b, 4)
    write(c, 7)
    Review.objects.filter(assignment=c).update(weighted_score=Decimal("7.33"))
    for side in (None, "HK", "ML"):
        reviews = selectors.submitted_reviews(call=a.proposal.call, side=side)
        in_database = selectors.summary_in_database(reviews)
        in_python = selectors.review_summary(list(reviews))
        assert in_database == in_python
        assert [str(x) for x in vars(in_database).values()] == [
            str(x) for x in vars(in_python).values()
        ]
    assert in_database.count == 0  # no Mainland review
    summary = selectors.summary_in_database(selectors.submitted_reviews(call=a.proposal.call))
    assert (summary.count, str(summary.mean), str(summary.minimum)) == (3, "6.44", "4.00")


def test_a_kept_call_summary_follows_each_review_written_or_edited(three, published):
    """The call's review page keeps its summaries while no review changes
    (``selectors.call_review_summary``, issue 16): after each review and each edit, the kept
    summary equals the one added up afresh."""
    a, b, c = three
    call = a.proposal.call

    def kept_and_afresh(side="HK", only_side=False):
        kept = selectors.call_review_summary(call, side, only_side=only_side)
        selectors.kept_summaries.discard_where(lambda key: True)
        return kept, selectors.call_review_summary(call, side, only_side=only_side)

    kept, afresh = kept_and_afresh()
    assert kept == afresh and kept.count == 0
    write(a, 8)
    kept, afresh = kept_and_afresh()
    assert kept == afresh and kept.count == 1
    write(b, 4)
    assert selectors.call_review_summary(call, "HK").count == 2  # kept for the edit below
    review = Review.objects.get(assignment=b)
    review.weighted_score = Decimal("6.00")
    review.save()  # an edit keeps the ids: its time tells
    kept, afresh = kept_and_afresh()
    assert kept == afresh and str(kept.mean) == "7.00"
    for side, only_side in (("", False), ("HK", True), ("ML", True)):
        kept, afresh = kept_and_afresh(side, only_side)
        assert kept == afresh


def test_the_call_page_counts_each_runs_seats_but_the_removed(published, rw, run_sync):
    """Each run's seats on the call's page come from the kept seat counts: a seat removed from a
    proposed run is no longer counted."""
    from sciencebridge.review.services import assignment as asvc

    proposed = run_sync(rw.most_officer, rw.call, "ML")
    seats = {run.pk: run.assignments.count() for run in (published.run, proposed)}
    assert {run.pk: run.n_seats for run in selectors.runs_for(rw.call)} == seats
    asvc.remove_reviewer(rw.most_officer, proposed.assignments.first())
    seats[proposed.pk] -= 1
    assert {run.pk: run.n_seats for run in selectors.runs_for(rw.call)} == seats
