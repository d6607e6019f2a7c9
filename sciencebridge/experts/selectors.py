"""Read-side queries for the expert database, always restricted to what the user may see.

Full-text search: on PostgreSQL, ``SearchVector``/``SearchQuery``/``SearchRank`` over names and
keywords plus the best-ranking publication (title and abstract); elsewhere (SQLite) every word
must appear in some field (``icontains``) and the rank is the number of (word, field) matches.

A search's order is kept per process (``ranked_expert_ids``): paging through a search, or asking
it again, reads a page of rows instead of ranking every match again (a broad query on the national
database matches tens of thousands of experts and publications).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from matching.text.tokenize import has_cjk
from sciencebridge.classification.crosswalk import crosswalk_filter
from sciencebridge.core.aggregates import per_row
from sciencebridge.core.first_rows import rows_in_order
from sciencebridge.core.scripts import icontains_any
from sciencebridge.core.stamped_cache import StampedCache

from .models import AvailabilityKind, AvailabilityWindow, ExpertProfile, ExpertStatus, Publication
from .rules import can_manage_experts, can_search_experts


def visible_experts(user) -> QuerySet[ExpertProfile]:
    """Officers, the secretariat and administrators see the database; an expert only their own profile."""
    if not user.is_authenticated:
        return ExpertProfile.objects.none()
    if can_search_experts(user):
        qs = ExpertProfile.objects.all()
        if not can_manage_experts(user):  # programme officers see admitted experts only
            qs = qs.filter(status=ExpertStatus.ADMITTED)
        return qs
    return ExpertProfile.objects.filter(user=user)


def _publication_count():
    return per_row(
        Publication.objects.all(), "expert", Count("id"), output_field=IntegerField(), default=0
    )


def _list_related(qs: QuerySet) -> QuerySet:
    return (
        qs.select_related("institution")
        .prefetch_related("discipline_codes__scheme")
        .annotate(n_publications=_publication_count())
    )


def available_on(qs: QuerySet, day: dt.date) -> QuerySet:
    covering = AvailabilityWindow.objects.filter(
        expert=OuterRef("pk"), start__lte=day, end__gte=day
    )
    any_available = AvailabilityWindow.objects.filter(
        expert=OuterRef("pk"), kind=AvailabilityKind.AVAILABLE
    )
    return qs.exclude(Exists(covering.filter(kind=AvailabilityKind.UNAVAILABLE))).filter(
        ~Exists(any_available) | Exists(covering.filter(kind=AvailabilityKind.AVAILABLE))
    )


def _terms(q: str) -> list[str]:
    return [t for t in q.split() if t][:8]


def _search_fallback(qs: QuerySet, q: str) -> QuerySet:
    """Portable search: each word must match a field; rank = number of matching (word, field) pairs."""
    rank = Value(0, output_field=IntegerField())
    for i, term in enumerate(_terms(q)):
        pubs = Publication.objects.filter(expert=OuterRef("pk"))
        fields = {
            f"_n{i}": icontains_any(["name_en", "name_zh"], term),
            f"_k{i}": icontains_any(["keywords"], term),
            f"_t{i}": Exists(pubs.filter(icontains_any(["title"], term))),
            f"_a{i}": Exists(pubs.filter(icontains_any(["abstract"], term))),
        }
        any_field = Q()
        for cond in fields.values():
            any_field |= cond
        qs = qs.filter(any_field)
        for cond in fields.values():
            rank = rank + Case(
                When(cond, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
    return qs.annotate(rank=rank).order_by("-rank", "name_en", "id")


def _search_postgres(qs: QuerySet, q: str) -> QuerySet:
    """Stored, GIN-indexed tsvectors (trigger-maintained, migration 0002): the match is an index lookup,
    and the rank adds the best-matching publication's rank to the profile's own."""
    from django.contrib.postgres.search import SearchQuery, SearchRank

    query = SearchQuery(q, search_type="websearch", config="simple")
    pubs = Publication.objects.filter(expert=OuterRef("pk"), search_vector=query)
    best_pub = pubs.annotate(r=SearchRank(F("search_vector"), query)).order_by("-r").values("r")[:1]
    return (
        qs.filter(Q(search_vector=query) | Exists(pubs))
        .annotate(
            rank=Coalesce(SearchRank(F("search_vector"), query), Value(0.0))
            + Coalesce(Subquery(best_pub, output_field=FloatField()), Value(0.0))
        )
        .order_by("-rank", "name_en", "id")
    )


def search_experts(user, **filters) -> QuerySet[ExpertProfile]:
    """The experts the user may see, filtered and (with ``q``) ranked (``matching_experts``);
    related rows preloaded."""
    return _list_related(matching_experts(user, **filters))


def matching_experts(
    user,
    *,
    q: str = "",
    discipline: str = "",
    region: str = "",
    institution=None,
    institution_code: str = "",
    status: str = "",
    available: dt.date | None = None,
    language: str = "",
) -> QuerySet[ExpertProfile]:
    """The experts the user may see, filtered and (with ``q``) ranked. ``institution`` is an
    institution or its pk; ``institution_code`` its code (the API)."""
    qs = visible_experts(user)
    if discipline:
        # the code itself (any classification) or one the NSFC ↔ RGC crosswalk links to it
        codes = ExpertProfile.discipline_codes.through.objects.filter(
            Q(disciplinecode__code__istartswith=discipline.strip()) | crosswalk_filter(discipline),
            expertprofile_id=OuterRef("pk"),
        )
        qs = qs.filter(Exists(codes))
    if region:
        qs = qs.filter(region=region)
    if institution:
        qs = qs.filter(institution=institution)
    if institution_code:
        qs = qs.filter(institution__code=institution_code)
    if status:
        qs = qs.filter(status=status)
    if language:
        qs = qs.filter(languages__icontains=language)
    if available:
        qs = available_on(qs, available)
    q = (q or "").strip()
    if q:
        return (
            _search_postgres(qs, q)
            if connection.vendor == "postgresql" and not has_cjk(q)
            else _search_fallback(qs, q)  # Chinese: no word breaks for tsvector; both scripts
        )
    return qs.order_by("name_en", "id")


#: Searches' orders, kept per process (``core.stamped_cache``). An entry is a few hundred KB at most
#: (the ids of every match); it is trusted for five minutes at most whatever its stamp (a bound for
#: writes that bypass the application and the admin, such as raw SQL).
search_orders = StampedCache(max_entries=32, max_age=300.0)

#: Filters whose inputs the stamp covers: columns of the profile, and publications. A search by
#: discipline or availability reads other tables (codes, the crosswalk, availability windows) and
#: is ranked afresh every time. (An institution's code edited in the admin is seen after five
#: minutes at most by a search by ``institution_code``.)
_KEPT_FILTERS = frozenset({"q", "region", "institution", "institution_code", "status", "language"})


def search_stamp() -> tuple:
    """Changes whenever a profile or a publication is added, edited or removed: the largest id and
    the latest ``updated_at`` of each (two rows from indexes). A status decision saves the profile's
    ``updated_at``; a removed publication touches its expert's profile (``experts.signals``); a
    removed profile is noticed when its page is loaded (``search_page_rows``)."""
    # One round trip for the four index reads (two queries through the ORM took ~1 ms more than
    # the SQL). On SQLite the times come back as text: a stamp is only compared with another.
    q = connection.ops.quote_name
    parts = [
        f"(SELECT MAX({q(column)}) FROM {q(model._meta.db_table)})"
        for model in (ExpertProfile, Publication)
        for column in ("id", "updated_at")
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")
        return tuple(cursor.fetchone())


def _search_key(user, filters: dict) -> tuple | None:
    """The kept order's key, or None when this search is not kept: what the user may see (an
    officer only admitted experts, the secretariat every status), and the filters."""
    used = {k: v for k, v in filters.items() if v}
    if "q" in used:
        used["q"] = used["q"].strip()
    if not can_search_experts(user) or not used.keys() <= _KEPT_FILTERS:
        return None
    return (
        can_manage_experts(user),
        tuple(sorted((k, str(getattr(v, "pk", v))) for k, v in used.items())),
    )


def ranked_expert_ids(user, **filters) -> list[int]:
    """The ids of ``search_experts(user, **filters)``, in its order. Kept between requests while
    ``search_stamp`` is unchanged, for the searches ``_search_key`` keeps: the same list is then
    returned to every caller, who must not change it."""

    def compute():
        return list(matching_experts(user, **filters).values_list("pk", flat=True))

    key = _search_key(user, filters)
    if key is None:
        return compute()
    return search_orders.get_or_compute(key, search_stamp(), compute)


def search_page_rows(
    user, ids, filters: dict, *, publications: bool = False
) -> list[ExpertProfile]:
    """The experts with these ids (a page of ``ranked_expert_ids(user, **filters)``) in that order,
    with what a row of the list shows; still restricted to what ``user`` may see. An expert of the
    page who is gone (a removed profile: no stamp sees a deletion) is left out, and the kept order
    is dropped, so the next request ranks afresh."""
    ids = list(ids)
    qs = _list_related(visible_experts(user))
    if publications:
        qs = qs.prefetch_related("publications")
    rows = rows_in_order(qs, ids)
    if len(rows) < len(ids) and (key := _search_key(user, filters)) is not None:
        search_orders.discard(key)
    return rows


def vetting_queue(user) -> QuerySet[ExpertProfile]:
    if not can_manage_experts(user):
        return ExpertProfile.objects.none()
    return (
        ExpertProfile.objects.filter(status=ExpertStatus.APPLIED)
        .select_related("institution", "user")
        .prefetch_related("discipline_codes")
        .annotate(n_publications=_publication_count())
        .order_by("created_at")
    )


def expert_detail(user, pk) -> ExpertProfile:
    return (
        visible_experts(user)
        .select_related("institution", "user")
        .prefetch_related(
            "discipline_codes__scheme",
            "publications",
            "review_records",
            "availability",
            "declared_conflicts__institution",
        )
        .get(pk=pk)
    )
