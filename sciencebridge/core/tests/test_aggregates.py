"""``core.aggregates.per_row``: the aggregate of the rows pointing at each outer row, the default for
none, one query whatever the number of outer rows."""

from decimal import Decimal

import pytest
from django.db.models import Count, DecimalField, IntegerField, Sum
from djmoney.money import Money

from sciencebridge.core.aggregates import per_row
from sciencebridge.funding.models import BudgetLine, Call, JointProposal, ProposalHalf

pytestmark = pytest.mark.django_db


def test_count_and_sum_per_row_with_default_for_none(
    world, make_ready_pair, django_assert_num_queries
):
    make_ready_pair(title="First")
    make_ready_pair(title="Second")
    empty = Call.objects.exclude(pk=world.call.pk).first()
    with django_assert_num_queries(1):
        counts = dict(
            Call.objects.annotate(
                n=per_row(
                    JointProposal.objects.all(),
                    "call",
                    Count("*"),
                    output_field=IntegerField(),
                    default=0,
                )
            ).values_list("pk", "n")
        )
    assert counts[world.call.pk] == JointProposal.objects.filter(call=world.call).count() == 2
    if empty is not None:
        assert counts[empty.pk] == JointProposal.objects.filter(call=empty).count()
    hk = ProposalHalf.objects.filter(side="HK").first()
    BudgetLine.objects.create(half=hk, category="travel", amount=Money("0.50", "HKD"))
    money = DecimalField(max_digits=14, decimal_places=2)
    totals = dict(
        ProposalHalf.objects.annotate(
            t=per_row(
                BudgetLine.objects.all(),
                "half",
                Sum("amount"),
                output_field=money,
                default=Decimal(0),
            )
        ).values_list("pk", "t")
    )
    expected = {
        h.pk: sum((line.amount.amount for line in h.budget_lines.all()), Decimal(0))
        for h in ProposalHalf.objects.prefetch_related("budget_lines")
    }
    assert totals == expected and totals[hk.pk] == Decimal("600000.50")
    no_lines = ProposalHalf.objects.filter(budget_lines__isnull=True).values_list("pk", flat=True)
    assert all(totals[pk] == 0 for pk in no_lines)
