"""The data that flows through a build. Dataclasses only: no I/O, no rendering."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sitegen.config import SiteConfig
from sitegen.text import slugify

# Where the taxonomies live; site.py and the templates both go through these.
AUTHORS_PATH = "/authors/"
TAGS_PATH = "/tags/"
ARCHIVE_PATH = "/archive/"
ISSUES_PATH = "/issues/"


@dataclass(frozen=True)
class Byline:
    """One author of one article, as the article's front matter gives them."""

    name: str
    slug: str
    grade: int | None = None
    role: str = ""

    @property
    def url(self) -> str:
        return f"{AUTHORS_PATH}{self.slug}/"


@dataclass(frozen=True)
class Correction:
    date: dt.date
    text: str


@dataclass(frozen=True)
class TagRef:
    """A tag as one article spells it, with the key all spellings merge on."""

    key: str
    name: str

    @property
    def url(self) -> str:
        return f"{TAGS_PATH}{self.key}/"


@dataclass
class Article:
    """An article: typed front matter first, then the fields derived from it."""

    source: str  # path relative to the site root, e.g. "content/news/budget.md"
    title: str
    date: dt.datetime  # timezone-aware, in the site's timezone
    section: str
    bylines: tuple[Byline, ...]
    tags: tuple[TagRef, ...] = ()
    summary: str = ""
    image: str = ""  # site-relative URL of the image, resolved at read time
    image_alt: str = ""
    caption: str = ""
    credit: str = ""
    draft: bool = False
    featured: bool = False
    breaking: bool = False
    updated: dt.datetime | None = None
    corrections: tuple[Correction, ...] = ()
    slug: str = ""
    aliases: tuple[str, ...] = ()
    issue: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # unknown keys, for templates
    body: str = ""  # Markdown source of the body
    body_line: int = 1  # file line of the body's first line
    url: str = ""  # site-relative, e.g. "/news/budget/"
    html: str = ""  # rendered body
    word_count: int = 0

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.word_count / 220))

    @property
    def section_url(self) -> str:
        return f"/{self.section}/"

    @property
    def issue_url(self) -> str:
        return f"{ISSUES_PATH}{slugify(self.issue)}/" if self.issue else ""


@dataclass(frozen=True)
class Profile:
    """A staff profile from ``content/staff/``."""

    source: str
    name: str
    slug: str
    role: str = ""
    grade: int | None = None
    class_year: int | None = None
    photo: str = ""
    bio_html: str = ""


@dataclass(frozen=True)
class Term:
    """One entry of a taxonomy: a section, a tag, an author, a year or a print issue."""

    kind: str  # "section" | "tag" | "author" | "year" | "issue"
    key: str
    name: str
    url: str
    articles: tuple[Article, ...]
    description: str = ""
    profile: Profile | None = None


@dataclass(frozen=True)
class Pager:
    """One page of a paginated list."""

    number: int  # 1-based
    count: int  # number of pages
    items: tuple[Any, ...]
    url: str
    first_url: str
    prev_url: str | None
    next_url: str | None
    urls: tuple[str, ...]  # url of every page, in order


@dataclass(frozen=True)
class PageMeta:
    """What every template knows about the page it renders."""

    kind: str
    url: str
    title: str
    description: str = ""


@dataclass
class Site:
    """Everything the renderer needs, derived from the config and the articles."""

    config: SiteConfig
    articles: tuple[Article, ...]  # published, newest first
    sections: tuple[Term, ...]  # in navigation order
    tags: tuple[Term, ...]  # by name
    authors: tuple[Term, ...]  # by name
    years: tuple[Term, ...]  # newest first
    issues: tuple[Term, ...]  # newest first
    neighbours: dict[str, tuple[Article | None, Article | None]]  # url -> (newer, older)

    @property
    def latest(self) -> Article | None:
        """The newest article: pages that show only it need not change when others do."""
        return self.articles[0] if self.articles else None

    @property
    def latest_issue(self) -> Term | None:
        return self.issues[0] if self.issues else None
