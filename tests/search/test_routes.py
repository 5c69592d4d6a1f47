"""The results page: who may search, what they see, bad input, and highlighting that never
lets user text out of its escaping."""

from __future__ import annotations

import pytest

from community.accounts.models import Role
from tests.club.factories import make_member
from tests.factories import make_user
from tests.search.factories import change_post, make_topic, opening, reply


@pytest.fixture
def employee():
    return make_user(role=Role.EMPLOYEE, name="Erin Employee")


def test_anonymous_people_are_sent_to_log_in(client, corpus) -> None:
    response = client.get("/club/search?q=面试")
    assert response.status_code in (302, 401)
    assert "面试" not in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER, Role.HR])
def test_everyone_signed_in_finds_the_chinese_post(client, auth, corpus, role) -> None:
    auth.login(make_user(role=role))
    page = client.get("/club/search?q=面试技巧").get_data(as_text=True)
    assert 'data-testid="search-hit"' in page
    assert "分享几个<mark>面试</mark>的<mark>技巧</mark>" in page
    assert "1 post found" in page


def test_the_page_without_a_query_invites_one(client, auth, employee) -> None:
    auth.login(employee)
    response = client.get("/club/search")
    assert response.status_code == 200
    assert "Type a word or two" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "args",
    [
        "q=%22", "q=*", "q=-", "q=(", "q=OR", "q=%27%3B+DROP+TABLE+users%3B--", "q=" + "x" * 5000,
        "q=python&category=abc", "q=python&category=99999999999", "q=python&category=-1",
        "q=python&page=abc", "q=python&page=999999", "q=python&page=0", "q=%F0%9F%98%80",
    ],
)  # fmt: skip
def test_bad_input_is_a_page_not_an_error(client, auth, employee, corpus, args) -> None:
    auth.login(employee)
    assert client.get(f"/club/search?{args}").status_code == 200


def test_a_nul_byte_is_refused_as_everywhere_in_the_app(client, auth, employee) -> None:
    auth.login(employee)
    assert client.get("/club/search?q=a%00b").status_code == 400


def test_a_category_filters_and_unknown_ones_are_ignored(client, auth, employee, corpus) -> None:
    auth.login(employee)
    tips = client.get(f"/club/search?q=python&category={corpus['tips'].id}").get_data(as_text=True)
    assert tips.count('data-testid="search-hit"') == 1
    anything = client.get("/club/search?q=python&category=424242").get_data(as_text=True)
    assert anything.count('data-testid="search-hit"') == 2


def test_htmx_gets_only_the_results(client, auth, employee, corpus) -> None:
    auth.login(employee)
    response = client.get("/club/search?q=python", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="search-results"')
    assert "HX-Request" in response.headers.get("Vary", "")


def test_chinese_pages(client, auth, employee, corpus) -> None:
    auth.login(employee)
    client.post("/language", data={"locale": "zh"})
    page = client.get("/club/search?q=python").get_data(as_text=True)
    assert "<mark>Python</mark>" in page


def test_nothing_hidden_or_deleted_shows_even_to_its_author_hr_or_a_moderator(client, auth) -> None:
    author = make_user(name="Ann Author")
    topic = make_topic("秘密话题 unique", "隐藏内容 secretword", author=author)
    kept = reply(topic, "secretword in a visible reply", author=author)
    change_post(opening(topic), "hidden", hidden_at=topic.created_at)
    for viewer in (author, make_user(role=Role.HR)):
        auth.login(viewer)
        page = client.get("/club/search?q=secretword").get_data(as_text=True)
        assert page.count('data-testid="search-hit"') == 1
        assert "隐藏内容" not in page
        auth.logout()
    change_post(kept, "deleted", deleted_at=topic.created_at)
    auth.login(author)
    assert "No posts found" in client.get("/club/search?q=secretword").get_data(as_text=True)


XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<mark>fake</mark>",
    "javascript:alert(1)",
    "<svg/onload=alert(1)>",
    "&lt;script&gt;",
    "' onmouseover='alert(1)",
]


@pytest.mark.parametrize("payload", XSS)
def test_xss_in_titles_and_bodies_never_escapes_highlighting(
    client, auth, employee, payload
) -> None:
    make_topic(f"xsstitle {payload} alert", f"xssbody {payload} alert script onerror mark")
    auth.login(employee)
    for q in ("alert", "script", "onerror", "mark", "img", "svg", "xsstitle"):
        page = client.get(f"/club/search?q={q}").get_data(as_text=True)
        assert "<script>alert" not in page
        assert "<img src=x" not in page and "<svg/onload" not in page
        assert "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
        assert "<mark>fake</mark>" not in page
        assert page.count("<mark>") == page.count("</mark>")  # every mark is ours, balanced


def test_a_post_the_index_missed_is_still_never_shown(client, auth, employee, caplog) -> None:
    """A write that went round the forum's services (no event): the page drops the post."""
    from community.extensions import db
    from community.forum.models import ForumPost

    topic = make_topic("missed topic", "staleword here")
    post = opening(topic)
    db.session.execute(
        ForumPost.__table__.update()
        .where(ForumPost.id == post.id)
        .values(deleted_at=topic.created_at)
    )
    db.session.commit()
    auth.login(employee)
    page = client.get("/club/search?q=staleword").get_data(as_text=True)
    assert 'data-testid="search-hit"' not in page
    assert "search index out of step" in caplog.text


def test_the_security_xss_corpus_never_gets_out_of_the_results(client, auth, employee) -> None:
    """tests/security's Markdown attacks as titles and bodies, and as the query itself: the
    results fragment holds only the template's own tags, <mark>, and links of our own."""
    from tests.security.test_user_content import MARKDOWN_ATTACKS, Inspector

    for attack in MARKDOWN_ATTACKS:
        make_topic(f"corpus {attack}"[:200], f"corpus body {attack}")
    auth.login(employee)
    allowed = {"div", "p", "ol", "li", "h2", "a", "span", "i", "mark", "nav", "ul"}
    queries = ["corpus", "script alert", "javascript", "onerror", "img", *MARKDOWN_ATTACKS[:8]]
    for q in queries:
        response = client.get("/club/search", query_string={"q": q}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        inspector = Inspector()
        inspector.feed(response.get_data(as_text=True))
        for tag, attrs in inspector.tags:
            assert tag in allowed, (q, tag)
            assert not any(name.startswith("on") for name in attrs), (q, tag, attrs)
            href = attrs.get("href")
            assert href is None or href.startswith("/"), (q, href)


def test_a_club_member_is_marked_next_to_their_name_in_the_results(client, auth, employee) -> None:
    member = make_member(make_user(name="Mia Member"))
    make_topic("Python 面试", "会员分享的面试经验", author=member)
    make_topic("Python 面试题", "同事分享的面试题", author=employee)
    auth.login(employee)
    page = client.get("/club/search?q=面试").get_data(as_text=True)
    assert page.count('data-testid="search-hit"') == 2
    assert page.count('data-testid="club-mark-member"') == 1
    assert "Mia Member <span" in page


@pytest.mark.parametrize(
    ("locale", "count", "ranked"),
    [
        (
            "en",
            "More than 3 posts found",
            "The newest 3 are ranked: add a word to narrow the search.",
        ),
        ("zh", "找到超过 3 个帖子", "只对最新的 3 个排序：再加一个词可以缩小范围。"),
    ],
)
def test_past_the_ranked_matches_the_page_says_more_than(
    client, auth, employee, corpus, monkeypatch, locale, count, ranked
) -> None:
    from community.search import queries

    monkeypatch.setattr(queries, "MAX_RANKED", 3)
    auth.login(employee)
    client.post("/language", data={"locale": locale})
    page = client.get("/club/search?q=面试").get_data(as_text=True)
    assert count in page and ranked in page
    assert page.count('data-testid="search-hit"') == 3
    monkeypatch.setattr(queries, "MAX_RANKED", 4)
    page = client.get("/club/search?q=面试").get_data(as_text=True)
    assert "More than" not in page and "超过" not in page
