"""Talent exchange: postings, applications with PDF documents, selection, exchanges and metrics."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import pdf_upload
from sciencebridge.core import metrics
from sciencebridge.core.models import StateTransition
from sciencebridge.talent.models import ApplicationState, Exchange, ExchangeState, PostingState
from sciencebridge.talent.services import exchanges as svc

pytestmark = pytest.mark.django_db
D1, D2 = dt.date(2026, 3, 1), dt.date(2026, 9, 1)


def _apply(user, posting, text="I work on NV-centre quantum sensing and imaging."):
    return svc.apply(user, posting, statement=text, documents=[("cv", pdf_upload("cv.pdf"))])


def test_only_offices_post_and_only_for_their_own_institution(world, tal):
    with pytest.raises(PermissionDenied):
        svc.create_posting(world.ml_lead, tal.call, title="x", description="y", duration_months=3)
    with pytest.raises(PermissionDenied):
        svc.create_posting(
            tal.ml_office, tal.call, host=world.hku, title="x", description="y", duration_months=3
        )
    p = svc.create_posting(
        tal.ml_office, tal.call, title="Secondment to Tsinghua", description="y", duration_months=3
    )
    assert p.host == world.tsinghua and p.state == PostingState.OPEN


def test_apply_requires_pdf_and_keeps_nothing_on_refusal(world, tal):
    bad = SimpleUploadedFile("cv.docx", b"PK\x03\x04 not a pdf")
    with pytest.raises(ValidationError) as e:
        svc.apply(world.ml_lead, tal.posting, statement="Hello", documents=[("cv", bad)])
    assert "not a PDF" in str(e.value)
    assert not tal.posting.applications.exists()
    app = _apply(world.ml_lead, tal.posting)
    assert app.home == world.tsinghua and app.documents.get().kind == "cv"
    with pytest.raises(ValidationError, match="already applied"):
        _apply(world.ml_lead, tal.posting)


def test_cannot_apply_to_own_institution_or_closed_posting(world, tal):
    with pytest.raises(ValidationError, match="another institution"):
        _apply(world.outsider, tal.posting)  # outsider is at HKU, the host
    svc.close_posting(world.hku_office, tal.posting)
    with pytest.raises(ValidationError, match="not taking applications"):
        _apply(world.ml_lead, tal.posting)


def test_selection_creates_exchange_and_fills_posting(world, tal):
    a1 = _apply(world.ml_lead, tal.posting)
    a2 = _apply(tal.ml_applicant2, tal.posting)
    with pytest.raises(PermissionDenied):
        svc.decide(tal.ml_office, a1, ApplicationState.SELECTED, starts_on=D1, ends_on=D2)
    with pytest.raises(ValidationError, match="start and end"):
        svc.decide(world.hku_office, a1, ApplicationState.SELECTED)
    svc.decide(world.hku_office, a1, ApplicationState.SHORTLISTED)
    svc.decide(
        world.hku_office,
        a1,
        ApplicationState.SELECTED,
        starts_on=D1,
        ends_on=D2,
        reason="Strong fit",
    )
    ex = Exchange.objects.get(application=a1)
    assert (ex.home, ex.host, ex.direction, ex.state) == (
        world.tsinghua,
        world.hku,
        "ML→HK",
        ExchangeState.PLANNED,
    )
    tal.posting.refresh_from_db()
    assert tal.posting.state == PostingState.FILLED
    with pytest.raises(ValidationError, match="filled"):
        svc.decide(world.hku_office, a2, ApplicationState.SELECTED, starts_on=D1, ends_on=D2)
    with pytest.raises(ValidationError, match="reason"):
        svc.decide(world.hku_office, a2, ApplicationState.NOT_SELECTED)
    svc.decide(world.hku_office, a2, ApplicationState.NOT_SELECTED, reason="Position filled")
    steps = StateTransition.objects.filter(
        content_type__model="application", object_id=a1.pk
    ).order_by("id")
    assert [s.to_state for s in steps] == ["submitted", "shortlisted", "selected"]


def test_completing_exchange_needs_report_and_counts_per_direction(world, tal):
    a = _apply(world.ml_lead, tal.posting)
    svc.decide(world.hku_office, a, ApplicationState.SELECTED, starts_on=D1, ends_on=D2)
    ex = Exchange.objects.get(application=a)
    with pytest.raises(PermissionDenied):
        svc.move_exchange(world.ml_lead, ex, ExchangeState.COMPLETED, report="done")
    with pytest.raises(ValidationError, match="report"):
        svc.move_exchange(world.hku_office, ex, ExchangeState.COMPLETED)
    svc.move_exchange(
        world.hku_office, ex, ExchangeState.COMPLETED, report="Two joint papers drafted."
    )
    svc.record_completed(
        tal.secretariat,
        programme=tal.prog,
        person_name="Chan Tai Man",
        home=world.hku,
        host=world.fudan,
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 6, 30),
    )
    assert metrics.compute("talent.exchanges_completed") == 2
    assert metrics.compute("talent.exchanges_completed", year=2026, direction="ML-HK") == 1
    assert metrics.compute("talent.exchanges_hk_to_ml") == 1
    assert metrics.compute("talent.exchanges_ml_to_hk", year=2025) == 0
    assert metrics.compute("talent.cross_boundary_exchanges") == 2
    # The charts' one query for several years gives each year's figure (issue 16).
    years = [2024, 2025, 2026, 2027]
    assert metrics.compute_per_year("talent.exchanges_completed", years) == [0, 1, 1, 0]
    for code in ("talent.exchanges_hk_to_ml", "talent.exchanges_ml_to_hk"):
        for direction in (None, "ML-HK"):
            kw = {"direction": direction} if direction else {}
            per_year = metrics.compute_per_year(code, years, **kw)
            assert per_year == [metrics.compute(code, year=y, **kw) for y in years]
    assert metrics.compute_per_year("talent.exchanges_completed", years, direction="HK-ML") == [
        0,
        1,
        0,
        0,
    ]
    with pytest.raises(PermissionDenied):
        svc.record_completed(
            world.hku_office,
            programme=tal.prog,
            person_name="x",
            home=world.hku,
            host=world.fudan,
            starts_on=D1,
            ends_on=D2,
        )
