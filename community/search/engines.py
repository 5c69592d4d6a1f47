"""A parsed `Query` in each engine's words: an FTS5 MATCH expression on SQLite, a tsquery on
PostgreSQL, and the portable SQL both share for what the index cannot say alone.

The index finds candidates; a quoted phrase's exact wording and an OR query's count of terms
are plain SQL over the stored token column, written once for both engines:
- a token is present: `terms LIKE '% token %'` (the column is " a b c ", see `text.joined`);
- a prefix: `terms LIKE '% pre%'`; a phrase: `compact LIKE '%phrase%'`.
How many of the terms a topic's title has is asked of the titles' FTS5 table on SQLite (the
documents table is then not read for every candidate) and of `title_terms` on PostgreSQL.
Tokens are letters and digits only (`text.pieces`), so they are quoted into FTS5 strings and
tsquery lexemes, and into LIKE patterns, with nothing to escape.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from community.search.query import Query, Term
from community.search.schema import FTS, TITLES, VECTOR


@dataclass
class Compiled:
    """SQL fragments for the documents table aliased `d` (on SQLite, `title_hits` reads the
    candidate's id as `n.post_id` instead), and their parameters."""

    match: str  # the index condition
    filters: list[str] = field(default_factory=list)  # what the index cannot check exactly
    hits: str | None = None  # how many of the terms looked for a post has (None: all of them)
    title_hits: str | None = None  # how many of them are in its topic's title
    params: dict[str, object] = field(default_factory=dict)

    def bind(self, value: object) -> str:
        name = f"s{len(self.params)}"
        self.params[name] = value
        return f":{name}"


def compile_query(query: Query, dialect: str) -> Compiled:
    """The engine's SQL for `query` (which must not be empty)."""
    if dialect == "sqlite":
        compiled = Compiled(match=f"{FTS} MATCH :match")
        compiled.params["match"] = fts5_expression(query)
    else:
        compiled = Compiled(match=f"d.{VECTOR} @@ to_tsquery('simple', :match)")
        compiled.params["match"] = tsquery_expression(query)
    for group in query.groups:
        if any(term.phrase for term in group):
            choices = " OR ".join(_term_sql(compiled, term, "d.terms") for term in group)
            compiled.filters.append(f"({choices})")
    for term in query.excluded:
        if term.phrase:
            compiled.filters.append(f"NOT ({_term_sql(compiled, term, 'd.terms')})")
    if any(len(group) > 1 for group in query.groups):
        compiled.hits = _count(compiled, query.terms, "d.terms")
    if dialect == "sqlite":
        compiled.title_hits = _title_hits_on_sqlite(compiled, query.terms)
    else:
        compiled.title_hits = _count(compiled, query.terms, "d.title_terms", phrases=False)
    return compiled


def fts5_expression(query: Query) -> str:
    """FTS5 syntax: `("a" AND "b"*) OR ("c")`, exclusions after NOT."""
    positive = " AND ".join("(" + " OR ".join(_fts5_term(t) for t in g) + ")" for g in query.groups)
    excluded = [_fts5_term(t) for t in query.excluded if not t.phrase]
    if excluded:
        return f"({positive}) NOT ({' OR '.join(excluded)})"
    return positive


def _fts5_term(t: Term) -> str:
    """A term's tokens, all required, the last one as a prefix when the term is one."""
    parts = [f'"{token}"' for token in t.tokens]
    if t.prefix:
        parts[-1] += "*"
    return "(" + " AND ".join(parts) + ")"


def _title_hits_on_sqlite(compiled: Compiled, terms: tuple[Term, ...]) -> str:
    """How many of `terms` the title has, as `_count` over `title_terms` would say (tokens
    only, phrases aside), each term a lookup in the titles' index: a short list (titles are
    one post in ten) instead of a read of every candidate's row."""
    lookups = [
        f"(n.post_id IN (SELECT -rowid FROM {TITLES} WHERE {TITLES} MATCH "
        f"{compiled.bind(_fts5_term(term))}))"
        for term in terms
    ]
    return "(" + " + ".join(lookups) + ")" if lookups else "0"


def tsquery_expression(query: Query) -> str:
    """tsquery syntax: `('a' & 'b':*) | ('c')`, exclusions as `& !(…)`."""

    def term(t: Term) -> str:
        parts = [f"'{token}'" for token in t.tokens]
        if t.prefix:
            parts[-1] += ":*"
        return "(" + " & ".join(parts) + ")"

    positive = " & ".join("(" + " | ".join(term(t) for t in g) + ")" for g in query.groups)
    excluded = [term(t) for t in query.excluded if not t.phrase]
    if excluded:
        return f"({positive}) & !({' | '.join(excluded)})"
    return positive


def _term_sql(compiled: Compiled, term: Term, column: str, *, phrases: bool = True) -> str:
    conditions = []
    for index, token in enumerate(term.tokens):
        last = index == len(term.tokens) - 1
        pattern = f"% {token}%" if (term.prefix and last) else f"% {token} %"
        conditions.append(f"{column} LIKE {compiled.bind(pattern)}")
    if term.phrase and phrases:
        conditions.append(f"d.compact LIKE {compiled.bind('%' + term.phrase + '%')}")
    return "(" + " AND ".join(conditions) + ")"


def _count(
    compiled: Compiled, terms: tuple[Term, ...], column: str, *, phrases: bool = True
) -> str:
    cases = [
        f"CASE WHEN {_term_sql(compiled, term, column, phrases=phrases)} THEN 1 ELSE 0 END"
        for term in terms
    ]
    return "(" + " + ".join(cases) + ")" if cases else "0"
