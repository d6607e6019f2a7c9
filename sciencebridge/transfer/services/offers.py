"""Technology offers: entered by a technology-transfer office, directly or from a project outcome."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sciencebridge.core.content_languages import fill_chinese_conversions
from sciencebridge.core.workflow import because, record_initial_state, transition

from ..models import Field, IPStatus, OfferState, OfferType, TechnologyOffer, Visibility
from ..rules import is_offer_side, is_tto

TRANSLATED = ("title", "summary")
LANGS = ("en", "zh_hant", "zh_hans")
EDITABLE = (
    "field",
    "keywords",
    "trl",
    "ip_status",
    "ip_jurisdiction",
    "ip_reference",
    "offer_types",
    "visibility",
    "details",
    "contact_name",
    "contact_email",
)


def _clean(data: dict) -> dict:
    errors = {}
    if not any((data.get(f"title_{lang}") or "").strip() for lang in LANGS):
        errors["title_en"] = _("Give the offer a title in at least one language.")
    if not any((data.get(f"summary_{lang}") or "").strip() for lang in LANGS):
        errors["summary_en"] = _("Give a plain-language summary in at least one language.")
    trl = data.get("trl")
    if trl is None or not 1 <= int(trl) <= 9:
        errors["trl"] = _("The technology readiness level is a number from 1 to 9.")
    types = [t for t in (data.get("offer_types") or []) if t]
    if not types:
        errors["offer_types"] = _("Say what is offered: a licence, co-development or assignment.")
    elif any(t not in OfferType.values for t in types):
        errors["offer_types"] = _("Unknown kind of offer.")
    if data.get("field") not in Field.values:
        errors["field"] = _("Choose a field.")
    if data.get("ip_status") not in IPStatus.values:
        errors["ip_status"] = _("Choose the IP status.")
    if data.get("visibility", Visibility.PUBLIC) not in Visibility.values:
        errors["visibility"] = _("Choose who may see the offer.")
    if errors:
        raise ValidationError(errors)
    data["offer_types"] = types
    return data


def _apply(offer: TechnologyOffer, data: dict) -> None:
    for name in TRANSLATED:
        old = {lang: getattr(offer, f"{name}_{lang}") or "" for lang in LANGS}
        # A Chinese text copied into the default-language column (below) follows its source.
        copied = old["en"] and old["en"] in (old["zh_hant"], old["zh_hans"])
        for lang in LANGS:
            key = f"{name}_{lang}"
            if key in data:
                setattr(offer, key, (data[key] or "").strip())
        if copied and (getattr(offer, f"{name}_en") or "") == old["en"]:
            setattr(offer, f"{name}_en", "")
    # The missing Chinese script by OpenCC, marked until a person confirms it.
    fill_chinese_conversions(offer, TRANSLATED, confirm=bool(data.get("confirm_conversions")))
    for name in TRANSLATED:
        # The untranslated attribute is the default-language column; fill it from the language the
        # person wrote in (the page shows it as that language, see core.content_languages).
        if not getattr(offer, f"{name}_en"):
            written = [
                getattr(offer, f"{name}_{lang}")
                for lang in LANGS
                if getattr(offer, f"{name}_{lang}")
                and f"{name}_{lang}" not in offer.converted_fields
            ]
            setattr(offer, f"{name}_en", written[0] if written else "")
    for name in EDITABLE:
        if name in data:
            setattr(offer, name, data[name] if data[name] is not None else "")


def create_offer(
    user,
    *,
    discipline_codes=(),
    outcome=None,
    publish: bool = False,
    notify_matches: bool = True,
    **data,
) -> TechnologyOffer:
    """A TTO enters an offer for its own institution (a draft unless ``publish``)."""
    if not is_tto(user):
        raise PermissionDenied(_("Only a technology-transfer office can offer technology."))
    data = _clean(data)
    data.setdefault("contact_name", user.get_full_name() or user.username)
    data.setdefault("contact_email", user.email)
    if not data.get("contact_name"):
        data["contact_name"] = user.get_full_name() or user.username
    if not data.get("contact_email"):
        data["contact_email"] = user.email
    if outcome is not None:
        from .outcomes import ip_outcomes_for_tto

        if not ip_outcomes_for_tto(user).filter(pk=outcome.pk).exists():
            raise ValidationError(
                _("This outcome is not an unoffered patent or IP of your institution's projects.")
            )
    with transaction.atomic():
        offer = TechnologyOffer(owner=user, institution_id=user.institution_id, outcome=outcome)
        _apply(offer, data)
        offer.full_clean(exclude=["discipline_codes", "outcome"])
        offer.save()
        if discipline_codes:
            offer.discipline_codes.set(discipline_codes)
        record_initial_state(offer, actor=user, reason=because(gettext_noop("Offer entered.")))
        if publish:
            publish_offer(user, offer, notify_matches=notify_matches)
    return offer


def update_offer(user, offer: TechnologyOffer, *, discipline_codes=None, **data) -> TechnologyOffer:
    if not is_offer_side(user, offer):
        raise PermissionDenied(
            _("Only the offering institution's technology-transfer office can change this offer.")
        )
    current = {f"{n}_{lang}": getattr(offer, f"{n}_{lang}") for n in TRANSLATED for lang in LANGS}
    current.update({n: getattr(offer, n) for n in EDITABLE})
    current.update(
        {k: v for k, v in data.items() if not (k in ("contact_name", "contact_email") and not v)}
    )
    data = _clean(current)
    with transaction.atomic():
        _apply(offer, data)
        offer.full_clean(exclude=["discipline_codes", "outcome"])
        offer.save()
        if discipline_codes is not None:
            offer.discipline_codes.set(discipline_codes)
    return offer


def publish_offer(user, offer: TechnologyOffer, *, notify_matches: bool = True) -> TechnologyOffer:
    if not is_offer_side(user, offer):
        raise PermissionDenied(
            _("Only the offering institution's technology-transfer office can publish this offer.")
        )
    first = offer.published_at is None
    offer.published_at = offer.published_at or timezone.now()
    transition(
        offer,
        OfferState.PUBLISHED,
        actor=user,
        reason=because(gettext_noop("Published in the marketplace.")),
        update_fields=["published_at"],
    )
    if notify_matches and first:
        from .alerts import alert_new_offer

        transaction.on_commit(lambda: alert_new_offer(offer.pk))
    return offer


def withdraw_offer(user, offer: TechnologyOffer, reason: str = "") -> TechnologyOffer:
    if not is_offer_side(user, offer):
        raise PermissionDenied(
            _("Only the offering institution's technology-transfer office can withdraw this offer.")
        )
    transition(
        offer,
        OfferState.WITHDRAWN,
        actor=user,
        reason=reason or because(gettext_noop("Withdrawn from the marketplace.")),
    )
    return offer
