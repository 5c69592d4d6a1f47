"""Segmentation and the normal form both engines index."""

from __future__ import annotations

from community.search import text


def test_chinese_is_segmented_and_latin_lowercased() -> None:
    assert text.index_tokens("分享几个面试的技巧，Python 面试!") == [
        "分享", "几个", "面试", "的", "技巧", "python", "面试",
    ]  # fmt: skip


def test_a_long_word_is_asked_for_by_the_words_inside_it() -> None:
    assert text.query_words("面试技巧") == [["面试"], ["技巧"]]
    assert text.query_words("中华人民共和国") == [["中华", "华人", "人民", "共和", "共和国"]]


def test_the_referral_words_are_words() -> None:
    assert "内推" in text.index_tokens("欢迎内推")


def test_tokens_are_letters_and_digits_only() -> None:
    tokens = text.index_tokens("C++/C#; e-mail: a.b@x.com ＰＹＴＨＯＮ３ 😀 <script>")
    assert all(token.isalnum() and token == token.lower() for token in tokens)
    assert "python3" in tokens and "script" in tokens


def test_markdown_is_made_plain_and_raw_html_stays_text() -> None:
    plain = text.plain_text("# 标题\n\n**粗体** and [a link](https://x.example) <b>raw</b> &amp;")
    assert plain == "标题 粗体 and a link <b>raw</b> &"
    assert text.plain_text("自我介绍要**简短**，\n\n- 一\n- 二") == "自我介绍要简短， 一 二"


def test_compact_keeps_spaces_only_between_latin_words() -> None:
    assert text.compact("Python, interview — 面试 的技巧!") == "python interview面试的技巧"


def test_matches_whole_latin_words_and_chinese_anywhere() -> None:
    spans = list(text.matches("Go is good; 面试的技巧 go", ["go", "技巧"]))
    assert spans == [(0, 2), (15, 17), (18, 20)]


SAMPLES = [
    "分享几个面试的技巧", "a\nb  c", "1. first\n2. second", "10) x", "    code block", "line\n===",
    "line\n---", "# title", "> quote", "**b** _i_", "[a](b)", "<b>x</b>", "&amp; &lt;", "a  \nb",
    "x * y", "a_b_c", "`c`", "!img", "~~s~~", "| t |", "+ item", "- item", "* item", "2026年12月",
    "Python 3.11 is out.", "email a@b.com", "http://x.example/a?b=c", "3.5 stars", "\tindent",
    "第一段\n\n第二段", "  leading", "trailing  ",
]  # fmt: skip


def test_the_fast_path_gives_what_the_renderer_gives() -> None:
    """plain_text skips the renderer for text without Markdown: the same text either way."""
    for sample in SAMPLES:
        assert text.plain_text(sample) == text.rendered_plain(sample), sample
