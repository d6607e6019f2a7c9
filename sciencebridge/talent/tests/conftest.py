"""Fixtures: a young-scientist exchange programme with an open call and a posting hosted by HKU."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.experts import matching_adapter
from sciencebridge.talent.models import Programme, ProgrammeCall
from sciencebridge.talent.services import exchanges as svc


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.EXPERTS_MATCHING_MODEL = "tfidf"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    matching_adapter.invalidate()
    yield
    matching_adapter.invalidate()


@pytest.fixture
def tal(world):
    now = timezone.now()
    prog = Programme.objects.create(
        code="ysx", name="Young scientist exchange", kind="young_scientist"
    )
    call = ProgrammeCall.objects.create(
        programme=prog,
        code="ysx-2026",
        title="2026 exchanges",
        opens_at=now - dt.timedelta(days=5),
        closes_at=now + dt.timedelta(days=30),
    )
    posting = svc.create_posting(
        world.hku_office,
        call,
        title="Visiting researcher in quantum sensing",
        description="Join our group working on diamond NV-centre quantum sensing for biomedical imaging.",
        keywords="quantum sensing, NV centre, imaging",
        duration_months=6,
        positions=1,
    )
    ml_office = UserFactory(
        username="ml_office", institution=world.tsinghua, roles=[Role.RESEARCH_OFFICE]
    )
    ml_applicant2 = UserFactory(
        username="ml_applicant2", institution=world.fudan, roles=[Role.APPLICANT]
    )
    secretariat = UserFactory(username="tal_secretary", roles=[Role.SECRETARIAT])
    return SimpleNamespace(
        prog=prog,
        call=call,
        posting=posting,
        ml_office=ml_office,
        ml_applicant2=ml_applicant2,
        secretariat=secretariat,
    )
