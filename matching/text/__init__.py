"""Tokenisation for English and Chinese (and mixed) scientific text.

English: lower-cased, stop words removed, light suffix stemming.
Chinese: segmented with jieba (search mode, so compound words also yield their parts); jieba is
initialised lazily on first use and its start-up logging is silenced.
"""

from matching.text.tokenize import has_cjk, stem, tokenize

__all__ = ["has_cjk", "stem", "tokenize"]
