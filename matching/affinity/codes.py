"""Discipline-code overlap with partial credit for shared prefixes.

Codes are hierarchical by prefix. The levels of a code are its prefixes at these boundaries:

* NSFC application codes (a letter then two-digit groups): ``F`` -> ``F02`` -> ``F0201``;
* GB/T 13745 codes (digits): ``520`` -> ``52020`` -> ``5202010`` (3, 5, 7 digits);
* anything else: the whole code is one level.

A code may carry a scheme prefix (``"NSFC:F0201"``, ``"GBT:520"``); codes of different schemes
never overlap. The overlap of two code sets is the deepest level shared by any pair of codes,
divided by the number of levels of the deeper of that proposal's codes (so 1.0 = same leaf code):
``F0201`` vs ``F0201`` = 1, vs ``F0203`` = 2/3, vs ``F03`` = 1/3, vs ``A01`` = 0.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from scipy import sparse

_NSFC_RE = re.compile(r"^[A-Z]\d*$")
_GBT_RE = re.compile(r"^\d{3,}$")


def code_levels(code: str) -> list[str]:
    """Cumulative prefixes of a code, shortest first (each prefixed with the scheme, if any)."""
    code = code.strip()
    scheme, sep, body = code.rpartition(":")
    body = body.strip().upper()
    head = f"{scheme.strip().upper()}:" if sep else ""
    if not body:
        return []
    if _NSFC_RE.match(body):
        cuts = list(range(1, len(body) + 1, 2))  # F, F02, F0201, F020101
        if cuts[-1] != len(body):
            cuts.append(len(body))
    elif _GBT_RE.match(body):
        cuts = list(range(3, len(body) + 1, 2))  # 520, 52020, 5202010
        if cuts[-1] != len(body):
            cuts.append(len(body))
    else:
        cuts = [len(body)]
    return [head + body[:c] for c in cuts]


class CodeIndex:
    """Vectorised code overlap between many proposals and many experts."""

    def __init__(self, expert_codes: Sequence[Sequence[str]], crosswalk=None):
        self.crosswalk = crosswalk if crosswalk is not None and len(crosswalk) else None
        self.prefix_ids: dict[str, int] = {}
        self.max_level = 1
        rows = [self._levels_of(codes, grow=True) for codes in expert_codes]
        self.expert_levels = self._level_matrices(rows)

    def _levels_of(self, codes: Sequence[str], grow: bool) -> list[tuple[int, int]]:
        """(level number starting at 1, prefix id) for every prefix of every code."""
        out = []
        for code in codes:
            for depth, prefix in enumerate(code_levels(code), start=1):
                pid = self.prefix_ids.get(prefix)
                if pid is None:
                    if not grow:
                        continue
                    pid = self.prefix_ids[prefix] = len(self.prefix_ids)
                out.append((depth, pid))
                self.max_level = max(self.max_level, depth) if grow else self.max_level
        return out

    def _level_matrices(self, rows: list[list[tuple[int, int]]]) -> list[sparse.csr_matrix]:
        n_pref = max(len(self.prefix_ids), 1)
        mats = []
        for level in range(1, self.max_level + 1):
            r, c = [], []
            for i, items in enumerate(rows):
                for depth, pid in items:
                    if depth == level:
                        r.append(i)
                        c.append(pid)
            data = np.ones(len(r), dtype=np.float32)
            m = sparse.csr_matrix((data, (r, c)), shape=(len(rows), n_pref))
            m.data[:] = 1.0
            mats.append(m)
        return mats

    def overlap(self, proposal_codes: Sequence[Sequence[str]]) -> np.ndarray:
        """Dense (len(proposal_codes) x n_experts) overlap in [0, 1].

        With a crosswalk: the best of the direct overlap and, for each confidence tier ``t`` of the
        crosswalk, ``t`` × the overlap of the codes mapped with confidence ≥ ``t``.
        """
        best = self._overlap(proposal_codes)
        if self.crosswalk is None:
            return best
        expanded = [self.crosswalk.expand(codes) for codes in proposal_codes]
        if not any(expanded):
            return best
        for tier in self.crosswalk.tiers():
            mapped = [[c for c, conf in e.items() if conf >= tier] for e in expanded]
            if any(mapped):
                np.maximum(best, tier * self._overlap(mapped), out=best)
        return best

    def _overlap(self, proposal_codes: Sequence[Sequence[str]]) -> np.ndarray:
        rows = [self._levels_of(codes, grow=False) for codes in proposal_codes]
        depth_norm = np.array(
            [max((len(code_levels(c)) for c in codes), default=0) for codes in proposal_codes],
            dtype=np.float32,
        )
        q_levels = self._level_matrices(rows)
        n_e = self.expert_levels[0].shape[0] if self.expert_levels else 0
        shared = np.zeros((len(proposal_codes), n_e), dtype=np.float32)
        # Sharing a prefix at level L implies sharing all shorter prefixes of that pair of codes,
        # so the deepest shared level equals the number of levels at which anything is shared.
        for q, e in zip(q_levels, self.expert_levels, strict=True):
            shared += ((q @ e.T).toarray() > 0).astype(np.float32)
        norm = np.where(depth_norm > 0, depth_norm, 1.0)
        return np.minimum(shared / norm[:, None], 1.0)


def code_overlap(a: Sequence[str], b: Sequence[str]) -> float:
    """Overlap of one proposal's codes ``a`` with one expert's codes ``b`` (see module docstring)."""
    return float(CodeIndex([b]).overlap([a])[0, 0])
