"""Business rules of the experts an applicant asks to avoid, the reviewer's own concurrent
application and duplicate submissions (issue 17)."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sciencebridge.core.workflow import record_initial_state, transition
from sciencebridge.experts.matching_adapter import person_key
from sciencebridge.experts.models import ExpertProfile
from sciencebridge.funding.models import JointProposal, ProposalHalf, reached_agency_q

from . import similarity
from .models import ExclusionState, ExpertExclusion
from .rules import name_blocker, officer_sees_exclusions

FIELDS = ("name", "institution", "email", "reason")


# ----------------------------------------------------------------------------------------------
# Matching a named person to expert profiles
# ----------------------------------------------------------------------------------------------
def _same_institution(expert: ExpertProfile, text: str) -> bool:
    text = text.strip().casefold()
    inst = expert.institution
    if not text or inst is None:
        return False
    names = [
        getattr(inst, f, "") or ""
        for f in ("name_en", "name_zh_hant", "name_zh_hans", "name", "code")
    ]
    return any(n and (n.casefold() in text or text in n.casefold()) for n in names)


def match_experts(name: str, institution: str = "", email: str = "") -> list[ExpertProfile]:
    """The expert profiles a named person may be: by e-mail address (profile or account) first, else
    by name (order-insensitive: "Chan, Tai Man" = "Tai-Man Chan"; a Chinese name exactly), narrowed by
    the institution when it tells apart two people of the same name. Several namesakes all match: an
    exclusion errs on the side of caution, and the officer may override it."""
    if email.strip():
        by_email = list(
            ExpertProfile.objects.filter(
                Q(email__iexact=email.strip()) | Q(user__email__iexact=email.strip())
            ).select_related("institution")
        )
        if by_email:
            return by_email
    key = person_key(name)
    if not key:
        return []
    compact = re.sub(r"\s+", "", name)
    longest = max(key.split(), key=len)
    found = [
        e
        for e in ExpertProfile.objects.filter(
            Q(name_en__icontains=longest) | Q(name_zh=compact)
        ).select_related("institution")
        if person_key(e.name_en) == key or (e.name_zh and e.name_zh == compact)
    ]
    if len(found) > 1 and institution.strip():
        narrowed = [e for e in found if _same_institution(e, institution)]
        if narrowed:
            found = narrowed
    return found


def rematch(exclusion: ExpertExclusion) -> ExpertExclusion:
    exclusion.matched_experts.set(
        match_experts(exclusion.name, exclusion.institution, exclusion.email)
    )
    exclusion.matched_at = timezone.now()
    exclusion.save(update_fields=["matched_at"])
    return exclusion


# ----------------------------------------------------------------------------------------------
# The applicant names experts to avoid
# ----------------------------------------------------------------------------------------------
def save_exclusions(user, half: ProposalHalf, rows: list[dict]) -> list[ExpertExclusion]:
    """Replace the half's list of experts to avoid with ``rows`` (dicts of name, institution, e-mail,
    reason; empty rows are skipped). Only the half's lead, while the half is editable, up to the scheme
    side's maximum; nothing is saved when a rule fails."""
    if half.lead_id != user.pk:
        raise PermissionDenied(_("Only the lead of this half can change it."))
    blocker = name_blocker(half)
    if blocker:
        raise ValidationError(blocker)
    rows = [
        {f: (r.get(f) or "").strip() for f in FIELDS}
        for r in rows
        if any((r.get(f) or "").strip() for f in FIELDS)
    ]
    limit = half.proposal.call.scheme.side(half.side).avoid_experts_max
    errors = []
    if len(rows) > limit:
        errors.append(
            ngettext(
                "You named %(n)d experts to avoid; this scheme allows at most %(max)d. "
                "Remove one or more.",
                "You named %(n)d experts to avoid; this scheme allows at most %(max)d. "
                "Remove one or more.",
                limit,
            )
            % {"n": len(rows), "max": limit}
        )
    for i, r in enumerate(rows, start=1):
        if not r["name"]:
            errors.append(_("Expert %(i)d: give the name.") % {"i": i})
        if not r["reason"]:
            errors.append(_("Expert %(i)d: give the reason.") % {"i": i})
    keys = [person_key(r["name"]) for r in rows if r["name"]]
    if len(keys) != len(set(keys)):
        errors.append(_("The same person is named twice."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ProposalHalf.objects.select_for_update().filter(pk=half.pk).first()
        half.expert_exclusions.all().delete()
        created = []
        for r in rows:
            ex = ExpertExclusion.objects.create(half=half, created_by=user, **r)
            record_initial_state(ex, actor=user, reason=_("Named by the applicant."))
            created.append(rematch(ex))
    return created


# ----------------------------------------------------------------------------------------------
# An officer overrides one exclusion
# ----------------------------------------------------------------------------------------------
def override(user, exclusion: ExpertExclusion, reason: str) -> ExpertExclusion:
    """Lift one exclusion: the officers of that half's agency, with a reason (on the timeline, not shown
    to the applicant). The named expert may then be chosen as a reviewer again."""
    if not officer_sees_exclusions(user, exclusion.half):
        raise PermissionDenied(_("Only the officers of this half's agency may override it."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason for overriding the applicant's exclusion.")}
        )
    if exclusion.state != ExclusionState.IN_FORCE:
        raise ValidationError(_("This exclusion was already overridden."))
    exclusion.override_reason = reason
    exclusion.overridden_by = user
    transition(
        exclusion,
        ExclusionState.OVERRIDDEN,
        actor=user,
        reason=reason,
        visible_to_applicant=False,
        update_fields=["override_reason", "overridden_by"],
    )
    return exclusion


# ----------------------------------------------------------------------------------------------
# Duplicate submissions (shown to officers at screening)
# ----------------------------------------------------------------------------------------------
def duplicates_for(user, half: ProposalHalf) -> list[dict]:
    """Applications of the same exercise at least the scheme side's ``duplicate_similarity`` close to
    this half's proposal, as the officer ``user`` may see them: the other reference only when the officer
    may see that proposal too (else "an application of another agency"). Officers of the half only."""
    if not officer_sees_exclusions(user, half):
        return []
    from sciencebridge.funding.selectors import visible_proposals

    proposal = half.proposal
    threshold = proposal.call.scheme.side(half.side).duplicate_similarity
    others = JointProposal.objects.filter(call__exercise=proposal.call.exercise).filter(
        pk__in=ProposalHalf.objects.filter(reached_agency_q()).values("proposal_id")
    )
    found = similarity.nearest(proposal, others, threshold)
    if not found:
        return []
    visible = set(
        visible_proposals(user).filter(pk__in=[pk for pk, _s in found]).values_list("pk", flat=True)
    )
    by_pk = JointProposal.objects.select_related("call__scheme").in_bulk([pk for pk, _s in found])
    out = []
    for pk, s in found:
        other = by_pk[pk]
        out.append(
            {
                "similarity": round(s, 2),
                "reference": other.reference if pk in visible else None,
                "scheme": str(other.call.scheme),
                "same_scheme": other.call.scheme_id == proposal.call.scheme_id,
            }
        )
    return out
