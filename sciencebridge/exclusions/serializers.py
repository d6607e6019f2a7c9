"""The experts to avoid of one half, as the API shows them (``api.serializers.HalfSerializer``):
to the half's agency's officers with the match result and the override; to the half's own applicants
as they entered them, "recorded", with nothing about the expert database; to anyone else nothing."""

from __future__ import annotations

from .rules import applicant_sees_exclusions, officer_sees_exclusions


def exclusions_json(user, half) -> list[dict] | None:
    officer = officer_sees_exclusions(user, half)
    if not (officer or applicant_sees_exclusions(user, half)):
        return None
    out = []
    for x in half.expert_exclusions.prefetch_related("matched_experts"):
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
