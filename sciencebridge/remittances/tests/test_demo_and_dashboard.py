import datetime as dt
import io
import random
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from sciencebridge.cooperation.models import Indicator, IndicatorValue
from sciencebridge.cooperation.services import charts
from sciencebridge.projects.models import Project
from sciencebridge.remittances import demo
from sciencebridge.remittances.models import Remittance


def test_demo_builds_remittances_and_the_dashboard_shows_the_live_total(world, make_project):
    projects = [make_project(title=f"Demo {i}") for i in range(3)]
    Project.objects.filter(pk__in=[p.pk for p in projects]).update(
        start_date=timezone.localdate() - dt.timedelta(days=400)
    )
    out = io.StringIO()
    demo.seed(SimpleNamespace(stdout=out), random.Random(1))
    states = set(Remittance.objects.values_list("state", flat=True))
    assert states == {"reported", "received"}, out.getvalue()  # 3 projects: the first 3 states
    assert Remittance.objects.filter(needs_reconciliation=True).count() == 1
    ind = Indicator.objects.create(code="mainland-funds-to-hk", name="Funds", unit="RMB m")
    IndicatorValue.objects.create(indicator=ind, year=2021, value=Decimal(440))
    IndicatorValue.objects.create(indicator=ind, year=2023, value=Decimal(750))
    chart = charts.chart_by_key("indicator-mainland-funds-to-hk")
    official, live = chart["datasets"]
    assert official["data"][0] == 440 and chart["labels"][-1] == str(timezone.localdate().year)
    total = sum(r.remitted_amount.amount for r in Remittance.objects.exclude(remitted_on=None))
    assert live["data"][-1] == round(float(total / 1_000_000), 2) > 0
    # The chart's one query for every year gives each year's cumulative figure (issue 16).
    from sciencebridge.core import metrics

    years = sorted({r.remitted_on.year for r in Remittance.objects.exclude(remitted_on=None)})
    years = [years[0] - 1, *years, years[-1] + 1]
    for code in ("remittances.remitted_rmb", "remittances.remitted_rmb_m"):
        per_year = metrics.compute_per_year(code, years)
        assert per_year == [metrics.compute(code, year=y) for y in years]
        assert per_year[0] == 0 and per_year[-1] == metrics.compute(code) > 0
