"""Recheck requests: file, decide, withdraw. Each function checks permission and rules first and raises
``PermissionDenied`` or a ``ValidationError`` keyed by field, so a refused action changes nothing.

A reversal re-screens the half through the funding screening service itself
(``funding.services.proposals.screen``), so the joint proposal's pairing rule (a half whose partner has not
been submitted, or was withdrawn, cannot be eligible) is the screening rule, not a copy of it.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sciencebridge.core.models import StateTransition
from sciencebridge.core.notify import Subject, notify
from sciencebridge.core.workflow import record_initial_state, transition
from sciencebridge.funding.models import HalfState, ProposalHalf
from sciencebridge.funding.validation import check_attachment_file

from .models import REASONS_MAX_CHARS, RecheckPolicy, RecheckRequest, RecheckState
from .rules import is_side_officer


def policy_for(half: ProposalHalf) -> RecheckPolicy | None:
    scheme_side = half.proposal.call.scheme.side(half.side)
    try:
        return scheme_side.recheck_policy
    except RecheckPolicy.DoesNotExist:
        return None


def _fmt(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def window_closes_at(half: ProposalHalf):
    """When the half's recheck window closes (None: its side takes no requests)."""
    policy = policy_for(half)
    if policy is None or not policy.allowed:
        return None
    return policy.window_closes_at(half.state_changed_at)


def request_blocker(half: ProposalHalf, now=None) -> str | None:
    """Why the half cannot ask for a recheck now (None: it can). The page offers the request only when
    this is None; the service raises the same reason."""
    now = now or timezone.now()
    if half.state != HalfState.INELIGIBLE:
        return _(
            "Only a half screened ineligible can ask for a recheck; this half is “%(state)s”."
        ) % {"state": half.get_state_display()}
    policy = policy_for(half)
    if policy is None or not policy.allowed:
        return _("%(agency)s takes no recheck requests in this scheme.") % {"agency": half.agency}
    earlier = [
        r for r in half.recheck_requests.all() if r.state != RecheckState.WITHDRAWN
    ]  # few per half
    open_req = next((r for r in earlier if r.is_open), None)
    if open_req is not None:
        return _(
            "A recheck request for this half is already open; %(agency)s decides by %(due)s."
        ) % {"agency": half.agency, "due": open_req.due_date.isoformat()}
    decided = next((r for r in earlier if r.screened_at >= half.state_changed_at), None)
    if decided is not None:
        return _("The recheck of this screening decision was decided on %(date)s (%(state)s).") % {
            "date": _fmt(decided.decided_at or decided.state_changed_at),
            "state": decided.get_state_display(),
        }
    closes = policy.window_closes_at(half.state_changed_at)
    if now > closes:
        return _(
            "The recheck window closed on %(closes)s: requests are accepted within %(days)s days "
            "of the screening decision (%(screened)s)."
        ) % {
            "closes": _fmt(closes),
            "days": policy.request_window_days,
            "screened": _fmt(half.state_changed_at),
        }
    return None


def _note_on_half(half: ProposalHalf, actor, reason: str) -> None:
    """A step on the half's own timeline that does not change its state (as when a partner joins)."""
    StateTransition.objects.create(
        content_type=ContentType.objects.get_for_model(half),
        object_id=half.pk,
        from_state=half.state,
        to_state=half.state,
        actor=actor,
        reason=reason,
    )


def _officer_emails(half: ProposalHalf) -> list[str]:
    return list(
        half.agency.officers.filter(is_active=True, groups__name="programme_officer")
        .order_by("pk")
        .values_list("email", flat=True)
    )


@transaction.atomic
def request_recheck(user, half: ProposalHalf, *, reasons: str, evidence=None, now=None):
    if half.lead_id != user.pk:
        raise PermissionDenied(_("Only the lead of this half can ask for a recheck."))
    fresh = ProposalHalf.objects.select_for_update().get(
        pk=half.pk
    )  # two requests at once: one wins
    half.state, half.state_changed_at = fresh.state, fresh.state_changed_at
    now = now or timezone.now()
    blocker = request_blocker(half, now)
    if blocker:
        raise ValidationError({"__all__": blocker})
    errors: dict[str, list] = {}
    reasons = (reasons or "").strip()
    if not reasons:
        errors["reasons"] = [_("Say why the half should be found eligible: reasons are required.")]
    elif len(reasons) > REASONS_MAX_CHARS:
        errors["reasons"] = [
            _("Keep the reasons within %(n)s characters.") % {"n": REASONS_MAX_CHARS}
        ]
    if evidence is not None:
        problems = check_attachment_file(evidence)
        if problems:
            errors["evidence"] = problems
    if errors:
        raise ValidationError(errors)
    policy = policy_for(half)
    req = RecheckRequest(
        half=half,
        requested_by=user,
        requested_at=now,
        state_changed_at=now,
        screened_at=half.state_changed_at,
        screening_reason=half.screening_reason,
        reasons=reasons,
        due_date=policy.due_date_for(now),
    )
    if evidence is not None:
        req.evidence = evidence
        req.evidence_name = evidence.name[:255]
    req.save()
    record_initial_state(req, actor=user, reason=reasons)
    _note_on_half(
        half,
        user,
        _("Recheck of the screening requested; the agency decides by %(due)s.")
        % {"due": req.due_date.isoformat()},
    )
    context = {"req": req, "half": half}
    notify(
        _officer_emails(half),
        Subject(
            gettext_noop("Recheck requested for %(ref)s: decide by %(due)s"),
            ref=half.proposal.reference,
            due=req.due_date.isoformat(),
        ),
        "rechecks/email/requested.txt",
        context,
    )
    notify(
        user.email,
        Subject(
            gettext_noop("Your recheck request for %(ref)s: due %(due)s"),
            ref=half.proposal.reference,
            due=req.due_date.isoformat(),
        ),
        "rechecks/email/received.txt",
        context,
    )
    return req


def _lock_open(req: RecheckRequest) -> None:
    state = (
        RecheckRequest.objects.select_for_update()
        .filter(pk=req.pk)
        .values_list("state", flat=True)[0]
    )
    req.state = state
    if not req.is_open:
        raise ValidationError(
            {
                "__all__": _("This recheck request is already closed (%(state)s).")
                % {"state": req.get_state_display()}
            }
        )


@transaction.atomic
def decide(user, req: RecheckRequest, *, reverse: bool, reason: str) -> RecheckRequest:
    """Uphold the ineligibility or reverse it (the half returns to review), with a reason either way."""
    half = req.half
    if not is_side_officer(user, half):
        raise PermissionDenied(
            _("Only %(agency)s's programme officers decide this recheck.") % {"agency": half.agency}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Record the reason for the decision: the applicant reads it.")}
        )
    _lock_open(req)
    if reverse:
        fresh = ProposalHalf.objects.get(pk=half.pk)
        if fresh.state == HalfState.INELIGIBLE:
            from sciencebridge.funding.services.proposals import screen

            # The screening service: the pairing rule, the half's timeline and the applicant's notice.
            screen(
                user,
                half,
                eligible=True,
                reason=_("Recheck reversed the ineligibility: %(reason)s") % {"reason": reason},
            )
        elif fresh.state != HalfState.ELIGIBLE:
            raise ValidationError(
                {
                    "__all__": _(
                        "This half is now “%(state)s”: it cannot return to review. "
                        "Uphold the ineligibility instead."
                    )
                    % {"state": fresh.get_state_display()}
                }
            )
        target = RecheckState.REVERSED
    else:
        target = RecheckState.UPHELD
        _note_on_half(
            half,
            user,
            _("Recheck: ineligibility upheld. %(reason)s") % {"reason": reason},
        )
    req.decided_by = user
    req.decided_at = timezone.now()
    req.decision_reason = reason
    transition(
        req,
        target,
        actor=user,
        reason=reason,
        update_fields=["decided_by", "decided_at", "decision_reason"],
    )
    if half.lead:
        notify(
            half.lead.email,
            Subject(
                gettext_noop("Recheck decided for %(ref)s"),
                ref=half.proposal.reference,
            ),
            "rechecks/email/decided.txt",
            {"req": req, "half": half},
        )
    return req


@transaction.atomic
def withdraw(user, req: RecheckRequest, reason: str = "") -> RecheckRequest:
    if req.half.lead_id != user.pk:
        raise PermissionDenied(_("Only the lead of this half can withdraw its recheck request."))
    _lock_open(req)
    reason = (reason or "").strip() or _("Withdrawn by the applicant")
    transition(req, RecheckState.WITHDRAWN, actor=user, reason=reason)
    _note_on_half(req.half, user, _("Recheck request withdrawn. %(reason)s") % {"reason": reason})
    return req
