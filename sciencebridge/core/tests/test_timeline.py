"""``core.workflow.timeline``: the steps of exactly the objects asked, oldest first, in one query."""

import pytest
from django.contrib.contenttypes.models import ContentType

from sciencebridge.accounts.models import AffiliationRequest
from sciencebridge.core.models import StateTransition
from sciencebridge.core.workflow import transition
from sciencebridge.funding.models import HalfState, ProposalHalf

pytestmark = pytest.mark.django_db


def _step(model, object_id, to_state):
    return StateTransition.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_id=object_id,
        to_state=to_state,
    )


def test_the_steps_of_the_objects_asked_and_no_other(
    world, make_ready_pair, django_assert_num_queries
):
    from sciencebridge.core.workflow import timeline

    proposal = make_ready_pair()
    hk, ml = proposal.half("HK"), proposal.half("ML")
    transition(hk, HalfState.WITHDRAWN, reason="Changed plans")
    # an object of another type asked for too, with a step
    other = AffiliationRequest.objects.create(
        pk=max(hk.pk, ml.pk) + 10, user=world.hk_lead, institution=world.hku
    )
    own = _step(AffiliationRequest, other.pk, "pending")
    # steps of objects that share an asked object's id but not its type, and of another half
    strangers = [
        _step(AffiliationRequest, hk.pk, "x"),
        _step(AffiliationRequest, ml.pk, "x"),
        _step(ProposalHalf, other.pk, "y"),
        _step(ProposalHalf, max(hk.pk, ml.pk) + 1, "z"),
    ]
    half_type = ContentType.objects.get_for_model(ProposalHalf)
    halves_steps = StateTransition.objects.filter(
        content_type=half_type, object_id__in=[hk.pk, ml.pk]
    )
    expected = sorted([own, *halves_steps], key=lambda s: (s.at, s.pk))
    assert len(expected) >= 4
    with django_assert_num_queries(1):  # content types are kept per process
        steps = timeline(hk, ml, other, hk)
    assert steps == expected
    assert not {s.pk for s in steps} & {s.pk for s in strangers}
    assert {s.subject_label for s in steps} == {str(hk), str(ml), str(other)}
    withdrawn = next(s for s in steps if s.to_state == HalfState.WITHDRAWN)
    assert withdrawn.to_label == str(HalfState.WITHDRAWN.label)
    assert timeline() == []
