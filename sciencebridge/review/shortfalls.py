"""Why a proposal did not get all its reviewers, worded in the reader's language.

The assignment engine explains each shortfall in English ("only 2 conflict-free Hong Kong
candidates for 3 required Hong Kong reviewers") and gives its clauses as kinds and values
(``matching.assignment.reasons.Shortfall.parts``). A run keeps those in each unit's notes
(``notes[key]["short"]``) and the run page words them here; a run made before keeps only the
English text (``AssignmentRun.unassignable``), shown as it is.
"""

from __future__ import annotations

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_noop as N_

REGIONS = {"HK": N_("Hong Kong"), "ML": N_("Mainland"), "MO": N_("Macao"), "OV": N_("overseas")}
MODES = {"optimal": N_("optimal"), "fair": N_("fair"), "greedy": N_("greedy"), "randomized": N_("randomized")}  # fmt: skip

SENTENCES = {
    "no_region_candidate": N_("no conflict-free %(region)s reviewer among the candidates"),
    "few_region_candidates": N_("only %(n)d conflict-free %(region)s candidates for %(required)d required %(region)s reviewers"),
    "region_loads_exhausted": N_("every conflict-free %(region)s candidate (%(n)d) already has the maximum number of reviews"),
    "region_heuristic": N_("a %(region)s seat was left empty by the %(mode)s heuristic although candidates have spare load"),
    "few_candidates": N_("only %(n)d conflict-free candidates for %(need)d reviews"),
    "loads_exhausted": N_("every conflict-free candidate (%(n)d) already has the maximum number of reviews"),
    "heuristic": N_("a seat was left empty by the %(mode)s heuristic although candidates have spare load"),
}  # fmt: skip


def shortfall_json(reason) -> list[dict]:
    """The engine's ``Shortfall`` as JSON for a run's notes (kind and values of each clause)."""
    out = []
    for kind, values in getattr(reason, "parts", ()):
        kept = {k: v for k, v in values.items() if k != "region_name"}  # worded when shown
        if "region" in kept:
            kept["region"] = str(kept["region"])
        out.append({"kind": kind, **kept})
    return out


def worded_shortfall(parts: list[dict] | None, english: str | None) -> str | None:
    """The shortfall in the active language, from its parts; the stored English text when a run
    kept no parts (made before they were kept) or a part is of a kind not known here."""
    if not parts or any(part.get("kind") not in SENTENCES for part in parts):
        return english
    return "; ".join(_clause(part) for part in parts)


def _clause(part: dict) -> str:
    values = dict(part)
    kind = values.pop("kind")
    region = values.get("region")
    if region is not None:
        values["region"] = gettext(REGIONS[region]) if region in REGIONS else region
    mode = values.get("mode")
    if mode is not None:
        values["mode"] = gettext(MODES[mode]) if mode in MODES else mode
    text = gettext(SENTENCES[kind]) % values
    declined = values.get("declined")
    if declined:
        text += ngettext(
            " (%(n)d declined or removed reviewer not counted)",
            " (%(n)d declined or removed reviewers not counted)",
            declined,
        ) % {"n": declined}
    return text
