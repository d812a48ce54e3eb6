"""Find and read articles and staff profiles: front matter split, coercion, validation."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from sitegen.config import SiteConfig
from sitegen.errors import ContentError, did_you_mean
from sitegen.models import Article, Byline, Correction, Page, Picture, Profile, TagRef, shared
from sitegen.text import slugify, tag_key
from sitegen.yaml_text import load_front_matter

STAFF_DIR = "staff"
PAGES_DIR = "pages"  # plain pages: About, Contact, Privacy...
KNOWN_KEYS = (
    "title", "date", "section", "author", "grade", "tags", "summary", "image", "image_alt",
    "caption", "credit", "draft", "featured", "breaking", "updated", "corrections", "slug",
    "aliases", "issue", "withdrawn", "noindex", "legacy",
)
PROFILE_KEYS = ("name", "role", "grade", "class_year", "photo", "slug", "spellings", "names",
                "author_page")
# The alt text that marks an image as decoration: published with alt="" for screen readers.
DECORATIVE = "decorative"


_HANDLER = YAMLHandler()
_EDITOR_DROPPINGS = re.compile(r"^(\.|#)|~$|\.sw[a-p]$|___jb_(tmp|old)___$|^4913$|\.tmp$"
                               # backups of an article (x.md.orig, x.md.bak): never published
                               r"|\.(md|markdown|mdown|mkdn?)\.[^.]+$", re.IGNORECASE)
# Markdown under another extension: the writer meant an article, which .md alone makes.
_MISNAMED = re.compile(r"\.(md|markdown|mdown|mkdn?)$", re.IGNORECASE)


def is_editor_dropping(name: str) -> bool:
    """Hidden files, backups and the temporary files editors write while saving."""
    return bool(_EDITOR_DROPPINGS.search(name)) or name in ("Thumbs.db", "desktop.ini")


@dataclass
class ContentFiles:
    """Everything under ``content/``, as paths relative to the content folder (posix)."""

    articles: list[str] = field(default_factory=list)
    profiles: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)
    misnamed: list[str] = field(default_factory=list)  # x.MD, x.markdown: never published
    unreadable: list[str] = field(default_factory=list)  # symbolic links in a loop
    linked: set[str] = field(default_factory=set)  # files that are symbolic links

    @functools.cached_property
    def folders(self) -> set[str]:
        """The folders holding articles or assets (a listing serves many builds)."""
        return {posixpath.dirname(p) for p in [*self.assets, *self.articles]} - {""}


def scan(content_dir: Path) -> ContentFiles:
    """List content files in sorted order; skips editor droppings and links leading outside."""
    files = ContentFiles()
    if not content_dir.is_dir():
        return files
    _scan_folder(str(content_dir), "", content_dir.resolve(), files)
    return files


def _scan_folder(folder: str, prefix: str, real_root: Path, files: ContentFiles) -> None:
    with os.scandir(folder) as scanned:
        entries = sorted(scanned, key=lambda entry: entry.name)
    for entry in entries:
        name = entry.name
        if is_editor_dropping(name):
            continue
        if entry.is_dir(follow_symlinks=False):  # linked folders are not followed: no loops
            _scan_folder(entry.path, f"{prefix}{name}/", real_root, files)
            continue
        rel = prefix + name
        if entry.is_symlink():
            try:
                if not Path(entry.path).resolve(strict=True).is_relative_to(real_root):
                    continue
            except (OSError, RuntimeError):  # a loop, or a link to nothing
                files.unreadable.append(rel)
                continue
            files.linked.add(rel)
        if not entry.is_file():
            continue
        if name.endswith(".md"):
            (files.profiles if rel.startswith(f"{STAFF_DIR}/") else
             files.pages if rel.startswith(f"{PAGES_DIR}/") else files.articles).append(rel)
        elif _MISNAMED.search(name):
            files.misnamed.append(rel)
        else:
            files.assets.append(rel)


@dataclass
class FrontMatter:
    """The YAML mapping of one file, with what is needed to point at its lines."""

    data: dict[str, Any]
    text: str  # the YAML text
    body: str
    body_line: int  # file line where the body starts
    path: str

    def line(self, key: str) -> int:
        match = re.search(rf"^{re.escape(key)}\s*:", self.text, re.MULTILINE)
        return self.text.count("\n", 0, match.start()) + 1 if match else 1

    def error(self, key: str, message: str) -> ContentError:
        return ContentError(message, self.path, self.line(key) if key else 1)


def split_front_matter(raw: bytes, path: str) -> FrontMatter:
    """Decode and split one file; raise ContentError naming the line when that fails."""
    text, yaml_text, body = _split(raw, path)
    try:
        data = load_front_matter(yaml_text, path)
    except yaml.MarkedYAMLError as exc:
        mark = exc.context_mark or exc.problem_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or "invalid YAML"
        if exc.context and exc.problem_mark:
            problem = f"{exc.context}, {problem} (line {exc.problem_mark.line + 1})"
        raise ContentError(f"front matter is not valid YAML: {problem}", path, line) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise ContentError(f"front matter is not valid YAML: {exc}", path, 1) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ContentError("front matter must be key: value lines", path, 2)
    # The body is what follows the closing ---; its first line is that line's remainder
    # when the split kept the newline, else the next line. Counting the text before it
    # gives the file line either way.
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    return FrontMatter(data={str(k): v for k, v in data.items()}, text=yaml_text, body=body,
                       body_line=body_line, path=path)


def body_of(raw: bytes, path: str) -> str:
    """The body of a file whose front matter was read before (``split_front_matter``),
    without reading that again."""
    return _split(raw, path)[2]


def _split(raw: bytes, path: str) -> tuple[str, str, str]:
    """(text, front matter, body) of a file; raises ContentError naming the line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError("not valid UTF-8 text; save the file as UTF-8", path, line) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not re.match(r"-{3,}[ \t]*\n", text):
        raise ContentError(
            "no front matter: start the file with a line of ---, then title, date, section "
            "and author, then another ---", path, 1)
    try:
        yaml_text, body = _HANDLER.split(text)
    except ValueError:
        raise ContentError("front matter is not closed: add a line of --- after it",
                           path, 1) from None
    return text, yaml_text, body


# Resolves an image path written in front matter; returns its Picture or raises ValueError.
ImageResolver = Callable[[str], Picture]


Problems = list[ContentError]


def read_article(raw: bytes, path: str, config: SiteConfig, resolve_image: ImageResolver,
                 fallback_slug: str) -> tuple[Article | None, Problems, Problems]:
    """Parse one article. Returns (article or None, errors, warnings)."""
    try:
        fm = split_front_matter(raw, path)
    except ContentError as exc:
        return None, [exc], []
    errors: list[ContentError] = []
    warnings: list[ContentError] = []
    data = fm.data
    zone = config.zone

    def required_string(key: str) -> str:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors.append(_missing(fm, key, f'"{key}" is required'))
            return ""
        return _string(fm, key, value, errors)

    title = required_string("title")
    date = _datetime(fm, "date", data.get("date"), zone, errors, required=True)
    if "section" not in data and "/" not in path.removeprefix("content/"):
        errors.append(fm.error("title", 'a plain page (About, Contact...) goes in '
                                        f"content/{PAGES_DIR}/; an article needs a section"))
    section = required_string("section")
    if section and config.section(section) is None:
        keys = [s.key for s in config.sections]
        errors.append(fm.error("section", f'unknown section "{section}"'
                               f'{did_you_mean(section, keys)}; sections are: {", ".join(keys)}'))
    bylines = _bylines(fm, config, errors)
    for byline in bylines:
        if not byline.slug:  # "!!!", "--": no author page could be made for it
            errors.append(fm.error("author", f"the author {byline.name!r} has no letters or "
                                             "digits; write the person's name"))

    tags = _tags(fm, errors)
    optional = {key: _string(fm, key, data[key], errors) if data.get(key) is not None else ""
                for key in ("summary", "image", "image_alt", "caption", "credit", "issue")}
    image: Picture | None = None
    image_alt = optional["image_alt"]
    legacy = _bool(fm, "legacy", data.get("legacy", False), errors)
    if optional["image"]:
        if data.get("image_alt") is None:
            (warnings if legacy else errors).append(fm.error(
                "image", '"image_alt" is required with "image": describe the picture for '
                         "readers who cannot see it, or write image_alt: decorative if it only "
                         "decorates"))
        image_alt = "" if image_alt.lower() == DECORATIVE else image_alt
        try:
            image = resolve_image(optional["image"])
        except ValueError as exc:
            errors.append(fm.error("image", str(exc)))
    flags = {key: _bool(fm, key, data.get(key, False), errors)
             for key in ("draft", "featured", "breaking", "noindex")}
    withdrawn = _string(fm, "withdrawn", data["withdrawn"], errors) if data.get(
        "withdrawn") is not None else ""
    if "withdrawn" in data and not withdrawn:
        errors.append(fm.error("withdrawn", '"withdrawn" holds the editor\'s note readers see '
                                            'instead of the story, e.g. withdrawn: "This story '
                                            'was withdrawn because ..."'))
    updated = _datetime(fm, "updated", data.get("updated"), zone, errors, required=False)
    corrections = _corrections(fm, zone, errors)
    slug = _slug(fm, errors) or fallback_slug or slugify(title)
    if not slug:
        errors.append(fm.error("title", 'cannot make a URL slug from this; add "slug: my-story"'))
    aliases = _aliases(fm, errors)

    extra = {key: value for key, value in sorted(data.items()) if key not in KNOWN_KEYS}
    for key in extra:
        hint = did_you_mean(key, KNOWN_KEYS)
        if hint:
            warnings.append(fm.error(key, f'unknown key "{key}"{hint}; it is kept for templates'))
    if errors:
        return None, errors, warnings
    assert date is not None
    article = Article(
        source=path, title=title, date=date, section=section, bylines=bylines, tags=tags,
        summary=optional["summary"], dek=optional["summary"], image=image, image_alt=image_alt,
        legacy=legacy,
        caption=optional["caption"], credit=optional["credit"], updated=updated,
        corrections=corrections, slug=slug, aliases=aliases, issue=optional["issue"],
        withdrawn=withdrawn, extra=extra, body=fm.body, body_line=fm.body_line, written=bylines,
        **flags,
    )
    return article, errors, warnings


def read_profile(raw: bytes, path: str, config: SiteConfig,
                 resolve_image: ImageResolver) -> tuple[Profile | None, str, int, Problems]:
    """Parse a staff profile. Returns (profile without bio html, bio markdown, bio line, errors)."""
    try:
        fm = split_front_matter(raw, path)
    except ContentError as exc:
        return None, "", 1, [exc]
    errors: list[ContentError] = []
    data = fm.data
    for key in sorted(data):
        if key not in PROFILE_KEYS:
            errors.append(fm.error(key, f'unknown key "{key}" in a staff profile'
                                        f'{did_you_mean(key, PROFILE_KEYS)}'))
    name = _string(fm, "name", data["name"], errors) if data.get("name") else ""
    if not name:
        errors.append(fm.error("name", '"name" is required in a staff profile'))
    role = _string(fm, "role", data["role"], errors) if data.get("role") else ""
    grade = _grade(fm, "grade", data.get("grade"), config, errors)
    class_year = data.get("class_year")
    if class_year is not None and (type(class_year) is not int or not 1900 < class_year < 2200):
        errors.append(fm.error("class_year", '"class_year" must be a year such as 2027'))
        class_year = None
    photo: Picture | None = None
    if data.get("photo"):
        try:
            photo = resolve_image(_string(fm, "photo", data["photo"], errors))
        except ValueError as exc:
            errors.append(fm.error("photo", str(exc)))
    slug = _slug(fm, errors) or slugify(name)
    spellings = data.get("spellings", [])
    if isinstance(spellings, str):
        spellings = [spellings]
    if not isinstance(spellings, list) or not all(isinstance(s, str) and s.strip()
                                                  for s in spellings):
        errors.append(fm.error("spellings", '"spellings" lists other ways bylines write the '
                                            'name, e.g. spellings: ["Natalie R. Merino"]'))
        spellings = []
    names = data.get("names", "")
    if names not in ("", "full", "initial"):
        errors.append(fm.error("names", f'"names" must be "full" or "initial", not {names!r}'))
    author_page = _bool(fm, "author_page", data.get("author_page", True), errors)
    if errors:
        return None, "", 1, errors
    profile = Profile(source=path, name=name, slug=slug, role=role, grade=grade,
                      class_year=class_year, photo=photo,
                      spellings=tuple(" ".join(s.split()) for s in spellings), names=names,
                      author_page=author_page)
    return profile, fm.body, fm.body_line, errors


PAGE_KEYS = ("title", "summary", "slug", "menu", "order", "noindex")
MENUS = ("footer", "nav", "none")


def read_page(raw: bytes, path: str, fallback_slug: str) -> tuple[Page | None, Problems]:
    """Parse a plain page from ``content/pages/``. Returns (page without html, errors)."""
    try:
        fm = split_front_matter(raw, path)
    except ContentError as exc:
        return None, [exc]
    errors: list[ContentError] = []
    data = fm.data
    for key in sorted(data):
        if key not in PAGE_KEYS:
            errors.append(fm.error(key, f'unknown key "{key}" in a page'
                                        f"{did_you_mean(key, PAGE_KEYS)} (pages take "
                                        f'{", ".join(PAGE_KEYS)})'))
    title = _string(fm, "title", data["title"], errors) if data.get("title") else ""
    if not title:
        errors.append(fm.error("title", '"title" is required, e.g. title: About us'))
    summary = _string(fm, "summary", data["summary"], errors) if data.get("summary") else ""
    menu = data.get("menu", "footer")
    if menu not in MENUS:
        errors.append(fm.error("menu", f'"menu" must be footer, nav or none, not {menu!r}'))
    order = data.get("order", 0)
    if type(order) is not int:
        errors.append(fm.error("order", f'"order" must be a whole number, not {order!r}'))
    noindex = _bool(fm, "noindex", data.get("noindex", False), errors)
    slug = _slug(fm, errors) or fallback_slug
    if errors:
        return None, errors
    return Page(source=path, title=title, slug=slug, url=f"/{slug}/", summary=summary,
                menu=menu, order=order, noindex=noindex, body=fm.body,
                body_line=fm.body_line), []


def _missing(fm: FrontMatter, key: str, message: str) -> ContentError:
    """A required key is missing: point at a key written in another case or number
    ("Title:", "authors:") or spelled close to it, when there is one."""
    for written in fm.data:
        folded = written.strip().lower()
        if written != key and folded in (key, key + "s", key.removesuffix("s")):
            return fm.error(written, f'{message}: "{written}" is not read; keys are lowercase '
                                     f'and singular: write "{key}:"')
    close = difflib.get_close_matches(key, [k for k in fm.data if k not in KNOWN_KEYS], n=1,
                                      cutoff=0.6)
    if close:
        return fm.error(close[0], f'{message}: is "{close[0]}" meant to be "{key}"?')
    return fm.error(key, message)


def _string(fm: FrontMatter, key: str, value: Any, errors: list[ContentError]) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    errors.append(fm.error(key, f'"{key}" must be text, not {_kind(value)}'))
    return ""


def _bool(fm: FrontMatter, key: str, value: Any, errors: list[ContentError]) -> bool:
    if isinstance(value, bool):
        return value
    errors.append(fm.error(key, f'"{key}" must be true or false, not {value!r}'))
    return False


def _datetime(fm: FrontMatter, key: str, value: Any, zone: dt.tzinfo,
              errors: list[ContentError], *, required: bool) -> dt.datetime | None:
    if value is None:
        if required:
            errors.append(_missing(fm, key, f'"{key}" is required, e.g. {key}: 2025-03-14'))
        return None
    year = getattr(value, "year", None)  # as written, before moving it to the site's zone
    when = parse_when(value, zone) if year is None or MIN_YEAR <= year <= MAX_YEAR else None
    if when is None and year is not None:
        errors.append(fm.error(key, f'"{key}": the year {year} is out of range; write a '
                                    f"year from {MIN_YEAR} to {MAX_YEAR}"))
    elif when is None:
        shown = repr(value) if isinstance(value, str) else str(value)
        errors.append(fm.error(key, f'"{key}": {shown} is not a date; write it as 2025-03-14 '
                                    "or 2025-03-14 08:30"))
    elif not MIN_YEAR <= when.year <= MAX_YEAR:
        errors.append(fm.error(key, f'"{key}": the year {when.year} is out of range; write a '
                                    f"year from {MIN_YEAR} to {MAX_YEAR}"))
        return None
    return when


# Far from datetime's own limits (years 1 and 9999), so that moving a date to another
# time zone or a day later never overflows in feeds, archives or sitemaps.
MIN_YEAR, MAX_YEAR = 1000, 9000


def parse_when(value: Any, zone: dt.tzinfo) -> dt.datetime | None:
    """A YAML date, datetime or ISO string -> an aware datetime in ``zone``."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    try:
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day, tzinfo=zone)
    except OverflowError:  # 9999-12-31 23:00-12:00 is past the last year Python holds
        return None
    return None


def _grade(fm: FrontMatter, key: str, value: Any, config: SiteConfig,
           errors: list[ContentError]) -> int | None:
    if value is None:
        return None
    low, high = config.grades
    if type(value) is not int or not low <= value <= high:
        errors.append(fm.error(key, f'"grade" must be a whole number from {low} to {high}, '
                                    f"not {value!r}"))
        return None
    return value


def _bylines(fm: FrontMatter, config: SiteConfig, errors: list[ContentError]) -> tuple[Byline, ...]:
    value = fm.data.get("author")
    grade = fm.data.get("grade")
    if value is None or value == "" or value == []:
        errors.append(_missing(fm, "author", '"author" is required, e.g. author: "Min Kim"'))
        return ()
    if isinstance(value, str):
        return shared((_byline(value, _grade(fm, "grade", grade, config, errors), ""),))
    if not isinstance(value, list):
        errors.append(fm.error("author", '"author" must be a name or a list of authors'))
        return ()
    if grade is not None:
        errors.append(fm.error("grade", "with several authors, give each one's grade: "
                                        "author: [{name: Min Kim, grade: 11}, ...]"))
    bylines: list[Byline] = []
    for entry in value:
        if isinstance(entry, str) and entry.strip():
            bylines.append(_byline(entry, None, ""))
        elif isinstance(entry, dict):
            unknown = sorted(set(map(str, entry)) - {"name", "grade", "role"})
            if unknown:
                errors.append(fm.error("author", f'unknown key "{unknown[0]}" in an author '
                                                 '(use name, grade, role)'))
            name = entry.get("name")
            if not isinstance(name, str) or not name.strip():
                errors.append(fm.error("author", 'each author needs a "name"'))
                continue
            role = entry.get("role") or ""
            bylines.append(_byline(name, _grade(fm, "author", entry.get("grade"), config, errors),
                                   role if isinstance(role, str) else str(role)))
        else:
            errors.append(fm.error("author", f"an author must be a name or {{name, grade, role}}, "
                                             f"not {_kind(entry)}"))
    return shared(tuple(bylines))


def _byline(name: str, grade: int | None, role: str) -> Byline:
    name = " ".join(name.split())
    return shared(Byline(name=name, slug=slugify(name), grade=grade, role=role.strip()))


def _tags(fm: FrontMatter, errors: list[ContentError]) -> tuple[TagRef, ...]:
    value = fm.data.get("tags")
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        errors.append(fm.error("tags", '"tags" must be a list, e.g. tags: [Budget, Sports]'))
        return ()
    refs: dict[str, TagRef] = {}
    for item in value:
        name = " ".join(str(item).split()) if isinstance(item, str | int | float) else ""
        key = tag_key(name)
        if not key:
            errors.append(fm.error("tags", f"{item!r} is not a usable tag"))
            continue
        refs.setdefault(key, shared(TagRef(key=key, name=name)))
    return tuple(refs.values())


def _corrections(fm: FrontMatter, zone: dt.tzinfo,
                 errors: list[ContentError]) -> tuple[Correction, ...]:
    value = fm.data.get("corrections")
    if value is None:
        return ()
    example = "corrections: [{date: 2025-03-15, text: What was wrong and what is right}]"
    if not isinstance(value, list):
        errors.append(fm.error("corrections", f'"corrections" must be a list: {example}'))
        return ()
    corrections = []
    for entry in value:
        when = parse_when(entry.get("date"), zone) if isinstance(entry, dict) else None
        text = entry.get("text") if isinstance(entry, dict) else None
        if when is None or not isinstance(text, str) or not text.strip():
            errors.append(fm.error("corrections", f"each correction needs a date and a text: "
                                                  f"{example}"))
            continue
        corrections.append(Correction(date=when.date(), text=text.strip()))
    return tuple(sorted(corrections, key=lambda c: c.date))


def _slug(fm: FrontMatter, errors: list[ContentError]) -> str:
    value = fm.data.get("slug")
    if value is None:
        return ""
    text = str(value).strip()
    if not text or slugify(text) != text:
        errors.append(fm.error("slug", f'"slug" may hold only lowercase letters, digits and '
                                       f'hyphens; try "{slugify(text)}"'))
        return ""
    return text


def _aliases(fm: FrontMatter, errors: list[ContentError]) -> tuple[str, ...]:
    value = fm.data.get("aliases")
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    aliases: list[str] = []
    for item in value if isinstance(value, list) else [None]:
        alias = normalize_site_path(item) if isinstance(item, str) else None
        if alias is None:
            errors.append(fm.error("aliases", f"{item!r} is not an old URL path; write e.g. "
                                              '"/2019/old-story/"'))
            continue
        aliases.append(alias)
    return tuple(aliases)


def normalize_site_path(path: str) -> str | None:
    """``news/x`` -> ``/news/x/``; None for anything that could escape the site."""
    path = path.strip()
    if not path or any(c in path for c in "?#\\\0") or "//" in path.lstrip("/"):
        return None
    segments = [s for s in path.strip("/").split("/") if s]
    if any(s in (".", "..") for s in segments):
        return None
    if not segments:
        return None
    joined = "/" + "/".join(segments)
    return joined if joined.endswith(".html") else joined + "/"


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(type(value), repr(value))
