"""Who may see and do what in the technology-transfer marketplace (django-rules predicates).

- A technology-transfer office (TTO: the "tto" role) manages the offers of its own institution.
- A registered enterprise representative has the "enterprise" role and works for an institution of
  type enterprise; only they see "registered enterprises only" offers and post needs.
- An offer's confidential details are shown to the offer's own side, and to an enterprise only
  after that enterprise has accepted the confidentiality (NDA) undertaking for that offer.
- A deal is seen by its two parties only (the offer's institution and the enterprise).
"""

import rules

from sciencebridge.accounts.roles import Role
from sciencebridge.institutions.models import InstitutionType

from .models import ENTERPRISE_ROLE, TTO_ROLE, NeedState, OfferState, Visibility

STAFF_ROLES = (Role.ADMINISTRATOR, Role.SECRETARIAT)


@rules.predicate
def is_marketplace_staff(user) -> bool:
    return bool(user.is_authenticated and any(user.has_role(r) for r in STAFF_ROLES))


@rules.predicate
def is_tto(user) -> bool:
    return bool(user.is_authenticated and user.institution_id and user.has_role(TTO_ROLE))


@rules.predicate
def is_enterprise(user) -> bool:
    """A registered enterprise representative: the enterprise role and an enterprise employer."""
    return bool(
        user.is_authenticated
        and user.institution_id
        and user.has_role(ENTERPRISE_ROLE)
        and user.institution.type == InstitutionType.ENTERPRISE
    )


@rules.predicate
def is_offer_side(user, offer) -> bool:
    """The TTO of the offering institution, or the person who entered the offer."""
    if not user.is_authenticated or offer is None:
        return False
    return offer.owner_id == user.pk or bool(
        is_tto(user) and offer.institution_id == user.institution_id
    )


@rules.predicate
def can_view_offer(user, offer) -> bool:
    if offer is None:
        return False
    if is_offer_side(user, offer) or is_marketplace_staff(user):
        return True
    if offer.state != OfferState.PUBLISHED:
        return False
    if offer.visibility == Visibility.PUBLIC:
        return True
    return bool(is_enterprise(user) or is_tto(user))


def has_signed_nda(user, offer) -> bool:
    if not is_enterprise(user):
        return False
    return offer.ndas.filter(institution_id=user.institution_id).exists()


@rules.predicate
def can_view_offer_details(user, offer) -> bool:
    """The confidential details: the offer's own side, or an enterprise under NDA for this offer."""
    if offer is None or not can_view_offer(user, offer):
        return False
    return bool(is_offer_side(user, offer) or has_signed_nda(user, offer))


@rules.predicate
def can_express_interest(user, offer) -> bool:
    return bool(
        offer is not None
        and offer.state == OfferState.PUBLISHED
        and is_enterprise(user)
        and can_view_offer(user, offer)
    )


@rules.predicate
def is_need_owner(user, need) -> bool:
    return bool(
        need is not None
        and user.is_authenticated
        and (
            need.posted_by_id == user.pk
            or (is_enterprise(user) and need.institution_id == user.institution_id)
        )
    )


@rules.predicate
def can_view_need(user, need) -> bool:
    if need is None:
        return False
    if is_need_owner(user, need) or is_marketplace_staff(user):
        return True
    return bool(need.state == NeedState.OPEN and (is_tto(user) or is_enterprise(user)))


@rules.predicate
def is_deal_party(user, deal) -> bool:
    if deal is None or not user.is_authenticated:
        return False
    if is_offer_side(user, deal.offer):
        return True
    return bool(is_enterprise(user) and deal.enterprise_id == user.institution_id)


@rules.predicate
def is_deal_offer_side(user, deal) -> bool:
    return bool(deal is not None and is_offer_side(user, deal.offer))


rules.add_perm("transfer.add_offer", is_tto)
rules.add_perm("transfer.view_offer", can_view_offer)
rules.add_perm("transfer.edit_offer", is_offer_side)
rules.add_perm("transfer.view_offer_details", can_view_offer_details)
rules.add_perm("transfer.express_interest", can_express_interest)
rules.add_perm("transfer.add_need", is_enterprise)
rules.add_perm("transfer.view_need", can_view_need)
rules.add_perm("transfer.edit_need", is_need_owner)
rules.add_perm("transfer.view_deal", is_deal_party)
rules.add_perm("transfer.move_deal", is_deal_party)
