"""A same-site crawler for the crawl test (``tests/test_crawl.py``): from a role's start pages and
navigation, follow every rendered link (bounded per role), record each page's final status, and in
Chinese pages every institution or agency abbreviation left in the visible text."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Not pages of the interface (or not HTML): never followed. Django's admin is English-only by design.
SKIP_PREFIXES = (
    "/static/",
    "/media/",
    "/admin/",
    "/api/",
    "/i18n/",
    "/accounts/logout/",
    "/health/",
)
# Downloads: the link must work, but there is no page to read.
FILE_SUFFIXES = (".csv", ".pdf", ".xlsx", ".ics", ".zip", ".json", ".ico", ".png", ".svg")


TIME_ZONE_LABEL = re.compile(r"\(HKT\)")


@dataclass(frozen=True)
class Problem:
    kind: str  # "status" or "abbreviation"
    user: str
    lang: str
    url: str
    detail: str
    linked_from: str = ""

    def __str__(self):
        where = f" (linked from {self.linked_from})" if self.linked_from else ""
        return f"[{self.kind}] {self.user} {self.lang} {self.url}{where}: {self.detail}"


class _Page(HTMLParser):
    """Collects link targets and the visible text of a page (not scripts, styles or JSON data)."""

    HIDDEN = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.nav_links: list[str] = []  # the main navigation's
        self.text: list[str] = []
        self._hidden = 0
        self._in_nav = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        a = dict(attrs)
        if tag == "nav":
            self._in_nav += 1 if "mainnav" in (a.get("class") or "").split() or self._in_nav else 0
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
            if self._in_nav:
                self.nav_links.append(a["href"])
        for attr in ("title", "aria-label", "placeholder", "alt"):  # read aloud or shown on hover
            if a.get(attr) and not self._hidden:
                self.text.append(a[attr])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        if tag == "nav" and self._in_nav:
            self._in_nav -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def parse(html: str) -> tuple[list[str], str]:
    page = _Page()
    page.feed(html)
    return page.links, unescape(" ".join(page.text))


def nav_links(html: str) -> list[str]:
    page = _Page()
    page.feed(html)
    return page.nav_links


def same_site(href: str, here: str) -> str | None:
    """The path (with query) a link leads to on this site, or None for other sites, mailto: and the like."""
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    parts = urlsplit(urljoin(here, href))
    if parts.scheme not in ("http", "https", "") or parts.netloc not in ("", "testserver"):
        return None
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def abbreviation_pattern(abbreviations) -> re.Pattern | None:
    words = sorted(
        {a for a in abbreviations if a and a.isascii() and len(a) >= 2}, key=len, reverse=True
    )
    if not words:
        return None
    # whole words only: "MOST" in "提交至MOST" counts, the code in "P-MHKJFS-2025-0001" or an e-mail does not
    return re.compile(
        r"(?<![A-Za-z0-9@._/-])(" + "|".join(map(re.escape, words)) + r")(?![A-Za-z0-9@._/-])"
    )


def shape(url: str) -> str:
    """The page a URL is an instance of: /experts/59/ and /experts/37/ are both /experts/<x>/."""
    path = url.split("?")[0]
    return "/".join("<x>" if any(ch.isdigit() for ch in seg) else seg for seg in path.split("/"))


@dataclass
class Crawl:
    client: object
    user: str
    lang: str
    max_pages: int
    abbreviations: re.Pattern | None = None
    per_shape: int = 2  # instances of one page visited (two experts' profiles, not 150)
    problems: list[Problem] = field(default_factory=list)
    visited: dict[str, int] = field(default_factory=dict)

    def run(self, start: list[str]) -> Crawl:
        """Each start page and each item of the navigation is a section with its own queue; the sections
        take turns, so the page budget covers every section rather than the first one's long lists."""
        first = self.client.get(start[0], follow=True)
        roots = list(
            dict.fromkeys(
                start
                + [
                    u
                    for u in (same_site(h, start[0]) for h in nav_links(first.content.decode()))
                    if u
                ]
            )
        )
        queues = {root: deque([(root, "")]) for root in roots}
        seen_paths: set[str] = set()
        shapes: dict[str, int] = {}
        while any(queues.values()) and len(self.visited) < self.max_pages:
            for queue in queues.values():
                if queue and len(self.visited) < self.max_pages:
                    self._step(queue, seen_paths, shapes)
        return self

    def _step(self, queue: deque, seen_paths: set, shapes: dict):
        while queue:
            url, source = queue.popleft()
            path = url.split("?")[0]
            # one visit per path (the sort orders and pages of one list are one template), a few per shape
            if url in self.visited or (path in seen_paths and "?" in url):
                continue
            if shapes.get(shape(url), 0) >= self.per_shape:
                continue
            seen_paths.add(path)
            shapes[shape(url)] = shapes.get(shape(url), 0) + 1
            html = self._fetch(url, source)
            if html is None:
                return
            links, text = parse(html)
            self._check_text(url, text)
            for href in links:
                target = same_site(href, url)
                if target and target not in self.visited:
                    queue.append((target, url))
            return

    def _fetch(self, url: str, source: str) -> str | None:
        resp = self.client.get(url, follow=True)
        self.visited[url] = resp.status_code
        if resp.status_code >= 400:
            self.problems.append(
                Problem("status", self.user, self.lang, url, str(resp.status_code), source)
            )
            return None
        if url.split("?")[0].endswith(FILE_SUFFIXES) or "text/html" not in resp.get(
            "Content-Type", ""
        ):
            return None
        return resp.content.decode("utf-8", "replace")

    def _check_text(self, url: str, text: str):
        if not self.abbreviations or not self.lang.startswith("zh"):
            return
        text = TIME_ZONE_LABEL.sub(
            "", text
        )  # "(HKT)" after a time is Hong Kong Time, not the company HKT
        found = sorted(set(self.abbreviations.findall(text)))
        if found:
            context = []
            for word in found[:3]:
                m = re.search(
                    r".{0,12}(?<![A-Za-z0-9])" + re.escape(word) + r"(?![A-Za-z0-9]).{0,12}", text
                )
                context.append(re.sub(r"\s+", " ", m.group(0)).strip() if m else word)
            self.problems.append(
                Problem(
                    "abbreviation",
                    self.user,
                    self.lang,
                    url,
                    f"{', '.join(found)} in: {' | '.join(context)}",
                )
            )
