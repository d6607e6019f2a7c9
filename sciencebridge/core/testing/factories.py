"""factory_boy factories shared by every app's tests."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from sciencebridge.accounts.models import AffiliationMethod, User
from sciencebridge.funding.models import (
    Call,
    ProjectType,
    RequiredAttachment,
    Scheme,
    SchemeSide,
    ThematicArea,
)
from sciencebridge.institutions.models import Institution


def _minimal_pdf() -> bytes:
    """A one-page PDF that real readers (and the upload check, pypdf) open: objects, xref, trailer."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj".encode() + body + b"endobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


MINIMAL_PDF = _minimal_pdf()


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"inst-{n}")
    name = factory.Sequence(lambda n: f"Institution {n}")
    region = "HK"
    type = "university"
    category = "ugc_university"


class AgencyFactory(InstitutionFactory):
    type = "agency"
    category = "agency"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = "Tester"
    # A factory-made affiliation counts as verified ("seeded"); an unverified claim is made with
    # sciencebridge.accounts.services.affiliations.request_affiliation().
    institution = None
    affiliation_method = factory.LazyAttribute(
        lambda u: AffiliationMethod.SEEDED if u.institution else ""
    )
    affiliation_verified_at = factory.LazyAttribute(
        lambda u: timezone.now() if u.institution else None
    )

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "pw-123456")
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            self.grant_role(role)


def make_scheme(
    hk_agency,
    ml_agency,
    *,
    code="jfs",
    hk_categories=("rnd_centre", "ugc_university"),
    hk_ceiling=None,
    ml_ceiling=None,
    max_duration=24,
    group="",
    max_roles=None,
    partner_visibility="summary",
) -> Scheme:
    scheme = Scheme.objects.create(
        code=code,
        name=f"Scheme {code}",
        short_name=code.upper(),
        max_duration_months=max_duration,
        exercise_group=group,
        max_roles_per_exercise=max_roles,
    )
    SchemeSide.objects.create(
        scheme=scheme,
        side="HK",
        agency=hk_agency,
        currency="HKD",
        eligible_lead_categories=list(hk_categories),
        funding_ceiling=hk_ceiling,
        requires_endorsement=True,
        partner_visibility=partner_visibility,
    )
    SchemeSide.objects.create(
        scheme=scheme,
        side="ML",
        agency=ml_agency,
        currency="CNY",
        eligible_lead_categories=[],
        funding_ceiling=ml_ceiling,
        requires_endorsement=False,
        partner_visibility=partner_visibility,
    )
    ProjectType.objects.create(
        scheme=scheme, code="platform", name="Platform", min_industry_share=Decimal(10)
    )
    ProjectType.objects.create(
        scheme=scheme, code="collaborative", name="Collaborative", min_industry_share=Decimal(50)
    )
    ThematicArea.objects.create(scheme=scheme, code="ai", name="Artificial intelligence")
    ThematicArea.objects.create(scheme=scheme, code="bio", name="Biotechnology")
    RequiredAttachment.objects.create(
        scheme=scheme, code="proposal", name="Full proposal", required=True
    )
    return scheme


def make_call(
    scheme, *, code=None, open_days_ago=10, closes_in_days=20, exercise="2026", **kwargs
) -> Call:
    now = timezone.now()
    return Call.objects.create(
        scheme=scheme,
        code=code or f"{scheme.code}-call",
        title=f"{scheme.name} call",
        exercise=exercise,
        opens_at=now - dt.timedelta(days=open_days_ago),
        closes_at=now + dt.timedelta(days=closes_in_days),
        **kwargs,
    )
