"""Traditional ⇄ Simplified Chinese in search: "电池" and "電池" find the same things.

A query is expanded into its spellings in both scripts (OpenCC, with the Hong Kong and Taiwan phrase
variants: 软件 → 軟件 / 軟體), and a row matches when any spelling appears. Stored text is left as written.
"""

import re
from functools import lru_cache

from django.db.models import Q

from matching.text.tokenize import CJK_RANGES, has_cjk

# Simplified → each Traditional standard; Traditional → Simplified (t2s also folds HK/TW variants).
_TO_TRADITIONAL = ("s2hk", "s2t", "s2twp")


@lru_cache(maxsize=8)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(f"{config}.json")


@lru_cache(maxsize=4096)
def script_variants(text: str) -> tuple[str, ...]:
    """``text`` and its spellings in the other Chinese script, without duplicates (only ``text`` when it
    has no Chinese characters)."""
    if not has_cjk(text):
        return (text,)
    simplified = _converter("t2s").convert(text)
    spellings = [text, simplified] + [_converter(c).convert(simplified) for c in _TO_TRADITIONAL]
    return tuple(dict.fromkeys(spellings))


_ONLY_CJK = re.compile(f"[{CJK_RANGES}]+")


def _lookup(spelling: str) -> str:
    """``contains`` for a spelling of Chinese characters only: they have no case, and no other
    character changes case into one, so it finds the rows ``icontains`` finds, without
    PostgreSQL's ``UPPER()`` of every field of every row it checks (issue 16)."""
    return "contains" if _ONLY_CJK.fullmatch(spelling) else "icontains"


def icontains_any(fields, term: str) -> Q:
    """A row matches ``term`` in any of ``fields``, in either script, whatever the case."""
    cond = Q()
    for spelling in script_variants(term):
        lookup = _lookup(spelling)
        for f in fields:
            cond |= Q(**{f"{f}__{lookup}": spelling})
    return cond
