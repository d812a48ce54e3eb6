"""Small text helpers shared by URLs, heading ids and tags."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = re.compile(r"['\u2019\u2018]")
_NOT_WORD = re.compile(r"[^\w]+|_+")


def slugify(text: str) -> str:
    """A stable URL-safe slug. Letters of any script are kept (Korean stays Korean)."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _APOSTROPHES.sub("", text)
    return _NOT_WORD.sub("-", text).strip("-")


def tag_key(name: str) -> str:
    """The key tags merge on: "Student Council", "student council", "student-council"."""
    return slugify(name)


def truncate_words(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.-\u2014 ")
    return cut + "\u2026"
