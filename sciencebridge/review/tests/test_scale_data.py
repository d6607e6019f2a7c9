"""The scale benchmark's review rows (review/scale.py) are what a past round would have left: a
published run per call side, submitted reviews of its halves, and notes for each reviewed unit as
the run's page reads them."""

import random

import pytest

from sciencebridge.review import scale, selectors
from sciencebridge.review.models import Assignment, AssignmentRun, Review, ReviewState, RunState

pytestmark = pytest.mark.django_db


def test_scale_reviews_come_with_runs_and_notes_for_every_reviewed_unit(rw):
    scale.generate(12, random.Random(7))
    runs = list(AssignmentRun.objects.filter(call=rw.call))
    assert runs and all(r.state == RunState.PUBLISHED for r in runs)
    assert Review.objects.filter(state=ReviewState.SUBMITTED).count() == 12
    for run in runs:
        reviewed = set(
            Assignment.objects.filter(run=run).values_list("half_id", flat=True).distinct()
        )
        assert set(run.notes) == {f"h{pk}" for pk in reviewed}
        note = run.notes[f"h{min(reviewed)}"]
        assert note["candidates"] == 40 and isinstance(note["excluded"], list)
        assert selectors.unit_notes(run, [f"h{min(reviewed)}"]) == {f"h{min(reviewed)}": note}
