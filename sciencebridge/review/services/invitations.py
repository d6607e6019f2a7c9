"""Invitations: accept or decline by a link, conflicts declared on opening the proposal, automatic
replacement by the next-best conflict-free reviewer, and reminders before the review deadline."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from matching.assignment import AssignmentProblem, next_best_reviewer
from sciencebridge.core.notify import notify
from sciencebridge.core.workflow import because, record_initial_state, transition

from ..conflicts import has_conflict, require_no_conflict, without_conflicted
from ..models import (
    ENDED_STATES,
    Assignment,
    AssignmentSource,
    AssignmentState,
    ReviewWindow,
    RunState,
)
from . import scoring
from .assignment import (
    PENDING_STATES,
    expert_regions_for,
    pending_loads,
    policy_for,
    unit_of,
    window_for,
)
from .locks import lock


def _lang(expert) -> str:
    langs = (expert.languages or "").lower()
    if expert.region == "ML":
        return "zh-hans"
    return "en" if "en" in langs or not langs else "zh-hant"


def invite(assignment: Assignment, *, actor=None) -> Assignment | None:
    """proposed → invited, and e-mail the expert the accept/decline links. An expert with a declared
    or detected conflict of interest with the proposal is not invited (the seat is removed, with the
    reason on its timeline) and gets no e-mail about it: returns ``None``."""
    expert_user = assignment.expert.user
    if expert_user is not None and has_conflict(expert_user, assignment.proposal_id):
        transition(
            assignment,
            AssignmentState.REMOVED,
            actor=actor,
            visible_to_applicant=False,
            reason=because(
                gettext_noop("Not invited: a conflict of interest with this proposal is recorded.")
            ),
        )
        return None
    assignment.invited_at = timezone.now()
    transition(
        assignment,
        AssignmentState.INVITED,
        actor=actor,
        reason=because(gettext_noop("Invitation sent.")),
        visible_to_applicant=False,
        update_fields=["invited_at"],
    )
    window = window_for(assignment.run.call, assignment.run.side)
    with override(_lang(assignment.expert)):
        notify(
            assignment.expert.email,
            _("Invitation to review %(ref)s") % {"ref": assignment.proposal.reference},
            "review/email/invitation.txt",
            {"assignment": assignment, "proposal": assignment.proposal, "window": window},
        )
    return assignment


def _require_own(user, assignment: Assignment) -> None:
    if not (user.is_authenticated and assignment.expert.user_id == user.pk):
        raise PermissionDenied(_("This invitation is addressed to another expert."))


@transaction.atomic
def accept(user, assignment: Assignment) -> Assignment:
    _require_own(user, assignment)
    require_no_conflict(user, assignment.proposal_id)
    lock(assignment)
    if assignment.state != AssignmentState.INVITED:
        raise ValidationError(_("This invitation is no longer open."))
    window = window_for(assignment.run.call, assignment.run.side)
    if window and not window.is_open:
        raise ValidationError(
            _("The review deadline has passed; this invitation can no longer be accepted.")
        )
    assignment.responded_at = timezone.now()
    transition(
        assignment,
        AssignmentState.ACCEPTED,
        actor=user,
        reason=because(gettext_noop("Invitation accepted.")),
        visible_to_applicant=False,
        update_fields=["responded_at"],
    )
    return assignment


def decline(user, assignment: Assignment, reason: str = "") -> Assignment | None:
    """Decline; the next-best conflict-free reviewer is invited at once. Returns the replacement."""
    _require_own(user, assignment)
    with transaction.atomic():
        lock(assignment)
        if assignment.state != AssignmentState.INVITED:
            raise ValidationError(_("This invitation is no longer open."))
        assignment.responded_at = timezone.now()
        assignment.response_note = reason[:500]
        transition(
            assignment,
            AssignmentState.DECLINED,
            actor=user,
            reason=reason or because(gettext_noop("Invitation declined.")),
            visible_to_applicant=False,
            update_fields=["responded_at", "response_note"],
        )
        return replace(assignment, actor=user)


@transaction.atomic
def confirm_no_conflict(user, assignment: Assignment) -> Assignment:
    _require_own(user, assignment)
    require_no_conflict(user, assignment.proposal_id)
    lock(assignment)
    if assignment.state not in (AssignmentState.ACCEPTED, AssignmentState.SUBMITTED):
        raise ValidationError(_("Accept the invitation first."))
    if assignment.coi_confirmed_at is None:
        assignment.coi_confirmed_at = timezone.now()
        assignment.save(update_fields=["coi_confirmed_at"])
    return assignment


def declare_conflict(user, assignment: Assignment, reason: str) -> Assignment | None:
    """The expert declares a conflict on opening the proposal: they never see it, and the next-best
    conflict-free reviewer is invited. Returns the replacement."""
    _require_own(user, assignment)
    if not reason.strip():
        raise ValidationError({"reason": _("Say briefly what the conflict is.")})
    with transaction.atomic():
        lock(assignment)
        if assignment.state not in (AssignmentState.INVITED, AssignmentState.ACCEPTED):
            raise ValidationError(_("This review can no longer be handed back."))
        assignment.responded_at = assignment.responded_at or timezone.now()
        assignment.response_note = reason[:500]
        transition(
            assignment,
            AssignmentState.CONFLICT,
            actor=user,
            reason=because(gettext_noop("Conflict of interest declared: %(r)s"), r=reason[:300]),
            visible_to_applicant=False,
            update_fields=["responded_at", "response_note"],
        )
        return replace(assignment, actor=user)


def replace(assignment: Assignment, *, actor=None) -> Assignment | None:
    """Find and invite the next-best conflict-free reviewer for the seat ``assignment`` left.

    Candidates: the unit's top affinities among the side's experts; excluded: everyone who already
    sat on the unit (declined, conflicted, withdrawn), anyone with a conflict, anyone at their load
    limit. Returns ``None`` (and records why) when nobody suitable is left."""
    run = assignment.run
    call = run.call
    policy = policy_for(call.scheme)
    unit = unit_of(assignment)
    model = run.parameters.get("model")
    index = scoring.matching_adapter.get_index(model)
    allowed, labels = scoring.region_mask(index, expert_regions_for(run.side, run.parameters))
    allowed &= scoring.available_mask(index, timezone.localdate())
    k = max(policy.candidates_per_proposal, policy.reviews_needed * 4) * 2
    index, csr, q = scoring.score_units([unit], allowed, k, model=model)
    pos = index.position
    E = csr.shape[1]

    seats = list(
        Assignment.objects.filter(proposal=unit.proposal, half=unit.half)
        .exclude(state=AssignmentState.REMOVED)
        .values_list("expert_id", "state")
    )
    current = [pos[pk] for pk, st in seats if st not in ENDED_STATES and pk in pos]
    ended = [pos[pk] for pk, st in seats if st in ENDED_STATES and pk in pos]

    cols = csr.indices
    experts = scoring.candidate_experts({index.expert_pks[j] for j in cols})
    reasons = scoring.conflicts_for(unit, list(experts.values()), call.scheme)
    conflicted = [pos[pk] for pk in reasons]

    loads = pending_loads()
    mine = {pk for pk, st in seats if st in PENDING_STATES}
    max_load = np.full(E, policy.max_load, dtype=np.int64)
    for pk, n in loads.items():
        if pk in pos:
            # The unit's own pending seats are counted by next_best_reviewer from ``current``.
            max_load[pos[pk]] = max(0, policy.max_load - (n - (1 if pk in mine else 0)))
    minimums = run.parameters.get("region_minimums") or None
    if not run.side and minimums is None:
        minimums = {"HK": policy.min_hk_reviewers, "ML": policy.min_ml_reviewers}
    problem = AssignmentProblem(
        affinity=csr,
        reviews_needed=int(run.parameters.get("reviews_needed") or policy.reviews_needed),
        max_load=max_load,
        conflicts=(np.zeros(len(conflicted), np.int64), np.asarray(conflicted, np.int64)),
        expert_regions=np.array([str(x) or "OTHER" for x in labels]),
        region_minimums=minimums,
        forbidden=(np.zeros(len(ended), np.int64), np.asarray(ended, np.int64)) if ended else None,
        allow_negative_affinity=True,  # ensemble scores are z-scores: signed by design
    )
    current_pairs = (np.zeros(len(current), np.int64), np.asarray(current, np.int64))
    suggestion = next_best_reviewer(problem, current_pairs, 0, exclude=ended)
    if suggestion is None:
        transition_note = _(
            "No conflict-free replacement reviewer is available; the officer must add one by hand."
        )
        # a flag, worded by the run page in its reader's language
        run.notes.setdefault(unit.key, {})["replacement"] = "none_available"
        run.save(update_fields=["notes"])
        _notify_officers(run, assignment, transition_note)
        return None
    expert_pk = index.expert_pks[suggestion.expert]
    new = Assignment.objects.create(
        run=run,
        proposal=unit.proposal,
        half=unit.half,
        expert_id=expert_pk,
        affinity=float(suggestion.affinity),
        source=AssignmentSource.REPLACEMENT,
        replacement_for=assignment,
        explanation={
            "papers": scoring.explain_encoded(index, q, 0, expert_pk),
            "region": str(suggestion.region),
            "replaces": str(assignment.expert),
        },
    )
    record_initial_state(
        new,
        actor=actor,
        reason=because(
            gettext_noop("Next-best conflict-free reviewer, replacing %(name)s."),
            name=assignment.expert,
        ),
    )
    if run.state == RunState.PUBLISHED:
        new = Assignment.objects.select_related("expert", "proposal", "run__call").get(pk=new.pk)
        invite(new, actor=actor)
    return new


def _notify_officers(run, assignment, message):
    from sciencebridge.accounts.models import User
    from sciencebridge.accounts.roles import Role

    agencies = [
        s.agency_id for s in run.call.scheme.sides.all() if not run.side or s.side == run.side
    ]
    officers = User.objects.filter(agency_id__in=agencies, groups__name=Role.PROGRAMME_OFFICER)
    emails = [u.email for u in without_conflicted(officers, assignment.proposal_id)]
    notify(
        emails,
        _("No replacement reviewer for %(ref)s") % {"ref": assignment.proposal.reference},
        "review/email/no_replacement.txt",
        {"assignment": assignment, "message": message, "run": run},
    )


# ----------------------------------------------------------------------------------------------
# Reminders (scheduled; idempotent: each seat is reminded once)
# ----------------------------------------------------------------------------------------------
def send_reminders(now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    sent = 0
    for window in ReviewWindow.objects.filter(deadline__gt=now).select_related("call"):
        if now < window.deadline - dt.timedelta(days=window.reminder_days):
            continue
        seats = Assignment.objects.filter(
            run__call=window.call,
            run__side=window.side,
            run__state=RunState.PUBLISHED,
            state__in=PENDING_STATES,
            reminded_at__isnull=True,
        ).select_related("expert__user", "proposal")
        for a in seats:
            if a.expert.user_id and has_conflict(a.expert.user, a.proposal_id):
                continue  # never e-mail proposal content to a conflicted person
            # Claim the seat first so two schedulers never send the same reminder twice.
            if not Assignment.objects.filter(pk=a.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            with override(_lang(a.expert)):
                notify(
                    a.expert.email,
                    _("Reminder: review of %(ref)s due %(date)s")
                    % {"ref": a.proposal.reference, "date": window.deadline.strftime("%Y-%m-%d")},
                    "review/email/reminder.txt",
                    {"assignment": a, "proposal": a.proposal, "window": window},
                )
            sent += 1
    return {"reminders": sent}


def assignment_for_token(token: str) -> Assignment:
    try:
        return Assignment.objects.select_related(
            "expert", "proposal__call__scheme", "run__call"
        ).get(token=token)
    except Assignment.DoesNotExist as exc:
        raise PermissionDenied(_("This invitation link is not valid.")) from exc
