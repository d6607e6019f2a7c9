"""Proposal workflow services: every business rule of a joint proposal's life before review.

Each function checks permission and rules first and raises ``PermissionDenied`` or a
``ValidationError`` keyed by field, so a rejected action changes nothing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sciencebridge.accounts.roles import Role
from sciencebridge.core.notify import Subject, notify
from sciencebridge.core.workflow import because, reason_fields, record_initial_state, transition

from .. import rules
from .. import validation as v
from ..models import (
    EDITABLE_STATES,
    SIDE_REGION,
    SUBMITTED_STATES,
    Attachment,
    BudgetLine,
    Call,
    HalfState,
    JointProposal,
    PartnerInvitation,
    ProposalHalf,
    TeamMember,
    TeamRole,
    other_side,
)


def _raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _merge(*parts: dict) -> dict:
    out: dict[str, list] = {}
    for part in parts:
        for k, msgs in part.items():
            out.setdefault(k, []).extend(msgs)
    return out


def side_for_user(user, scheme=None) -> str:
    if user.institution_id is None:
        raise ValidationError(
            {"institution": _("Your profile has no institution; add one before applying.")}
        )
    if scheme is not None and not scheme.is_joint:
        # A national programme: one side (its agency), applicants in Hong Kong or Macao.
        return scheme.single_side.side
    for side, region in SIDE_REGION.items():
        if user.institution.region == region:
            return side
    raise ValidationError(
        {
            "institution": _(
                "Joint schemes take a Hong Kong lead and a Mainland lead; "
                "your institution is in neither region."
            )
        }
    )


def _next_reference(call: Call) -> str:
    prefix = call.code.upper().replace(" ", "")
    n = JointProposal.objects.filter(call=call).count() + 1
    while JointProposal.objects.filter(reference=f"{prefix}-{n:04d}").exists():
        n += 1
    return f"{prefix}-{n:04d}"


@transaction.atomic
def create_proposal(
    user, call: Call, *, title, abstract, plan="", project_type=None, area=None, duration_months
) -> JointProposal:
    if not user.has_role(Role.APPLICANT):
        raise PermissionDenied(_("Only applicants can start a proposal."))
    if call.status == "closed":
        raise ValidationError(
            {
                "__all__": _("This call closed on %(d)s; no new proposals are accepted.")
                % {"d": timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M")}
            }
        )
    scheme = call.scheme
    side = side_for_user(user, scheme)
    proposal = JointProposal(
        call=call,
        title=title,
        abstract=abstract,
        plan=plan,
        project_type=project_type,
        area=area,
        duration_months=duration_months,
        created_by=user,
    )
    mine = ProposalHalf(
        proposal=proposal,
        side=side,
        agency=scheme.side(side).agency,
        institution=user.institution,
        lead=user,
    )
    _raise_if(
        _merge(
            v.check_shared_texts(proposal),
            v.check_duration(proposal),
            v.check_lead_institution(mine),
            v.check_role_limit(mine, user),
            _personal_failures(call, user),
        )
    )
    if area is not None and call.themes.exists() and not call.themes.filter(pk=area.pk).exists():
        raise ValidationError({"area": _("This thematic area is not open in this call.")})
    proposal.reference = _next_reference(call)
    proposal.save()
    mine.proposal = proposal
    mine.save()
    # A joint scheme waits for the partner's half; a national programme has only this one.
    other = None
    if scheme.is_joint:
        other = ProposalHalf.objects.create(
            proposal=proposal, side=other_side(side), agency=scheme.side(other_side(side)).agency
        )
    TeamMember.objects.create(
        half=mine,
        name=user.get_full_name() or user.username,
        email=user.email,
        institution=user.institution,
        role=TeamRole.PI,
        user=user,
    )
    record_initial_state(mine, actor=user, reason=because(gettext_noop("Proposal started")))
    if other is not None:
        record_initial_state(
            other, actor=user, reason=because(gettext_noop("Waiting for the partner lead"))
        )
    return proposal


def _personal_failures(call: Call, user) -> dict:
    """A national programme refuses a draft when a personal rule already fails (each reason said);
    missing profile data only blocks the submission."""
    failures = v.eligibility_failures(
        [r for r in v.evaluate_eligibility(call, user) if r["code"] != "institution"],
        missing_too=False,
    )
    return {"eligibility": failures} if failures else {}


def _require_editable(user, half: ProposalHalf):
    if half.lead_id != user.pk:
        raise PermissionDenied(_("Only the lead of this half can change it."))
    if not half.is_editable:
        raise ValidationError(
            {
                "__all__": _("This half is %(state)s and can no longer be changed.")
                % {"state": half.get_state_display()}
            }
        )


def update_shared(user, proposal: JointProposal, **fields) -> JointProposal:
    """Shared fields stay identical for both halves; they lock once either half is submitted."""
    mine = next((h for h in proposal.halves.all() if h.lead_id == user.pk), None)
    if mine is None:
        raise PermissionDenied(_("Only a lead of this proposal can change its shared fields."))
    _require_editable(user, mine)
    if any(h.is_submitted for h in proposal.halves.all()):
        raise ValidationError(
            {
                "__all__": _(
                    "A half has been submitted: the shared fields are locked so both "
                    "agencies receive the same title, abstract and plan."
                )
            }
        )
    for k, val in fields.items():
        setattr(proposal, k, val)
    _raise_if(_merge(v.check_shared_texts(proposal), v.check_duration(proposal)))
    proposal.save()
    return proposal


def update_half(
    user, half: ProposalHalf, *, keywords=None, discipline_codes=None, industry_sponsorship=None
):
    _require_editable(user, half)
    if keywords is not None:
        half.keywords = keywords
    if industry_sponsorship is not None:
        if industry_sponsorship < 0:
            raise ValidationError(
                {"industry_sponsorship": _("Industry sponsorship cannot be negative.")}
            )
        half.industry_sponsorship = industry_sponsorship
    half.save()
    if discipline_codes is not None:
        half.discipline_codes.set(discipline_codes)
    return half


@transaction.atomic
def replace_budget(user, half: ProposalHalf, lines: list[dict]) -> list[BudgetLine]:
    """Replace the half's budget lines after checking currency and ceiling; nothing is saved on error."""
    _require_editable(user, half)
    new = [BudgetLine(half=half, **ln) for ln in lines]
    _raise_if(v.check_budget(half, new))
    half.budget_lines.all().delete()
    return BudgetLine.objects.bulk_create(new)


def add_team_member(
    user, half: ProposalHalf, *, name, email="", institution=None, role=TeamRole.MEMBER
):
    _require_editable(user, half)
    regions = half.proposal.call.scheme.lead_regions(half.side)
    if institution is not None and institution.region not in regions:
        raise ValidationError(
            {
                "institution": _(
                    "Team members of the %(side)s come from its own region; "
                    "add %(inst)s to the partner's half instead."
                )
                % {"side": half.get_side_display(), "inst": institution}
            }
        )
    return TeamMember.objects.create(
        half=half, name=name, email=email, institution=institution or half.institution, role=role
    )


def remove_team_member(user, member: TeamMember):
    _require_editable(user, member.half)
    if member.user_id == member.half.lead_id:
        raise ValidationError({"__all__": _("The lead cannot be removed from the team.")})
    member.delete()


def add_attachment(user, half: ProposalHalf, kind, uploaded) -> Attachment:
    _require_editable(user, half)
    errors = v.check_attachment_file(uploaded)
    if errors:
        raise ValidationError({"file": errors})
    if kind.scheme_id != half.proposal.call.scheme_id or kind.side not in ("", half.side):
        raise ValidationError({"kind": _("This document type does not belong to this half.")})
    with transaction.atomic():
        half.attachments.filter(kind=kind).delete()
        return Attachment.objects.create(
            half=half,
            kind=kind,
            file=uploaded,
            original_name=uploaded.name[:255],
            size=uploaded.size,
            uploaded_by=user,
        )


def invite_partner(user, proposal: JointProposal, *, email, institution) -> PartnerInvitation:
    mine = next((h for h in proposal.halves.all() if h.lead_id == user.pk), None)
    if mine is None:
        raise PermissionDenied(_("Only a lead of this proposal can invite the partner."))
    if not proposal.call.scheme.is_joint:
        raise ValidationError(
            {
                "email": _(
                    "This national programme has a single applicant: there is no partner to invite."
                )
            }
        )
    partner = proposal.half(other_side(mine.side))
    if partner.lead_id:
        raise ValidationError({"email": _("The partner lead has already joined this proposal.")})
    _raise_if(v.check_lead_institution(partner, institution))
    inv = PartnerInvitation.objects.create(
        proposal=proposal,
        side=partner.side,
        email=email.strip().lower(),
        institution=institution,
        invited_by=user,
    )
    notify(
        email,
        Subject(gettext_noop("Invitation to a joint proposal: %(title)s"), title=proposal.title),
        "funding/email/partner_invitation.txt",
        {"proposal": proposal, "invitation": inv, "inviter": user},
    )
    return inv


@transaction.atomic
def accept_invitation(user, token: str) -> ProposalHalf:
    try:
        inv = (
            PartnerInvitation.objects.select_for_update()
            .select_related("proposal__call__scheme")
            .get(token=token, revoked=False)
        )
    except PartnerInvitation.DoesNotExist:
        raise ValidationError(
            {"__all__": _("This invitation link is not valid or has been revoked.")}
        ) from None
    if inv.accepted_at:
        raise ValidationError({"__all__": _("This invitation has already been accepted.")})
    if user.email.lower() != inv.email:
        raise PermissionDenied(_("This invitation was sent to another e-mail address."))
    half = inv.proposal.half(inv.side)
    if half.lead_id:
        raise ValidationError({"__all__": _("The partner lead has already joined this proposal.")})
    _raise_if(
        _merge(v.check_lead_institution(half, user.institution), v.check_role_limit(half, user))
    )
    half.lead = user
    half.institution = user.institution
    half.save(update_fields=["lead", "institution"])
    TeamMember.objects.create(
        half=half,
        name=user.get_full_name() or user.username,
        email=user.email,
        institution=user.institution,
        role=TeamRole.PI,
        user=user,
    )
    inv.accepted_at = timezone.now()
    inv.accepted_by = user
    inv.save(update_fields=["accepted_at", "accepted_by"])
    if not user.has_role(Role.APPLICANT):
        user.grant_role(Role.APPLICANT)
    from django.contrib.contenttypes.models import ContentType

    from sciencebridge.core.models import StateTransition

    StateTransition.objects.create(
        content_type=ContentType.objects.get_for_model(half),
        object_id=half.pk,
        from_state=half.state,
        to_state=half.state,
        actor=user,
        **reason_fields(because(gettext_noop("Partner lead joined the proposal"))),
    )
    return half


_LOCKED_FIELDS = (
    "state",
    "state_changed_at",
    "submitted_at",
    "screening_reason",
    "lead_id",
    "institution_id",
    "decided_at",
)


def _lock_pair(half: ProposalHalf) -> ProposalHalf | None:
    """Lock both halves of the proposal (in id order, so two actions never deadlock) and re-read the
    half's state under the lock: of two people acting at once, the second sees what the first did.
    Call inside a transaction. Returns the partner half as locked."""
    rows = list(
        ProposalHalf.objects.select_for_update().filter(proposal_id=half.proposal_id).order_by("pk")
    )
    fresh = next(h for h in rows if h.pk == half.pk)
    for f in _LOCKED_FIELDS:
        setattr(half, f, getattr(fresh, f))
    return next((h for h in rows if h.pk != half.pk), None)


@transaction.atomic
def submit_half(user, half: ProposalHalf, *, now=None) -> ProposalHalf:
    if half.lead_id != user.pk:
        raise PermissionDenied(_("Only the lead of this half can submit it."))
    _lock_pair(half)
    call = half.proposal.call
    blocker = rules.submission_blocker(half, now)
    if blocker:
        raise ValidationError({"__all__": blocker})
    _raise_if(v.check_for_submission(half))
    half.submitted_at = timezone.now()
    transition(
        half,
        HalfState.SUBMITTED,
        actor=user,
        reason=because(gettext_noop("Submitted to %(agency)s"), agency=half.agency),
        update_fields=["submitted_at"],
    )
    scheme_side = call.scheme.side(half.side)
    if scheme_side.requires_endorsement:
        from sciencebridge.accounts.models import User

        offices = User.objects.filter(
            institution=half.institution, groups__name=Role.RESEARCH_OFFICE
        )
        for office in offices:
            notify(
                office.email,
                Subject(
                    gettext_noop("A proposal awaits your endorsement: %(ref)s"),
                    ref=half.proposal.reference,
                ),
                "funding/email/endorsement_needed.txt",
                {"half": half},
            )
    return half


def _require_office(user, half):
    if not rules.is_research_office_of(user, half):
        raise PermissionDenied(
            _("Only the research office of %(inst)s can endorse or return this half.")
            % {"inst": half.institution}
        )
    _lock_pair(half)
    blocker = rules.endorsement_blocker(half)
    if blocker:
        raise ValidationError({"__all__": blocker})


@transaction.atomic
def endorse(user, half: ProposalHalf, comment: str = "") -> ProposalHalf:
    _require_office(user, half)
    transition(
        half,
        HalfState.ENDORSED,
        actor=user,
        reason=comment or because(gettext_noop("Endorsed by the research office")),
    )
    return half


@transaction.atomic
def return_half(user, half: ProposalHalf, comment: str) -> ProposalHalf:
    _require_office(user, half)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what the applicant should change.")})
    transition(half, HalfState.RETURNED, actor=user, reason=comment)
    if half.lead:
        notify(
            half.lead.email,
            Subject(
                gettext_noop("Your proposal %(ref)s was returned for changes"),
                ref=half.proposal.reference,
            ),
            "funding/email/returned.txt",
            {"half": half, "comment": comment},
        )
    return half


@transaction.atomic
def screen(
    user, half: ProposalHalf, *, eligible: bool, reason: str, declarations_verified: bool = False
) -> ProposalHalf:
    if not rules.is_officer_of(user, half):
        raise PermissionDenied(
            _("Only %(agency)s's programme officers screen this half.") % {"agency": half.agency}
        )
    partner = _lock_pair(half)
    blocker = rules.screening_blocker(half)
    if blocker:
        raise ValidationError({"__all__": blocker})
    if not reason.strip():
        raise ValidationError({"reason": _("Record the reason for the screening decision.")})
    joint = half.proposal.call.scheme.is_joint
    update_fields = ["screening_reason"]
    if not joint and eligible:
        needs = [
            r
            for r in v.evaluate_eligibility(half.proposal.call, half.lead, half=half)
            if r["status"] != v.OK
        ]
        failing = [r["message"] for r in needs if r["status"] != v.DECLARE]
        if failing:
            raise ValidationError({"__all__": failing})
        if needs and not declarations_verified:
            raise ValidationError(
                {
                    "declarations_verified": _(
                        "Verify the applicant's declarations and evidence before screening the "
                        "half eligible."
                    )
                }
            )
        if needs:
            half.declarations_verified_by = user
            half.declarations_verified_at = timezone.now()
            update_fields += ["declarations_verified_by", "declarations_verified_at"]
    if joint and eligible and (partner is None or partner.state not in SUBMITTED_STATES):
        raise ValidationError(
            {
                "__all__": _(
                    "Unilateral submission is not accepted: the partner half has not been "
                    "submitted to %(agency)s."
                )
                % {"agency": partner.agency if partner else "—"}
            }
        )
    target = HalfState.ELIGIBLE if eligible else HalfState.INELIGIBLE
    half.screening_reason = reason
    transition(half, target, actor=user, reason=reason, update_fields=update_fields)
    if half.lead:
        notify(
            half.lead.email,
            Subject(gettext_noop("Screening result for %(ref)s"), ref=half.proposal.reference),
            "funding/email/screened.txt",
            {"half": half},
        )
    return half


@transaction.atomic
def withdraw(user, proposal: JointProposal, reason: str) -> JointProposal:
    halves = list(ProposalHalf.objects.select_for_update().filter(proposal=proposal).order_by("pk"))
    if not any(h.lead_id == user.pk for h in halves):
        raise PermissionDenied(_("Only a lead can withdraw the proposal."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the proposal is withdrawn.")})
    blocker = rules.withdrawal_blocker(halves)
    if blocker:
        raise ValidationError({"__all__": blocker})
    for h in halves:
        if h.state not in {HalfState.WITHDRAWN, HalfState.LAPSED}:
            transition(h, HalfState.WITHDRAWN, actor=user, reason=reason)
    return proposal


@transaction.atomic
def process_deadline(call: Call, *, now=None) -> dict:
    """Run once a call has closed: unsubmitted halves lapse; a submitted half whose partner did not
    submit becomes ineligible ("unilateral submission is not accepted"). Safe to run again."""
    now = now or timezone.now()
    if now < call.closes_at:
        raise ValidationError({"__all__": _("The call has not closed yet.")})
    counts = {"lapsed": 0, "unilateral": 0}
    halves = (
        ProposalHalf.objects.select_for_update()
        .filter(proposal__call=call)
        .select_related("proposal")
        .order_by("pk")
    )  # the lock order of every half-moving service: no deadlock
    by_prop: dict[int, list[ProposalHalf]] = {}
    for h in halves:
        by_prop.setdefault(h.proposal_id, []).append(h)
    for pair in by_prop.values():
        for h in pair:
            if h.state in EDITABLE_STATES:
                transition(
                    h,
                    HalfState.LAPSED,
                    reason=because(gettext_noop("Not submitted by the deadline")),
                )
                counts["lapsed"] += 1
        if not call.scheme.is_joint:
            continue  # one half: no partner to wait for
        for h in pair:
            partner = next((p for p in pair if p.pk != h.pk), None)
            if h.state in SUBMITTED_STATES - {HalfState.INELIGIBLE} and (
                partner is None or not partner.is_submitted
            ):
                h.screening_reason = _(
                    "Unilateral submission is not accepted: the partner half was not "
                    "submitted by the deadline."
                )
                transition(
                    h,
                    HalfState.INELIGIBLE,
                    reason=h.screening_reason,
                    update_fields=["screening_reason"],
                )
                counts["unilateral"] += 1
    call.deadline_processed_at = now
    call.save(update_fields=["deadline_processed_at"])
    return counts
