"""What the robots say, in the company's language (DEFAULT_LOCALE): a group chat has many
readers, so it gets the company's words, not one reader's. Short: a title, a few lines, and a
link back to the app (an absolute address under APP_BASE_URL). Never an amount, never anyone
who keeps off the public boards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from community.accounts.models import User
from community.challenges.models import Challenge, ChallengeEntrant
from community.core.i18n import join_names
from community.core.links import url
from community.core.localized import choose
from community.core.places import place_label
from community.extensions import db
from community.leaderboards.visibility import hidden_user_ids
from community.teamchat.labels import robot_kinds
from community.teamchat.models import ChatRobot
from community.teamchat.platforms import Message, platform_label
from community.thanks.labels import card_headline, reason
from community.thanks.models import ThanksPost

MAX_ANNOUNCEMENT = 280  # characters of an announcement's body shown in the chat
PLACES_NAMED = 3  # a challenge's results name its top three


def company_locale() -> str:
    return str(current_app.config["DEFAULT_LOCALE"])


@contextmanager
def in_company_language() -> Iterator[str]:
    """Word what follows in the company's language, whoever's request this is."""
    locale = company_locale()
    with force_locale(locale):
        yield locale


def absolute(endpoint: str, **values: object) -> str:
    """An address of the app that works from a chat: APP_BASE_URL and the endpoint's path."""
    base = str(current_app.config["APP_BASE_URL"]).rstrip("/")
    return base + url(endpoint, **values)


def _short(text: str, limit: int) -> tuple[str, ...]:
    """The text's lines (spaces tidied, empty ones left out), cut to `limit` characters in all."""
    lines: list[str] = []
    left = limit
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        if len(line) >= left:
            lines.append(line[: max(left - 1, 0)].rstrip() + "…")
            break
        lines.append(line)
        left -= len(line)
    return tuple(lines)


def announcement(post: ThanksPost) -> Message:
    """HR's announcement: its title and the start of its text, with a link to the wall."""
    with in_company_language() as locale:
        return Message(
            title=_("Announcement: %(title)s", title=post.title or ""),
            lines=_short(post.body or "", MAX_ANNOUNCEMENT),
            link=absolute("thanks.index", _anchor=f"thanks-{post.id}"),
            link_text=_("Read it on the thanks wall"),
            locale=locale,
        )


def thanks_line(post: ThanksPost) -> str:
    """What one thank-you thanks its person for ("for referring our new …"), never the amount."""
    with in_company_language():
        return reason(post)


def thanks(post: ThanksPost, subject: User) -> Message:
    """A thank-you in the chat, as a card of the wall: "Thank you, Ann!" and what for."""
    with in_company_language() as locale:
        return Message(
            title=card_headline(subject.shown_name),
            lines=(reason(post),),
            link=absolute("thanks.index"),
            link_text=_("Cheer them on the thanks wall"),
            locale=locale,
        )


def _winners(challenge: Challenge) -> list[tuple[int, str]]:
    """The final top places the boards may show: (rank, name), best first; people who keep
    off the public boards are left out (as the wall leaves them out of a winners post)."""
    rows = list(
        db.session.execute(
            select(ChallengeEntrant.final_rank, User)
            .join(User, User.id == ChallengeEntrant.user_id)
            .where(
                ChallengeEntrant.challenge_id == challenge.id,
                ChallengeEntrant.final_rank.is_not(None),
                ChallengeEntrant.final_rank <= PLACES_NAMED,
            )
            .order_by(ChallengeEntrant.final_rank)
        )
    )
    hidden = hidden_user_ids(db.session, [user.id for _rank, user in rows])
    return [(int(rank), user.shown_name) for rank, user in rows if user.id not in hidden]


def challenge_results(challenge: Challenge) -> Message:
    """A final challenge's results: its top three by name, from the frozen standings."""
    with in_company_language() as locale:
        title = choose(challenge.title, challenge.title_en).text
        named = [
            _("%(place)s %(name)s", place=place_label(rank), name=name)
            for rank, name in _winners(challenge)
        ]
        if named:
            lines = (_("The challenge is over. Congratulations to the winners!"), *named)
        else:
            lines = (_("The challenge is over. The final standings are on its page."),)
        return Message(
            title=_("Results of %(challenge)s", challenge=title),
            lines=lines,
            link=absolute("challenges.detail", challenge_id=challenge.id),
            link_text=_("See the final standings"),
            locale=locale,
        )


def test_message(robot: ChatRobot) -> Message:
    """HR's "send a test message": says which robot this is and what it will send."""
    with in_company_language() as locale:
        kinds = robot_kinds(robot)
        return Message(
            title=_("Test message from %(app)s", app=current_app.config["COMPANY_NAME"]),
            lines=(
                _(
                    "This group's %(platform)s robot “%(robot)s” is set up. It will post: %(kinds)s.",
                    platform=platform_label(robot.platform),
                    robot=robot.name,
                    kinds=join_names(kinds),
                ),
            ),
            link=absolute("home.index"),
            link_text=_("Open the app"),
            locale=locale,
        )
