"""Highlighting: the words a query found, marked in a title and in a snippet of the post.

The text is the post's plain text (user input). It is cut at the matches, every piece is
escaped, and only then are the matches wrapped in <mark>: escaping the whole text first and
searching in it would find `amp` inside `&amp;`. The result is the only `Markup` this room
makes, and it contains no tag but <mark>.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain

from markupsafe import Markup

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
        if self._pattern is None:
            return _wrap(plain, [])
        return _wrap(plain, text.spans(self._pattern.finditer(plain), 0, len(plain)))

    def snippet(self, plain: str) -> Markup:
        """About LENGTH characters of `plain` around the first match (or its start), escaped,
        with the query's words in <mark> and an ellipsis where the text was cut."""
        found = self._pattern.finditer(plain) if self._pattern else iter(())
        first = next(found, None)
        start = 0
        if first and first.start() > BEFORE:
            start = _word_start(plain, first.start() - BEFORE)
        end = min(len(plain), start + LENGTH)
        # The snippet starts before the first match: the matches from it on are all that count.
        spans = text.spans(chain((first,), found) if first else found, start, end)
        cut = ("…" if start > 0 else "", "…" if end < len(plain) else "")
        return _wrap(plain[start:end], spans, *cut)


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


def _wrap(piece: str, spans: list[tuple[int, int]], before: str = "", after: str = "") -> Markup:
    # Escaped and joined as plain strings, made Markup once: markupsafe's escape() and
    # Markup's + make a Markup object at every step (half the time of a results page).
    out = [before]
    position = 0
    for start, end in spans:
        out += (_escaped(piece[position:start]), "<mark>", _escaped(piece[start:end]), "</mark>")
        position = end
    out += (_escaped(piece[position:]), after)
    return Markup("".join(out))


def _escaped(text: str) -> str:
    """`text` escaped as markupsafe escapes it (the same entities), as a plain string."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )
