"""Issue 11: pages offer only what the rules allow, with the same predicates the services check
("Run the assignment" on a published review, "Publish", "Remove"), and the review page tells reviewers
whether other reviewers' reviews are confidential (the scheme's setting; confidential by default)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sciencebridge.review.models import AssignmentState
from sciencebridge.review.services import assignment as asvc

from .conftest import write

pytestmark = pytest.mark.django_db


def test_run_the_assignment_is_not_offered_once_published(published, client):
    rw = published.world
    client.force_login(rw.itc_officer)
    html = client.get(reverse("review:call", args=[rw.call.code])).content.decode()
    assert 'class="start-run"' not in html
    reasons = asvc.run_blockers(rw.call, "HK")
    assert reasons and reasons[0] in html.replace("&#x27;", "'")  # the page says why
    with pytest.raises(ValidationError) as exc:
        asvc.start_run(rw.itc_officer, rw.call, "HK")
    assert exc.value.messages == reasons  # the service refuses with the same reasons
    # The Mainland side, not run yet, is offered (to its own officers).
    client.force_login(rw.most_officer)
    assert (
        'class="start-run"'
        in client.get(reverse("review:call", args=[rw.call.code])).content.decode()
    )


def test_publish_and_remove_offered_only_when_allowed(published, client):
    rw = published.world
    client.force_login(rw.itc_officer)
    html = client.get(reverse("review:run", args=[published.run.pk])).content.decode()
    assert 'class="publish"' not in html  # already published
    with pytest.raises(ValidationError, match="Only a proposed assignment can be published"):
        asvc.publish(rw.itc_officer, published.run)
    a = (
        published.run.assignments.filter(state=AssignmentState.INVITED)
        .select_related("expert__user")
        .first()
    )
    write(a)
    a.refresh_from_db()
    assert not asvc.may_remove(a)
    html = client.get(reverse("review:run", args=[published.run.pk])).content.decode()
    assert (
        html.count('class="small danger"')
        == published.run.assignments.filter(
            state__in=[AssignmentState.INVITED, AssignmentState.ACCEPTED]
        ).count()
    )
    with pytest.raises(ValidationError, match="can no longer be removed"):
        asvc.remove_reviewer(rw.itc_officer, a)


def _submit(a):
    write(a, score=6, comments=f"Comments by {a.expert.user.username}.")


def test_reviewers_are_told_whether_reviews_are_confidential(published, client):
    a, b = list(
        published.run.assignments.filter(state=AssignmentState.INVITED)
        .select_related("expert__user", "proposal__call__scheme")
        .order_by("id")
    )[:2]
    if a.proposal_id != b.proposal_id:
        b = (
            published.run.assignments.filter(proposal=a.proposal, state=AssignmentState.INVITED)
            .exclude(pk=a.pk)
            .select_related("expert__user")
            .first()
        )
    _submit(a)
    _submit(b)
    client.force_login(a.expert.user)
    html = client.get(reverse("review:review", args=[a.pk])).content.decode()
    assert "reviews are confidential: you will not see them" in html
    assert f"Comments by {b.expert.user.username}." not in html  # the default: confidential
    scheme = a.proposal.call.scheme
    scheme.reviewers_see_other_reviews = True
    scheme.save()
    html = client.get(reverse("review:review", args=[a.pk])).content.decode()
    assert (
        "You will see the other reviews of this proposal, anonymised, after you submit yours."
        in html
    )
    assert f"Comments by {b.expert.user.username}." in html and b.expert.name_en not in html
