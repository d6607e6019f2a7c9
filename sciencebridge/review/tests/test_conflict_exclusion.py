"""Issue 11: an expert with a declared or detected conflict of interest sees nothing of the proposal
(no title in ``/review/my/``, the dashboard or ``/api/v1/review/my-invitations/``), cannot open or
accept it, and gets no e-mail about it; an officer with a conflict does not see or act on it on the
assignment pages and API."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.urls import reverse
from rest_framework.test import APIClient

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.experts.models import DeclaredConflict, ExpertProfile
from sciencebridge.review.models import Assignment, AssignmentState
from sciencebridge.review.services import assignment as asvc
from sciencebridge.review.services import invitations as inv

pytestmark = pytest.mark.django_db


def _seats_of_one_expert(published):
    """An expert with two invitations on two different proposals."""
    a = (
        Assignment.objects.filter(run=published.run, state=AssignmentState.INVITED)
        .select_related("expert__user", "proposal", "run__call", "half")
        .order_by("id")
        .first()
    )
    other = next(p for p in published.world.proposals if p.pk != a.proposal_id)
    b = Assignment.objects.create(
        run=published.run,
        proposal=other,
        half=other.half("HK"),
        expert=a.expert,
        state=AssignmentState.INVITED,
    )
    return a, Assignment.objects.select_related(
        "expert__user", "proposal", "run__call", "half"
    ).get(pk=b.pk)


def _api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_after_declaring_a_conflict_the_seat_shows_no_title(published, client):
    a, b = _seats_of_one_expert(published)
    user = a.expert.user
    inv.declare_conflict(user, a, "My co-author leads it.")
    client.force_login(user)
    html = client.get(reverse("review:mine")).content.decode()
    assert a.proposal.reference in html and "Withdrawn: conflict declared" in html
    assert a.proposal.title not in html and a.proposal.abstract not in html
    assert b.proposal.title in html  # the other invitation is untouched
    rows = {x["id"]: x for x in _api(user).get("/api/v1/review/my-invitations/").json()["results"]}
    assert (
        rows[a.pk]["title"] is None
        and rows[a.pk]["withheld"] is True
        and rows[a.pk]["state"] == "conflict"
    )
    assert rows[b.pk]["title"] == b.proposal.title and rows[b.pk]["withheld"] is False
    assert client.get(reverse("review:respond", args=[a.token])).status_code == 404
    assert client.get(reverse("review:review", args=[a.pk])).status_code == 404


def test_a_detected_conflict_hides_an_open_invitation(published, client):
    a, b = _seats_of_one_expert(published)
    user = a.expert.user
    # The expert lists a conflict with the Hong Kong half's institution after being invited.
    DeclaredConflict.objects.create(
        expert=a.expert, institution=a.half.institution, reason="Joint appointment."
    )
    client.force_login(user)
    html = client.get(reverse("review:respond", args=[a.token])).content.decode()
    assert "A conflict of interest between you and this proposal is recorded" in html
    assert a.proposal.reference in html
    for secret in (a.proposal.title, a.half.lead.get_full_name(), a.half.lead.email):
        assert secret not in html
    assert 'button class="accept"' not in html and 'class="accept"' not in html
    resp = client.post(reverse("review:respond", args=[a.token]), {"action": "accept"})
    a.refresh_from_db()
    assert a.state == AssignmentState.INVITED and resp.status_code == 200
    with pytest.raises(PermissionDenied, match="conflict of interest"):
        inv.accept(user, a)
    for html in (
        client.get(reverse("review:mine")).content.decode(),
        client.get(reverse("core:dashboard")).content.decode(),
    ):
        assert a.proposal.title not in html and "Withheld: conflict of interest" in html
    row = next(
        x
        for x in _api(user).get("/api/v1/review/my-invitations/").json()["results"]
        if x["id"] == a.pk
    )
    assert row["title"] is None and row["withheld"] is True
    # Handing it back from the notice works.
    client.post(reverse("review:declare_conflict", args=[a.pk]), {"reason": "Joint appointment."})
    a.refresh_from_db()
    assert a.state == AssignmentState.CONFLICT


def test_no_email_about_the_proposal_to_a_conflicted_person(published):
    rw = published.world
    a, _b = _seats_of_one_expert(published)
    DeclaredConflict.objects.create(
        expert=a.expert, institution=a.half.institution, reason="Joint appointment."
    )
    mail.outbox.clear()
    # Reminders skip the conflicted seat.
    import datetime as dt

    from django.utils import timezone

    from sciencebridge.review.models import ReviewWindow

    ReviewWindow.objects.filter(call=rw.call, side="HK").update(
        deadline=timezone.now() + dt.timedelta(days=1)
    )
    with TestCase.captureOnCommitCallbacks(execute=True):  # the outbox e-mails after commit
        inv.send_reminders()
    assert a.expert.email not in {to for m in mail.outbox for to in m.to}
    assert mail.outbox  # the others were reminded
    # An invitation to a conflicted expert is not sent: the seat is removed with the reason.
    seat = Assignment.objects.create(
        run=published.run, proposal=a.proposal, half=a.half, expert=a.expert
    )
    seat = Assignment.objects.select_related("expert__user", "proposal", "run__call").get(
        pk=seat.pk
    )
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert inv.invite(seat) is None
    seat.refresh_from_db()
    assert seat.state == AssignmentState.REMOVED and mail.outbox == []
    # "No replacement" notices to officers skip a conflicted officer.
    conflicted_officer = UserFactory(
        username="itc_conflicted",
        agency=rw.itc,
        institution=a.half.institution,
        roles=[Role.PROGRAMME_OFFICER],
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        inv._notify_officers(published.run, a, "No one left.")
    recipients = {to for m in mail.outbox for to in m.to}
    assert rw.itc_officer.email in recipients and conflicted_officer.email not in recipients


@pytest.fixture
def conflicted_officer(published):
    """A second ITC officer who declared a conflict on one proposal's invitation (an expert too)."""
    rw = published.world
    officer = UserFactory(
        username="itc_officer2", agency=rw.itc, roles=[Role.PROGRAMME_OFFICER, Role.EXPERT]
    )
    profile = ExpertProfile.objects.create(
        user=officer, name_en="Officer Expert", region="HK", email="officer2@experts.example.org"
    )
    target = rw.proposals[0]
    Assignment.objects.create(
        run=published.run,
        proposal=target,
        half=target.half("HK"),
        expert=profile,
        state=AssignmentState.CONFLICT,
    )
    return officer, target


def test_conflicted_officer_does_not_see_or_edit_the_proposals_reviewers(
    published, client, conflicted_officer
):
    officer, target = conflicted_officer
    client.force_login(officer)
    html = client.get(reverse("review:run", args=[published.run.pk])).content.decode()
    assert target.reference not in html and target.title not in html
    assert "1 proposal is withheld from you because of a conflict of interest." in html
    assert published.world.proposals[1].reference in html
    seat = published.run.assignments.filter(proposal=target, state=AssignmentState.INVITED).first()
    assert client.post(reverse("review:remove_reviewer", args=[seat.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        asvc.remove_reviewer(officer, seat)
    seat.refresh_from_db()
    assert seat.state == AssignmentState.INVITED
    seats = _api(officer).get("/api/v1/review/assignments/", {"run": published.run.pk}).json()
    assert seats["count"] > 0 and target.reference not in {s["proposal"] for s in seats["results"]}
    # The conflict-free officer still sees and manages it.
    client.force_login(published.world.itc_officer)
    assert (
        target.reference
        in client.get(reverse("review:run", args=[published.run.pk])).content.decode()
    )
