"""The one e-mail identity (`core.emails`): what makes two spellings of an address one person."""

from __future__ import annotations

import pytest

from community.core.emails import (
    company_domains,
    email_identity,
    email_key,
    identity_keys,
    normalise_email,
)


@pytest.fixture
def aliases(app, monkeypatch):
    monkeypatch.setitem(app.config, "COMPANY_EMAIL_DOMAINS", "Corp.example, corp-old.example")


@pytest.mark.parametrize(
    ("spelling", "identity"),
    [
        ("ann@corp.example", "ann@corp.example"),
        ("  ANN@Corp.Example ", "ann@corp.example"),
        ("ann+jobs@corp.example", "ann@corp.example"),
        ("Ann+a+b@corp.example", "ann@corp.example"),
        ("+only-a-tag@corp.example", "+only-a-tag@corp.example"),
        ("ann@other.example", "ann@other.example"),
        ("not an address", "not an address"),
        ("", ""),
    ],
)
def test_identity_folds_case_and_drops_the_plus_tag(app, spelling, identity):
    assert email_identity(spelling) == identity


def test_company_alias_domains_are_read_as_the_main_domain(app, aliases):
    assert company_domains() == ("corp.example", "corp-old.example")
    assert email_identity("Ann+x@CORP-OLD.example") == "ann@corp.example"
    assert email_identity("ann@corp.example") == "ann@corp.example"
    assert email_identity("ann@elsewhere.example") == "ann@elsewhere.example"
    # The stored key never depends on the setting; a lookup asks for every alias domain.
    assert email_key("Ann+x@corp-old.example") == "ann@corp-old.example"
    assert identity_keys("ann+y@corp.example") == ("ann@corp.example", "ann@corp-old.example")
    assert identity_keys("ann@elsewhere.example") == ("ann@elsewhere.example",)


def test_the_setting_may_be_a_list_and_is_empty_by_default(app):
    assert company_domains() == ()
    assert company_domains(["@a.example", " B.example ", "a.example"]) == ("a.example", "b.example")
    assert company_domains("") == ()


def test_login_keeps_the_tag_but_not_the_case_or_alias(app, aliases):
    assert email_identity("ANN+x@corp-old.example", keep_tag=True) == "ann+x@corp.example"
    assert email_identity("Ann@Corp.example", keep_tag=True) == "ann@corp.example"


def test_what_is_stored_keeps_the_tag_and_domain_as_typed(app, aliases):
    assert normalise_email("  Ann+Jobs@Corp-Old.Example ") == "ann+jobs@corp-old.example"
    assert normalise_email("   ") is None
