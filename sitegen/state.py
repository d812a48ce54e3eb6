"""What one ``sitegen build`` leaves for the next: the builder's memory, kept in the cache.

Watch mode is fast because the Builder remembers what it read, rendered and wrote. This
module keeps that memory between processes, as one entry of the build cache (``cache.py``),
so that a new ``sitegen build`` starts where the last one stopped:

- **The record** (small, read first): a digest of every input (the config, every file
  under ``content/``, ``static/``, ``templates/`` and ``themes/``, the options, sitegen's own
  code and the versions of the libraries that shape a page), until when the build's clock
  cannot change a page (the next scheduled story, the next midnight, the next story leaving
  the news sitemap), and the size, time and inode of every file written into the output
  folder. When the inputs are the same, the clock is within that window and the output
  folder is exactly as written, there is nothing to do.
- **The builder's state** (read only when something changed): the parsed articles, the
  rendered bodies, the site's structure and what every page read (``deps``), without the
  pages' bytes: a page whose inputs did not change is already in the output folder, and
  the record proves it is still the file that was written.

The entry's key holds the output folder and the options, so ``--drafts`` and a preview
``--base-url`` keep entries of their own. It is written whole after the output (see
``cache.store``): a build killed before that leaves the previous entry, which the output
check then finds out of date file by file. A damaged, partial or foreign entry fails to
load and the build is simply cold. ``--clean`` ignores it.
"""

from __future__ import annotations

import copyreg
import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import importlib.metadata
import itertools
import os
import pickle
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sitegen import deps
from sitegen.bodies import StoredHTML
from sitegen.cache import BuildCache
from sitegen.errors import SitegenError
from sitegen.models import Article, Byline, Pager, Picture, Profile, TagRef, Term
from sitegen.output import MARKER, FileStat

KIND = "state"
_RECORD = "record.pickle"
_BUILDER = "builder.pickle"
_PAGES = "pages.pickle"  # apart: a build that renders every page never loads it
# The folders whose every file is an input of the build (besides sitegen.toml).
SOURCE_FOLDERS = ("content", "static", "templates", "themes")
# Libraries whose version can change a page: a new one starts cold.
LIBRARIES = ("markdown-it-py", "markdown-it-pyrs", "mdit-py-plugins", "jinja2", "markupsafe",
             "pyyaml", "babel", "pillow", "pillow-heif", "linkify-it-py", "pagefind")

@dataclass
class Record:
    """What the last successful build of this output folder read and wrote."""

    inputs: str  # digest of every input, "" when it could not be taken
    built_at: dt.datetime
    valid_until: dt.datetime  # the clock may change a page from then on
    output: dict[str, FileStat]  # every file written into the output folder
    # copied file -> (mtime_ns, size) of its source, and when it was copied
    sources: dict[str, tuple[int, int, int]]
    search: bool  # the site had search: the output holds its index (not recorded here)
    pages: int
    files: int
    articles: int
    warnings: list[SitegenError] = field(default_factory=list)


@functools.cache
def code_fingerprint() -> str:
    """sitegen's own code and built-in theme, and the libraries' versions: a change to any
    of them (an upgrade, or a developer's edit) must never meet an old entry."""
    digest = hashlib.blake2b(digest_size=20)
    package = Path(__file__).resolve().parent
    folders = [package, package.parent / "themes"] if not (package / "themes").is_dir() \
        else [package]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".html", ".css", ".js", ".toml", ".svg", ".yml", ".md") \
                    and path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode() + b"\0")
                digest.update(path.read_bytes())
    for name in LIBRARIES:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\0".encode())
    return digest.hexdigest()


def input_digest(root: Path, cache: BuildCache) -> str:
    """One digest of every file the build can read, by path and content (content hashes
    come through the cache's stat memory). "" when the folders hold a link to a folder,
    whose files could change unseen: such a site simply never takes the shortcut."""
    digest = hashlib.blake2b(digest_size=20)
    top = root.resolve()
    config = top / "sitegen.toml"
    if config.is_file():
        digest.update(b"sitegen.toml\0" + cache.file_hash(config, resolved=True).encode())
    for name in SOURCE_FOLDERS:
        if (top / name).is_dir() and not _digest_folder(str(top / name), f"{name}/", cache,
                                                        digest):
            return ""
    return digest.hexdigest()


def _digest_folder(folder: str, prefix: str, cache: BuildCache, digest: Any) -> bool:
    with os.scandir(folder) as scanned:
        entries = sorted(scanned, key=lambda entry: entry.name)
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                if not _digest_folder(entry.path, f"{prefix}{entry.name}/", cache, digest):
                    return False
                continue
            if entry.is_symlink() and entry.is_dir():
                return False
            hashed = cache.file_hash(Path(entry.path), resolved=True)
        except OSError:  # a link in a loop or to nothing, a file that cannot be read
            hashed = "unreadable"
        digest.update(f"{prefix}{entry.name}\0{hashed}\0".encode("utf-8", "surrogateescape"))
    return True


def changed_outputs(out: Path, record: Record, skip: tuple[str, ...]) -> set[str] | None:
    """The recorded output files that are not as they were written (missing, edited,
    replaced), or None when the folder cannot be updated in place at all: it is gone, or
    holds a file or link that no build wrote. ``skip`` names top-level entries that are not
    recorded (the search index)."""
    if not out.is_dir():
        return None
    expected = record.output
    changed: set[str] = set()
    found = 0
    folders = [(str(out), "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if not prefix and (name in skip or name == MARKER):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, f"{prefix}{name}/"))
                    continue
                known = expected.get(prefix + name)
                if known is None or entry.is_symlink():
                    return None  # not ours: the folder is written afresh
                found += 1
                stat = entry.stat(follow_symlinks=False)
                if (stat.st_size, stat.st_mtime_ns, stat.st_ino) != known:
                    changed.add(prefix + name)
    if found != len(expected):
        changed |= {rel for rel in expected if not os.path.lexists(out / rel)}
    return changed


class Memory:
    """The state entry of one output folder and set of options in the build cache."""

    def __init__(self, cache: BuildCache, out: Path, options: tuple) -> None:
        self.cache = cache
        self.key = cache.key(KIND, str(out.resolve()), options, code_fingerprint())
        self.record: Record | None = None
        self._entry = None

    def load_record(self) -> Record | None:
        self._entry = self.cache.load(KIND, self.key)
        if self._entry is not None:
            self.record = _unpickle(self._entry.file(_RECORD), Record)
        return self.record

    def load_builder(self, pages: bool = True) -> dict[str, Any] | None:
        """The builder's state as ``Builder.release_state`` gave it, or None; without its
        "pages" (what every page read) unless ``pages``."""
        if self._entry is None or self.record is None:
            return None
        shared: list[Any] = []  # the pages name objects the builder's file made
        state = _unpickle(self._entry.file(_BUILDER), dict, shared)
        if state is not None and pages:
            parts = _unpickle(self._entry.file(_PAGES), dict, shared)
            try:
                state["pages"] = deps.PageCache.from_parts(parts)  # type: ignore[arg-type]
            except Exception:  # noqa: BLE001 - parts that do not fit: a miss
                return None
        return state

    def save(self, record: Record, builder: dict[str, Any]) -> None:
        """Keep the record and the builder's state (emptied as it is written). A cache that
        cannot be written (a full disk, a quota) costs the next build time, never the site:
        with the entry left from before, the output check finds every file written since."""
        pages = builder.pop("pages")
        shared = _Shared()  # (the store writes the files in the order of their names)
        try:
            self.cache.store(KIND, self.key, {
                _RECORD: functools.partial(_pickle, record),
                _BUILDER: functools.partial(_pickle, builder, shared=shared),
                _PAGES: lambda file: _pickle(pages.parts(), file, shared=shared)}, {})
        except OSError:
            return
        self.record = record


# The builder's memory is pickled part by part, and a part is forgotten once written (the
# build is over). Pickle keeps every object it wrote until it is done (to write an object met
# again as a reference): a table of 16 bytes an object, kept a third empty, and the state it
# made of each. Whole, that cost 60 MiB on top of the memory saved at 16,000 stories. A part
# that is a large dict or list goes as pieces of at most PIECE items, the pickler forgetting
# between them. The objects that parts share (stories, bodies, tags, bylines, terms, pagers,
# pictures) are written once, where first met, and later by number; other shared values
# (strings) would be written again, so a part that shares them (the site and its plan) is
# written whole, and what the pages read goes as lists that name paths and reader groups by
# their place (deps.PageCache.parts).
PIECE = 2048
SHARED_TYPES = (Article, StoredHTML, Byline, TagRef, Term, Pager, Profile, Picture)


class _Shared:
    """The objects of SHARED_TYPES written so far, by number (for the files of one entry)."""

    def __init__(self) -> None:
        self.numbers: dict[int, int] = {}  # id() -> number
        self.kept: list[Any] = []  # the objects themselves: no id is given to another

    def reduce(self, obj: Any) -> tuple[Any, ...]:
        number = self.numbers.get(id(obj))
        if number is not None:
            return _shared, (number,)
        self.numbers[id(obj)] = number = len(self.kept)
        self.kept.append(obj)
        _, _, state, *_ = obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
        return _made, (number, type(obj)), state


def _shared(number: int) -> Any:
    """In a pickle, an object an earlier part made; the loader answers it (_DataOnly)."""
    raise pickle.UnpicklingError("a shared object outside the builder's memory")


def _made(number: int, cls: type) -> Any:
    """In a pickle, the first time a shared object is met (see _DataOnly)."""
    raise pickle.UnpicklingError("a shared object outside the builder's memory")


def _pickle(value: Any, file: IO[bytes], shared: _Shared | None = None) -> None:
    """Pickle ``value`` into ``file``. With ``shared``: as a series of pickles, each a part
    (``(name, value)``, the name None for the whole) or a piece (``(name, items)`` to add),
    then None; a dict ``value`` (the builder's state) is emptied as its parts are written."""
    if shared is None:
        _pickler(file, None).dump(value)
        return
    if type(value) is dict:
        _pickler(file, shared).dump((None, {}))
        parts = [(name, value.pop(name)) for name in sorted(value, reverse=True)]
    else:
        parts = [(None, value)]
    while parts:
        name, part = parts.pop()  # the last reference to it: gone once written
        if type(part) in (dict, list) and len(part) > PIECE:
            _pickler(file, shared).dump((name, type(part)()))
            items = iter(part.items() if type(part) is dict else part)
            while piece := type(part)(itertools.islice(items, PIECE)):
                _pickler(file, shared).dump((name, piece))
        else:
            _pickler(file, shared).dump((name, part))
    _pickler(file, shared).dump(None)


def _pickler(file: IO[bytes], shared: _Shared | None) -> pickle.Pickler:
    pickler = pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL)
    # A time zone by its name, made again by calling the class (see _DataOnly).
    table: dict[type, Any] = {**copyreg.dispatch_table, zoneinfo.ZoneInfo: _zone}
    if shared is not None:
        table.update(dict.fromkeys(SHARED_TYPES, shared.reduce))
    pickler.dispatch_table = table
    return pickler


def _zone(zone: zoneinfo.ZoneInfo) -> tuple[Any, ...]:
    return zoneinfo.ZoneInfo, (zone.key,)


def _load_parts(file: IO[bytes], shared: list[Any]) -> Any:
    """What ``_pickle`` wrote with ``shared``."""
    whole: Any = None
    while (record := _DataOnly(file, shared).load()) is not None:  # one unpickler a pickle
        name, value = record
        if name is None:
            whole = value
        elif name in whole and type(whole[name]) is dict:
            whole[name].update(value)
        elif name in whole:
            whole[name].extend(value)
        else:
            whole[name] = value
    return whole


class _DataOnly(pickle.Unpickler):
    """Unpickles sitegen's own data classes and plain values, nothing else: pickle can name
    any function to call, and a cache folder committed to a repository by someone else must
    not be able to run code on the editor's machine. Anything outside the list fails the
    load, which is then a miss."""

    _ALLOWED = {
        "builtins": {"set", "frozenset", "bytearray", "complex"},
        "datetime": {"datetime", "date", "time", "timedelta", "timezone"},
        "zoneinfo": {"ZoneInfo"},
        "pathlib": {"Path", "PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath"},
        "collections": {"defaultdict", "OrderedDict"},
        "markupsafe": {"Markup"},
    }

    def __init__(self, file: IO[bytes], shared: list[Any] | None = None) -> None:
        super().__init__(file)
        self._shared = shared  # the shared objects made so far (see _Shared), by number

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name in ("_shared", "_made") and self._shared is not None:
            # (Not a method of this unpickler: its memo would then hold the unpickler, a
            # cycle keeping every object it made, garbage too, past the collector's freeze.)
            return (self._shared.__getitem__ if name == "_shared"
                    else functools.partial(_make, self._shared))
        if module == "sitegen" or module.startswith("sitegen."):
            found = super().find_class(module, name)
            # Our data classes and errors, whose making runs no code of ours (no class that
            # does things when made, such as a writer of folders), and the read sentinel.
            if isinstance(found, type) and (dataclasses.is_dataclass(found)
                                            or issubclass(found, SitegenError)
                                            or found in (deps.MISSING, deps.PageCache)):
                return found
        elif name in self._ALLOWED.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not data of sitegen")


def _make(shared: list[Any], number: int, cls: type) -> Any:
    """A shared object met for the first time: made empty, then given its state."""
    if number != len(shared) or cls not in SHARED_TYPES:
        raise pickle.UnpicklingError("shared objects out of order")
    made = cls.__new__(cls)
    shared.append(made)
    return made


def _unpickle(path: Path, kind: type, shared: list[Any] | None = None) -> Any:
    """The object pickled in ``path``, or None when it is missing, damaged or not a
    ``kind`` (an entry from another sitegen never reaches here: the key differs). With
    ``shared``, pickled in pieces (see _pickle); the shared objects made are added to it."""
    enabled = gc.isenabled()
    gc.disable()  # unpickling makes many objects and no garbage: collections are wasted
    try:
        with open(path, "rb") as file:
            value = (_DataOnly(file).load() if shared is None
                     else _load_parts(file, shared))
    except Exception:  # noqa: BLE001 - whatever a damaged pickle raises, it is a miss
        return None
    finally:
        if enabled:
            gc.enable()
    # What was loaded lives until the process ends: keep the collector from walking it.
    gc.freeze()
    return value if isinstance(value, kind) else None
