"""Reviewers open the documents of the half they review from the review page (issue 15), and only once
they accepted and passed the conflict check; the file route refuses everyone else."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from sciencebridge.core.testing.factories import MINIMAL_PDF
from sciencebridge.core.testing.files import linked_file_names
from sciencebridge.funding.models import Attachment
from sciencebridge.review.models import AssignmentState
from sciencebridge.review.selectors import reviewer_may_read_half
from sciencebridge.review.services import invitations as inv

pytestmark = pytest.mark.django_db


def _document(half):
    """A stored PDF on ``half`` (the review world's proposals have none)."""
    kind = half.proposal.call.scheme.required_attachments.first()
    att = Attachment(
        half=half, kind=kind, original_name="proposal.pdf", size=len(MINIMAL_PDF),
        uploaded_by=half.lead,
    )  # fmt: skip
    att.file.save("proposal.pdf", ContentFile(MINIMAL_PDF), save=True)
    return att


def test_reviewer_opens_the_documents_of_the_half_under_review(published, client):
    seats = list(
        published.run.assignments.filter(state=AssignmentState.INVITED).select_related(
            "expert__user", "half"
        )
    )
    a, other = seats[0], next(s for s in seats if s.expert_id != seats[0].expert_id)
    user = a.expert.user
    att = _document(a.half)
    url = att.file.url
    client.force_login(user)
    assert not reviewer_may_read_half(user, a.half)
    assert client.get(url).status_code in (403, 404)  # invited only: not yet

    inv.accept(user, a)
    assert client.get(url).status_code in (403, 404)  # accepted, conflict check not done
    inv.confirm_no_conflict(user, a)
    assert reviewer_may_read_half(user, a.half)
    page = client.get(reverse("review:review", args=[a.pk])).content.decode()
    # signed links carry a timestamp: compare the stored names behind them, not the addresses
    assert 'class="review-documents"' in page and att.file.name in linked_file_names(page)
    got = client.get(url)
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"

    # the partner half's documents are not theirs (separate review), nor another reviewer's seat
    partner = a.proposal.halves.exclude(pk=a.half_id).get()
    assert not reviewer_may_read_half(user, partner)
    client.force_login(other.expert.user)
    assert client.get(url).status_code in (403, 404)


def test_a_conflict_declared_later_closes_the_documents(published, client):
    a = (
        published.run.assignments.filter(state=AssignmentState.INVITED)
        .select_related("expert__user", "half")
        .first()
    )
    user = a.expert.user
    att = _document(a.half)
    inv.accept(user, a)
    inv.confirm_no_conflict(user, a)
    assert reviewer_may_read_half(user, a.half)
    client.force_login(user)
    assert client.get(att.file.url).status_code == 200
    from sciencebridge.experts.models import DeclaredConflict

    DeclaredConflict.objects.create(
        expert=a.expert, person_email=a.half.lead.email, reason="co-author"
    )
    assert not reviewer_may_read_half(user, a.half)
    assert client.get(att.file.url).status_code in (403, 404)
