"""Fixtures: a funded joint project whose Mainland lead (Tsinghua, Shenzhen campus) sends survey data to a
partner at HKU, and a helper that builds a complete agreement."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from conftest import pdf_upload
from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.dataflows import reference
from sciencebridge.dataflows.models import GBALocation
from sciencebridge.dataflows.services import agreements as svc
from sciencebridge.projects.tests.conftest import fund_proposal


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def gba(world, make_ready_pair):
    reference.load()  # idempotent: a transactional test before may have flushed the migration's rows
    project = fund_proposal(world, make_ready_pair()).project
    loc = {x.code: x for x in GBALocation.objects.all()}
    hku_partner = UserFactory(username="hku_partner", institution=world.hku, roles=[Role.APPLICANT])
    secretariat = UserFactory(username="gba_secretary", roles=[Role.SECRETARIAT])
    tsinghua_office = UserFactory(
        username="tsinghua_office", institution=world.tsinghua, roles=[Role.RESEARCH_OFFICE]
    )
    return SimpleNamespace(
        project=project,
        loc=loc,
        lead=world.ml_lead,
        partner=hku_partner,
        secretariat=secretariat,
        tsinghua_office=tsinghua_office,
    )


def complete_fields(world, gba, **over):
    today = timezone.localdate()
    fields = {
        "title": "Household survey of cross-boundary commuters",
        "project": gba.project,
        "processor_institution": world.tsinghua,
        "processor_location": gba.loc["shenzhen"],
        "recipient_institution": world.hku,
        "recipient_location": gba.loc["hong-kong"],
        "recipient_contact": gba.partner,
        "purpose": "Joint analysis of commuting patterns",
        "processing_method": "Pseudonymised analysis on HKU's secure server",
        "pi_categories": "Age band, district of residence, commuting times",
        "volume": 1200,
        "retention_months": 36,
        "consent_basis": "consent",
        "security_measures": "Encryption in transit and at rest; access by named researchers",
        "piia_date": today - dt.timedelta(days=10),
        "effective_date": today,
    }
    fields.update(over)
    return fields


@pytest.fixture
def make_agreement(world, gba):
    def build(user=None, piia=True, **over):
        return svc.create_agreement(
            user or gba.lead,
            piia_file=pdf_upload("piia.pdf") if piia else None,
            **complete_fields(world, gba, **over),
        )

    return build


@pytest.fixture
def signed(gba, make_agreement):
    def build(**over):
        a = make_agreement(**over)
        svc.submit(gba.lead, a)
        svc.accept(gba.lead, a, "processor")
        svc.accept(gba.partner, a, "recipient")
        a.refresh_from_db()
        return a

    return build


from sciencebridge.projects.tests.conftest import funded  # noqa: E402,F401

from .conftest_hgr import hgr  # noqa: E402,F401  (sample exports and datasets)
