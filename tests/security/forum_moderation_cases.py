"""The forum moderation routes for the security tests: a colleague's post to flag (for the pages
every role reaches) and the moderators' routes as rows (endpoint, method, path, status for a
moderator or HR, data, done), read by tests/security/test_forum_moderation.py."""

from __future__ import annotations

from typing import Any

from community.accounts.models import Role
from community.extensions import db
from community.forum.models import ForumPost
from community.forum.moderation import services
from tests.factories import make_user
from tests.forum.moderation.factories import make_reply, make_topic
from tests.security.conftest import Company


def _post(company: Company) -> int:
    """A reply by a colleague outside the company's roles, flagged by the employee (made once per
    test); the referrer asked the question."""
    if "forum_post_id" not in company.__dict__:
        author = make_user(Role.EMPLOYEE, company.department, name="Forum Author Fei")
        topic = make_topic(company.referrer, "How do you write a referral?")
        reply = make_reply(topic, author, "Visit my shop at spam.example")
        services.flag_post(company.employee, reply.id, "spam")
        company.__dict__["forum_post_id"] = reply.id
    return company.__dict__["forum_post_id"]


def _hidden(company: Company) -> int:
    post_id = _post(company)
    services.hide_post(company.hr, post_id, "Advertising")
    return post_id


def _queue(company: Company) -> str:
    """The queue, with the flagged post waiting in it."""
    _post(company)
    return "/club/moderation/"


def flag_page(company: Company) -> str:
    return f"/club/moderation/posts/{_post(company)}/flag"


def _state(company: Company) -> ForumPost:
    db.session.expire_all()
    return db.session.get(ForumPost, company.__dict__["forum_post_id"])


def _flags_open(company: Company) -> int:
    return services.open_flag_count(company.__dict__["forum_post_id"])


MODERATOR_ROWS: list[tuple[Any, ...]] = [
    (
        "forum_moderation.queue",
        "GET",
        _queue,
        200,
        lambda c: {},
        lambda c: True,
    ),
    (
        "forum_moderation.log",
        "GET",
        lambda c: "/club/moderation/log",
        200,
        lambda c: {},
        lambda c: True,
    ),
    (
        "forum_moderation.dismiss",
        "POST",
        lambda c: f"/club/moderation/posts/{_post(c)}/dismiss",
        303,
        lambda c: {},
        lambda c: _flags_open(c) == 0 and _state(c).hidden_at is None,
    ),
    (
        "forum_moderation.hide",
        "POST",
        lambda c: f"/club/moderation/posts/{_post(c)}/hide",
        303,
        lambda c: {"reason": "Advertising"},
        lambda c: _state(c).hidden_reason == "Advertising",
    ),
    (
        "forum_moderation.delete",
        "POST",
        lambda c: f"/club/moderation/posts/{_post(c)}/delete",
        303,
        lambda c: {"reason": "Advertising"},
        lambda c: _state(c).deleted_at is not None,
    ),
    (
        "forum_moderation.restore",
        "POST",
        lambda c: f"/club/moderation/posts/{_hidden(c)}/restore",
        303,
        lambda c: {},
        lambda c: _state(c).hidden_at is None,
    ),
]
