import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sciencebridge.cooperation.models import ItemStatus, Milestone, WorkplanState
from sciencebridge.cooperation.services import progress as prog
from sciencebridge.cooperation.services import workplans as svc
from sciencebridge.core.models import StateTransition
from sciencebridge.core.testing.factories import make_call

from .helpers import fund_both_sides, make_eligible

pytestmark = pytest.mark.django_db


def _plan(user, **kw):
    return svc.create_workplan(user, code="wp-2026", title="Workplan 2026", period="2026", **kw)


def test_progress_comes_from_funded_projects_in_the_linked_call(
    world, make_ready_pair, secretariat, areas
):
    other_call = make_call(world.scheme, code="other-call")
    wp = _plan(secretariat)
    linked = svc.save_item(
        secretariat,
        wp,
        area=areas["funding"],
        number="i",
        text="Fund 2 joint projects",
        metric_code="funding.projects_funded",
        metric_filters={"call_ids": [world.call.pk]},
        target=Decimal(2),
    )
    money = svc.save_item(
        secretariat,
        wp,
        area=areas["funding"],
        number="ii",
        text="Commit HK$1.2m",
        metric_code="funding.committed_hkd",
        metric_filters={"call_ids": [world.call.pk]},
        target=Decimal(1200000),
    )
    unlinked = svc.save_item(secretariat, wp, area=areas["talent"], number="iii", text="Exchanges")
    assert linked.progress() == 0.0 and unlinked.progress() is None

    p = make_eligible(world, make_ready_pair())
    assert linked.progress() == 0.0  # eligible is not funded
    fund_both_sides(world, p, hkd=600000)
    assert linked.current_value() == 1.0 and linked.progress() == 0.5
    assert money.progress() == 0.5

    # a project funded in another call does not move the item linked to this call
    other_call_ids = {"call_ids": [other_call.pk]}
    assert prog.MetricCache().value(linked) == 1.0
    assert (
        svc.link_item(
            secretariat, unlinked, metric_code="funding.projects_funded", target=1, **other_call_ids
        ).progress()
        == 0.0
    )

    groups = prog.workplan_progress(wp)
    assert [g["area"].code for g in groups] == ["joint-funding", "talent"]
    assert groups[0]["progress"] == 50.0
    rows = {x["item"].number: x for x in groups[0]["items"]}
    assert rows["i"]["percent"] == 50.0 and rows["i"]["bar"] == 50.0


def test_only_one_side_funded_does_not_count(world, make_ready_pair, secretariat, areas):
    from djmoney.money import Money

    from sciencebridge.core.workflow import transition
    from sciencebridge.funding.models import HalfState

    wp = _plan(secretariat)
    item = svc.save_item(
        secretariat,
        wp,
        area=areas["funding"],
        number="i",
        text="Fund one",
        metric_code="funding.projects_funded",
        metric_filters={"call_ids": [world.call.pk]},
        target=1,
    )
    p = make_eligible(world, make_ready_pair())
    hk = p.half("HK")
    hk.awarded_amount = Money(1, "HKD")
    transition(hk, HalfState.FUNDED, actor=world.itc_officer, update_fields=["awarded_amount"])
    assert item.progress() == 0.0


def test_linking_needs_a_live_metric_and_a_positive_target(secretariat, areas):
    wp = _plan(secretariat)
    with pytest.raises(ValidationError) as e:
        svc.save_item(
            secretariat,
            wp,
            area=areas["funding"],
            number="i",
            text="x",
            metric_code="nope.metric",
            target=1,
        )
    assert "metric_code" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        svc.save_item(
            secretariat,
            wp,
            area=areas["funding"],
            number="i",
            text="x",
            metric_code="funding.projects_funded",
            target=0,
        )
    assert "target" in e.value.message_dict
    svc.save_item(secretariat, wp, area=areas["funding"], number="i", text="x")
    with pytest.raises(ValidationError) as e:
        svc.save_item(secretariat, wp, area=areas["talent"], number="i", text="duplicate number")
    assert "number" in e.value.message_dict


def test_only_the_secretariat_changes_workplans(world, secretariat, areas):
    with pytest.raises(PermissionDenied):
        _plan(world.itc_officer)
    wp = _plan(secretariat)
    with pytest.raises(PermissionDenied):
        svc.save_item(world.hk_lead, wp, area=areas["funding"], number="i", text="x")
    with pytest.raises(PermissionDenied):
        svc.move_workplan(world.outsider, wp, WorkplanState.APPROVED)


def test_status_moves_are_recorded(secretariat, areas):
    wp = _plan(secretariat)
    item = svc.save_item(secretariat, wp, area=areas["funding"], number="i", text="x")
    svc.move_item(secretariat, item, ItemStatus.IN_PROGRESS, "started")
    svc.move_item(secretariat, item, ItemStatus.COMPLETED, "done")
    with pytest.raises(ValidationError):
        svc.move_item(secretariat, item, ItemStatus.PLANNED)
    steps = StateTransition.objects.filter(object_id=item.pk, content_type__model="workplanitem")
    assert [s.to_state for s in steps.order_by("id")] == ["planned", "in_progress", "completed"]
    svc.move_workplan(secretariat, wp, WorkplanState.APPROVED, "approved at the meeting")
    wp.refresh_from_db()
    assert wp.state == WorkplanState.APPROVED and wp.is_public


def test_off_track_from_overdue_milestone_and_lagging_progress(world, secretariat, areas):
    today = dt.date(2026, 10, 1)
    wp = _plan(secretariat, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31))
    svc.move_workplan(secretariat, wp, WorkplanState.APPROVED)
    lagging = svc.save_item(
        secretariat,
        wp,
        area=areas["funding"],
        number="i",
        text="Fund 4",
        metric_code="funding.projects_funded",
        metric_filters={"call_ids": [world.call.pk]},
        target=4,
    )
    late = svc.save_item(secretariat, wp, area=areas["talent"], number="ii", text="Exchange")
    Milestone.objects.create(item=late, title="Call for postings", due_on=dt.date(2026, 6, 1))
    fine = svc.save_item(secretariat, wp, area=areas["talent"], number="iii", text="Done already")
    Milestone.objects.create(
        item=fine, title="Met", due_on=dt.date(2026, 6, 1), done_on=dt.date(2026, 5, 1)
    )
    done = svc.save_item(secretariat, wp, area=areas["talent"], number="iv", text="Completed late")
    Milestone.objects.create(item=done, title="Late but completed", due_on=dt.date(2026, 2, 1))
    svc.move_item(secretariat, done, ItemStatus.COMPLETED)

    off = {x["item"].number: x["off_track"] for x in prog.off_track_items(today=today)}
    assert set(off) == {"i", "ii"}
    assert "0%" in off["i"][0] and "75%" in off["i"][0]
    assert "overdue" in off["ii"][0]
    assert lagging.pk and prog.elapsed_share(wp, today) == pytest.approx(273 / 364)
    # before the period starts nothing lags
    assert prog.off_track_items(today=dt.date(2025, 12, 1)) == []


def test_public_record_loads_idempotently():
    from sciencebridge.cooperation.models import (
        Agreement,
        Indicator,
        IndicatorValue,
        Workplan,
        WorkplanItem,
    )
    from sciencebridge.cooperation.services.reference import load_public_record

    first = load_public_record()
    again = load_public_record()
    assert first == again
    assert Agreement.objects.count() == first["agreements"] >= 8
    a = Agreement.objects.get(code="miit-2024")
    assert a.signed_on == dt.date(2024, 9, 19) and {p.code for p in a.parties.all()} == {
        "miit",
        "hk-itib",
    }
    assert Agreement.objects.get(code="committee-2013").renews.code == "committee-2004"
    wp = Workplan.objects.get(code="workplan-2024-25")
    assert wp.state == WorkplanState.APPROVED and wp.approved_at.number == 18
    items = {i.number: i for i in WorkplanItem.objects.filter(workplan=wp)}
    assert items["i"].confidence == "C" and items["iv"].confidence == "U" and len(items) == 7
    gerd = IndicatorValue.objects.filter(indicator__code="gerd")
    assert (
        gerd.get(year=2022).value == Decimal("30138")
        and "implicit user cost" in gerd.get(year=2018).basis_version
    )
    assert Indicator.objects.get(code="gii-cluster-rank").lower_is_better
    assert (
        Indicator.objects.get(code="live-projects-funded").metric_code == "funding.projects_funded"
    )
