"""Fixtures of national programmes open to Hong Kong applicants (a single NSFC half)."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from djmoney.money import Money

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import (
    AgencyFactory,
    InstitutionFactory,
    UserFactory,
    make_call,
)
from sciencebridge.funding.models import EligibilityProfile, Scheme


@pytest.fixture
def nworld(db):
    return build_nworld()


def build_nworld():
    from sciencebridge.funding.national_reference import NSFC_EYS, load_national_schemes

    nsfc = AgencyFactory(code="nsfc", name="NSFC", short_name="NSFC", region="ML", currency="CNY")
    AgencyFactory(code="most", name="MOST", short_name="MOST", region="ML", currency="CNY")
    hku = InstitutionFactory(code="hku", name="The University of Hong Kong", short_name="HKU")
    hkust = InstitutionFactory(code="hkust", name="HKUST", short_name="HKUST")
    hkmu = InstitutionFactory(
        code="hkmu", name="Hong Kong Metropolitan University", category="other_hk_institute"
    )
    tsinghua = InstitutionFactory(
        code="tsinghua", name="Tsinghua University", region="ML", category="mainland_university"
    )
    load_national_schemes()
    scheme = Scheme.objects.get(code=NSFC_EYS)
    call = make_call(
        scheme,
        code="eys-2026",
        reference_date=dt.date(2026, 1, 1),
        award_quota=2,
        budget_ml=Money(10_000_000, "CNY"),
    )
    ns = SimpleNamespace(nsfc=nsfc, hku=hku, hkust=hkust, hkmu=hkmu, tsinghua=tsinghua)
    ns.scheme, ns.call = scheme, call
    ns.officer = UserFactory(username="nsfc_officer", agency=nsfc, roles=[Role.PROGRAMME_OFFICER])
    ns.chair = UserFactory(username="nchair", roles=[Role.PANEL_CHAIR, Role.EXPERT])
    ns.young = applicant("young", hku, born=dt.date(1990, 5, 1), sex="M")
    return ns


def applicant(
    username, institution, *, born, sex, employment="full_time", stage="faculty", months=11
):
    user = UserFactory(username=username, institution=institution, roles=[Role.APPLICANT])
    EligibilityProfile.objects.create(
        user=user,
        date_of_birth=born,
        sex=sex,
        employment_type=employment,
        career_stage=stage,
        months_in_region=months,
    )
    return user


@pytest.fixture
def national_ready(nworld):
    """national_ready(user) -> a complete single-half draft, ready to submit."""
    from conftest import pdf_upload
    from sciencebridge.funding.services import proposals as svc

    def build(user=None, title="Quantum sensing of coastal sediments"):
        user = user or nworld.young
        p = svc.create_proposal(
            user, nworld.call, title=title, abstract="An abstract.", duration_months=36
        )
        half = p.halves.get()
        svc.replace_budget(
            user,
            half,
            [
                {
                    "category": "staff",
                    "description": "RA",
                    "amount": Money(Decimal(2_000_000), "CNY"),
                }
            ],
        )
        svc.update_half(user, half, keywords="quantum, sediments")
        for kind in nworld.scheme.required_attachments.all():
            svc.add_attachment(user, half, kind, pdf_upload())
        return p

    return build
