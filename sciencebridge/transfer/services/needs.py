"""Enterprise technology needs (challenges), posted by registered enterprises from either side."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sciencebridge.core.workflow import because, record_initial_state, transition

from ..models import Field, NeedState, SavedSearch, SearchTarget, TechnologyNeed
from ..rules import is_enterprise, is_need_owner


def post_need(
    user,
    *,
    title: str,
    description: str,
    field: str,
    keywords: str = "",
    discipline_codes=(),
    alert_me: bool = True,
    notify_matches: bool = True,
) -> TechnologyNeed:
    """An enterprise posts a challenge; with ``alert_me`` new matching offers are e-mailed to them."""
    if not is_enterprise(user):
        raise PermissionDenied(_("Only registered enterprises can post technology needs."))
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the need a title.")
    if not (description or "").strip():
        errors["description"] = _("Describe the challenge.")
    if field not in Field.values:
        errors["field"] = _("Choose a field.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        need = TechnologyNeed.objects.create(
            title=title.strip(),
            description=description.strip(),
            field=field,
            keywords=keywords.strip(),
            institution_id=user.institution_id,
            posted_by=user,
        )
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


def close_need(user, need: TechnologyNeed, reason: str = "") -> TechnologyNeed:
    if not is_need_owner(user, need):
        raise PermissionDenied(_("Only the enterprise that posted this need can close it."))
    transition(
        need, NeedState.CLOSED, actor=user, reason=reason or because(gettext_noop("Need closed."))
    )
    SavedSearch.objects.filter(need=need).update(email_alerts=False)
    return need
