"""User-written markdown: rendered without raw HTML, then sanitized. The only source of `|safe`."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import markdown as md
import nh3
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "h3", "h4", "h5", "blockquote", "code", "pre", "a", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# The only class kept: a link the app made from an @mention (nh3 drops every other class).
ALLOWED_CLASSES = {"a": {"mention"}}

# `@name`, not after a Latin letter, digit or an address's punctuation: "ann@corp.com" is an
# address, not a mention. After a Chinese character it is one: Chinese puts no space before it
# ("谢谢@王芳"). The forum reads mentions with this pattern too, so what notifies and what is
# linked are the same tokens.
MENTION = re.compile(r"(?<![A-Za-z0-9_.+\-@])@([\w][\w.\-]{0,63})")

# A mention's link: given the token after "@", the profile's address and how many characters of
# the token name the person ("王芳的帮助" → 2), or None when it names nobody who may be linked.
MentionLink = Callable[[str], tuple[str, int] | None]


class _MentionLinks(Treeprocessor):
    """Turns `@name` in prose into a link to the person's profile, after Markdown's inline pass:
    never inside code, preformatted text or a link the author wrote."""

    SKIP = frozenset({"a", "code", "pre"})

    def __init__(self, renderer: md.Markdown, link: MentionLink) -> None:
        super().__init__(renderer)
        self.link = link

    def run(self, root: ET.Element) -> None:
        self._walk(root)

    def _walk(self, parent: ET.Element) -> None:
        if parent.tag in self.SKIP:
            return
        head = self._split(parent.text or "")
        parent.text = head[0]
        children = list(parent)
        for index, element in enumerate(head[1:]):
            parent.insert(index, element)
        for child in children:
            self._walk(child)
            tail = self._split(child.tail or "")
            child.tail = tail[0]
            at = list(parent).index(child) + 1
            for offset, element in enumerate(tail[1:]):
                parent.insert(at + offset, element)

    def _split(self, text: str) -> list:
        """`text` as [leading text, <a>, …] where each <a> carries the text after it as its tail."""
        parts: list = [""]
        last = 0
        for match in MENTION.finditer(text):
            token = match.group(1).rstrip(".-")
            found = self.link(token) if token else None
            if found is None:
                continue
            href, length = found
            end = match.start(1) + min(max(length, 1), len(token))
            anchor = ET.Element("a", {"href": href, "class": "mention"})
            anchor.text = text[match.start() : end]
            if len(parts) == 1:
                parts[0] = text[last : match.start()]
            else:
                parts[-1].tail = text[last : match.start()]
            parts.append(anchor)
            last = end
        if len(parts) == 1:
            return [text]
        parts[-1].tail = text[last:]
        return parts


def _renderer(mention: MentionLink | None = None) -> md.Markdown:
    renderer = md.Markdown(extensions=["sane_lists"], output_format="html")
    # Raw HTML is not markdown here: it stays text (and is escaped once, as code and prose are).
    renderer.preprocessors.deregister("html_block")
    renderer.inlinePatterns.deregister("html")
    if mention is not None:
        # After the inline pass (20), so links and code are already elements to step around;
        # before unescape (0), so an escaped `\@` is still a placeholder and links nobody.
        renderer.treeprocessors.register(_MentionLinks(renderer, mention), "mentions", 5)
    return renderer


# Links in text anyone may write for everyone to read (the forum): search engines and the
# pages linked are told it is user-generated content (rel="ugc", as Discourse does).
UGC_LINK_REL = "nofollow ugc noopener"
DEFAULT_LINK_REL = "noopener noreferrer nofollow"


def render_markdown(
    text: str | None, *, ugc: bool = False, mention: MentionLink | None = None
) -> Markup:
    """Render user markdown to safe HTML: raw HTML in the input is shown as text, links are nofollow.

    nh3 then keeps only the allowed tags, attributes and link schemes, whatever markdown produced.
    `ugc`: mark links as user-generated content (`UGC_LINK_REL`), for community posts.
    `mention`: link `@name` to the person it names (see `MentionLink`); without it, plain text.
    """
    if not text:
        return Markup("")
    html = _renderer(mention).convert(str(text))
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel=UGC_LINK_REL if ugc else DEFAULT_LINK_REL,
    )
    return Markup(clean)
