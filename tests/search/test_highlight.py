"""Highlighting: the query's words in <mark>, everything else escaped, a snippet around the
first match."""

from __future__ import annotations

from markupsafe import Markup

from community.search.highlight import BEFORE, LENGTH, Highlighter, marked, snippet
from community.search.query import parse


def test_words_are_marked_latin_ones_whole_and_in_any_case() -> None:
    out = marked("Python 面试 and pythonic PYTHON", parse("python 面试"))
    assert isinstance(out, Markup)
    assert out == "<mark>Python</mark> <mark>面试</mark> and pythonic <mark>PYTHON</mark>"


def test_a_prefix_marks_the_start_of_longer_words() -> None:
    assert marked("面试官 and AIM", parse("面")) == "<mark>面</mark>试官 and AIM"
    assert marked("aim AI", parse("ai")) == "<mark>ai</mark>m <mark>AI</mark>"


def test_the_text_is_escaped_and_only_mark_is_a_tag() -> None:
    out = marked("<script>alert('x')</script> & \"python\" <mark>", parse("python script"))
    assert out == (
        "&lt;<mark>script</mark>&gt;alert(&#39;x&#39;)&lt;/<mark>script</mark>&gt; &amp; "
        "&#34;<mark>python</mark>&#34; &lt;mark&gt;"
    )


def test_an_entity_is_not_found_inside_the_escaped_text() -> None:
    assert marked("a & b", parse("amp")) == "a &amp; b"


def test_overlapping_and_touching_matches_are_one_mark() -> None:
    # 面试官 (a prefix of 面试 and the word 面试官) and 试官 overlap: one mark over all of them
    query = parse("面试官 试官")
    assert marked("新面试官来了", query).count("<mark>") == 1


def test_a_text_without_a_match_is_escaped_whole() -> None:
    assert marked("<b>nothing</b>", parse("python")) == "&lt;b&gt;nothing&lt;/b&gt;"
    assert snippet("", parse("python")) == ""


def test_a_snippet_starts_a_little_before_the_first_match_at_a_word() -> None:
    text = "word " * 30 + "python here"
    out = snippet(text, parse("python"))
    assert out.startswith("…") and "<mark>python</mark> here" in out
    before = str(out)[1 : str(out).index("<mark>")]
    assert before.startswith("word ") and len(before) <= BEFORE  # cut at a space, not inside


def test_a_long_text_is_cut_after_length_characters_with_an_ellipsis() -> None:
    text = "面试 " + "长" * 500
    out = snippet(text, parse("面试"))
    assert out.startswith("<mark>面试</mark>") and out.endswith("…")
    assert len(str(out).replace("<mark>", "").replace("</mark>", "")) == LENGTH + 1


def test_a_match_cut_by_the_snippets_end_is_marked_up_to_it() -> None:
    text = "面试" + "x" * (LENGTH - 3) + "面试 and more"
    out = snippet(text, parse("面试"))
    assert out == "<mark>面试</mark>" + "x" * (LENGTH - 3) + "<mark>面</mark>…"


def test_a_snippet_of_a_short_text_is_the_whole_text() -> None:
    assert snippet("分享几个面试的技巧", parse("面试技巧")) == (
        "分享几个<mark>面试</mark>的<mark>技巧</mark>"
    )


def test_one_highlighter_serves_every_hit_of_a_page() -> None:
    marks = Highlighter(parse("python"))
    assert [marks.marked(t) for t in ("python", "Go", "<python>")] == [
        "<mark>python</mark>",
        "Go",
        "&lt;<mark>python</mark>&gt;",
    ]
