"""Expressions of interest, the confidentiality (NDA) step and the deal pipeline.

contacted → under NDA → negotiating → licensed / spin-off / closed (closed from any open stage).
Every move goes through ``core.workflow.transition`` (who, when, why) and stamps the stage's date.
A licence or spin-off records its value in the deal's currency (HKD or RMB), so success can be
counted per currency.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from djmoney.money import Money

from sciencebridge.core.notify import Subject, notify
from sciencebridge.core.workflow import allowed_targets, record_initial_state, transition
from sciencebridge.institutions.models import Region

from ..models import (
    DEAL_CURRENCIES,
    DEAL_DONE,
    NDA_VERSION,
    Deal,
    DealState,
    NdaAcceptance,
    OfferState,
    TechnologyOffer,
)
from ..rules import (
    can_express_interest,
    can_view_offer,
    is_deal_offer_side,
    is_deal_party,
    is_enterprise,
)

DATE_FIELD = {
    DealState.UNDER_NDA: "nda_on",
    DealState.NEGOTIATING: "negotiating_on",
    DealState.LICENSED: "closed_on",
    DealState.SPIN_OFF: "closed_on",
    DealState.CLOSED: "closed_on",
}


def default_currency(institution) -> str:
    return "CNY" if institution is not None and institution.region == Region.MAINLAND else "HKD"


def open_deal(offer: TechnologyOffer, institution_id: int) -> Deal | None:
    return (
        Deal.objects.filter(offer=offer, enterprise_id=institution_id)
        .exclude(state=DealState.CLOSED)
        .first()
    )


def express_interest(user, offer: TechnologyOffer, *, message: str, need=None) -> Deal:
    """An enterprise tells the offering institution it is interested: a deal at "contacted"."""
    if not can_express_interest(user, offer):
        raise PermissionDenied(
            _("Only registered enterprises can express interest in a published offer.")
        )
    if not (message or "").strip():
        raise ValidationError({"message": _("Write a short message to the technology owner.")})
    if need is not None and need.institution_id != user.institution_id:
        need = None
    existing = open_deal(offer, user.institution_id)
    if existing is not None:
        raise ValidationError(_("Your enterprise is already in contact about this offer."))
    try:
        with transaction.atomic():
            deal = Deal.objects.create(
                offer=offer,
                enterprise_id=user.institution_id,
                contact=user,
                need=need,
                message=message.strip(),
                value_currency=default_currency(user.institution),
            )
            record_initial_state(deal, actor=user, reason=message.strip()[:500])
            if NdaAcceptance.objects.filter(
                offer=offer, institution_id=user.institution_id
            ).exists():
                _move(
                    deal,
                    DealState.UNDER_NDA,
                    user,
                    _("Confidentiality undertaking already accepted."),
                )
    except IntegrityError:  # a concurrent request created it first
        raise ValidationError(
            _("Your enterprise is already in contact about this offer.")
        ) from None
    transaction.on_commit(lambda: _tell_offer_side(deal))
    return deal


def _tell_offer_side(deal: Deal) -> None:
    offer = deal.offer
    notify(
        offer.contact_email,
        Subject(gettext_noop("Expression of interest in “%(t)s”"), t=offer.title[:80]),
        "transfer/email/interest.txt",
        {"deal": deal, "offer": offer, "url": reverse("transfer:deal", args=[deal.pk])},
    )


def nda_terms(offer: TechnologyOffer) -> str:
    return _(
        "The enterprise undertakes to keep the confidential details of “%(title)s”, disclosed by "
        "%(owner)s, confidential; to use them only to evaluate a licence, co-development or "
        "assignment of this technology; not to pass them to third parties, including affiliates "
        "outside the signatory enterprise; and to return or destroy them on request. The "
        "undertaking lasts three years from acceptance and is governed by the law of the place of "
        "the offering institution. Terms version %(version)s."
    ) % {"title": offer.title, "owner": offer.institution, "version": NDA_VERSION}


def accept_nda(
    user, offer: TechnologyOffer, *, signer_name: str, signer_title: str = "", accept: bool = False
) -> NdaAcceptance:
    """The enterprise accepts the confidentiality terms: the offer's details become visible to it."""
    if (
        not (is_enterprise(user) and can_view_offer(user, offer))
        or offer.state != OfferState.PUBLISHED
    ):
        raise PermissionDenied(
            _(
                "Only registered enterprises can accept the confidentiality terms of a published offer."
            )
        )
    errors = {}
    if not accept:
        errors["accept"] = _("Tick the box to accept the confidentiality terms.")
    if not (signer_name or "").strip():
        errors["signer_name"] = _("Type the full name of the person signing for the enterprise.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        nda, created = NdaAcceptance.objects.get_or_create(
            offer=offer,
            institution_id=user.institution_id,
            defaults={
                "user": user,
                "signer_name": signer_name.strip(),
                "signer_title": (signer_title or "").strip(),
            },
        )
        deal = open_deal(offer, user.institution_id)
        if deal is None:
            deal = Deal.objects.create(
                offer=offer,
                enterprise_id=user.institution_id,
                contact=user,
                message=_("Accepted the confidentiality terms to see the details."),
                value_currency=default_currency(user.institution),
            )
            record_initial_state(deal, actor=user, reason=deal.message)
        if deal.state == DealState.CONTACTED:
            _move(
                deal,
                DealState.UNDER_NDA,
                user,
                _("Confidentiality undertaking accepted by %(name)s.") % {"name": nda.signer_name},
            )
    return nda


def _move(deal: Deal, to: str, actor, reason: str, extra: list[str] | None = None) -> None:
    fields = list(extra or [])
    date_field = DATE_FIELD.get(to)
    if date_field and getattr(deal, date_field) is None:
        setattr(deal, date_field, timezone.localdate())
        fields.append(date_field)
    transition(deal, to, actor=actor, reason=reason, update_fields=[*fields, "updated_at"])


def moves_for(user, deal: Deal) -> list[str]:
    """The stages this user may move the deal to now."""
    if not is_deal_party(user, deal):
        return []
    targets = allowed_targets(deal)
    if not is_deal_offer_side(user, deal):
        # The enterprise can only walk away; the offering side records progress and the result
        # (the NDA step is the enterprise's own acceptance).
        return [s for s in DealState.values if s in targets and s == DealState.CLOSED]
    return [s for s in DealState.values if s in targets and s != DealState.UNDER_NDA]


def move_deal(
    user,
    deal: Deal,
    to: str,
    *,
    reason: str = "",
    value: Money | None = None,
    concluded_on: dt.date | None = None,
    terms: str = "",
) -> Deal:
    if not is_deal_party(user, deal):
        raise PermissionDenied(_("Only the parties to this deal can change it."))
    if to not in moves_for(user, deal):
        raise ValidationError(
            _("This deal cannot move to “%(to)s” now.")
            % {"to": dict(DealState.choices).get(to, to)}
        )
    extra = []
    if to in DEAL_DONE:
        if value is None or value.amount is None or value.amount <= 0:
            raise ValidationError({"value": _("Record the value of the agreement.")})
        if str(value.currency) not in dict(DEAL_CURRENCIES):
            raise ValidationError({"value": _("Deals are valued in HKD or RMB.")})
        deal.value = value
        extra += ["value_currency", "value"]
    if terms:
        deal.terms = terms.strip()
        extra.append("terms")
    if concluded_on and to in (*DEAL_DONE, DealState.CLOSED):
        if concluded_on > timezone.localdate():
            raise ValidationError(
                {"concluded_on": _("The date of the agreement cannot be in the future.")}
            )
        if concluded_on < deal.contacted_on:
            raise ValidationError(
                {"concluded_on": _("The agreement cannot predate the first contact.")}
            )
        deal.closed_on = concluded_on
        extra.append("closed_on")
    with transaction.atomic():
        locked = Deal.objects.select_for_update().get(pk=deal.pk)
        if locked.state != deal.state:
            raise ValidationError(_("Someone else moved this deal meanwhile; reload the page."))
        _move(deal, to, user, reason or dict(DealState.choices)[to], extra)
    return deal
