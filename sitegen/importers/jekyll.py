"""Jekyll: ``_posts/YYYY-MM-DD-slug.md`` (``.markdown``, ``.html``), ``_drafts/``, and
``_config.yml`` for baseurl, url, permalink, timezone, the site's author and front matter
defaults. Old URLs are worked out the way Jekyll builds them."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen.content import normalize_site_path
from sitegen.importers.markup import split_credit
from sitegen.importers.source import (
    ImportFailed,
    SourceImage,
    SourcePost,
    SourceSite,
    hosts_of,
    inside,
    load_yaml,
    mtime_date,
    parse_date,
    read_text,
    split_front_matter,
    text_list,
    text_value,
)
from sitegen.text import slugify

PERMALINK_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_POST = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})-(.+)\.(md|markdown|mkd|mkdn|mdown|html|htm)$",
                   re.IGNORECASE)
_DRAFT = re.compile(r"^(.+)\.(md|markdown|mkd|mkdn|mdown|html|htm)$", re.IGNORECASE)
_SKIP = {"_site", "node_modules", "vendor", ".git", ".bundle", ".jekyll-cache", ".sass-cache"}


def read_site(root: Path, zone: ZoneInfo) -> SourceSite:
    if not root.is_dir():
        raise ImportFailed(f"{root}: not a folder; give the Jekyll site's folder (it holds "
                           "_config.yml and _posts/)")
    config = _config(root)
    notes: list[str] = []
    zone = _zone(config, zone, notes)
    baseurl = text_value(config.get("baseurl")).strip("/")
    base_path = f"/{baseurl}/" if baseurl else "/"
    hosts = hosts_of(text_value(config.get("url")))
    if base_path != "/":
        notes.append(f"the old site lived under {base_path} (baseurl): old URLs are kept "
                     "relative to it")
    style = text_value(config.get("permalink")) or "date"
    pattern = PERMALINK_STYLES.get(style, style)
    notes.append(f"old URLs follow the permalink {pattern}")
    people = _authors_data(root)
    site_author = _name(config.get("author"), people)
    defaults = config.get("defaults") if isinstance(config.get("defaults"), list) else []

    posts: list[SourcePost] = []
    skipped: list[tuple[str, str]] = []
    folders = _folders(root, "_posts")
    if not folders:
        raise ImportFailed(f"{root}: no _posts folder; is this a Jekyll site?")
    for folder in folders:
        above = [part for part in folder.relative_to(root).parts[:-1]]
        for path in _files(folder):
            origin = path.relative_to(root).as_posix()
            match = _POST.match(path.name)
            if not match:
                skipped.append((origin, "not a post: its name is not YYYY-MM-DD-title.md"))
                continue
            try:
                post = _read_post(root, path, origin, match.group(2),
                                  parse_date(match.group(1), zone), zone, above, defaults,
                                  people, site_author, pattern)
            except ImportFailed as exc:
                skipped.append((origin, exc.message.removeprefix(f"{origin}: ")))
                continue
            posts.append(post)
    drafts = root / "_drafts"
    if drafts.is_dir():
        for path in _files(drafts):
            origin = path.relative_to(root).as_posix()
            match = _DRAFT.match(path.name)
            if not match:
                continue
            try:
                post = _read_post(root, path, origin, match.group(1), None, zone, [], defaults,
                                  people, site_author, pattern, draft=True)
            except ImportFailed as exc:
                skipped.append((origin, exc.message.removeprefix(f"{origin}: ")))
                continue
            posts.append(post)

    def local_file(target: str, post: SourcePost) -> Path | None:
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            if parts.hostname not in hosts:
                return None
        path = unquote(parts.path)
        if path.startswith("/"):
            base = base_path.rstrip("/")
            if base and (path == base or path.startswith(base + "/")):
                path = path[len(base):]
            return _public(root, path)
        if parts.scheme or not path:
            return None
        return (inside(post.folder, path) if post.folder else None) or _public(root, path)

    return SourceSite(kind="jekyll", name=root.resolve().name, posts=posts,
                      local_file=local_file, base_path=base_path, hosts=hosts,
                      skipped=skipped, notes=notes)


def _public(root: Path, path: str) -> Path | None:
    """A file Jekyll would have published: not under _folders or hidden ones."""
    parts = PurePosixPath(path).parts
    if any(part.startswith((".", "_")) for part in parts if part != "/"):
        return None
    return inside(root, path)


def _config(root: Path) -> dict[str, Any]:
    for name in ("_config.yml", "_config.yaml"):
        path = root / name
        if path.is_file():
            data = load_yaml(read_text(path, name), name)
            return data if isinstance(data, dict) else {}
    return {}


def _zone(config: dict[str, Any], default: ZoneInfo, notes: list[str]) -> ZoneInfo:
    name = text_value(config.get("timezone"))
    if name:
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            notes.append(f'unknown timezone "{name}" in _config.yml: dates without an offset '
                         f"are read in {default.key}")
            return default
        notes.append(f"dates without an offset are read in {name} (_config.yml timezone)")
        return zone
    notes.append(f"_config.yml sets no timezone: dates without an offset are read in "
                 f"{default.key}, the site's")
    return default


def _folders(root: Path, name: str) -> list[Path]:
    found = []
    for folder, dirs, _ in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP and not d.startswith("."))
        if name in dirs:
            found.append(Path(folder) / name)
            dirs.remove(name)
    return sorted(found)


def _files(folder: Path) -> list[Path]:
    out = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and not path.name.startswith((".", "~")):
            out.append(path)
    return out


def _authors_data(root: Path) -> dict[str, Any]:
    for name in ("authors.yml", "authors.yaml"):
        path = root / "_data" / name
        if path.is_file():
            data = load_yaml(read_text(path, f"_data/{name}"), f"_data/{name}")
            return data if isinstance(data, dict) else {}
    return {}


def _name(value: Any, people: dict[str, Any]) -> str:
    if isinstance(value, dict):
        return text_value(value.get("name") or value.get("display_name"))
    name = text_value(value)
    person = people.get(name)
    if isinstance(person, dict):
        return text_value(person.get("name") or person.get("display_name")) or name
    return name


def _defaults(defaults: list[Any], origin: str, draft: bool) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for entry in defaults:
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
            continue
        scope = entry.get("scope") if isinstance(entry.get("scope"), dict) else {}
        kind = scope.get("type")
        path = str(scope.get("path") or "")
        if kind not in (None, "posts", "drafts" if draft else "posts"):
            continue
        if path and not origin.startswith(path.strip("/")):
            continue
        merged.update(entry["values"])
    return merged


def _read_post(root: Path, path: Path, origin: str, name_slug: str, name_date: dt.datetime | None,
               zone: ZoneInfo, above: list[str], defaults: list[Any], people: dict[str, Any],
               site_author: str, pattern: str, draft: bool = False) -> SourcePost:
    data, body = split_front_matter(read_text(path, origin), origin)
    data = {**_defaults(defaults, origin, draft), **data}
    notes: list[str] = []
    fixes: list[tuple[str, str]] = []
    date = parse_date(data.get("date"), zone) if data.get("date") is not None else None
    if date is None and data.get("date") is not None:
        notes.append(f"the date {data['date']!r} could not be read: the file name's date")
    date = date or name_date
    if date is None:
        date = mtime_date(path, zone)
        fixes.append(("date", "the draft has no date: this is the file's modification time"))
    slug = text_value(data.get("slug")) or name_slug
    title = text_value(data.get("title"))
    if not title:
        title = " ".join(word.capitalize() for word in re.split(r"[-_]+", name_slug) if word)
        notes.append("no title in the source: made from the file name")
    categories = list(above) + text_list(data.get("categories"), split_words=True)
    categories += text_list(data.get("category"))
    categories = list(dict.fromkeys(categories))
    tags = text_list(data.get("tags"), split_words=True) + text_list(data.get("tag"))
    value = data.get("authors") if data.get("authors") else data.get("author")
    authors = [n for n in (_name(v, people) for v in (value if isinstance(value, list)
                                                       else [value] if value else []))
               if n]
    if not authors and site_author:
        authors = [site_author]
        notes.append("no author in the post: the site's author from _config.yml")
    aliases: list[str] = []
    if not draft:
        own = text_value(data.get("permalink")) or pattern
        expanded = _expand(PERMALINK_STYLES.get(own, own), date.astimezone(zone), slug,
                           categories, path.suffix.lower())
        if expanded:
            aliases.append(expanded)
    for old in text_list(data.get("redirect_from")):
        normal = normalize_site_path(old)
        if normal:
            aliases.append(normal)
        else:
            notes.append(f"redirect_from {old!r} is not a path of the site: left out")
    stem = path.name.rsplit(".", 1)[0]
    return SourcePost(
        origin=origin, key=stem, title=title, date=date, slug=slug, body=body,
        body_format="html" if path.suffix.lower() in (".html", ".htm") else "markdown",
        categories=categories, tags=tags, authors=authors,
        summary=text_value(data.get("excerpt") or data.get("description") or ""),
        image=_image(data), draft=draft or data.get("published") is False,
        aliases=aliases, folder=path.parent, notes=notes, fixes=fixes,
        refs=[stem, origin, origin.rsplit(".", 1)[0]])


def _expand(pattern: str, when: dt.datetime, slug: str, categories: list[str],
            suffix: str) -> str | None:
    values = {
        "year": f"{when.year:04d}", "month": f"{when.month:02d}", "i_month": str(when.month),
        "day": f"{when.day:02d}", "i_day": str(when.day), "short_year": f"{when.year % 100:02d}",
        "y_day": f"{when.timetuple().tm_yday:03d}", "hour": f"{when.hour:02d}",
        "minute": f"{when.minute:02d}", "second": f"{when.second:02d}",
        "title": slug, "slug": slugify(slug), "name": slug,
        "categories": "/".join(dict.fromkeys(c.lower() for c in categories)),
        "slugified_categories": "/".join(dict.fromkeys(slugify(c) for c in categories)),
        "output_ext": ".html",
    }
    unknown = [m for m in re.findall(r":([a-z_]+)", pattern) if m not in values]
    if unknown:
        return None
    path = re.sub(r":([a-z_]+)", lambda m: values[m.group(1)], pattern)
    return normalize_site_path(re.sub(r"/{2,}", "/", "/" + path))


def _image(data: dict[str, Any]) -> SourceImage | None:
    header = data.get("header") if isinstance(data.get("header"), dict) else {}
    value = (data.get("image") or header.get("image") or header.get("overlay_image")
             or header.get("teaser") or data.get("feature_image") or data.get("featured_image")
             or data.get("cover_image") or data.get("thumbnail"))
    alt = caption = credit = ""
    if isinstance(value, dict):
        alt = text_value(value.get("alt"))
        caption = text_value(value.get("caption"))
        credit = text_value(value.get("credit"))
        value = value.get("path") or value.get("src") or value.get("url") or value.get("feature")
    target = text_value(value)
    if not target:
        return None
    alt = alt or text_value(data.get("image_alt") or data.get("image_description"))
    caption = caption or text_value(data.get("image_caption") or header.get("caption"))
    credit = credit or text_value(data.get("image_credit") or data.get("credit"))
    if caption and not credit:
        caption, credit = split_credit(caption)
    return SourceImage(target=target, alt=alt, caption=caption, credit=credit)
