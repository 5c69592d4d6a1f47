"""User-written markdown: rendered without raw HTML, then sanitized. The only source of `|safe`."""

from __future__ import annotations

import markdown as md
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "h3", "h4", "h5", "blockquote", "code", "pre", "a", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def _renderer() -> md.Markdown:
    renderer = md.Markdown(extensions=["sane_lists"], output_format="html")
    # Raw HTML is not markdown here: it stays text (and is escaped once, as code and prose are).
    renderer.preprocessors.deregister("html_block")
    renderer.inlinePatterns.deregister("html")
    return renderer


# Links in text anyone may write for everyone to read (the forum): search engines and the
# pages linked are told it is user-generated content (rel="ugc", as Discourse does).
UGC_LINK_REL = "nofollow ugc noopener"
DEFAULT_LINK_REL = "noopener noreferrer nofollow"


def render_markdown(text: str | None, *, ugc: bool = False) -> Markup:
    """Render user markdown to safe HTML: raw HTML in the input is shown as text, links are nofollow.

    nh3 then keeps only the allowed tags, attributes and link schemes, whatever markdown produced.
    `ugc`: mark links as user-generated content (`UGC_LINK_REL`), for community posts.
    """
    if not text:
        return Markup("")
    html = _renderer().convert(str(text))
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=UGC_LINK_REL if ugc else DEFAULT_LINK_REL,
    )
    return Markup(clean)
