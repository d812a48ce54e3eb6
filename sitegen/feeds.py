"""The files written beside the rendered pages: Atom feeds, sitemaps and robots.txt.

- ``/feed.xml``, ``/<section>/feed.xml`` and ``/authors/<slug>/feed.xml``: Atom, the newest
  20 stories each, with the full body. A feed reader shows a feed outside the site, so every
  URL in it is absolute: feeds are written only when ``base_url`` names a host.
- ``/sitemap.xml``: every page search engines may index, with the lead photo of each story.
- ``/news-sitemap.xml``: Google News, the stories of the last two days by the build's clock;
  written (empty if need be) whenever ``base_url`` names a host.
- ``/robots.txt``: allows everything (a ``noindex`` site keeps crawlers out with each page's
  robots meta, which they must be able to fetch to obey) and names both sitemaps.

Feeds are for readers: a story with ``noindex: true`` stays in them, and so does every
story of a ``noindex`` site. Withdrawn stories are in no feed or sitemap (they are not in
``site.articles``). Nothing here reads the wall clock: the same input gives the same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import html
import operator
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree as ET

from sitegen.models import Article, PageMeta, Site
from sitegen.theme import quote_path

if TYPE_CHECKING:
    from sitegen.bodies import StoredHTML
    from sitegen.config import SiteConfig
    from sitegen.render import Output

# XML's &, < and > (xml.sax.saxutils's escape imports urllib.request into every build)
escape = functools.partial(html.escape, quote=False)
FEED_NAME = "feed.xml"
FEED_SIZE = 20
NEWS_WINDOW = dt.timedelta(days=2)
NEWS_LIMIT = 1000  # Google News reads no more than this from one sitemap

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_IMAGE = "http://www.google.com/schemas/sitemap-image/1.1"
SITEMAP_NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # the "updated" of a feed with no entries

# Characters XML 1.0 cannot carry at all, not even escaped (a YAML "\x01" can make one).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def generated_files(site: Site, outputs: list[Output], now: dt.datetime) -> dict[str, bytes]:
    """Every file written beside the pages, keyed by output path. ``now`` is the build's
    clock (only the news sitemap reads it)."""
    files = {"sitemap.xml": sitemap(site, outputs), "robots.txt": robots(site)}
    if site.config.absolute_base:
        files["news-sitemap.xml"] = news_sitemap(site, now)
        files.update(feeds(site))
    return files


def feed_paths(site: Site) -> list[str]:
    """The output path of every feed this site has (none without an absolute base URL)."""
    return [url.lstrip("/") for url, _, _ in _feeds_of(site)]


# Atom


class Entry(NamedTuple):
    """One story as a feed shows it: plain values, so that a feed whose entries are all as
    they were is not written again (a rebuild in watch mode reuses it)."""

    url: str  # absolute, also the entry's id
    title: str
    published: str  # RFC 3339
    updated: str
    authors: tuple[str, ...]  # as the bylines show them: the name policy already applied
    summary: str
    categories: tuple[tuple[str, str], ...]  # (tag key, tag name)
    html: str  # the body, every URL in it absolute: a feed reader shows it off the site


class FeedHead(NamedTuple):
    url: str  # absolute, also the feed's id
    page_url: str  # absolute: the page the feed follows
    title: str
    subtitle: str
    language: str


class _LastBuild:
    """What a pure function gave in the last build, for the next one: a rebuild in watch
    mode writes again only the feeds whose entries changed. Holds one build's worth."""

    def __init__(self) -> None:
        self.last: dict[tuple, Any] = {}
        self.this: dict[tuple, Any] = {}

    def get(self, make: Callable[..., Any], key: tuple) -> Any:
        value = self.this.get(key)
        if value is None:
            value = self.last.get(key)
            self.this[key] = value = make(*key) if value is None else value
        return value

    def done(self) -> None:
        """The build is over: forget what it did not ask for (all of it, in a process that
        builds once: see ``once``)."""
        self.last, self.this = (self.this if _NEXT_BUILD else {}), {}


_FEEDS = _LastBuild()  # (FeedHead, entries) -> the feed's bytes
_BODIES = _LastBuild()  # (body, its absolute URL) -> the body for feeds


def feeds(site: Site) -> dict[str, bytes]:
    """The site's feed, one per section and one per author page, keyed by output path."""
    config = site.config
    labels = {term.key: term.name for term in site.tags}  # as the tag pages name them
    entries: dict[str, Entry] = {}

    def entry(article: Article) -> Entry:
        found = entries.get(article.source)
        if found is None:
            url = _absolute(config.absolute_base, article.url)
            found = entries[article.source] = Entry(
                url, article.title,
                _stamp(article.date), _stamp(_changed(article)),
                tuple(byline.name for byline in article.bylines), article.summary,
                tuple((tag.key, labels.get(tag.key, tag.name)) for tag in article.tags),
                _BODIES.get(absolute_urls, (article.html, url)))
        return found

    written = {url.lstrip("/"): _FEEDS.get(atom_feed, (
                   FeedHead(_absolute(config.absolute_base, url),
                            _absolute(config.absolute_base, page_url), title, config.tagline,
                            config.language),
                   tuple(entry(article) for article in articles[:FEED_SIZE])))
               for url, (title, page_url), articles in _feeds_of(site)}
    _FEEDS.done()
    _BODIES.done()
    return written


def _feeds_of(site: Site) -> list[tuple[str, tuple[str, str], tuple[Article, ...]]]:
    """(feed URL, (title, URL of the page it follows), articles) of every feed."""
    config = site.config
    if not config.absolute_base:
        return []
    found = [(f"/{FEED_NAME}", (config.title, "/"), site.articles)]
    for term in (*site.sections, *site.authors):
        found.append((term.url + FEED_NAME, (feed_title(term.name, config.title), term.url),
                      term.articles))
    return found


def feed_title(name: str, site_title: str) -> str:
    """The title of a section's or an author's feed; base.html writes the same."""
    return f"{name} — {site_title}"


def atom_feed(head: FeedHead, entries: tuple[Entry, ...]) -> bytes:
    """One Atom feed, its entries newest first. Its ``updated`` is the latest of theirs
    (never the clock), or 1970 when it has none."""
    # The namespace is written as a plain attribute: ElementTree then needs no prefix
    # registered (a process-wide setting) to write Atom as its default namespace.
    feed = ET.Element("feed", {"xmlns": ATOM, _XML_LANG: head.language})
    _add(feed, "title", head.title)
    if head.subtitle:
        _add(feed, "subtitle", head.subtitle)
    _add(feed, "link", rel="self", type="application/atom+xml", href=head.url)
    _add(feed, "link", rel="alternate", type="text/html", href=head.page_url)
    _add(feed, "id", head.url)
    newest = max((dt.datetime.fromisoformat(e.updated) for e in entries), default=_EPOCH)
    _add(feed, "updated", _stamp(newest))
    _add(feed, "generator", "sitegen")
    for item in entries:
        entry = _add(feed, "entry")
        _add(entry, "title", item.title)
        _add(entry, "link", rel="alternate", type="text/html", href=item.url)
        _add(entry, "id", item.url)
        _add(entry, "published", item.published)
        _add(entry, "updated", item.updated)
        for name in item.authors:
            _add(_add(entry, "author"), "name", name)
        if item.summary:
            _add(entry, "summary", item.summary)
        for key, label in item.categories:
            _add(entry, "category", term=key, label=label)
        _add(entry, "content", item.html, type="html")
    ET.indent(feed)
    text = ET.tostring(feed, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n").encode("utf-8")


def _add(parent: ET.Element, name: str, text: str = "", **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, name,
                            {key: _xml_text(value) for key, value in attributes.items()})
    if text:
        element.text = _xml_text(text)
    return element


def _changed(article: Article) -> dt.datetime:
    return article.updated or article.date


def _stamp(when: dt.datetime) -> str:
    """RFC 3339, as Atom and sitemaps want it: 2025-03-04T09:00:00+09:00."""
    return when.isoformat(timespec="seconds")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _absolute(base: str, url: str) -> str:
    """A site URL (``/news/x/``) -> ``https://host/sub/news/x/``."""
    return base + quote_path(url)


# A start tag that may carry a URL, and its attributes. The body is markdown-it's output,
# perhaps through nh3: text never holds a bare "<", and every value is quoted.
_URL_TAG = re.compile(
    r"""<(?:a|area|img|source|q|blockquote|del|ins)\b(?:[^>"']|"[^"]*"|'[^']*')*>""",
    re.IGNORECASE)
# One attribute, its value included, so that a value is never searched for names.
_ATTRIBUTE = re.compile(
    r"""(?P<lead>\s+)(?P<name>[^\s"'>/=]+)(?:(?P<eq>\s*=\s*)"""
    r"""(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>[^\s"'=<>`]+)))?""")
_URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "cite"})


def absolute_urls(body: str | StoredHTML, page_url: str) -> str:
    """``body`` with every ``href``, ``src``, ``cite`` and ``srcset`` URL resolved against
    ``page_url``; already absolute URLs (``https:``, ``mailto:``) are kept as they are."""
    body = str(body)  # (a story's body is kept in the cache: see bodies.py)
    resolve = functools.partial(_resolve, page_url, _origin(page_url))

    def attribute(match: re.Match[str]) -> str:
        name = match.group("name").lower()
        if name not in _URL_ATTRIBUTES or not match.group("eq"):
            return match.group(0)
        raw = match.group("double")
        if raw is None:
            raw = match.group("single")
        if raw is None:
            raw = match.group("bare")
        value = html.unescape(raw)
        if name == "srcset":
            value = _srcset(value, resolve)
        else:
            value = resolve(value.strip())
        return (f'{match.group("lead")}{match.group("name")}{match.group("eq")}'
                f'"{escape(value).replace(chr(34), "&quot;")}"')

    return _URL_TAG.sub(lambda tag: _ATTRIBUTE.sub(attribute, tag.group(0)), body)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _resolve(page_url: str, origin: str, url: str) -> str:
    """``urljoin(page_url, url)``, without its cost for the URLs a body is made of: site
    paths, absolute URLs and fragments."""
    if url.startswith("/") and not url.startswith("//") and "/." not in url:
        return origin + url
    if url.startswith(("https://", "http://", "mailto:", "tel:")):
        return url
    return urljoin(page_url, url)


def _srcset(value: str, resolve: Callable[[str], str]) -> str:
    """Each candidate's URL made absolute; a URL runs to the next space, and a candidate
    to the next comma (as browsers split it)."""
    candidates: list[str] = []
    position, end = 0, len(value)
    while position < end:
        while position < end and (value[position].isspace() or value[position] == ","):
            position += 1
        if position == end:
            break
        start = position
        while position < end and not value[position].isspace():
            position += 1
        url, descriptor = value[start:position], ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            start = position
            while position < end and value[position] != ",":
                position += 1
            descriptor = value[start:position].strip()
        absolute = resolve(url)
        candidates.append(f"{absolute} {descriptor}" if descriptor else absolute)
    return ", ".join(candidates)


# Sitemaps


def sitemap(site: Site, outputs: list[Output]) -> bytes:
    """Every page search engines may index, with the lead photo of each story. A ``noindex``
    site lists none; redirects, the 404 page, tombstones and ``noindex`` stories are left
    out. Without a host in ``base_url`` the URLs are site paths (search engines need a host:
    set one). The row of an output of the last build is as it was (watch mode): a story
    changes only by being read again, and then its pages are planned again, as new
    outputs."""
    config = site.config
    base = config.absolute_base or config.base_path
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<urlset xmlns="{SITEMAP}" xmlns:image="{SITEMAP_IMAGE}">']
    rows = _ROWS.this
    last = _ROWS.last if _ROWS.base == (base, config.noindex, config.images) else {}
    for output in sorted(outputs, key=_BY_URL):
        known = last.get(id(output))
        row = known[1] if known is not None and known[0] is output else _sitemap_row(
            config, base, output)
        rows[id(output)] = (output, row)
        if row is not None:
            lines.append(row)
    _ROWS.base = (base, config.noindex, config.images)
    _ROWS.done()
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _sitemap_row(config: SiteConfig, base: str, output: Output) -> str | None:
    page = output.context.get("page")
    if (output.template in ("redirect.html", "404.html") or config.noindex
            or (isinstance(page, PageMeta) and page.noindex)):
        return None
    article = output.context.get("article")
    changed, image = None, ""
    if isinstance(article, Article):
        changed = _changed(article).date()
        if article.image is not None and output.template == "article.html":
            copy = article.image.copy(config.images.social_width)
            image = copy.url if copy is not None else article.image.url
    return _sitemap_entry(base, output.url, changed, image)


class _Rows(_LastBuild):
    """The sitemap's rows by output (its id; the output kept to prove it is the same)."""

    base: tuple = ()  # what every row depends on


_ROWS = _Rows()
_BY_URL = operator.attrgetter("url")


_NEXT_BUILD = True  # whether this process builds again (see once)


@contextlib.contextmanager
def once() -> Iterator[None]:
    """A build after which this process builds no more (``sitegen build``): what feeds and
    the sitemap remember for a next build is not kept (at 16,000 stories the sitemap's
    rows alone are 15 MiB), and what an earlier build kept is dropped."""
    global _NEXT_BUILD
    kept, _NEXT_BUILD = _NEXT_BUILD, False
    for memo in (_FEEDS, _BODIES, _ROWS):
        memo.last, memo.this = {}, {}
    _ROWS.base = ()
    try:
        yield
    finally:
        _NEXT_BUILD = kept


def _sitemap_entry(base: str, url: str, changed: dt.date | None, image: str) -> str:
    lastmod = f"<lastmod>{changed.isoformat()}</lastmod>" if changed else ""
    if image:
        loc = escape(base + quote_path(image))
        image = f"<image:image><image:loc>{loc}</image:loc></image:image>"
    return f"  <url><loc>{escape(base + quote_path(url))}</loc>{lastmod}{image}</url>"


def news_sitemap_changes(site: Site, now: dt.datetime) -> dt.datetime | None:
    """When the news sitemap next changes by the clock alone: a story's time comes (it
    enters) or its two days are over (it leaves)."""
    return min((when for a in site.articles for when in (a.date, a.date + NEWS_WINDOW)
                if when > now), default=None)


def news_sitemap(site: Site, now: dt.datetime) -> bytes:
    """Google News: the stories published in the two days up to ``now``, newest first,
    except ``noindex`` ones (all of them on a ``noindex`` site). An empty list is still
    written, so the sitemap a newsroom submitted once never goes missing."""
    config = site.config
    since = now - NEWS_WINDOW
    recent = [] if config.noindex else [
        a for a in site.articles if not a.noindex and since <= a.date <= now][:NEWS_LIMIT]
    publication = (f"<news:publication><news:name>{_xml_escape(config.title)}</news:name>"
                   f"<news:language>{news_language(config.language)}</news:language>"
                   "</news:publication>")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<urlset xmlns="{SITEMAP}" xmlns:news="{SITEMAP_NEWS}">']
    for article in recent:
        lines += ["  <url>",
                  f"    <loc>{escape(_absolute(config.absolute_base, article.url))}</loc>",
                  f"    <news:news>{publication}",
                  f"      <news:publication_date>{_stamp(article.date)}"
                  "</news:publication_date>",
                  f"      <news:title>{_xml_escape(article.title)}</news:title>",
                  "    </news:news>",
                  "  </url>"]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def news_language(language: str) -> str:
    """Google News wants an ISO 639 code ("en", "ko"), or zh-cn / zh-tw for Chinese."""
    parts = language.replace("_", "-").lower().split("-")
    if parts[0] == "zh" and len(parts) > 1:
        traditional = any(part in ("hant", "tw", "hk", "mo") for part in parts[1:])
        return "zh-tw" if traditional else "zh-cn"
    return parts[0]


def _xml_escape(text: str) -> str:
    return escape(_xml_text(text))


def robots(site: Site) -> bytes:
    """Crawling is allowed even on a ``noindex`` site: a crawler must fetch a page to read
    the robots meta that keeps it out of the index."""
    text = "User-agent: *\nAllow: /\n"
    base = site.config.absolute_base
    if base:
        text += f"Sitemap: {base}sitemap.xml\nSitemap: {base}news-sitemap.xml\n"
    return text.encode("utf-8")
