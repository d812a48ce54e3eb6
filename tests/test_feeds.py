"""Atom feeds, sitemaps (with photos), the Google News sitemap and robots.txt."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.etree import ElementTree as ET

import feedparser
import photos
import pytest
import xmlschema
from conftest import NOW, article, memory_build, start_tags

from sitegen.build import Builder, BuildOptions, BuiltSite
from sitegen.errors import BuildFailed
from sitegen.feeds import absolute_urls, feed_paths, news_language

BASE = "https://ridge.github.io/paper/"
TITLE = 'Ridge & <Co> "Times" 한빛'
SCHEMAS = Path(__file__).parent / "schemas"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
IMAGE_NS = "http://www.google.com/schemas/sitemap-image/1.1"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
CONFIG = f"""
    title = '{TITLE}'
    tagline = "Student news since 1999"
    base_url = "{BASE}"
    names = "initial"

    [[sections]]
    key = "news"
    name = "News"

    [[sections]]
    key = "sports"
    name = "Sports"
    """
# Titles, newest first, of the stories the feeds hold (NOW is 2026-01-15 12:00 UTC).
VOTE = 'Budget & <Vote> "passes" 예산 통과'
MATCH = "Falcons win the final"
OLD = "Library hours"
BUS = "Late bus stays"
PULLED = "A story we took down"
FILES: dict[str, str | bytes] = {
    "content/news/pic.jpg": photos.jpeg(800, 600),
    "content/news/vote.md": article(VOTE, date="2026-01-14T09:00:00Z", author="Mina Park",
                                    extra="""
        tags: [Student Council, Budget]
        summary: The council passed the budget.
        image: pic.jpg
        image_alt: The council at the vote
        updated: 2026-01-15T08:00:00Z
        """, body="""
        The vote was close; see [the bus story](bus.md) and [the notes](#notes).

        ![A photo](pic.jpg)

        Write to [the desk](mailto:desk@example.org) or read [the law](https://law.example.org/a).

        ## Notes

        The council meets again in March.
        """),
    "content/sports/match.md": article(MATCH, section="sports", date="2026-01-13T20:00:00Z",
                                       author="[Mina Park, Jun Seo]",
                                       extra="tags: [Falcons, student council]"),
    "content/news/old.md": article(OLD, date="2026-01-13T11:00:00Z", author="Jun Seo"),
    "content/news/bus.md": article(BUS, date="2025-12-01", author="Ana Quiet",
                                   extra="noindex: true"),
    "content/news/pulled.md": article(PULLED, date="2026-01-15T06:00:00Z", author="Mina Park",
                                      extra='withdrawn: "It named a student by mistake."'),
    "content/staff/ana.md": "---\nname: Ana Quiet\ngrade: 11\nauthor_page: false\n---\n",
}


@pytest.fixture
def site(make_site) -> Path:
    return make_site({"sitegen.toml": CONFIG, **FILES})


@pytest.fixture
def built(site: Path) -> BuiltSite:
    return memory_build(site)


def parse(data: bytes) -> feedparser.FeedParserDict:
    """The feed as a reader sees it, but with the content as written: feedparser would
    otherwise drop srcset and resolve relative URLs itself, hiding what the feed holds."""
    parsed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=False)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def feeds_of(built: BuiltSite) -> dict[str, feedparser.FeedParserDict]:
    return {path: parse(built.pages[path]) for path in feed_paths(built.site)}


@pytest.fixture(scope="module")
def sitemap_schema() -> xmlschema.XMLSchema:
    """The sitemap schema with its image and news extensions, all from tests/schemas."""
    folder = SCHEMAS.resolve()
    return xmlschema.XMLSchema(folder / "sitemap.xsd", locations=[
        (IMAGE_NS, (folder / "sitemap-image.xsd").as_uri()),
        (NEWS_NS, (folder / "sitemap-news.xsd").as_uri())])


def test_every_feed_parses_and_lists_the_newest_stories_first(built: BuiltSite) -> None:
    feeds = feeds_of(built)
    assert sorted(feeds) == ["authors/jun-s/feed.xml", "authors/mina-p/feed.xml", "feed.xml",
                             "news/feed.xml", "sports/feed.xml"]
    assert [e.title for e in feeds["feed.xml"].entries] == [VOTE, MATCH, OLD, BUS]
    assert [e.title for e in feeds["news/feed.xml"].entries] == [VOTE, OLD, BUS]
    assert [e.title for e in feeds["sports/feed.xml"].entries] == [MATCH]
    assert [e.title for e in feeds["authors/mina-p/feed.xml"].entries] == [VOTE, MATCH]
    assert [e.title for e in feeds["authors/jun-s/feed.xml"].entries] == [MATCH, OLD]
    for path, parsed in feeds.items():
        feed = parsed.feed
        assert feed.id == feed.links[0].href == BASE + path
        assert [(link.rel, link.href.startswith(BASE)) for link in feed.links] == [
            ("self", True), ("alternate", True)]
        assert feed.generator == "sitegen" and feed.subtitle == "Student news since 1999"
        # The newest change of any entry, never the clock.
        assert feed.updated == max(entry.updated for entry in parsed.entries)
        for entry in parsed.entries:
            assert entry.id == entry.link
            assert entry.link.startswith((BASE + "news/", BASE + "sports/"))


def test_feed_and_entry_fields(built: BuiltSite) -> None:
    parsed = parse(built.pages["feed.xml"])
    assert parsed.feed.title == TITLE
    assert parsed.feed.links[1].href == BASE
    assert parsed.feed.updated == "2026-01-15T08:00:00+00:00"  # the vote's "updated"
    vote, match = parsed.entries[:2]
    assert vote.link == vote.id == BASE + "news/vote/"
    assert vote.published == "2026-01-14T09:00:00+00:00"
    assert vote.updated == "2026-01-15T08:00:00+00:00"
    assert match.updated == match.published == "2026-01-13T20:00:00+00:00"
    assert [a.name for a in vote.authors] == ["Mina P."]
    assert [a.name for a in match.authors] == ["Mina P.", "Jun S."]
    assert vote.summary == "The council passed the budget."
    assert [(t.term, t.label) for t in vote.tags] == [("student-council", "Student Council"),
                                                      ("budget", "Budget")]
    # A tag is labelled as its tag page names it, whichever spelling the story used.
    assert [(t.term, t.label) for t in match.tags] == [("falcons", "Falcons"),
                                                       ("student-council", "Student Council")]
    [content] = vote.content
    assert content.type == "text/html"
    assert parse(built.pages["news/feed.xml"]).feed.title == f"News — {TITLE}"
    assert parse(built.pages["authors/mina-p/feed.xml"]).feed.title == f"Mina P. — {TITLE}"


def tags(html: str | bytes) -> list[tuple[str, dict[str, str | None]]]:
    return start_tags(html)


def test_content_is_the_whole_body_with_absolute_urls(built: BuiltSite) -> None:
    body = parse(built.pages["feed.xml"]).entries[0].content[0].value
    found = tags(body)
    urls = [attrs[name] for _, attrs in found for name in ("href", "src") if attrs.get(name)]
    srcsets = [attrs["srcset"] for tag, attrs in found if attrs.get("srcset")]
    assert {tag for tag, attrs in found if attrs.get("srcset")} == {"img", "source"}
    for srcset in srcsets:
        for candidate in srcset.split(", "):
            url, width = candidate.split()
            urls.append(url)
            path = url.removeprefix(BASE)
            assert path in built.files and width == f"{path.split('-')[-1].split('w.')[0]}w"
    assert BASE + "news/bus/" in urls  # a link to another story
    assert BASE + "news/vote/#notes" in urls  # a link within the story
    assert "mailto:desk@example.org" in urls and "https://law.example.org/a" in urls
    assert all(url.startswith(("https://", "mailto:")) for url in urls), urls
    assert any(url.endswith(".webp") for url in urls) and any(url.endswith(".jpg")
                                                              for url in urls)
    assert "The vote was close" in body and 'alt="A photo"' in body


def test_names_in_feeds_follow_the_name_policy(built: BuiltSite) -> None:
    generated = ["sitemap.xml", "news-sitemap.xml", "robots.txt", *feed_paths(built.site)]
    for path in generated:
        assert b"Park" not in built.pages[path] and b"Seo" not in built.pages[path], path
    assert b"<name>Mina P.</name>" in built.pages["feed.xml"]


def test_an_author_without_an_author_page_has_no_feed(built: BuiltSite) -> None:
    assert [term.key for term in built.site.authors] == ["jun-s", "mina-p"]
    assert not any(path.startswith("authors/ana") for path in built.pages)
    bus = [e for e in parse(built.pages["feed.xml"]).entries if e.title == BUS]
    assert [a.name for a in bus[0].authors] == ["Ana Q."]  # still credited in the entry


def test_a_withdrawn_story_is_in_no_feed_and_no_sitemap(built: BuiltSite) -> None:
    assert "news/pulled/index.html" in built.pages  # the tombstone page stays
    for path in ["sitemap.xml", "news-sitemap.xml", *feed_paths(built.site)]:
        data = built.pages[path]
        assert PULLED.encode() not in data and b"news/pulled/" not in data, path


def test_titles_are_escaped_and_survive_the_round_trip(built: BuiltSite) -> None:
    raw = built.pages["feed.xml"].decode()
    assert "<title>Ridge &amp; &lt;Co&gt; \"Times\" 한빛</title>" in raw
    assert "<title>Budget &amp; &lt;Vote&gt; \"passes\" 예산 통과</title>" in raw
    ET.fromstring(built.pages["feed.xml"])  # well-formed for a strict XML parser too
    news = built.pages["news-sitemap.xml"].decode()
    assert "<news:title>Budget &amp; &lt;Vote&gt; \"passes\" 예산 통과</news:title>" in news
    assert "<news:name>Ridge &amp; &lt;Co&gt; \"Times\" 한빛</news:name>" in news
    head = built.pages["index.html"].decode()
    assert ('title="Ridge &amp; &lt;Co&gt; &#34;Times&#34; 한빛" '
            f'href="{BASE}feed.xml"') in head


def test_characters_xml_cannot_carry_are_dropped(make_site) -> None:
    root = make_site({"sitegen.toml": CONFIG,
                      "content/news/a.md": article(extra='summary: "bell\\x07 here"')})
    built = memory_build(root)
    assert parse(built.pages["feed.xml"]).entries[0].summary == "bell here"


def feed_links(page: bytes) -> list[tuple[str | None, str | None]]:
    return [(attrs["title"], attrs["href"]) for tag, attrs in tags(page)
            if tag == "link" and attrs.get("type") == "application/atom+xml"]


def test_pages_link_their_feeds_in_the_head(built: BuiltSite) -> None:
    site_feed = (TITLE, BASE + "feed.xml")
    news_feed = (f"News — {TITLE}", BASE + "news/feed.xml")
    assert feed_links(built.pages["index.html"]) == [site_feed]
    assert feed_links(built.pages["tags/budget/index.html"]) == [site_feed]
    assert feed_links(built.pages["news/index.html"]) == [site_feed, news_feed]
    assert feed_links(built.pages["news/vote/index.html"]) == [site_feed, news_feed]
    assert feed_links(built.pages["authors/mina-p/index.html"]) == [
        site_feed, (f"Mina P. — {TITLE}", BASE + "authors/mina-p/feed.xml")]
    for page in ("index.html", "news/index.html", "news/vote/index.html",
                 "authors/mina-p/index.html"):
        for _, href in feed_links(built.pages[page]):
            assert href is not None and href.removeprefix(BASE) in built.pages


def test_without_a_host_in_base_url_there_are_no_feeds(make_site) -> None:
    root = make_site({"sitegen.toml": CONFIG.replace(BASE, "/paper/"), **FILES})
    built = memory_build(root)
    assert feed_paths(built.site) == []
    assert not [path for path in built.pages if path.endswith("feed.xml")]
    assert "news-sitemap.xml" not in built.pages
    assert built.pages["robots.txt"] == b"User-agent: *\nAllow: /\n"
    assert all(not feed_links(data) for path, data in built.pages.items()
               if path.endswith(".html"))
    assert b"<loc>/paper/news/vote/</loc>" in built.pages["sitemap.xml"]


def test_a_rebuild_updates_the_sitemap_row_of_an_edited_story(make_site) -> None:
    """Watch mode keeps the sitemap's rows of the stories it did not read again; an edit
    that leaves the site's structure (an "updated" date) changes its story's row."""
    root = make_site({"sitegen.toml": CONFIG.replace(BASE, "/paper/"),
                      "content/news/a.md": article("A", date="2025-01-02"),
                      "content/news/b.md": article("B", date="2025-01-03")})
    builder = Builder(root, BuildOptions(now=NOW))
    assert b"<lastmod>2025-01-02</lastmod>" in builder.build().pages["sitemap.xml"]
    (root / "content/news/a.md").write_text(
        article("A", date="2025-01-02", extra="updated: 2025-02-01"))
    sitemap = builder.build().pages["sitemap.xml"]
    assert b"<lastmod>2025-02-01</lastmod>" in sitemap
    assert b"<lastmod>2025-01-02</lastmod>" not in sitemap
    assert b"<lastmod>2025-01-03</lastmod>" in sitemap


def test_sitemap_is_valid_and_lists_lead_photos(built: BuiltSite,
                                                sitemap_schema: xmlschema.XMLSchema) -> None:
    sitemap_schema.validate(built.pages["sitemap.xml"].decode())
    urls = ET.fromstring(built.pages["sitemap.xml"]).findall(f"{{{SITEMAP_NS}}}url")
    locs = {url.findtext(f"{{{SITEMAP_NS}}}loc"): url for url in urls}
    vote = locs[BASE + "news/vote/"]
    assert vote.findtext(f"{{{SITEMAP_NS}}}lastmod") == "2026-01-15"
    images = [loc.text for loc in vote.iter(f"{{{IMAGE_NS}}}loc")]
    assert images == [BASE + "news/pic-800w.jpg"]  # the social copy: the widest up to 1200
    assert "news/pic-800w.jpg" in built.files
    assert len(list(ET.fromstring(built.pages["sitemap.xml"]).iter(f"{{{IMAGE_NS}}}image"))) == 1
    assert BASE + "news/bus/" not in locs  # noindex
    assert BASE + "news/old/" in locs and BASE + "sports/match/" in locs


def news_titles(data: bytes) -> list[str | None]:
    return [title.text for title in ET.fromstring(data).iter(f"{{{NEWS_NS}}}title")]


def test_news_sitemap_lists_the_last_two_days(built: BuiltSite,
                                              sitemap_schema: xmlschema.XMLSchema) -> None:
    data = built.pages["news-sitemap.xml"]
    sitemap_schema.validate(data.decode())
    # OLD is 49 hours old, BUS is noindex and PULLED is withdrawn.
    assert news_titles(data) == [VOTE, MATCH]
    root = ET.fromstring(data)
    assert [loc.text for loc in root.iter(f"{{{SITEMAP_NS}}}loc")] == [
        BASE + "news/vote/", BASE + "sports/match/"]
    assert [d.text for d in root.iter(f"{{{NEWS_NS}}}publication_date")] == [
        "2026-01-14T09:00:00+00:00", "2026-01-13T20:00:00+00:00"]
    assert {n.text for n in root.iter(f"{{{NEWS_NS}}}language")} == {"en"}


def test_the_news_window_follows_the_build_clock(site: Path,
                                                 sitemap_schema: xmlschema.XMLSchema) -> None:
    earlier = memory_build(site, now=dt.datetime(2026, 1, 14, 0, 0, tzinfo=dt.UTC))
    sitemap_schema.validate(earlier.pages["news-sitemap.xml"].decode())
    assert news_titles(earlier.pages["news-sitemap.xml"]) == [MATCH, OLD]  # VOTE is future
    # OLD is exactly two days old here: still in.
    exactly = memory_build(site, now=dt.datetime(2026, 1, 15, 11, 0, tzinfo=dt.UTC))
    assert news_titles(exactly.pages["news-sitemap.xml"]) == [VOTE, MATCH, OLD]
    later = memory_build(site, now=NOW + dt.timedelta(days=3))
    empty = later.pages["news-sitemap.xml"]
    assert ET.fromstring(empty).tag == f"{{{SITEMAP_NS}}}urlset" and len(ET.fromstring(empty)) == 0
    # The feeds do not read the clock.
    assert all(later.pages[path] == exactly.pages[path] for path in feed_paths(later.site))


def test_robots_names_both_sitemaps(built: BuiltSite) -> None:
    assert built.pages["robots.txt"].decode() == (
        f"User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\nSitemap: {BASE}news-sitemap.xml\n")


def test_a_noindex_site_keeps_its_feeds_but_lists_nothing_for_search_engines(make_site) -> None:
    root = make_site({"sitegen.toml": "noindex = true\n" + CONFIG, **FILES})
    built = memory_build(root)
    assert [e.title for e in parse(built.pages["feed.xml"]).entries] == [VOTE, MATCH, OLD, BUS]
    assert len(ET.fromstring(built.pages["sitemap.xml"])) == 0
    assert len(ET.fromstring(built.pages["news-sitemap.xml"])) == 0
    robots = built.pages["robots.txt"].decode()
    assert "Allow: /\n" in robots and "Disallow" not in robots
    assert f"Sitemap: {BASE}news-sitemap.xml" in robots


def test_a_feed_holds_the_newest_twenty(make_site) -> None:
    files = {f"content/news/s{day:02d}.md": article(f"Story {day}", date=f"2025-12-{day:02d}")
             for day in range(1, 24)}
    built = memory_build(make_site({"sitegen.toml": CONFIG, **files}))
    for path in ("feed.xml", "news/feed.xml", "authors/min-k/feed.xml"):
        titles = [e.title for e in parse(built.pages[path]).entries]
        assert titles == [f"Story {day}" for day in range(23, 3, -1)], path
    assert parse(built.pages["sports/feed.xml"]).entries == []
    assert parse(built.pages["sports/feed.xml"]).feed.updated == "1970-01-01T00:00:00+00:00"


def test_feeds_are_byte_identical_across_builds(site: Path) -> None:
    first, second = memory_build(site), memory_build(site)
    for path in ["sitemap.xml", "news-sitemap.xml", "robots.txt", *feed_paths(first.site)]:
        assert first.pages[path] == second.pages[path], path


@pytest.mark.parametrize(("body", "expected"), [
    ('<a href="/paper/x/">x</a>', '<a href="https://h.example/paper/x/">x</a>'),
    ('<a href="y/">y</a>', '<a href="https://h.example/paper/news/a/y/">y</a>'),
    ('<a href="#fn1" id="r">1</a>', '<a href="https://h.example/paper/news/a/#fn1" id="r">1</a>'),
    ('<a title="see href=/no/" href="/yes/">t</a>',
     '<a title="see href=/no/" href="https://h.example/yes/">t</a>'),
    ("<a href='/q?a=1&amp;b=2'>q</a>", '<a href="https://h.example/q?a=1&amp;b=2">q</a>'),
    ('<a href="mailto:a@b.example">m</a>', '<a href="mailto:a@b.example">m</a>'),
    ('<a href="/a/../b/">b</a>', '<a href="https://h.example/b/">b</a>'),
    ('<a href="//cdn.example/c">c</a>', '<a href="https://cdn.example/c">c</a>'),
    ('<a href="../d.md">d</a>', '<a href="https://h.example/paper/news/d.md">d</a>'),
    ('<img src="/p/a.jpg" srcset="/p/a,1.jpg 480w, /p/b.jpg 960w" alt="a > b">',
     '<img src="https://h.example/p/a.jpg" srcset="https://h.example/p/a,1.jpg 480w, '
     'https://h.example/p/b.jpg 960w" alt="a > b">'),
    ('<p>href="/text/" stays</p>', '<p>href="/text/" stays</p>'),
    ('<abbr title="x">x</abbr>', '<abbr title="x">x</abbr>'),
])
def test_absolute_urls(body: str, expected: str) -> None:
    assert absolute_urls(body, "https://h.example/paper/news/a/") == expected


@pytest.mark.parametrize(("language", "code"), [
    ("en", "en"), ("ko", "ko"), ("en-US", "en"), ("pt_BR", "pt"), ("zh-Hant-TW", "zh-tw"),
    ("zh-CN", "zh-cn"), ("zh", "zh"), ("fil", "fil")])
def test_news_language(language: str, code: str) -> None:
    assert news_language(language) == code



def test_a_rebuild_writes_the_feeds_a_clean_build_would(site: Path) -> None:
    builder = Builder(site, BuildOptions(now=NOW))
    before = builder.build()
    story = site / "content/sports/match.md"
    story.write_text(story.read_text().replace(MATCH, "Falcons & friends win"))
    after = builder.build()
    clean = memory_build(site)
    for path in ["news-sitemap.xml", *feed_paths(clean.site)]:
        assert after.pages[path] == clean.pages[path], path
    assert after.pages["news/feed.xml"] == before.pages["news/feed.xml"]  # no match in news
    assert "Falcons &amp; friends win" in after.pages["sports/feed.xml"].decode()


def test_a_file_may_not_overwrite_a_section_feed(make_site) -> None:
    root = make_site({"sitegen.toml": CONFIG, "content/news/a.md": article("A"),
                      "content/news/feed.xml": "<mine/>"})
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    assert [str(e) for e in caught.value.errors] == [
        "content/news/feed.xml would overwrite the page news/feed.xml"]
