"""Sample exports: application, approval, transfers within the approval, the white-list model, and
every bad input refused with a reason and nothing stored."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sciencebridge.core.models import StateTransition
from sciencebridge.dataflows.models_samples import (
    HgrTransfer,
    SampleFlowRule,
)
from sciencebridge.dataflows.services import samples as svc

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _today_as_the_test_runs():
    """TODAY as of each test, not of collection: a run that crossed midnight in Hong Kong (16:00 UTC)
    compared a stale TODAY with the services' ``timezone.localdate()``."""
    global TODAY
    TODAY = timezone.localdate()


def _approved(world, hgr, quantity=100, approved=None, kind="blood"):
    app = svc.create_application(
        hgr.researcher,
        pilot_unit=hgr.unit,
        recipient=world.hku,
        sample_kind=kind,
        quantity=quantity,
        purpose="Genotyping of a liver-cancer cohort at the HKU state key laboratory.",
        conditions="Destroyed after analysis.",
        project=hgr.project,
    )
    svc.submit(hgr.researcher, app)
    svc.record_approval(
        hgr.secretariat,
        app,
        approval_reference=f"MOST-HGR-{app.pk}",
        approval_date=TODAY - dt.timedelta(days=10),
        approved_quantity=approved,
    )
    app.refresh_from_db()
    return app


def test_flow_within_approval_then_white_list_then_excess_refused(world, hgr):
    app = _approved(world, hgr, quantity=100)
    assert app.state == "approved" and app.approved_quantity == 100
    first = svc.record_transfer(hgr.researcher, app, quantity=40, shipped_on=TODAY)
    assert (first.review, first.state) == ("full", "under_review")
    # a second transfer while the first is still under review is not yet white-listed
    svc.review_transfer(hgr.secretariat, first, "cleared")
    second = svc.record_transfer(hgr.office, app, quantity=30, shipped_on=TODAY)
    assert (second.review, second.state) == ("notification", "notified")
    # 40 + 30 + 31 > 100: refused with the figures, nothing stored
    with pytest.raises(ValidationError) as e:
        svc.record_transfer(hgr.researcher, app, quantity=31, shipped_on=TODAY)
    msg = " ".join(e.value.message_dict["quantity"])
    assert "31" in msg and "100 approved" in msg and "70 already" in msg and "30 left" in msg
    assert HgrTransfer.objects.filter(application=app).count() == 2
    # exactly the remainder is accepted
    last = svc.record_transfer(hgr.researcher, app, quantity=30, shipped_on=TODAY)
    assert svc.used_quantity(app) == 100 and last.review == "notification"
    states = list(
        StateTransition.objects.filter(object_id=app.pk, content_type__model="hgrexportapplication")
        .order_by("id")
        .values_list("to_state", flat=True)
    )
    assert states == ["draft", "submitted", "approved"]


def test_white_list_is_per_kind_and_parties_and_can_be_switched_off(world, hgr):
    blood = _approved(world, hgr, kind="blood")
    dna = _approved(world, hgr, kind="dna")
    t = svc.record_transfer(hgr.researcher, blood, quantity=5, shipped_on=TODAY)
    svc.review_transfer(hgr.secretariat, t, "cleared")
    # another kind between the same parties: full review
    assert svc.record_transfer(hgr.researcher, dna, quantity=5, shipped_on=TODAY).review == "full"
    # the same kind on a later approval between the same parties: a notification
    blood2 = _approved(world, hgr, kind="blood")
    assert (
        svc.record_transfer(hgr.researcher, blood2, quantity=5, shipped_on=TODAY).review
        == "notification"
    )
    # a newer rule switches the model off: full review again
    SampleFlowRule.objects.create(
        effective_from=TODAY - dt.timedelta(days=1), whitelist_enabled=False
    )
    assert (
        svc.record_transfer(hgr.researcher, blood2, quantity=5, shipped_on=TODAY).review == "full"
    )


def test_refused_transfer_gives_its_quantity_back(world, hgr):
    app = _approved(world, hgr, quantity=10)
    t = svc.record_transfer(hgr.researcher, app, quantity=10, shipped_on=TODAY)
    with pytest.raises(ValidationError):
        svc.review_transfer(hgr.secretariat, t, "refused")  # no reason
    svc.review_transfer(hgr.secretariat, t, "refused", reason="Courier not licensed.")
    assert svc.used_quantity(app) == 0
    assert svc.record_transfer(hgr.researcher, app, quantity=10, shipped_on=TODAY).quantity == 10


@pytest.mark.parametrize(
    "change, field",
    [
        ({"recipient": "tsinghua"}, "recipient"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": "many"}, "quantity"),
        ({"purpose": "  "}, "purpose"),
        ({"sample_kind": "plasma-x"}, "sample_kind"),
    ],
)
def test_bad_application_refused(world, hgr, change, field):
    kw = dict(
        pilot_unit=hgr.unit,
        recipient=world.hku,
        sample_kind="blood",
        quantity=5,
        purpose="Study",
    )
    if "recipient" in change:
        change = {"recipient": getattr(world, change["recipient"])}
    kw.update(change)
    with pytest.raises(ValidationError) as e:
        svc.create_application(hgr.researcher, **kw)
    assert field in e.value.message_dict
    assert not hgr.unit.exports.exists()


def test_only_pilot_unit_members_apply(world, hgr):
    with pytest.raises(PermissionDenied):
        svc.create_application(
            world.ml_lead,
            pilot_unit=hgr.unit,
            recipient=world.hku,
            sample_kind="blood",
            quantity=5,
            purpose="Study",
        )


def test_bad_approval_and_transfer_refused(world, hgr):
    app = svc.create_application(
        hgr.researcher,
        pilot_unit=hgr.unit,
        recipient=world.hku,
        sample_kind="tissue",
        quantity=20,
        purpose="Study",
    )
    with pytest.raises(ValidationError):  # not approved yet
        svc.record_transfer(hgr.researcher, app, quantity=1, shipped_on=TODAY)
    svc.submit(hgr.researcher, app)
    with pytest.raises(PermissionDenied):  # the applicant does not approve their own export
        svc.record_approval(hgr.researcher, app, approval_reference="X", approval_date=TODAY)
    for kw, field in [
        ({"approval_reference": "", "approval_date": TODAY}, "approval_reference"),
        (
            {"approval_reference": "A1", "approval_date": TODAY + dt.timedelta(days=1)},
            "approval_date",
        ),
        (
            {"approval_reference": "A1", "approval_date": TODAY, "approved_quantity": 21},
            "approved_quantity",
        ),
        (
            {"approval_reference": "A1", "approval_date": TODAY, "valid_until": TODAY},
            "valid_until",
        ),
    ]:
        with pytest.raises(ValidationError) as e:
            svc.record_approval(hgr.secretariat, app, **kw)
        assert field in e.value.message_dict
        app.refresh_from_db()
        assert app.state == "submitted" and app.approval_reference == ""
    svc.record_approval(
        hgr.secretariat,
        app,
        approval_reference="A1",
        approval_date=TODAY - dt.timedelta(days=3),
        approved_quantity=15,
        valid_until=TODAY + dt.timedelta(days=30),
    )
    for kw, field in [
        ({"quantity": 16, "shipped_on": TODAY}, "quantity"),
        ({"quantity": 1, "shipped_on": TODAY - dt.timedelta(days=4)}, "shipped_on"),
        ({"quantity": 1, "shipped_on": TODAY + dt.timedelta(days=31)}, "shipped_on"),
        ({"quantity": -2, "shipped_on": TODAY}, "quantity"),
    ]:
        with pytest.raises(ValidationError) as e:
            svc.record_transfer(hgr.researcher, app, **kw)
        assert field in e.value.message_dict
    assert not app.transfers.exists()
    with pytest.raises(PermissionDenied):  # the recipient's office does not record shipments
        svc.record_transfer(world.hku_office, app, quantity=1, shipped_on=TODAY)
