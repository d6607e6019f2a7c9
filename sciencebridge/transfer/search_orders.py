"""The marketplace's searches' orders, kept per process (issue 16).

A search ranks every offer that matches before it can show 20: for a common Chinese term on the
scale data that is some 3,100 offers checked and scored on every request (23 ms of SQL), the same
work for every visitor and for each page of the results. The ranked ids are kept
(``core.stamped_cache``) with a stamp of the offers read on every request, three index reads: the
largest id (a new offer), the latest ``updated_at`` (an edit: titles, summaries, keywords, field,
readiness, IP status, visibility) and the latest ``state_changed_at`` (published or withdrawn:
``core.workflow.transition`` sets it and saves only the fields it names, not ``updated_at``).

A search is kept for an audience whose matches are the same for all its members: visitors who are
not signed in (published public offers) and enterprises, technology-transfer offices and marketplace
staff (every published offer). Anyone else who is signed in may own offers, which their list adds,
and is ranked afresh. A page's rows are read again with the user's own restriction, so a kept order
never shows an offer its reader may not see; an offer of the page that is gone (a removal: no stamp
sees it) drops the kept order. Anything else (a raw SQL edit) is seen after five minutes at most.
"""

from __future__ import annotations

from functools import cache

from django.db import connection
from django.db.models.signals import post_delete
from django.dispatch import receiver

from sciencebridge.core.first_rows import narrow_ids, rows_in_order
from sciencebridge.core.stamped_cache import StampedCache

from .models import OfferState, TechnologyOffer
from .rules import is_enterprise, is_marketplace_staff, is_tto
from .selectors import offer_rows, search_offers, visible_offers

#: One entry per audience and search: the ids of its matches (a few thousand integers at most).
kept_orders = StampedCache(max_entries=64, max_age=300.0)


def _audience(user) -> str | None:
    """Who sees the same published offers as ``user``, or None when only ``user`` does."""
    if user is None or not user.is_authenticated:
        return "public"
    if is_marketplace_staff(user) or is_enterprise(user) or is_tto(user):
        return "registered"
    return None


def _key(user, filters: dict) -> tuple | None:
    audience = _audience(user)
    if audience is None or not (filters.get("q") or "").strip():
        return None  # an unranked list is read in index order a page at a time: nothing to keep
    used = tuple(sorted((k, str(v).strip()) for k, v in filters.items() if v))
    return (audience, used)


def stamp() -> tuple:
    """Changes whenever an offer is added, edited, published or withdrawn (see the module)."""
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql())
        return tuple(cursor.fetchone())


@cache
def _stamp_sql() -> str:
    q = connection.ops.quote_name
    table = q(TechnologyOffer._meta.db_table)
    return (
        f"SELECT (SELECT MAX(id) FROM {table}), (SELECT MAX(updated_at) FROM {table}),"
        f" (SELECT MAX(state_changed_at) FROM {table})"
    )


def ranked_offer_ids(user, **filters) -> list[int]:
    """The ids of the published offers ``search_offers(user, **filters)`` finds, in its order; kept
    between requests while ``stamp`` is unchanged for the searches ``_key`` keeps (the same list is
    then given to every caller, who must not change it)."""

    def compute() -> list[int]:
        return list(narrow_ids(search_offers(user, **filters)))

    key = _key(user, filters)
    if key is None:
        return compute()
    return kept_orders.get_or_compute(key, stamp(), compute)


def page_rows(user, ids, filters: dict) -> list[TechnologyOffer]:
    """The published offers with these ids (a page of ``ranked_offer_ids``) in that order, read with
    ``user``'s own restriction and with what a row of the list shows. When one is missing, the kept
    order is dropped: the next request ranks afresh."""
    ids = list(ids)
    rows = rows_in_order(offer_rows(visible_offers(user).filter(state=OfferState.PUBLISHED)), ids)
    if len(rows) < len(ids) and (key := _key(user, filters)) is not None:
        kept_orders.discard(key)
    return rows


@receiver(post_delete, sender=TechnologyOffer)
def forget_removed_offer(sender, instance, **kwargs):
    kept_orders.clear()
