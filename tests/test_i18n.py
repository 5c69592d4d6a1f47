"""Every UI string is translated in both catalogs, and the interface really switches language."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.catalog import extract
from tests.factories import make_user

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "community" / "translations"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The message ids in the source right now (not the committed template)."""
    catalog = extract(tmp_path_factory.mktemp("i18n"))
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


# Catalog folders by language: Babel reads "zh_CN" as zh_Hans_CN, whose lookup falls back to "zh".
@pytest.mark.parametrize("locale", ["zh", "en"])
def test_catalog_translates_every_ui_string(extracted: set[str], locale: str) -> None:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string) and not m.fuzzy
    }
    missing = sorted(extracted - translated)
    assert not missing, (
        f"{len(missing)} strings untranslated in {locale} (run `make extract`): {missing[:20]}"
    )


def test_pages_switch_language(client, auth) -> None:
    user = make_user(locale="zh_CN")
    auth.login(user)
    assert "退出登录" in client.get("/").get_data(as_text=True)
    client.post("/language", data={"locale": "en", "next": "/"})
    assert "Log out" in client.get("/").get_data(as_text=True)


def test_anonymous_visitor_gets_browser_language(client) -> None:
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(
        as_text=True
    )
    assert "Log in" in page
    page = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(
        as_text=True
    )
    assert "登录" in page
