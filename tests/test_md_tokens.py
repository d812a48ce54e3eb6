"""markdown-it.rs's tree, turned into tokens (``md_tokens``), gives what markdown-it-py gave
with the configuration sitegen used before: the same tokens for sitegen's rules and the
lint, the same HTML, the same links; and no input crashes it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from sitegen import markdown, md_tokens

# The parser sitegen used before markdown-it.rs: the reference.
REFERENCE = MarkdownIt("commonmark", {"html": True, "typographer": True}).enable(
    ["table", "strikethrough", "replacements", "smartquotes"]).use(footnote_plugin)

DOCUMENTS = [
    "Plain *emphasis*, __strong__, ***both***, ~~struck~~, `code` and ``more `code` ``.",
    "A [link](/a \"T\") and [another](https://example.org/x?y=1 'Title') in *prose*.",
    "\"Quotes\" and 'single' -- dashes --- and... (c) (tm) +- it's",
    "Line one\nline two  \nline three\\\nline four",
    "# One\n\n## Two ##\n\nSetext\n======\n\nOther\n-----",
    "- a\n- b\n  - c\n  - d\n- e",
    "1. one\n2. two\n\n   more\n3. three",
    "3) three\n4) four",
    "> quote\n> more\n>\n> > nested *quote*\n\n> lazy\ncontinued",
    "- item\n\n  > quoted in a list\n\n  ```py\n  code()\n  ```",
    "| a | b | c |\n|:--|:-:|--:|\n| 1 | *2* | 3 |\n| 4 | 5 |",
    "| head |\n| --- |",
    "    indented code\n    \"quoted\"\n\n```\nfenced \"code\"\n```\n\n~~~js info\nx\n~~~",
    "<div class=\"x\">\n*raw*\n</div>\n\nInline <b>bold</b> and <!-- comment -->.",
    "&copy; &amp; &#35; &#x41; &bogus; &nbsp;x",
    "<https://example.org/a?b=c> and <someone@example.org> and <mailto:x@y.z>",
    "![alt *text*](/photo.jpg \"Caption -- Photo: Name\") and ![](/empty.jpg)",
    "[ref link][r] and [collapsed][] and [shortcut]\n\n[r]: /r \"Title\"\n[collapsed]: /c\n"
    "[shortcut]: <https://example.org/s p>",
    "Text[^1] and again[^1] and[^note].\n\n[^1]: First *note*.\n\n[^note]: Second.\n\n"
    "    with code\n\n[^unused]: never cited",
    "Inline note^[with *emphasis*] here.",
    "Twice defined[^a].\n\n[^a]: The first.\n\n[^a]: The second, which markdown-it-py keeps.",
    "Text.\n\n[^n]: A note that only cites itself[^n].",
    "Cited by a note[^a].\n\n[^a]: See also[^b].\n\n[^b]: The other.",
    "***\n\n---\n\n___",
    "Hard break at end  \n\nEmpty link [](/x) and [text]() and [a](<>)",
    "*a **b** c* **a *b* c** _a_b_ a*b*c",
    "A [link with `code` and ![img](/i.jpg)](/l) inside.",
    "Unicode: 한국어 *강조* “typed quotes” — and éàü.\n\n[링크](/기사/한국어)",
    "- [ ] not a task list\n- [x] either\n\nTerm\n: not a definition",
    "Tabs\tin\ttext\n\n\tindented by tab\n\n*\titem",
    "\\*escaped\\* \\[not a link\\](x) \\\\ backslash",
    "a\r\nwindows\rold mac\0nul",
    "",
    "   \n\n  ",
]


# What markdown-it-py parses instead (see md_tokens): each is here to show that it renders as
# before; every other document goes through markdown-it.rs (asserted).
FALLBACK = {
    "Inline note^[with *emphasis*] here.",
    "Twice defined[^a].\n\n[^a]: The first.\n\n[^a]: The second, which markdown-it-py keeps.",
    "Text.\n\n[^n]: A note that only cites itself[^n].",
    "Cited by a note[^a].\n\n[^a]: See also[^b].\n\n[^b]: The other.",
    "A [link with `code` and ![img](/i.jpg)](/l) inside.",
}


@contextmanager
def fallbacks() -> Iterator[list[str]]:
    """The bodies that markdown-it-py parsed in the block, markdown-it.rs not."""
    parsed: list[str] = []
    parse = md_tokens.MARKDOWN_IT.parse

    def spy(src: str, env: Any = None) -> list[Token]:
        parsed.append(src)
        return parse(src, env)

    md_tokens.MARKDOWN_IT.parse = spy  # type: ignore[method-assign]
    try:
        yield parsed
    finally:
        del md_tokens.MARKDOWN_IT.parse


def reference(src: str) -> tuple[list[Token], dict[str, Any]]:
    env: dict[str, Any] = {}
    return REFERENCE.parse(src, env), env


def ours(src: str) -> tuple[list[Token], dict[str, Any]]:
    env: dict[str, Any] = {}
    return md_tokens.parse(src, env), env


def html(tokens: list[Token], env: dict[str, Any]) -> str:
    return markdown._MD.renderer.render(tokens, markdown._MD.options, env)


def stock_html(tokens: list[Token], env: dict[str, Any]) -> str:
    """The HTML of markdown-it-py's own renderer (sitegen's renders the same with less
    work, markdown._Renderer), with sitegen's render rules."""
    renderer = markdown._MD.renderer
    assert type(renderer) is markdown._Renderer
    renderer.__class__ = RendererHTML
    try:
        return renderer.render(tokens, markdown._MD.options, env)
    finally:
        renderer.__class__ = markdown._Renderer


def shape(tokens: list[Token]) -> list[tuple[Any, ...]]:
    """What sitegen's rules, the renderer and the lint read of the tokens."""
    out = []
    for token in tokens:
        # (markdown-it-py leaves empty text where emphasis delimiters were, and the markup
        # of the first entity or escape on text they were joined into)
        children = [(c.type, c.tag, c.nesting, c.content, c.attrs, c.meta,
                     "" if c.type == "text" else c.markup,
                     [(g.type, g.content) for g in c.children or []])
                    for c in token.children or [] if c.type != "text" or c.content]
        lines = token.content.count("\n") if token.type == "inline" else token.content
        out.append((token.type, token.tag, token.nesting, token.level, token.attrs,
                    token.meta, token.hidden, token.block, token.map and token.map[0],
                    lines, children))
    return out


@pytest.mark.parametrize("src", DOCUMENTS)
def test_the_same_tokens_and_html_as_markdown_it_py(src: str) -> None:
    expected, expected_env = reference(src)
    with fallbacks() as parsed:
        got, got_env = ours(src)
    assert bool(parsed) == (src in FALLBACK)
    assert shape(got) == shape(expected)
    assert html(got, got_env) == stock_html(expected, expected_env)
    assert {k: (v["href"], v["title"], v["map"]) for k, v in
            got_env.get("references", {}).items()} == {
        k: (v["href"], v["title"], v["map"]) for k, v in
        expected_env.get("references", {}).items()}


def test_code_keeps_its_quotes_when_prose_curls_them() -> None:
    tokens, _ = ours('"prose" `"code" (c) --` ``` `` ``` ` " spaced " `')
    codes = [c.content for c in tokens[1].children if c.type == "code_inline"]
    assert codes == ['"code" (c) --', "``", '" spaced "']
    assert "\u201cprose\u201d" in tokens[1].children[0].content


URLS = [
    "https://example.org/story/12", "/news/budget/?page=2#top", "../arts/mural.md#credits",
    "https://user@example.org/", "mailto:Someone@Bücher.de", "https://example.org/a%20b",
    "https://example.org/100%", "https://example.org/%zz", "/a%2", "https://ex%41mple.org/",
    "https://bücher.de/", "https://BÜCHER.de/", "http://例え.テスト/パス", "https://例え。テスト/",
    "/한국어/기사/", "https://xn--bcher-kva.de/", "https://ſtory.example/",
    "https://example.org/a b", "https://example.org/a<b>", "https://example.org/{x}|^`",
    "https://[::1]/", "https://[2001:db8::1]:8443/x", "http://[::1", "javascript:alert(1)",
    "data:image/png;base64,AAAA", "data:text/html,x", "file:///etc/x", "//example.org/x",
    "\u00a0/x", "/x\u3000", "/기사\u3000", "https://example.org/\t",
]


@pytest.mark.parametrize("url", URLS)
def test_links_and_images_point_where_markdown_it_py_pointed(url: str) -> None:
    """Hosts in punycode, escapes kept, unsafe schemes refused, spaces around dropped."""
    for src in (f"[a](<{url}>)", f"![a](<{url}>)", f"[a]\n\n[a]: <{url}>", f"<{url}>"):
        expected = reference(src)
        with fallbacks() as parsed:
            got = ours(src)
        assert html(*got) == html(*expected), src
        assert not parsed or "`" in url  # (a backtick beside a bracket: see md_tokens)


# Where the two parsers differ, by design or by the Rust parser's own reading, and what
# sitegen now writes: none is a broken link.
KNOWN = [
    ("[a](https://@example.org)", '<a href="https://@example.org">a</a>'),
    ("[a](< https://example.org/>)", '<a href="%20https://example.org/">a</a>'),
]


@pytest.mark.parametrize(("src", "written"), KNOWN)
def test_known_differences(src: str, written: str) -> None:
    assert written in html(*ours(src))
    assert written not in html(*reference(src))


# Documents as reporters write them: words with emphasis, links, photos, quotes, notes and
# raw HTML, in paragraphs, headings, lists, quotes, tables and code. (On malformed markup,
# "~~~~" runs or a "1." alone after a quoted line, the two parsers can differ: each reads
# CommonMark its own way there.)
WORD = st.sampled_from(["word", "Story", "é", "한국어", "students'", "it's", "100%", "2026",
                        "a&b", "x_y", "(c)", "--", "...", "?!", ":", ";", "1.", "#tag"])
PLAIN = [WORD, WORD.map("*{}*".format), WORD.map("**{}**".format), WORD.map("_{}_".format),
         WORD.map("~~{}~~".format), WORD.map("\"{}\"".format), WORD.map("'{}'".format),
         WORD.map("<b>{}</b>".format), st.sampled_from(["&amp;", "&copy;", "\\*",
                                                        "<https://example.org>", "\n", "  \n"])]
# A body mixing brackets and code spans goes to markdown-it-py: a document has one or the
# other, and at most one note, which cites no note.
LINKS = [WORD.map("[{}](/news/a)".format), WORD.map("[{}](https://example.org/x?q=1)".format),
         WORD.map("![{}](/p.jpg)".format), st.sampled_from(["[^n]", "[r]"])]
LINKED = st.lists(st.one_of(*PLAIN, *LINKS), min_size=1, max_size=10).map(" ".join)
CODED = st.lists(st.one_of(*PLAIN, WORD.map("`{}`".format)), min_size=1, max_size=10
                 ).map(" ".join)
NOTE = st.lists(st.one_of(*PLAIN), min_size=1, max_size=10).map(" ".join).map(
    "[^n]: {}".format)


def blocks(prose: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        prose, prose.map("# {}".format), prose.map("## {}".format), prose.map("> {}".format),
        st.lists(prose, min_size=1, max_size=3).map(
            lambda items: "\n".join(f"- {item}" for item in items)),
        st.lists(prose, min_size=1, max_size=3).map(lambda items: "\n\n".join(
            f"{n}. {item}" for n, item in enumerate(items, 1))),
        prose.map("- item\n  - {}".format), prose.map("| a | b |\n|---|:-:|\n| {} | x |".format),
        prose.map("<div>\n{}\n</div>".format), st.just("```\ncode \"x\"\n```"),
        st.just("***"))


DOCUMENT = st.one_of(
    st.tuples(st.lists(blocks(LINKED), max_size=6), st.sampled_from(["", "[r]: /ref 'Title'"]),
              st.one_of(st.just(""), NOTE)).map(
        lambda parts: "\n\n".join([*parts[0], parts[1], parts[2]])),
    st.lists(blocks(CODED), max_size=6).map("\n\n".join))


def test_any_document_renders_as_markdown_it_py_rendered_it() -> None:
    documents: list[str] = []

    @settings(max_examples=1500, deadline=None, derandomize=True)
    @given(DOCUMENT)
    @example("Text[^n]\n\n[^n]: note [^n]")
    @example("\"Open\n\nclose\" -- 'a\n\n- \"b\"")
    def renders_alike(src: str) -> None:
        documents.append(src)
        expected = reference(src)
        assert html(*ours(src)) == stock_html(*expected)

    with fallbacks() as parsed:
        renders_alike()
    # The proof is of the converter: nearly every document went through it (the first
    # example above goes to markdown-it-py, a note citing a note; so does a citation
    # written in raw HTML, which the check on the notes' count cannot tell from text).
    assert len(documents) > 1000 and len(parsed) <= len(documents) // 50


def test_deep_nesting_is_left_to_markdown_it_py_which_stops_where_it_stopped() -> None:
    """markdown-it.rs parses these (few openers), and the converter gives them up when it
    meets the nesting; shallower ones it keeps."""
    for deep, given_up in [("> " * 25 + "deep", True), ("- " * 12 + "deep", True),
                           ("*a " * 25 + "deep" + " a*" * 25, True),
                           ("> - " * 6 + "[*~~x~~*](/l)", True),
                           ("> " * 3 + "- " + "[*~~x~~*](/l)", False)]:
        assert md_tokens._rust_can(deep)
        expected = reference(deep)
        with fallbacks() as parsed:
            got = ours(deep)
        assert bool(parsed) == given_up, deep
        assert shape(got[0]) == shape(expected[0])
        assert html(*got) == html(*expected)


def test_what_markdown_it_rs_panics_on_is_left_to_markdown_it_py() -> None:
    """markdown-it.rs panics on ``^[`` nested a few hundred times (and its time grows with
    the cube of their number), and on a backtick left open in a link's text."""
    for src in ("^[" * 500 + "a" + "]" * 500, "Text^[note ^[inside]] and [^1].\n\n[^1]: One",
                "x [` y", "See [the `code](/x) and `more`", "[a](/x)\n\n```\n`[\n```"):
        assert not md_tokens._rust_can(src)  # kept from it before it is asked
        expected, got = reference(src), ours(src)
        assert html(*got) == html(*expected)


def test_a_body_the_rust_parser_fails_on_is_parsed_by_markdown_it_py(
        monkeypatch: pytest.MonkeyPatch) -> None:
    class PanicException(BaseException):  # what PyO3 raises for a panic in Rust
        pass

    asked: list[str] = []

    class Failing:
        def tree(self, src: str) -> None:
            asked.append(src)
            raise PanicException("begin <= end")

    src = "Some *text* with a [link](/a) and a note[^1].\n\n[^1]: The note."
    expected = reference(src)
    monkeypatch.setattr(md_tokens, "_RUST", Failing())
    got = ours(src)
    assert asked == [src]
    assert shape(got[0]) == shape(expected[0]) and html(*got) == html(*expected)

    class Broken:
        def tree(self, src: str) -> None:
            raise KeyError("a bug of ours")

    monkeypatch.setattr(md_tokens, "_RUST", Broken())
    with pytest.raises(KeyError):  # our own bugs are not hidden by the fallback
        ours(src)


def test_a_kind_of_node_it_does_not_know_sends_the_body_to_markdown_it_py(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A newer markdown-it.rs could name a node this module was not written for: never
    guessed at, and never a crash."""
    class Node:
        def __init__(self, name: str, children: list[Node] = (), **meta: object) -> None:
            self.name, self.children, self.meta, self.srcmap = name, list(children), meta, None

    asked: list[str] = []

    class Newer:
        def __init__(self, tree: Node) -> None:
            self.tree = lambda src: asked.append(src) or tree

    src = "A paragraph with *emphasis*.\n\n> A quote."
    expected = reference(src)
    for tree in (Node("root", [Node("paragraph", [Node("sparkle")])]),
                 Node("root", [Node("admonition", [Node("text", content="x")])])):
        monkeypatch.setattr(md_tokens, "_RUST", Newer(tree))
        got = ours(src)
        assert shape(got[0]) == shape(expected[0]) and html(*got) == html(*expected)
    assert asked == [src, src]


def test_no_input_crashes_the_build_or_takes_long() -> None:
    """Inputs that crash markdown-it.rs (it recursed out of its stack at 40,000 quotes in
    one another), make it panic, or take it minutes (emphasis nested 10,000 deep: the
    square of the input), all parsed in a child process, so that a crash fails this test
    instead of the suite; markdown-it-py takes about a second for all of them."""
    script = textwrap.dedent("""
        from sitegen import markdown
        cases = [">" * 300_000, "> - " * 100_000 + "x", "*" * 200_000 + "a" + "*" * 200_000,
                 "![" * 100_000 + "a" + "](x)" * 100_000, "1. " * 100_000 + "x",
                 "^[" * 20_000 + "a" + "]" * 20_000, "[" * 300_000, "~~" * 100_000,
                 "*a **a " * 10_000 + "b" + " a** a*" * 10_000,
                 "[a]: /b\\n" * 10_000 + "[a]" * 10_000,
                 "x [` y", "[``]", "[a`](/b)", "![a`](/x)", "[``` py\\n<b>``|[a](/x)\\\\```a``"]
        for case in cases:
            markdown.render(case)
            print("rendered")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("rendered") == 15
    assert "panicked" not in done.stderr
