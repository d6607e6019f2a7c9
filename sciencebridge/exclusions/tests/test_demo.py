import random
from io import StringIO
from types import SimpleNamespace

import pytest

from sciencebridge.exclusions import demo, services
from sciencebridge.exclusions.models import ExclusionState, ExpertExclusion
from sciencebridge.funding.models import Call, SchemeSide
from sciencebridge.review.models import RunState

pytestmark = pytest.mark.django_db


def test_demo_names_experts_the_run_then_excludes_and_a_duplicate_pair(rw, run_sync):
    Call.objects.filter(pk=rw.call.pk).update(code=demo.CALL)
    SchemeSide.objects.filter(scheme=rw.scheme, side="ML").update(avoid_experts_allowed=True)
    out = SimpleNamespace(stdout=StringIO())
    demo.seed(out, random.Random(1))
    xs = list(ExpertExclusion.objects.select_related("half").order_by("pk"))
    assert len(xs) == 5 and {x.half.side for x in xs} == {"ML"}
    assert [x.name for x in xs if not x.matched_experts.exists()] == ["Wang Not-In-Pool"]
    assert sum(x.state == ExclusionState.OVERRIDDEN for x in xs) == 1
    demo.seed(out, random.Random(1))  # idempotent
    assert ExpertExclusion.objects.count() == 5
    # The ML run excludes the matched experts still in force, "named by the applicant".
    run = run_sync(rw.most_officer, rw.call, "ML")
    assert run.state == RunState.PROPOSED, run.error
    first = xs[0]
    notes = run.notes[f"h{first.half_id}"]["excluded"]
    assert any(x["reasons"] == [{"kind": "named_by_applicant"}] for x in notes), notes
    seated = set(run.assignments.values_list("half_id", "expert_id"))
    in_force = [(x.half_id, e.pk) for x in xs if x.in_force for e in x.matched_experts.all()]
    assert in_force and not (set(in_force) & seated)
    # The duplicate pair is flagged to the NSFC officer at screening.
    copy = rw.call.proposals.get(reference__endswith="-R")
    got = services.duplicates_for(rw.most_officer, copy.half("ML"))
    assert got and got[0]["similarity"] >= 0.95
