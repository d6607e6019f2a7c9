"""Tokeniser implementation. See the package docstring."""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from functools import lru_cache

# CJK Unified Ideographs (+ extension A and compatibility ideographs); public, for code that must
# cut Chinese text exactly as this module does.
CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{CJK_RANGES}]")
# Runs of CJK ideographs, or of Latin letters/digits (keeping inner hyphens/apostrophes out).
_RUN_RE = re.compile(f"[{CJK_RANGES}]+|[a-z0-9]+")

ENGLISH_STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "either",
        "et",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "may",
        "me",
        "might",
        "more",
        "most",
        "must",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "per",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "thus",
        "to",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "via",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "al",
        "eg",
        "ie",
        "i.e",
        "e.g",
        "using",
        "use",
        "used",
        "based",
        "paper",
        "propose",
        "proposed",
        "show",
        "shows",
        "shown",
        "present",
        "presents",
        "study",
        "studies",
        "approach",
        "approaches",
        "method",
        "methods",
        "result",
        "results",
        "new",
        "novel",
        "work",
        "one",
        "two",
        "three",
        "first",
        "second",
        "can",
        "well",
        "also",
        "many",
        "much",
        "often",
        "however",
        "therefore",
        "furthermore",
        "moreover",
    ]
)

CHINESE_STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "是",
        "在",
        "对",
        "中",
        "为",
        "以",
        "并",
        "等",
        "其",
        "从",
        "被",
        "由",
        "将",
        "把",
        "于",
        "之",
        "而",
        "也",
        "就",
        "都",
        "这",
        "那",
        "该",
        "本",
        "其",
        "各",
        "一",
        "个",
        "我们",
        "本文",
        "研究",
        "基于",
        "通过",
        "进行",
        "提出",
        "一种",
        "方法",
        "问题",
        "分析",
        "具有",
        "以及",
        "相关",
        "采用",
        "利用",
        "结果",
        "表明",
        "可以",
        "能够",
        "这些",
    ]
)

_jieba = None
_jieba_lock = threading.Lock()


def _get_jieba():
    """Import and initialise jieba once, quietly (it logs its dictionary loading by default)."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                logging.getLogger("jieba").setLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def has_cjk(text: str) -> bool:
    """True if the text contains at least one CJK ideograph."""
    return bool(_CJK_RE.search(text))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light, deterministic English suffix stemmer (an S-stemmer plus common derivational suffixes).

    It only needs to map inflected variants onto one key ("networks", "network" -> "network";
    "learning", "learned" -> "learn"); it is not meant to produce dictionary words.
    """
    w = word
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix, repl in (
        ("ational", "ate"),
        ("ization", "ize"),
        ("isation", "ize"),
        ("iveness", "ive"),
        ("fulness", "ful"),
        ("ousness", "ous"),
        ("ations", "ate"),
        ("ation", "ate"),
        ("ities", "ity"),
        ("ingly", ""),
        ("edly", ""),
        ("ing", ""),
        ("ed", ""),
        ("ly", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: len(w) - len(suffix)] + repl
            break
    # "learn" from "learning" is fine; undo doubled consonants from "-ing"/"-ed" ("mapped" -> "map").
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz" and w[-1].isalpha():
        w = w[:-1]
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def _normalise(text: str) -> str:
    # NFKC folds full-width Latin letters/digits (common in Chinese text) onto ASCII.
    return unicodedata.normalize("NFKC", text).lower()


def tokenize(text: str | None, *, stemming: bool = True, keep_stopwords: bool = False) -> list[str]:
    """Split text into index terms; English and Chinese may be mixed in one string.

    >>> tokenize("Deep networks for 无线网络资源分配")[:3]
    ['deep', 'network', '无线']
    """
    if not text:
        return []
    text = _normalise(text)
    out: list[str] = []
    for run in _RUN_RE.findall(text):
        if _CJK_RE.match(run):
            jieba = _get_jieba()
            for tok in jieba.lcut_for_search(run):
                tok = tok.strip()
                if tok and (keep_stopwords or tok not in CHINESE_STOPWORDS):
                    out.append(tok)
        else:
            if run.isdigit() and len(run) < 3:
                continue  # bare small numbers carry no topic
            if not keep_stopwords and (run in ENGLISH_STOPWORDS or len(run) < 2):
                continue
            out.append(stem(run) if stemming else run)
    return out
