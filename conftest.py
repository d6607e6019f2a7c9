"""Shared fixtures: a small but complete joint-scheme world (agencies, institutions, people, a call)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from djmoney.money import Money

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import (
    MINIMAL_PDF,
    AgencyFactory,
    InstitutionFactory,
    UserFactory,
    make_call,
    make_scheme,
)


def pytest_configure(config):
    # Registered here as well as by pytest-xdist, so that a run without it (-p no:xdist) knows the mark.
    config.addinivalue_line(
        "markers", "xdist_group(name): tests pytest-xdist runs on one worker (--dist loadgroup)"
    )


# A test without the django_db mark, none of whose fixtures depends on django_db_setup (every fixture of
# pytest-django's that opens the database does), cannot reach the database: pytest-django refuses it. It
# does the same on SQLite as on PostgreSQL, so scripts/test runs it in one pass only.
_DATABASE_FIXTURE = "django_db_setup"


def pytest_collection_modifyitems(items):
    for item in items:
        if (
            item.get_closest_marker("django_db") is None
            and _DATABASE_FIXTURE not in item.fixturenames
        ):
            item.add_marker(pytest.mark.no_database)


@pytest.fixture(autouse=True)
def _english_to_start():
    """Each test starts in English. A request through the test client (LocaleMiddleware) or a letter
    rendered in the applicant's language leaves its language active in this thread; a later test's
    factory would then write `name` into the Chinese column of a translated model."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def world(db):
    itc = AgencyFactory(
        code="itc",
        name="Innovation and Technology Commission",
        short_name="ITC",
        region="HK",
        currency="HKD",
    )
    most = AgencyFactory(
        code="most",
        name="Ministry of Science and Technology",
        short_name="MOST",
        region="ML",
        currency="CNY",
    )
    astri = InstitutionFactory(
        code="astri", name="ASTRI", region="HK", type="research_institute", category="rnd_centre"
    )
    hku = InstitutionFactory(
        code="hku", name="The University of Hong Kong", short_name="HKU", region="HK"
    )
    company = InstitutionFactory(
        code="hk-co", name="HK Robotics Ltd", region="HK", type="enterprise", category="company"
    )
    tsinghua = InstitutionFactory(
        code="tsinghua", name="Tsinghua University", region="ML", category="mainland_university"
    )
    fudan = InstitutionFactory(
        code="fudan", name="Fudan University", region="ML", category="mainland_university"
    )
    scheme = make_scheme(itc, most, hk_ceiling=Decimal("1000000"), ml_ceiling=Decimal("800000"))
    call = make_call(scheme)
    ns = SimpleNamespace(
        itc=itc,
        most=most,
        astri=astri,
        hku=hku,
        company=company,
        tsinghua=tsinghua,
        fudan=fudan,
        scheme=scheme,
        call=call,
    )
    ns.hk_lead = UserFactory(username="hk_lead", institution=astri, roles=[Role.APPLICANT])
    ns.ml_lead = UserFactory(username="ml_lead", institution=tsinghua, roles=[Role.APPLICANT])
    ns.hk_office = UserFactory(
        username="astri_office", institution=astri, roles=[Role.RESEARCH_OFFICE]
    )
    ns.hku_office = UserFactory(
        username="hku_office", institution=hku, roles=[Role.RESEARCH_OFFICE]
    )
    ns.itc_officer = UserFactory(username="itc_officer", agency=itc, roles=[Role.PROGRAMME_OFFICER])
    ns.most_officer = UserFactory(
        username="most_officer", agency=most, roles=[Role.PROGRAMME_OFFICER]
    )
    ns.outsider = UserFactory(username="outsider", institution=hku, roles=[Role.APPLICANT])
    return ns


def pdf_upload(name="proposal.pdf", size_pad=0):
    return SimpleUploadedFile(name, MINIMAL_PDF + b"0" * size_pad, content_type="application/pdf")


@pytest.fixture
def make_ready_pair(world):
    """Return a function building a joint proposal whose two halves are complete and ready to submit."""
    from sciencebridge.funding.services import proposals as svc

    def build(title="Smart sensing for cross-boundary logistics", hk_lead=None, ml_lead=None):
        hk_lead = hk_lead or world.hk_lead
        ml_lead = ml_lead or world.ml_lead
        p = svc.create_proposal(
            hk_lead,
            world.call,
            title=title,
            abstract="An abstract.",
            plan="A plan.",
            project_type=world.scheme.project_types.get(code="platform"),
            area=world.scheme.areas.first(),
            duration_months=24,
        )
        inv = svc.invite_partner(hk_lead, p, email=ml_lead.email, institution=ml_lead.institution)
        svc.accept_invitation(ml_lead, inv.token)
        kind = world.scheme.required_attachments.get(code="proposal")
        for half, lead, cur, amount in (
            (p.half("HK"), hk_lead, "HKD", 600000),
            (p.half("ML"), ml_lead, "CNY", 500000),
        ):
            half.refresh_from_db()
            svc.replace_budget(
                lead,
                half,
                [{"category": "staff", "description": "RA", "amount": Money(amount, cur)}],
            )
            svc.update_half(
                lead,
                half,
                keywords="sensing, logistics",
                industry_sponsorship=Decimal(100000) if cur == "HKD" else None,
            )
            svc.add_attachment(lead, half, kind, pdf_upload())
        p.refresh_from_db()
        return p

    return build


@pytest.fixture(autouse=True)
def _nothing_kept_from_another_test():
    """Stamped caches (``core.stamped_cache``) live for the process; each test's data is rolled back
    after it, and a later test may reuse its ids (SQLite does) and timestamps (a frozen clock), so
    each test starts with them empty. Within a test they are used as in production. The same for
    rendered rows kept in the ``fragments`` cache."""
    from django.core.cache import caches

    from sciencebridge.core import stamped_cache, table_stamps

    stamped_cache.clear_all()
    table_stamps.clear_all()
    caches["fragments"].clear()
