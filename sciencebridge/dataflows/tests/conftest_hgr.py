"""Fixtures for sample exports and datasets: a pilot unit in Shenzhen (a Hong Kong university's
hospital there), its researcher and office, the HKU recipient, the secretariat, and a joint project whose
Mainland lead works at the pilot unit."""

from types import SimpleNamespace

import pytest

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import AgencyFactory, InstitutionFactory, UserFactory
from sciencebridge.dataflows.models_samples import PilotUnit, SampleFlowRule
from sciencebridge.projects.tests.conftest import fund_proposal


@pytest.fixture
def hgr(world, make_ready_pair):
    hosp = InstitutionFactory(
        code="hku-szh",
        name="The University of Hong Kong-Shenzhen Hospital",
        short_name="HKU-SZH",
        region="ML",
        type="research_institute",
        category="mainland_institute",
    )
    other_ml = InstitutionFactory(
        code="sysu", name="Sun Yat-sen University", region="ML", category="mainland_university"
    )
    unit = PilotUnit.objects.create(institution=hosp, kind="hospital", parent=world.hku)
    researcher = UserFactory(username="szh_researcher", institution=hosp, roles=[Role.APPLICANT])
    office = UserFactory(username="szh_office", institution=hosp, roles=[Role.RESEARCH_OFFICE])
    secretariat = UserFactory(username="hgr_secretariat", roles=[Role.SECRETARIAT])
    rgc = AgencyFactory(code="rgc", name="Research Grants Council", short_name="RGC", region="HK")
    officer_other = UserFactory(username="rgc_officer", agency=rgc, roles=[Role.PROGRAMME_OFFICER])
    other_office = UserFactory(
        username="sysu_office", institution=other_ml, roles=[Role.RESEARCH_OFFICE]
    )
    project = fund_proposal(world, make_ready_pair(ml_lead=researcher)).project
    SampleFlowRule.objects.create(effective_from="2024-01-01", whitelist_enabled=True)
    return SimpleNamespace(
        hosp=hosp,
        unit=unit,
        researcher=researcher,
        office=office,
        secretariat=secretariat,
        officer_other=officer_other,
        other_office=other_office,
        project=project,
    )
