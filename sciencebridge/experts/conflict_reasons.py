"""Why an expert may not review a proposal, worded in the reader's language.

The matching engine explains a conflict in English with institution codes ("Expert works at polyu,
the applicant's institution of the proposal."). A reason is kept here as a kind and the values its
sentence needs (``Reason``), stored that way in an assignment run's notes, and worded only when a
page shows it: in the page's language, with the institution's name as that language writes it
("香港理工大學"). Notes written before reasons were kept this way hold plain text and are shown as
they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as N_

# kind -> (engine code, sentence). Values named "institution" are institution codes, worded as the
# institution's name when shown.
SENTENCES = {
    "same_institution": ("SAME_INSTITUTION", N_("Expert works at %(institution)s, the applicant's institution.")),
    "partner_institution": ("SAME_INSTITUTION", N_("Expert works at %(institution)s, the partner applicant's institution.")),
    "same_department": ("SAME_DEPARTMENT", N_("Expert is in the applicant's department (%(department)s, %(institution)s).")),
    "employed_until": ("RECENT_EMPLOYMENT", N_("Expert was employed at %(institution)s until %(until)s, within %(years)s years of %(year)s.")),
    "employed_now": ("RECENT_EMPLOYMENT", N_("Expert is employed at %(institution)s.")),
    "is_applicant": ("TEAM_MEMBER", N_("Expert is the applicant.")),
    "is_team_member": ("TEAM_MEMBER", N_("Expert is a member of the proposal team.")),
    "same_person": ("TEAM_MEMBER", N_("Expert's e-mail or Chinese name matches a team member (%(person)s).")),
    "coauthor": ("COAUTHOR", N_("Expert co-authored with %(person)s in %(last_year)s (within %(years)s years of %(year)s).")),
    "avoid_requested": ("DECLARED", N_("The applicant asked that this expert not review.")),
    "avoid_institution_requested": ("DECLARED", N_("The applicant asked that experts from %(institution)s not review.")),
    "declared_person": ("DECLARED", N_("Expert declared a conflict with %(person)s.")),
    "declared_institution": ("DECLARED", N_("Expert declared a conflict with %(institution)s.")),
    "named_by_applicant": ("NAMED", N_("Named by the applicant as an expert to avoid.")),
    "own_application": ("OWN_APPLICATION", N_("The expert's own application in the same exercise is close to this one (similarity %(similarity).2f).")),
}  # fmt: skip

LABELS = {
    "SAME_INSTITUTION": N_("Same institution"),
    "SAME_DEPARTMENT": N_("Same department"),
    "RECENT_EMPLOYMENT": N_("Recent employment"),
    "TEAM_MEMBER": N_("On the team"),
    "COAUTHOR": N_("Co-author"),
    "DECLARED": N_("Declared"),
    "NAMED": N_("Named by the applicant"),
    "OWN_APPLICATION": N_("Own application"),
}

OTHER = "other"  # a scheme's own rule: its text is shown as the rule wrote it


@dataclass(frozen=True)
class Reason:
    kind: str
    values: tuple = ()  # sorted (name, value) pairs: hashable, so a unit's reasons dedupe

    @classmethod
    def of(cls, kind: str, **values) -> Reason:
        return cls(kind, tuple(sorted(values.items())))

    @classmethod
    def from_json(cls, data: dict) -> Reason:
        data = dict(data)
        return cls.of(data.pop("kind"), **data)

    def as_json(self) -> dict:
        return {"kind": self.kind, **dict(self.values)}

    @property
    def code(self) -> str:
        if self.kind == OTHER:
            return dict(self.values).get("code", OTHER)
        return SENTENCES[self.kind][0]

    @property
    def label(self) -> str:
        code = self.code
        return gettext(LABELS[code]) if code in LABELS else code

    def __str__(self) -> str:
        return worded([self])[0]


def from_engine(reason, person_names: dict[str, str] | None = None) -> Reason:
    """The engine's ``ConflictReason`` as a ``Reason``. ``person_names``: the engine's matching
    keys of people ("chan man tai") -> the name as the applicant typed it."""
    ev = reason.evidence or {}
    names = person_names or {}

    def person(key):
        return names.get(key, key)

    by_code = {
        "SAME_INSTITUTION": lambda: Reason.of(
            "partner_institution" if ev.get("role") == "partner" else "same_institution",
            institution=ev.get("institution"),
        ),
        "SAME_DEPARTMENT": lambda: Reason.of(
            "same_department", institution=ev.get("institution"), department=ev.get("department")
        ),
        "RECENT_EMPLOYMENT": lambda: (
            Reason.of("employed_now", institution=ev.get("institution"))
            if ev.get("end_year") is None
            else Reason.of(
                "employed_until",
                institution=ev.get("institution"),
                until=ev["end_year"],
                years=ev.get("window_years"),
                year=ev.get("reference_year"),
            )
        ),
        "TEAM_MEMBER": lambda: (
            Reason.of("same_person", person=person(ev["same_person"]))
            if "same_person" in ev
            else Reason.of("is_applicant" if ev.get("role") == "applicant" else "is_team_member")
        ),
        "COAUTHOR": lambda: Reason.of(
            "coauthor",
            person=person(ev.get("last_coauthor")),
            last_year=ev.get("last_year"),
            years=ev.get("window_years"),
            year=ev.get("reference_year"),
        ),
        "DECLARED": lambda: _declared(ev, person),
    }
    build = by_code.get(reason.code)
    made = build() if build else None
    return made or Reason.of(OTHER, code=reason.code, text=reason.message)


def _declared(ev: dict, person) -> Reason | None:
    if ev.get("by") == "applicant":
        if ev.get("institution"):
            return Reason.of("avoid_institution_requested", institution=ev["institution"])
        return Reason.of("avoid_requested")
    if ev.get("by") == "expert":
        if ev.get("person_id"):
            return Reason.of("declared_person", person=person(ev["person_id"]))
        if ev.get("institution"):
            return Reason.of("declared_institution", institution=ev["institution"])
    return None


def worded(reasons: Iterable[Reason | dict | str]) -> list[str]:
    """Each reason as a sentence in the active language (one query for the institutions named);
    a plain string (a note written before reasons were kept as kinds) is returned as it is."""
    reasons = [Reason.from_json(r) if isinstance(r, dict) else r for r in reasons]
    codes = {
        value
        for r in reasons
        if isinstance(r, Reason)
        for name, value in r.values
        if name == "institution" and value
    }
    names = _institution_names(codes)
    out = []
    for r in reasons:
        if isinstance(r, str):
            out.append(r)
        elif r.kind == OTHER or r.kind not in SENTENCES:
            out.append(str(dict(r.values).get("text") or r.kind))
        else:
            values = {
                name: names.get(_key(value), value) if name == "institution" else value
                for name, value in r.values
            }
            out.append(gettext(SENTENCES[r.kind][1]) % values)
    return out


def worded_each(groups: Iterable[list]) -> list[list[str]]:
    """``worded`` for several lists of reasons at once (a page's units or search results): one
    query for the institutions all of them name; each list's sentences in its own list."""
    groups = [list(g) for g in groups]
    texts = iter(worded([r for g in groups for r in g]))
    return [[next(texts) for _ in g] for g in groups]


def worded_notes(notes: dict) -> dict:
    """A run's notes (unit key -> {"candidates", "excluded": [{"expert", "reasons"}]}) with every
    reason worded in the active language, for the units a page shows."""
    excluded = [x for note in notes.values() for x in note.get("excluded", [])]
    texts = iter(worded_each(x["reasons"] for x in excluded))
    return {
        key: {**note, "excluded": [{**x, "reasons": next(texts)} for x in note.get("excluded", [])]}
        for key, note in notes.items()
    }


def _key(code) -> str:
    return str(code).strip().casefold()


def _institution_names(codes: set) -> dict[str, str]:
    if not codes:
        return {}
    from sciencebridge.institutions.models import Institution

    wanted = {_key(c) for c in codes}
    # codes are compared as the engine compares them (trimmed, case-folded)
    found = Institution.objects.filter(code__in={*codes, *wanted})
    return {_key(i.code): str(i) for i in found if _key(i.code) in wanted}
