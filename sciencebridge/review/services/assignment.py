"""Run the reviewer assignment for a call, inspect it, edit it by hand, publish the invitations.

Per-agency review (the default, as NSFC/RGC and ITC/MOST do it): one run per call and side; the
eligible halves submitted to that side's agency are assigned reviewers from that side's region.
Shared review (``Scheme.shared_review``): one run per call (side blank) over whole proposals, all
regions, with at least the policy's number of Hong Kong and Mainland reviewers per proposal.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from matching.assignment import AssignmentProblem, check_assignment, solve, solve_grouped
from sciencebridge.accounts.roles import Role
from sciencebridge.core.workflow import because, record_initial_state, transition
from sciencebridge.experts.conflict_reasons import worded
from sciencebridge.experts.models import ExpertProfile, ExpertStatus
from sciencebridge.experts.selectors import available_on
from sciencebridge.funding.models import Call, HalfState, JointProposal, ProposalHalf, Side
from sciencebridge.jobs.runner import enqueue

from ..conflicts import conflicted_proposal_ids, require_no_conflict
from ..models import (
    Assignment,
    AssignmentRun,
    AssignmentSource,
    AssignmentState,
    ReviewPolicy,
    ReviewWindow,
    RunState,
)
from ..shortfalls import shortfall_json
from ..validity import side_rules
from . import scoring
from .locks import lock
from .scoring import Unit

PENDING_STATES = [AssignmentState.INVITED, AssignmentState.ACCEPTED]
SIDE_EXPERT_REGIONS = {Side.HONG_KONG: ["HK"], Side.MAINLAND: ["ML"], "": None}
MODES = ("optimal", "fair", "randomized")
#: randomized mode: no (proposal, expert) pair is assigned with a probability above this cap by default
DEFAULT_PROBABILITY_CAP = 0.5


def policy_for(scheme) -> ReviewPolicy:
    try:
        return scheme.review_policy
    except ReviewPolicy.DoesNotExist:
        return ReviewPolicy(scheme=scheme)


def review_sides(call: Call) -> list[str]:
    """The review runs a call has: "" (shared) or one per agency side."""
    return [""] if call.scheme.shared_review else [Side.HONG_KONG, Side.MAINLAND]


def may_manage(user, call: Call, side: str) -> bool:
    """Programme officers of the agency the side belongs to (either agency for a shared review)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if not (user.has_role(Role.PROGRAMME_OFFICER) and user.agency_id):
        return False
    sides = list(call.scheme.sides.all())
    if side:
        return any(s.side == side and s.agency_id == user.agency_id for s in sides)
    return call.scheme.shared_review and any(s.agency_id == user.agency_id for s in sides)


def require_manage(user, call: Call, side: str) -> None:
    if not may_manage(user, call, side):
        raise PermissionDenied(
            _("Only the programme officers of this side's agency may manage its review.")
        )


#: half states after screening eligible: a run's page still shows the seats of a decided unit
REVIEWED_STATES = (HalfState.ELIGIBLE, HalfState.FUNDED, HalfState.NOT_FUNDED)


def unit_rows(call: Call, side: str, states=(HalfState.ELIGIBLE,)) -> QuerySet:
    """The rows a run assigns reviewers to, in reference order, as a queryset to filter, count or
    page: eligible halves of the side, or (shared review, ``side`` blank) whole proposals whose
    halves are all eligible. ``states``: the half states that count instead of eligible alone
    (``REVIEWED_STATES``: the units a run reviewed, decided since or not). ``units_from_rows``
    turns rows into units."""
    if side:
        # ``proposal__call`` repeats ``call`` for the planner: with it, a page is an index walk of
        # the call's proposals in reference order (proposal_call_reference_idx), not of all.
        return ProposalHalf.objects.filter(
            call=call, proposal__call=call, side=side, state__in=states
        ).order_by("proposal__reference")
    halves = ProposalHalf.objects.filter(proposal=OuterRef("pk"))
    return (
        JointProposal.objects.filter(call=call)
        .filter(Exists(halves))
        .exclude(Exists(halves.exclude(state__in=states)))
        .order_by("reference")
    )


def units_from_rows(rows, side: str, prefetches=None, fields=None) -> list[Unit]:
    """Units of these ``unit_rows`` (halves or proposals), in their order, with what scoring and the
    conflict check read prefetched (``prefetches``: less, for a page that only shows them; ``fields``:
    only these fields of the proposals): a fixed number of queries whatever the number of rows."""
    rows = list(rows)
    prefetches = scoring.unit_prefetches() if prefetches is None else prefetches
    proposals = JointProposal.objects.prefetch_related(*prefetches)
    if fields is not None:
        proposals = proposals.only(*fields)
    if not side:
        return [
            Unit(p, None)
            for p in proposals.filter(pk__in=[r.pk for r in rows]).order_by("reference")
        ]
    proposals = {p.pk: p for p in proposals.filter(pk__in=[h.proposal_id for h in rows])}
    out = []
    for h in rows:
        p = proposals[h.proposal_id]
        out.append(Unit(p, next(x for x in p.halves.all() if x.pk == h.pk)))
    return out


def units_for(call: Call, side: str) -> list[Unit]:
    """What the run assigns reviewers to (``unit_rows``), every one of them."""
    return units_from_rows(unit_rows(call, side), side)


def unit_by_key(call: Call, side: str, key: str) -> Unit | None:
    """The unit of ``call``'s review on ``side`` whose key (``Unit.key``) is ``key``; None when no unit
    of that review has it (another call's half, a half not eligible, a malformed key)."""
    pk = scoring.unit_row_pk(key, side)
    if pk is None:
        return None
    rows = list(unit_rows(call, side).filter(pk=pk))
    return units_from_rows(rows, side)[0] if rows else None


def count_units(call: Call, side: str) -> int:
    """``len(units_for(call, side))`` in one counting query: the call's review page shows the
    number, and building every unit of a call of 5,000 proposals took ~2.7 s (issue 16)."""
    return unit_rows(call, side).order_by().count()


def unit_of(assignment: Assignment) -> Unit:
    proposal = JointProposal.objects.prefetch_related(*scoring.unit_prefetches()).get(
        pk=assignment.proposal_id
    )
    half = next((h for h in proposal.halves.all() if h.pk == assignment.half_id), None)
    return Unit(proposal, half)


def pending_loads(
    exclude_call: Call | None = None, exclude_side: str | None = None
) -> dict[int, int]:
    """Invitations each expert has open (invited or accepted, review not yet submitted)."""
    qs = Assignment.objects.filter(state__in=PENDING_STATES)
    if exclude_call is not None:
        qs = qs.exclude(run__call=exclude_call, run__side=exclude_side)
    return dict(qs.values("expert").annotate(n=Count("id")).values_list("expert", "n"))


# ----------------------------------------------------------------------------------------------
# Start and execute a run
# ----------------------------------------------------------------------------------------------
def run_blockers(call: Call, side: str, *, n_units: int | None = None) -> list[str]:
    """Why a new assignment run cannot start for this review (empty: it can). The call page offers
    "Run the assignment" only when this is empty, and ``start_run`` refuses with these reasons.
    ``n_units``: the number of eligible units when the caller has counted them already."""
    out = []
    if side not in review_sides(call):
        out.append(_("This scheme does not review that way (shared or per side)."))
        return out
    if AssignmentRun.objects.filter(call=call, side=side, state=RunState.PUBLISHED).exists():
        out.append(
            _(
                "The invitations of this review are already published; change reviewers "
                "by hand on the assignment page instead of running it again."
            )
        )
    elif AssignmentRun.objects.filter(
        call=call, side=side, state__in=[RunState.QUEUED, RunState.RUNNING]
    ).exists():
        out.append(_("An assignment run for this review is already in progress."))
    if (count_units(call, side) if n_units is None else n_units) == 0:
        out.append(_("No eligible proposals to assign: screen the proposals first."))
    return out


def run_parameters(call: Call, side: str, policy: ReviewPolicy | None = None) -> dict:
    """The run's parameters from the scheme's review policy and the side's review rules (issue
    17): reviewers invited per proposal, the overseas reviewers among them (seats reserved for
    experts of region Overseas, who may then review for the side), and the similarity above which
    proposals are grouped for the same reviewers."""
    policy = policy or policy_for(call.scheme)
    rules = side_rules(call.scheme, side)
    need = rules.invited(policy.reviews_needed)
    params = {
        "reviews_needed": need,
        "max_load": policy.max_load,
        "candidates": policy.candidates_per_proposal,
    }
    minimums = {}
    if not side:
        minimums = {"HK": policy.min_hk_reviewers, "ML": policy.min_ml_reviewers}
    overseas = rules.overseas_minimum(need)
    if overseas:
        minimums["OV"] = min(overseas, need - sum(minimums.values()))
        params["overseas_percent"] = rules.min_overseas_percent
    if minimums:
        params["region_minimums"] = minimums
    if rules.similarity_threshold:
        params["similarity_threshold"] = rules.similarity_threshold
        params["max_group_size"] = rules.max_group_size
    return params


def expert_regions_for(side: str, params: dict) -> list[str] | None:
    """Regions whose experts may review on ``side``: the side's own, and Overseas when the side
    reserves seats for overseas reviewers (``None``: every region, the shared review)."""
    regions = SIDE_EXPERT_REGIONS[side]
    if regions and (params.get("region_minimums") or {}).get("OV"):
        return [*regions, "OV"]
    return regions


def similar_unit_groups(units: list[Unit], threshold: float, max_size: int):
    """Groups of similar units (title, abstract and keywords; ``matching.assignment.groups``)."""
    from matching.assignment import proposal_vectors, similar_groups

    texts = []
    for u in units:
        ep = u.engine_proposal()
        texts.append(" ".join([ep.title or "", ep.abstract or "", " ".join(ep.keywords)]))
    X, terms = proposal_vectors(texts)
    return similar_groups(X, threshold, terms=terms, max_size=max_size)


def start_run(
    user,
    call: Call,
    side: str,
    *,
    mode: str = "optimal",
    model: str | None = None,
    probability_cap: float | None = None,
) -> AssignmentRun:
    """Queue an assignment run as a background job (the page polls its progress). ``model``: the
    text model scoring affinities (default: the call's, else the platform's). ``mode="randomized"``
    (Jecmen et al. 2020): no pair is assigned with a probability above ``probability_cap``, so nobody
    can engineer who reviews whom; the random seed is recorded with the run, so the draw can be
    audited and reproduced."""
    require_manage(user, call, side)
    if mode not in MODES:
        raise ValidationError(_("Unknown assignment mode."))
    if mode == "randomized":
        cap = DEFAULT_PROBABILITY_CAP if probability_cap is None else float(probability_cap)
        if not 0 < cap <= 1:
            raise ValidationError(
                _("The probability cap must be above 0 and at most 1 (e.g. 0.5).")
            )
    if model and not scoring.matching_adapter.model_available(model):
        raise ValidationError(
            _("The text model %(model)s is not installed on this platform.") % {"model": model}
        )
    policy = policy_for(call.scheme)
    params = run_parameters(call, side, policy)
    params["model"] = scoring.matching_adapter.model_name(model or call.matching_model)
    if mode == "randomized":
        if params.get("similarity_threshold"):
            raise ValidationError(
                _(
                    "A randomized assignment cannot keep similar proposals together: this "
                    "scheme groups similar proposals, so use the optimal or the fair mode."
                )
            )
        params["probability_cap"] = cap
        params["seed"] = secrets.randbelow(2**31)
    with transaction.atomic():
        # Lock the call row, then check: two officers starting at once get one run, not two.
        Call.objects.select_for_update().filter(pk=call.pk).first()
        blockers = run_blockers(call, side)
        if blockers:
            raise ValidationError(blockers)
        for old in AssignmentRun.objects.filter(
            call=call, side=side, state__in=[RunState.PROPOSED, RunState.FAILED]
        ):
            transition(
                old,
                RunState.SUPERSEDED,
                actor=user,
                reason=because(gettext_noop("A new run was started.")),
            )
        run = AssignmentRun.objects.create(
            call=call, side=side, mode=mode, parameters=params, created_by=user
        )
        record_initial_state(run, actor=user)
        run.job = enqueue(
            "review.assignment",
            "sciencebridge.review.services.assignment.execute_job",
            params={"run_id": run.pk},
            user=user,
        )
        run.save(update_fields=["job"])
    return run


def execute_job(job, run_id: int) -> dict:
    """Job handler. Safe to run again: the job system re-runs it only after the worker running it was lost
    (its lease expired), and a run still "running" is then recomputed from scratch; its result is saved in
    one transaction together with the move to "proposed", so a lost attempt left nothing behind. A run
    already proposed, published, failed or superseded is left as it is (no duplicate effect)."""
    run = AssignmentRun.objects.select_related("call__scheme", "created_by").get(pk=run_id)
    if run.state not in (RunState.QUEUED, RunState.RUNNING):
        return {"run": run.pk, "state": run.state}
    if run.state == RunState.QUEUED:
        transition(run, RunState.RUNNING, actor=run.created_by)
    try:
        summary = _execute(job, run)
    except Exception as exc:
        run.error = f"{exc.__class__.__name__}: {exc}"
        transition(
            run,
            RunState.FAILED,
            actor=run.created_by,
            reason=run.error[:500],
            update_fields=["error"],
        )
        raise
    return summary


def _execute(job, run: AssignmentRun) -> dict:
    steps = 5
    job.report(0, steps, because(gettext_noop("Loading eligible proposals and experts")))
    call, side = run.call, run.side
    params = run.parameters
    units = units_for(call, side)
    job.report(
        1,
        steps,
        because(gettext_noop("Scoring %(n)d proposals against the expert database"), n=len(units)),
    )
    index_regions = expert_regions_for(side, params)
    model = params.get("model")
    index = scoring.matching_adapter.get_index(model)
    allowed, labels = scoring.region_mask(index, index_regions)
    away = allowed & ~scoring.available_mask(index, timezone.localdate())
    allowed &= ~away
    params["experts_away"] = int(away.sum())
    k = max(int(params.get("candidates", 40)), int(params["reviews_needed"]) * 4)
    index, csr, q = scoring.score_units(units, allowed, k, model=model)
    P, E = csr.shape

    job.report(2, steps, because(gettext_noop("Checking conflicts of interest")))
    experts = scoring.candidate_experts({index.expert_pks[j] for j in csr.indices})
    conf_rows, conf_cols, notes = [], [], {}
    pos = index.position
    for p, unit in enumerate(units):
        cols = csr.indices[csr.indptr[p] : csr.indptr[p + 1]]
        cands = [experts[index.expert_pks[j]] for j in cols if index.expert_pks[j] in experts]
        reasons = scoring.conflicts_for(unit, cands, call.scheme)
        excluded = []
        for pk, found in reasons.items():
            conf_rows.append(p)
            conf_cols.append(pos[pk])
            # kept as kinds and values, worded in the reader's language (``conflict_reasons``)
            excluded.append({"expert": str(experts[pk]), "reasons": [r.as_json() for r in found]})
        notes[unit.key] = {"candidates": int(cols.size), "excluded": excluded}

    job.report(3, steps, because(gettext_noop("Solving the assignment (min-cost flow)")))
    loads = pending_loads(call, side)
    max_load = np.full(E, int(params["max_load"]), dtype=np.int64)
    for pk, n in loads.items():
        if pk in pos:
            max_load[pos[pk]] = max(0, max_load[pos[pk]] - n)
    region_minimums = params.get("region_minimums") or None
    problem = AssignmentProblem(
        affinity=csr,
        reviews_needed=int(params["reviews_needed"]),
        max_load=max_load,
        conflicts=(np.asarray(conf_rows, dtype=np.int64), np.asarray(conf_cols, dtype=np.int64)),
        expert_regions=np.array([str(x) or "OTHER" for x in labels]),
        region_minimums=region_minimums,
        region_names={"HK": _("Hong Kong"), "ML": _("Mainland"), "OV": _("overseas")},
        allow_negative_affinity=True,  # ensemble scores are z-scores: signed by design
    )
    groups = []
    if params.get("similarity_threshold") and P > 1:
        groups = similar_unit_groups(
            units, float(params["similarity_threshold"]), int(params.get("max_group_size", 4))
        )
    started = time.perf_counter()
    if groups:
        members = [g.members for g in groups]
        result = solve_grouped(problem, members, mode=run.mode)
        violations = check_assignment(problem, result, groups=members)
    elif run.mode == "randomized":
        result = solve(
            problem, mode="randomized", q=float(params["probability_cap"]), rng=int(params["seed"])
        )
        params["expected_objective"] = float(result.stats.get("expected_objective") or 0.0)
        violations = check_assignment(problem, result)
    else:
        result = solve(problem, mode=run.mode)
        violations = check_assignment(problem, result)
    seconds = time.perf_counter() - started

    job.report(4, steps, because(gettext_noop("Saving %(n)d reviewer proposals"), n=result.n_pairs))
    rank = {}
    for p in range(P):
        cols = csr.indices[csr.indptr[p] : csr.indptr[p + 1]]
        vals = csr.data[csr.indptr[p] : csr.indptr[p + 1]]
        for r, j in enumerate(cols[np.argsort(-vals, kind="stable")]):
            rank[(p, int(j))] = r + 1
    unassignable = {units[p].key: str(reason) for p, reason in result.unassignable.items()}
    for p, reason in result.unassignable.items():
        # the clauses as kinds and values, worded by the run page in its reader's language
        notes.setdefault(units[p].key, {})["short"] = shortfall_json(reason)
    with transaction.atomic():
        # Still ours to finish? (Not cancelled or given up, nor finished by another attempt meanwhile.)
        if (
            not AssignmentRun.objects.select_for_update()
            .filter(pk=run.pk, state=RunState.RUNNING)
            .exists()
        ):
            return {"run": run.pk, "state": "not running any more"}
        Assignment.objects.filter(run=run).delete()  # replace, never add to, an unpublished result
        rows = []
        for p, j, aff in zip(result.proposals, result.experts, result.affinity, strict=True):
            unit = units[int(p)]
            expert_pk = index.expert_pks[int(j)]
            rows.append(
                Assignment(
                    run=run,
                    proposal=unit.proposal,
                    half=unit.half,
                    expert_id=expert_pk,
                    affinity=float(aff),
                    rank=rank.get((int(p), int(j))),
                    explanation={
                        "papers": scoring.explain_encoded(index, q, int(p), expert_pk),
                        "region": str(labels[int(j)]),
                    },
                    source=AssignmentSource.AUTO,
                )
            )
        created = Assignment.objects.bulk_create(rows)
        for a in created:
            record_initial_state(
                a, actor=run.created_by, reason=because(gettext_noop("Proposed by the optimiser."))
            )
        run.objective = float(result.objective)
        run.bound = None if result.bound is None else float(result.bound)
        run.gap = None if result.gap is None else float(result.gap)
        run.n_proposals, run.n_experts = P, int(allowed.sum())
        run.seconds = seconds
        run.unassignable = unassignable
        run.notes = notes
        run.groups = _group_records(units, groups, result, index)
        run.parameters = params
        run.error = "; ".join(str(v) for v in violations)
        transition(
            run,
            RunState.PROPOSED,
            actor=run.created_by,
            reason=because(
                gettext_noop(
                    "%(pairs)d reviewers proposed for %(units)d proposals; %(bad)d unassignable."
                ),
                pairs=result.n_pairs,
                units=P,
                bad=len(unassignable),
            ),
            update_fields=[
                "objective",
                "bound",
                "gap",
                "n_proposals",
                "n_experts",
                "seconds",
                "unassignable",
                "notes",
                "groups",
                "parameters",
                "error",
            ],
        )
    job.report(5, steps, because(gettext_noop("Done")))
    return {
        "run": run.pk,
        "pairs": result.n_pairs,
        "objective": run.objective,
        "gap": run.gap,
        "unassignable": len(unassignable),
    }


def _group_records(units: list[Unit], groups, result, index) -> list[dict]:
    out = []
    info = result.stats.get("groups", [])
    for g, group in enumerate(groups):
        status = info[g] if g < len(info) else {}
        out.append(
            {
                "units": [units[p].key for p in group.members],
                "references": [units[p].proposal.reference for p in group.members],
                "proposals": [units[p].proposal.pk for p in group.members],
                "pairs": [
                    [units[i].proposal.reference, units[j].proposal.reference, round(s, 3)]
                    for i, j, s in group.pairs
                ],
                "terms": [[t, round(w, 3)] for t, w in group.terms],
                "shared": [index.expert_pks[int(e)] for e in result.shared.get(g, [])],
                "status": status.get("status", "none"),
                "dropped_for_coverage": bool(status.get("dropped_for_coverage")),
            }
        )
    return out


def _abandon_run(job, run_id: int, reason: str = "") -> None:
    """The job will not run again (given up or cancelled): fail the run so a new one can be started."""
    run = AssignmentRun.objects.filter(
        pk=run_id, state__in=[RunState.QUEUED, RunState.RUNNING]
    ).first()
    if run is not None:
        run.error = str(job.reason_text or reason)[:500]
        transition(run, RunState.FAILED, actor=None, reason=run.error, update_fields=["error"])


def _may_act_on_run(user, job, run_id: int) -> bool:
    run = AssignmentRun.objects.select_related("call").filter(pk=run_id).first()
    return run is not None and may_manage(user, run.call, run.side)


execute_job.on_give_up = _abandon_run
execute_job.may_act = _may_act_on_run


# ----------------------------------------------------------------------------------------------
# Edit by hand
# ----------------------------------------------------------------------------------------------
def _require_editable(user, run: AssignmentRun):
    require_manage(user, run.call, run.side)
    lock(run)
    if run.state not in (RunState.PROPOSED, RunState.PUBLISHED):
        raise ValidationError(_("This assignment run can no longer be changed."))


def _affinity_of(
    unit: Unit, expert: ExpertProfile, model: str | None = None
) -> tuple[float, list[dict]]:
    index = scoring.matching_adapter.get_index(model)
    if expert.pk not in index.position:
        return 0.0, []
    scorer = index.scorer
    q = scorer.encode_proposals([unit.engine_proposal()])
    row = scorer.score_dense_encoded(q, [unit.engine_proposal().discipline_codes])[0]
    return float(row[index.position[expert.pk]]), scoring.explain(index, unit, expert.pk)


def check_candidate(run: AssignmentRun, unit: Unit, expert: ExpertProfile) -> list[str]:
    """Why this expert may not review this unit (empty: they may)."""
    problems = []
    if expert.status != ExpertStatus.ADMITTED:
        problems.append(_("%(name)s is not an admitted expert.") % {"name": expert})
    regions = expert_regions_for(run.side, run.parameters)
    if regions and expert.region not in regions:
        problems.append(
            _("%(name)s is not from this side's region; each agency reviews with its own experts.")
            % {"name": expert}
        )
    if (
        Assignment.objects.filter(proposal=unit.proposal, half=unit.half, expert=expert)
        .exclude(state=AssignmentState.REMOVED)
        .exists()
    ):
        problems.append(
            _("%(name)s is or was already a reviewer of this proposal.") % {"name": expert}
        )
    today = timezone.localdate()
    if not available_on(ExpertProfile.objects.filter(pk=expert.pk), today).exists():
        problems.append(
            _("%(name)s is away on %(day)s (availability windows).")
            % {"name": expert, "day": today}
        )
    experts = scoring.candidate_experts([expert.pk])
    reasons = scoring.conflicts_for(unit, [experts[expert.pk]], run.call.scheme).get(expert.pk, [])
    problems.extend(_("Conflict of interest: %(reason)s") % {"reason": r} for r in worded(reasons))
    policy = policy_for(run.call.scheme)
    load = Assignment.objects.filter(
        expert=expert,
        state__in=[*PENDING_STATES, AssignmentState.PROPOSED],
        run__state__in=[RunState.PROPOSED, RunState.PUBLISHED],
    ).count()
    if load >= policy.max_load:
        problems.append(
            _("%(name)s already has %(n)d reviews, the maximum.") % {"name": expert, "n": load}
        )
    return problems


def add_reviewer(user, run: AssignmentRun, unit: Unit, expert: ExpertProfile) -> Assignment:
    """Add a reviewer by hand; a conflicted or ineligible expert is refused with the reasons. An
    officer with a conflict of interest with the proposal cannot add its reviewers."""
    require_manage(user, run.call, run.side)
    require_no_conflict(user, unit.proposal.pk)
    affinity, papers = _affinity_of(unit, expert, run.parameters.get("model"))
    with transaction.atomic():
        _require_editable(
            user, run
        )  # the run row stays locked: two officers cannot add one expert twice
        problems = check_candidate(run, unit, expert)
        if problems:
            raise ValidationError(problems)
        a = Assignment.objects.create(
            run=run,
            proposal=unit.proposal,
            half=unit.half,
            expert=expert,
            affinity=affinity,
            source=AssignmentSource.MANUAL,
            explanation={"papers": papers, "region": expert.region},
        )
        record_initial_state(a, actor=user, reason=because(gettext_noop("Added by hand.")))
        if run.state == RunState.PUBLISHED:
            from .invitations import invite

            invite(a, actor=user)
    return a


def may_remove(assignment: Assignment) -> bool:
    """The seat can still be removed (proposed) or withdrawn (invited or accepted): the run page offers
    "Remove" only then, and ``remove_reviewer`` refuses otherwise."""
    return (
        assignment.state == AssignmentState.PROPOSED or assignment.state in PENDING_STATES
    ) and assignment.run.state in (RunState.PROPOSED, RunState.PUBLISHED)


@transaction.atomic
def remove_reviewer(user, assignment: Assignment, reason: str = "") -> Assignment:
    run = assignment.run
    require_no_conflict(user, assignment.proposal_id)
    _require_editable(user, run)
    lock(assignment)  # the expert may be accepting or submitting at this moment
    if assignment.state == AssignmentState.PROPOSED:
        transition(
            assignment,
            AssignmentState.REMOVED,
            actor=user,
            reason=reason or because(gettext_noop("Removed by hand.")),
        )
    elif assignment.state in PENDING_STATES:
        transition(
            assignment,
            AssignmentState.WITHDRAWN,
            actor=user,
            reason=reason or because(gettext_noop("Withdrawn by the officer.")),
        )
    else:
        raise ValidationError(_("This reviewer can no longer be removed."))
    return assignment


# ----------------------------------------------------------------------------------------------
# Publish
# ----------------------------------------------------------------------------------------------
def window_for(call: Call, side: str) -> ReviewWindow | None:
    return ReviewWindow.objects.filter(call=call, side=side).first()


def set_deadline(user, call: Call, side: str, deadline: dt.datetime) -> ReviewWindow:
    require_manage(user, call, side)
    policy = policy_for(call.scheme)
    window, _created = ReviewWindow.objects.update_or_create(
        call=call, side=side, defaults={"deadline": deadline, "reminder_days": policy.reminder_days}
    )
    return window


def publish_blockers(user, run: AssignmentRun) -> list[str]:
    """Why ``user`` cannot publish ``run`` (empty: they can): the run page offers "Publish
    invitations" only then, and ``publish`` refuses with these reasons."""
    if run.state != RunState.PROPOSED:
        return [_("Only a proposed assignment can be published.")]
    conflicted = conflicted_proposal_ids(user) & set(
        run.assignments.values_list("proposal_id", flat=True)
    )
    if conflicted:
        return [
            _(
                "You have a conflict of interest with %(n)d proposal(s) of this run; another officer of "
                "your agency must publish it."
            )
            % {"n": len(conflicted)}
        ]
    return []


def publish(user, run: AssignmentRun) -> int:
    """Invite every proposed reviewer (e-mail with accept/decline links). Returns how many."""
    require_manage(user, run.call, run.side)
    blockers = publish_blockers(user, run)
    if blockers:
        raise ValidationError(blockers)
    from .invitations import invite

    policy = policy_for(run.call.scheme)
    with transaction.atomic():
        run = AssignmentRun.objects.select_for_update().get(pk=run.pk)
        if run.state != RunState.PROPOSED:
            raise ValidationError(_("Only a proposed assignment can be published."))
        if window_for(run.call, run.side) is None:
            ReviewWindow.objects.create(
                call=run.call,
                side=run.side,
                deadline=timezone.now() + dt.timedelta(days=policy.review_days),
                reminder_days=policy.reminder_days,
            )
        seats = list(
            run.assignments.filter(state=AssignmentState.PROPOSED).select_related(
                "expert", "proposal", "run__call"
            )
        )
        invited = sum(1 for a in seats if invite(a, actor=user) is not None)
        run.published_at = timezone.now()
        transition(
            run,
            RunState.PUBLISHED,
            actor=user,
            reason=because(gettext_noop("%(n)d invitations sent."), n=invited),
            update_fields=["published_at"],
        )
    return invited
