"""The one build cache: ``.sitegen/`` in the site folder.

Work that is costly and depends only on its inputs is kept here between runs, so a build
(``build``, ``serve``, ``deploy``, or GitHub Actions restoring the folder) redoes only what
changed: derived images (``images.py``), stories' rendered bodies (``bodies.py``), and the
memory of the last build of each output folder, which holds the parsed articles and what
every page read (``state.py``). All go through the same scheme:

- **One keying scheme.** :meth:`BuildCache.key` hashes a kind ("images", ...), the inputs'
  content hashes and the settings, together with the cache format, sitegen's version and
  Python's. Anything that can change a result is part of its key, so a stale entry can
  never be found: a changed input is simply a different key.
- **Entries are folders written whole** (or single files named by their content hash,
  checked when read: the bodies). An entry is written into a temporary folder and
  renamed into place, its manifest last. A build killed halfway leaves at most a
  temporary folder, which is never read. On load the manifest must parse and name files
  of the sizes it recorded; anything else is treated as a miss (and replaced).
- **File hashes by stat.** The content hash of a source file is remembered with its stat
  signature and trusted only when the file had settled before it was hashed (see
  ``output.settled``), so a rebuild does not read every photo again.

Deleting the folder is always safe: the next build is simply cold.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import platform
import shutil
import tempfile
import time
from collections.abc import Callable, Container
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sitegen import __version__
from sitegen.output import settled

CACHE_DIR = ".sitegen"
FORMAT = 1  # bump when the layout of the folder changes
_MANIFEST = "manifest.json"
_HASHES = "file-hashes.json"
_PRUNED = "pruned"  # its time: when prune_daily last ran
_DAY = 24 * 3600
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This folder is sitegen's build cache; it is safe to delete.\n")


Writer = Callable[[IO[bytes]], object]


def content_hash(data: bytes) -> str:
    """The content hash the cache keys files by (as ``BuildCache.file_hash`` gives it)."""
    return hashlib.blake2b(data, digest_size=20).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One complete cache entry: its folder, what its manifest says, and its files."""

    folder: Path
    meta: dict[str, Any]

    def file(self, name: str) -> Path:
        return self.folder / name


class BuildCache:
    """``.sitegen/`` of one site."""

    def __init__(self, root: Path) -> None:
        # SITEGEN_CACHE_DIR keeps it elsewhere (a CI cache path, a read-only checkout).
        elsewhere = os.environ.get("SITEGEN_CACHE_DIR")
        self.folder = Path(elsewhere) if elsewhere else root / CACHE_DIR
        self._hashes: dict[str, list[Any]] = {}  # path -> [signature..., read_at, digest]
        self._hashes_loaded = False
        self._hashes_dirty = False
        self._salt = f"{FORMAT}|{__version__}|{platform.python_version()}"

    # -- keys -----------------------------------------------------------------------------

    def key(self, kind: str, *parts: object) -> str:
        """The key of one result: everything it depends on goes into ``parts``."""
        digest = hashlib.blake2b(digest_size=20)
        for part in (self._salt, kind, *parts):
            data = part if isinstance(part, bytes) else repr(part).encode("utf-8")
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
        return digest.hexdigest()

    def file_hash(self, path: Path, resolved: bool = False) -> str:
        """The content hash of ``path``, remembered by its stat signature (``resolved``:
        the path is already absolute and free of links, which saves resolving it)."""
        self._load_hashes()
        stat = path.stat()
        signature = [stat.st_mtime_ns, stat.st_size, stat.st_ino, stat.st_ctime_ns]
        name = str(path) if resolved else str(path.resolve())
        known = self._hashes.get(name)
        if known is not None and known[:4] == signature and settled(stat.st_mtime_ns, known[4]):
            return known[5]
        read_at = time.time_ns()
        digest = hashlib.blake2b(digest_size=20)
        with open(path, "rb") as file:
            while chunk := file.read(1 << 20):
                digest.update(chunk)
        self._hashes[name] = [*signature, read_at, digest.hexdigest()]
        self._hashes_dirty = True
        return digest.hexdigest()

    # -- entries --------------------------------------------------------------------------

    def load(self, kind: str, key: str) -> Entry | None:
        """The complete entry stored under ``key``, or None when there is none (or it is
        damaged: then it is as if it were not there)."""
        folder = self._entry_folder(kind, key)
        try:
            path = folder / _MANIFEST
            manifest = json.loads(path.read_text(encoding="utf-8"))
            for name, size in manifest["files"].items():
                if (folder / name).stat().st_size != size:
                    return None
            if time.time() - path.stat().st_mtime > _DAY:
                os.utime(path)  # in use: see prune()
            return Entry(folder, manifest["meta"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def store(self, kind: str, key: str, files: dict[str, bytes | Writer],
              meta: dict[str, Any]) -> Entry:
        """Write an entry whole, replacing a damaged one under the same key. A file is
        given as its bytes, or as a function that writes them into an open file (large
        files need never be held in memory whole)."""
        self._prepare()
        folder = self._entry_folder(kind, key)
        folder.parent.mkdir(parents=True, exist_ok=True)
        temporary = folder.parent / f".{key}.tmp-{os.getpid()}-{time.monotonic_ns()}"
        temporary.mkdir()
        try:
            sizes = {}
            for name, data in sorted(files.items()):
                with open(temporary / name, "wb") as file:
                    if isinstance(data, bytes):
                        file.write(data)
                    else:
                        data(file)
                    sizes[name] = file.tell()
            manifest = {"files": sizes, "meta": meta}
            (temporary / _MANIFEST).write_text(json.dumps(manifest, sort_keys=True),
                                               encoding="utf-8")
            if folder.exists():
                shutil.rmtree(folder)
            os.rename(temporary, folder)
        except FileExistsError:
            # Another process stored the same key meanwhile: its entry is as good as ours.
            shutil.rmtree(temporary, ignore_errors=True)
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise
        return Entry(folder, meta)

    def clear(self) -> None:
        """Empty the cache (``--clean``): only a folder marked as sitegen's own."""
        if (self.folder / "CACHEDIR.TAG").is_file():
            for entry in sorted(self.folder.iterdir()):
                if entry.name not in (".gitignore", "CACHEDIR.TAG"):
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        entry.unlink(missing_ok=True)
        self._hashes, self._hashes_loaded, self._hashes_dirty = {}, True, True

    def prune_daily(self, kinds: dict[str, Container[str]]) -> None:
        """``prune`` these kinds, each but the keys given, at most once a day (looking at
        every file of a large site takes longer than a rebuild): a stamp in the cache says
        when it was last done."""
        stamp = self.folder / _PRUNED
        try:
            if time.time() - stamp.stat().st_mtime < _DAY:
                return
        except OSError:
            pass
        for kind, keep in kinds.items():
            self.prune(kind, keep=keep)
        try:
            self._prepare()
            stamp.touch()
        except OSError:
            pass

    def prune(self, kind: str, unused_days: int = 30, keep: Container[str] = ()) -> int:
        """Remove the entries of ``kind`` no build has used for that many days (but those
        named in ``keep``), and temporary folders left by killed builds; returns how many
        went."""
        removed = 0
        cutoff = time.time() - unused_days * _DAY
        for bucket in sorted((self.folder / kind).glob("??")):
            for entry in sorted(bucket.iterdir()):
                if entry.name in keep:
                    continue
                single = entry.is_file()  # a single file (put_file), touched when used
                try:
                    if single:
                        stale = entry.stat().st_mtime < (
                            cutoff if ".tmp-" not in entry.name else time.time() - _DAY)
                    else:
                        manifest = entry / _MANIFEST
                        stale = (manifest.stat().st_mtime < cutoff if manifest.exists()
                                 else entry.stat().st_mtime < time.time() - _DAY)
                except OSError:
                    continue
                if not stale:
                    continue
                if single:
                    entry.unlink(missing_ok=True)
                else:
                    shutil.rmtree(entry, ignore_errors=True)
                removed += 1
        return removed

    # -- files --------------------------------------------------------------------------

    def file_folder(self, kind: str) -> str:
        """The folder, made ready, of a kind of single files named by their content hash
        (see ``put_file``); pruned like entries."""
        self._prepare()
        return os.path.join(self.folder, kind)

    def has(self, kind: str, key: str) -> bool:
        """Whether an entry is there (without checking it whole, as ``load`` does)."""
        return os.path.exists(os.path.join(self.folder, kind, key[:2], key, _MANIFEST))

    def entry_file(self, kind: str, key: str, name: str) -> Path:
        """Where a file of a loaded or stored entry is."""
        return self._entry_folder(kind, key) / name

    def save(self) -> None:
        """Keep the file hashes learnt in this build for the next process."""
        if not self._hashes_dirty:
            return
        self._prepare()
        path = self.folder / _HASHES
        temporary = path.with_name(f".{_HASHES}.tmp-{os.getpid()}")
        payload = {"salt": self._salt, "hashes": self._hashes}
        try:
            temporary.write_text(json.dumps(payload, sort_keys=True), encoding="utf-8")
            os.replace(temporary, path)
        except OSError:  # a full disk costs the next build some hashing, nothing more
            temporary.unlink(missing_ok=True)
        self._hashes_dirty = False

    # -- inside ---------------------------------------------------------------------------

    def _entry_folder(self, kind: str, key: str) -> Path:
        return self.folder / kind / key[:2] / key

    def _prepare(self) -> None:
        """Create the folder, marked so that backups and git leave it alone. A site folder
        that cannot be written (a read-only checkout) gets a throwaway cache instead."""
        if (self.folder / "CACHEDIR.TAG").is_file():
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
            (self.folder / "CACHEDIR.TAG").write_text(_TAG, encoding="utf-8")
        except OSError:
            self.folder = Path(tempfile.mkdtemp(prefix="sitegen-cache-"))
            atexit.register(shutil.rmtree, self.folder, ignore_errors=True)
            self._prepare()

    def _load_hashes(self) -> None:
        if self._hashes_loaded:
            return
        self._hashes_loaded = True
        try:
            payload = json.loads((self.folder / _HASHES).read_text(encoding="utf-8"))
            if payload["salt"] == self._salt and isinstance(payload["hashes"], dict):
                self._hashes = {name: value for name, value in payload["hashes"].items()
                                if isinstance(value, list) and len(value) == 6}
        except (OSError, ValueError, KeyError, TypeError):
            self._hashes = {}


def put_file(folder: str, key: str, data: bytes) -> None:
    """Keep ``data`` as ``<folder>/<key[:2]>/<key>``, ``key`` being its content hash (a
    file already there whole is kept). Written beside and renamed, so that a reader never
    sees half a file."""
    path = os.path.join(folder, key[:2], key)
    try:
        with open(path, "rb") as file:
            if content_hash(file.read()) == key:
                return
    except OSError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = f"{path}.tmp-{os.getpid()}"
    with open(temporary, "wb") as file:
        file.write(data)
    os.replace(temporary, path)
