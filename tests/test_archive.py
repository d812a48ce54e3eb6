"""What an archive brings: embeds, leftover syntax and removed HTML reported, legacy
stories held to gentler rules, and no standfirst repeating the first paragraph."""

from __future__ import annotations

import itertools

import photos
import pytest
from conftest import article, memory_build

from sitegen import embeds
from sitegen.errors import BuildFailed


@pytest.mark.parametrize(("url", "page", "player"), [
    ("https://www.youtube.com/watch?v=abc123DEF45&t=3s", "https://www.youtube.com/watch?v=abc123DEF45",
     "https://www.youtube-nocookie.com/embed/abc123DEF45"),
    ("https://youtu.be/abc123DEF45", "https://www.youtube.com/watch?v=abc123DEF45",
     "https://www.youtube-nocookie.com/embed/abc123DEF45"),
    ("https://www.youtube.com/shorts/abc123DEF45", "https://www.youtube.com/watch?v=abc123DEF45",
     "https://www.youtube-nocookie.com/embed/abc123DEF45"),
    ("https://vimeo.com/76979871", "https://vimeo.com/76979871",
     "https://player.vimeo.com/video/76979871?dnt=1"),
    ("https://docs.google.com/forms/d/e/1FAIpQ_x-9/viewform?usp=sf_link",
     "https://docs.google.com/forms/d/e/1FAIpQ_x-9/viewform",
     "https://docs.google.com/forms/d/e/1FAIpQ_x-9/viewform?embedded=true"),
    ("https://docs.google.com/presentation/d/1AbC/edit#slide=id.p",
     "https://docs.google.com/presentation/d/1AbC/",
     "https://docs.google.com/presentation/d/1AbC/embed"),
    ("https://www.google.com/maps/embed?pb=!1m18", "https://www.google.com/maps/embed?pb=!1m18",
     "https://www.google.com/maps/embed?pb=!1m18"),
])
def test_known_providers_embed_through_their_privacy_players(url: str, page: str,
                                                             player: str) -> None:
    embed = embeds.find(url)
    assert embed is not None
    assert (embed.page, embed.player) == (page, player)
    assert player.startswith(embeds.PLAYER_PREFIXES)


@pytest.mark.parametrize("url", [
    "https://example.com/watch?v=abc123DEF45", "https://www.youtube.com/watch?v=",
    "javascript:alert(1)", "https://vimeo.com/channels/staff", "https://www.google.com/maps/place/x",
])
def test_other_links_are_not_embeds(url: str) -> None:
    assert embeds.find(url) is None


def test_a_link_alone_in_its_paragraph_embeds_and_loads_nothing_until_clicked(make_site) -> None:
    root = make_site({"content/news/a.md": article("A", body="""
        Watch the final:

        [Highlights of the final](https://www.youtube.com/watch?v=abc123DEF45)

        Or read [the recap](https://youtu.be/abc123DEF45) first.

        <p class="x">Raw HTML keeps the embed intact.</p>
        """)})
    page = memory_build(root).pages["news/a/index.html"].decode()
    assert ('<figure class="embed embed-video"><a class="embed-link" '
            'href="https://www.youtube.com/watch?v=abc123DEF45" '
            'data-player="https://www.youtube-nocookie.com/embed/abc123DEF45" '
            'data-title="Highlights of the final">') in page
    assert "<iframe" not in page  # nothing from YouTube until a click
    assert '<a href="https://youtu.be/abc123DEF45">the recap</a>' in page
    assert "embed.js" in page


def test_a_forged_player_in_raw_html_is_cleaned(make_site) -> None:
    root = make_site({"content/news/a.md": article("A", body="""
        <a class="embed-link" data-player="https://evil.example/x" href="#">Click</a>
        """)})
    page = memory_build(root).pages["news/a/index.html"].decode()
    assert "evil.example" not in page


def test_leftover_syntax_and_removed_html_are_reported_with_lines(make_site) -> None:
    root = make_site({"content/news/a.md": article("A", body="""
        Intro {{ site.baseurl }} here.

        {% include figure.html src="x.jpg" %}

        {{< youtube abc123 >}}
        Second line [caption id="1"]Old caption[/caption]

        A paragraph.
        {: .lead}

        <iframe src="https://www.youtube.com/embed/x"></iframe>

        <p style="color: red" onclick="x()">Styled</p>

        `{{ code }}` is fine in code, and so are links: see the [gallery](https://example.org/g)
        and the [video][v].

        [v]: https://example.org/v
        """)})
    built = memory_build(root)
    assert [str(w) for w in built.warnings] == [
        'content/news/a.md:8: "{{ site.baseurl }}" is a template variable (Jekyll or Hugo), '
        "which sitegen publishes as plain text: replace it with Markdown",
        'content/news/a.md:10: "{% include figure.html src="x.jpg" %}" is a Liquid tag '
        "(Jekyll), which sitegen publishes as plain text: replace it with Markdown",
        'content/news/a.md:12: "{{< youtube abc123 >}}" is a Hugo shortcode, which sitegen '
        "publishes as plain text: replace it with Markdown",
        'content/news/a.md:13: "[caption id="1"]" is a WordPress shortcode, which sitegen '
        "publishes as plain text: replace it with Markdown",
        'content/news/a.md:16: "{: .lead}" is a kramdown attribute list, which sitegen '
        "publishes as plain text: replace it with Markdown",
        "content/news/a.md:18: raw HTML <iframe> is removed: embed a video, form or slides as "
        "a link alone in its paragraph: [Title](https://www.youtube.com/watch?v=...)",
        'content/news/a.md:20: the attribute "onclick" of <p> in raw HTML is removed',
        'content/news/a.md:20: the attribute "style" of <p> in raw HTML is removed',
    ]


# Pieces of leftovers and of code spans: every text of up to three of them is looked at.
_PIECES = ["{", "}", "%", ":", "<", ">", "[", "]", "/", "`", ".", "#", " ", "\n", "(", "a",
           "caption", "wpforms", "{:", "{{", "{%", "}}", "%}", "[/", "``", "{: .a}", "{{<a>}}",
           "{% a %}", "[caption a]", "[/gallery]"]


def test_text_passed_over_at_once_holds_no_leftover() -> None:
    """The quick look that skips most text (``_MAY_HOLD``) never skips a leftover the
    patterns would find, code spans taken out or not."""
    from sitegen.leftovers import _CODE_SPAN, _MAY_HOLD, _PATTERNS
    holding = passed_over = 0
    for size in (1, 2, 3):
        for pieces in itertools.product(_PIECES, repeat=size):
            text = "".join(pieces)
            found = any(pattern.search(cleaned) for line in text.split("\n")
                        for cleaned in (line, _CODE_SPAN.sub(" ", line))
                        for pattern, _ in _PATTERNS)
            skipped = not _MAY_HOLD.search(text)
            assert not (found and skipped), text
            holding += found
            passed_over += skipped
    # Both kinds of text are common among the cases, so both sides of the look are tried.
    assert holding > 5_000 and passed_over > 5_000, (holding, passed_over)


def test_legacy_stories_get_warnings_where_new_ones_get_errors(make_site) -> None:
    body = "![](old.jpg)\n\n[gone](missing.pdf)\n\n<img src=\"x.jpg\">"
    root = make_site({
        "content/news/new.md": article("New", body=body, extra="image: old.jpg"),
        "content/news/old.jpg": photos.jpeg(300, 200),
    })
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    assert len(caught.value.errors) == 4
    (root / "content/news/new.md").write_text(
        article("New", body=body, extra="image: old.jpg\nlegacy: true"))
    built = memory_build(root)
    assert [str(w) for w in built.warnings] == [
        'content/news/new.md:6: "image_alt" is required with "image": describe the picture '
        "for readers who cannot see it, or write image_alt: decorative if it only decorates",
        'content/news/new.md:10: image "old.jpg" has no alt text: write what it shows, '
        "![A runner crossing the line](old.jpg), or ![decorative](old.jpg) if it only decorates",
        'content/news/new.md:12: link "missing.pdf": no file content/news/missing.pdf',
        "content/news/new.md:14: <img> in raw HTML is not published: write the image as "
        "Markdown, ![what it shows](photo.jpg), so readers get resized copies",
    ]
    assert "news/old-300w.jpg" in built.files


def test_the_first_paragraph_is_not_repeated_as_a_standfirst(make_site) -> None:
    root = make_site({
        "content/news/a.md": article("A", body="The opening paragraph.\n\nMore."),
        "content/news/b.md": article("B", date="2025-03-05",
                                     extra="summary: A summary of its own."),
    })
    built = memory_build(root)
    a = built.pages["news/a/index.html"].decode()
    main = a[a.index("<main"):a.index("</main>")]
    assert main.count("The opening paragraph.") == 1  # in the body only
    assert '<p class="dek">' not in a
    assert '<p class="dek">A summary of its own.</p>' in built.pages["news/b/index.html"].decode()
    assert "The opening paragraph." in built.pages["news/index.html"].decode()  # cards


def test_plain_pages_are_built_linked_and_never_listed(make_site) -> None:
    root = make_site({
        "content/news/a.md": article("A", body="See [about us](../pages/about.md)."),
        "content/pages/about.md": "---\ntitle: About us\norder: 2\n---\n\nWe are the paper.\n",
        "content/pages/contact.md": "---\ntitle: Contact\nmenu: nav\norder: 1\n---\n\nRoom 214.\n",
        "content/pages/privacy.md": "---\ntitle: Privacy\nmenu: none\nnoindex: true\n---\n\nX.\n",
    })
    built = memory_build(root)
    about = built.pages["about/index.html"].decode()
    assert "<h1 class=\"story-title\">About us</h1>" in about and "We are the paper." in about
    front = built.pages["index.html"].decode()
    footer = front[front.index("<footer"):]
    nav = front[front.index('<nav id="site-nav"'):front.index("</nav>")]
    assert 'href="/about/">About us' in footer and "Contact" not in footer
    assert 'href="/contact/">Contact' in nav
    assert "privacy" not in front
    assert '<meta name="robots" content="noindex">' in built.pages["privacy/index.html"].decode()
    assert 'href="/about/">about us</a>' in built.pages["news/a/index.html"].decode()
    listings = [path for path, body in built.pages.items()
                if path not in ("about/index.html",) and b"We are the paper." in body]
    assert listings == []
    assert "/about/" in built.pages["sitemap.xml"].decode()


def test_a_page_with_bad_keys_and_an_article_at_the_top_are_explained(make_site) -> None:
    root = make_site({
        "content/about.md": "---\ntitle: About\n---\n\nHi.\n",
        "content/pages/contact.md": "---\ntitel: Contact\nmenu: side\n---\n",
    })
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    messages = [str(e) for e in caught.value.errors]
    assert ("content/about.md:2: a plain page (About, Contact...) goes in content/pages/; an "
            "article needs a section") in messages
    assert ('content/pages/contact.md:2: unknown key "titel" in a page (did you mean '
            '"title"?) (pages take title, summary, slug, menu, order, noindex)') in messages
    assert 'content/pages/contact.md:3: "menu" must be footer, nav or none, not \'side\'' \
        in messages


def test_error_messages_that_point_at_the_real_mistake(make_site) -> None:
    root = make_site({
        "content/news/a.md": "---\nTitle: A\ndate: 2025-03-01\nsection: news\n"
                             "authors: Min Kim\n---\n\nText.\n",
        "content/news/b.md": "---\ntitel: B\ndate: 2025-03-01\nsection: news\n"
                             "author: Min Kim\n---\n\nText.\n",
        "content/news/c.md": article("C", body="""
            See [one][6], [two][6] and [three][6].

            Visit [our page](www.example.com/page).

            [6]: blank
            """),
    })
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    assert [str(e) for e in caught.value.errors] == [
        'content/news/a.md:2: "title" is required: "Title" is not read; keys are lowercase and '
        'singular: write "title:"',
        'content/news/a.md:5: "author" is required, e.g. author: "Min Kim": "authors" is not '
        'read; keys are lowercase and singular: write "author:"',
        'content/news/b.md:2: "title" is required: is "titel" meant to be "title"?',
        'content/news/c.md:10: link "www.example.com/page" is not a file of the site; for a web '
        "address write https://www.example.com/page",
        'content/news/c.md:12: link "blank": no file content/news/blank',
    ]
