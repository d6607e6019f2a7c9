"""The experts to avoid of one half, as the API shows them (``api.serializers.HalfSerializer``):
to the half's agency's officers with the match result and the override; to the half's own applicants
as they entered them, "recorded", with nothing about the expert database; to anyone else nothing."""

from __future__ import annotations

from .rules import applicant_sees_exclusions, officer_sees_exclusions


def exclusions_json(user, half, conflicted_ids=None) -> list[dict] | None:
    """``conflicted_ids``: the user's conflicted proposal ids, computed once for a list (see
    ``rules.officer_sees_exclusions``). Reads ``expert_exclusions`` and their ``matched_experts``
    from the prefetch cache when the caller prefetched them (``api.views.ProposalViewSet``)."""
    officer = officer_sees_exclusions(user, half, conflicted_ids)
    if not (officer or applicant_sees_exclusions(user, half)):
        return None
    out = []
    if "expert_exclusions" in getattr(half, "_prefetched_objects_cache", {}):
        exclusions = half.expert_exclusions.all()
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
            matched = [str(e) for e in x.matched_experts.all()]
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
