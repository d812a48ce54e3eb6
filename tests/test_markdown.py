from __future__ import annotations

import re

import photos
import pytest
from conftest import article, memory_build

from sitegen import markdown
from sitegen.errors import BuildFailed


def html(text: str) -> str:
    return markdown.render(text).html


def test_tables_strikethrough_and_footnotes() -> None:
    out = html("| a | b |\n|--:|---|\n| 1 | 2 |\n\n~~old~~ new[^1]\n\n[^1]: The note.\n")
    assert '<th style="text-align:right">a</th>' in out
    assert "<s>old</s>" in out
    assert '<a href="#fn1" id="fnref1">' in out
    assert '<li id="fn1" class="footnote-item"><p>The note.' in out


def test_smart_quotes_in_prose_but_not_in_code() -> None:
    out = html('"Quoted" it\'s\n\n`"code"`\n\n```\n"block"\n```\n')
    assert "\u201cQuoted\u201d it\u2019s" in out
    assert "<code>&quot;code&quot;</code>" in out
    assert "&quot;block&quot;" in out


def test_heading_ids_are_unique_and_never_take_the_pages_own() -> None:
    out = html("# Results\n\n## Results\n\n## Main\n\n## fn1\n\n## 한국 문화\n")
    assert '<h1 id="results">' in out
    assert '<h2 id="results-2">' in out
    assert '<h2 id="main-1">' in out
    assert '<h2 id="fn1-1">' in out
    assert '<h2 id="한국-문화">' in out


@pytest.mark.parametrize("raw_html", ["", "\n\nSome <b>raw</b> HTML.\n"])
def test_heading_ids_stay_unique_when_a_suffix_is_taken_too(raw_html: str) -> None:
    # The third "A" finds both "a" and "a-2" taken; "A 2" slugs to the taken "a-2".
    out = html("# A\n\n## A\n\n## A\n\n## A 2\n\n## A\n" + raw_html)
    ids = re.findall(r'<h\d id="([^"]+)"', out)
    assert ids == ["a", "a-2", "a-3", "a-2-2", "a-4"]


@pytest.mark.parametrize("hostile, forbidden", [
    ("<script>alert(1)</script>", "<script"),
    ('<img src="x" onerror="alert(1)">', "onerror"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ('<iframe src="https://evil.example"></iframe>', "<iframe"),
    ('<div style="position:fixed">x</div>', "position"),
    ('<section id="site-main">clobber</section>', 'id="site-main"'),  # may carry an id...
    ('<h2 id="main">clobber</h2>', 'id="main"'),
    ('<a id="top" href="/x">clobber</a>', 'id="top"'),  # ...but not one of the page's own
    ("<style>body{display:none}</style>", "<style"),
    ('<svg><script>alert(1)</script></svg>', "alert"),
    ("<!-- secret -->", "secret"),
    ('<form action="/x"><input name="p"></form>', "<input"),
])
def test_raw_html_is_sanitized(hostile: str, forbidden: str) -> None:
    out = html(f"Before.\n\n{hostile}\n\nAfter <b>bold</b>.\n")
    assert forbidden not in out
    assert "<b>bold</b>" in out


def test_raw_html_cannot_take_or_invent_a_footnote_id() -> None:
    out = html('Text[^1].\n\n<a id="fn1" href="/x">forged</a> <sup id="fnref9">x</sup>\n\n'
               "[^1]: The note.\n")
    assert re.findall(r'id="(fn[^"]*)"', out) == ["fnref1", "fn1"]  # the real ones, once


def test_markdown_links_with_unsafe_schemes_are_not_links() -> None:
    out = html("[x](javascript:alert(1)) [y](vbscript:x) ![z](data:text/html;base64,AAAA)")
    assert "href=" not in out and "src=" not in out


def test_benign_raw_html_survives() -> None:
    out = html('Press <kbd>Ctrl</kbd> and <abbr title="Parent Teacher">PTA</abbr>.\n')
    assert '<kbd>Ctrl</kbd>' in out and '<abbr title="Parent Teacher">PTA</abbr>' in out


def test_summary_is_the_first_paragraph_as_plain_text() -> None:
    body = markdown.render("# Head\n\nThe *first* [para](x) `code`.\n\nSecond.\n")
    assert body.summary == "The first para code."
    assert body.word_count == 6


def test_relative_links_and_images_resolve_to_site_urls(make_site) -> None:
    root = make_site({
        "sitegen.toml": 'base_url = "https://example.github.io/gazette/"\n',
        "content/news/budget.md": article("Budget", body="## The money\n\nText."),
        "content/arts/mural.md": article("Mural", section="arts", body="""
            See [the budget](../news/budget.md#the-money), [sports](/sports/) and
            ![the mural](img/mural.png) and [a pdf](files/plan.pdf).
            """),
        "content/arts/img/mural.png": photos.png(300, 200),
        "content/arts/files/plan.pdf": b"%PDF fake",
    })
    built = memory_build(root)
    page = built.pages["arts/mural/index.html"].decode()
    assert 'href="/gazette/news/budget/#the-money"' in page
    assert 'href="/gazette/sports/"' in page
    assert 'src="/gazette/arts/img/mural-300w.png"' in page  # a copy, never the original
    assert 'href="/gazette/arts/files/plan.pdf"' in page
    assert "arts/img/mural.png" not in built.files
    assert built.files["arts/files/plan.pdf"] == root / "content/arts/files/plan.pdf"


def test_broken_relative_links_are_errors_with_lines(make_site) -> None:
    root = make_site({
        "content/news/a.md": article("A", body="Intro.\n\n[gone](missing.md)\n\n![x](nope.png)\n"),
        "content/news/draft.md": article("Draft", extra="draft: true"),
        "content/news/b.md": article("B", body="[unpublished](draft.md) [up](../../x.md)"),
    })
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    assert [str(e) for e in caught.value.errors] == [
        'content/news/a.md:10: link "missing.md": there is no article content/news/missing.md',
        'content/news/a.md:12: image "nope.png" not found (looked for content/news/nope.png)',
        'content/news/b.md:8: link "../../x.md" points outside content/',
        'content/news/b.md:8: link "draft.md" goes to content/news/draft.md, which is a draft '
        "or scheduled for later, so it is not published",
    ]


@pytest.mark.parametrize(("body", "line", "kept"), [
    ("> " * 19 + "deepest words", None, True),  # as deep as markdown-it-py goes
    ("> " * 20 + "deepest words", 1, False),
    ("Intro.\n\n" + "- " * 9 + "deepest words", None, True),  # a list counts two levels
    ("Intro.\n\n" + "- " * 10 + "deepest words", 3, False),
    ("Intro.\n\n" + "".join("  " * depth + "- item\n" for depth in range(10))
     + "  " * 10 + "- deepest words\n", 12, False),
])
def test_markdown_nested_past_the_parsers_limit_is_an_error_at_its_line(
        body: str, line: int | None, kept: bool) -> None:
    """markdown-it-py leaves out, without a word, what lies past its nesting limit: that is
    an error at the line of the quote or list item that lost its text, never a story with
    words missing."""
    rendered = markdown.render(body, path="content/news/deep.md", first_line=1)
    if line is None:
        assert not rendered.errors
    else:
        assert [(error.path, error.line) for error in rendered.errors] == [
            ("content/news/deep.md", line)]
        assert "nested too deep" in str(rendered.errors[0])
    assert ("deepest words" in rendered.html) is kept


def test_a_story_nested_too_deep_fails_the_build_naming_its_line(make_site) -> None:
    """The build stops with the file and line, as for any other error in a body."""
    root = make_site({"content/news/deep.md": article(
        "Deep", body="First paragraph.\n\n" + "> " * 25 + "lost words\n")})
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    assert [str(error).split(" (")[0] for error in caught.value.errors] == [
        "content/news/deep.md:10: quotes and lists are nested too deep here"]
