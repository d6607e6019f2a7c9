"""Conflict-of-interest (回避) rules between proposals and experts, vectorised with sparse matrices.

Every rule produces a sparse P x E boolean matrix of pairs it excludes, and explains one pair on
demand (code, human text, evidence), so 10k x 20k problems never build per-pair Python objects
unless asked to.

Which rules apply and their time windows are configured per scheme with :class:`ConflictPolicy`.
The defaults follow the rules that are known for NSFC and, where NSFC's are unconfirmed, the US
NSF's published non-statutory rules (collaborators within 48 months, former employer within a
year); see shared/domain.md section 4. They are settings, not facts: each scheme sets its own.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Employment:
    """A past (or current) position. ``end_year=None`` means ongoing."""

    institution: str
    department: str | None = None
    start_year: int | None = None
    end_year: int | None = None


@dataclass(frozen=True)
class Coauthorship:
    person_id: str
    year: int


@dataclass(frozen=True)
class ExpertRecord:
    id: str
    institution: str | None = None  # current legal-entity institution
    department: str | None = None
    person_id: str | None = None  # identity used to find the expert in proposal teams (default: id)
    employment: tuple[Employment, ...] = ()
    coauthors: tuple[Coauthorship, ...] = ()
    declared_persons: tuple[str, ...] = ()  # people the expert declared a conflict with
    declared_institutions: tuple[str, ...] = ()

    @property
    def person(self) -> str:
        return self.person_id or self.id


@dataclass(frozen=True)
class ProposalRecord:
    id: str
    applicant_id: str | None = None
    institution: str | None = None  # applicant's institution
    department: str | None = None
    team: tuple[str, ...] = ()  # person ids of team members (besides the applicant)
    partner_institutions: tuple[str, ...] = ()  # e.g. the Mainland partner of a joint scheme
    avoid_persons: tuple[str, ...] = ()  # experts the applicant asked not to review
    avoid_institutions: tuple[str, ...] = ()

    @property
    def people(self) -> tuple[str, ...]:
        return ((self.applicant_id,) if self.applicant_id else ()) + tuple(self.team)

    @property
    def institutions(self) -> tuple[str, ...]:
        return ((self.institution,) if self.institution else ()) + tuple(self.partner_institutions)


@dataclass(frozen=True)
class ConflictReason:
    code: str
    message: str
    evidence: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Indexing: strings -> integer ids -> sparse incidence matrices
# ---------------------------------------------------------------------------------------------
class _Ids:
    def __init__(self):
        self.ids: dict[str, int] = {}

    def __call__(self, key) -> int:
        key = _norm(key)
        i = self.ids.get(key)
        if i is None:
            i = self.ids[key] = len(self.ids)
        return i


def _norm(key):
    if isinstance(key, tuple):
        return tuple(_norm(k) for k in key)
    return key.strip().casefold() if isinstance(key, str) else key


def _incidence(rows: Iterable[Iterable[int]], n_rows: int, n_cols: int) -> sparse.csr_matrix:
    r, c = [], []
    for i, cols in enumerate(rows):
        for j in cols:
            r.append(i)
            c.append(j)
    m = sparse.csr_matrix(
        (
            np.ones(len(r), dtype=np.int32),
            (np.asarray(r, dtype=np.int64), np.asarray(c, dtype=np.int64)),
        ),
        shape=(n_rows, n_cols),
    )
    m.sum_duplicates()
    m.data[:] = 1
    return m


def _pairs(a: sparse.csr_matrix, b: sparse.csr_matrix) -> sparse.csr_matrix:
    """P x E boolean: rows of ``a`` and rows of ``b`` share a column."""
    n = max(a.shape[1], b.shape[1])
    a = sparse.csr_matrix(a, shape=(a.shape[0], n)) if a.shape[1] != n else a
    b = sparse.csr_matrix(b, shape=(b.shape[0], n)) if b.shape[1] != n else b
    out = (a @ b.T).tocsr()
    out.data = out.data > 0
    out.eliminate_zeros()
    return out.astype(bool)


class ConflictContext:
    """Integer-id view of the inputs shared by all rules."""

    def __init__(
        self, proposals: Sequence[ProposalRecord], experts: Sequence[ExpertRecord], year: int
    ):
        self.proposals = proposals
        self.experts = experts
        self.year = year
        self.inst = _Ids()
        self.person = _Ids()
        self.dept = _Ids()
        self._cache: dict[str, sparse.csr_matrix] = {}

    def matrix(self, name: str, build: Callable[[], sparse.csr_matrix]) -> sparse.csr_matrix:
        if name not in self._cache:
            self._cache[name] = build()
        return self._cache[name]

    def prop_matrix(
        self, name: str, ids: _Ids, keys: Callable[[ProposalRecord], Iterable]
    ) -> sparse.csr_matrix:
        def build():
            rows = [[ids(k) for k in keys(p) if k] for p in self.proposals]
            return _incidence(rows, len(self.proposals), max(len(ids.ids), 1))

        return self.matrix("p:" + name, build)

    def expert_matrix(
        self, name: str, ids: _Ids, keys: Callable[[ExpertRecord], Iterable]
    ) -> sparse.csr_matrix:
        def build():
            rows = [[ids(k) for k in keys(e) if k] for e in self.experts]
            return _incidence(rows, len(self.experts), max(len(ids.ids), 1))

        return self.matrix("e:" + name, build)


# ---------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------
class ConflictRule:
    """A rule: a vectorised ``mask`` plus a per-pair ``explain``. Subclass for scheme-specific rules."""

    code = "RULE"

    def mask(self, ctx: ConflictContext) -> sparse.csr_matrix:
        raise NotImplementedError

    def explain(self, p: ProposalRecord, e: ExpertRecord, year: int) -> ConflictReason | None:
        raise NotImplementedError


def _eq(a, b) -> bool:
    return a is not None and b is not None and _norm(a) == _norm(b)


class SameInstitution(ConflictRule):
    code = "SAME_INSTITUTION"

    def __init__(self, include_partners: bool = True):
        self.include_partners = include_partners

    def _insts(self, p: ProposalRecord):
        return (
            p.institutions if self.include_partners else ((p.institution,) if p.institution else ())
        )

    def mask(self, ctx):
        pm = ctx.prop_matrix(f"inst{self.include_partners}", ctx.inst, self._insts)
        em = ctx.expert_matrix("inst", ctx.inst, lambda e: [e.institution])
        return _pairs(pm, em)

    def explain(self, p, e, year):
        for inst in self._insts(p):
            if _eq(inst, e.institution):
                role = (
                    "applicant's institution"
                    if _eq(inst, p.institution)
                    else "a partner institution"
                )
                return ConflictReason(
                    self.code,
                    f"Expert works at {e.institution}, the {role} of the proposal.",
                    {
                        "institution": e.institution,
                        "role": "applicant" if _eq(inst, p.institution) else "partner",
                    },
                )
        return None


class SameDepartment(ConflictRule):
    code = "SAME_DEPARTMENT"

    def mask(self, ctx):
        def key(inst, dept):
            return (inst, dept) if inst and dept else None

        pm = ctx.prop_matrix("dept", ctx.dept, lambda p: [key(p.institution, p.department)])
        em = ctx.expert_matrix("dept", ctx.dept, lambda e: [key(e.institution, e.department)])
        return _pairs(pm, em)

    def explain(self, p, e, year):
        if _eq(p.institution, e.institution) and _eq(p.department, e.department):
            return ConflictReason(
                self.code,
                f"Expert is in the applicant's department ({e.department}, {e.institution}).",
                {"institution": e.institution, "department": e.department},
            )
        return None


class RecentEmployment(ConflictRule):
    """The expert worked at the applicant's institution within the last ``years`` years."""

    code = "RECENT_EMPLOYMENT"

    def __init__(self, years: int):
        self.years = years

    def _recent(self, e: ExpertRecord, year: int):
        return [j for j in e.employment if (j.end_year is None or j.end_year >= year - self.years)]

    def mask(self, ctx):
        pm = ctx.prop_matrix("inst_applicant", ctx.inst, lambda p: [p.institution])
        em = ctx.expert_matrix(
            f"emp{self.years}",
            ctx.inst,
            lambda e: [j.institution for j in self._recent(e, ctx.year)],
        )
        return _pairs(pm, em)

    def explain(self, p, e, year):
        for j in self._recent(e, year):
            if _eq(j.institution, p.institution):
                until = "now" if j.end_year is None else str(j.end_year)
                return ConflictReason(
                    self.code,
                    f"Expert was employed at {j.institution} (until {until}), within {self.years} "
                    f"years of {year}.",
                    {
                        "institution": j.institution,
                        "end_year": j.end_year,
                        "window_years": self.years,
                        "reference_year": year,
                    },
                )
        return None


class TeamMember(ConflictRule):
    code = "TEAM_MEMBER"

    def mask(self, ctx):
        pm = ctx.prop_matrix("people", ctx.person, lambda p: p.people)
        em = ctx.expert_matrix("self", ctx.person, lambda e: [e.person])
        return _pairs(pm, em)

    def explain(self, p, e, year):
        if any(_eq(x, e.person) for x in p.people):
            role = (
                "the applicant"
                if _eq(p.applicant_id, e.person)
                else "a member of the proposal team"
            )
            return ConflictReason(
                self.code,
                f"Expert is {role}.",
                {
                    "person_id": e.person,
                    "role": "applicant" if _eq(p.applicant_id, e.person) else "team",
                },
            )
        return None


class RecentCoauthor(ConflictRule):
    code = "COAUTHOR"

    def __init__(self, years: int):
        self.years = years

    def _recent(self, e: ExpertRecord, year: int):
        return [c for c in e.coauthors if c.year >= year - self.years]

    def mask(self, ctx):
        pm = ctx.prop_matrix("people", ctx.person, lambda p: p.people)
        em = ctx.expert_matrix(
            f"coauth{self.years}",
            ctx.person,
            lambda e: [c.person_id for c in self._recent(e, ctx.year)],
        )
        return _pairs(pm, em)

    def explain(self, p, e, year):
        people = {_norm(x) for x in p.people}
        hits = [c for c in self._recent(e, year) if _norm(c.person_id) in people]
        if not hits:
            return None
        last = max(hits, key=lambda c: c.year)
        return ConflictReason(
            self.code,
            f"Expert co-authored with {last.person_id} in {last.year} (within {self.years} years of {year}).",
            {
                "coauthors": sorted({c.person_id for c in hits}),
                "last_coauthor": last.person_id,
                "last_year": last.year,
                "window_years": self.years,
                "reference_year": year,
            },
        )


class DeclaredConflict(ConflictRule):
    """Conflicts declared by the applicant (experts or institutions to avoid) or by the expert."""

    code = "DECLARED"

    def mask(self, ctx):
        m = _pairs(
            ctx.prop_matrix("avoid_p", ctx.person, lambda p: p.avoid_persons),
            ctx.expert_matrix("self", ctx.person, lambda e: [e.person]),
        )
        m = m + _pairs(
            ctx.prop_matrix("avoid_i", ctx.inst, lambda p: p.avoid_institutions),
            ctx.expert_matrix("inst", ctx.inst, lambda e: [e.institution]),
        )
        m = m + _pairs(
            ctx.prop_matrix("people", ctx.person, lambda p: p.people),
            ctx.expert_matrix("decl_p", ctx.person, lambda e: e.declared_persons),
        )
        m = m + _pairs(
            ctx.prop_matrix("inst_applicant", ctx.inst, lambda p: [p.institution]),
            ctx.expert_matrix("decl_i", ctx.inst, lambda e: e.declared_institutions),
        )
        return m.astype(bool).tocsr()

    def explain(self, p, e, year):
        if any(_eq(x, e.person) for x in p.avoid_persons):
            return ConflictReason(
                self.code, "The applicant asked that this expert not review.", {"by": "applicant"}
            )
        if any(_eq(x, e.institution) for x in p.avoid_institutions):
            return ConflictReason(
                self.code,
                f"The applicant asked that experts from {e.institution} not review.",
                {"by": "applicant", "institution": e.institution},
            )
        people = {_norm(x) for x in p.people}
        hit = [x for x in e.declared_persons if _norm(x) in people]
        if hit:
            return ConflictReason(
                self.code,
                f"Expert declared a conflict with {hit[0]}.",
                {"by": "expert", "person_id": hit[0]},
            )
        if any(_eq(x, p.institution) for x in e.declared_institutions):
            return ConflictReason(
                self.code,
                f"Expert declared a conflict with {p.institution}.",
                {"by": "expert", "institution": p.institution},
            )
        return None


class PairRule(ConflictRule):
    """A scheme-specific rule written as a plain function of one pair.

    ``fn(proposal, expert) -> str | ConflictReason | None`` returns the human reason (or the whole
    reason, with its evidence) or None. It runs once per
    pair, so on large problems pass ``candidates`` to :meth:`ConflictChecker.check` (e.g. the
    top-k affinity matrix) to limit where it is evaluated.
    """

    def __init__(
        self,
        code: str,
        fn: Callable[[ProposalRecord, ExpertRecord], str | ConflictReason | None],
    ):
        self.code = code
        self.fn = fn
        self.candidates: sparse.csr_matrix | None = None

    def mask(self, ctx):
        rows, cols = [], []
        if self.candidates is None:
            pairs = ((i, j) for i in range(len(ctx.proposals)) for j in range(len(ctx.experts)))
        else:
            c = self.candidates.tocoo()
            pairs = zip(c.row.tolist(), c.col.tolist(), strict=True)
        for i, j in pairs:
            if self.fn(ctx.proposals[i], ctx.experts[j]):
                rows.append(i)
                cols.append(j)
        return sparse.csr_matrix(
            (np.ones(len(rows), dtype=bool), (rows, cols)),
            shape=(len(ctx.proposals), len(ctx.experts)),
        )

    def explain(self, p, e, year):
        found = self.fn(p, e)
        if isinstance(found, ConflictReason):
            return found
        return ConflictReason(self.code, found, {}) if found else None


class _AnyOf(ConflictRule):
    """Rules that share one code (e.g. a scheme's extra TEAM_MEMBER rule beside the built-in one):
    their masks are merged, and a pair is explained by the first of them that explains it."""

    def __init__(self, first: ConflictRule, then: ConflictRule):
        self.code = first.code
        self.rules = [*(first.rules if isinstance(first, _AnyOf) else [first]), then]

    def explain(self, p, e, year):
        for rule in self.rules:
            found = rule.explain(p, e, year)
            if found is not None:
                return found
        return None


# ---------------------------------------------------------------------------------------------
# Policy and checker
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConflictPolicy:
    """Which avoidance rules a scheme applies. ``None`` switches a time-windowed rule off."""

    same_institution: bool = True
    include_partner_institutions: bool = True
    same_department: bool = True
    team_member: bool = True
    declared: bool = True
    coauthorship_years: int | None = 4  # NSF: collaborators within 48 months
    employment_years: int | None = 1  # NSF: former employer within one year
    reference_year: int | None = None  # default: the current year
    extra_rules: tuple[ConflictRule, ...] = ()

    def rules(self) -> list[ConflictRule]:
        out: list[ConflictRule] = []
        if self.team_member:
            out.append(TeamMember())
        if self.same_institution:
            out.append(SameInstitution(self.include_partner_institutions))
        if self.same_department:
            out.append(SameDepartment())
        if self.employment_years is not None:
            out.append(RecentEmployment(self.employment_years))
        if self.coauthorship_years is not None:
            out.append(RecentCoauthor(self.coauthorship_years))
        if self.declared:
            out.append(DeclaredConflict())
        out.extend(self.extra_rules)
        return out


@dataclass
class ConflictResult:
    proposals: Sequence[ProposalRecord]
    experts: Sequence[ExpertRecord]
    year: int
    rule_masks: dict[str, sparse.csr_matrix]
    rules: dict[str, ConflictRule]

    @property
    def mask(self) -> sparse.csr_matrix:
        """P x E boolean CSR: True where the expert must not review the proposal."""
        total = sparse.csr_matrix((len(self.proposals), len(self.experts)), dtype=bool)
        for m in self.rule_masks.values():
            total = total + m
        return total.astype(bool).tocsr()

    def dense_mask(self) -> np.ndarray:
        return self.mask.toarray()

    def reasons(self, p: int, e: int) -> list[ConflictReason]:
        """Every reason that excludes expert ``e`` from proposal ``p`` (by index)."""
        out = []
        for code, m in self.rule_masks.items():
            if m[p, e]:
                r = self.rules[code].explain(self.proposals[p], self.experts[e], self.year)
                out.append(r or ConflictReason(code, code, {}))
        return out

    def reasons_by_id(self, proposal_id: str, expert_id: str) -> list[ConflictReason]:
        p = next(i for i, x in enumerate(self.proposals) if x.id == proposal_id)
        e = next(i for i, x in enumerate(self.experts) if x.id == expert_id)
        return self.reasons(p, e)

    def excluded_pairs(self) -> Iterable[tuple[str, str, list[ConflictReason]]]:
        """(proposal id, expert id, reasons) for every excluded pair (builds objects: use on subsets)."""
        c = self.mask.tocoo()
        for i, j in sorted(zip(c.row.tolist(), c.col.tolist(), strict=True)):
            yield self.proposals[i].id, self.experts[j].id, self.reasons(i, j)

    @property
    def n_excluded(self) -> int:
        return int(self.mask.nnz)


class ConflictChecker:
    def __init__(self, policy: ConflictPolicy | None = None):
        self.policy = policy or ConflictPolicy()

    def check(
        self,
        proposals: Sequence[ProposalRecord],
        experts: Sequence[ExpertRecord],
        candidates: sparse.spmatrix | None = None,
    ) -> ConflictResult:
        year = self.policy.reference_year or _dt.date.today().year
        ctx = ConflictContext(proposals, experts, year)
        masks: dict[str, sparse.csr_matrix] = {}
        rules: dict[str, ConflictRule] = {}
        for rule in self.policy.rules():
            if isinstance(rule, PairRule):
                rule.candidates = None if candidates is None else sparse.csr_matrix(candidates)
            m = sparse.csr_matrix(rule.mask(ctx), shape=(len(proposals), len(experts))).astype(bool)
            m.eliminate_zeros()
            if rule.code in masks:
                masks[rule.code] = (masks[rule.code] + m).astype(bool)
                rules[rule.code] = _AnyOf(rules[rule.code], rule)
            else:
                masks[rule.code] = m
                rules[rule.code] = rule
        return ConflictResult(proposals, experts, year, masks, rules)


def check_conflicts(
    proposals: Sequence[ProposalRecord],
    experts: Sequence[ExpertRecord],
    policy: ConflictPolicy | None = None,
    candidates: sparse.spmatrix | None = None,
) -> ConflictResult:
    return ConflictChecker(policy).check(proposals, experts, candidates)
