"""sitegen's shortcut through markdown-it's normalizeLink gives exactly what markdown-it's
own gives, on any URL (it only skips the work for URLs that come back unchanged)."""

from __future__ import annotations

import string

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it.common.normalize_url import normalizeLink

from sitegen import markdown
from sitegen.markdown import normalize_link

LONG_LABEL = "a" * 63
TRICKY = [
    # plain: the shortcut's cases
    "https://example.org/story/12", "http://example.org", "https://example.org:8080/a?b=c#d",
    "/news/budget/", "/news/budget/?page=2#top", "story.md", "../arts/mural.md#credits",
    "#section", "?q=1", "", "https://127.0.0.1/", f"https://{LONG_LABEL}.com/",
    "https://a-b.c-d.example/~user/(x)*!$'", "https://example.org/a;b=c,d+e",
    # @ and user parts
    "https://user@example.org/", "https://user:pw@example.org/x", "https://a@b@c/",
    "https://example.org/@handle", "https://example.org?who=a@b", "https://example.org#a@b",
    "https://@example.org", "https://example.org@evil.test/", "/a@b", "//user@host/x",
    "mailto:someone@example.org", "mailto:Someone@Bücher.de", "MAILTO:x@y",
    # percent escapes
    "https://example.org/a%20b", "https://example.org/100%", "https://example.org/%zz",
    "https://example.org/%e2%82%ac", "/a%2", "/a%20", "%41", "https://ex%41mple.org/",
    # unicode hosts and paths
    "https://bücher.de/", "https://BÜCHER.de/", "http://例え.テスト/パス", "https://例え。テスト/",
    "https://example.org/한국어", "/한국어/기사/", "https://xn--bcher-kva.de/",
    "https://ſtory.example/", "https://\u212aelvin.example/",
    # spaces and other characters the encoding changes
    "https://example.org/a b", " https://example.org/", "https://example.org/\t", "/a\nb",
    "https://example.org/a<b>", 'https://example.org/"q"', "https://example.org/{x}|^`",
    "https://example.org/a\\b", "/\\\\evil.test", "\u00a0/x", "/x\u3000",
    # brackets, IPv6, ports
    "https://[::1]/", "https://[2001:db8::1]:8443/x", "http://[::1", "https://example.org/[x]",
    "https://example.org:/x", "https://example.org:80x/", "https://example.org:99999/",
    # schemes
    "HTTPS://EXAMPLE.ORG/", "Http://example.org/", "ftp://example.org/f", "file:///etc/x",
    "javascript:alert(1)", "data:image/png;base64,AAAA", "tel:+1-555", "x:y", "a.b+c-d:e",
    "//example.org/x", "///x", "https:/example.org", "https:example.org", "https://",
    # hosts mdurl cuts or drops
    f"https://{'a' * 64}.com/", "https://" + ".".join([LONG_LABEL] * 4) + "/",
    "https://" + ".".join([LONG_LABEL] * 5) + "/", "https://" + ".".join([LONG_LABEL] * 4)
    + "_x/", "https://" + ".".join(["a" * 60] * 4) + ".b_" + "c" * 20 + "/x",  # 266: dropped
    "https://a..b/", "https://.a/",
    "https://a./", "https://exa_mple.org/", "https://exa+mple.org/", "https://-a-/",
    "https://exa!mple.org/", "https://exa'mple.org/", "https://exa;mple.org/",
]


@pytest.mark.parametrize("url", TRICKY)
def test_tricky_urls_come_out_as_markdown_it_makes_them(url: str) -> None:
    assert normalize_link(url) == normalizeLink(url)


def test_the_shortcut_is_taken_for_plain_urls() -> None:
    """Not only the same result: these do not reach markdown-it's version at all."""
    plain = ["https://example.org/story/12", "http://example.org", "/news/budget/?page=2",
             "story.md", "#top", "https://example.org/@handle", "/a%20b"]
    for url in plain:
        assert markdown._KEPT_AS_IS.fullmatch(url)
        assert markdown._WEB_HOST.match(url) or not markdown._ANY_SCHEME.match(url)


PIECES = st.sampled_from([
    "http://", "https://", "HTTP://", "mailto:", "//", "/", "a:", "user@", "@", ":", ":80",
    "[", "]", "::1", "%", "%2", "%20", "%zz", "?", "#", ".", "..", "-", "_", "+", "!", "'",
    "(", ")", "*", ",", ";", "=", "&", "$", "~", " ", "\t", "\n", "\\", "<", ">", '"', "{",
    "|", "^", "`", "é", "ü", "한", "。", "ſ", "\u212a", "\u00a0", "\u3000", "\ud800",
    "xn--", "example", "org", "A", "z", "0", "9", LONG_LABEL,
])


@settings(max_examples=3000, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join))
@example("https://a@b/")
def test_any_url_made_of_tricky_pieces(url: str) -> None:
    assert normalize_link(url) == normalizeLink(url)


@settings(max_examples=2000, deadline=None)
@given(st.sampled_from(["", "https://", "http://", "/", "//", "mailto:"]),
       st.text(alphabet=string.printable + "é한。\u00a0", max_size=40))
def test_any_printable_url(prefix: str, rest: str) -> None:
    url = prefix + rest
    assert normalize_link(url) == normalizeLink(url)


def test_the_parser_uses_it() -> None:
    assert markdown._MD.normalizeLink is normalize_link
    html = markdown.render("[a](<https://bücher.de/a b>) [b](https://example.org/x@y) "
                           "[c](</a b>)").html
    assert ('href="https://xn--bcher-kva.de/a%20b"' in html
            and 'href="https://example.org/x@y"' in html and 'href="/a%20b"' in html)
