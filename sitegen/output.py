"""Write the built site: into a fresh folder swapped in whole, never outside it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from sitegen.errors import UsageError

# Marks a folder as ours, so a build never replaces a folder it did not write.
MARKER = ".sitegen-output"


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


def write_site(out: Path, pages: Mapping[str, bytes], files: Mapping[str, Path]) -> None:
    """Write ``pages`` (path -> bytes) and copy ``files`` (path -> source) into a fresh
    folder beside ``out``, then swap it in. On any failure ``out`` is left as it was."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = out.parent / f".{out.name}.tmp-{os.getpid()}"
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        fresh.mkdir()
        write_tree(fresh, pages, files)
        (fresh / MARKER).write_bytes(b"")
        if out.exists():
            out.rename(old)
        fresh.rename(out)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        if old.exists() and not out.exists():
            old.rename(out)
        raise
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
