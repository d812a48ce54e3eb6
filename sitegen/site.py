"""Pure: published articles -> a :class:`Site` (URLs, sections, tags, authors, archives)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from sitegen.config import SiteConfig
from sitegen.errors import ContentError
from sitegen.models import (
    ARCHIVE_PATH,
    AUTHORS_PATH,
    ISSUES_PATH,
    TAGS_PATH,
    Article,
    Page,
    Profile,
    Site,
    Term,
)
from sitegen.text import slugify


def article_url(pattern: str, article: Article) -> str:
    when = article.date
    return pattern.format(section=article.section, slug=article.slug, year=f"{when.year:04d}",
                          month=f"{when.month:02d}", day=f"{when.day:02d}")


def assign_urls(config: SiteConfig, articles: Iterable[Article]) -> list[ContentError]:
    """Give every article its URL; two articles on one URL is an error naming both."""
    errors: list[ContentError] = []
    owners: dict[str, Article] = {}
    for article in sorted(articles, key=lambda a: a.source):
        article.url = article_url(config.permalink, article)
        for url in (article.url, *article.aliases):
            other = owners.setdefault(url, article)
            if other is not article:
                errors.append(ContentError(
                    f"{url} is also the URL of {other.source}; give one of them another "
                    f'"slug"', article.source, 1))
    return errors


class Urls:
    """``assign_urls`` for the builds of one builder (watch mode), remembering its answer:
    when every article has the URL and aliases it had, no two can newly share one, and
    only the articles read again need their URL set."""

    def __init__(self, config: SiteConfig) -> None:
        self.config = config
        self.by_rel: dict[str, str] = {}  # content-relative path of each article -> URL
        self._given: dict[str, tuple[Article, str, tuple[str, ...]]] = {}
        self._answer: list[ContentError] | None = None

    def assign(self, articles: list[Article],
               fresh: list[Article] | None = None) -> list[ContentError]:
        """``fresh``: the only articles that can differ from the last call's (see
        ``People.attach``)."""
        same = self._answer is not None and len(articles) == len(self._given)
        for article in articles if fresh is None else fresh:
            given = self._given.get(article.source)
            if given is None:
                same = False
            elif same and given[0] is not article:
                url = article_url(self.config.permalink, article)
                same = url == given[1] and article.aliases == given[2]
                article.url = url
                self._given[article.source] = (article, url, article.aliases)
        if same:
            return list(self._answer)  # type: ignore[arg-type]
        errors = assign_urls(self.config, articles)
        self._given = {a.source: (a, a.url, a.aliases) for a in articles}
        self.by_rel = {a.source.removeprefix("content/"): a.url for a in articles}
        self._answer = errors
        return list(errors)


def newest_first(articles: Iterable[Article]) -> tuple[Article, ...]:
    return tuple(sorted(articles, key=lambda a: (-a.date.timestamp(), a.source)))


def build_site(config: SiteConfig, articles: Iterable[Article],
               profiles: Iterable[Profile] = (), pages: Iterable[Page] = ()) -> Site:
    """``profiles`` as shown (see ``people``). Withdrawn articles keep only their page."""
    articles = list(articles)
    withdrawn = newest_first(a for a in articles if a.withdrawn)
    ordered = newest_first(a for a in articles if not a.withdrawn)
    profiles = tuple(profiles)
    by_section: dict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        by_section[article.section].append(article)
    sections = tuple(
        Term("section", s.key, s.name, f"/{s.key}/", tuple(by_section[s.key]), s.description)
        for s in config.sections
    )
    tags = _group(ordered, "tag", TAGS_PATH,
                  lambda a: [(t.key, t.name) for t in a.tags])
    profile_by_slug = {p.slug: p for p in profiles}
    authors = tuple(
        Term(t.kind, t.key, profile_by_slug[t.key].name if t.key in profile_by_slug else t.name,
             t.url, t.articles, profile=profile_by_slug.get(t.key))
        for t in _group(ordered, "author", AUTHORS_PATH,
                        lambda a: [(b.slug, b.name) for b in a.bylines if b.has_page])
    )
    years = tuple(sorted(_group(ordered, "year", ARCHIVE_PATH,
                                lambda a: [(str(a.date.year), str(a.date.year))]),
                         key=lambda t: t.key, reverse=True))
    issues = tuple(sorted(_group(ordered, "issue", ISSUES_PATH,
                                 lambda a: [(slugify(a.issue), a.issue)] if a.issue else []),
                          key=lambda t: (-t.articles[0].date.timestamp(), t.key)))
    neighbours: dict[str, tuple[Article | None, Article | None]] = {}
    for term in sections:
        items = term.articles
        for index, article in enumerate(items):
            newer = items[index - 1] if index > 0 else None
            older = items[index + 1] if index + 1 < len(items) else None
            neighbours[article.url] = (newer, older)
    return Site(config=config, articles=ordered, sections=sections, tags=tags, authors=authors,
                years=years, issues=issues, withdrawn=withdrawn,
                staff=tuple(sorted(profiles, key=lambda p: (p.name, p.source))),
                pages=tuple(sorted(pages, key=lambda p: (p.order, p.title, p.source))),
                neighbours=neighbours)


def _group(articles: tuple[Article, ...], kind: str, prefix: str,
           keys: Callable[[Article], list[tuple[str, str]]]) -> tuple[Term, ...]:
    """One generic taxonomy: articles grouped by key, each term named by its most used
    spelling (ties go to the alphabetically first, so output never depends on file order)."""
    members: dict[str, list[Article]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for article in articles:
        for key, name in keys(article):
            if key:
                members[key].append(article)
                spellings[key][name] += 1
    terms = []
    for key, items in members.items():
        name = min(spellings[key].items(), key=lambda item: (-item[1], item[0]))[0]
        terms.append(Term(kind, key, name, f"{prefix}{key}/", tuple(items)))
    return tuple(sorted(terms, key=lambda t: (t.name.casefold(), t.key)))
