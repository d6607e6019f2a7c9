"""Links between discipline codes of different classifications (e.g. NSFC codes ↔ RGC panels).

Codes of different schemes never overlap on their own (``codes.py``). A crosswalk says which codes of
one scheme correspond to which of another, each link with a confidence in (0, 1]: 1 for "the same
field", less for "part of it". A proposal's codes are *expanded* through the crosswalk, and an
expert who shares a mapped code gets the overlap of that mapped code times the link's confidence
(never more than a direct match would give).

A link from a code also applies to every deeper code below it (``F02`` → ``RGC-PANEL:E`` applies to
``F0201``), so a crosswalk can be written at the level where the two classifications meet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matching.affinity.codes import code_levels


@dataclass(frozen=True)
class CrosswalkLink:
    a: str  # "SCHEME:CODE"
    b: str
    confidence: float = 1.0

    def __post_init__(self):
        if ":" not in self.a or ":" not in self.b:
            raise ValueError(
                f"crosswalk codes need their scheme (SCHEME:CODE): {self.a!r}, {self.b!r}"
            )
        if not 0 < self.confidence <= 1:
            raise ValueError(
                f"crosswalk confidence must be in (0, 1], got {self.confidence} for {self.a} ↔ {self.b}"
            )


def _key(code: str) -> str:
    levels = code_levels(code)
    return levels[-1] if levels else ""


class Crosswalk:
    """Symmetric links between codes; :meth:`expand` maps a proposal's codes to the other schemes."""

    def __init__(self, links: Iterable[CrosswalkLink | tuple]):
        self.links = tuple(
            link if isinstance(link, CrosswalkLink) else CrosswalkLink(*link) for link in links
        )
        self._out: dict[str, dict[str, float]] = defaultdict(dict)
        for link in self.links:
            a, b = _key(link.a), _key(link.b)
            for src, dst in ((a, b), (b, a)):
                self._out[src][dst] = max(self._out[src].get(dst, 0.0), link.confidence)

    def __len__(self) -> int:
        return len(self.links)

    def expand(self, codes: Sequence[str]) -> dict[str, float]:
        """Codes reached from ``codes`` (not already among them) → the best confidence of a link."""
        own = {_key(c) for c in codes}
        out: dict[str, float] = {}
        for code in codes:
            for prefix in code_levels(code):
                for dst, conf in self._out.get(prefix, {}).items():
                    if dst not in own and conf > out.get(dst, 0.0):
                        out[dst] = conf
        return out

    def tiers(self) -> list[float]:
        """The distinct confidences, highest first."""
        return sorted({link.confidence for link in self.links}, reverse=True)
