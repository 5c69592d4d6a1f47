"""Highlighting: the words a query found, marked in a title and in a snippet of the post.

The text is the post's plain text (user input). It is cut at the matches, every piece is
escaped, and only then are the matches wrapped in <mark>: escaping the whole text first and
searching in it would find `amp` inside `&amp;`. The result is the only `Markup` this room
makes, and it contains no tag but <mark>.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

from community.search import text
from community.search.query import Query

BEFORE = 40  # characters of context before the first match
LENGTH = 200  # characters in a snippet


class Highlighter:
    """The query's words as one compiled expression, applied to every hit of a page."""

    def __init__(self, query: Query) -> None:
        whole, prefixes = query.marks()
        self._pattern = _pattern(tuple(whole), tuple(prefixes))

    def marked(self, plain: str) -> Markup:
        """The whole of `plain` (a title), escaped, with the query's words in <mark>."""
        return _wrap(plain, list(text.spans(plain, self._pattern)))

    def snippet(self, plain: str) -> Markup:
        """About LENGTH characters of `plain` around the first match (or its start), escaped,
        with the query's words in <mark> and an ellipsis where the text was cut."""
        found = list(text.spans(plain, self._pattern))
        start = 0
        if found and found[0][0] > BEFORE:
            start = _word_start(plain, found[0][0] - BEFORE)
        end = min(len(plain), start + LENGTH)
        inside = [
            (max(a, start) - start, min(b, end) - start) for a, b in found if a < end and b > start
        ]
        out = _wrap(plain[start:end], inside)
        if start > 0:
            out = Markup("…") + out
        if end < len(plain):
            out = out + Markup("…")
        return out


def marked(plain: str, query: Query) -> Markup:
    return Highlighter(query).marked(plain)


def snippet(plain: str, query: Query) -> Markup:
    return Highlighter(query).snippet(plain)


@lru_cache(maxsize=256)
def _pattern(whole: tuple[str, ...], prefixes: tuple[str, ...]) -> re.Pattern[str] | None:
    """The compiled expression for these words, kept: people search the same words again."""
    return text.pattern(whole, prefixes)


def _word_start(plain: str, at: int) -> int:
    """Move a cut forward to the next space when one is near (Latin words stay whole)."""
    space = plain.find(" ", at, at + 15)
    return space + 1 if space != -1 else at


def _wrap(piece: str, spans: list[tuple[int, int]]) -> Markup:
    # Escaped and joined as plain strings, made Markup once: adding Markup to Markup escapes
    # and copies at every step, and each `escape()` makes a Markup of its own.
    out: list[str] = []
    position = 0
    for start, end in spans:
        out += (_escaped(piece[position:start]), "<mark>", _escaped(piece[start:end]), "</mark>")
        position = end
    out.append(_escaped(piece[position:]))
    return Markup("".join(out))


def _escaped(text: str) -> str:
    """`text` escaped as Jinja would (markupsafe's entities), as a plain string."""
    return str.__str__(escape(text))
