"""``sitegen check``: everything a build validates, plus internal links, anchors, images and
alt text of the rendered pages, without writing anything. Problems in an article or a
staff profile point at its file and line; problems in the theme list the pages they are on.
The editorial checks of :mod:`sitegen.lint` add warnings.
"""

from __future__ import annotations

import os
import posixpath
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitegen.build import BuildOptions, BuiltSite, Reporter, build_in_memory
from sitegen.config import SiteConfig
from sitegen.errors import BuildFailed, ContentError, SitegenError, ThemeError
from sitegen.linkcheck import BrokenLink, check_links
from sitegen.lint import lint_articles
from sitegen.render import url_to_path

# How many pages a theme problem lists before it says "and N more".
PAGES_SHOWN = 3


@dataclass
class CheckReport:
    errors: list[SitegenError] = field(default_factory=list)
    warnings: list[SitegenError] = field(default_factory=list)
    pages: int = 0
    articles: int = 0


@dataclass(frozen=True)
class _Body:
    """Rendered Markdown of one content file, and the pages that show it."""

    source: str  # e.g. "content/news/a.md"
    html: str
    first_line: int  # where the Markdown body starts in the file
    page_prefix: str  # output paths of the pages showing it start with this


def run_check(root: Path, options: BuildOptions | None = None,
              reporter: Reporter | None = None) -> CheckReport:
    """Check the site at ``root``. Content errors are returned, not raised; a usage error
    is still raised."""
    try:
        built = build_in_memory(root, options or BuildOptions(), reporter)
    except BuildFailed as exc:
        return CheckReport(errors=list(exc.errors))
    bodies = _bodies(built)
    # A profile's bio shows on every page of its author's list, so a problem in it is found
    # once per page: keep one.
    unique = {(e.path, e.line, e.message): e
              for e in [*_link_problems(built, bodies), *_alt_problems(built, bodies)]}
    lint = lint_articles(built.site.articles, built.config)
    for warning in lint if reporter is not None else ():
        reporter.warning(warning)  # as the build did with its own warnings
    return CheckReport(errors=sorted(unique.values(), key=_sort_key),
                       warnings=[*built.warnings, *lint],
                       pages=len(built.pages), articles=len(built.site.articles))


def _bodies(built: BuiltSite) -> list[_Body]:
    bodies = [_Body(a.source, str(a.html), a.body_line, url_to_path(a.url))
              for a in built.site.articles]
    for term in built.site.authors:
        if term.profile is not None and term.profile.bio_html:
            prefix = url_to_path(term.url).removesuffix("index.html")
            bodies.append(_Body(term.profile.source, term.profile.bio_html, 1, prefix))
    return bodies


def _link_problems(built: BuiltSite, bodies: list[_Body]) -> list[SitegenError]:
    config = built.config
    host = urlsplit(config.absolute_base).netloc
    broken = check_links(built.pages, built.files, config.base_path, host)
    images = {page: {src for src, _alt in _images(body.decode("utf-8"))}
              for page, body in built.pages.items() if page.endswith(".html")}
    problems: list[SitegenError] = []
    in_theme: dict[str, list[str]] = defaultdict(list)
    for link in broken:
        what = "image" if link.url in images.get(link.page, ()) else "link"
        message = f'{what} "{link.url}" {link.reason}'
        body = next((b for b in bodies if _shows(b, link.page) and _mentions(b.html, link.url)),
                    None)
        if body is None:
            in_theme[message].append(link.page)
            continue
        line = _line_of(config.root, body, _needles(link.url, config))
        problems.append(ContentError(message + _hint(link), body.source, line))
    for message, pages in sorted(in_theme.items()):
        problems.append(ThemeError(f"{message}, on {_pages(pages)} (a template or the site's "
                                   "static files link to it)"))
    return problems


def _alt_problems(built: BuiltSite, bodies: list[_Body]) -> list[SitegenError]:
    """Every image the theme writes needs an alt attribute (alt="" marks decoration).
    Images in articles are checked by the build itself, which knows their lines."""
    problems: list[SitegenError] = []
    in_theme: dict[str, list[str]] = defaultdict(list)
    # An article's body shows on its own page; a bio on its author's pages (a few): look
    # them up rather than trying every body on every page.
    by_page = {body.page_prefix: body for body in bodies if body.page_prefix.endswith(".html")}
    prefixed = [body for body in bodies if not body.page_prefix.endswith(".html")]
    for page, raw in sorted(built.pages.items()):
        if not page.endswith(".html"):
            continue
        html = raw.decode("utf-8")
        shown = [by_page[page]] if page in by_page else []
        for body in shown + [b for b in prefixed if _shows(b, page)]:
            html = html.replace(body.html, "")
        for src, alt in _images(html):
            if alt is None:
                in_theme[src].append(page)
    for src, pages in sorted(in_theme.items()):
        problems.append(ThemeError(f'image "{src}" has no alt attribute, on {_pages(pages)} '
                                   '(add alt="..." in the template, or alt="" if it is only '
                                   "decoration)"))
    return problems


def _hint(link: BrokenLink) -> str:
    if "outside the site's base path" in link.reason:
        return ("; link to another article by its file, e.g. (../news/story.md), so the "
                "address follows base_url")
    return ""


def _shows(body: _Body, page: str) -> bool:
    return page.startswith(body.page_prefix)


def _mentions(html: str, url: str) -> bool:
    return f'="{escape(url)}"' in html or f'="{url}"' in html


def _needles(url: str, config: SiteConfig) -> list[str]:
    """What the author may have written for ``url``, most specific first."""
    base_path = config.base_path
    parts = urlsplit(url)
    needles = [url, unquote(url)]
    if parts.path.startswith(base_path):
        needles.append("/" + unquote(parts.path[len(base_path):]))
    if parts.fragment:
        needles.append("#" + unquote(parts.fragment))
    name = posixpath.basename(unquote(parts.path.rstrip("/")))
    if name:
        needles.append(name)
    return [needle for needle in needles if needle and needle != "/"]


def _line_of(root: Path, body: _Body, needles: Iterable[str]) -> int:
    """The first line of the body that holds a needle, or the body's first line."""
    try:
        text = (root / body.source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return body.first_line
    lines = text.splitlines()
    for needle in needles:
        for number in range(max(body.first_line, 1), len(lines) + 1):
            if needle in lines[number - 1]:
                return number
    return body.first_line


def _pages(pages: list[str]) -> str:
    pages = sorted(set(pages))
    shown = ", ".join(pages[:PAGES_SHOWN])
    more = len(pages) - PAGES_SHOWN
    count = f"{len(pages)} page{'s' if len(pages) != 1 else ''}"
    return f"{count} ({shown}{f' and {more} more' if more > 0 else ''})"


def _sort_key(error: SitegenError) -> tuple[str, int, str]:
    return (error.path or "~", error.line or 0, error.message)


class _ImageCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            values = dict(attrs)
            alt = (values["alt"] or "") if "alt" in values else None
            self.images.append((values.get("src") or "", alt))


def _images(html: str) -> list[tuple[str, str | None]]:
    """(src, alt) of every <img>; alt is None when the attribute is missing."""
    collector = _ImageCollector()
    collector.feed(html)
    collector.close()
    return collector.images


# GitHub Actions workflow commands: https://docs.github.com/actions/reference/workflow-commands


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(level: str, problem: SitegenError, root: Path,
               workspace: Path | None = None) -> str:
    """``::error file=…,line=…::message`` for one problem; ``level`` is error or warning.
    The file is given relative to the workspace (the repository) when it is a real file."""
    properties: list[tuple[str, str]] = []
    if problem.path:
        path = (root / problem.path).resolve()
        base = (workspace or Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd())).resolve()
        if path.is_file() and path.is_relative_to(base):
            properties.append(("file", path.relative_to(base).as_posix()))
            if problem.line:
                properties.append(("line", str(problem.line)))
    properties.append(("title", "sitegen check"))
    message = problem.message if properties[0][0] == "file" else str(problem)
    joined = ",".join(f"{name}={escape_property(value)}" for name, value in properties)
    return f"::{level} {joined}::{escape_data(message)}"
