"""Chinese text in a full-text index, as overlapping two-character pieces (bigrams).

PostgreSQL's parsers do not split Chinese into words: a run of Chinese characters is one token, so
a ``tsvector`` cannot find 石墨烯 inside 石墨烯薄膜技術. Searches with Chinese terms therefore use
``icontains`` (``core.scripts.icontains_any``), which reads every row. Every substring of two
characters or more of a text is found among the text's bigrams, so a GIN index over a row's
bigrams (a ``tsvector`` column kept by a trigger, see ``transfer`` migration 0007) can narrow the
rows to those that hold all the bigrams of a term, before ``icontains`` checks them. The result is
the same as ``icontains`` alone: the index only leaves out rows that cannot match.

``CJK_RANGES`` (``has_cjk``'s class, from ``matching.text.tokenize``) must be the character class of
the trigger's ``sb_cjk_bigrams`` SQL function: a character outside it splits a run on both sides
alike (a test compares them).
"""

from __future__ import annotations

import re

from django.db.models import BooleanField, F, Func, TextField, Value

from matching.text.tokenize import CJK_RANGES

from .scripts import script_variants

_RUN = re.compile(f"[{CJK_RANGES}]+")


def bigrams(text: str) -> list[str]:
    """The distinct two-character pieces of the Chinese runs of ``text``, in order of appearance."""
    out = {}
    for run in _RUN.findall(text):
        for i in range(len(run) - 1):
            out[run[i : i + 2]] = None
    return list(out)


def _all_of(pieces: list[str]) -> str:
    # the pieces are Chinese characters only: nothing to escape inside the quotes
    return "(" + " & ".join(f"'{p}'" for p in pieces) + ")"


def term_query(term: str) -> str | None:
    """A ``tsquery`` text that every row holding ``term`` (in either script, as ``icontains_any``
    looks for it) matches; None when a spelling has no bigram (one Chinese character, or none)."""
    spellings = []
    for spelling in script_variants(term):
        pieces = bigrams(spelling)
        if not pieces:
            return None
        spellings.append(_all_of(pieces))
    return " | ".join(spellings)


def terms_query(terms: list[str]) -> str | None:
    """All the terms that can narrow the rows, ANDed; None when none can."""
    parts = [q for q in map(term_query, terms) if q]
    return " & ".join(f"({q})" for q in parts) or None


class _AsTsquery(Func):
    template = "(%(expressions)s)::tsquery"
    output_field = TextField()


class Matches(Func):
    """``vector @@ 'query'::tsquery``: the query's pieces are taken as they are (no parser, no
    dictionary), as the trigger stores them (``array_to_tsvector``)."""

    arg_joiner = " @@ "
    template = "%(expressions)s"
    output_field = BooleanField()

    def __init__(self, vector: str, query: str):
        super().__init__(F(vector), _AsTsquery(Value(query)))
