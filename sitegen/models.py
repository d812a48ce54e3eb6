"""The data that flows through a build. Dataclasses only: no I/O, no rendering."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from sitegen.config import SiteConfig
from sitegen.text import slugify

if TYPE_CHECKING:
    from sitegen.bodies import StoredHTML

# Where the taxonomies live; site.py and the templates both go through these.
AUTHORS_PATH = "/authors/"
TAGS_PATH = "/tags/"
ARCHIVE_PATH = "/archive/"
ISSUES_PATH = "/issues/"
CORRECTIONS_PATH = "/corrections/"
STAFF_PATH = "/staff/"
SEARCH_PATH = "/search/"  # the search page (when search is on); see search.py


@dataclass(frozen=True)
class Copy:
    """One published copy of a photo at one width: the fallback file and its WebP twin."""

    width: int
    height: int
    url: str  # JPEG or PNG, site-relative
    webp: str


@dataclass(frozen=True)
class Picture:
    """An image as published: resized copies of a photo, or an SVG or GIF as it is.

    ``str(picture)`` is the URL of its default copy, so ``{{ article.image | url }}`` still
    works in a template; the theme's ``picture`` macro writes the whole ``<picture>``.
    """

    source: str  # the original, e.g. "content/news/budget.jpg"; never published
    width: int  # of the default copy (the ``src``), upright
    height: int
    url: str  # the default copy, site-relative
    mime: str  # of the fallback copies: image/jpeg, image/png, image/svg+xml, image/gif
    copies: tuple[Copy, ...] = ()  # narrowest first; empty for SVG and GIF
    key: str = ""  # the cache entry holding the copies

    def __str__(self) -> str:
        return self.url

    def srcset(self, webp: bool = False, up_to: int = 0) -> str:
        """``url 480w, url 960w, ...``; ``up_to`` leaves out wider copies (cards)."""
        chosen = [c for c in self.copies if not up_to or c.width <= up_to] or self.copies[:1]
        return ", ".join(f"{c.webp if webp else c.url} {c.width}w" for c in chosen)

    def copy(self, width: int) -> Copy | None:
        """The widest copy no wider than ``width`` (the narrowest when all are wider)."""
        fitting = [c for c in self.copies if c.width <= width]
        return fitting[-1] if fitting else (self.copies[0] if self.copies else None)


class Compact:
    """The base of the data classes a build keeps by the thousand (``slots=True``, no
    ``__dict__``): pickled as a tuple of their fields' values. Pickle keeps every object
    it wrote until it is done, the state of each object too; a dict for each would make
    saving a large build's memory (state.py) cost as much memory again."""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # In the class's own namespace: @dataclass(frozen=True, slots=True) otherwise gives
        # the class its own, which lists the fields anew for every object (a tenth of the
        # time a build after one edit takes to save its memory).
        cls.__getstate__ = Compact.__getstate__  # type: ignore[method-assign]
        cls.__setstate__ = Compact.__setstate__  # type: ignore[method-assign]

    def __getstate__(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self.__slots__])  # type: ignore[attr-defined]

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip(self.__slots__, state, strict=True):  # type: ignore[attr-defined]
            object.__setattr__(self, name, value)

    def take(self, other: Compact) -> None:
        """Hold what ``other``, of the same class, holds (an object others point to,
        brought up to date)."""
        self.__setstate__(other.__getstate__())


_Value = TypeVar("_Value")
_SHARED: dict[Any, Any] = {}


def shared(value: _Value) -> _Value:
    """One object for all equal immutable values (a tag, a byline; what pages read, in
    deps.py): thousands of stories name the same few hundred tags and authors, thousands of
    pages the same entities, and each copy would be kept in memory and in the build cache.
    Never forgets: it holds each distinct value the process has seen."""
    return _SHARED.setdefault(value, value)


@dataclass(frozen=True)
class Byline:
    """One author of one article. As read, the name is as written; once ``people.credit``
    has run, it is the name as the site shows it (the name policy applied), with the grade
    as of the story's date, or the class year of a graduate."""

    name: str
    slug: str
    grade: int | None = None
    role: str = ""
    class_of: int | None = None  # set for a graduate, instead of a grade
    has_page: bool = True  # False: the author opted out of an author page

    @property
    def url(self) -> str:
        """The author page, or "" when there is none (the byline is then plain text)."""
        return f"{AUTHORS_PATH}{self.slug}/" if self.has_page else ""


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


@dataclass(slots=True)
class Article(Compact):
    """An article: typed front matter first, then the fields derived from it."""

    source: str  # path relative to the site root, e.g. "content/news/budget.md"
    title: str
    date: dt.datetime  # timezone-aware, in the site's timezone
    section: str
    bylines: tuple[Byline, ...]
    tags: tuple[TagRef, ...] = ()
    summary: str = ""  # as written, else the first paragraph (for cards and feeds)
    dek: str = ""  # the summary as written: the standfirst under the headline
    image: Picture | None = None  # the lead photo
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
    withdrawn: str = ""  # the editor's note; the story then leaves every listing
    noindex: bool = False  # kept out of search engines and sitemaps
    legacy: bool = False  # an imported archive story: gentler rules (warnings, not errors)
    extra: dict[str, Any] = field(default_factory=dict)  # unknown keys, for templates
    body: str | None = ""  # Markdown source of the body (None once a build kept it)
    body_line: int = 1  # file line of the body's first line
    url: str = ""  # site-relative, e.g. "/news/budget/"
    written: tuple[Byline, ...] = ()  # the bylines as the front matter wrote them
    html: str | StoredHTML = ""  # rendered body (kept in the build cache: see bodies.py)
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
    """A staff profile from ``content/staff/``. In the Site, ``name`` is the name as shown
    (the name policy applied) and ``spellings`` is empty: no template can print a full name
    the policy hides."""

    source: str
    name: str
    slug: str
    role: str = ""
    grade: int | None = None
    class_year: int | None = None
    photo: Picture | None = None
    bio_html: str = ""
    spellings: tuple[str, ...] = ()  # other ways bylines write the name
    names: str = ""  # "full" or "initial": overrides the site's policy
    author_page: bool = True

    @property
    def is_student(self) -> bool:
        """Advisers and teachers (a role, no grade, no class year) keep their full names."""
        return self.grade is not None or self.class_year is not None


@dataclass
class Page:
    """A plain page from ``content/pages/`` (About, Contact, Privacy): in the footer or the
    navigation, never in a list, feed or archive."""

    source: str
    title: str
    slug: str
    url: str
    summary: str = ""
    menu: str = "footer"  # footer | nav | none
    order: int = 0
    noindex: bool = False
    body: str = ""
    body_line: int = 1
    html: str = ""


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


@dataclass(frozen=True, slots=True)
class Pager(Compact):
    """One page of a paginated list."""

    number: int  # 1-based
    count: int  # number of pages
    items: tuple[Any, ...]
    url: str
    first_url: str
    prev_url: str | None
    next_url: str | None
    urls: tuple[str, ...]  # url of every page, in order


@dataclass(frozen=True, slots=True)
class PageMeta(Compact):
    """What every template knows about the page it renders."""

    kind: str
    url: str
    title: str
    description: str = ""
    noindex: bool = False  # robots: keep this page out of search engines


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
    withdrawn: tuple[Article, ...]  # kept as tombstone pages only
    staff: tuple[Profile, ...]  # every profile, names as shown
    pages: tuple[Page, ...]  # plain pages, by menu order then title
    neighbours: dict[str, tuple[Article | None, Article | None]]  # url -> (newer, older)

    @property
    def latest(self) -> Article | None:
        """The newest article: pages that show only it need not change when others do."""
        return self.articles[0] if self.articles else None

    @property
    def latest_issue(self) -> Term | None:
        return self.issues[0] if self.issues else None
