"""Watch mode: watchdog events -> classified changes -> one debounced rebuild at a time.
After each write, the search index is brought up to date in the background (search.py).

Where the platform reports changes (inotify, FSEvents, ...), the events also say *what*
changed: the Builder then looks at those files only, so a save costs the same in a
thousand stories as in a hundred. Polling, and a full look at every file at least every
``FULL_LOOK_SECONDS``, stay as the fallback: an event the system dropped can delay a
change, never lose it.
"""

from __future__ import annotations

import enum
import errno
import gc
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from sitegen.build import Builder, BuildOptions, BuiltSite, Changes, Reporter
from sitegen.config import CONFIG_NAME
from sitegen.content import is_editor_dropping
from sitegen.errors import BuildFailed, SitegenError
from sitegen.output import SiteWriter
from sitegen.search import BUNDLE, Indexer, find_pagefind

# How long the files must be quiet before a rebuild: an editor's save is one write or one
# rename, and a build that starts in the middle of a larger change (a git checkout) is
# followed by another; every millisecond here is one more between a save and the page.
DEBOUNCE_SECONDS = 0.01
FULL_LOOK_SECONDS = 30.0
WATCHED_FOLDERS = ("content", "templates", "themes", "static")
IGNORED_PARTS = frozenset({".git", ".hg", ".svn", "__pycache__", ".venv", "venv", "node_modules",
                           ".pytest_cache", ".ruff_cache", ".hypothesis", ".sitegen"})


class ChangeKind(enum.Enum):
    CONTENT = "content"
    TEMPLATE = "template"
    STATIC = "static"
    CONFIG = "config"


def classify(root: Path, path: str, output: Path | None = None) -> ChangeKind | None:
    """What a changed path is, or None when it does not matter to the site."""
    try:
        rel = Path(path).resolve().relative_to(root.resolve())
    except ValueError:
        return None
    if output is not None and Path(path).resolve().is_relative_to(output.resolve()):
        return None
    parts = rel.parts
    if not parts or any(part in IGNORED_PARTS for part in parts):
        return None
    if is_editor_dropping(parts[-1]) or parts[-1].endswith(".sitegen-tmp"):
        return None
    if parts == (CONFIG_NAME,):
        return ChangeKind.CONFIG
    top = parts[0]
    if top == "content":
        return ChangeKind.CONTENT
    if top == "templates" or (top == "themes" and "templates" in parts):
        return ChangeKind.TEMPLATE
    if top in ("static", "themes"):
        return ChangeKind.STATIC
    return None


@dataclass(frozen=True)
class Batch:
    """The changes of one quiet spell: their kinds, and the content files they named."""

    kinds: frozenset[ChangeKind]
    content: frozenset[str]  # content-relative paths
    listing: bool  # something was created, removed or renamed


@dataclass
class _Pending:
    """Changes seen and not yet built, shared between watchdog's thread and ours."""

    kinds: set[ChangeKind] = field(default_factory=set)
    content: set[str] = field(default_factory=set)
    listing: bool = False
    last_event: float = 0.0
    wake: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: ChangeKind, content: str | None = None, listing: bool = False) -> None:
        with self.lock:
            self.kinds.add(kind)
            if content is not None:
                self.content.add(content)
            self.listing = self.listing or listing
            self.last_event = time.monotonic()
        self.wake.set()

    def take(self) -> Batch:
        with self.lock:
            batch = Batch(frozenset(self.kinds), frozenset(self.content), self.listing)
            self.kinds, self.content, self.listing = set(), set(), False
            self.wake.clear()
        return batch


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # a folder is "modified" whenever a file in it is: that file says more
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        listing = event.is_directory or event.event_type not in ("modified", "closed")
        for path in paths:
            path = path.decode() if isinstance(path, bytes) else path
            if not path:
                continue
            kind = classify(self.watcher.root, path, self.watcher.output)
            if kind is ChangeKind.CONTENT:
                rel = Path(path).resolve().relative_to(self.watcher.root / "content")
                self.watcher.pending.add(kind, rel.as_posix(), listing)
            elif kind is not None:
                self.watcher.pending.add(kind)
            if event.is_directory and Path(path).parent == self.watcher.root:
                self.watcher.schedule_new_folders()


class Watcher:
    """Watches the site's sources (never the output, .git or caches) with watchdog.
    Falls back to polling when the system has no inotify watches left."""

    def __init__(self, root: Path, output: Path | None = None, poll: bool = False,
                 notice: Callable[[str], None] = print) -> None:
        self.root = root.resolve()
        self.output = output
        self.pending = _Pending()
        self.notice = notice
        self.polling = poll
        self._handler = _Handler(self)
        self._scheduled: set[Path] = set()
        self._observer = PollingObserver(timeout=0.25) if poll else Observer()

    def start(self) -> None:
        try:
            self._schedule_all()
            self._observer.start()
        except OSError as exc:
            if self.polling or exc.errno not in (errno.ENOSPC, errno.EMFILE, errno.ENFILE):
                raise
            self.notice("The system ran out of file watches (inotify); watching by polling "
                        "instead. To raise the limit: sudo sysctl fs.inotify.max_user_watches="
                        "524288")
            self.polling = True
            self._observer = PollingObserver(timeout=0.25)
            self._scheduled.clear()
            self._schedule_all()
            self._observer.start()

    def _schedule_all(self) -> None:
        self._observer.schedule(self._handler, str(self.root), recursive=False)
        self.schedule_new_folders(initial=True)

    def schedule_new_folders(self, initial: bool = False) -> None:
        """Watch the source folders that exist; one created later is a change itself."""
        for name in WATCHED_FOLDERS:
            folder = self.root / name
            if folder.is_dir() and folder not in self._scheduled:
                self._scheduled.add(folder)
                self._observer.schedule(self._handler, str(folder), recursive=True)
                if not initial:
                    self.pending.add(ChangeKind.CONTENT if name == "content" else
                                 ChangeKind.TEMPLATE, listing=True)

    def stop(self) -> None:
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join(timeout=5)

    def wait(self, stop: threading.Event, debounce: float = DEBOUNCE_SECONDS
             ) -> Batch | None:
        """Block until changes arrived and the files went quiet for ``debounce`` seconds;
        None when ``stop`` is set first."""
        while not stop.is_set():
            if not self.pending.wake.wait(timeout=0.2):
                continue
            while True:
                quiet = time.monotonic() - self.pending.last_event
                if quiet >= debounce or stop.is_set():
                    break
                time.sleep(debounce - quiet)
            return self.pending.take()
        return None


class DevBuilder:
    """Rebuild-and-write for watch mode. A failed build keeps the last good site, and
    remembers its errors until a build succeeds. The search index follows each write in
    the background; ``on_search_error`` hears of an index that could not be written."""

    def __init__(self, root: Path, options: BuildOptions, output: Path,
                 reporter: Reporter | None = None,
                 on_search_error: Callable[[SitegenError], None] | None = None) -> None:
        self.builder = Builder(root, options, reporter, hold_pages=False)
        # From what `sitegen build` kept: no story's Markdown is rendered again at start.
        self.builder.resume(options.output or root / "_site")
        self.writer = SiteWriter(output)
        self.indexer = Indexer(on_search_error)
        self.errors: list[SitegenError] = []
        self.generation = 0  # counts successful builds
        self.last: BuiltSite | None = None
        self._indexed = False  # whether the output may hold an index of ours
        self._looked = 0.0  # time.monotonic() of the last build that looked at every file

    def rebuild(self, batch: Batch | None = None) -> list[str]:
        """Build and write; returns the output paths that changed. Raises BuildFailed.
        ``batch``: what the file system said changed (None: look at every file)."""
        changes = None
        if batch is not None and time.monotonic() - self._looked < FULL_LOOK_SECONDS:
            changes = Changes(batch.content, batch.listing,
                              others=bool(batch.kinds - {ChangeKind.CONTENT}))
        else:
            self._looked = time.monotonic()
        gc.disable()  # a full collection walks every cached object; do it between builds
        fresh = self.writer.first_folder()  # the first build's pages go there as rendered
        try:
            try:
                built = self.builder.build(changes, into=fresh)
            except BuildFailed as exc:
                self.errors = exc.errors
                raise
            search = built.config.search
            binary = find_pagefind() if search else None  # no binary: nothing is written
            changed = self.writer.write(built.pages, built.files,
                                        keep=(BUNDLE,) if search else (), fresh=fresh)
        except BaseException:
            if fresh is not None:
                fresh.discard()
            raise
        finally:
            gc.enable()
        if search or self._indexed:  # search turned off: the index goes too
            self.indexer.request(self.writer.out, binary, bool(built.site.articles))
            self._indexed = search
        self.errors = []
        self.last = built
        self.generation += 1
        gc.freeze()
        return changed


def watch_loop(watcher: Watcher, dev: DevBuilder, stop: threading.Event,
               on_built: Callable[[list[str], float], None],
               on_failed: Callable[[BuildFailed], None]) -> None:
    """Rebuild after every quiet spell of changes, until ``stop`` is set."""
    while True:
        batch = watcher.wait(stop)
        if batch is None:
            return
        started = time.perf_counter()
        try:
            changed = _rebuild(dev, None if watcher.polling else batch)
        except BuildFailed as exc:
            on_failed(exc)
            continue
        on_built(changed, time.perf_counter() - started)


def _rebuild(dev: DevBuilder, batch: Batch | None = None) -> list[str]:
    """``dev.rebuild``, with every error that leaves the last good site standing raised as
    BuildFailed (a config error, a folder that cannot be written)."""
    try:
        return dev.rebuild(batch)
    except BuildFailed:
        raise
    except SitegenError as exc:
        raise BuildFailed([exc]) from None
    except OSError as exc:
        raise BuildFailed([SitegenError(f"could not write the site: {exc}")]) from None


def run_watch(root: Path, options: BuildOptions, output: Path, *, poll: bool,
              say: Callable[[str], None], report: Callable[[list[SitegenError]], None],
              reporter: Reporter | None = None, stop: threading.Event | None = None,
              after_build: Callable[[DevBuilder, list[str]], None] | None = None,
              after_failure: Callable[[DevBuilder], None] | None = None,
              ready: Callable[[], None] | None = None) -> DevBuilder:
    """Build ``root`` into ``output``, then rebuild on every change until ``stop`` is set
    or Ctrl-C. A failed build is reported and the last good output stays in place.
    ``ready`` is called once the first build is over (built or failed).

    The first build runs before any thread of ours (the watcher's, the dev server's), so
    that it may render on every core (``pool.map_inherited`` forks only a process with no
    other thread); a save made meanwhile is caught by one look at every file once the
    watcher runs."""
    stop = stop or threading.Event()
    dev = DevBuilder(root, options, output, reporter,
                     on_search_error=lambda error: report([error]))

    def built(changed: list[str], seconds: float) -> None:
        count = len(changed)
        verb = "Rebuilt" if dev.generation > 1 else "Built the site"
        say(f"{verb} in {seconds * 1000:.0f} ms: {count} file{'s' if count != 1 else ''} "
            "written")
        if after_build:
            after_build(dev, changed)

    def failed(exc: BuildFailed) -> None:
        report(exc.errors)
        say("The last good site is kept; fix the error and save to rebuild.")
        if after_failure:
            after_failure(dev)

    started = time.perf_counter()
    first: list[SitegenError] | None = None  # the first build's errors, if it failed
    try:
        changed = dev.rebuild()
    except BuildFailed as exc:
        first = exc.errors
        failed(exc)
    else:
        built(changed, time.perf_counter() - started)
    if ready:
        ready()
    watcher = Watcher(root, output=output, poll=poll, notice=say)  # (makes a thread)
    watcher.start()
    try:
        _catch_up(dev, first, built, failed)
        how = " by polling" if watcher.polling else ""
        say(f"Watching for changes{how} (Ctrl-C to stop)")
        watch_loop(watcher, dev, stop, built, failed)
    finally:
        watcher.stop()
        dev.indexer.close()
    return dev


def _catch_up(dev: DevBuilder, first: list[SitegenError] | None,
              on_built: Callable[[list[str], float], None],
              on_failed: Callable[[BuildFailed], None]) -> None:
    """Build again looking at every file, for what was saved during the first build (the
    watcher was not running yet); said only when it changed something."""
    started = time.perf_counter()
    try:
        changed = _rebuild(dev)
    except BuildFailed as exc:
        if first is None or [str(e) for e in exc.errors] != [str(e) for e in first]:
            on_failed(exc)  # (the first build's errors, made again, are not said twice)
        return
    if changed or first is not None:
        on_built(changed, time.perf_counter() - started)
