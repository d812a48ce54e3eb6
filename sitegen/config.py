"""``sitegen.toml`` -> a frozen :class:`SiteConfig`; unknown keys and wrong types are errors."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen.errors import BuildFailed, ConfigError, ErrorList, did_you_mean

CONFIG_NAME = "sitegen.toml"
PERMALINK_FIELDS = ("section", "slug", "year", "month", "day")
NAME_POLICIES = ("full", "initial")


@dataclass(frozen=True)
class Section:
    key: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class ImageSettings:
    """``[images]``: the widths of the published copies and the limits on sources."""

    widths: tuple[int, ...] = (480, 960, 1600)
    social_width: int = 1200  # the copy Open Graph, Twitter and JSON-LD point at
    quality: int = 80
    max_megapixels: int = 100
    max_megabytes: int = 40


@dataclass(frozen=True)
class CheckSettings:
    """``[check]``: the limits of the editorial checks ``sitegen check`` warns about."""

    min_words: int = 150  # a shorter story is probably unfinished; 0 turns the check off
    summary_chars: int = 200  # about what a card shows; 0 turns the check off


DEFAULT_SECTIONS = (
    Section("news", "News"),
    Section("opinion", "Opinion"),
    Section("features", "Features"),
    Section("sports", "Sports"),
    Section("arts", "Arts & Entertainment"),
    Section("science", "Science & Tech"),
    Section("world", "World"),
    Section("campus", "Campus Life"),
)


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    title: str = "The School Paper"
    tagline: str = ""
    description: str = ""
    base_url: str = "/"
    language: str = "en"
    timezone: str = "UTC"
    theme: str = "default"
    per_page: int = 10
    permalink: str = "/{section}/{slug}/"
    grades: tuple[int, int] = (9, 12)
    sections: tuple[Section, ...] = DEFAULT_SECTIONS
    cname: str = ""
    copyright: str = ""
    images: ImageSettings = ImageSettings()
    check: CheckSettings = CheckSettings()
    # The newsroom
    school_year_start: str = ""  # "MM-DD"; "" = 03-01 in Korea, 04-01 in Japan, else 08-01
    names: str = "full"  # how student names appear: "full", or "initial" (Mina P.)
    masthead: tuple[str, ...] = ("Editor-in-Chief", "Managing Editor")  # roles listed first
    noindex: bool = False  # keep the whole site out of search engines
    logo: str = ""  # the paper's logo (a file in static/), for Google's publisher data
    search: bool = True  # the /search/ page, the header's search box and the Pagefind index
    strings: tuple[tuple[str, str], ...] = ()  # [strings]: the theme's words, changed

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def year_starts(self) -> tuple[int, int]:
        """(month, day) on which a school year begins."""
        if self.school_year_start:
            month, day = self.school_year_start.split("-")
            return int(month), int(day)
        return {"Asia/Seoul": (3, 1), "Asia/Tokyo": (4, 1)}.get(self.timezone, (8, 1))

    @property
    def base_path(self) -> str:
        """The URL path every page lives under: ``/`` or e.g. ``/gazette/``."""
        return urlsplit(self.base_url).path or "/"

    @property
    def absolute_base(self) -> str:
        """``https://host/sub/`` when the base URL names a host, else empty."""
        parts = urlsplit(self.base_url)
        return self.base_url if parts.scheme and parts.netloc else ""

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    def section(self, key: str) -> Section | None:
        return next((section for section in self.sections if section.key == key), None)

    def with_base_url(self, base_url: str) -> SiteConfig:
        problem = check_base_url(base_url)
        if problem:
            raise ConfigError(f"--base-url {base_url!r}: {problem}")
        return dataclasses.replace(self, base_url=normalize_base_url(base_url))


_FIELDS = {f.name: f for f in dataclasses.fields(SiteConfig) if f.name != "root"}
_SECTION_KEYS = ("key", "name", "description")
_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def load_config(root: Path) -> SiteConfig:
    """Read ``root/sitegen.toml`` (defaults when it is absent); raise BuildFailed on errors."""
    path = root / CONFIG_NAME
    if not path.is_file():
        return SiteConfig(root=root)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BuildFailed([ConfigError("not valid UTF-8 text; save the file as UTF-8",
                                       CONFIG_NAME, line)]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(str(exc))
        raise BuildFailed([ConfigError(f"invalid TOML: {exc}", CONFIG_NAME, line)]) from None
    return parse_config(data, root, text)


def parse_config(data: dict[str, Any], root: Path, text: str = "") -> SiteConfig:
    errors = ErrorList()

    def fail(key: str, message: str) -> None:
        errors.add(ConfigError(message, CONFIG_NAME, _key_line(text, key)))

    values: dict[str, Any] = {}
    for key, value in sorted(data.items()):
        if key not in _FIELDS:
            fail(key, f'unknown key "{key}"{did_you_mean(key, _FIELDS)}')
        elif key == "sections":
            sections = _parse_sections(value, fail)
            if sections is not None:
                values[key] = sections
        elif key == "images":
            images = _parse_images(value, fail)
            if images is not None:
                values[key] = images
        elif key == "check":
            check = _parse_check(value, fail)
            if check is not None:
                values[key] = check
        elif key == "strings":
            if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                values[key] = tuple(sorted(value.items()))
            else:
                fail(key, '[strings] holds the theme\'s words as text, e.g. latest = "Newest"')
        elif key == "masthead":
            if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
                values[key] = tuple(v.strip() for v in value)
            else:
                fail(key, '"masthead" must list roles, e.g. masthead = ["Editor-in-Chief", '
                          '"Managing Editor"]')
        elif key == "grades":
            if (
                isinstance(value, list)
                and len(value) == 2
                and all(type(v) is int for v in value)
                and value[0] <= value[1]
            ):
                values[key] = (value[0], value[1])
            else:
                fail(key, '"grades" must be [lowest, highest], e.g. grades = [9, 12]')
        else:
            expected = type(_FIELDS[key].default)
            if type(value) is not expected:
                wanted, got = _type_name(expected), _type_name(type(value))
                fail(key, f'"{key}" must be a {wanted}, not {got}')
            else:
                values[key] = value

    if "timezone" in values:
        try:
            ZoneInfo(values["timezone"])
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "America", a folder
            fail("timezone", f'unknown timezone "{values["timezone"]}" (use e.g. "Asia/Seoul")')
    if "base_url" in values:
        problem = check_base_url(values["base_url"])
        if problem:
            fail("base_url", f'"base_url": {problem}')
        else:
            values["base_url"] = normalize_base_url(values["base_url"])
    if "language" in values:
        from sitegen.i18n import check_language  # Babel is only needed here

        problem = check_language(values["language"])
        if problem:
            fail("language", problem)
    if "school_year_start" in values and not _month_day(values["school_year_start"]):
        fail("school_year_start", '"school_year_start" must be a month and day, e.g. "08-15"')
    if "names" in values and values["names"] not in NAME_POLICIES:
        fail("names", f'"names" must be "full" or "initial", not "{values["names"]}"')
    if "per_page" in values and values["per_page"] < 1:
        fail("per_page", '"per_page" must be at least 1')
    if "permalink" in values:
        problem = check_permalink(values["permalink"])
        if problem:
            fail("permalink", f'"permalink": {problem}')
    errors.raise_if_any()
    return SiteConfig(root=root, **values)


def _parse_sections(value: Any, fail: Any) -> tuple[Section, ...] | None:
    if not isinstance(value, list) or not value:
        fail("sections", 'sections must be a list of [[sections]] tables with "key" and "name"')
        return None
    sections: list[Section] = []
    ok = True
    for entry in value:
        if not isinstance(entry, dict):
            fail("sections", "each [[sections]] entry must be a table")
            ok = False
            continue
        for key in sorted(entry):
            if key not in _SECTION_KEYS:
                fail(key, f'unknown key "{key}" in [[sections]]{did_you_mean(key, _SECTION_KEYS)}')
                ok = False
        key, name = entry.get("key"), entry.get("name")
        if not isinstance(key, str) or not _KEY_RE.match(key):
            fail("key", f'section key {key!r} must be lowercase letters, digits and hyphens')
            ok = False
            continue
        if not isinstance(name, str) or not name.strip():
            fail("key", f'section "{key}" needs a "name"')
            ok = False
            continue
        if any(s.key == key for s in sections):
            fail("key", f'section "{key}" is listed twice')
            ok = False
            continue
        description = entry.get("description", "")
        if not isinstance(description, str):
            description = ""
        sections.append(Section(key, name.strip(), description))
    return tuple(sections) if ok else None


_IMAGE_LIMITS = {"social_width": (100, 4000), "quality": (30, 100),
                 "max_megapixels": (1, 1000), "max_megabytes": (1, 1000)}


def _parse_images(value: Any, fail: Any) -> ImageSettings | None:
    if not isinstance(value, dict):
        fail("images", "[images] must be a table")
        return None
    names = ("widths", *_IMAGE_LIMITS)
    values: dict[str, Any] = {}
    for key, item in sorted(value.items()):
        if key not in names:
            fail(key, f'unknown key "{key}" in [images]{did_you_mean(key, names)}')
        elif key == "widths":
            if (isinstance(item, list) and item
                    and all(type(w) is int and 100 <= w <= 4000 for w in item)):
                values[key] = tuple(sorted(set(item)))
            else:
                fail(key, '"widths" must list pixel widths from 100 to 4000, '
                          "e.g. widths = [480, 960, 1600]")
        else:
            low, high = _IMAGE_LIMITS[key]
            if type(item) is not int or not low <= item <= high:
                fail(key, f'"{key}" must be a whole number from {low} to {high}')
            else:
                values[key] = item
    return ImageSettings(**values) if len(values) == len(value) else None


_CHECK_LIMITS = {"min_words": (0, 10000), "summary_chars": (0, 10000)}


def _parse_check(value: Any, fail: Any) -> CheckSettings | None:
    if not isinstance(value, dict):
        fail("check", "[check] must be a table")
        return None
    values: dict[str, Any] = {}
    for key, item in sorted(value.items()):
        if key not in _CHECK_LIMITS:
            fail(key, f'unknown key "{key}" in [check]{did_you_mean(key, _CHECK_LIMITS)}')
            continue
        low, high = _CHECK_LIMITS[key]
        if type(item) is not int or not low <= item <= high:
            fail(key, f'"{key}" must be a whole number from {low} to {high} (0 turns the '
                      "check off)")
        else:
            values[key] = item
    return CheckSettings(**values) if len(values) == len(value) else None


def _month_day(text: str) -> bool:
    match = re.fullmatch(r"(\d\d)-(\d\d)", text)
    if not match:
        return False
    month, day = int(match[1]), int(match[2])
    return 1 <= month <= 12 and 1 <= day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11)
                                              else 31)


def check_base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return "must start with https://, http:// or /"
    if not parts.scheme and not url.startswith("/"):
        return "must start with https://, http:// or /"
    if parts.scheme and not parts.netloc:
        return "has no host"
    if parts.query or parts.fragment:
        return "must not carry a query or fragment"
    if re.search(r"[<>{}\[\]\s\"'`|\\^]", url):
        return ("holds a placeholder or a character no address has (<you>, {name}, a space); "
                "write the real address, e.g. https://ridge-high.github.io/paper/")
    return ""


def normalize_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def check_permalink(pattern: str) -> str:
    if not pattern.startswith("/"):
        return "must start with /"
    if not (pattern.endswith("/") or pattern.endswith(".html")):
        return "must end with / (pretty URLs) or .html"
    names = re.findall(r"{([^}]*)}", pattern)
    unknown = [n for n in names if n not in PERMALINK_FIELDS]
    if unknown:
        fields = ", ".join(f"{{{name}}}" for name in PERMALINK_FIELDS)
        return f'unknown field "{{{unknown[0]}}}" (use {fields})'
    if "slug" not in names:
        return "must contain {slug}"
    if ".." in pattern or "//" in pattern:
        return "must not contain .. or //"
    return ""


def _key_line(text: str, key: str) -> int | None:
    match = re.search(rf"^[ \t]*\"?{re.escape(key)}\"?[ \t]*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def _type_name(kind: type) -> str:
    return {str: "string", int: "whole number", bool: "true/false", float: "number",
            list: "list", dict: "table"}.get(kind, kind.__name__)
