"""Photos in, private resized copies out.

Every photo an article, a staff profile or the site uses is published as copies at a few
widths (``[images] widths`` in ``sitegen.toml``, never wider than the original), each as
WebP plus a JPEG fallback (PNG when the photo has transparency). Before resizing, the EXIF
orientation is applied to the pixels; the copies then carry no metadata at all (EXIF, GPS,
XMP, IPTC, maker notes, comments), only the ICC colour profile. The original file is never
published. HEIC/HEIF from phones is read through pillow-heif. GIF is published as it is;
SVG too, after a check that refuses any SVG that could run script or load something from
elsewhere (there is no safe way to half-clean one).

Two steps, so that Markdown can write ``width``/``height``/``srcset`` while encoding runs
later, on every core:

1. :meth:`Images.picture` (while articles are read and rendered): checks the file (type
   matches the extension, limits on bytes and pixels) from its header and returns a
   :class:`~sitegen.models.Picture` naming every copy to come.
2. :meth:`Images.publish` (once the site is known): encodes what the build cache does not
   hold yet, in parallel, and returns where each copy's bytes are.

Copies live in the build cache (``cache.py``) under a key made of the photo's content hash
and the settings, so a photo is never encoded twice and editing a caption encodes nothing.
"""

from __future__ import annotations

import functools
import importlib.metadata
import io
import multiprocessing
import posixpath
import re
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any
from xml.parsers import expat

from sitegen.cache import BuildCache, content_hash
from sitegen.config import ImageSettings
from sitegen.errors import ContentError, SitegenError
from sitegen.models import Copy, Picture
from sitegen.pool import available_cores, map_ordered, may_fork, worker_start

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from PIL import Image

PIPELINE = 1  # bump when the copies would come out differently
# Part of every photo's cache key. Read from the installed packages: Pillow itself is loaded
# only when a photo is opened (see _pillow), which a build with nothing new never does.
_SETTINGS_VERSION = (PIPELINE, importlib.metadata.version("pillow"),
                     importlib.metadata.version("pillow-heif"))

# Extensions we resize -> the formats Pillow may find inside (MPO: phone JPEGs with extras).
RESIZED = {
    ".jpg": ("JPEG", "MPO"), ".jpeg": ("JPEG", "MPO"), ".png": ("PNG",), ".webp": ("WEBP",),
    ".heic": ("HEIF",), ".heif": ("HEIF",), ".avif": ("AVIF", "HEIF"), ".tif": ("TIFF",),
    ".tiff": ("TIFF",),
}
AS_IS = (".gif", ".svg")
_FORMAT_NAMES = {"JPEG": "a JPEG", "MPO": "a JPEG", "PNG": "a PNG", "WEBP": "a WebP",
                 "HEIF": "a HEIC/HEIF", "AVIF": "an AVIF", "TIFF": "a TIFF", "GIF": "a GIF"}


@functools.cache
def _pillow() -> tuple[ModuleType, ModuleType, ModuleType, list[str]]:
    """Pillow (Image, ImageCms, ImageOps), loaded on first use and set up: HEIF through
    pillow-heif, no size limit of Pillow's own (sitegen checks every image against its
    configurable one, [images] max_megapixels, before decoding, with a message that names
    the file), and the decoders that may open a file: only these ever look at one (never,
    say, EPS, which would run Ghostscript); MPO files are opened by the JPEG decoder."""
    import pillow_heif
    from PIL import Image, ImageCms, ImageOps

    pillow_heif.register_heif_opener()
    Image.MAX_IMAGE_PIXELS = None
    Image.init()
    openable = sorted(({name for names in RESIZED.values() for name in names} | {"GIF"})
                      & set(Image.OPEN))
    return Image, ImageCms, ImageOps, openable

_DEFAULT_WIDTH = 960  # the copy in ``src``, for browsers that ignore srcset, and for feeds


def is_image(name: str) -> bool:
    return posixpath.splitext(name)[1].lower() in RESIZED or is_as_is(name)


def is_resized(name: str) -> bool:
    """A photo whose original must never be published."""
    return posixpath.splitext(name)[1].lower() in RESIZED


def is_as_is(name: str) -> bool:
    return posixpath.splitext(name)[1].lower() in AS_IS


@dataclass(frozen=True)
class _Source:
    """What the header of one photo said, enough to plan and encode its copies."""

    path: str  # on disk
    shown: str  # e.g. "content/news/a.jpg", for messages
    key: str
    alpha: bool
    sizes: tuple[tuple[int, int], ...]  # upright (width, height) of each copy
    quality: int
    max_pixels: int
    digest: str  # the content hash the copies were planned from


@dataclass(frozen=True)
class Published:
    """The outcome of :meth:`Images.publish`."""

    files: dict[str, Path]  # output path -> the bytes to copy (in the cache)
    errors: list[SitegenError]
    encoded: int  # photos encoded in this build (the rest came from the cache)


class Images:
    """The image pipeline of one site, kept across the builds of watch mode."""

    def __init__(self, root: Path, cache: BuildCache, settings: ImageSettings) -> None:
        self.root = root
        self.cache = cache
        self.settings = settings
        self._sources: dict[str, _Source] = {}  # key -> source
        self._pictures: dict[tuple[str, str], Picture] = {}  # (key, url folder) -> picture
        self.uses: dict[str, set[tuple[str, str]]] = defaultdict(set)  # key -> (file, written)
        self._this_build: dict[tuple[Path, str], Picture] = {}
        self._stored: set[str] = set()  # keys whose copies this process found or stored

    def start_build(self) -> None:
        """Forget who used what: every build records its uses again, and looks at each
        image file again (once: the same file asked for twice in a build is looked at once)."""
        self.uses = defaultdict(set)
        self._this_build: dict[tuple[Path, str], Picture] = {}

    def picture(self, path: Path, shown: str, url: str, used_by: str = "",
                written: str = "") -> Picture:
        """The published form of the image at ``path`` (``url``: where the original would
        be, site-relative). Raises ValueError with a message for the writer."""
        known = self._this_build.get((path, url))
        if known is None:
            known = self._this_build[(path, url)] = self._picture(path, shown, url)
        if used_by and known.copies:
            self.uses[known.key].add((used_by, written))
        return known

    def _picture(self, path: Path, shown: str, url: str) -> Picture:
        suffix = posixpath.splitext(url)[1].lower()
        if suffix == ".svg":
            return self._svg(path, url)
        size = path.stat().st_size
        if size > self.settings.max_megabytes * 1_000_000:
            raise ValueError(f"{_megabytes(size)} MB, over the limit of "
                             f"{self.settings.max_megabytes} MB ([images] max_megabytes in "
                             "sitegen.toml); export it smaller")
        digest = self.cache.file_hash(path)
        key = self.cache.key("images", digest, self.settings, _SETTINGS_VERSION)
        folder = posixpath.dirname(url)
        known = self._pictures.get((key, folder))
        if known is None:
            known = self._plan(path, shown, key, url, suffix, digest)
            self._pictures[(key, folder)] = known
        return known

    def _plan(self, path: Path, shown: str, key: str, url: str, suffix: str,
              digest: str) -> Picture:
        entry = self.cache.load("images", key)
        if entry is not None:
            alpha = bool(entry.meta["alpha"])
            sizes = tuple((int(w), int(h)) for w, h in entry.meta["sizes"])
        else:
            alpha, sizes, kind = self._inspect(path, suffix)
            if kind == "GIF":
                return Picture(source=shown, width=sizes[0][0], height=sizes[0][1], url=url,
                               mime="image/gif")
        self._sources[key] = _Source(str(path), shown, key, alpha, sizes,
                                     self.settings.quality,
                                     self.settings.max_megapixels * 1_000_000, digest)
        stem = posixpath.splitext(url)[0]
        ext = "png" if alpha else "jpg"
        copies = tuple(Copy(w, h, f"{stem}-{w}w.{ext}", f"{stem}-{w}w.webp") for w, h in sizes)
        default = [c for c in copies if c.width <= _DEFAULT_WIDTH] or list(copies[:1])
        chosen = default[-1]
        return Picture(source=shown, width=chosen.width, height=chosen.height, url=chosen.url,
                       mime="image/png" if alpha else "image/jpeg", copies=copies, key=key)

    def _inspect(self, path: Path, suffix: str) -> tuple[bool, tuple[tuple[int, int], ...], str]:
        """Read the header: is it what its name says, how big, which way up, transparent?"""
        settings = self.settings
        image_module, _, _, openable = _pillow()
        try:
            with _quiet(), image_module.open(path, formats=openable) as image:
                kind = image.format or ""
                allowed = RESIZED.get(suffix, ("GIF",) if suffix == ".gif" else ())
                if kind not in allowed:
                    raise ValueError(f"the file is {_FORMAT_NAMES.get(kind, kind)} image, not "
                                     f"what its name ({suffix}) says; save it again as "
                                     f"{suffix} or rename it")
                width, height = image.size
                if width * height > settings.max_megapixels * 1_000_000:
                    raise ValueError(f"{width}x{height} is {width * height / 1e6:.0f} "
                                     f"megapixels, over the limit of {settings.max_megapixels} "
                                     "([images] max_megapixels in sitegen.toml)")
                if kind == "GIF":
                    return False, ((width, height),), kind
                orientation = image.getexif().get(0x0112, 1)
                if orientation in (5, 6, 7, 8):
                    width, height = height, width
                alpha = _has_alpha(image)
        except ValueError:
            raise
        except (OSError, SyntaxError, EOFError, IndexError, TypeError, KeyError) as exc:
            raise ValueError(_unreadable(exc, suffix)) from None
        return alpha, copy_sizes(width, height, settings), kind

    def _svg(self, path: Path, url: str) -> Picture:
        width, height = svg_size(path.read_bytes())
        return Picture(source=url, width=width, height=height, url=url, mime="image/svg+xml")

    def used_by(self, files: set[str]) -> set[str]:
        """Cache keys of the photos that these files (articles, profiles) use."""
        return {key for key, uses in self.uses.items() if any(u in files for u, _ in uses)}

    def _in_cache(self, key: str) -> bool:
        """Whether the copies of a photo are in the cache: checked whole once a process,
        then by the presence of their entry (a rebuild need not read every manifest)."""
        if key in self._stored:
            if self.cache.has("images", key):
                return True
            self._stored.discard(key)
        if self.cache.load("images", key) is None:
            return False
        self._stored.add(key)
        return True

    def sources(self, keys: Iterable[str]) -> list[str]:
        """The originals of these photos, e.g. "static/img/logo.png"."""
        return sorted(self._sources[key].shown for key in keys if key in self._sources)

    def publish(self, keys: Iterable[str], jobs: int = 0,
                progress: Callable[[int], None] | None = None) -> Published:
        """Make sure every copy of the pictures with these cache keys exists, encoding the
        missing ones on ``jobs`` processes (0: one per core); map output paths to them."""
        wanted = sorted(set(keys) & set(self._sources))
        missing = [self._sources[key] for key in wanted if not self._in_cache(key)]
        errors: list[SitegenError] = []
        failed: set[str] = set()
        if progress:
            progress(len(wanted) - len(missing))  # those are done already
        for source, outcome in zip(missing, map_ordered(_encode, missing, jobs), strict=True):
            if isinstance(outcome, str):
                failed.add(source.key)
                errors.extend(self._blame(source, outcome))
            else:
                self._store(source, outcome)
                self._stored.add(source.key)
            if progress:
                progress(1)
        files: dict[str, Path] = {}
        owners: dict[str, str] = {}
        clashes: set[tuple[str, str]] = set()
        for (key, _folder), picture in sorted(self._pictures.items(),
                                              key=lambda item: (item[1].source, item[0])):
            if key not in wanted or key in failed:
                continue
            for copy in picture.copies:
                ext = posixpath.splitext(copy.url)[1]
                for url, name in ((copy.url, f"{copy.width}w{ext}"),
                                  (copy.webp, f"{copy.width}w.webp")):
                    path = url.lstrip("/")
                    owner = owners.setdefault(path, picture.source)
                    if owner != picture.source and (owner, picture.source) not in clashes:
                        clashes.add((owner, picture.source))
                        errors.append(ContentError(
                            f"its copies would have the names of the copies of {owner} "
                            f"({path}): rename one of them", picture.source))
                    files[path] = self.cache.entry_file("images", key, name)
        return Published(files=files, errors=errors, encoded=len(missing) - len(failed))

    def _store(self, source: _Source, files: dict[str, bytes]) -> None:
        self.cache.store("images", source.key, files,
                         {"alpha": source.alpha, "sizes": source.sizes})

    def _blame(self, source: _Source, problem: str) -> list[SitegenError]:
        """One error per place that uses the photo, at the line that names it."""
        uses = sorted(self.uses.get(source.key, ()))
        if not uses:
            return [ContentError(f"cannot publish this image: {problem}", source.shown)]
        return [ContentError(f'image "{written}" ({source.shown}) cannot be published: '
                             f"{problem}", used_by, _line_naming(self.root / used_by, written))
                for used_by, written in uses]


# What a story's file may name as a photo: a path ending in an extension sitegen resizes
# (found by its extension, then the path before it: a scan from every character would take
# as long as reading the stories).
_PHOTO_EXTENSION = re.compile(rb"\.(?:jpe?g|png|webp|heic|heif|avif|tiff?)(?![\w.])",
                              re.IGNORECASE)
_PATH_BEFORE = re.compile(rb"[^\s\"'()<>\[\]|*`=]+\Z")
# (path on disk, as shown in messages, site URL) of a photo file, or None: Links.photo_file
Locate = Callable[[str, str], "tuple[Path, str, str] | None"]


class EarlyEncoding:
    """Photos encoded while a cold build still reads its stories.

    Reading runs on one core, before anything else can start, and a cold build then spends
    seconds encoding photos; so while the builder reads, one forked process encodes the
    photos the stories seem to name (a path ending in .jpg, .png, ... that is a file of the
    site, found in the file's text: a guess, never an error), into the build cache, where
    ``Images.publish`` then finds them. A guess that is wrong costs an encoding nobody
    uses; a photo it misses is encoded with the others, as before. At most ``MOST`` photos
    are handed over (their paths then never fill the pipe, so reading never waits), and
    ``finish`` lets the process end its photo, not its list: the rest go to every core.
    Only for a cold build (a warm one finds its photos in the cache) of more than one job,
    in a process that may fork (see pool.py)."""

    MOST = 256

    def __init__(self, images: Images, locate: Locate) -> None:
        self.images = images
        self.locate = locate
        self._offered: set[Path] = set()
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None
        self._stop: Any = None

    @classmethod
    def for_build(cls, images: Images, locate: Locate, *, cold: bool,
                  jobs: int) -> EarlyEncoding | None:
        if not cold or jobs == 1 or available_cores() < 2 or not may_fork():
            return None
        return cls(images, locate)

    def offer(self, source: str, text: bytes) -> None:
        """The photos that ``text``, the file of the story ``source`` (content-relative),
        seems to name."""
        if len(self._offered) >= self.MOST:
            return
        named = set()
        for extension in _PHOTO_EXTENSION.finditer(text):
            start = extension.start()
            path = _PATH_BEFORE.search(text, max(0, start - 512), start)
            if path is not None:
                named.add(text[path.start():extension.end()])
        for written in sorted(named):
            found = self.locate(source, written.decode("utf-8", "replace"))
            if found is None or found[0] in self._offered:
                continue
            self._offered.add(found[0])
            if self._process is None:
                self._start()
            assert self._connection is not None
            self._connection.send((str(found[0]), found[1], found[2]))
            if len(self._offered) >= self.MOST:
                return

    def _start(self) -> None:
        context = multiprocessing.get_context("fork")
        ours, theirs = context.Pipe()
        self._stop = context.Event()
        self._process = context.Process(target=_encode_early,
                                        args=(self.images, theirs, self._stop), daemon=True)
        self._process.start()
        theirs.close()
        self._connection = ours

    def finish(self) -> int:
        """Stop once the photo being encoded is stored; how many photos were encoded."""
        process, connection = self._process, self._connection
        if process is None or connection is None:
            return 0
        self._process = self._connection = None
        self._stop.set()
        encoded = 0
        try:
            connection.send(None)
            if connection.poll(_ONE_PHOTO_AT_MOST):
                encoded = connection.recv()
            else:  # stuck on one photo: the photo step will say what is wrong with it
                process.terminate()
        except (EOFError, OSError):
            pass  # it died: what it stored is in the cache, whole (cache.store)
        finally:
            connection.close()
            process.join()
        return encoded


_ONE_PHOTO_AT_MOST = 300  # seconds: a 100-megapixel TIFF takes a few


def _encode_early(images: Images, connection: Connection, stop: Any) -> None:
    """The loop of ``EarlyEncoding``'s process: encode each photo named, until told to stop;
    then say how many it encoded. Any failure is the normal photo step's to report."""
    worker_start()
    encoded = 0
    try:
        while not stop.is_set():
            named = connection.recv()
            if named is None:
                break
            path, shown, url = named
            try:
                picture = images.picture(Path(path), shown, url)
                source = images._sources.get(picture.key) if picture.key else None
                if source is None or images._in_cache(source.key):
                    continue
                outcome = _encode(source)
                if not isinstance(outcome, str):
                    images._store(source, outcome)
                    encoded += 1
            except Exception:  # noqa: BLE001, S112 - the photo step says what is wrong, where
                continue
        connection.send(encoded)
    except (KeyboardInterrupt, EOFError, OSError):
        pass  # interrupted with the build, or the build is gone


def picture_html(picture: Picture, alt: str, url: Callable[[str], str], *, sizes: str = "100vw",
                 eager: bool = False, up_to: int = 0, css_class: str = "") -> str:
    """The markup of one picture: WebP and JPEG/PNG ``srcset``s, ``width`` and ``height``
    (no layout shift), and lazy loading unless ``eager`` (the lead photo of a page, which
    the browser should fetch first). ``up_to`` leaves out copies wider than that (cards).
    ``url`` turns a site URL into an href."""
    def srcset(webp: bool) -> str:
        # A comma would end a srcset candidate early: encode it.
        chosen = [c for c in picture.copies if not up_to or c.width <= up_to]
        return ", ".join(f"{url(c.webp if webp else c.url).replace(',', '%2C')} {c.width}w"
                         for c in chosen or picture.copies[:1])

    attributes = [("src", url(picture.url))]
    if picture.copies:
        attributes += [("srcset", srcset(False)), ("sizes", sizes)]
    attributes += [("width", str(picture.width)), ("height", str(picture.height)), ("alt", alt)]
    if css_class:
        attributes.append(("class", css_class))
    attributes += [("fetchpriority", "high")] if eager else [("loading", "lazy"),
                                                             ("decoding", "async")]
    img = "<img " + " ".join(f'{name}="{escape(value)}"' for name, value in attributes) + ">"
    if not picture.copies:
        return img
    return (f'<picture><source type="image/webp" srcset="{escape(srcset(True))}" '
            f'sizes="{escape(sizes)}">{img}</picture>')


def copy_sizes(width: int, height: int,
               settings: ImageSettings) -> tuple[tuple[int, int], ...]:
    """The (width, height) of every copy: the configured widths and the social width that
    are narrower than the original, and the original width when it is not much wider
    than the widest of those."""
    wanted = sorted({*settings.widths, settings.social_width})
    widths = [w for w in wanted if w < width]
    if not widths or (width <= wanted[-1] and widths[-1] < 0.9 * width):
        widths.append(width)
    return tuple((w, max(1, round(height * w / width))) for w in widths)


def _encode(source: _Source) -> dict[str, bytes] | str:
    """Every copy of one photo as {file name: bytes}, or the reason it cannot be read.
    Runs in a worker process."""
    try:
        data = Path(source.path).read_bytes()
        if content_hash(data) != source.digest:  # never store other bytes under this key
            return "the file changed while sitegen was publishing it: build again"
        pil, _, image_ops, openable = _pillow()
        with _quiet(), pil.open(io.BytesIO(data), formats=openable) as image:
            widest = source.sizes[-1]
            turned = image.getexif().get(0x0112, 1) in (5, 6, 7, 8)
            # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when that is still big enough.
            image.draft("RGB", (widest[1], widest[0]) if turned else widest)
            upright, icc = _in_rgb(image_ops.exif_transpose(image), source.alpha,
                                   image.info.get("icc_profile"))
    except Exception as exc:  # noqa: BLE001 - any failure to decode is the file's fault
        return _unreadable(exc, posixpath.splitext(source.path)[1].lower())
    files: dict[str, bytes] = {}
    quality = source.quality
    extras = {"icc_profile": icc} if icc else {}
    widest_copy = upright
    for width, height in reversed(source.sizes):
        # The narrower copies are made from the widest one: much cheaper, and as sharp.
        copy = widest_copy if widest_copy.size == (width, height) else widest_copy.resize(
            (width, height), pil.Resampling.LANCZOS, reducing_gap=3.0)
        if widest_copy is upright:
            widest_copy = copy
        copy.info = {}  # Pillow would carry comments and other metadata over otherwise
        if source.alpha:
            files[f"{width}w.png"] = _save(copy, "PNG", optimize=True, **extras)
        else:
            files[f"{width}w.jpg"] = _save(copy, "JPEG", quality=quality, optimize=True,
                                           progressive=True, **extras)
        files[f"{width}w.webp"] = _save(copy, "WEBP", quality=quality, method=4, **extras)
    return files


def _in_rgb(image: Image.Image, alpha: bool,
            icc: bytes | None) -> tuple[Image.Image, bytes | None]:
    """The pixels as 8-bit RGB(A), and the colour profile that still describes them: an
    RGB profile is kept; a CMYK photo (from print design) is converted through its profile
    to sRGB; a grey one needs none."""
    mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I"):  # 16-bit greys, e.g. from a scanner
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif mode == "CMYK" and icc:
        image_cms = _pillow()[1]
        try:
            image = image_cms.profileToProfile(image,
                                               image_cms.ImageCmsProfile(io.BytesIO(icc)),
                                               image_cms.createProfile("sRGB"),
                                               outputMode="RGB")
        except (image_cms.PyCMSError, OSError, ValueError):
            image = image.convert("RGB")
    rgb = image.convert("RGBA" if alpha else "RGB")
    return rgb, icc if mode in ("RGB", "RGBA", "RGBX", "P", "PA") else None


def _save(image: Image.Image, kind: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def _has_alpha(image: Image.Image) -> bool:
    """Whether any pixel is see-through (a PNG saved with an unused alpha channel is not)."""
    if image.mode not in ("RGBA", "LA", "PA", "RGBa", "La") and not (
            image.mode == "P" and "transparency" in image.info):
        return False
    lowest, _ = image.convert("RGBA").getchannel("A").getextrema()
    return lowest < 255


class _quiet(warnings.catch_warnings):
    """Pillow's warnings about odd files are not the writer's business."""

    def __enter__(self) -> None:
        super().__enter__()
        warnings.simplefilter("ignore")


def _unreadable(exc: BaseException, suffix: str) -> str:
    text = str(exc)
    if "truncated" in text:
        return "the file is cut short (truncated); copy it from the camera or phone again"
    if isinstance(exc, _pillow()[0].UnidentifiedImageError) or "cannot identify" in text:
        return f"this is not a {suffix} image sitegen can read (the file may be damaged)"
    return f"the image cannot be read ({text or type(exc).__name__})"


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}"


def _line_naming(path: Path, written: str) -> int | None:
    """The first line of the file that mentions ``written``."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for number, line in enumerate(lines, start=1):
        if written and written in line:
            return number
    return None


# -- SVG --------------------------------------------------------------------------------------

_SVG_FORBIDDEN = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
_EXTERNAL = ("http:", "https:", "//", "javascript:", "data:text", "vbscript:", "file:")


class SvgProblem(ValueError):
    """An SVG that is refused, with the line of the offending part."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def check_svg(data: bytes) -> None:
    """Refuse an SVG that could run script or fetch anything when opened on its own:
    script elements, event attributes, links to other sites or ``javascript:``, embedded
    documents, and DTDs (entity tricks). Raises SvgProblem."""
    parser = expat.ParserCreate()

    def refuse(message: str) -> None:
        raise SvgProblem(message, parser.CurrentLineNumber)

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(":", 1)[-1].lower()
        if local in _SVG_FORBIDDEN:
            refuse(f"the SVG holds a <{name}> element, which could run script")
        for attribute, value in attributes.items():
            plain = attribute.rsplit(":", 1)[-1].lower()
            if plain.startswith("on"):
                refuse(f'the SVG has an event attribute "{attribute}", which runs script')
            squeezed = "".join(value.split()).lower()
            if plain in ("href", "src") and squeezed.startswith(_EXTERNAL):
                refuse(f'the SVG links to "{value[:60]}"; an image must not load or run '
                       "anything from elsewhere")
            if "url(" in squeezed and any(f"url({p}" in squeezed.replace("'", "").replace('"', "")
                                          for p in _EXTERNAL):
                refuse(f'the SVG loads "{value[:60]}" from elsewhere')

    def doctype(*_args: object) -> None:
        refuse("the SVG has a DOCTYPE; remove it (entities in SVG are not allowed)")

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.ProcessingInstructionHandler = lambda target, _data: (
        refuse(f"the SVG holds a <?{target}?> instruction") if target.lower() != "xml" else None)
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise SvgProblem(f"the SVG is not well-formed XML ({expat.errors.messages[exc.code]})",
                         exc.lineno) from None


def svg_size(data: bytes) -> tuple[int, int]:
    """The width and height an SVG asks for (from width/height, else its viewBox)."""
    parser = expat.ParserCreate()
    found: dict[str, str] = {}

    def start(name: str, attributes: dict[str, str]) -> None:
        if not found and name.rsplit(":", 1)[-1] == "svg":
            found.update(attributes)
            found["seen"] = "1"

    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        raise ValueError("the SVG is not well-formed XML") from None
    width, height = _length(found.get("width", "")), _length(found.get("height", ""))
    box = found.get("viewBox", "").replace(",", " ").split()
    if (not width or not height) and len(box) == 4:
        try:
            box_width, box_height = float(box[2]), float(box[3])
        except ValueError:
            box_width = box_height = 0
        if box_width > 0 and box_height > 0:
            if width:
                height = round(width * box_height / box_width)
            elif height:
                width = round(height * box_width / box_height)
            else:
                width, height = round(box_width), round(box_height)
    if not width or not height:
        raise ValueError('the SVG gives no size: add width="..." height="..." or a viewBox '
                         "to its <svg> element")
    return width, height


def _length(value: str) -> int:
    number = value.strip().removesuffix("px")
    try:
        return max(0, round(float(number)))
    except ValueError:
        return 0
