"""Plain input/output records for the affinity engine (no Django; Django maps its models onto these)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Paper:
    """One publication of an expert."""

    id: str
    title: str = ""
    abstract: str = ""
    keywords: tuple[str, ...] = ()
    year: int | None = None


@dataclass(frozen=True)
class Proposal:
    """A proposal (application) to be reviewed."""

    id: str
    title: str = ""
    abstract: str = ""
    keywords: tuple[str, ...] = ()
    discipline_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExpertProfile:
    """An expert described by their papers (and optionally declared keywords and discipline codes)."""

    id: str
    papers: tuple[Paper, ...] = ()
    keywords: tuple[str, ...] = ()
    discipline_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PaperMatch:
    """One of the expert's papers and how well it matches a proposal: "the reason" for a score."""

    paper_id: str
    title: str
    score: float


@dataclass(frozen=True)
class TextFields:
    """Which fields make up a document's text.

    ``title_repeat`` repeats the title (a cheap title up-weighting for lexical models).
    ``use_abstract=False`` uses the title (and keywords) only.
    """

    use_title: bool = True
    use_abstract: bool = True
    use_keywords: bool = True
    title_repeat: int = 1

    def compose(self, title: str, abstract: str, keywords: Sequence[str] = ()) -> str:
        parts: list[str] = []
        title = (title or "").strip()
        if self.use_title and title:
            parts.extend([title] * max(1, self.title_repeat))
        if self.use_keywords and keywords:
            parts.append(", ".join(keywords))
        if self.use_abstract and abstract:
            parts.append(abstract.strip())
        if not parts and title:  # never return an empty text when a title exists
            parts.append(title)
        return ". ".join(parts)


def proposal_text(p: Proposal, fields: TextFields = TextFields()) -> str:
    return fields.compose(p.title, p.abstract, p.keywords)


def paper_text(p: Paper, fields: TextFields = TextFields()) -> str:
    return fields.compose(p.title, p.abstract, p.keywords)


__all__ = [
    "ExpertProfile",
    "Paper",
    "PaperMatch",
    "Proposal",
    "TextFields",
    "paper_text",
    "proposal_text",
]
