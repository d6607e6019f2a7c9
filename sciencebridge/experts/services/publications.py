"""Publication import: a compact BibTeX parser and an ORCID public-record (v3.0 works) reader.

Both return :class:`ParsedPublication` records plus a list of problems (malformed entries are
skipped and reported, never fatal).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

ENTRY_TYPES = {
    "article",
    "inproceedings",
    "conference",
    "incollection",
    "inbook",
    "book",
    "phdthesis",
    "mastersthesis",
    "techreport",
    "misc",
    "unpublished",
    "proceedings",
}
SKIP_TYPES = {"comment", "preamble", "string"}


@dataclass
class ParsedPublication:
    title: str
    year: int | None = None
    venue: str = ""
    authors: list[str] = field(default_factory=list)
    doi: str = ""
    abstract: str = ""
    key: str = ""


# ----------------------------------------------------------------------------------------------
# BibTeX
# ----------------------------------------------------------------------------------------------
_ACCENTS = {
    '"': {"a": "ä", "o": "ö", "u": "ü", "A": "Ä", "O": "Ö", "U": "Ü", "e": "ë", "i": "ï"},
    "'": {
        "a": "á",
        "e": "é",
        "i": "í",
        "o": "ó",
        "u": "ú",
        "E": "É",
        "c": "ć",
        "n": "ń",
        "s": "ś",
        "z": "ź",
    },
    "`": {"a": "à", "e": "è", "i": "ì", "o": "ò", "u": "ù"},
    "^": {"a": "â", "e": "ê", "i": "î", "o": "ô", "u": "û"},
    "~": {"a": "ã", "n": "ñ", "o": "õ", "N": "Ñ"},
    "c": {"c": "ç", "C": "Ç"},
    "v": {"c": "č", "s": "š", "z": "ž", "r": "ř", "e": "ě", "C": "Č", "S": "Š", "Z": "Ž"},
}


def latex_to_text(s: str) -> str:
    """Enough LaTeX clean-up for titles and names: accents, escapes, braces, whitespace."""

    def accent(m):
        table = _ACCENTS.get(m.group(1), {})
        return table.get(m.group(2), m.group(2))

    s = re.sub(r"\\([\"'`^~cv])\s*\{?\\?([A-Za-z])\}?", accent, s)
    s = (
        s.replace(r"\&", "&")
        .replace(r"\%", "%")
        .replace(r"\_", "_")
        .replace(r"\$", "$")
        .replace(r"\#", "#")
    )
    s = re.sub(r"\\(textit|textbf|emph|textrm|textsc|mathrm|mathbf|mbox)\s*", "", s)
    s = s.replace("---", "—").replace("--", "–").replace("~", " ")
    s = s.replace("{", "").replace("}", "").replace("$", "")
    return re.sub(r"\s+", " ", s).strip()


class BibTeXError(ValueError):
    pass


class _Scanner:
    def __init__(self, text: str, pos: int):
        self.text, self.pos = text, pos

    def line(self) -> int:
        return self.text.count("\n", 0, self.pos) + 1

    def skip_ws(self):
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def expect(self, chars: str) -> str:
        self.skip_ws()
        ch = self.peek()
        if not ch or ch not in chars:
            raise BibTeXError(
                _("expected %(c)s at line %(l)d") % {"c": " or ".join(chars), "l": self.line()}
            )
        self.pos += 1
        return ch

    def ident(self) -> str:
        self.skip_ws()
        m = re.compile(r"[^\s,={}()\"#]+").match(self.text, self.pos)
        if not m:
            raise BibTeXError(_("expected a name at line %(l)d") % {"l": self.line()})
        self.pos = m.end()
        return m.group(0)

    def braced(self) -> str:
        """Text inside balanced braces; the opening brace has been consumed."""
        depth, start = 1, self.pos
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "\\":
                self.pos += 2
                continue
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    self.pos += 1
                    return self.text[start : self.pos - 1]
            self.pos += 1
        raise BibTeXError(
            _("unbalanced braces from line %(l)d") % {"l": self.text.count("\n", 0, start) + 1}
        )

    def quoted(self) -> str:
        """Text inside double quotes (braces may protect quotes); the opening quote was consumed."""
        depth, start = 0, self.pos
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "\\":
                self.pos += 2
                continue
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == '"' and depth == 0:
                self.pos += 1
                return self.text[start : self.pos - 1]
            self.pos += 1
        raise BibTeXError(
            _("unterminated quoted value from line %(l)d")
            % {"l": self.text.count("\n", 0, start) + 1}
        )

    def value(self, strings: dict[str, str]) -> str:
        parts = []
        while True:
            self.skip_ws()
            ch = self.peek()
            if ch == "{":
                self.pos += 1
                parts.append(self.braced())
            elif ch == '"':
                self.pos += 1
                parts.append(self.quoted())
            else:
                word = self.ident()
                parts.append(word if word.isdigit() else strings.get(word.lower(), word))
            self.skip_ws()
            if self.peek() == "#":
                self.pos += 1
                continue
            return "".join(parts)


def parse_bibtex_entries(text: str) -> tuple[list[dict], list[str]]:
    """Raw entries: [{"type", "key", fields...}] and the problems found."""
    entries, problems = [], []
    strings = {
        "jan": "January",
        "feb": "February",
        "mar": "March",
        "apr": "April",
        "may": "May",
        "jun": "June",
        "jul": "July",
        "aug": "August",
        "sep": "September",
        "oct": "October",
        "nov": "November",
        "dec": "December",
    }
    pos = 0
    while True:
        at = text.find("@", pos)
        if at < 0:
            break
        sc = _Scanner(text, at + 1)
        m = re.compile(r"([A-Za-z]+)\s*([{(])").match(text, at + 1)
        if not m:  # an "@" in free text (e.g. an e-mail address in a comment): not an entry
            pos = at + 1
            continue
        try:
            etype = m.group(1).lower()
            sc.pos = m.end()
            close = {"{": "}", "(": ")"}[m.group(2)]
            if etype in SKIP_TYPES:
                if etype == "string":
                    name = sc.ident().lower()
                    sc.expect("=")
                    strings[name] = sc.value(strings)
                    sc.expect(close)
                elif close == "}":
                    sc.braced()
                pos = sc.pos
                continue
            sc.skip_ws()
            key = ""
            m = re.compile(r"[^\s,{}()=]+\s*,").match(text, sc.pos)
            if m:
                key = m.group(0).rstrip(", \t\r\n")
                sc.pos = m.end()
            entry = {"type": etype, "key": key}
            while True:
                sc.skip_ws()
                if sc.peek() == close:
                    sc.pos += 1
                    break
                name = sc.ident().lower()
                sc.expect("=")
                entry[name] = sc.value(strings)
                sc.skip_ws()
                if sc.peek() == ",":
                    sc.pos += 1
                elif sc.peek() == close:
                    sc.pos += 1
                    break
                else:
                    raise BibTeXError(
                        _("expected , or %(c)s at line %(l)d") % {"c": close, "l": sc.line()}
                    )
            entries.append(entry)
            pos = sc.pos
        except BibTeXError as exc:
            problems.append(
                _("Entry at line %(l)d skipped: %(e)s")
                % {"l": text.count("\n", 0, at) + 1, "e": exc}
            )
            pos = at + 1  # resynchronise at the next "@"
    return entries, problems


def split_authors(value: str) -> list[str]:
    """BibTeX author list ("A and B and {C and D Ltd}") -> ["A", "B", "C and D Ltd"]."""
    names, depth, cur = [], 0, []
    tokens = re.split(r"(\s+and\s+|[{}])", value)
    for tok in tokens:
        if tok == "{":
            depth += 1
        elif tok == "}":
            depth -= 1
        elif depth == 0 and re.fullmatch(r"\s+and\s+", tok or ""):
            names.append("".join(cur))
            cur = []
            continue
        cur.append(tok or "")
    names.append("".join(cur))
    out = []
    for n in names:
        n = latex_to_text(n)
        if "," in n:  # "Last, First" -> "First Last"
            last, _sep, first = n.partition(",")
            n = f"{first.strip()} {last.strip()}".strip()
        if n and n.lower() != "others":
            out.append(n)
    return out


def _year(value) -> int | None:
    m = re.search(r"\d{4}", str(value or ""))
    return int(m.group(0)) if m else None


def parse_bibtex(text: str) -> tuple[list[ParsedPublication], list[str]]:
    raw, problems = parse_bibtex_entries(text)
    out = []
    for e in raw:
        title = latex_to_text(e.get("title", ""))
        if not title:
            problems.append(
                _("Entry “%(k)s” has no title; skipped.") % {"k": e.get("key") or e["type"]}
            )
            continue
        if e["type"] not in ENTRY_TYPES:
            problems.append(
                _("Entry “%(k)s” of type @%(t)s imported as a generic publication.")
                % {"k": e.get("key"), "t": e["type"]}
            )
        venue = (
            e.get("journal") or e.get("booktitle") or e.get("publisher") or e.get("school") or ""
        )
        out.append(
            ParsedPublication(
                title=title,
                year=_year(e.get("year")),
                venue=latex_to_text(venue),
                authors=split_authors(e.get("author", "")),
                doi=e.get("doi", "").strip(),
                abstract=latex_to_text(e.get("abstract", "")),
                key=e.get("key", ""),
            )
        )
    return out, problems


# ----------------------------------------------------------------------------------------------
# ORCID public record (API v3.0)
# ----------------------------------------------------------------------------------------------
def _val(d, *path):
    for p in path:
        if not isinstance(d, dict):
            return None
        d = d.get(p)
    return d


def _text(value) -> str:
    """A string field of the record, or "" when the record holds anything else there."""
    return value.strip() if isinstance(value, str) else ""


def _list(value) -> list:
    return value if isinstance(value, list) else []


#: A real ORCID works record is about 8 levels deep; anything much deeper is not one.
ORCID_MAX_DEPTH = 40
YEAR_RANGE = (1000, 2100)
DOI_MAX = 200


def _too_deep(data, limit: int = ORCID_MAX_DEPTH) -> bool:
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = (
            node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        )
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return False


def _load_orcid_json(data):
    """The decoded record, or a problem message (never an exception: the upload comes from anyone)."""
    if isinstance(data, dict):
        return data, None
    try:
        decoded = json.loads(data)
    except RecursionError:
        return None, _("This JSON is nested too deeply to be an ORCID record.")
    except (ValueError, UnicodeDecodeError) as exc:
        return None, _("Not a JSON file: %(e)s") % {"e": exc}
    if _too_deep(decoded):
        return None, _("This JSON is nested too deeply to be an ORCID record.")
    if not isinstance(decoded, dict):
        return None, _(
            "Not an ORCID record: the file must hold a JSON object (expected works → group → "
            "work-summary)."
        )
    return decoded, None


def parse_orcid(data: str | bytes | dict) -> tuple[list[ParsedPublication], list[str]]:
    """Works from an ORCID v3.0 record: the whole record, its "activities-summary", or "works".

    Shape: works.group[].work-summary[] with title.title.value, publication-date.year.value,
    journal-title.value and external-ids.external-id[] (type "doi"). The first summary of a group
    is ORCID's preferred version of that work. Anything of another shape or type is reported as a
    problem, never raised."""
    problems: list[str] = []
    works, problem = _load_orcid_json(data)
    if problem:
        return [], [problem]
    if isinstance(works.get("activities-summary"), dict):
        works = works["activities-summary"]
    if isinstance(works.get("works"), dict):
        works = works["works"]
    groups = works.get("group")
    if not isinstance(groups, list):
        return [], [_("No ORCID works found (expected works → group → work-summary).")]
    out = []
    for i, g in enumerate(groups, start=1):
        summaries = _list(_val(g, "work-summary"))
        if not summaries or not isinstance(summaries[0], dict):
            problems.append(_("Work group %(i)d has no summary; skipped.") % {"i": i})
            continue
        s = summaries[0]
        title = _text(_val(s, "title", "title", "value"))
        if not title:
            problems.append(_("Work group %(i)d has no title; skipped.") % {"i": i})
            continue
        doi = ""
        for x in _list(_val(s, "external-ids", "external-id")) + _list(
            _val(g, "external-ids", "external-id")
        ):
            if isinstance(x, dict) and _text(x.get("external-id-type")).lower() == "doi":
                doi = _text(x.get("external-id-value"))
                if doi:
                    break
        if len(doi) > DOI_MAX:
            problems.append(
                _("Work group %(i)d: the DOI is too long to be one; left out.") % {"i": i}
            )
            doi = ""
        year_text = str(_val(s, "publication-date", "year", "value") or "")
        year = int(year_text) if year_text.isdigit() and len(year_text) <= 4 else None
        if year is not None and not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            problems.append(
                _("Work group %(i)d: %(y)d is not a publication year; left out.")
                % {"i": i, "y": year}
            )
            year = None
        put_code = s.get("put-code")
        out.append(
            ParsedPublication(
                title=title,
                year=year,
                venue=_text(_val(s, "journal-title", "value")),
                doi=doi,
                key=str(put_code) if isinstance(put_code, (int, str)) else "",
            )
        )
    return out, problems
