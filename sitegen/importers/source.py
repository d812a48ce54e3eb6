"""What every reader hands on: the posts of another system, in one shape, plus the small
helpers the readers share (front matter, dates, old URL paths, names)."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from sitegen.content import normalize_site_path
from sitegen.errors import UsageError
from sitegen.importers.convert import Media
from sitegen.yaml_text import YamlLoader

# The images sitegen publishes; anything else a post names is a plain file (PDF, audio).
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".heif", ".avif",
                  ".tif", ".tiff", ".svg")


class ImportFailed(UsageError):
    """The source cannot be imported at all (missing, unreadable, not what it says)."""


@dataclass
class SourceImage:
    """A lead image as the source names it: a local file when one was found."""

    target: str  # as written in the source (path or URL)
    file: Path | None = None
    alt: str = ""
    caption: str = ""
    credit: str = ""


@dataclass
class SourcePost:
    """One post of the old site, read but not yet converted."""

    origin: str  # where it came from, for the report: "_posts/2023-05-04-x.md", "post 12"
    key: str  # what cross-links name it by: Jekyll "2023-05-04-x", Hugo content path, WP id
    title: str
    date: dt.datetime  # aware
    slug: str  # the wanted slug, not yet made safe
    body: str
    body_format: str = "markdown"  # "markdown" or "html"
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)  # as written, not yet split
    summary: str = ""
    image: SourceImage | None = None
    draft: bool = False
    aliases: list[str] = field(default_factory=list)  # old URL paths, site-relative
    folder: Path | None = None  # where relative paths in the body point
    section_hint: str = ""  # Hugo: the content folder the post was in
    refs: list[str] = field(default_factory=list)  # names cross-links may give it
    notes: list[str] = field(default_factory=list)  # what the reader decided
    fixes: list[tuple[str, str]] = field(default_factory=list)  # (front matter key, message)
    post_id: int = 0  # WordPress


@dataclass
class SourceSite:
    """Everything a reader found. ``local_file`` maps a path or URL a post names to a file of
    the source (never outside it), or None."""

    kind: str
    name: str  # the source's folder or file name, for the report
    posts: list[SourcePost]
    local_file: Callable[[str, SourcePost], Path | None]
    base_path: str = "/"  # the old site's path under its host
    hosts: tuple[str, ...] = ()  # the old site's host names: its absolute links are its own
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (origin, why)
    notes: list[str] = field(default_factory=list)
    media: dict[int, Media] = field(default_factory=dict)  # WordPress attachments by id


# -- front matter ---------------------------------------------------------------------------

_YAML_FENCE = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_TOML_FENCE = re.compile(r"\A\+\+\+[ \t]*\n(.*?\n)?\+\+\+[ \t]*(?:\n|\Z)", re.DOTALL)




def load_yaml(text: str, origin: str) -> Any:
    try:
        return yaml.load(text, Loader=YamlLoader)  # noqa: S506 - a SafeLoader subclass
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise ImportFailed(f"{origin}: not valid YAML: {exc}") from None


def split_front_matter(text: str, origin: str) -> tuple[dict[str, Any], str]:
    """``---`` YAML or ``+++`` TOML front matter -> (mapping, body). No front matter: ({}, text)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if match := _YAML_FENCE.match(text):
        data = load_yaml(match.group(1) or "", origin)
    elif match := _TOML_FENCE.match(text):
        try:
            data = tomllib.loads(match.group(1) or "")
        except tomllib.TOMLDecodeError as exc:
            raise ImportFailed(f"{origin}: front matter is not valid TOML: {exc}") from None
    else:
        return {}, text
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ImportFailed(f"{origin}: front matter is not a mapping of keys to values")
    return {str(key): value for key, value in data.items()}, text[match.end():]


def read_text(path: Path, origin: str) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ImportFailed(f"{origin}: not UTF-8 text") from None


# -- values ---------------------------------------------------------------------------------

_JEKYLL_TIME = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$")


def parse_date(value: Any, zone: dt.tzinfo) -> dt.datetime | None:
    """A YAML/TOML date or datetime, or text such as ``2023-05-04 10:30:00 -0400`` (Jekyll's
    own way) -> an aware datetime; naive values are in ``zone``."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=zone) if value.tzinfo is None else value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=zone)
    if not isinstance(value, str):
        return None
    match = _JEKYLL_TIME.match(value.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    tz: dt.tzinfo = zone
    if offset == "Z":
        tz = dt.UTC
    elif offset:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        tz = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        return dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                           int(second or 0), tzinfo=tz)
    except ValueError:
        return None


def text_list(value: Any, *, split_words: bool = False) -> list[str]:
    """A name or a list of names -> a list of non-empty strings. Jekyll splits a string of
    categories or tags at spaces (``split_words``)."""
    if value is None:
        return []
    if isinstance(value, str):
        items: list[Any] = value.split() if split_words else [value]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        items = [value]
    return [" ".join(str(item).split()) for item in items
            if isinstance(item, str | int | float) and str(item).strip()]


def text_value(value: Any) -> str:
    return " ".join(str(value).split()) if isinstance(value, str | int | float) else ""


def site_path(url: str, base_path: str, hosts: tuple[str, ...] = ()) -> str | None:
    """An old URL (absolute on one of ``hosts``, or a path) -> its path relative to the old
    site's base path, normalised like sitegen's aliases (``/2023/05/04/x/``); None when it is
    on another host, carries a query, or (a full URL) is not under the base path. A bare path
    may leave the base path out: that is what ``{{ site.baseurl }}/x/`` became."""
    parts = urlsplit(url.strip())
    absolute = bool(parts.scheme or parts.netloc)
    if absolute:
        if parts.scheme not in ("http", "https", "") or parts.hostname not in hosts:
            return None
    elif not parts.path.startswith("/"):
        return None
    if parts.query:
        return None
    path = unquote(parts.path)
    base = base_path.rstrip("/")
    if base:
        if path == base or path.startswith(base + "/"):
            path = path[len(base):]
        elif absolute:
            return None
    return normalize_site_path(path) if path.strip("/") else None


def base_of(url: str) -> tuple[str, tuple[str, ...]]:
    """``https://example.org/paper/`` -> ("/paper/", ("example.org", "www.example.org"))."""
    parts = urlsplit(url.strip())
    path = "/" + parts.path.strip("/") + "/" if parts.path.strip("/") else "/"
    return path, hosts_of(url)


def hosts_of(*urls: str) -> tuple[str, ...]:
    """The host names of the old site, with and without ``www.``: links written with
    either are its own."""
    hosts: list[str] = []
    for url in urls:
        host = urlsplit(url.strip()).hostname if url and "://" in url else None
        if host:
            bare = host.removeprefix("www.")
            hosts += [bare, f"www.{bare}"]
    return tuple(dict.fromkeys(hosts))


def inside(root: Path, relative: str) -> Path | None:
    """``root/relative`` when that is an existing file inside ``root`` (links that lead out of
    it, ``..`` included, give None)."""
    parts = PurePosixPath(unquote(relative).split("?")[0].split("#")[0]).parts
    parts = tuple(part for part in parts if part not in ("/", ""))
    if not parts or any(part in (".", "..") or "\\" in part or "\0" in part for part in parts):
        return None
    candidate = root.joinpath(*parts)
    try:
        real = candidate.resolve()
        if not real.is_relative_to(root.resolve()) or not real.is_file():
            return None
    except OSError:
        return None
    return candidate


def mtime_date(path: Path, zone: dt.tzinfo) -> dt.datetime:
    """A file's modification time, to the minute: the last resort for a post with no date."""
    when = dt.datetime.fromtimestamp(int(path.stat().st_mtime), zone)
    return when.replace(second=0)
