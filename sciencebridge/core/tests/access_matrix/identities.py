"""The identities the access matrix checks, built in ONE place.

Each identity is a short name (used as the key in the rules table) and a function building the user from
the world's institutions and agencies. Affiliations are verified (issue 11, item 2): ``User.institution`` is
set only with a verification record (``UserFactory`` seeds one); a claim nobody has verified yet is an
``AffiliationRequest`` and grants nothing, which is what ``unaffiliated`` and ``colleague`` hold.
"""

from sciencebridge.accounts.roles import Role
from sciencebridge.core.testing.factories import UserFactory
from sciencebridge.transfer.models import ENTERPRISE_ROLE, TTO_ROLE

ANON = "anon"
APPLICANT = "applicant"  # lead of the Hong Kong half of every proposal in the world (ASTRI)
PARTNER = "partner"  # lead of the Mainland half (Tsinghua), the partner applicant
APPLICANT_OTHER = "applicant_other"  # an applicant of another institution (HKU), on no proposal
UNAFFILIATED = "unaffiliated"  # an applicant with no institution at all
COLLEAGUE = "colleague"  # an applicant whose claim to the lead's institution (ASTRI) is not verified, on nothing:
#                          what anyone registering with "ASTRI" gets; institution-wide rights must not reach them
OFFICE_OWN = "office_own"  # research office of the HK half's institution (ASTRI)
OFFICE_OTHER = (
    "office_other"  # research office of another institution (HKU; it hosts the talent posting)
)
OFFICER_HK = "officer_hk"  # programme officer of the call's HK agency (ITC)
OFFICER_ML = "officer_ml"  # programme officer of the call's Mainland agency (MOST)
OFFICER_OTHER = "officer_other"  # programme officer of an agency not in the call's scheme (RGC)
EXPERT = (
    "expert"  # expert invited on the HK half: accepted, no conflict confirmed, review submitted
)
EXPERT_COI = "expert_coi"  # expert invited on the HK half who declared a conflict
CHAIR = "chair"  # chair of the call's Mainland panel, no conflict
CHAIR_COI = (
    "chair_coi"  # chair of the call's HK panel who declared a conflict on the HK half as a reviewer
)
SECRETARIAT = "secretariat"
TTO = "tto"  # technology-transfer office of HKU; owns the technology offer
ENTERPRISE = "enterprise"  # registered enterprise representative (HK Robotics); posted the need, opened the deal
ADMIN = "admin"  # superuser

ALL = (
    ANON,
    APPLICANT,
    PARTNER,
    APPLICANT_OTHER,
    UNAFFILIATED,
    COLLEAGUE,
    OFFICE_OWN,
    OFFICE_OTHER,
    OFFICER_HK,
    OFFICER_ML,
    OFFICER_OTHER,
    EXPERT,
    EXPERT_COI,
    CHAIR,
    CHAIR_COI,
    SECRETARIAT,
    TTO,
    ENTERPRISE,
    ADMIN,
)


def make_claimant(username, institution):
    """An applicant account with only an unverified claim to ``institution`` (no verified affiliation)."""
    from sciencebridge.accounts.services.affiliations import request_affiliation

    user = UserFactory(username=username, institution=None, roles=[Role.APPLICANT])
    request_affiliation(user, institution, send_link=False)
    user.refresh_from_db()
    assert user.institution_id is None
    return user


def build_identities(w) -> dict:
    """Users for every identity but ``anon``; ``w`` is the world namespace (institutions and agencies)."""
    admin = UserFactory(username="m_admin", is_superuser=True, is_staff=True)
    return {
        APPLICANT: UserFactory(
            username="m_applicant",
            first_name="Hoi",
            last_name="Lead",
            institution=w.astri,
            roles=[Role.APPLICANT],
        ),
        PARTNER: UserFactory(
            username="m_partner",
            first_name="Wei",
            last_name="Partner",
            institution=w.tsinghua,
            roles=[Role.APPLICANT],
        ),
        APPLICANT_OTHER: UserFactory(
            username="m_applicant_other", institution=w.hku, roles=[Role.APPLICANT]
        ),
        UNAFFILIATED: UserFactory(
            username="m_unaffiliated", institution=None, roles=[Role.APPLICANT]
        ),
        COLLEAGUE: make_claimant("m_colleague", w.astri),
        OFFICE_OWN: UserFactory(
            username="m_office_own", institution=w.astri, roles=[Role.RESEARCH_OFFICE]
        ),
        OFFICE_OTHER: UserFactory(
            username="m_office_other", institution=w.hku, roles=[Role.RESEARCH_OFFICE]
        ),
        OFFICER_HK: UserFactory(
            username="m_officer_hk", agency=w.itc, roles=[Role.PROGRAMME_OFFICER]
        ),
        OFFICER_ML: UserFactory(
            username="m_officer_ml", agency=w.most, roles=[Role.PROGRAMME_OFFICER]
        ),
        OFFICER_OTHER: UserFactory(
            username="m_officer_other", agency=w.rgc, roles=[Role.PROGRAMME_OFFICER]
        ),
        EXPERT: UserFactory(username="m_expert", institution=w.cuhk, roles=[Role.EXPERT]),
        EXPERT_COI: UserFactory(username="m_expert_coi", institution=w.cuhk, roles=[Role.EXPERT]),
        CHAIR: UserFactory(
            username="m_chair", institution=w.fudan, roles=[Role.PANEL_CHAIR, Role.EXPERT]
        ),
        CHAIR_COI: UserFactory(
            username="m_chair_coi", institution=w.cuhk, roles=[Role.PANEL_CHAIR, Role.EXPERT]
        ),
        SECRETARIAT: UserFactory(username="m_secretariat", roles=[Role.SECRETARIAT]),
        TTO: UserFactory(username="m_tto", institution=w.hku, roles=[TTO_ROLE]),
        ENTERPRISE: UserFactory(
            username="m_enterprise", institution=w.company, roles=[ENTERPRISE_ROLE]
        ),
        ADMIN: admin,
    }
