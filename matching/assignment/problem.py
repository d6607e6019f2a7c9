"""Input contract of the reviewer-assignment solver.

An :class:`AssignmentProblem` is a plain, framework-free description of one
assignment round:

* ``affinity`` -- a SciPy sparse CSR matrix ``P x E`` (proposals x experts).
  Only the *stored* entries are candidate pairs (typically each proposal's top-k
  conflict-free experts); an absent entry means "not a candidate".  A stored
  explicit zero is a candidate with affinity 0.
* ``conflicts`` -- optional boolean mask (sparse ``P x E`` or a list of pairs);
  masked pairs are never assigned even if they are stored in ``affinity``.
* ``reviews_needed`` -- int or length-``P`` array.
* ``max_load`` / ``min_load`` -- int or length-``E`` arrays (``min_load`` is soft:
  each unit of shortfall is penalised like one empty review seat).
* ``expert_regions`` -- length-``E`` labels (small ints or strings, e.g. ``"HK"``,
  ``"ML"``, ``"OTHER"``) and ``region_minimums`` -- ``{label: int or length-P
  array}``, e.g. ``{"HK": 1, "ML": 1}`` for a joint scheme.  A region minimum
  *reserves* seats: a seat reserved for Hong Kong can only be filled by a Hong
  Kong reviewer, or stays empty.
* ``fixed`` -- pairs already accepted / locked by hand (always part of the result);
  ``forbidden`` -- pairs that must not be used (e.g. the expert declined).

``fixed``, ``forbidden`` and ``conflicts`` accept a sparse matrix, a boolean
dense ``P x E`` array, an ``(n, 2)`` integer array of ``(proposal, expert)`` rows,
or a ``(rows, cols)`` tuple of arrays.

Nothing in this module loops over pairs in Python; everything is NumPy.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp

#: Human-readable names used in "unassignable" reasons.
DEFAULT_REGION_NAMES: dict[Hashable, str] = {
    "HK": "Hong Kong",
    "ML": "Mainland",
    "CN": "Mainland",
    "MO": "Macao",
    "OTHER": "other-region",
}

PairsLike = Any  # sparse matrix | dense bool array | (n, 2) int array | (rows, cols) | None


def pairs_to_arrays(
    pairs: PairsLike, shape: tuple[int, int], what: str
) -> tuple[np.ndarray, np.ndarray]:
    """Normalise a pair specification to two int64 arrays ``(rows, cols)`` (deduplicated)."""
    n_rows, n_cols = shape
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64))
    if pairs is None:
        return empty
    if sp.issparse(pairs):
        coo = sp.coo_matrix(pairs)
        if coo.shape != shape:
            raise ValueError(f"{what}: sparse shape {coo.shape} != problem shape {shape}")
        keep = coo.data != 0
        rows, cols = coo.row[keep].astype(np.int64), coo.col[keep].astype(np.int64)
    elif isinstance(pairs, tuple) and len(pairs) == 2 and not np.isscalar(pairs[0]):
        rows = np.asarray(pairs[0], dtype=np.int64).ravel()
        cols = np.asarray(pairs[1], dtype=np.int64).ravel()
        if rows.shape != cols.shape:
            raise ValueError(f"{what}: rows and cols differ in length")
    else:
        arr = np.asarray(pairs)
        if arr.size == 0:
            return empty
        if arr.dtype == bool:
            if arr.shape != shape:
                raise ValueError(f"{what}: boolean mask shape {arr.shape} != {shape}")
            rows, cols = (a.astype(np.int64) for a in np.nonzero(arr))
        else:
            arr = arr.astype(np.int64).reshape(-1, 2)
            rows, cols = arr[:, 0].copy(), arr[:, 1].copy()
    if rows.size and (
        rows.min() < 0 or rows.max() >= n_rows or cols.min() < 0 or cols.max() >= n_cols
    ):
        raise ValueError(f"{what}: pair index out of range for shape {shape}")
    keys = np.unique(rows * n_cols + cols)
    return keys // n_cols, keys % n_cols


def _as_count(value: Any, what: str) -> np.ndarray:
    """``value`` as int64 if every entry is a whole number >= 0, else a clear ``ValueError``.

    Rejected: negative numbers, fractions (``2.7`` is not silently truncated to 2), NaN and
    infinities, booleans and anything that is not a number."""
    arr = np.asarray(value)
    if arr.dtype == bool or arr.dtype.kind not in "iuf":
        raise ValueError(f"{what} must be a whole number >= 0, got {value!r}")
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if bad.any():
            shown = arr.ravel()[np.flatnonzero(bad.ravel())[0]].item()
            where = "" if arr.ndim == 0 else f" (entry {int(np.flatnonzero(bad.ravel())[0])})"
            raise ValueError(f"{what} must be a whole number >= 0, got {shown!r}{where}")
    if (arr < 0).any():
        flat = arr.ravel()
        i = int(np.flatnonzero(flat < 0)[0])
        where = "" if arr.ndim == 0 else f" (entry {i})"
        raise ValueError(f"{what} must be a whole number >= 0, got {flat[i].item()!r}{where}")
    return arr.astype(np.int64)


def _per_item(value: Any, n: int, what: str, default: int = 0) -> np.ndarray:
    if value is None:
        return np.full(n, default, dtype=np.int64)
    arr = _as_count(value, what)
    if arr.ndim == 0:
        return np.full(n, int(arr), dtype=np.int64)
    arr = arr.ravel()
    if arr.shape != (n,):
        raise ValueError(f"{what}: expected length {n}, got {arr.shape}")
    return arr


def _reject_duplicate_pairs(matrix: Any) -> None:
    """A (proposal, expert) pair stored twice would be summed by SciPy (and could let the same
    expert fill two seats of one proposal in a caller's own bookkeeping): refuse it."""
    if sp.isspmatrix_csr(matrix) or isinstance(matrix, sp.csr_array):
        if matrix.nnz < 2 or matrix.has_canonical_format:  # C-speed check, cached by SciPy
            return
        csr = matrix if matrix.has_sorted_indices else matrix.sorted_indices()
        same = csr.indices[1:] == csr.indices[:-1]
        row_start = np.zeros(csr.nnz, bool)
        row_start[csr.indptr[1:-1][csr.indptr[1:-1] < csr.nnz]] = True
        dup = same & ~row_start[1:]
        if dup.any():
            k = int(np.flatnonzero(dup)[0]) + 1
            row = int(np.searchsorted(csr.indptr, k, side="right") - 1)
            col = int(csr.indices[k])
        else:
            return
    else:
        if not hasattr(matrix, "tocoo"):
            return
        coo = matrix.tocoo(copy=False)
        if coo.nnz < 2:
            return
        keys = coo.row.astype(np.int64) * coo.shape[1] + coo.col
        srt = np.sort(keys)
        dup = np.flatnonzero(srt[1:] == srt[:-1])
        if not dup.size:
            return
        row, col = divmod(int(srt[dup[0]]), coo.shape[1])
    raise ValueError(
        f"affinity: pair (proposal {row}, expert {col}) is stored more than once; "
        "give each (proposal, expert) pair one affinity"
    )


@dataclass(frozen=True, eq=False)
class AssignmentProblem:
    """One assignment round (see module docstring for the contract)."""

    affinity: Any  # scipy.sparse CSR (P x E), stored entries = candidate pairs
    reviews_needed: int | np.ndarray = 3
    max_load: int | np.ndarray = 6
    min_load: int | np.ndarray | None = None
    conflicts: PairsLike = None
    expert_regions: Sequence[Hashable] | np.ndarray | None = None
    region_minimums: Mapping[Hashable, int | np.ndarray] | None = None
    fixed: PairsLike = None
    forbidden: PairsLike = None
    region_names: Mapping[Hashable, str] | None = None
    #: Affinities must be >= 0 unless this is set: a negative value is usually a bug upstream
    #: (a distance passed as a similarity, an unshifted z-score).  Scores that are legitimately
    #: signed (e.g. the z-scored ensemble) may be passed with ``allow_negative_affinity=True``:
    #: the optimum does not depend on a common shift, since the number of pairs is fixed by the
    #: minimal penalty.
    allow_negative_affinity: bool = False

    @property
    def shape(self) -> tuple[int, int]:
        return tuple(self.affinity.shape)  # type: ignore[return-value]

    @property
    def n_proposals(self) -> int:
        return int(self.affinity.shape[0])

    @property
    def n_experts(self) -> int:
        return int(self.affinity.shape[1])

    @cached_property
    def prepared(self) -> PreparedProblem:
        """Validated, normalised arrays (computed once)."""
        return PreparedProblem.from_problem(self)


def _canonical_csr(matrix: Any) -> sp.csr_matrix:
    """float64 CSR with sorted, unique indices; the caller's matrix itself when it already is one
    (no 6 M-entry copy on a dense round), else a copy."""
    if (
        isinstance(matrix, sp.csr_matrix)
        and matrix.dtype == np.float64
        and matrix.has_canonical_format
    ):
        return matrix
    A = sp.csr_matrix(matrix, dtype=np.float64, copy=True)
    A.sum_duplicates()  # duplicates were rejected: this only sorts the indices
    return A


def _stored_isin(sorted_keys: np.ndarray, other_sorted: np.ndarray) -> np.ndarray:
    """``np.isin(sorted_keys, other_sorted)`` for two sorted unique key arrays, by looking the
    (usually few) ``other`` keys up in the (usually many) stored keys."""
    out = np.zeros(sorted_keys.shape, dtype=bool)
    if other_sorted.size == 0 or sorted_keys.size == 0:
        return out
    pos = np.searchsorted(sorted_keys, other_sorted)
    ok = pos < sorted_keys.size
    pos = pos[ok]
    out[pos[sorted_keys[pos] == other_sorted[ok]]] = True
    return out


def _keys_isin(keys: np.ndarray, other_sorted: np.ndarray) -> np.ndarray:
    if other_sorted.size == 0 or keys.size == 0:
        return np.zeros(keys.shape, dtype=bool)
    pos = np.searchsorted(other_sorted, keys)
    pos[pos == other_sorted.size] = 0
    return other_sorted[pos] == keys


@dataclass(eq=False)
class PreparedProblem:
    """Normalised arrays derived from an :class:`AssignmentProblem`.

    ``cand_*``: every usable pair (stored in ``affinity``, not conflicting, not
    forbidden) plus the fixed pairs, sorted by proposal.  ``free_*``: the subset the
    optimiser may still choose (``cand`` minus fixed).  ``*_res``: requirements left
    after the fixed pairs are taken into account.
    """

    n_proposals: int
    n_experts: int
    need: np.ndarray  # (P,) reviews needed
    max_load: np.ndarray  # (E,)
    min_load: np.ndarray  # (E,)
    region_codes: np.ndarray  # (E,) int codes into region_labels
    region_labels: list[Hashable]
    region_names: dict[Hashable, str]
    minima: np.ndarray  # (P, R) required reviewers per region
    affinity: sp.csr_matrix  # original candidate matrix (duplicates summed)
    conflict_keys: np.ndarray  # sorted int64 keys row * E + col
    forbidden_keys: np.ndarray  # sorted
    cand_rows: np.ndarray
    cand_cols: np.ndarray
    cand_aff: np.ndarray
    cand_fixed: np.ndarray  # bool
    n_forbidden_removed: np.ndarray  # (P,) stored candidates removed because forbidden
    n_conflict_removed: np.ndarray  # (P,) stored candidates removed because conflicting
    fixed_rows: np.ndarray
    fixed_cols: np.ndarray
    fixed_aff: np.ndarray
    need_res: np.ndarray
    minima_res: np.ndarray
    cap_res: np.ndarray
    min_load_res: np.ndarray
    free_rows: np.ndarray
    free_cols: np.ndarray
    free_aff: np.ndarray
    expert_regions_given: bool = True

    @property
    def n_regions(self) -> int:
        return len(self.region_labels)

    def region_name(self, code: int) -> str:
        label = self.region_labels[code]
        return self.region_names.get(label, str(label))

    @classmethod
    def from_problem(cls, problem: AssignmentProblem) -> PreparedProblem:
        if not sp.issparse(problem.affinity):
            raise TypeError("affinity must be a scipy.sparse matrix (CSR preferred)")
        _reject_duplicate_pairs(problem.affinity)
        A = _canonical_csr(problem.affinity)
        P, E = A.shape
        if A.nnz and not np.isfinite(A.data).all():
            raise ValueError("affinity contains non-finite values (NaN or infinity)")
        if A.nnz and not problem.allow_negative_affinity and A.data.min() < 0:
            k = int(np.argmin(A.data))
            row = int(np.searchsorted(A.indptr, k, side="right") - 1)
            raise ValueError(
                f"affinity must be >= 0: pair (proposal {row}, expert {int(A.indices[k])}) has "
                f"{A.data[k]:g} ({int((A.data < 0).sum())} negative entries); shift or clip the "
                "scores, or pass allow_negative_affinity=True if negative values are meaningful"
            )

        need = _per_item(problem.reviews_needed, P, "reviews_needed")
        max_load = _per_item(problem.max_load, E, "max_load")
        min_load = np.minimum(_per_item(problem.min_load, E, "min_load"), max_load)

        # ---- regions -------------------------------------------------------------
        names = dict(DEFAULT_REGION_NAMES)
        if problem.region_names:
            names.update(problem.region_names)
        reg_min = dict(problem.region_minimums or {})
        if problem.expert_regions is None:
            if any(np.any(np.asarray(v) > 0) for v in reg_min.values()):
                raise ValueError("region_minimums given but expert_regions is None")
            labels: list[Hashable] = ["ALL"]
            codes = np.zeros(E, dtype=np.int64)
        else:
            raw = np.asarray(problem.expert_regions)
            if raw.shape != (E,):
                raise ValueError(f"expert_regions: expected length {E}, got {raw.shape}")
            uniq, codes = np.unique(raw, return_inverse=True)
            labels = [u.item() if hasattr(u, "item") else u for u in uniq]
            codes = codes.astype(np.int64)
            for lab in reg_min:  # a required region nobody belongs to still gets a code
                if lab not in labels:
                    labels.append(lab)
        R = len(labels)
        minima = np.zeros((P, R), dtype=np.int64)
        for lab, val in reg_min.items():
            minima[:, labels.index(lab)] = _per_item(val, P, f"region_minimums[{lab!r}]")
        if (minima.sum(axis=1) > need).any():
            bad = int(np.flatnonzero(minima.sum(axis=1) > need)[0])
            raise ValueError(f"proposal {bad}: region minimums exceed reviews_needed")

        # ---- pair sets -----------------------------------------------------------
        conf_r, conf_c = pairs_to_arrays(problem.conflicts, (P, E), "conflicts")
        forb_r, forb_c = pairs_to_arrays(problem.forbidden, (P, E), "forbidden")
        fix_r, fix_c = pairs_to_arrays(problem.fixed, (P, E), "fixed")
        conf_keys = conf_r * E + conf_c
        forb_keys = forb_r * E + forb_c
        fix_keys = fix_r * E + fix_c
        if _keys_isin(fix_keys, conf_keys).any():
            k = int(fix_keys[_keys_isin(fix_keys, conf_keys)][0])
            raise ValueError(
                f"fixed pair (proposal {k // E}, expert {k % E}) is a conflict of interest"
            )
        if _keys_isin(fix_keys, forb_keys).any():
            k = int(fix_keys[_keys_isin(fix_keys, forb_keys)][0])
            raise ValueError(f"fixed pair (proposal {k // E}, expert {k % E}) is also forbidden")
        fixed_per_prop = np.bincount(fix_r, minlength=P)
        fixed_per_exp = np.bincount(fix_c, minlength=E)
        if (fixed_per_prop > need).any():
            bad = int(np.flatnonzero(fixed_per_prop > need)[0])
            raise ValueError(f"proposal {bad}: more fixed reviewers than reviews_needed")
        if (fixed_per_exp > max_load).any():
            bad = int(np.flatnonzero(fixed_per_exp > max_load)[0])
            raise ValueError(f"expert {bad}: more fixed reviews than max_load")

        # The stored pairs in CSR order are sorted by (proposal, expert), so their keys are
        # sorted: the conflict / forbidden / fixed keys are looked up in them, not the reverse.
        rows = np.repeat(np.arange(P, dtype=np.int64), np.diff(A.indptr))
        keys = rows * E
        keys += A.indices
        is_conf = _stored_isin(keys, conf_keys)
        is_forb = _stored_isin(keys, forb_keys) & ~is_conf
        is_fix = _stored_isin(keys, fix_keys)
        del keys
        fixed_aff = np.asarray(A[fix_r, fix_c]).ravel() if fix_r.size else np.zeros(0)

        drop = is_conf | is_forb | is_fix
        if drop.any():
            free = ~drop
            fr, fc, fa = rows[free], A.indices[free].astype(np.int64), A.data[free]
            del free
        else:  # every stored pair is free: no copies
            fr, fc, fa = rows, A.indices.astype(np.int64), A.data
        del drop
        n_forbidden_removed = np.bincount(rows[is_forb], minlength=P)
        n_conflict_removed = np.bincount(rows[is_conf], minlength=P)
        del rows, is_conf, is_forb, is_fix
        if fix_r.size:  # candidates = free + fixed (fixed may be outside the stored matrix)
            cr = np.concatenate([fr, fix_r])
            cc = np.concatenate([fc, fix_c])
            ca = np.concatenate([fa, fixed_aff])
            cf = np.concatenate([np.zeros(fr.size, bool), np.ones(fix_r.size, bool)])
            order = np.lexsort((cc, cr))
            cr, cc, ca, cf = cr[order], cc[order], ca[order], cf[order]
        else:  # the free pairs are the candidates, already sorted: share the arrays
            cr, cc, ca, cf = fr, fc, fa, np.zeros(fr.size, bool)

        fixed_region_counts = np.zeros((P, R), dtype=np.int64)
        np.add.at(fixed_region_counts, (fix_r, codes[fix_c]), 1)
        minima_res = np.maximum(minima - fixed_region_counts, 0)
        need_res = need - fixed_per_prop
        if (minima_res.sum(axis=1) > need_res).any():
            bad = int(np.flatnonzero(minima_res.sum(axis=1) > need_res)[0])
            raise ValueError(
                f"proposal {bad}: fixed reviewers leave no room for the region minimums"
            )

        return cls(
            n_proposals=P,
            n_experts=E,
            need=need,
            max_load=max_load,
            min_load=min_load,
            region_codes=codes,
            region_labels=labels,
            region_names=names,
            minima=minima,
            affinity=A,
            conflict_keys=conf_keys,
            forbidden_keys=forb_keys,
            cand_rows=cr,
            cand_cols=cc,
            cand_aff=ca,
            cand_fixed=cf,
            n_forbidden_removed=n_forbidden_removed,
            n_conflict_removed=n_conflict_removed,
            fixed_rows=fix_r,
            fixed_cols=fix_c,
            fixed_aff=fixed_aff,
            need_res=need_res,
            minima_res=minima_res,
            cap_res=max_load - fixed_per_exp,
            min_load_res=np.maximum(np.minimum(min_load, max_load) - fixed_per_exp, 0),
            free_rows=fr,
            free_cols=fc,
            free_aff=fa,
            expert_regions_given=problem.expert_regions is not None,
        )
