"""Read-side queries for the marketplace, always restricted to what the user may see.

Public search over offers: on PostgreSQL, ``SearchVector``/``SearchQuery``/``SearchRank`` over the
title and summary in the three languages plus keywords (the "simple" configuration: no stemming, so
it works the same for every language); a query containing Chinese characters, which PostgreSQL's
parsers do not split into words, uses the portable search instead. Elsewhere (SQLite) every word must
appear in some field (``icontains``) and the rank is the number of (word, field) matches.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When

from matching.text import has_cjk
from sciencebridge.core.cjk_bigrams import Matches, terms_query
from sciencebridge.core.scripts import icontains_any

from .models import (
    Deal,
    DealState,
    NeedState,
    OfferState,
    TechnologyNeed,
    TechnologyOffer,
    Visibility,
)
from .rules import is_enterprise, is_marketplace_staff, is_tto

SEARCH_CONFIG = "simple"  # the configuration migration 0006's trigger builds search_vector with
TEXT_FIELDS = (
    "title_en",
    "title_zh_hant",
    "title_zh_hans",
    "summary_en",
    "summary_zh_hant",
    "summary_zh_hans",
    "keywords",
)


def visible_offers(user) -> QuerySet[TechnologyOffer]:
    """Every offer the user may open: published public offers for anyone; enterprise-only offers
    for registered enterprises and TTOs; drafts and withdrawn offers for their own side."""
    qs = TechnologyOffer.objects.all()
    if user is not None and user.is_authenticated and is_marketplace_staff(user):
        return qs
    published = Q(state=OfferState.PUBLISHED)
    if user is not None and user.is_authenticated and (is_enterprise(user) or is_tto(user)):
        q = published
    else:
        q = published & Q(visibility=Visibility.PUBLIC)
    if user is not None and user.is_authenticated:
        q |= Q(owner=user)
        if is_tto(user):
            q |= Q(institution_id=user.institution_id)
    return qs.filter(q)


def offer_rows(qs: QuerySet) -> QuerySet:
    """``qs`` with the related rows a list shows. A search's page is chosen on ids alone
    (``core.pagination``), so the join is made for the page's rows only, not for every match."""
    return qs.select_related("institution").prefetch_related("discipline_codes")


def _terms(q: str) -> list[str]:
    return [t for t in q.split() if t][:8]


def _search_fallback(qs: QuerySet, q: str) -> QuerySet:
    rank = Value(0, output_field=IntegerField())
    for term in _terms(q):
        conds = [icontains_any([f], term) for f in TEXT_FIELDS]
        any_field = Q()
        for c in conds:
            any_field |= c
        qs = qs.filter(any_field)
        for c in conds:
            rank = rank + Case(
                When(c, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
    return qs.annotate(rank=rank).order_by("-rank", "-published_at", "-id")


def _search_postgres(qs: QuerySet, q: str) -> QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    # search_vector: titles (weight A), keywords (B) and summaries (C) in the three languages, kept
    # by a trigger and GIN-indexed (migration 0006)
    query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
    return (
        qs.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-published_at", "-id")
    )


def _narrowed_by_bigrams(qs: QuerySet, q: str) -> QuerySet:
    """Only the offers holding every bigram of the Chinese terms (GIN index on ``search_cjk``):
    the portable search then checks far fewer rows and finds the same (core.cjk_bigrams)."""
    query = terms_query(_terms(q))
    return qs.filter(Matches("search_cjk", query)) if query else qs


def search_offers(
    user,
    *,
    q: str = "",
    field: str = "",
    trl_min: int | None = None,
    offer_type: str = "",
    ip_status: str = "",
    published_only: bool = True,
) -> QuerySet[TechnologyOffer]:
    """The offers the user may see, filtered and (with ``q``) ranked; related rows preloaded."""
    qs = visible_offers(user)
    if published_only:
        qs = qs.filter(state=OfferState.PUBLISHED)
    if field:
        qs = qs.filter(field=field)
    if trl_min:
        qs = qs.filter(trl__gte=trl_min)
    if ip_status:
        qs = qs.filter(ip_status=ip_status)
    if offer_type:
        # JSON containment is not portable to SQLite; the list is short, so match the quoted code.
        qs = qs.filter(offer_types__icontains=f'"{offer_type}"')
    q = (q or "").strip()
    if q:
        if connection.vendor != "postgresql":
            qs = _search_fallback(qs, q)
        elif not has_cjk(q):
            qs = _search_postgres(qs, q)
        else:
            qs = _search_fallback(_narrowed_by_bigrams(qs, q), q)
    else:
        qs = qs.order_by("-published_at", "-id")
    return offer_rows(qs)


def offer_detail(user, pk) -> TechnologyOffer:
    return (
        visible_offers(user)
        .select_related("institution", "owner", "outcome__project")
        .prefetch_related("discipline_codes__scheme")
        .get(pk=pk)
    )


def office_offers(user) -> QuerySet[TechnologyOffer]:
    """A TTO's own institution's offers, every state, with deal counts."""
    if not is_tto(user):
        return (
            TechnologyOffer.objects.filter(owner=user)
            if user.is_authenticated
            else TechnologyOffer.objects.none()
        )
    return (
        TechnologyOffer.objects.filter(Q(institution_id=user.institution_id) | Q(owner=user))
        .select_related("institution")
        .annotate(n_deals=Count("deals"))
        .order_by("state", "-updated_at")
    )


# ---- needs ------------------------------------------------------------------------------------
def visible_needs(user) -> QuerySet[TechnologyNeed]:
    if user is None or not user.is_authenticated:
        return TechnologyNeed.objects.none()
    if is_marketplace_staff(user):
        return TechnologyNeed.objects.all()
    q = Q(posted_by=user)
    if is_enterprise(user):
        q |= Q(institution_id=user.institution_id) | Q(state=NeedState.OPEN)
    elif is_tto(user):
        q |= Q(state=NeedState.OPEN)
    return TechnologyNeed.objects.filter(q)


def my_needs(user) -> QuerySet[TechnologyNeed]:
    if not user.is_authenticated:
        return TechnologyNeed.objects.none()
    q = Q(posted_by=user)
    if is_enterprise(user):
        q |= Q(institution_id=user.institution_id)
    return TechnologyNeed.objects.filter(q).select_related("institution").order_by("-created_at")


def open_needs(user) -> QuerySet[TechnologyNeed]:
    return (
        visible_needs(user)
        .filter(state=NeedState.OPEN)
        .select_related("institution")
        .order_by("-created_at")
    )


# ---- deals ------------------------------------------------------------------------------------
def visible_deals(user) -> QuerySet[Deal]:
    """Deals the user is a party to (the offer's institution or the enterprise)."""
    if user is None or not user.is_authenticated:
        return Deal.objects.none()
    q = Q(offer__owner=user) | Q(contact=user)
    if is_tto(user):
        q |= Q(offer__institution_id=user.institution_id)
    if is_enterprise(user):
        q |= Q(enterprise_id=user.institution_id)
    return Deal.objects.filter(q)


def deal_list(user, *, state: str = "") -> QuerySet[Deal]:
    qs = visible_deals(user)
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("offer__institution", "enterprise", "contact").order_by(
        "-updated_at", "-id"
    )


def eois_to_answer(user) -> QuerySet[Deal]:
    """Expressions of interest in the TTO's offers that nobody has moved on yet."""
    if not is_tto(user):
        return Deal.objects.none()
    return (
        Deal.objects.filter(offer__institution_id=user.institution_id, state=DealState.CONTACTED)
        .select_related("offer", "enterprise", "contact")
        .order_by("created_at")
    )


def deal_detail(user, pk) -> Deal:
    return (
        visible_deals(user)
        .select_related("offer__institution", "offer__owner", "enterprise", "contact", "need")
        .get(pk=pk)
    )


def offer_deals_prefetch():
    return Prefetch("deals", queryset=Deal.objects.select_related("enterprise"))
