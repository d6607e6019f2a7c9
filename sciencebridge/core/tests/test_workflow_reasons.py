"""Reasons the platform writes read in the viewer's language; reasons people write stay as written."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sciencebridge.core.models import StateTransition
from sciencebridge.core.workflow import timeline
from sciencebridge.funding.models import HalfState
from sciencebridge.funding.services import proposals as svc

pytestmark = pytest.mark.django_db


def _draft(world, title="Reasons"):
    p = svc.create_proposal(
        world.hk_lead,
        world.call,
        title=title,
        abstract="A.",
        plan="P.",
        project_type=world.scheme.project_types.get(code="platform"),
        area=world.scheme.areas.first(),
        duration_months=12,
    )
    return p.half("HK")


def test_a_platform_reason_is_stored_as_message_and_read_in_each_language(world):
    with translation.override("zh-hant"):  # the applicant acted in Chinese ...
        half = _draft(world)
    step = StateTransition.objects.get(object_id=half.pk, to_state=HalfState.DRAFT)
    assert step.reason == "Proposal started"  # ... the audit text is English
    assert step.reason_msgid == "Proposal started"
    with translation.override("zh-hans"):
        assert timeline(half)[0].reason == "已发起申请"
    with translation.override("en"):
        assert timeline(half)[0].reason == "Proposal started"


def test_model_parameters_are_named_in_the_readers_language(world):
    from sciencebridge.core.workflow import because, transition

    world.itc.name_zh_hant = "創新科技署"
    world.itc.save()
    half = _draft(world)
    transition(
        half, HalfState.WITHDRAWN, reason=because("Submitted to %(agency)s", agency=world.itc)
    )
    step = StateTransition.objects.get(object_id=half.pk, to_state=HalfState.WITHDRAWN)
    assert step.reason == f"Submitted to {world.itc.short_name}"
    assert step.reason_params == {
        "agency": {"model": "institutions.institution", "pk": world.itc.pk}
    }
    with translation.override("zh-hant"):
        shown = timeline(half)[-1].reason
    assert shown == "已提交至創新科技署"


def test_free_text_stays_as_written_and_names_cost_one_query_per_model(world):
    from sciencebridge.core.workflow import because, transition

    halves = [_draft(world, f"P{i}") for i in range(4)]
    for h in halves:
        transition(
            h, HalfState.WITHDRAWN, reason=because("Submitted to %(agency)s", agency=world.itc)
        )
    transition(halves[0].proposal.half("ML"), HalfState.WITHDRAWN, reason="我們決定撤回")
    with CaptureQueriesContext(connection) as q:
        steps = timeline(*halves, halves[0].proposal.half("ML"))
    # transitions + content types are cached after the first call; one in_bulk for the agencies
    assert len(q.captured_queries) <= 3, [x["sql"] for x in q.captured_queries]
    assert "我們決定撤回" in [s.reason for s in steps]
