"""Text a row keeps in two languages: the reader sees their own and falls back to the other,
marked with its `lang` so that screen readers, fonts and translators follow.

The convention (jobs, departments): the base column (`title`, `name`, `skills` …) holds the
Chinese wording, or the only wording there is; `<field>_en` holds the English wording ("" or
None when there is none). Lists are aligned line by line: item i of `skills_en` is the English
of item i of `skills`, and an empty item means "the same as the base". The base list's items are
the stable keys other rows refer to (a referral's assessment of each skill), so adding or
changing a translation never changes a key.

Which language a text is in is read from its script: any Han character makes it Chinese. So a
base wording that is English ("Python", "Backend engineer") is shown to a Chinese reader marked
`lang="en"`, and needs no translation for an English reader.

Templates call `localized(job, "title")`: printed as content it is the text, wrapped in
`<span lang="…">` when it is not in the page's language; `.text` is the bare text for places
where no element may go (`<title>`, attributes, `<option>`), `.lang_attr` the attribute alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape

from community.core.i18n import current_locale

LANGUAGES = ("zh", "en")
# CJK Unified Ideographs (and extension A, compatibility, extensions B–G).
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def language_of(text: str | None) -> str:
    """ "zh" when `text` has a Han character, else "en"."""
    return "zh" if text and _HAN.search(text) else "en"


def reader_language() -> str:
    """The reader's language as "zh" or "en" (the company's outside a request)."""
    return "zh" if current_locale().startswith("zh") else "en"


class Localized(str):
    """A text in the reader's language, or in the other one (then `foreign`), with its `lang`."""

    lang: str
    foreign: bool

    def __new__(cls, text: str | None, lang: str, reader: str) -> Localized:
        made = super().__new__(cls, text or "")
        made.lang = lang
        made.foreign = bool(made) and lang != reader
        return made

    @property
    def text(self) -> str:
        return str.__str__(self)

    @property
    def lang_attr(self) -> Markup:
        """` lang="zh"` when the text is not in the reader's language, else nothing."""
        return Markup(' lang="%s"') % self.lang if self.foreign else Markup("")

    def __html__(self) -> Markup:
        if not self.foreign:
            return escape(self.text)
        return Markup('<span lang="%s">%s</span>') % (self.lang, self.text)

    def __reduce__(self) -> tuple[Any, ...]:
        return (str, (self.text,))


def choose(base: str | None, english: str | None, reader: str | None = None) -> Localized:
    """The wording for `reader` ("zh"/"en", default the request's) from a base wording and its
    English: the English for an English reader when there is one, else the base."""
    reader = reader or reader_language()
    base = base or ""
    english = english or ""
    if reader == "en" and english:
        return Localized(english, "en", reader)
    if base:
        return Localized(base, language_of(base), reader)
    return Localized(english, "en", reader)


def localized(obj: Any, field: str, reader: str | None = None) -> Localized:
    """`obj.<field>` in the reader's language (see the module's convention)."""
    return choose(getattr(obj, field, ""), getattr(obj, f"{field}_en", ""), reader)


def localized_list(obj: Any, field: str, reader: str | None = None) -> list[Localized]:
    """Each item of the list `obj.<field>`, in the reader's language, in order."""
    base = list(getattr(obj, field, None) or [])
    english = list(getattr(obj, f"{field}_en", None) or [])
    english += [""] * (len(base) - len(english))
    return [choose(item, english[i], reader) for i, item in enumerate(base)]


def localized_item(obj: Any, field: str, key: str, reader: str | None = None) -> Localized:
    """The item of `obj.<field>` whose base wording is `key`, in the reader's language; `key`
    itself when the list no longer has it (e.g. an answer kept after HR edited the job)."""
    base = list(getattr(obj, field, None) or [])
    english = list(getattr(obj, f"{field}_en", None) or [])
    if key in base:
        index = base.index(key)
        return choose(key, english[index] if index < len(english) else "", reader)
    return choose(key, "", reader)


def fill(message: str, /, **values: Any) -> Markup:
    """A translated message (`_("Skill: %(skill)s")`, not yet filled in) filled in as HTML, so
    that a `Localized` value keeps its `lang` mark; everything else is escaped."""
    return Markup(escape(message)) % values


def _raw_lines(value: Iterable[str] | str | None) -> list[str]:
    items = value.splitlines() if isinstance(value, str) else list(value or [])
    return [" ".join(str(item).split()) for item in items]


def paired_lines(
    chinese: Iterable[str] | str | None, english: Iterable[str] | str | None
) -> tuple[list[str], list[str]]:
    """Two one-item-per-line lists written side by side, line i of one being line i of the other,
    as (base items, their English): a line only in English becomes a base item of its own, blank
    pairs and case-insensitive repeats of a base item are dropped."""
    zh_lines, en_lines = _raw_lines(chinese), _raw_lines(english)
    length = max(len(zh_lines), len(en_lines))
    zh_lines += [""] * (length - len(zh_lines))
    en_lines += [""] * (length - len(en_lines))
    seen: set[str] = set()
    base: list[str] = []
    translated: list[str] = []
    for zh, en in zip(zh_lines, en_lines, strict=True):
        item = zh or en
        if not item or item.casefold() in seen:
            continue
        seen.add(item.casefold())
        base.append(item)
        translated.append(en if zh and en != zh else "")
    if not any(translated):
        translated = []
    return base, translated


def paired_text(chinese: str | None, english: str | None) -> tuple[str, str]:
    """(base, English) of a text written in both languages: the English alone is the base."""
    zh, en = (chinese or "").strip(), (english or "").strip()
    if not zh:
        return en, ""
    return zh, "" if en == zh else en
