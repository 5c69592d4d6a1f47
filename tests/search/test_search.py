"""One corpus, the same results: this file runs on SQLite and on PostgreSQL (TEST_DATABASE_URL),
and every expected list below is exact and ordered, so both engines find and rank alike."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from community.search import queries
from community.search.query import parse
from tests.search.factories import make_category, make_topic


def found(q: str, **kwargs) -> list[str]:
    results = queries.search(q, **kwargs)
    return [f"{_plain(hit.title)}#{hit.number}" for hit in results.hits]


def _plain(markup) -> str:
    return str(markup).replace("<mark>", "").replace("</mark>", "")


CASES = [
    # 面试技巧 is found in "分享几个面试的技巧" (a title: its opening post)
    ("面试技巧", ["分享几个面试的技巧#1"]),
    # mixed Chinese and English: both words, in any post; the newest first
    ("Python 面试", ["分享几个面试的技巧#2"]),
    ("python", ["Python 后端岗位内推#1", "分享几个面试的技巧#2"]),
    # a title match ranks first, then the newest
    (
        "面试",
        [
            "分享几个面试的技巧#1",
            "Java or Go?#1",
            "Python 后端岗位内推#2",
            "分享几个面试的技巧#2",
        ],
    ),
    ("interview", ["Python 后端岗位内推#1", "分享几个面试的技巧#3"]),
    ("INTERVIEW", ["Python 后端岗位内推#1", "分享几个面试的技巧#3"]),
    # OR: more terms matched first
    ("内推 OR 面试官", ["Python 后端岗位内推#1", "Java or Go?#1"]),  # 内推 in a title
    ("python OR java", ["Java or Go?#1", "Python 后端岗位内推#1", "分享几个面试的技巧#2"]),
    # exclusion, phrase, prefix
    ("python -内推", ["分享几个面试的技巧#2"]),
    ('"two rounds"', ["Python 后端岗位内推#1"]),
    ('"rounds two"', []),
    ('"面试的技巧"', ["分享几个面试的技巧#1"]),
    ("interview*", ["Java or Go?#1", "Python 后端岗位内推#1", "分享几个面试的技巧#3"]),
    # the words jieba was taught
    ("内推", ["Python 后端岗位内推#1"]),
    ("nothing-here", []),
]


@pytest.mark.parametrize(("q", "expected"), CASES)
def test_the_same_corpus_finds_the_same_posts_in_the_same_order(corpus, q, expected) -> None:
    assert found(q) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # one or two characters: words that start with them
        (
            "面",
            [
                "分享几个面试的技巧#1",
                "Java or Go?#1",
                "Python 后端岗位内推#2",
                "分享几个面试的技巧#2",
            ],
        ),
        ("go", ["Java or Go?#1"]),
        ("Ja", ["Java or Go?#1"]),
        ("写", ["如何写推荐理由#1"]),
        ("推荐", ["如何写推荐理由#1"]),
    ],
)
def test_a_short_query_is_a_prefix_search(corpus, q, expected) -> None:
    assert parse(q).short
    assert found(q) == expected


def test_a_category_filters(corpus) -> None:
    assert found("面试", category_id=corpus["tips"].id) == [
        "分享几个面试的技巧#1",
        "分享几个面试的技巧#2",
    ]


def test_pages(corpus) -> None:
    first = queries.search("面试", per_page=3)
    second = queries.search("面试", page=2, per_page=3)
    assert (first.total, first.pages, len(first.hits)) == (4, 2, 3)
    assert [h.post_id for h in second.hits] == [queries.search("面试", per_page=4).hits[3].post_id]
    beyond = queries.search("面试", page=9, per_page=3)
    assert beyond.hits == [] and beyond.total == 4


BAD = [
    '"', "*", "-", "(", ")", "()", '""', "-*", "OR", "NOT", "AND", "OR OR python", "python OR",
    "NOT python", "-python", "python NOT", "'; DROP TABLE forum_posts; --", "\" OR 1=1 --",
    "a' OR 'a'='a", "%", "_", "%_%", "\\", "python*)", "(python", "^python", "python:*", "!",
    "&|!", "<->", "'", "':*", "NEAR(a b)", "a:b", "{a b}", "col:python", "😀", "\x00", "a" * 500,
    "面试 " * 50, "-\"", "\"-\"", "ＯＲ", "\u200b", "1e5", "0x1f", "¹²³", "ǅ", "ﬁ",
]  # fmt: skip


@pytest.mark.parametrize("q", BAD)
def test_bad_query_syntax_never_errors(corpus, q) -> None:
    results = queries.search(q)
    assert results.total == len(results.hits) or results.total > len(results.hits)


def test_only_the_newest_matches_are_ranked_and_counted_past_the_limit(corpus, monkeypatch) -> None:
    monkeypatch.setattr(queries, "MAX_RANKED", 3)
    results = queries.search("面试", per_page=2)
    # the three newest of the four: the oldest (the title match) is not among them
    assert [_plain(h.title) + f"#{h.number}" for h in results.hits] == [
        "Java or Go?#1",
        "Python 后端岗位内推#2",
    ]
    # counted up to one past the limit: "more than 3", not how many more
    assert (results.total, results.capped, results.pages) == (4, True, 2)
    assert queries.search("面试", category_id=corpus["tips"].id, per_page=2).total == 2
    monkeypatch.setattr(queries, "MAX_RANKED", 2)
    assert (queries.search("面试").total, queries.search("面试").capped) == (3, True)
    monkeypatch.setattr(queries, "MAX_RANKED", 4)
    whole = queries.search("面试")
    assert (whole.total, whole.capped, len(whole.hits)) == (4, False, 4)


def test_a_page_past_the_last_still_says_how_many_match(corpus) -> None:
    beyond = queries.search("python", page=5, per_page=1)
    assert (beyond.hits, beyond.total) == ([], 2)


WINDOWED = ["面试", "python", "interview*", "python OR java", "python -内推", '"面试的技巧"']


@pytest.mark.parametrize("category", [None, "tips"], ids=["everywhere", "in-a-category"])
@pytest.mark.parametrize("density", [0.5, 0.01], ids=["key-walked", "bitmap-and-range"])
@pytest.mark.parametrize("q", WINDOWED)
def test_on_postgresql_every_range_of_newest_posts_gives_the_same_page(
    app, corpus, monkeypatch, q, density, category
) -> None:
    """PostgreSQL looks among the newest posts first (a share of them sized from the planner's
    estimates, `_estimate`), then the rest: whatever the share and however the range is read,
    the posts found, their order and the count are those of one pass over every match."""
    from community.extensions import db

    if db.engine.dialect.name != "postgresql":
        pytest.skip("the range of newest posts is PostgreSQL's (FTS5 walks its list backwards)")
    monkeypatch.setattr(queries, "MAX_RANKED", 3)
    wanted = 4 * queries.WIDER
    monkeypatch.setattr(queries, "_estimate", lambda *args: (1.0, 100.0))  # few: one pass
    where = {"category_id": corpus[category].id} if category else {}
    first = queries.search(q, **where)
    expected = [(h.post_id, h.number) for h in first.hits], first.total
    ids = db.session.scalars(text("SELECT post_id FROM forum_search_documents")).all()
    span = max(ids) - min(ids) + 1
    for part in range(1, span + 2):  # from one id to all of them and past, one more each time
        matching = wanted * span / part  # makes the share part / span
        monkeypatch.setattr(queries, "_estimate", lambda *a, m=matching: (m, m / density))
        found = queries.search(q, **where)
        assert ([(h.post_id, h.number) for h in found.hits], found.total) == expected, part


def test_on_postgresql_the_estimates_come_from_the_planner(app, monkeypatch) -> None:
    from community.extensions import db

    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's planner estimate")
    category = make_category()
    for n in range(60):
        make_topic(f"话题 {n}", "面试 经验" if n % 2 else "别的 内容", category=category)
    db.session.execute(text("ANALYZE forum_search_documents"))
    where = "d.search_vector @@ to_tsquery('simple', :match)"
    matching, posts = queries._estimate(where, {"match": "'面试'"})
    assert 20 <= matching <= 40 and posts == 60  # 30 of 60 match
    assert queries._estimate(where, {"match": "'没有'"})[0] < 3
    # and the search itself, through the range: the newest five ranked, one more counted
    monkeypatch.setattr(queries, "MAX_RANKED", 5)
    found = queries.search("面试")
    assert found.total == 6 and found.capped
    newest = db.session.scalars(
        text(
            "SELECT post_id FROM forum_search_documents WHERE terms LIKE '% 面试 %' "
            "ORDER BY post_id DESC LIMIT 5"
        )
    ).all()
    assert [h.post_id for h in found.hits] == newest


def test_on_postgresql_a_plan_without_the_estimates_reads_every_match(app, caplog) -> None:
    from community.extensions import db

    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's planner estimate")
    # a condition the planner knows is false leaves one branch: no pair of estimates
    assert queries._estimate("1 = 0", {}) == (0.0, 0.0)
    assert "no estimate in the plan" in caplog.text
