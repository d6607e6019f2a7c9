"""Matching people to postings with the matching engine, with the reason for every match.

- ``suggest_experts(posting)``: admitted experts from the expert database whose publications match
  the posting (``experts.matching_adapter.find_experts``: the engine's cached scorer and its
  conflict checks; people from the host institution itself are left out, since an exchange is
  with another institution). The reason is the expert's best-matching papers or declared keywords.
- ``rank_applicants(posting)``: the posting's applicants ranked by how well their statement (and,
  for applicants who are also registered experts, their publications) matches the posting, with the
  lexical scorer of ``matching.affinity`` (TF-IDF); the reason is the best-matching text and the
  posting keywords it shares.

No scoring is re-implemented here: both go through ``matching.affinity``.
"""

import logging
import re
from dataclasses import dataclass, field

from matching.affinity import AffinityScorer, ScorerConfig
from matching.affinity import ExpertProfile as EngineExpert
from matching.affinity import Paper as EnginePaper
from matching.affinity import Proposal as EngineProposal

log = logging.getLogger(__name__)


@dataclass
class Reason:
    text: str
    score: float


@dataclass
class Match:
    person: object  # an ExpertProfile or an Application
    score: float
    reasons: list[Reason] = field(default_factory=list)
    shared_keywords: list[str] = field(default_factory=list)


def _keywords(text: str) -> list[str]:
    return [k.strip() for k in re.split(r"[,;，；、\n]+", text or "") if k.strip()]


def _shared(keywords: list[str], text: str) -> list[str]:
    low = (text or "").casefold()
    return [k for k in keywords if k.casefold() in low]


def posting_proposal(posting) -> EngineProposal:
    return EngineProposal(
        id=f"posting-{posting.pk}",
        title=posting.title,
        abstract=posting.description,
        keywords=tuple(_keywords(posting.keywords)),
    )


def suggest_experts(posting, limit: int = 10) -> list[Match]:
    from sciencebridge.experts.matching_adapter import ExpertQuery, find_experts

    query = ExpertQuery(
        text=f"{posting.description}\n{posting.keywords}",
        title=posting.title,
        institution=posting.host,
    )
    keywords = _keywords(posting.keywords)
    out = []
    for m in find_experts(query, limit=limit, hide_conflicted=True):
        reasons = [Reason(p.title, p.score) for p in m.papers]
        text = " ".join([r.text for r in reasons] + [m.expert.keywords or ""])
        out.append(
            Match(
                person=m.expert,
                score=m.score,
                reasons=reasons,
                shared_keywords=_shared(keywords, text),
            )
        )
    return out


def rank_applicants(posting, applications=None) -> list[Match]:
    """The applications (default: all live ones) best first, each with its reasons."""
    apps = list(
        applications
        if applications is not None
        else posting.applications.select_related("applicant")
    )
    if not apps:
        return []
    pubs = _publications_by_user([a.applicant_id for a in apps])
    engine = []
    for a in apps:
        papers = [EnginePaper(id=f"s{a.pk}", title="", abstract=a.statement)]
        papers += [
            EnginePaper(id=f"p{pk}", title=title, abstract=abstract)
            for pk, title, abstract in pubs.get(a.applicant_id, [])
        ]
        engine.append(EngineExpert(id=str(a.pk), papers=tuple(papers)))
    scorer = AffinityScorer(engine, ScorerConfig(model="tfidf", discipline_weight=0.0))
    proposal = posting_proposal(posting)
    scores = scorer.score_dense([proposal])[0]
    keywords = _keywords(posting.keywords)
    out = []
    for i, a in enumerate(apps):
        reasons = []
        for pm in scorer.explain(proposal, str(a.pk), n=2):
            if pm.score <= 0:
                continue
            text = pm.title or _excerpt(a.statement)
            reasons.append(Reason(text, pm.score))
        out.append(
            Match(
                person=a,
                score=float(scores[i]),
                reasons=reasons,
                shared_keywords=_shared(keywords, a.statement),
            )
        )
    out.sort(key=lambda m: -m.score)
    return out


def _excerpt(text: str, n: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _publications_by_user(user_ids) -> dict[int, list[tuple]]:
    from sciencebridge.experts.models import Publication

    out: dict[int, list[tuple]] = {}
    rows = Publication.objects.filter(expert__user_id__in=user_ids).values_list(
        "expert__user_id", "pk", "title", "abstract"
    )
    for uid, pk, title, abstract in rows:
        out.setdefault(uid, []).append((pk, title, abstract or ""))
    return out


def suggest_postings(user, postings=None, limit: int = 5) -> list[Match]:
    """Open postings that match a researcher's own work (their expert profile's keywords and
    publications), best first, with the shared keywords as the reason. Postings at the user's own
    institution are left out (an exchange is with another institution)."""
    from sciencebridge.experts.models import ExpertProfile

    profile = ExpertProfile.objects.filter(user=user).prefetch_related("publications").first()
    if profile is None:
        return []
    postings = [
        p for p in (postings if postings is not None else []) if p.host_id != user.institution_id
    ]
    if not postings:
        return []
    titles = [p.title for p in profile.publications.all()[:50]]
    query = EngineProposal(
        id=f"user-{user.pk}",
        title=" ".join(titles[:5]),
        abstract="\n".join(titles),
        keywords=tuple(_keywords(profile.keywords)),
    )
    engine = [
        EngineExpert(
            id=str(p.pk),
            papers=(
                EnginePaper(
                    id=str(p.pk),
                    title=p.title,
                    abstract=p.description,
                    keywords=tuple(_keywords(p.keywords)),
                ),
            ),
        )
        for p in postings
    ]
    scores = AffinityScorer(engine, ScorerConfig(model="tfidf", discipline_weight=0.0)).score_dense(
        [query]
    )[0]
    mine = " ".join([profile.keywords or "", *titles])
    out = [
        Match(
            person=p,
            score=float(scores[i]),
            reasons=[Reason(p.title, float(scores[i]))],
            shared_keywords=_shared(_keywords(p.keywords), mine),
        )
        for i, p in enumerate(postings)
        if scores[i] > 0
    ]
    out.sort(key=lambda m: -m.score)
    return out[:limit]
