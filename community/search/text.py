"""Text as the search index sees it: Markdown made plain, words segmented with jieba, and one
normal form for tokens that SQLite's FTS5 and PostgreSQL's 'simple' parser read identically.

Both engines get the segmented text as space-separated tokens made only of letters and digits,
lowercased (NFKC first, so full-width ＰＹＴＨＯＮ is python). Neither tokenizer then has
anything left to decide: FTS5's unicode61 and PostgreSQL's parser both see one word per token,
which is what makes the same query find the same posts on both engines.
"""

from __future__ import annotations

import html
import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator

import jieba

from community.core.markup import render_markdown

MAX_TOKEN = 60  # longer "words" (hashes, base64) are noise, and PostgreSQL refuses > 2 KB
# Words of the referral world jieba does not know: without them 内推 is cut into 内 / 推人.
DOMAIN_WORDS = (
    "内推",
    "内推人",
    "内推码",
    "内推社区",
    "内推奖金",
    "老带新",
    "岗位画像",
    "石沉大海",
)

_loaded = False
_lock = threading.Lock()
_BLOCK = re.compile(r"</?(?:p|br|li|ul|ol|h\d|blockquote|pre|hr)\b[^>]*>")  # a break: a space
_TAG = re.compile(r"<[^>]*>")  # inline (strong, em, code, a): nothing, 要**简短** is 要简短
# Text with none of these (and no line opening a numbered list) renders as itself: plain_text
# skips the Markdown renderer for it, which is most of the cost of indexing a post.
_MARKDOWN = re.compile(r"[\\`*_\[\]<>&#!~|=+\-]|^\s*\d+[.)]", re.MULTILINE)


def _jieba() -> jieba.Tokenizer:
    """jieba's dictionary, loaded once per process (about a second), quietly."""
    global _loaded
    if not _loaded:
        with _lock:
            if not _loaded:
                jieba.setLogLevel(logging.WARNING)  # it logs "Building prefix dict…" otherwise
                jieba.dt.initialize()
                for word in DOMAIN_WORDS:
                    jieba.dt.add_word(word)
                _loaded = True
    return jieba.dt


def plain_text(markdown: str | None) -> str:
    """What a reader sees of a post, without its markup: rendered by the house renderer (so
    raw HTML stays text exactly as on the page), tags dropped, entities decoded."""
    if not markdown:
        return ""
    if not _MARKDOWN.search(markdown):
        return " ".join(markdown.split())
    return rendered_plain(markdown)


def rendered_plain(markdown: str) -> str:
    """`plain_text` through the renderer, always (the fast path's reference)."""
    rendered = _BLOCK.sub(" ", str(render_markdown(markdown)))
    return " ".join(html.unescape(_TAG.sub("", rendered)).split())


def pieces(text: str) -> list[str]:
    """The letter-and-digit runs of `text`, in normal form (NFKC, lowercase), at most
    MAX_TOKEN long: everything else separates tokens."""
    normal = unicodedata.normalize("NFKC", text).lower()
    out: list[str] = []
    run: list[str] = []
    for char in normal:
        if char.isalnum():
            run.append(char)
        elif run:
            out.append("".join(run))
            run = []
    if run:
        out.append("".join(run))
    return [piece for piece in out if len(piece) <= MAX_TOKEN]


def index_tokens(text: str) -> list[str]:
    """The tokens a document is indexed under: jieba's search mode, which adds the shorter words
    inside a long one (中华人民共和国 also gives 中华, 人民, 共和国), so a query for a part finds it."""
    if not text:
        return []
    normal = unicodedata.normalize(
        "NFKC", text
    )  # jieba reads full-width Ｐｙｔｈｏｎ letter by letter
    return [piece for word in _jieba().cut_for_search(normal) for piece in pieces(word)]


def query_words(text: str) -> list[list[str]]:
    """A query's words, each as the tokens that must all be present. A long word that the
    dictionary covers with shorter ones is asked for by those (面试技巧 → 面试 + 技巧), since every
    document holds the shorter words too: then "分享几个面试的技巧" is found as well."""
    words: list[list[str]] = []
    tokenizer = _jieba()
    for word in tokenizer.cut(unicodedata.normalize("NFKC", text)):
        for piece in pieces(word):
            words.append(_covering(piece, tokenizer))
    return words


def _covering(word: str, tokenizer: jieba.Tokenizer) -> list[str]:
    if len(word) <= 2 or word.isascii():
        return [word]
    parts = [part for part in tokenizer.cut_for_search(word) if part != word]
    covered = [False] * len(word)
    for part in parts:
        start = word.find(part)
        while start != -1:
            covered[start : start + len(part)] = [True] * len(part)
            start = word.find(part, start + 1)
    return parts if parts and all(covered) else [word]


def joined(tokens: Iterable[str]) -> str:
    """Tokens as stored in the search column: space-separated, with a space at both ends, so
    that `LIKE '% word %'` finds a whole token on either engine."""
    body = " ".join(tokens)
    return f" {body} " if body else " "


def compact(text: str) -> str:
    """The form a quoted phrase is matched in: normal form, punctuation and spaces dropped, but
    one space kept between two Latin words or numbers ("python interview", "面试的技巧")."""
    out: list[str] = []
    for piece in pieces(text):
        if out and out[-1][-1].isascii() and piece[0].isascii():
            out.append(" ")
        out.append(piece)
    return "".join(out)


def pattern(tokens: Iterable[str], prefixes: Iterable[str] = ()) -> re.Pattern[str] | None:
    """One expression for `tokens` (whole words when Latin) and `prefixes`, longest first:
    what highlighting marks (compiled once per query, not per post)."""
    parts = [(token, True) for token in tokens if token] + [(p, False) for p in prefixes if p]
    if not parts:
        return None
    parts.sort(key=lambda part: -len(part[0]))
    return re.compile("|".join(_pattern(t, whole=w) for t, w in parts), flags=re.IGNORECASE)


def matches(
    text: str, tokens: Iterable[str], prefixes: Iterable[str] = ()
) -> Iterator[tuple[int, int]]:
    """Where `tokens` (whole words for Latin ones) and `prefixes` occur in `text`, as (start,
    end) spans in order, overlaps merged."""
    compiled = pattern(tokens, prefixes)
    return iter(spans(compiled.finditer(text) if compiled else (), 0, len(text)))


def spans(found: Iterable[re.Match[str]], start: int, end: int) -> list[tuple[int, int]]:
    """The matches (in order, found in the whole text: a Latin word cut at `start` is not one)
    within text[start:end], cut at `end`, overlaps merged, as spans of that piece."""
    out: list[tuple[int, int]] = []
    for match in found:
        a, b = match.span()
        if a >= end:
            break
        if b == a or b <= start:
            continue
        a, b = max(a, start) - start, min(b, end) - start
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _pattern(token: str, *, whole: bool) -> str:
    if token.isascii():
        return r"(?<![0-9a-z])" + re.escape(token) + (r"(?![0-9a-z])" if whole else "")
    return re.escape(token)
