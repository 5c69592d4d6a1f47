"""Highlighting: the words a query found, marked in a title and in a snippet of the post.

The text is the post's plain text (user input). It is cut at the matches, every piece is
escaped, and only then are the matches wrapped in <mark>: escaping the whole text first and
searching in it would find `amp` inside `&amp;`. The result is the only `Markup` this room
makes, and it contains no tag but <mark>.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from community.search import text
from community.search.query import Query

BEFORE = 40  # characters of context before the first match
LENGTH = 200  # characters in a snippet


def marked(plain: str, query: Query) -> Markup:
    """The whole of `plain` (a title), escaped, with the query's words in <mark>."""
    whole, prefixes = query.marks()
    return _wrap(plain, list(text.matches(plain, whole, prefixes)))


def snippet(plain: str, query: Query) -> Markup:
    """About LENGTH characters of `plain` around the first match (or its start), escaped, with
    the query's words in <mark> and an ellipsis where the text was cut."""
    whole, prefixes = query.marks()
    spans = list(text.matches(plain, whole, prefixes))
    start = 0
    if spans and spans[0][0] > BEFORE:
        start = _word_start(plain, spans[0][0] - BEFORE)
    end = min(len(plain), start + LENGTH)
    piece = plain[start:end]
    inside = [
        (max(a, start) - start, min(b, end) - start) for a, b in spans if a < end and b > start
    ]
    out = _wrap(piece, inside)
    if start > 0:
        out = Markup("…") + out
    if end < len(plain):
        out = out + Markup("…")
    return out


def _word_start(plain: str, at: int) -> int:
    """Move a cut forward to the next space when one is near (Latin words stay whole)."""
    space = plain.find(" ", at, at + 15)
    return space + 1 if space != -1 else at


def _wrap(piece: str, spans: list[tuple[int, int]]) -> Markup:
    out = Markup("")
    position = 0
    for start, end in spans:
        out += escape(piece[position:start]) + Markup("<mark>") + escape(piece[start:end])
        out += Markup("</mark>")
        position = end
    return out + escape(piece[position:])
