"""Write the built site: into a fresh folder swapped in whole, never outside it."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from sitegen.errors import UsageError

# Marks a folder as ours, so a build never replaces a folder it did not write.
MARKER = ".sitegen-output"

# File times tick coarsely (often every 4-10 ms): a file saved twice within one tick keeps
# its mtime. As git does with "racily clean" entries, a file's stat is trusted to tell that
# it is unchanged only if the file had been still for longer than this when it was read.
RACY_NS = 100_000_000


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


def write_site(out: Path, pages: Mapping[str, bytes], files: Mapping[str, Path], *,
               finish: Callable[[Path], None] | None = None, keep: tuple[str, ...] = ()) -> None:
    """Write ``pages`` (path -> bytes) and copy ``files`` (path -> source) into a fresh
    folder beside ``out``, then swap it in. On any failure ``out`` is left as it was.

    ``finish`` is given the fresh folder, complete, before the swap (the search index is
    written there); ``keep`` names top-level entries of the old folder that are not ours
    to drop (the index, until the next one is written) and move into the new one."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = out.parent / f".{out.name}.tmp-{os.getpid()}"
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        fresh.mkdir()
        write_tree(fresh, pages, files)
        if finish is not None:
            finish(fresh)
        (fresh / MARKER).write_bytes(b"")
        if out.exists():
            out.rename(old)
        fresh.rename(out)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
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


def write_tree(folder: Path, pages: Mapping[str, bytes], files: Mapping[str, Path]) -> None:
    made: set[Path] = set()
    for rel in sorted(set(pages) | set(files)):
        dest = confined(folder, rel)
        if dest.parent not in made:
            dest.parent.mkdir(parents=True, exist_ok=True)
            made.add(dest.parent)
        if rel in pages:
            dest.write_bytes(pages[rel])
        else:
            shutil.copyfile(files[rel], dest)


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
    folder never sees half a file."""

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.pages: dict[str, bytes] = {}
        self.files: dict[str, tuple[Path, int, int]] = {}  # path -> (source, mtime, size)
        self.copied_at = 0  # time.time_ns() before the last write read the sources
        self.written = False

    def write(self, pages: Mapping[str, bytes], files: Mapping[str, Path],
              keep: tuple[str, ...] = ()) -> list[str]:
        """Bring the folder up to date; returns the output paths written or removed. Only
        paths of its own are ever removed; ``keep`` names top-level entries (the search
        index) that the first write, which swaps in a whole folder, carries over."""
        now = time.time_ns()
        signatures = {path: _signature(source) for path, source in files.items()}
        if not self.written:
            write_site(self.out, pages, files, keep=keep)
            changed = sorted(set(pages) | set(files))
        else:
            changed = self._update(pages, files, signatures)
        self.pages = dict(pages)
        self.files = signatures
        self.copied_at = now
        self.written = True
        return changed

    def _update(self, pages: Mapping[str, bytes], files: Mapping[str, Path],
                signatures: dict[str, tuple[Path, int, int]]) -> list[str]:
        changed: list[str] = []
        for path, data in pages.items():
            old = self.pages.get(path)
            if old is not data and old != data:
                _replace(confined(self.out, path), data)
                changed.append(path)
        for path, source in files.items():
            old = self.files.get(path)
            if old != signatures[path] or not settled(old[1], self.copied_at):
                _replace(confined(self.out, path), source.read_bytes())
                changed.append(path)
        for path in sorted((set(self.pages) | set(self.files)) - set(pages) - set(files)):
            target = confined(self.out, path)
            target.unlink(missing_ok=True)
            _prune_empty_parents(target.parent, self.out)
            changed.append(path)
        return sorted(changed)


def _signature(source: Path) -> tuple[Path, int, int]:
    stat = source.stat()
    return (source, stat.st_mtime_ns, stat.st_size)


def _replace(dest: Path, data: bytes) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    temporary = dest.with_name(f".{dest.name}.sitegen-tmp")
    temporary.write_bytes(data)
    os.replace(temporary, dest)


def _prune_empty_parents(folder: Path, top: Path) -> None:
    while folder != top and folder.is_relative_to(top):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
