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

import datetime as dt
import functools
import html
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from urllib.parse import urljoin
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

from sitegen.models import Article, PageMeta, Site
from sitegen.theme import quote_path

if TYPE_CHECKING:
    from sitegen.render import Output

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


def feeds(site: Site) -> dict[str, bytes]:
    """The site's feed, one per section and one per author page, keyed by output path."""
    content = _Bodies(site.config.absolute_base)
    return {url.lstrip("/"): atom_feed(site, title, page_url, url, articles[:FEED_SIZE],
                                       content)
            for url, (title, page_url), articles in _feeds_of(site)}


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


def atom_feed(site: Site, title: str, page_url: str, feed_url: str,
              articles: Iterable[Article], content: Callable[[Article], str]) -> bytes:
    """One Atom feed of ``articles`` (newest first); ``content`` gives an entry's HTML."""
    config = site.config
    absolute = functools.partial(_absolute, config.absolute_base)
    articles = list(articles)
    # The namespace is written as a plain attribute: ElementTree then needs no prefix
    # registered (a process-wide setting) to write Atom as its default namespace.
    feed = ET.Element("feed", {"xmlns": ATOM, _XML_LANG: config.language})
    _add(feed, "title", title)
    if config.tagline:
        _add(feed, "subtitle", config.tagline)
    _add(feed, "link", rel="self", type="application/atom+xml", href=absolute(feed_url))
    _add(feed, "link", rel="alternate", type="text/html", href=absolute(page_url))
    _add(feed, "id", absolute(feed_url))
    newest = max((_changed(article) for article in articles), default=_EPOCH)
    _add(feed, "updated", _stamp(newest))
    _add(feed, "generator", "sitegen")
    for article in articles:
        entry = _add(feed, "entry")
        url = absolute(article.url)
        _add(entry, "title", article.title)
        _add(entry, "link", rel="alternate", type="text/html", href=url)
        _add(entry, "id", url)
        _add(entry, "published", _stamp(article.date))
        _add(entry, "updated", _stamp(_changed(article)))
        for byline in article.bylines:  # names as shown: the name policy already applied
            _add(_add(entry, "author"), "name", byline.name)
        if article.summary:
            _add(entry, "summary", article.summary)
        for tag in article.tags:
            _add(entry, "category", term=tag.key, label=tag.name)
        _add(entry, "content", content(article), type="html")
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


class _Bodies:
    """Article bodies for feeds: every link and image URL made absolute against the
    article's own URL (a feed reader shows the body away from the site), each body once."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.done: dict[str, str] = {}

    def __call__(self, article: Article) -> str:
        body = self.done.get(article.source)
        if body is None:
            body = self.done[article.source] = absolute_urls(
                article.html, _absolute(self.base, article.url))
        return body


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


def absolute_urls(body: str, page_url: str) -> str:
    """``body`` with every ``href``, ``src``, ``cite`` and ``srcset`` URL resolved against
    ``page_url``; already absolute URLs (``https:``, ``mailto:``) are kept as they are."""

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
            value = _srcset(value, page_url)
        else:
            value = urljoin(page_url, value.strip())
        return (f'{match.group("lead")}{match.group("name")}{match.group("eq")}'
                f'"{escape(value, {chr(34): "&quot;"})}"')

    return _URL_TAG.sub(lambda tag: _ATTRIBUTE.sub(attribute, tag.group(0)), body)


def _srcset(value: str, page_url: str) -> str:
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
        absolute = urljoin(page_url, url)
        candidates.append(f"{absolute} {descriptor}" if descriptor else absolute)
    return ", ".join(candidates)


# Sitemaps


def sitemap(site: Site, outputs: list[Output]) -> bytes:
    """Every page search engines may index, with the lead photo of each story. A ``noindex``
    site lists none; redirects, the 404 page, tombstones and ``noindex`` stories are left
    out. Without a host in ``base_url`` the URLs are site paths (search engines need a host:
    set one)."""
    config = site.config
    base = config.absolute_base or config.base_path
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<urlset xmlns="{SITEMAP}" xmlns:image="{SITEMAP_IMAGE}">']
    for output in sorted(outputs, key=lambda o: o.url):
        page = output.context.get("page")
        if (output.template in ("redirect.html", "404.html") or config.noindex
                or (isinstance(page, PageMeta) and page.noindex)):
            continue
        article = output.context.get("article")
        changed, image = None, ""
        if isinstance(article, Article):
            changed = _changed(article).date()
            if article.image is not None and output.template == "article.html":
                copy = article.image.copy(config.images.social_width)
                image = copy.url if copy is not None else article.image.url
        lines.append(_sitemap_entry(base, output.url, changed, image))
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


@functools.lru_cache(maxsize=65536)
def _sitemap_entry(base: str, url: str, changed: dt.date | None, image: str) -> str:
    lastmod = f"<lastmod>{changed.isoformat()}</lastmod>" if changed else ""
    if image:
        loc = escape(base + quote_path(image))
        image = f"<image:image><image:loc>{loc}</image:loc></image:image>"
    return f"  <url><loc>{escape(base + quote_path(url))}</loc>{lastmod}{image}</url>"


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
