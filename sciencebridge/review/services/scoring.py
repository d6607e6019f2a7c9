"""Django review units → matching-engine inputs: affinity candidates and conflicts.

A *unit* is what one set of reviewers reviews: a proposal half (per-agency review) or the whole
joint proposal (shared review). Scoring uses the expert database's cached scorer
(``experts.matching_adapter``); conflicts use its ``flag_conflicts`` (``matching.conflicts`` rules:
same institution, declared conflicts, recent co-authorship with a team member, …) against every
applicant of the joint proposal, on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.db.models import Prefetch
from django.utils import timezone

from matching.affinity import Proposal as EngineProposal
from sciencebridge.experts import matching_adapter
from sciencebridge.experts.conflict_reasons import Reason
from sciencebridge.experts.matching_adapter import KEYWORDS_PAPER, ExpertQuery, flag_conflicts
from sciencebridge.experts.models import DeclaredConflict, ExpertProfile, ExpertStatus, Publication
from sciencebridge.funding.models import JointProposal, ProposalHalf

from ..conflicts import applicant_conflicts


@dataclass
class Unit:
    proposal: JointProposal
    half: ProposalHalf | None  # None: shared review of the whole proposal

    @property
    def key(self) -> str:
        return unit_key(self.proposal.pk, self.half.pk if self.half is not None else None)

    @property
    def halves(self) -> list[ProposalHalf]:
        return list(self.proposal.halves.all())

    def reviewed_halves(self) -> list[ProposalHalf]:
        return [self.half] if self.half is not None else self.halves

    def engine_proposal(self) -> EngineProposal:
        keywords, codes = [], []
        for h in self.reviewed_halves():
            keywords.extend(h.keyword_list())
            codes.extend(f"{c.scheme.code}:{c.code}" for c in h.discipline_codes.all())
        return EngineProposal(
            id=self.key,
            title=self.proposal.title,
            abstract=self.proposal.abstract,
            keywords=tuple(dict.fromkeys(keywords)),
            discipline_codes=tuple(dict.fromkeys(codes)),
        )

    def team_lines(self) -> tuple[str, ...]:
        lines = []
        for h in self.halves:
            if h.lead_id:
                lines.append(f"{h.lead.get_full_name() or h.lead.username} <{h.lead.email}>")
            for m in h.team.all():
                lines.append(f"{m.name} <{m.email}>" if m.email else m.name)
        return tuple(lines)


def unit_key(proposal_id: int, half_id: int | None) -> str:
    """A unit's key (``Unit.key``): ``h<half id>`` for a side's half, ``p<proposal id>`` for a
    whole proposal under shared review."""
    return f"h{half_id}" if half_id is not None else f"p{proposal_id}"


def unit_row_pk(key: str, side: str) -> int | None:
    """The id of the half (``side`` given) or proposal (shared review) a unit key names; None when
    the key is of the other kind or malformed."""
    prefix = "h" if side else "p"
    return int(key[1:]) if key[:1] == prefix and key[1:].isdigit() else None


def unit_prefetches():
    return [
        Prefetch(
            "halves",
            queryset=ProposalHalf.objects.select_related("lead", "institution").prefetch_related(
                "team", "discipline_codes__scheme"
            ),
        ),
    ]


def candidate_experts(pks) -> dict[int, ExpertProfile]:
    """Experts with what the conflict check needs, in a fixed number of queries."""
    qs = (
        ExpertProfile.objects.filter(pk__in=list(pks))
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
        )
    )
    return {e.pk: e for e in qs}


def conflicts_for(unit: Unit, experts: list[ExpertProfile], scheme=None) -> dict[int, list[Reason]]:
    """Reasons why each expert must not review the unit; experts without a conflict are absent.
    A reason is worded when shown (``str(reason)``, or ``conflict_reasons.worded`` for many), in
    the reader's language.

    The engine's rules run once, against the reviewed half's institution and every applicant of the
    joint proposal (both sides); the other half's institution is checked here too (employment and
    declared institutional conflicts), so a reviewer never sits in judgement of the partner team's
    employer either."""
    team = unit.team_lines()
    halves = unit.reviewed_halves()
    main = next((h.institution for h in halves if h.institution_id), None)
    query = ExpertQuery(
        text=unit.proposal.abstract,
        title=unit.proposal.title,
        institution=main,
        team=team,
        scheme=scheme,
    )
    out: dict[int, list[Reason]] = {}
    for pk, reasons in flag_conflicts(query, experts).items():
        if reasons:
            out[pk] = list(reasons)
    others = {
        h.institution_id: h.institution
        for h in unit.halves
        if h.institution_id and (main is None or h.institution_id != main.pk)
    }
    if others:
        for e in experts:
            found = []
            if e.institution_id in others:
                found.append(
                    Reason.of("partner_institution", institution=others[e.institution_id].code)
                )
            for d in e.declared_conflicts.all():
                if d.institution_id in others and (
                    d.until is None or d.until >= timezone.localdate()
                ):
                    found.append(
                        Reason.of("declared_institution", institution=others[d.institution_id].code)
                    )
            if found:
                out.setdefault(e.pk, []).extend(r for r in found if r not in out.get(e.pk, []))
    # Named by the applicant; the reviewer's own concurrent application (issue 17).
    sides = {s.side: s for s in unit.proposal.call.scheme.sides.all()}
    thresholds = [sides[h.side].concurrent_similarity for h in halves if h.side in sides]
    for pk, found in applicant_conflicts(
        unit.halves, experts, min(thresholds) if thresholds else None
    ).items():
        out.setdefault(pk, []).extend(r for r in found if r not in out.get(pk, []))
    return out


def region_mask(index, regions: list[str] | None) -> tuple[np.ndarray, np.ndarray]:
    """(allowed mask over the index's experts, region label per expert)."""
    rows = dict(
        ExpertProfile.objects.filter(status=ExpertStatus.ADMITTED).values_list("pk", "region")
    )
    labels = np.array([rows.get(pk, "") for pk in index.expert_pks], dtype=object)
    allowed = np.ones(len(labels), dtype=bool) if not regions else np.isin(labels, regions)
    allowed &= labels != ""
    return allowed, labels


def available_mask(index, day) -> np.ndarray:
    """Experts available on ``day`` by their availability windows (declared "away" periods, or
    "available only" periods), as a mask over the index's experts."""
    from sciencebridge.experts.selectors import available_on

    return matching_adapter.mask_of(
        index, available_on(ExpertProfile.objects.filter(status=ExpertStatus.ADMITTED), day)
    )


@dataclass
class Explanation:
    papers: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"papers": self.papers}


def explain(index, unit: Unit, expert_pk: int, n: int = 3) -> list[dict]:
    """The expert's papers that best match the unit (the scorer's own explanation)."""
    try:
        matches = index.scorer.explain(unit.engine_proposal(), str(expert_pk), n=n)
    except KeyError:
        return []
    out = []
    for m in matches:
        if m.paper_id.startswith(KEYWORDS_PAPER):
            out.append({"title": m.title, "score": round(float(m.score), 4), "keywords": True})
        else:
            out.append(
                {
                    "title": m.title,
                    "score": round(float(m.score), 4),
                    "publication_id": int(m.paper_id),
                }
            )
    return out


def explain_encoded(index, q, row: int, expert_pk: int, n: int = 3) -> list[dict]:
    """Like :func:`explain`, from an already encoded batch of proposals ``q`` (row ``row``): the
    assignment run explains every pair without encoding a proposal again."""
    from matching.affinity.models import take_rows

    scorer = index.scorer
    e = index.position.get(expert_pk)
    if e is None:
        return []
    papers = scorer.layout.papers_of(e)
    if not len(papers):
        return []
    sims = scorer.model.similarity(
        take_rows(q, [row]), take_rows(scorer.doc_encoding, np.arange(papers.start, papers.stop))
    )[0]
    out = []
    for i in np.argsort(-np.asarray(sims), kind="stable")[:n]:
        paper = scorer.experts[e].papers[i]
        item = {"title": paper.title, "score": round(float(sims[i]), 4)}
        if paper.id.startswith(KEYWORDS_PAPER):
            item["keywords"] = True
        else:
            item["publication_id"] = int(paper.id)
        out.append(item)
    return out


def score_units(units: list[Unit], allowed: np.ndarray, k: int, model: str | None = None):
    """P x E sparse top-k affinities (experts outside ``allowed`` never appear), the index and the
    encoded proposals. ``model``: the text model (default: the platform's)."""
    index = matching_adapter.get_index(model)
    scorer = index.scorer
    props = [u.engine_proposal() for u in units]
    if not props or not len(index.expert_pks):
        import scipy.sparse as sp

        return index, sp.csr_matrix((len(props), len(index.expert_pks)), dtype=np.float32), None
    q = scorer.encode_proposals(props)
    exclude = np.broadcast_to(~allowed, (len(props), allowed.size))
    csr = scorer.score_topk_encoded(q, k, [p.discipline_codes for p in props], exclude)
    return index, csr, q
