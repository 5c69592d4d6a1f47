"""htmx helpers: one `render()` for full pages and fragments, and toasts through HX-Trigger."""

from __future__ import annotations

import json
from typing import Any

from flask import Response, g, make_response, render_template
from jinja2 import Template

from community.extensions import htmx


def is_fragment_request() -> bool:
    """True for an htmx request that wants a fragment (not a boosted full-page navigation)."""
    return bool(htmx) and not htmx.boosted


def render(
    template_name: str, block: str | None = None, status: int = 200, **context: Any
) -> Response:
    """Render the full page, or only `block` of it when htmx asks for a fragment."""
    if block and is_fragment_request():
        from flask import current_app

        template: Template = current_app.jinja_env.get_or_select_template(template_name)
        current_app.update_template_context(context)
        ctx = template.new_context(context)
        body = "".join(template.blocks[block](ctx))
    else:
        body = render_template(template_name, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def toast(message: str, category: str = "success") -> None:
    """Queue a toast for this response; merged into HX-Trigger by `apply_triggers`."""
    g.setdefault("hx_toasts", []).append({"message": str(message), "category": category})


def apply_triggers(response: Response) -> Response:
    """after_request hook: merge queued toasts into an existing HX-Trigger header."""
    toasts = g.pop("hx_toasts", None)
    if not toasts:
        return response
    existing = response.headers.get("HX-Trigger")
    triggers: dict[str, Any] = {}
    if existing:
        try:
            triggers = json.loads(existing)
        except ValueError:
            triggers = {name.strip(): None for name in existing.split(",")}
    triggers["toast"] = toasts
    # ASCII only: a header carries Latin-1 at most; htmx decodes the \uXXXX escapes.
    response.headers["HX-Trigger"] = json.dumps(triggers)
    return response
