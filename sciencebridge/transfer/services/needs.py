"""Enterprise technology needs (challenges), posted by registered enterprises from either side."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sciencebridge.core.content_languages import (
    confirm_conversions,
    fill_chinese_conversions,
    guess_language,
)
from sciencebridge.core.workflow import because, record_initial_state, transition

from ..models import Field, NeedState, SavedSearch, SearchTarget, TechnologyNeed
from ..rules import is_enterprise, is_need_owner

TRANSLATED = ("title", "description")
LANGS = ("en", "zh_hant", "zh_hans")


def post_need(
    user,
    *,
    field: str,
    title: str = "",
    description: str = "",
    keywords: str = "",
    discipline_codes=(),
    alert_me: bool = True,
    notify_matches: bool = True,
    confirm_conversions: bool = False,
    **texts,
) -> TechnologyNeed:
    """An enterprise posts a challenge; with ``alert_me`` new matching offers are e-mailed to them."""
    if not is_enterprise(user):
        raise PermissionDenied(_("Only registered enterprises can post technology needs."))
    columns = {
        f"{n}_{lang}": (texts.get(f"{n}_{lang}") or "").strip()
        for n in TRANSLATED
        for lang in LANGS
    }
    for name, plain in (("title", title), ("description", description)):
        plain = (plain or "").strip()  # one text: the language it is written in
        if plain and not any(columns[f"{name}_{lang}"] for lang in LANGS):
            columns[f"{name}_{guess_language(plain)}"] = plain
    errors = {}
    if not any(columns[f"title_{lang}"] for lang in LANGS):
        errors["title_en"] = _("Give the need a title.")
    if not any(columns[f"description_{lang}"] for lang in LANGS):
        errors["description_en"] = _("Describe the challenge.")
    if field not in Field.values:
        errors["field"] = _("Choose a field.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        need = TechnologyNeed(
            field=field,
            keywords=keywords.strip(),
            institution_id=user.institution_id,
            posted_by=user,
            **columns,
        )
        # The missing Chinese script by OpenCC, marked until the enterprise confirms it; the
        # required default-language column holds the text as written when there is no English.
        fill_chinese_conversions(need, TRANSLATED, confirm=confirm_conversions)
        for name in TRANSLATED:
            if not columns[f"{name}_en"]:
                written = next(
                    columns[f"{name}_{lang}"] for lang in LANGS if columns[f"{name}_{lang}"]
                )
                setattr(need, f"{name}_en", written)
        need.save()
        if discipline_codes:
            need.discipline_codes.set(discipline_codes)
        record_initial_state(need, actor=user, reason=because(gettext_noop("Need posted.")))
        if alert_me:
            from .alerts import save_search

            save_search(user, target=SearchTarget.OFFERS, query=need.title, need=need)
        if notify_matches:
            from .alerts import alert_new_need

            transaction.on_commit(lambda: alert_new_need(need.pk))
    return need


def confirm_need_conversions(user, need: TechnologyNeed) -> TechnologyNeed:
    """The enterprise checked the Traditional ⇄ Simplified conversions: they are its own text now."""
    if not is_need_owner(user, need):
        raise PermissionDenied(_("Only the enterprise that posted this need can change it."))
    confirm_conversions(need)
    need.save(update_fields=["converted_fields"])
    return need


def close_need(user, need: TechnologyNeed, reason: str = "") -> TechnologyNeed:
    if not is_need_owner(user, need):
        raise PermissionDenied(_("Only the enterprise that posted this need can close it."))
    transition(
        need, NeedState.CLOSED, actor=user, reason=reason or because(gettext_noop("Need closed."))
    )
    SavedSearch.objects.filter(need=need).update(email_alerts=False)
    return need
