"""``core.request_cache``: a value is computed once per request, afresh after any write, and never
remembered outside a request (issue 16: the viewer's conflicts were computed twice per page)."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from sciencebridge.core.request_cache import RequestCacheMiddleware, once_per_request

pytestmark = pytest.mark.django_db


def _counter():
    calls = []

    def compute():
        calls.append(1)
        return frozenset({len(calls)})

    return calls, compute


def test_outside_a_request_every_call_computes():
    calls, compute = _counter()
    assert once_per_request("k", compute) == {1}
    assert once_per_request("k", compute) == {2}
    assert len(calls) == 2


def test_inside_a_request_once_per_key_and_gone_afterwards():
    calls, compute = _counter()
    seen = []

    def view(request):
        seen.append(once_per_request("k", compute))
        seen.append(once_per_request("k", compute))
        seen.append(once_per_request("other", compute))
        return HttpResponse()

    RequestCacheMiddleware(view)(RequestFactory().get("/"))
    assert seen == [{1}, {1}, {2}]
    RequestCacheMiddleware(view)(RequestFactory().get("/"))  # a new request starts empty
    assert seen[3:] == [{3}, {3}, {4}]
    assert once_per_request("k", compute) == {5}  # and nothing outlives the request


def test_a_write_during_the_request_forgets_everything(world):
    from sciencebridge.review.conflicts import conflicted_proposal_ids

    calls, compute = _counter()
    seen = []

    def view(request):
        seen.append(once_per_request("k", compute))
        world.call.save()  # any ORM write
        seen.append(once_per_request("k", compute))
        return HttpResponse()

    RequestCacheMiddleware(view)(RequestFactory().get("/"))
    assert seen == [{1}, {2}]

    # the real use: a conflict declared mid-request is seen by the next selector call
    from sciencebridge.funding.models import JointProposal, ProposalHalf

    p = JointProposal.objects.create(
        call=world.call,
        reference="RC-1",
        title="t",
        abstract="a",
        duration_months=12,
        created_by=world.hk_lead,
    )
    found = []

    def conflicts_view(request):
        found.append(conflicted_proposal_ids(world.ml_lead))
        ProposalHalf.objects.create(proposal=p, side="ML", agency=world.most, lead=world.ml_lead)
        found.append(conflicted_proposal_ids(world.ml_lead))
        return HttpResponse()

    RequestCacheMiddleware(conflicts_view)(RequestFactory().get("/"))
    assert p.pk not in found[0] and p.pk in found[1]
