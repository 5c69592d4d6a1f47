"""Words: counts take the right plural form, the referrer medals read naturally in both languages,
every status and stage label follows one convention, and no menu offers two entries of one name."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale

from community.accounts.models import Role
from community.badges import registry
from community.jobs.labels import job_status_labels
from community.jobs.labels import requirement_label as job_requirement_label
from community.jobs.models import HardRequirement, JobStatus, RequirementKind
from community.payouts.labels import status_labels as payout_status_labels
from community.perks import notices as perk_notices
from community.perks.labels import status_labels as redemption_status_labels
from community.pipeline import STAGE_LABELS
from community.referrals.labels import requirement_label as referral_requirement_label
from community.thanks.labels import headline
from community.thanks.models import ThanksKind, ThanksPost
from tests.catalog import extract
from tests.factories import make_job, make_user

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def in_language(app: Flask, language: str) -> Iterator[None]:
    with app.test_request_context(), force_locale(language):
        yield


# Plural forms -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "english", "chinese"),
    [
        (1, "At least 1 year of relevant experience", "至少 1 年相关经验"),
        (2, "At least 2 years of relevant experience", "至少 2 年相关经验"),
    ],
)
def test_years_of_experience_take_the_plural_form_of_their_count(app, n, english, chinese):
    years = HardRequirement(RequirementKind.YEARS, str(n))
    with in_language(app, "en"):
        assert str(job_requirement_label(years)) == english
        assert str(referral_requirement_label(years)) == english
    with in_language(app, "zh_CN"):
        assert str(job_requirement_label(years)) == chinese


@pytest.mark.parametrize(("n", "word"), [(1, "year"), (2, "years")])
def test_a_job_page_says_1_year_and_2_years(client, auth, n, word):
    job = make_job(min_years=n)
    auth.login(make_user(locale="en"))
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert f"At least {n} {word} of relevant experience" in page
    assert f"at least {n} {word} of relevant experience" in page
    assert "1 years" not in page


@pytest.mark.parametrize(("points", "text"), [(1, "for 1 point."), (2, "for 2 points.")])
def test_a_redemption_notice_counts_its_points(app, points, text):
    with in_language(app, "en"):
        message = perk_notices._pending({"employee": "Ada", "perk_en": "Mug", "points": points})
    assert text in message


COUNTED = r"(years?|days?|hours?|weeks?|months?|points?|pts|characters?|items?|levels?|people|persons?|hires?|referrals?)"


def test_no_count_next_to_a_noun_escapes_ngettext(tmp_path):
    """Every message with a number placeholder right before a counted noun ("%(n)s days") is a
    plural message: a singular-only message says "1 days" when the number is 1."""
    catalog = extract(tmp_path)
    pattern = re.compile(r"%\(\w+\)[sd]\s+(working\s+)?" + COUNTED + r"\b")
    singular_only = [m.id for m in catalog if isinstance(m.id, str) and pattern.search(m.id)]
    assert singular_only == []


# The referrer medals ----------------------------------------------------------------------------


def test_each_medal_has_a_name_of_its_own_in_both_languages(app):
    medal = registry.get(registry.GOLD_REFERRER)
    assert medal is not None
    # The codes of existing grants stay valid.
    assert medal.key == "gold_referrer" and medal.tier_keys == ["bronze", "silver", "gold"]
    with in_language(app, "en"):
        assert [medal.label(t) for t in medal.tier_keys] == [
            "Bronze referrer",
            "Silver referrer",
            "Gold referrer",
        ]
        assert str(medal.name) == "Referrer medal"
    with in_language(app, "zh_CN"):
        assert [medal.label(t) for t in medal.tier_keys] == [
            "铜牌内推人",
            "银牌内推人",
            "金牌内推人",
        ]


def test_no_badge_label_mixes_two_metals(app):
    metals = re.compile(r"bronze|silver|gold|铜|银|金", re.IGNORECASE)
    for language in ("en", "zh_CN"):
        with in_language(app, language):
            for badge in registry.BADGES:
                for tier in badge.tier_keys:
                    label = badge.label(tier)
                    assert len(set(m.lower() for m in metals.findall(label))) <= 1, label


def test_the_thanks_wall_names_the_medal_as_the_gallery_does(app):
    person = make_user(name="Li Lei")
    post = ThanksPost(kind=ThanksKind.GOLD_TIER, subject=person, tier="bronze", year=2026)
    with in_language(app, "en"):
        assert headline(post).startswith("Li Lei became a Bronze referrer of 2026")
    with in_language(app, "zh_CN"):
        assert "「铜牌内推人」" in headline(post)


# One convention for status and stage labels ------------------------------------------------------


def _label_maps() -> dict[str, dict]:
    return {
        "stage": dict(STAGE_LABELS),
        "job status": job_status_labels(),
        "payout status": payout_status_labels(),
        "redemption status": redemption_status_labels(),
    }


def test_every_status_and_stage_label_is_in_sentence_case(app):
    with in_language(app, "en"):
        for kind, labels in _label_maps().items():
            for value, label in labels.items():
                text = str(label)
                first, *rest = text.split()
                assert first[0].isupper(), f"{kind} {value}: {text!r} starts in lower case"
                title_cased = [w for w in rest if w[0].isupper() and not w.isupper()]
                assert not title_cased, f"{kind} {value}: {text!r} is in Title Case"


def test_a_payout_refusal_reads_its_status_inside_the_sentence(app):
    from community.payouts.models import Payout, PayoutStatus
    from community.payouts.services import _refuse_state

    with in_language(app, "en"):
        message = _refuse_state(Payout(status=PayoutStatus.APPROVED), "approve").message
    assert message == "This payout is already approved, so it cannot be approved."


def test_job_status_labels_cover_every_status(app):
    with in_language(app, "en"):
        assert set(job_status_labels()) == set(JobStatus)


# Menus ------------------------------------------------------------------------------------------


class _MenuLabels(HTMLParser):
    """The text of every link and button in the page's <nav> menus (not the language switch)."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[str] = []
        self._nav = 0
        self._current: list[str] | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "nav":
            self._nav += 1
        elif self._nav and self._current is None and tag in ("a", "button"):
            if any(c in classes.split() for c in ("nav-link", "dropdown-item")):
                self._current, self._depth = [], 0
        elif self._current is not None:
            self._depth += 1

    def handle_endtag(self, tag):
        if tag == "nav":
            self._nav -= 1
        elif self._current is not None:
            if self._depth == 0 and tag in ("a", "button"):
                self.labels.append(" ".join("".join(self._current).split()))
                self._current = None
            else:
                self._depth -= 1

    def handle_data(self, data):
        if self._current is not None:
            self._current.append(data)


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER, Role.HR])
@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_no_two_menu_entries_share_a_label(client, auth, role, locale):
    auth.login(make_user(role=role, locale=locale))
    parser = _MenuLabels()
    parser.feed(client.get("/").get_data(as_text=True))
    labels = [label for label in parser.labels if label]
    assert len(labels) > 8
    repeated = {label for label in labels if labels.count(label) > 1}
    assert not repeated, f"{role.value} in {locale} sees menu entries named alike: {repeated}"


def test_the_shop_and_its_management_are_named_apart(client, auth):
    auth.login(make_user(role=Role.HR, locale="en"))
    parser = _MenuLabels()
    parser.feed(client.get("/").get_data(as_text=True))
    assert "Perk shop" in parser.labels and "Manage perks" in parser.labels
    assert "Perks" not in parser.labels
