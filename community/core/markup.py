"""User-written markdown: escaped first, rendered, then sanitized. The only source of `|safe`."""

from __future__ import annotations

import markdown as md
import nh3
from markupsafe import Markup, escape

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "h3", "h4", "h5", "blockquote", "code", "pre", "a", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text: str | None) -> Markup:
    """Render user markdown to safe HTML: raw HTML in the input is shown as text, links are nofollow."""
    if not text:
        return Markup("")
    html = md.markdown(str(escape(text)), extensions=["sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)
