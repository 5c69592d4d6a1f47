"""What a person typed, read as a search: never an error, whatever they typed.

The little language (as in most search boxes):
- words are all required: `Python 面试` finds posts with both;
- `"a quoted phrase"` must appear as written (punctuation and case aside); a lone `"` quotes
  to the end;
- `OR` (or `|`) between two words or phrases accepts either;
- `-word`, `-"a phrase"` or `NOT word` leave out posts that have it;
- `word*` finds words that start with it.
Anything else (brackets, `*` or `-` alone, SQL, emoji) is punctuation between words. A query
of one or two characters in all (`面`, `AI`, `面试`) is a prefix search: see `Query.short`.

The parsed `Query` holds only normal-form tokens (letters and digits, see `text.pieces`), so
the engine adapters (`engines.py`) can quote them into FTS5 or tsquery syntax without escaping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from community.search import text

MAX_QUERY = 200  # characters read of a query; the rest is ignored
MAX_TERMS = 8  # terms used; more would only slow the query without narrowing it usefully
SHORT = 2  # a query this short (in characters) is a prefix search

_LEXEME = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    """One thing a post must contain: all `tokens` (the last one as a prefix when `prefix`),
    and, for a quoted phrase, the `phrase` in `text.compact` form."""

    tokens: tuple[str, ...]
    prefix: bool = False
    phrase: str | None = None


@dataclass(frozen=True)
class Query:
    """Groups that must all match, each a choice (OR) of terms; terms that must not match."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    text: str = ""
    short: bool = False

    @property
    def empty(self) -> bool:
        """Nothing to look for (only punctuation, or only exclusions)."""
        return not self.groups

    @property
    def terms(self) -> tuple[Term, ...]:
        """Every term that counts towards a match, in the order typed."""
        return tuple(term for group in self.groups for term in group)

    def marks(self) -> tuple[list[str], list[str]]:
        """What to highlight: whole tokens and prefixes of the terms looked for."""
        whole: list[str] = []
        prefixes: list[str] = []
        for term in self.terms:
            *first, last = term.tokens
            whole.extend(first)
            (prefixes if term.prefix else whole).append(last)
        return whole, prefixes


def parse(raw: str | None) -> Query:
    """Read a person's query. Never raises: what is not understood is a separator."""
    typed = (raw or "")[:MAX_QUERY].strip()
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    joining = False  # the last lexeme was OR
    negate = False  # the last lexeme was NOT
    for match in _LEXEME.finditer(typed):
        minus, phrase, word = match.group(1), match.group(2), match.group(3)
        if minus:
            negate = True
        if phrase is None and word in ("OR", "|"):
            joining = bool(groups)
            continue
        if phrase is None and word in ("AND", "&", "+"):
            continue
        if phrase is None and word == "NOT":
            negate = True
            continue
        if phrase is None and word.startswith("-") and len(word) > 1:
            negate, word = True, word[1:]
        term = _phrase(phrase) if phrase is not None else _word(word)
        if term is None:
            joining = negate = False
            continue
        if negate:
            excluded.append(term)
        elif joining and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        joining = negate = False
    groups, excluded = _bounded(groups, excluded)
    query = Query(tuple(tuple(g) for g in groups), tuple(excluded), typed)
    return _shortened(query)


def _word(word: str) -> Term | None:
    prefix = word.rstrip().endswith("*")
    tokens = [token for part in text.query_words(word) for token in part]
    if not tokens:
        return None
    return Term(tuple(tokens), prefix=prefix)


def _phrase(phrase: str) -> Term | None:
    tokens = [token for part in text.query_words(phrase) for token in part]
    compacted = text.compact(phrase)
    if not tokens or not compacted:
        return None
    if len(tokens) == 1 and compacted == tokens[0]:
        return Term((tokens[0],))  # a one-word phrase is that word
    return Term(tuple(tokens), phrase=compacted)


def _bounded(groups: list[list[Term]], excluded: list[Term]) -> tuple[list[list[Term]], list[Term]]:
    """At most MAX_TERMS terms, the first typed kept (and no term asked for twice)."""
    seen: set[Term] = set()
    kept_groups: list[list[Term]] = []
    count = 0
    for group in groups:
        kept = []
        for term in group:
            if term not in seen and count < MAX_TERMS:
                seen.add(term)
                kept.append(term)
                count += 1
        if kept:
            kept_groups.append(kept)
    kept_excluded = []
    for term in excluded:
        if term not in seen and count < MAX_TERMS:
            seen.add(term)
            kept_excluded.append(term)
            count += 1
    return kept_groups, kept_excluded


def _shortened(query: Query) -> Query:
    """One or two characters in all: too short to be sure of a whole word, so the query finds
    words that start with it (面 → 面试, 面试官; AI → ai, aim), through the index on both
    engines (FTS5 prefix queries; tsquery `:*` on the GIN index)."""
    terms = query.terms
    if len(terms) != 1 or terms[0].phrase is not None:
        return query
    (term,) = terms
    if len(term.tokens) != 1 or len(term.tokens[0]) > SHORT:
        return query
    short = Term(term.tokens, prefix=True)
    return Query(((short,),), query.excluded, query.text, short=True)
