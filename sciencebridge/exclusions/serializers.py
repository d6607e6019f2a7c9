"""The experts to avoid of one half, as the API shows them (``api.serializers.HalfSerializer``):
to the half's agency's officers with the match result and the override; to the half's own applicants
as they entered them, "recorded", with nothing about the expert database; to anyone else nothing."""

from __future__ import annotations

from sciencebridge.core.prefetched import is_prefetched, related_rows

from .rules import applicant_sees_exclusions, officer_sees_exclusions


def exclusions_json(user, half, conflicted_ids=None) -> list[dict] | None:
    """``conflicted_ids``: the user's conflicted proposal ids, computed once for a list (see
    ``rules.officer_sees_exclusions``). Reads ``expert_exclusions`` and their ``matched_experts``
    from the prefetch cache when the caller prefetched them (``api.views.ProposalViewSet``)."""
    officer = officer_sees_exclusions(user, half, conflicted_ids)
    if not (officer or applicant_sees_exclusions(user, half)):
        return None
    out = []
    if is_prefetched(half, "expert_exclusions"):
        exclusions = related_rows(half, "expert_exclusions")
    else:
        exclusions = half.expert_exclusions.prefetch_related("matched_experts")
    for x in exclusions:
        item = {
            "id": x.pk,
            "name": x.name,
            "institution": x.institution,
            "email": x.email,
            "reason": x.reason,
        }
        if officer:
            matched = [str(e) for e in related_rows(x, "matched_experts")]
            item |= {
                "in_database": bool(matched),
                "matched_experts": matched,
                "state": x.state,
                "override_reason": x.override_reason,
            }
        else:
            item["status"] = "recorded"
        out.append(item)
    return out
