"""The pipeline, top to bottom:

sitegen.toml -> SiteConfig; content/**/*.md -> Article (+ markdown) ; articles -> Site;
Site + theme -> outputs -> {path: bytes}; + static files -> the output folder, swapped in whole.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import markdown
from sitegen.config import SiteConfig, load_config
from sitegen.content import ContentFiles, read_article, read_profile, scan
from sitegen.errors import BuildFailed, ErrorList, SitegenError
from sitegen.models import AUTHORS_PATH, Article, Profile, Site
from sitegen.output import check_output_dir, write_site
from sitegen.render import check_collisions, plan, render_pages, url_to_path
from sitegen.site import assign_urls, build_site
from sitegen.text import slugify
from sitegen.theme import ASSETS_PATH, load_theme, quote_path


@dataclass(frozen=True)
class BuildOptions:
    output: Path | None = None  # default: <root>/_site
    base_url: str | None = None  # overrides sitegen.toml
    drafts: bool = False
    future: bool = False
    now: dt.datetime | None = None  # the clock, injected so tests do not depend on today


@dataclass
class BuiltSite:
    """A build held in memory: what would be written, before it is."""

    config: SiteConfig
    site: Site
    pages: dict[str, bytes]  # output path -> bytes
    files: dict[str, Path]  # output path -> source file to copy
    warnings: list[SitegenError] = field(default_factory=list)


@dataclass(frozen=True)
class BuildResult:
    output: Path
    pages: int
    files: int
    articles: int
    seconds: float
    warnings: tuple[SitegenError, ...]


class Reporter:
    """Receives progress and warnings; the CLI gives one that draws a progress bar."""

    @contextmanager
    def progress(self, description: str, total: int) -> Iterator[Callable[[int], None]]:
        yield lambda advance: None

    def warning(self, warning: SitegenError) -> None:
        pass


def build(root: Path, options: BuildOptions = BuildOptions(),
          reporter: Reporter | None = None) -> BuildResult:
    """Build the site at ``root`` into its output folder. Raises BuildFailed (content errors)
    or UsageError; in both cases the previous output is left untouched."""
    started = time.perf_counter()
    out = options.output or root / "_site"
    check_output_dir(root, out)
    built = build_in_memory(root, options, reporter)
    write_site(out, built.pages, built.files)
    return BuildResult(output=out, pages=len(built.pages), files=len(built.files),
                       articles=len(built.site.articles),
                       seconds=time.perf_counter() - started, warnings=tuple(built.warnings))


def build_in_memory(root: Path, options: BuildOptions = BuildOptions(),
                    reporter: Reporter | None = None) -> BuiltSite:
    reporter = reporter or Reporter()
    config = load_config(root)
    if options.base_url is not None:
        config = _with_base_url(config, options.base_url)
    theme = _load_theme(config)
    now = options.now or dt.datetime.now(dt.UTC)
    errors = ErrorList()
    warnings: list[SitegenError] = []

    files = scan(config.content_dir)
    links = Links(config, files, _static_files(config.root / "static"))
    published: list[Article] = []
    profiles: list[tuple[Profile, str, int]] = []
    with reporter.progress("Reading", len(files.articles) + len(files.profiles)) as advance:
        for rel in files.articles:
            source = f"content/{rel}"
            raw = (config.content_dir / rel).read_bytes()
            article, problems, noted = read_article(raw, source, config, links.image_resolver(rel),
                                                    slugify(posixpath.basename(rel)[:-3]))
            errors.extend(problems)
            warnings.extend(noted)
            if article is not None and _published(article, options, now):
                published.append(article)
            elif article is not None:
                links.unpublished.add(rel)
            advance(1)
        for rel in files.profiles:
            raw = (config.content_dir / rel).read_bytes()
            profile, bio, bio_line, problems = read_profile(raw, f"content/{rel}", config,
                                                            links.image_resolver(rel))
            errors.extend(problems)
            if profile is not None:
                profiles.append((profile, bio, bio_line))
                links.articles[rel] = f"{AUTHORS_PATH}{profile.slug}/"
            advance(1)

    errors.extend(assign_urls(config, published))
    for article in published:
        links.articles[article.source.removeprefix("content/")] = article.url
    with reporter.progress("Rendering Markdown", len(published)) as advance:
        for article in published:
            rel = article.source.removeprefix("content/")
            body = markdown.render(article.body, links.resolver(rel), path=article.source,
                                   first_line=article.body_line)
            errors.extend(body.errors)
            article.html = body.html
            article.word_count = body.word_count
            article.summary = article.summary or body.summary
            advance(1)
    rendered_profiles = []
    for profile, bio, bio_line in profiles:
        rel = profile.source.removeprefix("content/")
        body = markdown.render(bio, links.resolver(rel), path=profile.source, first_line=bio_line)
        errors.extend(body.errors)
        rendered_profiles.append(dataclasses.replace(profile, bio_html=body.html))
    errors.raise_if_any()

    site = build_site(config, published, rendered_profiles)
    outputs = plan(site)
    errors.extend(check_collisions(outputs))
    errors.raise_if_any()
    with reporter.progress("Writing pages", len(outputs)) as advance:
        pages = render_pages(theme, site, outputs, advance)
    copies = _files_to_copy(config, theme.static_dirs, files.assets)
    clashes = sorted(set(pages) & set(copies))
    if clashes:
        raise BuildFailed([SitegenError(f"{copies[path]} would overwrite the page {path}")
                           for path in clashes])
    for warning in warnings:
        reporter.warning(warning)
    return BuiltSite(config=config, site=site, pages=pages, files=copies, warnings=warnings)


def _with_base_url(config: SiteConfig, base_url: str) -> SiteConfig:
    try:
        return config.with_base_url(base_url)
    except SitegenError as exc:
        raise BuildFailed([exc]) from None


def _load_theme(config: SiteConfig):  # noqa: ANN202 - Theme, kept local to the build
    try:
        return load_theme(config)
    except SitegenError as exc:
        raise BuildFailed([exc]) from None


def _published(article: Article, options: BuildOptions, now: dt.datetime) -> bool:
    if article.draft and not options.drafts:
        return False
    return options.future or article.date <= now


def _static_files(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and not p.name.startswith("."))


def _files_to_copy(config: SiteConfig, theme_static: tuple[Path, ...],
                   assets: list[str]) -> dict[str, Path]:
    """Theme static files under /assets/, the site's static/ at the root, content assets in
    place. Higher-priority theme folders come first and win."""
    copies: dict[str, Path] = {}
    for folder in theme_static:
        for rel in _static_files(folder):
            copies.setdefault(url_to_path(ASSETS_PATH + rel), folder / rel)
    for rel in _static_files(config.root / "static"):
        copies[rel] = config.root / "static" / rel
    for rel in assets:
        copies[rel] = config.content_dir / rel
    return dict(sorted(copies.items()))


class Links:
    """Resolves relative links and images written in content to site URLs."""

    def __init__(self, config: SiteConfig, files: ContentFiles, static: list[str]) -> None:
        self.base_path = config.base_path
        self.assets = set(files.assets)
        self.static = set(static)
        self.dirs = {posixpath.dirname(p) for p in [*files.assets, *files.articles]} - {""}
        self.articles: dict[str, str] = {}  # content-relative .md path -> site URL
        self.unpublished: set[str] = set()  # drafts and future articles left out

    def image_resolver(self, source: str) -> Callable[[str], str]:
        """Front matter images: a site URL (without the base path), checked to exist."""

        def resolve(target: str) -> str:
            if target.startswith("/"):
                rel = target.lstrip("/")
                if rel in self.static or rel in self.assets:
                    return "/" + rel
                raise ValueError(f'image "{target}" not found in static/ or content/')
            if "://" in target or target.startswith("//"):
                raise ValueError(f'image "{target}" must be a file of the site, not a web address')
            joined, _ = markdown.resolve_relative(target, posixpath.dirname(source))
            if joined in self.assets:
                return "/" + joined
            raise ValueError(f'image "{target}" not found (looked for content/{joined})')

        return resolve

    def resolver(self, source: str) -> Callable[[str], str]:
        """Markdown links and images: the final href, with the base path."""
        source_dir = posixpath.dirname(source)

        def resolve(target: str) -> str:
            if target.startswith("/"):
                return self.base_path + quote_path(target)
            joined, suffix = markdown.resolve_relative(target, source_dir)
            if joined == ".." or joined.startswith("../"):
                raise ValueError(f'link "{target}" points outside content/')
            if joined.endswith(".md"):
                if joined in self.articles:
                    return self.base_path + quote_path(self.articles[joined]) + suffix
                if joined in self.unpublished:
                    raise ValueError(f'link "{target}" goes to content/{joined}, which is a '
                                     "draft or scheduled for later, so it is not published")
                raise ValueError(f'link "{target}": there is no article content/{joined}')
            if joined in self.assets:
                return self.base_path + quote_path(joined) + suffix
            if joined in self.dirs or joined == ".":
                return self.base_path + quote_path(joined.strip(".") + "/") + suffix
            raise ValueError(f'link "{target}": no file content/{joined}')

        return resolve
