"""Plan every page of the site with its documented context, and render them to memory.

The context of each page kind is listed in ``docs/templates.md``; ``plan`` is the one
place that builds it.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from sitegen.bodies import BodyLost
from sitegen.deps import Dep, PageCache, PageRecord, Summary, fingerprint, registry, summarize
from sitegen.errors import BuildFailed, ContentError, SitegenError, ThemeError
from sitegen.feeds import generated_files
from sitegen.i18n import Strings
from sitegen.models import (
    ARCHIVE_PATH,
    AUTHORS_PATH,
    CORRECTIONS_PATH,
    ISSUES_PATH,
    SEARCH_PATH,
    STAFF_PATH,
    TAGS_PATH,
    Article,
    Compact,
    PageMeta,
    Site,
    Term,
)
from sitegen.output import FileStat, FreshFolder
from sitegen.paginate import paginate
from sitegen.people import masthead
from sitegen.pool import map_inherited
from sitegen.theme import Theme


@dataclass(frozen=True, slots=True)
class Output(Compact):
    url: str
    template: str
    context: dict[str, Any]
    source: str  # what asked for this page, for collision messages
    article: str = ""  # the source file of the article this page (or redirect) belongs to
    # Its output path (``url_to_path``), made once: outputs are kept from build to build.
    path: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", url_to_path(self.url))


# Written by the renderer beside the planned pages (see feeds.py); the feeds of sections
# and authors, under their pages' folders, are listed by ``feeds.feed_paths(site)``.
GENERATED = ("sitemap.xml", "news-sitemap.xml", "robots.txt", "feed.xml")


@functools.lru_cache(maxsize=65536)
def url_to_path(url: str) -> str:
    """``/news/x/`` -> ``news/x/index.html``; ``/404.html`` -> ``404.html``."""
    path = url.lstrip("/")
    return path + "index.html" if not path or path.endswith("/") else path


def plan(site: Site, today: dt.date, strings: Strings) -> list[Output]:
    """Every page of the site. ``today`` (the build's clock, in the site's time zone)
    decides who is on this year's staff page; ``strings`` give the titles of the pages
    made here."""
    config = site.config
    outputs: list[Output] = [_front_page(site)]
    tags = {term.key: term for term in site.tags}
    sections = {term.key: term for term in site.sections}
    for article in site.articles:
        outputs.extend(article_outputs(site, article, sections, tags))
    for article in site.withdrawn:
        outputs.extend(article_outputs(site, article, sections, tags))
    for doc in site.pages:
        outputs.append(Output(doc.url, "page.html",
                              {"page": PageMeta("page", doc.url, doc.title, doc.summary,
                                                noindex=doc.noindex), "doc": doc},
                              doc.source, doc.source))
    outputs.append(_corrections_page(site, strings))
    outputs.append(_staff_page(site, today, strings))
    for terms, overview, title in (
        (site.sections, None, ""),
        (site.tags, TAGS_PATH, strings.text("tags")),
        (site.authors, AUTHORS_PATH, strings.text("authors")),
        (site.years, ARCHIVE_PATH, strings.text("archive")),
        (site.issues, ISSUES_PATH, strings.text("print_issues")),
    ):
        for term in terms:
            outputs.extend(_term_pages(term, config.per_page, strings))
        if overview:
            kind = overview.strip("/")
            outputs.append(Output(overview, "terms.html",
                                  {"page": PageMeta(kind, overview, title), "terms": list(terms)},
                                  f"the {kind} overview"))
    outputs.append(Output("/404.html", "404.html", {"page": PageMeta("404", "/404.html",
                                                                     strings.text("not_found"))},
                          "404"))
    if config.search:  # Pagefind's interface; the index itself is written after the pages
        outputs.append(Output(SEARCH_PATH, "search.html",
                              {"page": PageMeta("search", SEARCH_PATH, strings.text("search"),
                                                noindex=True)}, "the search page"))
    return outputs


def article_outputs(site: Site, article: Article, sections: dict[str, Term],
                    tags: dict[str, Term]) -> list[Output]:
    """The page of one article (a tombstone once it is withdrawn), and the redirects from
    its old URLs."""
    section = sections[article.section]
    if article.withdrawn:
        meta = PageMeta("withdrawn", article.url, article.title, noindex=True)
        outputs = [Output(article.url, "withdrawn.html",
                          {"page": meta, "article": article, "section": section},
                          article.source, article.source)]
    else:
        outputs = [_article_page(site, article, section, tags)]
    for alias in article.aliases:
        outputs.append(Output(alias, "redirect.html",
                              {"page": PageMeta("redirect", alias, article.title, noindex=True),
                               "target": article.url}, f"{article.source} (alias)",
                              article.source))
    return outputs


def _article_page(site: Site, article: Article, section: Term, tags: dict[str, Term]) -> Output:
    newer, older = site.neighbours.get(article.url, (None, None))
    meta = PageMeta("article", article.url, article.title, article.summary,
                    noindex=article.noindex)
    related = [a for a in section.articles[:6]
               if a is not article and a is not newer and a is not older][:3]
    return Output(article.url, "article.html",
                  {"page": meta, "article": article, "section": section, "newer": newer,
                   "older": older, "related": related,
                   "tags": [tags[t.key] for t in article.tags]}, article.source,
                  article.source)


def _corrections_page(site: Site, strings: Strings) -> Output:
    """Every correction, newest first, each with its story."""
    entries = sorted(((article, correction) for article in site.articles
                      for correction in article.corrections),
                     key=lambda pair: (pair[1].date, pair[0].date, pair[0].source), reverse=True)
    meta = PageMeta("corrections", CORRECTIONS_PATH, strings.text("corrections"),
                    strings.text("corrections_description", site=site.config.title))
    return Output(CORRECTIONS_PATH, "corrections.html", {"page": meta, "corrections": entries},
                  "the corrections page")


def _staff_page(site: Site, today: dt.date, strings: Strings) -> Output:
    author_urls = {term.url for term in site.authors}
    groups, advisers, alumni = masthead(site.staff, author_urls, site.config, today)
    meta = PageMeta("staff", STAFF_PATH, strings.text("staff"),
                    strings.text("staff_intro", site=site.config.title))
    return Output(STAFF_PATH, "staff.html", {"page": meta, "masthead": groups,
                                             "advisers": advisers, "alumni": alumni},
                  "the staff page")


def _front_page(site: Site) -> Output:
    articles = site.articles
    featured = [a for a in articles if a.featured]
    lead = featured[0] if featured else (articles[0] if articles else None)
    rest = [a for a in articles if a is not lead]
    top = sorted(rest[:8], key=lambda a: not a.featured)[:4]
    blocks = [(term, [a for a in term.articles if a is not lead][:4])
              for term in site.sections if term.articles]
    context = {
        "page": PageMeta("index", "/", site.config.title, site.config.description),
        "lead": lead,
        "breaking": [a for a in articles if a.breaking][:3],
        "top_stories": top,
        "section_blocks": [(term, items) for term, items in blocks if items],
    }
    return Output("/", "index.html", context, "the front page")


def _term_pages(term: Term, per_page: int, strings: Strings) -> Iterable[Output]:
    for pager in paginate(term.articles, per_page, term.url):
        title = term.name if pager.number == 1 else strings.text("page_n", title=term.name,
                                                                  number=pager.number)
        meta = PageMeta(term.kind, pager.url, title, term.description)
        yield Output(pager.url, "list.html", {"page": meta, "term": term, "pager": pager},
                     f"the {term.kind} page of {term.name!r}")


# Names Windows refuses for a file or folder, whatever the extension (nul.html too).
WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)),
                              *(f"lpt{n}" for n in range(1, 10))})


# Longest file name, in bytes, on the file systems a site is built and checked out on.
NAME_MAX = 255


def check_collisions(outputs: list[Output]) -> list[SitegenError]:
    """Two pages on one path, also when the paths differ only by letter case (one file on
    macOS and Windows), and paths Windows cannot hold: a checkout there would break."""
    owners: dict[str, Output] = {}
    errors: list[SitegenError] = []
    for output in outputs:
        path = output.path
        other = owners.setdefault(path.casefold(), output)
        if other is not output:
            same = "" if other.path == path else f" (and {other.url}: they differ " \
                                                              "only by letter case)"
            message = f"{output.source} and {other.source} would both write {output.url}{same}"
            errors.append(ContentError(message, output.article or other.article or None))
        segments = path.split("/")
        too_long = next((s for s in segments if len(s.encode("utf-8")) > NAME_MAX), None)
        reserved = next((s for s in segments if s.split(".")[0].casefold() in WINDOWS_RESERVED),
                        None)
        if too_long:
            errors.append(ContentError(
                f"the address {output.url} has a part of {len(too_long.encode('utf-8'))} "
                f"bytes, longer than the {NAME_MAX} a file name may have; give it a shorter "
                "slug (file name), alias or tag", _owner(output)))
        elif reserved:
            what = (f"{output.source}: the address" if not output.article
                    else "the alias" if output.source.endswith("(alias)") else "the address")
            errors.append(ContentError(
                f"{what} {output.url} holds {reserved!r}, a name Windows does not allow for a "
                "file; change the slug, alias or tag", _owner(output)))
    return errors


def _owner(output: Output) -> str | None:
    """The file to blame for a page: its article, or for a tag's page a story with the tag."""
    term = output.context.get("term")
    return output.article or (term.articles[0].source if term and term.articles else None)


def render_pages(theme: Theme, site: Site, outputs: list[Output],
                 progress: Callable[[int], None] | None = None, cache: PageCache | None = None,
                 unchanged: set[Any] | None = None,
                 fresh: set[str] | None = None, *, now: dt.datetime,
                 jobs: int = 1, into: FreshFolder | None = None
                 ) -> dict[str, bytes | None]:
    """Render every output to bytes keyed by output path, with the feeds, sitemaps and
    robots.txt beside them (``now``, the build's clock, dates the news sitemap); template
    errors are collected. Pages are rendered on up to ``jobs`` processes (0: every core).

    Without a ``cache`` (a one-off build) nothing is recorded. With the ``cache`` of the
    previous build, a page is rendered again only when its context or a value it read
    changed; ``unchanged`` names entities known to be the same. ``fresh``, when given,
    lists the only paths whose context may differ from last time. A cached page whose bytes
    the cache does not hold (a build that started from ``state.py``) comes back as None;
    so does every page written ``into`` a fresh folder as soon as it is rendered (not held
    in memory; a worker process writes the pages it renders itself).
    """
    global _RENDERING
    env = theme.env
    entities: dict[Any, Any] = {}
    stale: set[str] = set()
    if cache is not None:
        if fresh is not None and cache.entities:
            entities = cache.entities  # the same site and list pages as last time (see fresh)
        else:
            entities = registry(site, [o.context["pager"] for o in outputs
                                       if "pager" in o.context])
        stale = cache.stale(env, entities, (unchanged or set()) | cache.same_entities(entities))
    pages: dict[str, bytes | None] = {}
    contexts: dict[str, dict[str, Any]] = {}
    todo: list[int] = []
    for index, output in enumerate(outputs):
        path = output.path
        if cache is not None:
            cached = cache.pages.get(path)
            if cached is not None and fresh is not None and path not in fresh:
                if path not in stale:  # same context (see ``fresh``), nothing read changed
                    pages[path] = cached.body
                    continue
                context = cached.context
            else:
                context = {name: fingerprint(value) for name, value in output.context.items()}
            if cached is not None and path not in stale and cached.context == context:
                pages[path] = cached.body
                continue
            contexts[path] = context
        pages[path] = None  # rendered below (keeps the order of the outputs)
        todo.append(index)
    errors: list[SitegenError] = []
    _RENDERING = (theme, site, outputs, cache is not None, {}, set(), into, os.getpid())
    try:
        for index, (html, deps, error) in zip(todo, map_inherited(_render_page, todo, jobs),
                                              strict=True):
            path = outputs[index].path
            if error is not None:
                if str(error) not in {str(e) for e in errors}:
                    errors.append(error)
                continue
            if into is not None:
                if isinstance(html, bytes):
                    into.add(path, html)
                else:  # written by the worker that rendered it: what is on disk
                    into.written(path, html)  # type: ignore[arg-type]
                html = None
            pages[path] = html
            if cache is not None:
                cache.store(path, PageRecord(contexts[path], deps, html), env, entities)
            if progress:
                progress(1)
    finally:
        _RENDERING = None
    if errors:
        raise BuildFailed(errors)
    if cache is not None:
        cache.forget_except(set(pages))
    pages.update(generated_files(site, outputs, now))
    return pages


# What _render_page renders with, in this process or a forked worker (see pool.py): the
# theme, the site, the outputs, whether reads are recorded, the templates loaded so far,
# the reads given so far (see deps.summarize), the fresh folder the pages go into, and
# the process that renders them with the workers.
_RENDERING: tuple[Theme, Site, list[Output], bool, dict[str, jinja2.Template],
                  set[Dep], FreshFolder | None, int] | None = None


def _render_page(index: int) -> tuple[bytes | FileStat | None, Summary, ThemeError | None]:
    """One page: its bytes (or, in a worker writing into a fresh folder, what it wrote)
    and what it read, or the template's error."""
    theme, site, outputs, tracking, templates, given, into, parent = _RENDERING  # type: ignore[misc]
    output = outputs[index]
    env = theme.env
    if tracking:
        env.recording = set()
    try:
        template = templates.get(output.template)
        if template is None:
            template = templates[output.template] = env.get_template(output.template)
        html = template.render(site=site, **output.context)
    except BodyLost:  # not the template's fault: the builder renders the story again
        raise
    except Exception as exc:  # noqa: BLE001 - a filter's TypeError, a self-extending
        # template's RecursionError...: whatever a template raises is the template's error
        return None, (frozenset(), frozenset()), template_error(exc, theme.template_dirs,
                                                                site.config.root)
    finally:
        reads, env.recording = env.recording, None
    data = html.encode("utf-8")
    if into is not None and os.getpid() != parent:  # a worker: spare the parent the bytes
        return into.write_now(output.path, data), summarize(reads or set(), given), None
    return data, summarize(reads or set(), given), None


def template_error(exc: Exception, dirs: tuple[Path, ...], root: Path) -> ThemeError:
    """Point at the template file and line, found in the traceback Jinja rewrites for us
    (the innermost template frame: where the failing expression is)."""
    path, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if path is None:
        for frame, frame_line in traceback.walk_tb(exc.__traceback__):
            name = frame.f_code.co_filename
            if any(name.startswith(str(d)) for d in dirs):
                path, line = name, frame_line
    shown = path
    if path:
        resolved = Path(path).resolve()
        shown = str(resolved.relative_to(root.resolve())) if resolved.is_relative_to(
            root.resolve()) else f"(built-in theme) {resolved.name}"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        message = exc.message or str(exc)
    elif isinstance(exc, jinja2.TemplateError):
        message = str(exc)
    elif isinstance(exc, RecursionError):
        message = "endless recursion (a template that extends or includes itself?)"
    else:
        message = f"{type(exc).__name__}: {exc}"
    return ThemeError(f"template error: {message}", shown, line)
