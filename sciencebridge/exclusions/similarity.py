"""How alike two applications of one exercise are: the matching engine's TF-IDF model
(``matching.affinity.models.TfidfModel``: the engine's tokenizer, jieba for Chinese, sublinear tf,
smoothed idf, L2-normalised rows), fitted on the titles and abstracts of every proposal of the
exercise, and compared by cosine. TF-IDF is cheap (a few thousand abstracts a second) and needs no
neural weights, and what it measures — shared wording, weighted by how rare the words are in the
exercise — is what a resubmitted or copied application has.

The thresholds are scheme data (``funding.SchemeSide``):

- ``concurrent_similarity`` (default 0.5): a reviewer whose own application in the same exercise is
  at least this close to the proposal under review has a conflict ("same as or close to": NSFC's
  integrity handbook). Measured on the demo data (``seed_demo --proposals 60``, 2026-12-02): the median
  pair of one exercise scores 0.15–0.27; proposals on the same topic, which the demo writes from one
  template, 0.6–0.93. 0.5 errs on the side of withdrawal: a wrongly excluded reviewer costs little, a
  reviewer judging a rival version of their own work costs the review its fairness.
- ``duplicate_similarity`` (default 0.95): two applications at least this close are shown to the
  officers as a possible duplicate submission. The demo's copy with a new title scores 0.989; its
  same-topic template siblings at most 0.925, so 0.95 flags copies and not siblings.

The fitted model is cached per exercise and rebuilt when a proposal of the exercise is added or edited
(the count, the latest ``updated_at`` and the largest id are its key). That key is read again only
when the database's stamps of the proposals and calls tables have moved (``core.table_stamps``), or
after ``KEY_MAX_AGE`` seconds: on a national exercise the key read 5,000 index entries for every
proposal page an officer opened (issue 16).
"""

from __future__ import annotations

import threading

import numpy as np
from django.db.models import Count, Max

from matching.affinity.models import TfidfModel
from sciencebridge.core import table_stamps
from sciencebridge.core.stamped_cache import StampedCache
from sciencebridge.funding.models import Call, JointProposal

_cache: dict[str, tuple] = {}
_lock = threading.Lock()


def proposal_text(title: str, abstract: str) -> str:
    return f"{title}\n{abstract}"


#: How long a key is trusted while the tables' stamps stand still (a stamp moves when the writing
#: statement runs, before its transaction commits: ``core.table_stamps``).
KEY_MAX_AGE = 30.0
_STAMPED_TABLES = ("funding_call", "funding_jointproposal")
_keys = StampedCache(max_entries=16, max_age=KEY_MAX_AGE)


def _exercise_proposals(exercise: str):
    # by the call_id index: joined to calls on the exercise, the planner read every proposal
    return JointProposal.objects.filter(
        call_id__in=list(Call.objects.filter(exercise=exercise).values_list("pk", flat=True))
    )


def _exercise_key(exercise: str) -> tuple:
    stamp = _exercise_proposals(exercise).aggregate(
        n=Count("pk"), last=Max("updated_at"), top=Max("pk")
    )
    return (stamp["n"], stamp["last"], stamp["top"])


def _exercise_index(exercise: str):
    key = _keys.get_or_compute(
        (exercise,), table_stamps.read(_STAMPED_TABLES), lambda: _exercise_key(exercise)
    )
    with _lock:
        hit = _cache.get(exercise)
        if hit is not None and hit[0] == key:
            return hit[1:]
    rows = list(_exercise_proposals(exercise).order_by("pk").values_list("pk", "title", "abstract"))
    texts = [proposal_text(t, a) for _pk, t, a in rows]
    position = {pk: i for i, (pk, _t, _a) in enumerate(rows)}
    pks = np.fromiter((pk for pk, _t, _a in rows), dtype=np.int64, count=len(rows))
    model = TfidfModel()
    encoding = model.fit(texts).encode_documents(texts) if texts else None
    with _lock:
        _cache[exercise] = (key, position, encoding, pks)
        if len(_cache) > 16:  # a few exercises are live at a time
            _cache.pop(next(iter(_cache)))
    return position, encoding, pks


def similarities(proposal, others) -> dict[int, float]:
    """Cosine of ``proposal`` with each of ``others`` (proposals or ids of the same exercise)."""
    other_ids = [getattr(o, "pk", o) for o in others]
    if not other_ids:
        return {}
    position, encoding, _pks = _exercise_index(proposal.call.exercise)
    i = position.get(proposal.pk)
    if i is None or encoding is None:
        return {}
    cols = [position[o] for o in other_ids if o in position]
    if not cols:
        return {}
    sims = np.asarray((encoding[i] @ encoding[cols].T).todense()).ravel()
    ids = [o for o in other_ids if o in position]
    return {pk: float(s) for pk, s in zip(ids, sims, strict=True)}


def nearest(proposal, candidates_qs, threshold: float) -> list[tuple[int, float]]:
    """(id, similarity) of the proposals in ``candidates_qs`` at least ``threshold`` close, closest
    first. Compared with the whole exercise in memory first; only the few close ones are then checked
    against ``candidates_qs`` (listing every candidate id of a national exercise cost more than the
    comparison, issue 16)."""
    position, encoding, pks = _exercise_index(proposal.call.exercise)
    i = position.get(proposal.pk)
    if i is None or encoding is None:
        return []
    # the exercise's rows times this proposal's row as a dense vector: 0.2 ms for a national
    # exercise, against 1.1-1.4 ms for the sparse row times the sparse transpose
    sims = encoding @ encoding[i].toarray().ravel()
    cols = np.flatnonzero(sims >= threshold - 1e-9)
    close = {int(pks[col]): float(sims[col]) for col in cols if col != i}
    if not close:
        return []
    allowed = set(
        candidates_qs.exclude(pk=proposal.pk).filter(pk__in=close).values_list("pk", flat=True)
    )
    return sorted(((pk, s) for pk, s in close.items() if pk in allowed), key=lambda x: -x[1])
