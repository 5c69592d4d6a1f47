"""User-written text: markdown sanitized on the pages that show it, every other field escaped, and
resumes kept private (outside static/, random names, downloaded as attachments, never sniffed)."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask

from community.config import load_config
from community.core.markup import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    render_markdown,
)
from community.extensions import db
from community.referrals import resumes as uploads
from community.referrals.models import Referral
from tests.factories import make_job, make_user
from tests.referrals.factories import PDF_BYTES, form_data, make_referral, pdf_upload
from tests.security.conftest import login

MARKDOWN_ATTACKS = [
    "<script>alert('desc')</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    '<a href="https://ok.example" onclick="alert(1)">click</a>',
    "<style>body{display:none}</style>",
    "[plain](javascript:alert(1))",
    "[cased](JaVaScRiPt:alert(1))",
    "[spaced]( javascript:alert(1) )",
    "[entity](javascript&#58;alert(1))",
    "[entity2](&#106;avascript:alert(1))",
    "[tabbed](java\tscript:alert(1))",
    "[vb](vbscript:msgbox(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '[quote](https://ok.example "a" onmouseover="alert(1)")',
    "![image](javascript:alert(1))",
    "![pixel](https://evil.example/track.png)",
    "[ref][1]\n\n[1]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<https://ok.example/auto>",
    "`<script>alert(1)</script>` and ```\n<script>alert(2)</script>\n```",
    "[ok](https://ok.example/page) and [mail](mailto:hr@example.com)",
]
SAFE_SCHEMES = {"http", "https", "mailto"}


class Inspector(HTMLParser):
    """Collects every tag and attribute of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def assert_safe_html(fragment: str) -> None:
    inspector = Inspector()
    inspector.feed(fragment)
    for tag, attrs in inspector.tags:
        assert tag in ALLOWED_TAGS, f"<{tag}> survived: {fragment}"
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        if "class" in attrs:  # only the app's own classes (a linked @mention), nothing written
            assert set((attrs["class"] or "").split()) <= ALLOWED_CLASSES.get(tag, set()), attrs
            allowed = allowed | {"class"}
        assert set(attrs) <= allowed, f"<{tag} {attrs}> survived: {fragment}"
        href = attrs.get("href") or ""
        if href:
            # As a browser reads it: tabs and newlines dropped, outer spaces and controls trimmed;
            # without a valid scheme the link is relative (harmless).
            cleaned = re.sub(r"[\t\n\r]", "", href).strip("".join(map(chr, range(33))))
            scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
            assert not scheme or scheme.group(1).lower() in SAFE_SCHEMES, href
        if tag == "a" and href:
            assert "noopener" in (attrs.get("rel") or "")
            assert "nofollow" in (attrs.get("rel") or "")


@pytest.mark.parametrize("source", MARKDOWN_ATTACKS)
def test_render_markdown_keeps_only_safe_html(source: str) -> None:
    html = str(render_markdown(source))
    assert_safe_html(html)
    assert "<script" not in html.lower()


def test_code_in_markdown_shows_exactly_what_was_written() -> None:
    html = str(render_markdown("Use `List<String>` and `a && b`"))
    assert "<code>List&lt;String&gt;</code>" in html
    assert "<code>a &amp;&amp; b</code>" in html


def _section(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">(.*?)</div>\s*</(section|div)>', page, re.S)
    assert match, f"no {testid} on the page"
    return match.group(1)


def test_job_description_and_challenges_are_sanitized_on_every_page(client, company) -> None:
    attack = "\n\n".join(MARKDOWN_ATTACKS)
    job = make_job(company.department, title="Markdown Job", description=attack, challenges=attack)
    login(client, company.employee)
    detail = client.get(f"/jobs/{job.id}").text
    for testid in ("job-description", "job-challenges"):
        section = _section(detail, testid)
        assert_safe_html(section)  # "javascript:" may remain, as visible text only
    assert '<a href="https://ok.example/page"' in detail  # real links still work
    form = client.get(f"/referrals/new/{job.id}").text  # challenges shown next to the form
    assert "<script>alert" not in form and "onerror=" not in form.replace("onerror=alert", "")
    assert "<svg" not in form and "<iframe" not in form


SCRIPT_NAME = "<script>alert('name')</script>"
IMG_NAME = '<img src=x onerror="alert(1)">'


def test_names_and_free_text_are_escaped_wherever_they_appear(client, company) -> None:
    villain = make_user(department=company.department, name="Villain", display_name=IMG_NAME)
    job = make_job(company.department, title=SCRIPT_NAME, hiring_manager_id=villain.id)
    referral = make_referral(
        villain,
        job,
        candidate_name=SCRIPT_NAME,
        current_employer=IMG_NAME,
        fit_reason=f"{SCRIPT_NAME} is a great fit for this role, honestly and truly.",
    )
    login(client, company.hr)
    pages = [
        "/",
        "/jobs/",
        f"/jobs/{job.id}",
        "/jobs/manage",
        "/people",
        "/people?q=Villain",
        "/notifications/",
        "/referrals/queue",
        f"/referrals/{referral.id}",
    ]
    for path in pages:
        for headers in ({}, {"HX-Request": "true"}):
            page = client.get(path, headers=headers)
            assert page.status_code == 200, path
            assert SCRIPT_NAME not in page.text, path
            assert IMG_NAME not in page.text, path
            assert "<img src=x" not in page.text, path
    assert "&lt;script&gt;" in client.get(f"/referrals/{referral.id}").text


def test_a_toast_carries_a_name_as_json_text(client, company) -> None:
    """Names in toasts travel in the HX-Trigger header as JSON; app.js sets them as textContent."""
    villain = make_user(department=company.department, name="Villain", display_name=IMG_NAME)
    login(client, company.hr)
    response = client.post(f"/people/{villain.id}/deactivate", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<img src=x onerror=" in response.headers["HX-Trigger"]  # JSON text, not HTML
    assert IMG_NAME not in response.text
    app_js = Path(client.application.static_folder, "js", "app.js").read_text()
    assert ".textContent = message" in app_js and "innerHTML" not in app_js


# Resumes ------------------------------------------------------------------------------------


def test_resumes_live_outside_static_under_random_names(app: Flask, company) -> None:
    referral = make_referral(
        company.referrer, make_job(), resume=pdf_upload("../../static/js/evil.pdf")
    )
    stored = referral.resume_file
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", stored)
    path = Path(app.config["UPLOAD_FOLDER"]) / "resumes" / stored
    assert path.read_bytes() == PDF_BYTES
    static = Path(app.static_folder).resolve()
    assert not path.resolve().is_relative_to(static)
    assert not (static / "js" / "evil.pdf").exists()
    assert referral.resume_filename == "evil.pdf"  # only the download name keeps the original
    client = app.test_client()
    login(client, company.referrer)
    assert client.get(f"/static/{stored}").status_code == 404
    assert client.get(f"/static/../instance/uploads/resumes/{stored}").status_code == 404


def test_the_default_upload_folder_is_private(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("UPLOAD_FOLDER", raising=False)
    folder = Path(load_config(tmp_path)["UPLOAD_FOLDER"])
    assert folder.is_relative_to(tmp_path)  # the instance folder, never static/


@pytest.mark.parametrize(
    "stored", ["../secret.pdf", "/etc/passwd", "..\\x.pdf", ".hidden.pdf", "a/b.pdf", ""]
)
def test_stored_names_cannot_walk_out_of_the_upload_folder(stored: str) -> None:
    assert uploads.resume_path(stored) is None


def test_a_pdf_with_html_inside_is_served_as_a_pdf_attachment(client, company) -> None:
    polyglot = PDF_BYTES + b"<html><script>alert(document.cookie)</script></html>"
    referral = make_referral(
        company.referrer,
        make_job(),
        resume=pdf_upload('evil"\r\nX-Injected: yes\r\n.html', polyglot),
    )
    login(client, company.referrer)
    response = client.get(f"/referrals/{referral.id}/resume")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition
    assert "X-Injected" not in response.headers
    assert disposition.endswith(('.pdf"', ".pdf")), disposition  # the type it really is


def test_an_html_file_named_pdf_is_refused(client, company) -> None:
    login(client, company.employee)
    data = form_data(
        company.job, resume=(io.BytesIO(b"<html><script>alert(1)</script></html>"), "cv.pdf")
    )
    response = client.post(f"/referrals/new/{company.job.id}", data=data)
    assert response.status_code == 422
    assert db.session.query(Referral).count() == 1  # only the company's own referral
