"""Saved searches and e-mail alerts for new matches.

A saved search is a standing query for offers (an enterprise, often tied to one of its needs) or for
needs (a technology-transfer office). Every match found is stored once as a ``SavedSearchHit``
(unique per search and object, so concurrent runs cannot alert twice); only hits created by this
run are e-mailed. Saving a search records what already matches without e-mailing it, so alerts are
for *new* matches only.

Runs: as a background job (``sciencebridge.jobs``) when an offer is published or a need is posted
(``alert_new_offer`` / ``alert_new_need``), and periodically (``run_all_saved_searches``, idempotent;
``manage.py transfer_alerts``) to catch anything else.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sciencebridge.core.notify import notify

from .. import matching_adapter as ma
from ..models import Field, SavedSearch, SavedSearchHit, SearchTarget
from ..rules import is_enterprise, is_tto

log = logging.getLogger(__name__)
MAX_MATCHES = 20


def save_search(
    user,
    *,
    target: str = SearchTarget.OFFERS,
    query: str,
    field: str = "",
    need=None,
    email_alerts: bool = True,
) -> SavedSearch:
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to save a search."))
    if target == SearchTarget.NEEDS and not (is_tto(user) or is_enterprise(user)):
        raise PermissionDenied(
            _("Only technology-transfer offices and enterprises can follow needs.")
        )
    query = (query or "").strip()
    if not query:
        raise ValidationError({"query": _("Describe what you are looking for.")})
    if field and field not in Field.values:
        raise ValidationError({"field": _("Choose a field.")})
    search = SavedSearch.objects.create(
        user=user,
        target=target,
        query=query[:500],
        field=field or "",
        need=need,
        email_alerts=email_alerts,
    )
    # What already matches is shown on the page, not e-mailed: alerts are for new matches.
    run_saved_search(search, send=False)
    return search


def delete_search(user, search: SavedSearch) -> None:
    if search.user_id != user.pk:
        raise PermissionDenied(_("This is not your saved search."))
    search.delete()


def current_matches(search: SavedSearch) -> list[ma.Match]:
    """What matches the search now, among the objects its owner may see."""
    from ..selectors import visible_needs, visible_offers

    user = search.user
    if search.target == SearchTarget.OFFERS:
        visible = visible_offers(user)
        if search.need_id:
            return ma.offers_for_need(search.need, visible=visible, limit=MAX_MATCHES)
        return ma.offers_for_text(
            search.query, "", (), search.field, visible=visible, limit=MAX_MATCHES
        )
    matches = ma.needs_for_text(search.query, "", (), search.field, limit=MAX_MATCHES)
    allowed = set(
        visible_needs(user).filter(pk__in=[m.obj.pk for m in matches]).values_list("pk", flat=True)
    )
    return [m for m in matches if m.obj.pk in allowed]


def _record(search: SavedSearch, match: ma.Match) -> SavedSearchHit | None:
    """Store the hit; None if it was already stored (by this or a concurrent run)."""
    key = {"offer": match.obj} if search.target == SearchTarget.OFFERS else {"need": match.obj}
    if SavedSearchHit.objects.filter(search=search, **key).exists():
        return None
    try:
        with transaction.atomic():
            return SavedSearchHit.objects.create(
                search=search, score=match.score, reason=", ".join(match.terms)[:300], **key
            )
    except IntegrityError:
        return None


def run_saved_search(search: SavedSearch, *, send: bool = True) -> list[SavedSearchHit]:
    """Record new matches of one search and e-mail them (once) to its owner."""
    new = [h for h in (_record(search, m) for m in current_matches(search)) if h is not None]
    now = timezone.now()
    SavedSearch.objects.filter(pk=search.pk).update(last_run_at=now)
    if not new:
        return new
    if send and search.email_alerts and search.user.email:
        _send(search, new)
    SavedSearchHit.objects.filter(pk__in=[h.pk for h in new]).update(notified_at=now)
    return new


def _send(search: SavedSearch, hits: list[SavedSearchHit]) -> None:
    user = search.user
    items = []
    for h in hits:
        obj = h.offer if h.offer_id else h.need
        url = (
            reverse("transfer:offer", args=[obj.pk])
            if h.offer_id
            else reverse("transfer:need", args=[obj.pk])
        )
        items.append(
            {"title": str(obj), "url": url, "reason": h.reason, "percent": round(h.score * 100)}
        )
    with translation.override(user.preferred_language or "en"):
        subject = (
            _("New technology offers match “%(q)s”")
            if search.target == SearchTarget.OFFERS
            else _("New enterprise needs match “%(q)s”")
        ) % {"q": search.query[:60]}
        notify(
            user.email,
            subject,
            "transfer/email/match_alert.txt",
            {
                "user": user,
                "search": search,
                "items": items,
                "searches_url": reverse("transfer:searches"),
            },
        )


def _run_many(searches) -> int:
    sent = 0
    for search in searches.select_related("user", "need"):
        try:
            sent += len(run_saved_search(search))
        except Exception:  # one broken search must not stop the others' alerts
            log.exception("saved search %s failed", search.pk)
    return sent


def alert_new_offer(offer_pk: int):
    """After an offer is published: the offer searches run as a background job (not in the request)."""
    return _enqueue(SearchTarget.OFFERS)


def alert_new_need(need_pk: int):
    return _enqueue(SearchTarget.NEEDS)


def _enqueue(target: str):
    from sciencebridge.jobs.runner import enqueue

    return enqueue(
        "transfer-alerts",
        "sciencebridge.transfer.services.alerts.alerts_job",
        params={"target": target},
    )


def alerts_job(job, *, target: str) -> dict:
    """Job handler: run the saved searches of one target (idempotent)."""
    return {"alerts": _run_many(SavedSearch.objects.filter(target=target, email_alerts=True))}


def run_all_saved_searches() -> dict:
    """The scheduled job: every saved search with alerts on (idempotent)."""
    return {"alerts": _run_many(SavedSearch.objects.filter(email_alerts=True))}
