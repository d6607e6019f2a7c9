"""Conflicts of interest between a person and a joint proposal: the one predicate that every page,
action, API endpoint, export and e-mail of the review and decisions apps goes through.

A user has a conflict with a proposal (both halves: the whole proposal) when any of these holds:

- they declared a conflict on a review seat of the proposal (an ``Assignment`` in state CONFLICT);
- they are an applicant on it (lead or team member of either half);
- their institution — on their account or on their expert profile — is the lead institution of either
  half (the matching engine's same-institution rule, as ``scoring.conflicts_for`` applies it);
- their expert profile declares a conflict, still in force, with the institution of either half, or
  with a lead or team member (by e-mail or by name);
- the applicants named them as an expert to avoid (``exclusions.ExpertExclusion`` matched to their
  profile, not overridden by an officer): "named by the applicant".

When reviewers are chosen, ``applicant_conflicts`` adds the two rules that read other applications:
the named experts above, and the reviewer's own concurrent application (lead or team member of another
application of the same exercise at least the scheme side's ``concurrent_similarity`` close to this
one, by the TF-IDF cosine of ``exclusions.similarity``).

The co-authorship rules of the engine need the experts' publications and run when reviewers are
chosen (``scoring.conflicts_for``); a conflict found there never seats the reviewer in the first place.

A conflicted person sees nothing of the proposal (no title, people, scores or comments) and can do
nothing to it, whatever their role: panel chairs, programme officers and superusers included.
Applicants still read the outcome of their own proposal (``decisions.views.outcome``): that is the
one applicant-facing view, and it checks ``is_applicant_on`` before this predicate.

Use the querysets (``exclude_conflicted``) in lists so a new view that starts from the selectors
cannot forget, and ``has_conflict`` / ``require_no_conflict`` for one proposal.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sciencebridge.core import request_cache
from sciencebridge.core.request_cache import once_per_request
from sciencebridge.experts.conflict_reasons import Reason
from sciencebridge.funding.models import ProposalHalf


def _profile(user):
    if not (user is not None and getattr(user, "is_authenticated", False)):
        return None
    try:
        return user.expert_profile
    except Exception:  # RelatedObjectDoesNotExist: no expert profile
        return None


def _halves_rules(user) -> list[Q]:
    """The conflict rules on halves, one filter each (any of them matching means a conflict)."""
    rules = [Q(lead_id=user.pk), Q(team__user_id=user.pk)]
    institutions = {user.institution_id} - {None}
    profile = _profile(user)
    if profile is not None:
        from sciencebridge.experts.models import DeclaredConflict

        institutions.add(profile.institution_id)
        today = timezone.localdate()
        for d in DeclaredConflict.objects.filter(expert=profile).filter(
            Q(until__isnull=True) | Q(until__gte=today)
        ):
            if d.institution_id:
                institutions.add(d.institution_id)
            if d.person_email:
                rules += [
                    Q(lead__email__iexact=d.person_email),
                    Q(team__email__iexact=d.person_email),
                ]
            if d.person_name.strip():
                rules.append(Q(team__name__iexact=d.person_name.strip()))
        # Named by the applicants as an expert to avoid (and not overridden by an officer).
        rules.append(
            Q(expert_exclusions__matched_experts=profile, expert_exclusions__state="in_force")
        )
    institutions.discard(None)
    if institutions:
        rules.append(Q(institution_id__in=institutions))
    return rules


def _halves_q(user) -> Q | None:
    """Halves whose proposal the user has a conflict with, as one filter (for one proposal)."""
    return reduce(or_, _halves_rules(user))


def conflicted_proposal_ids(user) -> set[int]:
    """Ids of every proposal the user has a conflict with: one query, once per request (the set is
    asked for by the selectors of several apps while a page is built; ``core.request_cache``)."""
    if not (user is not None and getattr(user, "is_authenticated", False)):
        return set()
    return set(_conflicted_once(user))


def _conflicted_once(user) -> frozenset[int]:
    return once_per_request(("conflicted_proposal_ids", user.pk), lambda: _conflicted(user))


def _conflicted(user) -> frozenset[int]:
    from .models import Assignment, AssignmentState

    # Each rule as its own branch of a UNION, so that each is an index lookup (the lead, the team
    # member, the institution …) instead of one OR over a join that reads every half (issue 16).
    branches = [
        Assignment.objects.filter(expert__user_id=user.pk, state=AssignmentState.CONFLICT)
        .order_by()
        .values_list("proposal_id", flat=True)
    ]
    for rule in _halves_rules(user):
        branches.append(
            ProposalHalf.objects.filter(rule).order_by().values_list("proposal_id", flat=True)
        )
    first, *rest = branches
    return frozenset(first.union(*rest))


def has_conflict(user, proposal) -> bool:
    """Whether ``user`` has a declared or detected conflict with ``proposal`` (or its id)."""
    if not (user is not None and getattr(user, "is_authenticated", False)):
        return False
    from .models import Assignment, AssignmentState

    pid = getattr(proposal, "pk", proposal)
    if request_cache.active():  # while a page is built, the viewer's whole set is asked for anyway
        return pid in _conflicted_once(user)
    if Assignment.objects.filter(
        expert__user_id=user.pk, proposal_id=pid, state=AssignmentState.CONFLICT
    ).exists():
        return True
    return ProposalHalf.objects.filter(proposal_id=pid).filter(_halves_q(user)).exists()


def require_no_conflict(user, proposal) -> None:
    if has_conflict(user, proposal):
        raise PermissionDenied(
            _(
                "You have a conflict of interest with this proposal, so you take no part in "
                "its review, panel or decision."
            )
        )


def exclude_conflicted(qs: QuerySet, user, field: str = "proposal") -> QuerySet:
    """``qs`` without the rows whose proposal (reached by ``field``: ``"proposal"``,
    ``"half__proposal"``, ``"pk"`` on proposals …) the user has a conflict with."""
    ids = conflicted_proposal_ids(user)
    if not ids:
        return qs
    lookup = (
        "pk__in"
        if field == "pk"
        else f"{field}_id__in"
        if not field.endswith("_id")
        else f"{field}__in"
    )
    return qs.exclude(**{lookup: ids})


def without_conflicted(users, proposal) -> list:
    """The users (with e-mail addresses) who have no conflict with ``proposal``: e-mails about a
    proposal go only to them."""
    return [u for u in users if not has_conflict(u, proposal)]


def applicant_conflicts(halves, experts, threshold: float | None = None) -> dict[int, list[Reason]]:
    """Reasons, per expert pk, from the applications themselves: the expert was named by the applicants
    of ``halves`` (one joint proposal's halves) as an expert to avoid, or the expert's own application
    in the same exercise is close to this one (``threshold``: the scheme side's
    ``concurrent_similarity``; ``None``: not checked). Used by ``review.services.scoring.conflicts_for``,
    so the assignment run, the reviewer added by hand and the run page all read the same reasons."""
    from sciencebridge.exclusions.models import ExclusionState, ExpertExclusion
    from sciencebridge.funding.models import reached_agency_q

    halves = list(halves)
    experts = list(experts)
    if not halves or not experts:
        return {}
    out: dict[int, list[Reason]] = {}
    pks = {e.pk for e in experts}
    named = ExpertExclusion.matched_experts.through.objects.filter(
        expertexclusion__half__proposal_id=halves[0].proposal_id,
        expertexclusion__state=ExclusionState.IN_FORCE,
        expertprofile_id__in=pks,
    ).values_list("expertprofile_id", flat=True)
    for pk in set(named):
        out.setdefault(pk, []).append(Reason.of("named_by_applicant"))
    if threshold is None:
        return out
    users = {e.user_id: e.pk for e in experts if e.user_id}
    emails = {e.email.casefold(): e.pk for e in experts if e.email}
    proposal = halves[0].proposal
    others = (
        ProposalHalf.objects.filter(
            reached_agency_q(), proposal__call__exercise=proposal.call.exercise
        )
        .exclude(proposal_id=proposal.pk)
        .filter(
            Q(lead_id__in=users)
            | Q(team__user_id__in=users)
            | Q(lead__email__in=list(emails))
            | Q(team__email__in=list(emails))
        )
        .values_list("proposal_id", "lead_id", "lead__email", "team__user_id", "team__email")
    )
    own: dict[int, set[int]] = {}
    for pid, lead_id, lead_email, member_id, member_email in others:
        for key, table in (
            (lead_id, users),
            (member_id, users),
            ((lead_email or "").casefold(), emails),
            ((member_email or "").casefold(), emails),
        ):
            if key in table:
                own.setdefault(pid, set()).add(table[key])
    if not own:
        return out
    from sciencebridge.exclusions.similarity import similarities

    best: dict[int, float] = {}
    for pid, s in similarities(proposal, list(own)).items():
        if s >= threshold - 1e-9:
            for pk in own[pid]:
                best[pk] = max(best.get(pk, 0.0), s)
    for pk, s in best.items():
        out.setdefault(pk, []).append(Reason.of("own_application", similarity=round(s, 4)))
    return out
