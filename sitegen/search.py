"""Client-side search with no server: Pagefind indexes the written site into its
``pagefind/`` folder, and the theme's ``/search/`` page loads Pagefind's own interface from
there. The index is static files, so search works on GitHub Pages, under a base path and
offline.

The binary comes from the ``pagefind[bin]`` package (found through the pagefind package's
own lookup: ``PAGEFIND_BINARY_PATH``, then the wheels, then ``PATH``); nothing is downloaded
while building. A site with ``search = true`` and no binary is a usage error that says
what to install, never a site without its search.

What is searchable is marked in the theme, not chosen here: ``data-pagefind-body`` on an
article's story (so every page without it, lists, tags, staff, tombstones of withdrawn
stories, is left out), ``data-pagefind-ignore`` on what is not the headline, byline, body
or tags, and ``data-pagefind-meta`` / ``data-pagefind-filter`` for the section and date that
results show and filter by. Drafts are not built, so they are never indexed either.

``build`` indexes the fresh folder before it is swapped in, so the site never appears
without its index and a failed index leaves the last good site. Watch mode indexes after
each write in a background thread (:class:`Indexer`), so a save reaches the browser as
fast as without search.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from sitegen.errors import BuildFailed, ContentError, SitegenError, UsageError
from sitegen.render import Output

BUNDLE = "pagefind"  # the folder of the output Pagefind writes
MISSING = ("search needs Pagefind, which is not installed: pip install 'pagefind[bin]' "
           "(or turn search off with search = false in sitegen.toml)")
TIMEOUT_SECONDS = 600


def _locate() -> Path | None:
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    try:
        return get_executable()
    except OSError:  # pagefind_bin installed without its binary
        return None


def find_pagefind() -> Path:
    """The Pagefind binary; a UsageError naming what to install when there is none."""
    binary = _locate()
    if binary is None or not binary.is_file():
        raise UsageError(MISSING)
    return binary


def index_site(folder: Path, binary: Path, has_articles: bool) -> None:
    """Write ``folder/pagefind/`` afresh from the pages in ``folder``: Pagefind writes into a
    temporary folder beside it, which then replaces the old index whole. With no article
    there is nothing to find (and Pagefind refuses an empty index): the old one is removed.
    Raises BuildFailed when Pagefind fails."""
    folder = folder.resolve()
    dest = folder / BUNDLE
    if not has_articles:
        shutil.rmtree(dest, ignore_errors=True)
        return
    temporary = Path(tempfile.mkdtemp(prefix=f".{folder.name}.{BUNDLE}-", dir=folder.parent))
    old = temporary.with_name(temporary.name + "-old")
    try:
        try:
            # In its own session, so Ctrl-C in `sitegen serve` lets a background run end
            # cleanly (a build interrupted in the foreground still kills it). Run from the
            # empty temporary folder, so no stray pagefind.yml changes what is indexed.
            result = subprocess.run(
                [str(binary), "--site", str(folder), "--output-path", str(temporary),
                 "--silent"], cwd=temporary, stdin=subprocess.DEVNULL, capture_output=True,
                text=True, errors="replace", timeout=TIMEOUT_SECONDS, start_new_session=True)
        except (OSError, subprocess.SubprocessError) as exc:
            raise BuildFailed([SitegenError(f"Pagefind could not run ({binary}): {exc}")]) \
                from None
        if result.returncode != 0:
            said = [line.strip() for line in (result.stderr + result.stdout).splitlines()
                    if line.strip()]
            detail = said[-1] if said else f"exit code {result.returncode}"
            raise BuildFailed([SitegenError(f"Pagefind could not index the site: {detail}")])
        settle_order(temporary)
        if dest.exists():
            dest.rename(old)
        try:
            temporary.rename(dest)
        except OSError:
            if old.exists() and not dest.exists():
                old.rename(dest)
            raise
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


_PREFIX = b"pagefind_dcd"  # what every compressed index file of Pagefind starts with


def settle_order(bundle: Path) -> None:
    """Make a bundle's bytes depend on the site alone. Pagefind lists the values of each
    filter, and the filters themselves, in the order of a Rust hash map, random per run
    (Pagefind/pagefind#638), so the filter files and the metadata and entry files that name
    them change from one build to the next. Here those lists are sorted and the files renamed
    after their new bytes. A file not in the expected shape is left as Pagefind wrote it."""
    renamed: dict[bytes, bytes] = {}  # old name -> new name, e.g. b"en_605be3c"
    for path in sorted((bundle / "filter").glob("*.pf_filter")):
        name = _rewrite(path, renamed, path.stem, ".pf_filter")
        renamed[path.stem.encode()] = name.encode()
    entry_path = bundle / "pagefind-entry.json"
    if not entry_path.is_file():
        return
    entry = entry_path.read_text(encoding="utf-8")
    for path in sorted(bundle.glob("pagefind.*.pf_meta")):
        old = path.name.removeprefix("pagefind.").removesuffix(".pf_meta")
        new = _rewrite(path, renamed, old, ".pf_meta")
        entry = entry.replace(f'"{old}"', f'"{new}"')
    entry_path.write_text(entry, encoding="utf-8")


def _rewrite(path: Path, renamed: dict[bytes, bytes], name: str, suffix: str) -> str:
    """Sort the lists in one index file, name it after its bytes (``en_`` and as many hex
    digits as before); returns the new name, the old one when the file was left alone."""
    # Filter files: [filter, [[value, [page, ...]], ...]]; metadata: [..., [[filter, file],
    # ...], [[sort, file], ...], ...]. Pages are listed as [file, words]: never sorted.
    second = _ARRAY if suffix == ".pf_filter" else _TEXT
    try:
        data = gzip.decompress(path.read_bytes())
        if not data.startswith(_PREFIX):
            return name
        for old, new in renamed.items():
            data = data.replace(old, new)  # names of equal length: the CBOR stays valid
        data = _PREFIX + _sorted_lists(data[len(_PREFIX):], second)
    except (OSError, EOFError, ValueError, IndexError, KeyError, gzip.BadGzipFile):
        return name
    language, _, digits = name.rpartition("_")
    new_name = f"{language}_{hashlib.sha256(data).hexdigest()[:len(digits)]}"
    path.unlink()
    path.with_name(path.name.replace(name, new_name)).write_bytes(gzip.compress(data, mtime=0))
    return new_name


_UINT, _TEXT, _ARRAY = 0, 3, 4  # CBOR major types


def _sorted_lists(data: bytes, second: int) -> bytes:
    """CBOR ``data``, an array, with each of its items that lists pairs [text, x], x of
    major type ``second``, sorted by their text."""
    spans, start, end = _items(data, 0)
    if end != len(data):
        raise ValueError("trailing bytes")
    parts = [data[:start]]
    for begin, finish in spans:
        item = data[begin:finish]
        if item[0] >> 5 == _ARRAY:
            pairs, head, _ = _items(item, 0)
            keys = [_key(item, at, second) for at, _ in pairs]
            if pairs and None not in keys:
                ordered = sorted(zip(keys, (item[a:b] for a, b in pairs), strict=True))
                item = item[:head] + b"".join(raw for _, raw in ordered)
        parts.append(item)
    return b"".join(parts)


def _key(data: bytes, at: int, second: int) -> bytes | None:
    """The text of the pair [text, x] at ``at`` (x of major type ``second``), else None."""
    if data[at] >> 5 != _ARRAY or data[at] & 31 != 2:
        return None
    first = at + 1
    if data[first] >> 5 != _TEXT:
        return None
    begin, length = _head(data, first, _TEXT)
    if data[begin + length] >> 5 != second:
        return None
    return data[begin:begin + length]


def _items(data: bytes, at: int) -> tuple[list[tuple[int, int]], int, int]:
    """The spans of the items of the CBOR array at ``at``, where they start and end."""
    start, count = _head(data, at, _ARRAY)
    spans, position = [], start
    for _ in range(count):
        end = _end(data, position)
        spans.append((position, end))
        position = end
    return spans, start, position


def _head(data: bytes, at: int, major: int) -> tuple[int, int]:
    """(where the content starts, the count or length) of the CBOR head at ``at``."""
    if data[at] >> 5 != major:
        raise ValueError("unexpected CBOR item")
    info = data[at] & 31
    if info < 24:
        return at + 1, info
    size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
    return at + 1 + size, int.from_bytes(data[at + 1:at + 1 + size], "big")


def _end(data: bytes, at: int) -> int:
    """Where the CBOR item at ``at`` ends (unsigned integers, texts, bytes, arrays)."""
    major = data[at] >> 5
    start, count = _head(data, at, major)
    if major == _UINT:
        return start
    if major in (2, _TEXT):  # bytes, text
        return start + count
    if major == _ARRAY:
        for _ in range(count):
            start = _end(data, start)
        return start
    raise ValueError("unexpected CBOR item")


def clashes(outputs: Iterable[Output], copies: Mapping[str, Path],
            root: Path) -> list[SitegenError]:
    """Pages and files that would land in ``pagefind/``, which belongs to the index."""
    prefix = BUNDLE + "/"
    errors: list[SitegenError] = []
    for output in outputs:
        if output.path.startswith(prefix):
            errors.append(ContentError(
                f"{output.source} would be published at {output.url}, inside /{prefix} where "
                "the search index goes: give it another address (or set search = false in "
                "sitegen.toml)", output.article or None))
    for path, source in copies.items():
        if path.startswith(prefix):
            shown = (source.relative_to(root).as_posix() if source.is_relative_to(root)
                     else str(source))
            errors.append(SitegenError(
                f"{shown} would be published as {path}, inside /{prefix} where the search "
                "index goes: move or rename it (or set search = false in sitegen.toml)"))
    return errors


class Indexer:
    """Indexes an output folder in a background thread (watch mode), which ends when no run
    is asked for. One run at a time; requests made while it runs collapse into the latest,
    which runs next, so the index left in the folder is always that of the latest write."""

    def __init__(self, on_error: Callable[[SitegenError], None] | None = None) -> None:
        self.on_error = on_error or (lambda error: None)
        self._changed = threading.Condition()
        self._wanted: tuple[Path, Path | None, bool, int] | None = None
        self._requested = 0
        self._done = 0
        self._closed = False
        self._thread: threading.Thread | None = None

    def request(self, folder: Path, binary: Path | None, has_articles: bool) -> None:
        """Index ``folder`` (or, with ``binary`` None, remove its index) once the run in
        progress, if any, is over."""
        with self._changed:
            if self._closed:
                return
            self._requested += 1
            self._wanted = (folder, binary, has_articles, self._requested)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="sitegen-search",
                                                daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every request made so far is done; False if ``timeout`` ran out."""
        with self._changed:
            return self._changed.wait_for(lambda: self._done >= self._requested, timeout)

    def close(self, timeout: float = 30) -> None:
        """Let a run in progress finish (within ``timeout``), drop what is queued."""
        with self._changed:
            self._closed = True
            self._wanted = None
            self._changed.notify_all()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        with self._changed:
            self._done = self._requested
            self._changed.notify_all()

    def _run(self) -> None:
        while True:
            with self._changed:
                if self._wanted is None:  # nothing asked: no thread waits idle (a process
                    self._thread = None   # running threads does not fork, see pool.py)
                    return
                folder, binary, has_articles, number = self._wanted
                self._wanted = None
            problem: SitegenError | None = None
            try:
                if binary is None:
                    shutil.rmtree(folder / BUNDLE, ignore_errors=True)
                else:
                    index_site(folder, binary, has_articles)
            except BuildFailed as exc:
                problem = exc.errors[0] if exc.errors else SitegenError(str(exc))
            except Exception as exc:  # a background thread must report, never die silently
                problem = SitegenError(f"could not write the search index: {exc}")
            with self._changed:
                # A failure of a run that a newer one replaces is not worth reporting.
                superseded = self._wanted is not None or self._closed
            if problem is not None and not superseded:
                self.on_error(problem)
            with self._changed:
                self._done = max(self._done, number)
                self._changed.notify_all()
