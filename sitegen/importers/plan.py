"""Posts of the old site -> sitegen articles: section, slug, file, bylines, tags and old URLs,
each decision written down for the report (the text itself is ``compose``'s)."""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from sitegen.config import SiteConfig
from sitegen.content import normalize_site_path, scan, split_front_matter
from sitegen.errors import ContentError, UsageError, did_you_mean
from sitegen.importers.convert import Log
from sitegen.importers.media import Placement, Targets
from sitegen.importers.source import SourcePost, SourceSite
from sitegen.text import slugify, tag_key

# Names newsrooms give their sections, for a category that names none of the site's own.
_USUAL = {
    "editorial": "opinion", "editorials": "opinion", "op-ed": "opinion", "column": "opinion",
    "columns": "opinion", "letters": "opinion", "commentary": "opinion",
    "entertainment": "arts", "review": "arts", "reviews": "arts", "music": "arts",
    "film": "arts", "theater": "arts", "theatre": "arts", "culture": "arts",
    "tech": "science", "technology": "science", "stem": "science",
    "international": "world", "global": "world",
    "student-life": "campus", "school": "campus", "clubs": "campus",
    "athletics": "sports", "sport": "sports", "profiles": "features", "feature": "features",
}
_DROPPED_CATEGORIES = {"uncategorized", "uncategorised", "posts", "post", "blog", "미분류"}
_SLUG_BYTES = 150  # a file name, in UTF-8, leaves room for the folder on every system


@dataclass
class SectionChoice:
    section: str
    how: str  # how the category led to it
    category: str = ""


class Sections:
    """Categories -> the site's sections: --section-map first, then the same name, a close
    name, a usual newsroom name, else the first section (each decision kept)."""

    def __init__(self, config: SiteConfig, overrides: Mapping[str, str]) -> None:
        self.sections = config.sections
        self.overrides = {slugify(old): new for old, new in overrides.items()}
        self.used: dict[str, SectionChoice] = {}  # category -> what it led to
        self.unmatched: dict[str, str] = {}  # category that matched nothing -> section taken

    def match(self, category: str) -> SectionChoice | None:
        key = slugify(category)
        if not key:
            return None
        if key in self.overrides:
            return SectionChoice(self.overrides[key], "--section-map", category)
        keys = {s.key: s for s in self.sections}
        for section in self.sections:
            if key in (section.key, slugify(section.name)):
                return SectionChoice(section.key, "same name", category)
        for section in self.sections:
            if key.rstrip("s") == section.key.rstrip("s"):
                return SectionChoice(section.key, "singular/plural", category)
        for word in key.split("-"):
            if word in keys:
                return SectionChoice(word, "word of the category", category)
        for section in self.sections:
            if key in slugify(section.name).split("-"):
                return SectionChoice(section.key, f'word of "{section.name}"', category)
        if _USUAL.get(key) in keys:
            return SectionChoice(_USUAL[key], "usual newsroom name", category)
        names = {slugify(s.name): s.key for s in self.sections}
        names.update({s.key: s.key for s in self.sections})
        close = difflib.get_close_matches(key, sorted(names), n=1, cutoff=0.8)
        if close:
            return SectionChoice(names[close[0]], f'close to "{close[0]}"', category)
        return None

    def choose(self, post: SourcePost) -> tuple[SectionChoice, list[str]]:
        """The section, and the categories left over (they become tags)."""
        categories = [c for c in post.categories if slugify(c) not in _DROPPED_CATEGORIES]
        candidates = categories + ([post.section_hint] if post.section_hint else [])
        for candidate in candidates:
            choice = self.match(candidate)
            if choice is not None:
                self.used.setdefault(candidate, choice)
                return choice, [c for c in categories if c != candidate]
        first = self.sections[0].key
        for category in categories or candidates:
            self.unmatched.setdefault(category, first)
        if categories:
            how = f'no section matches "{categories[0]}": the first section'
            return SectionChoice(first, how, categories[0]), categories[1:]
        return SectionChoice(first, "no category: the first section"), []


_AUTHOR_SPLIT = re.compile(r"\s*(?:,\s*(?:and|&)\s+|\s+and\s+|\s*&\s*|\s*;\s*|,\s*|\s+및\s+)",
                           re.IGNORECASE)
_SUFFIX = re.compile(r"^(jr|sr|ii|iii|iv)\.?$", re.IGNORECASE)


def split_authors(names: list[str]) -> list[str]:
    """"Mina Park & Jun Seo", "A and B", "A, B, and C" -> one name each; "By " dropped."""
    out: list[str] = []
    for written in names:
        written = re.sub(r"^\s*by\s+", "", written, flags=re.IGNORECASE)
        for part in _AUTHOR_SPLIT.split(written):
            part = " ".join(part.split())
            if not part:
                continue
            if _SUFFIX.match(part) and out:
                out[-1] = f"{out[-1]}, {part}"
            elif part not in out:
                out.append(part)
    return out


def safe_slug(wanted: str, title: str) -> str:
    slug = slugify(wanted) or slugify(title) or "untitled"
    if len(slug.encode()) > _SLUG_BYTES:
        cut = slug.encode()[:_SLUG_BYTES].decode("utf-8", errors="ignore")
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug


# -- the articles -------------------------------------------------------------------------------

@dataclass
class Article:
    post: SourcePost
    section: SectionChoice
    slug: str
    rel: str  # content-relative path: news/x.md
    authors: list[str]
    tags: list[str]
    aliases: list[str]
    url: str  # its new URL
    log: Log = field(default_factory=Log)
    notes: list[str] = field(default_factory=list)
    text: str = ""
    copies: list[Placement] = field(default_factory=list)
    fixes: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    outcome: str = ""


def plan(site: SourceSite, config: SiteConfig,
         overrides: Mapping[str, str]) -> tuple[list[Article], Sections]:
    sections = Sections(config, overrides)
    taken: dict[str, str] = {}  # rel path -> origin
    articles: list[Article] = []
    for post in sorted(site.posts, key=lambda p: (p.date, p.origin)):
        choice, extra = sections.choose(post)
        slug = safe_slug(post.slug, post.title)
        notes = list(post.notes)
        if slug != post.slug:
            notes.append(f'slug "{post.slug}" -> "{slug}"' if post.slug else
                         f'slug made from the title: "{slug}"')
        base, number = slug, 1
        while f"{choice.section}/{slug}.md" in taken:
            number += 1
            slug = f"{base}-{number}"
        if slug != base:
            notes.append(f'"{base}" is taken in {choice.section}/ by '
                         f'{taken[f"{choice.section}/{base}.md"]}: named "{slug}"')
        rel = f"{choice.section}/{slug}.md"
        taken[rel] = post.origin
        authors = split_authors(post.authors)
        if not authors:
            authors = ["Staff"]
            notes.append('no author in the source: "Staff"')
        elif len(authors) != len(post.authors):
            notes.append("bylines split: " + " + ".join(f'"{a}"' for a in post.authors)
                         + " -> " + ", ".join(authors))
        tags = _tags(post.tags + extra)
        if extra:
            notes.append("other categories kept as tags: " + ", ".join(extra))
        when = post.date.astimezone(config.zone)
        url = config.permalink.format(section=choice.section, slug=slug, year=f"{when.year:04d}",
                                      month=f"{when.month:02d}", day=f"{when.day:02d}")
        articles.append(Article(post=post, section=choice, slug=slug, rel=rel, authors=authors,
                                tags=tags, aliases=[], url=url, notes=notes))
    _assign_aliases(articles, config)
    return articles, sections


def _tags(names: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        key = tag_key(name)
        if key and key not in seen:
            seen[key] = " ".join(name.split())
    return list(seen.values())


def _assign_aliases(articles: list[Article], config: SiteConfig) -> None:
    """Every old URL an article had, unless it is the new URL or another page's: those are
    dropped and said."""
    ours = {a.rel for a in articles}
    owners = _existing_urls(config, ours)
    for article in articles:
        owners.setdefault(article.url, f"content/{article.rel}")
    for article in articles:
        for alias in dict.fromkeys(article.post.aliases):
            if alias == article.url:
                continue
            owner = owners.get(alias)
            if owner is not None and owner != f"content/{article.rel}":
                article.notes.append(f"old URL {alias} not kept: it is the address of {owner}")
                continue
            owners[alias] = f"content/{article.rel}"
            article.aliases.append(alias)


def _existing_urls(config: SiteConfig, ours: set[str]) -> dict[str, str]:
    """URLs and aliases of the site's own articles (not those this import writes)."""
    urls: dict[str, str] = {}
    for rel in scan(config.content_dir).articles:
        if rel in ours:
            continue
        try:
            fm = split_front_matter((config.content_dir / rel).read_bytes(), rel)
        except (ContentError, OSError):
            continue
        data = fm.data
        date = data.get("date")
        if not isinstance(date, dt.date):
            continue
        section = str(data.get("section") or rel.split("/")[0])
        slug = str(data.get("slug") or posixpath.splitext(posixpath.basename(rel))[0])
        url = config.permalink.format(section=section, slug=slug, year=f"{date.year:04d}",
                                      month=f"{date.month:02d}", day=f"{date.day:02d}")
        urls[url] = f"content/{rel}"
        aliases = data.get("aliases") or []
        for alias in [aliases] if isinstance(aliases, str) else aliases:
            path = normalize_site_path(alias) if isinstance(alias, str) else None
            if path:
                urls[path] = f"content/{rel}"
    return urls


def targets_of(articles: list[Article], now: dt.datetime) -> Targets:
    targets = Targets(articles={article.rel for article in articles})
    for article in articles:
        live = not article.post.draft and article.post.date <= now
        table = targets.published if live else targets.unpublished
        for path in (*article.post.aliases, article.url):
            table.setdefault(path, article.rel)
        if article.post.post_id and live:
            targets.by_id[str(article.post.post_id)] = article.rel
    return targets


def refs_of(articles: list[Article], now: dt.datetime) -> dict[str, str]:
    """Names cross-references may use -> the article's content-relative path (published
    articles only: a link to a draft would break the build)."""
    refs: dict[str, str] = {}
    for article in articles:
        if article.post.draft or article.post.date > now:
            continue
        for name in article.post.refs:
            refs.setdefault(name.strip("/"), article.rel)
    return refs


def parse_section_map(items: Mapping[str, str] | list[str] | tuple[str, ...],
                      config: SiteConfig) -> dict[str, str]:
    """``["Campus News=news", ...]`` (or a mapping) -> {category: section key}, checked."""
    pairs = list(items.items()) if isinstance(items, Mapping) else []
    if not isinstance(items, Mapping):
        for item in items:
            old, sep, new = item.rpartition("=")
            if not sep or not old.strip() or not new.strip():
                raise UsageError(f'--section-map "{item}": write it as old=new, e.g. '
                                 '"Campus News=news"')
            pairs.append((old, new))
    keys = [s.key for s in config.sections]
    out: dict[str, str] = {}
    for old, new in pairs:
        new = new.strip()
        if new not in keys:
            raise UsageError(f'--section-map {old.strip()}={new}: "{new}" is not a section of '
                             f'this site{did_you_mean(new, keys)}; sections are: '
                             f'{", ".join(keys)}')
        out[old.strip()] = new
    return out
