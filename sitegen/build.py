"""The pipeline, top to bottom:

sitegen.toml -> SiteConfig; content/**/*.md -> Article (+ markdown, + Picture of each image);
photos -> resized copies (images.py, through the build cache in .sitegen/); articles -> Site;
Site + theme -> outputs -> {path: bytes}; + static files and photo copies -> the output
folder, indexed by Pagefind (search.py).

``build`` starts from what the last build left (state.py): nothing to do, or the output
folder updated in place, or a fresh one written and swapped in whole. The ``Builder`` keeps
what it read and rendered and redoes only what changed (its memory is what state.py keeps,
and what watch mode keeps between saves); bodies and pages are rendered on every core
(pool.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import posixpath
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from sitegen import embeds, feeds, markdown, search
from sitegen.bodies import KIND as BODIES
from sitegen.bodies import BodyLost, StoredHTML, still_there
from sitegen.bodies import store as store_body
from sitegen.cache import BuildCache, content_hash
from sitegen.config import CONFIG_NAME, SiteConfig, load_config
from sitegen.content import (
    ContentFiles,
    body_of,
    read_article,
    read_page,
    read_profile,
    scan,
    split_front_matter,
)
from sitegen.deps import PageCache, registry
from sitegen.errors import (
    BuildFailed,
    ConfigError,
    ContentError,
    ErrorList,
    SitegenError,
    UsageError,
)
from sitegen.feeds import feed_paths, news_sitemap_changes
from sitegen.images import EarlyEncoding, Images, SvgProblem, check_svg, is_resized
from sitegen.links import Links, Memo
from sitegen.models import AUTHORS_PATH, Article, Compact, Page, Profile, Site
from sitegen.output import (
    FileStat,
    FreshFolder,
    check_output_dir,
    settled,
    source_stats,
    update_site,
    write_site,
)
from sitegen.people import People
from sitegen.pool import map_inherited
from sitegen.render import (
    GENERATED,
    Output,
    article_outputs,
    check_collisions,
    plan,
    render_pages,
    url_to_path,
)
from sitegen.site import Urls, build_site
from sitegen.state import KIND as STATE
from sitegen.state import Memory, Record, changed_outputs, input_digest
from sitegen.text import slugify
from sitegen.theme import ASSETS_PATH, Theme, load_theme, quote_path, template_signature


@dataclass(frozen=True)
class BuildOptions:
    output: Path | None = None  # default: <root>/_site
    base_url: str | None = None  # overrides sitegen.toml
    drafts: bool = False
    future: bool = False
    now: dt.datetime | None = None  # the clock, injected so tests do not depend on today
    jobs: int = 0  # processes rendering and encoding photos; 0: one per core
    clean: bool = False  # ignore what earlier builds left in the cache (a cold build)


@dataclass
class BuiltSite:
    """A build held in memory: what would be written, before it is."""

    config: SiteConfig
    site: Site
    pages: dict[str, bytes | None]  # output path -> bytes (None: as the output holds it)
    files: dict[str, Path]  # output path -> source file to copy
    warnings: list[SitegenError] = field(default_factory=list)
    photos_encoded: int = 0  # photos this build encoded (the others came from the cache)


@dataclass(frozen=True)
class Changes:
    """What changed under ``content/`` since the last build, as the file system reported it
    (watch mode): the builder then looks at these files only, not at every file."""

    files: frozenset[str]  # content-relative paths of files written, created or removed
    listing: bool  # files or folders were added, removed or renamed: list them again
    others: bool = False  # files outside content/ changed too (static files, templates)

    def photos_unchanged(self, files: ContentFiles) -> bool:
        """Whether no image file can have changed: only Markdown files were written."""
        return (not self.listing and not self.others and not files.linked
                and all(rel.endswith(".md") for rel in self.files))


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
    def progress(self, description: str, total: int,
                 slow: bool = False) -> Iterator[Callable[[int], None]]:
        """``slow``: each step takes long enough that even a few are worth a bar."""
        yield lambda advance: None

    def warning(self, warning: SitegenError) -> None:
        pass


def build(root: Path, options: BuildOptions = BuildOptions(),
          reporter: Reporter | None = None) -> BuildResult:
    """Build the site at ``root`` into its output folder. Raises BuildFailed (content errors)
    or UsageError; in both cases the previous output is left untouched.

    The build starts from what the last one left in the cache (``state.py``): nothing to do
    when no input changed; else only what changed is read, rendered and written, in place
    when the output folder is as the last build left it, or into a fresh folder."""
    with feeds.once():  # (what a next build in this process would reuse is not kept)
        return _build_once(root, options, reporter)


def _build_once(root: Path, options: BuildOptions, reporter: Reporter | None) -> BuildResult:
    started = time.perf_counter()
    out = (options.output or root / "_site").resolve()
    check_output_dir(root, out)
    now = options.now or dt.datetime.now(dt.UTC)
    reporter = reporter or Reporter()
    cache = BuildCache(root)
    if options.clean:
        cache.clear()
    memory = Memory(cache, out, (options.drafts, options.future, options.base_url))
    inputs = input_digest(root, cache)
    record = memory.load_record()
    changed = None  # output files no longer as written; None: the folder is written afresh
    if record is not None:
        changed = changed_outputs(out, record, skip=(search.BUNDLE,) if record.search else ())
        if changed == set() and _nothing_to_do(record, inputs, now):
            cache.save()
            for warning in record.warnings:
                reporter.warning(warning)
            return BuildResult(output=out, pages=record.pages, files=record.files,
                               articles=record.articles, seconds=time.perf_counter() - started,
                               warnings=tuple(record.warnings))
    builder = Builder(root, options, reporter, cache=cache)
    saved = memory.load_builder(pages=changed is not None) if record is not None else None
    adopted = saved is not None and builder.adopt_state(saved, changed)
    del saved  # the builder holds what it took: saving it at the end may then free it
    if record is not None and changed is not None and adopted:
        built, written, copied = _build_in_place(builder, out, record, changed)
    else:  # (a CI runner: the cache restored, the output folder not: bodies are kept)
        built, written, copied = _build_afresh(builder, out)
    if input_digest(root, cache) != inputs:
        inputs = ""  # a file changed while it was read: never take the shortcut from this
    done = _record(builder, built, options, now, inputs, written, copied)
    result = BuildResult(output=out, pages=len(built.pages), files=len(built.files),
                         articles=len(built.site.articles), seconds=0.0,
                         warnings=tuple(built.warnings))
    builder.prune_cache()
    del built  # the builder's memory is all the build still holds, freed as it is saved
    memory.save(done, builder.release_state())
    return dataclasses.replace(result, seconds=time.perf_counter() - started)


def _nothing_to_do(record: Record, inputs: str, now: dt.datetime) -> bool:
    """Whether the last build's output stands: same inputs, and a clock that cannot have
    changed a page since (the output folder was checked to be as written)."""
    return bool(inputs) and record.inputs == inputs and record.built_at <= now < record.valid_until


_Written = tuple[BuiltSite, dict[str, FileStat], dict[str, tuple[int, int, int]]]


def _build_afresh(builder: Builder, out: Path) -> _Written:
    """Build into a fresh folder, each page written as soon as it is rendered, indexed, then
    swapped in. Returns the build and the records of what was written and copied."""
    fresh = FreshFolder(out)
    try:
        built = builder.build(into=fresh)
        finish = _indexer(built)  # (no Pagefind binary: an error, and the folder goes)
    except BaseException:
        fresh.discard()
        raise
    copy_started = time.time_ns()
    written = write_site(out, built.pages, built.files, finish=finish, fresh=fresh)
    return built, written, source_stats(built.files, copy_started)


def _build_in_place(builder: Builder, out: Path, record: Record, changed: set[str]
                    ) -> _Written:
    """Build, then bring the output folder up to date, and the record with it."""
    built = builder.build()
    update_site(out, built.pages, built.files, record.output, record.sources, changed,
                finish=_indexer(built), index=search.BUNDLE,
                finish_anyway=not record.search)  # (no index yet)
    if record.search and not built.config.search:
        shutil.rmtree(out / search.BUNDLE, ignore_errors=True)
    return built, record.output, record.sources


def _indexer(built: BuiltSite) -> Callable[[Path], None] | None:
    """What writes the search index into a folder of the built pages, if the site has one."""
    if not built.config.search:
        return None
    return functools.partial(search.index_site, binary=search.find_pagefind(),
                             has_articles=bool(built.site.articles))


def _record(builder: Builder, built: BuiltSite, options: BuildOptions, now: dt.datetime,
            inputs: str, written: dict[str, FileStat], copied: dict[str, tuple[int, int, int]]
            ) -> Record:
    """What the next build needs to know it has nothing to do, or what it may keep."""
    zone = built.config.zone
    local = now.astimezone(zone)
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(),
                                   tzinfo=zone)  # the staff page is as of today
    times = [midnight]
    if not options.future:  # the next scheduled story
        times += [read.article.date for read in builder.reads()
                  if read.article is not None and read.article.date > now
                  and (options.drafts or not read.article.draft)]
    news = news_sitemap_changes(built.site, now)
    if news is not None:
        times.append(news)
    return Record(inputs=inputs, built_at=now, valid_until=min(times), output=written,
                  sources=copied, search=built.config.search,
                  pages=len(built.pages), files=len(built.files),
                  articles=len(built.site.articles), warnings=list(built.warnings))


def build_in_memory(root: Path, options: BuildOptions = BuildOptions(),
                    reporter: Reporter | None = None) -> BuiltSite:
    """One clean build, held in memory."""
    return Builder(root, options, reporter, track=False).build()


@dataclass(slots=True)
class _Read(Compact):
    """One content file as last read: its stat signature and what reading gave."""

    signature: tuple[int, ...]
    read_at: int  # time.time_ns() just before the read
    digest: str  # of the bytes read ("" when they could not be read)
    article: Article | None
    problems: Sequence[SitegenError]
    warnings: Sequence[SitegenError]
    images: Memo
    # When the front matter has errors but the file splits: the body, its first line and
    # whether it is legacy, so that the body's own errors are reported in the same run.
    unread_body: tuple[str, int, bool] | None = None


@dataclass(frozen=True)
class _Previous:
    """The last successful build's structure, for edits that leave it as it was."""

    site: Site
    outputs: list[Output]
    articles: dict[str, Article]  # source -> the object the site holds
    profiles: tuple[Profile, ...]
    today: dt.date  # the build's day in the site's time zone (the staff page depends on it)


def _shape(article: Article) -> tuple:
    """The fields that decide where an article is listed and linked from."""
    return (article.url, article.date, article.section, article.tags, article.bylines,
            article.issue, article.aliases, article.featured, article.breaking, article.draft,
            article.slug, article.withdrawn)


@dataclass(slots=True)
class _Body(Compact):
    """One rendered body, valid while the text and the answers of its links are the same."""

    text: str | None  # the Markdown; a story's file's content hash when not held (see _build)
    legacy: bool
    note: str  # the embed note in the site's language
    links: Memo
    pictures: Memo
    rendered: markdown.RenderedBody


class Builder:
    """Builds one site again and again, redoing only what changed (watch mode).

    A build stats every file, unless the file system named the files that changed
    (``Changes``, watch mode); a file is read again when its signature changed, a body is
    rendered again when its text or the answer to one of its links changed, and a page is
    rendered again when a value it read changed (see ``deps``). What is worked out over
    all the stories (credits, URLs, the site's structure, the sitemap) is worked out again
    only when a story read again changed it. A config or template change starts from a
    clean slate.
    """

    def __init__(self, root: Path, options: BuildOptions = BuildOptions(),
                 reporter: Reporter | None = None, *, track: bool = True,
                 cache: BuildCache | None = None, hold_pages: bool = True) -> None:
        """``track=False`` for a build whose memory is not kept: templates' reads are not
        recorded. ``hold_pages=False`` when the output folder keeps the pages (watch mode):
        a page not rendered again comes back as None rather than as its bytes."""
        self.root = root
        self.track = track
        self.hold_pages = hold_pages
        self.options = options
        self.reporter = reporter or Reporter()
        self._config: SiteConfig | None = None
        self._theme: Theme | None = None
        self._template_signature: tuple = ()
        self._reads: dict[str, _Read] = {}
        self._files: ContentFiles | None = None  # the content folder as last listed
        self._people: tuple[tuple[Profile, ...], People] | None = None
        self._urls: Urls | None = None
        self._bodies: dict[str, _Body] = {}
        self._pages = PageCache()
        self._previous: _Previous | None = None
        self._cache = cache or BuildCache(root)
        self._images: Images | None = None
        self._early: EarlyEncoding | None = None

    def build(self, changes: Changes | None = None,
              into: FreshFolder | None = None) -> BuiltSite:
        """Build again. With ``changes`` (events that can be trusted), only those content
        files are looked at; without, every file is. Pages rendered are written ``into`` a
        fresh folder at once when it is given (and are None in what is returned)."""
        try:
            return self._build(changes, into)
        except BodyLost:  # the cache was emptied meanwhile: render every story again
            self._bodies, self._pages, self._previous = {}, PageCache(), None
            return self._build(None, into)
        finally:
            self._encoded_early()  # (a build that failed before its photos)

    def _build(self, changes: Changes | None, into: FreshFolder | None) -> BuiltSite:
        reporter = self.reporter
        if not (self.root / "content").is_dir() and not (self.root / CONFIG_NAME).is_file():
            raise UsageError(f"{self.root.resolve()} holds no content/ folder and no "
                             f"{CONFIG_NAME}: run sitegen in your paper's folder, or start one "
                             "with `sitegen init`")
        config = self._load_config()
        theme = self._load_theme(config)
        now = self.options.now or dt.datetime.now(dt.UTC)
        errors = ErrorList()
        warnings: list[SitegenError] = []

        listed = changes is None or changes.listing or self._files is None
        if listed:
            self._files = scan(config.content_dir)
        files = self._files
        errors.extend(ContentError(f"only files ending in .md are articles: rename it to "
                                   f"{rel.rsplit('.', 1)[0]}.md (it is not published)",
                                   f"content/{rel}") for rel in files.misnamed)
        warnings.extend(ContentError("a symbolic link that leads nowhere (or in a loop); it is "
                                     "skipped", f"content/{rel}") for rel in files.unreadable)
        static = _static_files(config.root / "static")
        images = self._images_of(config)
        links = Links(config, files, static, images,
                      photos_unchanged=changes is not None and changes.photos_unchanged(files))
        if config.logo and config.logo.lstrip("/") not in static:
            errors.add(ConfigError(f'"logo": there is no file static/{config.logo.lstrip("/")}',
                                   CONFIG_NAME))
        profiles: list[tuple[Profile, str, int]] = []
        # A cold build's photos, encoded on the core that reading leaves idle (images.py)
        self._encoded_early()  # (one a build stopped by BodyLost started)
        self._early = EarlyEncoding.for_build(images, links.photo_file, cold=not self._reads,
                                              jobs=self.options.jobs)
        with reporter.progress("Reading", len(files.articles)) as advance:
            published, fresh_reads = self._read_articles(config, files, links, changes, now,
                                                         errors, warnings, advance)
        if listed:  # files may have gone
            self._reads = {rel: self._reads[rel] for rel in files.articles}
        for rel in files.profiles:
            try:
                raw = (config.content_dir / rel).read_bytes()
            except OSError as exc:
                errors.add(_unreadable(f"content/{rel}", exc))
                continue
            profile, bio, bio_line, problems = read_profile(raw, f"content/{rel}", config,
                                                            links.image_resolver(rel))
            errors.extend(problems)
            if profile is not None:
                profiles.append((profile, bio, bio_line))
        pages = _read_pages(config, files.pages, errors)
        for page in pages:
            links.articles[page.source.removeprefix("content/")] = page.url

        staff = tuple(profile for profile, _, _ in profiles)
        if self._people is None or self._people[0] != staff:
            self._people = (staff, People(config, staff))
        people = self._people[1]
        for profile, _, _ in profiles:
            if profile.author_page:  # a link to a profile leads to its author page
                rel = profile.source.removeprefix("content/")
                links.articles[rel] = f"{AUTHORS_PATH}{people.shown_profile(profile).slug}/"
        errors.extend(people.attach(published, fresh_reads))
        if self._urls is None:
            self._urls = Urls(config)
        errors.extend(self._urls.assign(published, fresh_reads))
        links.articles.update(self._urls.by_rel)
        for rel, read in self._reads.items():  # all of an article's errors in one run
            if read.unread_body is not None:
                body, line, legacy = read.unread_body
                errors.extend(markdown.render(
                    body, links.resolver(rel), resolve_image=links.image_resolver(rel),
                    url=links.href, path=f"content/{rel}", first_line=line,
                    legacy=legacy).errors)
        with reporter.progress("Rendering Markdown", len(published)) as advance:
            touched = self._attach_bodies(links, published, errors, warnings, advance)
        rendered_profiles = []
        for profile, bio, bio_line in profiles:
            body = self._render_body(links, profile.source, bio, bio_line)
            errors.extend(body.errors)
            warnings.extend(body.warnings)
            rendered_profiles.append(dataclasses.replace(profile, bio_html=body.html))
        for page in pages:
            body = self._render_body(links, page.source, page.body, page.body_line)
            errors.extend(body.errors)
            warnings.extend(body.warnings)
            page.html = body.html
        shown = ({a.source for a in published} | {p.source for p, _, _ in profiles}
                 | {p.source for p in pages})
        if self._bodies.keys() != shown:
            self._bodies = {key: self._bodies[key] for key in sorted(shown)}
        errors.raise_if_any()

        photos = images.used_by(shown)
        encoded_early = self._encoded_early()
        with reporter.progress("Encoding photos", len(photos), slow=True) as advance:
            published_photos = images.publish(photos, self.options.jobs, advance)
        errors.extend(published_photos.errors)
        errors.raise_if_any()

        today = now.astimezone(config.zone).date()
        reused = self._reuse_structure(published, touched, rendered_profiles, pages, today)
        if reused is not None:
            site, outputs, fresh, edited = reused
        else:
            site = build_site(config, published,
                              [people.shown_profile(p) for p in rendered_profiles], pages)
            outputs = plan(site, today, theme.strings)
            errors.extend(check_collisions(outputs))
            errors.raise_if_any()
            fresh, edited = None, set()
        copies = _files_to_copy(config, theme.static_dirs, static, files.assets)
        for original in images.sources(photos):  # a photo in static/ is published as copies
            copies.pop(original.removeprefix("static/"), None)
        errors.extend(_refused_svgs(config, copies))
        errors.extend(SitegenError(f"{copies[path]} has the name of a copy of a photo "
                                   f"({path}); rename it")
                      for path in sorted(set(copies) & set(published_photos.files)))
        errors.raise_if_any()
        copies = dict(sorted({**copies, **published_photos.files}.items()))
        written = {o.path for o in outputs} | set(GENERATED) | set(feed_paths(site))
        clashes = sorted(written & set(copies))
        if config.search:
            errors.extend(search.clashes(outputs, copies, config.root))
            errors.raise_if_any()
        if clashes:
            owners = {o.path: o for o in outputs}
            raise BuildFailed([_clash(config, copies[path], owners.get(path), path)
                               for path in clashes])
        # The articles that are the very objects of the last build, with the same bodies.
        changed = {article.source for article in touched}
        last = self._previous.articles.keys() if self._previous else set()
        if reused is not None:  # the same articles as last time (see _reuse_structure)
            unchanged = last - changed - edited
        else:
            unchanged = {a.source for a in site.articles} & last - changed
        with reporter.progress("Writing pages", len(outputs)) as advance:
            try:
                cache = self._pages if self.track else None
                pages = render_pages(theme, site, outputs, advance, cache, unchanged, fresh,
                                     now=now, jobs=self.options.jobs, into=into)
            except BaseException:
                self._pages = PageCache()  # half-updated: start the next build clean
                self._previous = None
                raise
        if not self.hold_pages:  # watch mode: kept for the next build, as small as it goes
            records = self._pages.pages
            for path, data in pages.items():
                if data is not None and path in records:
                    records[path].body = None
            self._pages.compact()
        articles = (self._previous.articles if reused is not None and self._previous
                    else {a.source: a for a in site.articles})
        self._previous = _Previous(site, outputs, articles, tuple(rendered_profiles), today)
        for warning in warnings:
            reporter.warning(warning)
        self._cache.save()
        return BuiltSite(config=config, site=site, pages=pages, files=copies, warnings=warnings,
                         photos_encoded=published_photos.encoded + encoded_early)

    def _read_articles(self, config: SiteConfig, files: ContentFiles, links: Links,
                       changes: Changes | None, now: dt.datetime, errors: ErrorList,
                       warnings: list[SitegenError], advance: Callable[[int], None]
                       ) -> tuple[list[Article], list[Article]]:
        """Every article, as last read when the file system said it is unchanged (or its
        stat is the same), else read again. Returns the published ones and those read again
        (the others are the very objects of the last build); unpublished ones go to
        ``links.unpublished``."""
        published: list[Article] = []
        fresh: list[Article] = []
        folder = str(config.content_dir)
        reads, trusted = self._reads, changes.files if changes is not None else None
        quick = 0  # files taken as they were, counted at once
        for rel in files.articles:
            cached = reads.get(rel)
            if (trusted is not None and cached is not None and cached.signature
                    and rel not in trusted and rel not in files.linked
                    and links.pictures_hold(cached.images, rel)):
                read = cached
            else:
                read = self._read_article(config, folder, links, rel)
            if read.problems:
                errors.extend(read.problems)
            if read.warnings:
                warnings.extend(read.warnings)
            article = read.article
            if article is not None:
                if read is not cached:
                    fresh.append(article)
                if _published(article, self.options, now):
                    published.append(article)
                else:
                    links.unpublished.add(rel)
            if read is cached:
                quick += 1
            else:
                advance(1)
        advance(quick)
        return published, fresh

    def _attach_bodies(self, links: Links, published: list[Article], errors: ErrorList,
                       warnings: list[SitegenError], advance: Callable[[int], None]
                       ) -> list[Article]:
        """Give every article its rendered body; returns those read or rendered again
        since the last build (the others are as they were)."""
        bodies = self._render_bodies(links, published, advance, stored=True)
        before = self._previous.articles if self._previous else {}
        touched: list[Article] = []
        for article, body in zip(published, bodies, strict=True):
            if body.errors:
                errors.extend(body.errors)
            if body.warnings:
                warnings.extend(body.warnings)
            if article.html is body.html and before.get(article.source) is article:
                continue
            touched.append(article)
            article.html = body.html
            article.word_count = body.word_count
            article.summary = article.summary or body.summary
        return touched

    def reads(self) -> list[_Read]:
        return list(self._reads.values())

    def release_state(self) -> dict[str, Any]:
        """This builder's memory, for a later process to start from (see ``state.py``),
        which the builder forgets (its last build is over: saving the memory can then free
        each part once written). All of it but the theme, the image pipeline and the
        pages' bytes (a page whose inputs are unchanged is in the output folder already);
        the entities the pages read are made again from the site (``adopt_state``)."""
        pages = self._pages
        pages.strip()
        state = {"config": self._config, "templates": self._template_signature,
                 "reads": self._reads, "bodies": self._bodies, "pages": pages}
        # The last build's structure as parts of its own, which state.py writes apart (the
        # largest in pieces): whole, it was one pickle of half a million objects, whose
        # pickler holds every object it wrote until it is done (20 MiB at 16,000 stories).
        previous = self._previous
        state.update({f"previous.{name}": getattr(previous, name) if previous else None
                      for name in _Previous.__dataclass_fields__})
        self._reads, self._bodies, self._pages, self._previous = {}, {}, PageCache(), None
        self._files = self._people = self._urls = self._images = self._theme = None
        self._config, self._template_signature = None, ()
        url_to_path.cache_clear()  # and what the pipeline's steps keep for a next build
        quote_path.cache_clear()
        return state

    def resume(self, out: Path) -> bool:
        """Start from what the last ``sitegen build`` into ``out`` with these options kept
        (state.py): its reads and rendered bodies, so that watch mode starts warm. Every
        page is still rendered (this builder writes elsewhere, or afresh)."""
        options = self.options
        memory = Memory(self._cache, out, (options.drafts, options.future, options.base_url))
        saved = (memory.load_builder(pages=False) if memory.load_record() is not None
                 else None)
        return saved is not None and self.adopt_state(saved, None)

    def adopt_state(self, state: dict[str, Any], rendered_again: set[str] | None) -> bool:
        """Start from the memory ``release_state`` gave in an earlier process; the pages in
        ``rendered_again`` (files no longer as written) are rendered again; None: every
        page is (the output folder is written afresh). False when the state is not one
        this sitegen made (then nothing was taken)."""
        try:
            pages, previous = PageCache(), None
            if state["previous.site"] is not None:
                previous = _Previous(**{name: state[f"previous.{name}"]
                                        for name in _Previous.__dataclass_fields__})
            if rendered_again is not None:
                pages = state["pages"]
                pages.forget_except(set(pages.pages) - rendered_again)
                if previous is not None:  # the very objects the site holds
                    pages.entities = registry(previous.site, [
                        o.context["pager"] for o in previous.outputs if "pager" in o.context])
            # A body whose stored HTML is gone (the cache pruned or emptied) is rendered again.
            bodies = {source: body for source, body in state["bodies"].items()
                      if still_there(body.rendered.html)}
            taken = (state["config"], state["templates"], state["reads"], bodies,
                     pages, previous)
        except (KeyError, TypeError, AttributeError):
            return False
        (self._config, self._template_signature, self._reads, self._bodies, self._pages,
         self._previous) = taken
        return True

    def prune_cache(self) -> None:
        """Drop cached photo copies, stories' bodies and the memory of builds (of other
        output folders, other options, older sitegens) that no build has used for a month
        (looked for once a day), but never a body this builder holds: an archive's old
        stories are seldom read again, and still shown."""
        held = {body.rendered.html.digest for body in self._bodies.values()
                if isinstance(body.rendered.html, StoredHTML)}
        self._cache.prune_daily({"images": (), BODIES: held, STATE: ()})

    def _reuse_structure(self, published: list[Article], touched: list[Article],
                         profiles: list[Profile], pages: list[Page], today: dt.date
                         ) -> tuple[Site, list[Output], set[str], set[str]] | None:
        """When the same articles are published and no edit touched what shapes the site
        (URLs, dates, sections, tags, authors, issues, front-page flags), keep last build's
        Site and plan: the edited articles are updated in place, so every page that shows
        them holds the new values, and only their own pages are planned again. ``touched``:
        the articles read or rendered again (the others are last build's very objects).
        Returns (site, outputs, output paths planned again, edited sources) or None."""
        previous = self._previous
        if (previous is None or len(published) != len(previous.articles)
                or previous.today != today):
            return None
        if tuple(profiles) != previous.profiles or tuple(pages) != previous.site.pages:
            return None
        edits: list[tuple[Article, Article]] = []
        for article in touched:  # the others are the very objects of the last build
            old = previous.articles.get(article.source)
            if old is None or (old is not article and _shape(old) != _shape(article)):
                return None
            if old is not article:
                edits.append((old, article))
        site, outputs = previous.site, list(previous.outputs)
        edited = {old.source for old, _ in edits}
        if not edits:
            return site, outputs, set(), edited
        for old, new in edits:
            old.take(new)
            self._reads[old.source.removeprefix("content/")].article = old
        sections = {term.key: term for term in site.sections}
        tags = {term.key: term for term in site.tags}
        replanned = {old.source: article_outputs(site, old, sections, tags) for old, _ in edits}
        outputs = [o for o in outputs if o.article not in edited]
        for planned in replanned.values():
            outputs.extend(planned)
        return site, outputs, {o.path for p in replanned.values() for o in p}, edited

    def _embed_note(self) -> str:
        return self._theme.strings.text("embed_note") if self._theme else embeds.NOTE

    def _load_config(self) -> SiteConfig:
        config = load_config(self.root)
        if self.options.base_url is not None:
            config = _with_base_url(config, self.options.base_url)
        if config != self._config:
            self._config = config
            self._reads, self._bodies, self._files, self._people = {}, {}, None, None
            self._urls = None
            self._previous = None
            self._template_signature = ()
            self._images = None
        return config

    def _encoded_early(self) -> int:
        """Stop the early encoding of photos, if any: how many it encoded."""
        early, self._early = self._early, None
        return early.finish() if early is not None else 0

    def _images_of(self, config: SiteConfig) -> Images:
        if self._images is None:
            self._images = Images(self.root, self._cache, config.images)
        self._images.start_build()
        return self._images

    def _load_theme(self, config: SiteConfig) -> Theme:
        try:
            signature = template_signature(config)
            if signature != self._template_signature:
                self._theme = None
                self._template_signature = signature
                self._pages = PageCache()
                self._previous = None
            if self._theme is None:
                self._theme = load_theme(config)
        except SitegenError as exc:
            raise BuildFailed([exc]) from None
        return self._theme

    def _read_article(self, config: SiteConfig, folder: str, links: Links, rel: str) -> _Read:
        """The article as last read when its stat is the same and its images resolve as
        before; else read again."""
        cached = self._reads.get(rel)
        path = os.path.join(folder, rel)
        stat = os.stat(path)
        signature = (stat.st_mtime_ns, stat.st_size, stat.st_ino, stat.st_ctime_ns)
        if (cached and cached.signature == signature
                and settled(stat.st_mtime_ns, cached.read_at)
                and links.pictures_hold(cached.images, rel)):
            return cached
        read_at = time.time_ns()
        memo = Memo()
        try:
            with open(path, "rb") as file:
                raw = file.read()
        except OSError as exc:  # not cached: the next build tries again
            read = _Read((), read_at, "", None, [_unreadable(f"content/{rel}", exc)], (),
                         memo.kept())
            self._reads[rel] = read
            return read
        if self._early is not None:
            self._early.offer(rel, raw)
        digest = content_hash(raw)
        if (cached and cached.digest == digest
                and links.pictures_hold(cached.images, rel)):
            # Touched, or checked out again (a CI runner): the same bytes read the same.
            cached.signature, cached.read_at = signature, read_at
            return cached
        article, problems, noted = read_article(raw, f"content/{rel}", config,
                                                memo.wrap(links.image_resolver(rel)),
                                                slugify(posixpath.basename(rel)[:-3]))
        if article is not None and self.track:
            # Not kept: the workers that render a story read its Markdown from the file
            # again (checked against this digest), so no build holds an archive's text.
            article.body = None
        read = _Read(signature, read_at, digest, article, tuple(problems), tuple(noted),
                     memo.kept())
        if article is None:
            try:
                fm = split_front_matter(raw, f"content/{rel}")
                read.unread_body = (fm.body, fm.body_line, fm.data.get("legacy") is True)
            except SitegenError:
                pass
        self._reads[rel] = read
        return read

    def _render_body(self, links: Links, source: str, text: str, first_line: int,
                     legacy: bool = False) -> markdown.RenderedBody:
        return self._render_bodies(links, [_BodyRequest(source, text, first_line, legacy)])[0]

    def _render_bodies(self, links: Links, wanted: Sequence[_BodyRequest | Article],
                       advance: Callable[[int], None] = lambda done: None,
                       stored: bool = False) -> list[markdown.RenderedBody]:
        """The rendered bodies, from memory when their text and the answers of their links
        are the same; the others rendered on all cores (see ``pool.map_inherited``).
        ``stored``: their HTML is kept in the build cache, not in memory (``bodies.py``)."""
        global _FORKED
        note = self._embed_note()
        found: list[markdown.RenderedBody | None] = []
        missing: list[_BodyRequest] = []
        places: list[int] = []  # of the missing in ``wanted``
        bodies = self._bodies
        for request in wanted:
            source, text, legacy = request.source, request.body, request.legacy
            rel = source.removeprefix("content/")
            asked = _BodyRequest(source, text, request.body_line, legacy,
                                 self._reads[rel].digest if text is None else "")
            cached = bodies.get(source)
            if (cached and cached.text == asked.key and cached.legacy == legacy
                    and cached.note == note and cached.links.still_holds_for(links.resolver, rel)
                    and links.pictures_hold(cached.pictures, rel)):
                found.append(cached.rendered)
            else:
                places.append(len(found))
                found.append(None)
                missing.append(asked)
        advance(len(wanted) - len(missing))
        _FORKED = (links, note, self._cache.file_folder(BODIES) if stored and missing else None,
                   str(self.root))
        try:
            made = map_inherited(_render_forked, missing, self.options.jobs)
            for index, asked, body in zip(places, missing, made, strict=True):
                # Kept by the thousand: one note string, one object for no answers, tuples.
                body.text, body.note = asked.key, note
                body.links, body.pictures = body.links.kept(), body.pictures.kept()
                body.rendered.errors = tuple(body.rendered.errors)
                body.rendered.warnings = tuple(body.rendered.warnings)
                # Asked again here: photo uses are counted in this process, not a worker's.
                rel = asked.source.removeprefix("content/")
                body.links.still_holds_for(links.resolver, rel)
                links.pictures_hold(body.pictures, rel)
                self._bodies[asked.source] = body
                found[index] = body.rendered
                advance(1)
        except _Changed as exc:
            raise BuildFailed([ContentError(
                "changed while sitegen was building the site: build again", exc.args[0])]
                ) from None
        finally:
            _FORKED = None
        return found  # type: ignore[return-value]


class _BodyRequest(NamedTuple):
    """A body to render, named as an Article names it (an article is asked as it is)."""

    source: str
    body: str | None  # None: a story's Markdown, read from its file again
    body_line: int  # its first line in the file
    legacy: bool
    digest: str = ""  # the content hash of the story's file as it was read (body None)

    @property
    def key(self) -> str:
        """What the body is rendered from: the very string, or the file's content hash."""
        return self.body if self.body is not None else self.digest


class _Changed(Exception):
    """A story's file no longer holds what was read at the start of the build."""


# What the forked workers of _render_bodies render with: the site's links, the embed note,
# the folder that keeps the HTML (None: kept in memory), the site's folder.
_FORKED: tuple[Links, str, str | None, str] | None = None


def _render_forked(request: _BodyRequest) -> _Body:
    links, note, folder, root = _FORKED  # type: ignore[misc]
    source, text, first_line, legacy, digest = request
    if text is None:
        try:
            raw = Path(root, source).read_bytes()
        except OSError:
            raise _Changed(source) from None
        if content_hash(raw) != digest:
            raise _Changed(source)
        text = body_of(raw, source)  # its front matter was read, from these very bytes
    rel = source.removeprefix("content/")
    memo, pictures = Memo(), Memo()
    rendered = markdown.render(text, memo.wrap(links.resolver(rel)),
                               resolve_image=pictures.wrap(links.image_resolver(rel)),
                               url=links.href, path=source, first_line=first_line,
                               legacy=legacy, embed_note=note)
    if folder is not None:
        rendered.html = store_body(folder, rendered.html)  # type: ignore[assignment]
    return _Body(None, legacy, note, memo, pictures, rendered)  # (kept: see _render_bodies)


def _clash(config: SiteConfig, source: Path, output: Output | None, path: str) -> SitegenError:
    """A copied file and a page on one path: name the article when the page is its own."""
    shown = source.relative_to(config.root).as_posix() if source.is_relative_to(
        config.root) else str(source)
    if output is not None and output.article:
        what = "the alias" if output.source.endswith("(alias)") else "the page"
        return ContentError(f"{what} {output.url} is also the file {shown}; "
                            "change the slug or the alias, or rename the file",
                            output.article)
    return SitegenError(f"{shown} would overwrite the page {path}")


def _unreadable(shown: str, exc: OSError) -> ContentError:
    return ContentError(f"cannot be read ({exc.strerror or exc}); check the file's permissions",
                        shown)


def _read_pages(config: SiteConfig, rels: list[str], errors: ErrorList) -> list[Page]:
    """Plain pages (few and small: read every time)."""
    pages = []
    for rel in rels:
        try:
            raw = (config.content_dir / rel).read_bytes()
        except OSError as exc:
            errors.add(_unreadable(f"content/{rel}", exc))
            continue
        page, problems = read_page(raw, f"content/{rel}", slugify(posixpath.basename(rel)[:-3]))
        errors.extend(problems)
        if page is not None:
            pages.append(page)
    return pages


def _with_base_url(config: SiteConfig, base_url: str) -> SiteConfig:
    try:
        return config.with_base_url(base_url)
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


def _refused_svgs(config: SiteConfig, copies: dict[str, Path]) -> list[SitegenError]:
    """Every SVG about to be published must not be able to run script (see images.py)."""
    errors: list[SitegenError] = []
    for path, source in copies.items():
        if path.lower().endswith(".svg"):
            try:
                check_svg(source.read_bytes())
            except SvgProblem as exc:
                shown = source.relative_to(config.root).as_posix() if source.is_relative_to(
                    config.root) else str(source)
                errors.append(ContentError(f"{exc}; it is not published", shown, exc.line))
    return errors


def _files_to_copy(config: SiteConfig, theme_static: tuple[Path, ...], static: list[str],
                   assets: list[str]) -> dict[str, Path]:
    """Theme static files under /assets/, the site's static/ at the root, content assets in
    place (but never an original photo: its resized copies are published instead).
    Higher-priority theme folders come first and win."""
    copies: dict[str, Path] = {}
    for folder in theme_static:
        for rel in _static_files(folder):
            copies.setdefault(url_to_path(ASSETS_PATH + rel), folder / rel)
    for rel in static:
        copies[rel] = config.root / "static" / rel
    for rel in assets:
        if not is_resized(rel):
            copies[rel] = config.content_dir / rel
    return dict(sorted(copies.items()))
