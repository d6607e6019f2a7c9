"""The scale benchmark's projects (projects/scale.py) are projects the pages could have made: the
service's schedule, money that adds up, payments only of released tranches."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from sciencebridge.projects import scale
from sciencebridge.projects.models import Payment, Project, ReportState, TrancheState

pytestmark = pytest.mark.django_db


def test_scale_projects_have_the_services_schedule_and_consistent_money(world, funded):
    proposal = funded(send_signal=False)  # jointly funded, no project yet
    assert scale.generate(5, random.Random(3)) == 1
    project = Project.objects.get(proposal=proposal)
    assert project.reference == f"P-{proposal.reference}"
    today = timezone.localdate()
    for side in project.sides.all():
        half = proposal.half(side.side)
        assert side.approved_budget.amount == half.budget_lines.aggregate(s=Sum("amount"))["s"]
        assert (side.lead_id, side.institution_id) == (half.lead_id, half.institution_id)
        tranches = list(side.tranches.order_by("number"))
        assert sum((t.amount.amount for t in tranches), Decimal(0)) == side.approved_budget.amount
        assert tranches[0].state in (TrancheState.RELEASED, TrancheState.PAID)
        for t in tranches:
            paid = list(Payment.objects.filter(tranche=t))
            if t.state == TrancheState.PAID:
                assert [p.amount for p in paid] == [t.amount]
            else:
                assert paid == []
            gate = t.gating_report
            if gate is not None and t.state != TrancheState.SCHEDULED:
                assert gate.state == ReportState.ACCEPTED  # released only after its report
        for r in side.reports.all():
            if r.due_date >= today:
                assert r.state == ReportState.PENDING
    assert project.end_date > project.start_date >= today - dt.timedelta(days=1000)
    assert scale.generate(5, random.Random(3)) == 0  # a proposal gets one project
