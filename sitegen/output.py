"""Write the built site: into a fresh folder swapped in whole, never outside it."""

from __future__ import annotations

import functools
import os
import posixpath
import shutil
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sitegen.errors import UsageError

# Marks a folder as ours, so a build never replaces a folder it did not write.
MARKER = ".sitegen-output"

# File times tick coarsely (often every 4-10 ms): a file saved twice within one tick keeps
# its mtime. As git does with "racily clean" entries, a file's stat is trusted to tell that
# it is unchanged only if the file had been still for longer than this when it was read.
RACY_NS = 100_000_000

FileStat = tuple[int, int, int]  # size, mtime_ns, inode: a file as a build left it
WRITERS = 8  # threads creating files at once
# Pages handed to the writing threads and not yet written, at most: a build that renders
# faster than the disk writes then waits, instead of holding every page's bytes.
PENDING = 256


def settled(mtime_ns: int, read_at_ns: int) -> bool:
    """Whether a file with this mtime, read at that time, can be told unchanged by its stat."""
    return read_at_ns - mtime_ns > RACY_NS


def check_output_dir(root: Path, out: Path) -> None:
    """Refuse output folders that would overwrite sources or a folder we did not make."""
    root, out = root.resolve(), out.resolve()
    content = root / "content"
    if out == root or root.is_relative_to(out):
        raise UsageError(f"output folder {out} holds the site itself; choose a folder such as "
                         "_site")
    for source in (content, root / "templates", root / "themes", root / "static"):
        if out == source or out.is_relative_to(source) or source.is_relative_to(out):
            raise UsageError(f"output folder {out} overlaps {source}; choose another folder")
    if out.exists() and not out.is_dir():
        raise UsageError(f"output {out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise UsageError(f"{out} is not empty and was not written by sitegen; refusing to "
                         "replace it (remove it or choose another --output)")


def write_site(out: Path, pages: Mapping[str, bytes | None], files: Mapping[str, Path], *,
               finish: Callable[[Path], None] | None = None, keep: tuple[str, ...] = (),
               fresh: FreshFolder | None = None) -> dict[str, FileStat]:
    """Write ``pages`` (path -> bytes) and copy ``files`` (path -> source) into a fresh
    folder beside ``out``, then swap it in. On any failure ``out`` is left as it was.

    ``finish`` is given the fresh folder, complete, before the swap (the search index is
    written there); ``keep`` names top-level entries of the old folder that are not ours
    to drop (the index, until the next one is written) and move into the new one.
    Returns what each file written is on disk (see ``update_site``). ``fresh``: the folder,
    when pages were already written into it as they were made (given as None in ``pages``)."""
    fresh = fresh or FreshFolder(out)
    try:
        return fresh.complete({path: data for path, data in pages.items() if data is not None},
                              files, finish=finish, keep=keep)
    except BaseException:
        fresh.discard()
        raise


class FreshFolder:
    """A new output folder, written beside ``out`` and swapped in whole (``write_site``).
    Pages may be added as soon as they are made, so they need not all be held in memory;
    each is written by one of several threads (creating a file mostly waits for the file
    system: on a virtual disk, several at once go about twice as fast). The folder is
    ours and new, so no link can be in the way: a path is checked by its name alone."""

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.folder = self.out.parent / f".{self.out.name}.tmp-{os.getpid()}"
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir()
        self._writers = ThreadPoolExecutor(WRITERS)
        self._room = threading.BoundedSemaphore(PENDING)
        self._written: dict[str, FileStat] = {}
        self._failures: list[BaseException] = []
        self._elsewhere: dict[str, FileStat] = {}  # written by a worker process

    def add(self, rel: str, data: bytes | Path) -> None:
        """Write a page (its bytes) or copy a file (its source) into the folder."""
        _check_name(rel)
        self._room.acquire()
        try:
            self._writers.submit(self._write_kept, rel, data)
        except BaseException:
            self._room.release()
            raise

    def write_now(self, rel: str, data: bytes) -> FileStat:
        """Write a page at once, in this process: a worker that rendered it (see
        ``render.render_pages``); its parent is then told with ``written``."""
        _check_name(rel)
        return self._write_one(rel, data)

    def written(self, rel: str, stat: FileStat) -> None:
        """A page a worker wrote with ``write_now``."""
        self._elsewhere[rel] = stat

    def complete(self, pages: Mapping[str, bytes], files: Mapping[str, Path], *,
                 finish: Callable[[Path], None] | None = None, keep: tuple[str, ...] = ()
                 ) -> dict[str, FileStat]:
        """Add the rest, wait for every file, then swap the folder in (see write_site)."""
        for rel in sorted(set(pages) | set(files)):
            self.add(rel, pages[rel] if rel in pages else files[rel])
        self._writers.shutdown(wait=True)
        if self._failures:
            raise self._failures[0]
        written = dict(sorted({**self._elsewhere, **self._written}.items()))
        self._written.clear()
        if finish is not None:
            finish(self.folder)
        (self.folder / MARKER).write_bytes(b"")
        out, old = self.out, self.out.parent / f".{self.out.name}.old-{os.getpid()}"
        try:
            if out.exists():
                out.rename(old)
            self.folder.rename(out)
        except BaseException:
            if old.exists() and not out.exists():
                old.rename(out)
            raise
        for name in keep:
            kept = old / name
            if kept.exists() and not (out / name).exists():
                try:
                    kept.rename(out / name)
                except OSError:
                    pass  # written again by whoever owns it
        shutil.rmtree(old, ignore_errors=True)
        return written

    def discard(self) -> None:
        self._writers.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _write_kept(self, rel: str, data: bytes | Path) -> None:
        """``_write_one`` on a writing thread: what it wrote, or how it failed, is kept."""
        try:
            self._written[rel] = self._write_one(rel, data)
        except BaseException as exc:  # noqa: BLE001 - raised again by complete()
            self._failures.append(exc)
        finally:
            self._room.release()

    def _write_one(self, rel: str, data: bytes | Path) -> FileStat:
        dest = f"{self.folder}/{rel}"
        try:
            if isinstance(data, bytes):
                return _write(dest, data)
            shutil.copyfile(data, dest)
        except FileNotFoundError:  # its folder is not made yet
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            return self._write_one(rel, data)
        return file_stat(dest)


def update_site(out: Path, pages: Mapping[str, bytes | None], files: Mapping[str, Path],
                written: dict[str, FileStat], copied: dict[str, tuple[int, int, int]],
                changed: set[str], *, finish: Callable[[Path], None] | None = None,
                index: str = "", finish_anyway: bool = False) -> list[str]:
    """Bring ``out``, as the last build left it, up to date in place (see ``state.py``):
    ``written`` is what each of its files was then, ``copied`` what each copied file's
    source was (mtime, size, when copied), ``changed`` the files no longer as written. A
    page given as None is unchanged. Both records are updated; returns the paths written or
    removed.

    Every new file is first written beside its place. When a page changes (or
    ``finish_anyway``), ``finish`` (the search index) is given a folder of links to the
    pages as they will be, and writes ``index`` into it. Only then is everything renamed
    into place, and put back should a rename fail. So a failure (a full disk, Pagefind)
    leaves the site as it was."""
    staged: list[tuple[str, Path]] = []
    now = time.time_ns()
    sources: dict[str, tuple[int, int, int]] = {}
    shadow = out.parent / f".{out.name}.index-{os.getpid()}"
    try:
        for rel, data in sorted(pages.items()):
            if data is None:
                if rel not in written or rel in changed:
                    raise RuntimeError(f"{rel} was not rendered and is not in the output")
                continue
            dest = confined(out, rel)
            if rel in written and rel not in changed and _holds(dest, data):
                continue
            staged.append((rel, _stage(dest, functools.partial(_write, data=data))))
        for rel, source in sorted(files.items()):
            stat = os.stat(source)
            known = copied.get(rel)
            sources[rel] = (stat.st_mtime_ns, stat.st_size, now)
            if (rel in written and rel not in changed and known is not None
                    and known[:2] == (stat.st_mtime_ns, stat.st_size)
                    and settled(stat.st_mtime_ns, known[2])):
                sources[rel] = known
                continue
            dest = confined(out, rel)
            staged.append((rel, _stage(dest, functools.partial(shutil.copyfile, source))))
        removed = sorted(set(written) - set(pages) - set(files))
        if finish is not None and not (finish_anyway or any(
                rel.endswith(".html") for rel in [*dict(staged), *removed])):
            finish = None  # the pages are as they were: so is their index
        if finish is not None:
            shutil.rmtree(shadow, ignore_errors=True)
            new = dict(staged)
            for rel in sorted(pages):
                if rel.endswith(".html"):
                    _link(new.get(rel, out / rel), shadow / rel)
            finish(shadow)
        _rename_all(out, staged)
    except BaseException:
        for _, temporary in staged:
            temporary.unlink(missing_ok=True)
        shutil.rmtree(shadow, ignore_errors=True)
        raise
    for rel, _ in staged:
        written[rel] = file_stat(out / rel)
    for rel in removed:
        _remove(out, rel)
        del written[rel]
    if finish is not None:
        old = out.parent / f".{out.name}.index-old-{os.getpid()}"
        if (out / index).exists():
            (out / index).rename(old)
        if (shadow / index).exists():
            (shadow / index).rename(out / index)
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(shadow, ignore_errors=True)
    copied.clear()
    copied.update(sources)
    return sorted([rel for rel, _ in staged] + removed)


def _rename_all(out: Path, staged: list[tuple[str, Path]]) -> None:
    """Rename every staged file into place; if one fails, put back those already done."""
    done: list[tuple[Path, Path | None]] = []
    try:
        for rel, temporary in staged:
            dest = out / rel
            backup = None
            if os.path.lexists(dest):
                backup = dest.with_name(f".{dest.name}.sitegen-old")
                backup.unlink(missing_ok=True)
                _link(dest, backup)
            os.replace(temporary, dest)
            done.append((dest, backup))
    except BaseException:
        for dest, backup in reversed(done):
            if backup is None:
                dest.unlink(missing_ok=True)
            else:
                os.replace(backup, dest)
        raise
    finally:
        for _, backup in done:
            if backup is not None:
                backup.unlink(missing_ok=True)


def _link(source: Path, dest: Path) -> None:
    """``dest`` becomes the file ``source`` is (a hard link; a copy where links fail)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, dest)
    except OSError:
        shutil.copyfile(source, dest)


def source_stats(files: Mapping[str, Path], at: int) -> dict[str, tuple[int, int, int]]:
    """The ``copied`` record of ``update_site`` for files copied after ``at`` (time_ns)."""
    stats = {}
    for rel, source in files.items():
        stat = os.stat(source)
        stats[rel] = (stat.st_mtime_ns, stat.st_size, at)
    return stats


def _stage(dest: Path, make: Callable[[str], object]) -> Path:
    """Write ``dest``'s new version beside it (``make`` writes the file it is given)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    temporary = dest.with_name(f".{dest.name}.sitegen-tmp")
    make(str(temporary))
    return temporary


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file at ``path`` holds exactly ``data``."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as file:
            return file.read() == data
    except OSError:
        return False


def file_stat(path: str | Path) -> FileStat:
    """What tells a file of the output apart from any other version of it."""
    stat = os.lstat(path)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _write(path: str, data: bytes) -> FileStat:
    """Write a new file; returns what it is on disk."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
        stat = os.fstat(descriptor)
    finally:
        os.close(descriptor)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _check_name(rel: str) -> None:
    """An output path must name a place inside the output folder by its name alone."""
    if (not rel or rel.startswith("/") or "\0" in rel
            or posixpath.normpath(rel) != rel or rel == ".." or rel.startswith("../")):
        raise UsageError(f"refusing to write {rel!r}: it is outside the output folder")


def confined(folder: Path, rel: str) -> Path:
    """``folder / rel``, refusing any path that would land outside ``folder``."""
    dest = (folder / rel).resolve()
    if not dest.is_relative_to(folder.resolve()) or dest == folder.resolve():
        raise UsageError(f"refusing to write {rel!r}: it is outside the output folder")
    return dest


class SiteWriter:
    """Keeps an output folder equal to the latest build, writing only the bytes that
    changed and removing what is gone (watch mode). The first write swaps in a whole
    fresh folder; later ones replace single files atomically, so a server reading the
    folder never sees half a file. The pages' bytes are not held: the folder holds them."""

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.pages: set[str] = set()
        self.files: dict[str, tuple[Path, int, int]] = {}  # path -> (source, mtime, size)
        self.copied_at = 0  # time.time_ns() before the last write read the sources
        self.written = False

    def first_folder(self) -> FreshFolder | None:
        """Before the first write: the fresh folder it will swap in, to which pages can
        be handed as soon as they are rendered (then None in what ``write`` is given)."""
        return None if self.written else FreshFolder(self.out)

    def write(self, pages: Mapping[str, bytes | None], files: Mapping[str, Path],
              keep: tuple[str, ...] = (), fresh: FreshFolder | None = None) -> list[str]:
        """Bring the folder up to date; returns the output paths written or removed. A
        page given as None is as the folder holds it (or as handed to ``fresh``, the first
        folder). Only paths of its own are ever removed; ``keep`` names top-level entries
        (the search index) that the first write, which swaps in a whole folder, carries
        over."""
        now = time.time_ns()
        signatures = {path: _signature(source) for path, source in files.items()}
        if not self.written:
            write_site(self.out, pages, files, keep=keep, fresh=fresh)
            changed = sorted(set(pages) | set(files))
        else:
            changed = self._update(pages, files, signatures)
        self.pages = set(pages)
        self.files = signatures
        self.copied_at = now
        self.written = True
        return changed

    def _update(self, pages: Mapping[str, bytes | None], files: Mapping[str, Path],
                signatures: dict[str, tuple[Path, int, int]]) -> list[str]:
        changed: list[str] = []
        for path, data in pages.items():
            if data is None:
                continue
            target = confined(self.out, path)
            if path in self.pages and _holds(target, data):
                continue
            _replace(target, data)
            changed.append(path)
        for path, source in files.items():
            old = self.files.get(path)
            if old != signatures[path] or not settled(old[1], self.copied_at):
                _replace(confined(self.out, path), source.read_bytes())
                changed.append(path)
        for path in sorted((self.pages | set(self.files)) - set(pages) - set(files)):
            _remove(self.out, path)
            changed.append(path)
        return sorted(changed)


def _holds(target: Path, data: bytes) -> bool:
    """Whether the file already holds exactly ``data`` (a page rendered again the same)."""
    try:
        if target.stat().st_size != len(data):
            return False
        return target.read_bytes() == data
    except OSError:
        return False


def _signature(source: Path) -> tuple[Path, int, int]:
    stat = source.stat()
    return (source, stat.st_mtime_ns, stat.st_size)


def _replace(dest: Path, data: bytes) -> None:
    """Replace one file at once: a reader sees the old bytes or the new, never half."""
    os.replace(_stage(dest, functools.partial(_write, data=data)), dest)


def _remove(out: Path, rel: str) -> None:
    """Remove one file of ours, and the folders it leaves empty."""
    target = confined(out, rel)
    target.unlink(missing_ok=True)
    _prune_empty_parents(target.parent, out)


def _prune_empty_parents(folder: Path, top: Path) -> None:
    while folder != top and folder.is_relative_to(top):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
