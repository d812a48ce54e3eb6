"""Hugo: ``content/**`` (page bundles' ``index.md`` too), YAML ``---`` or TOML ``+++`` front
matter, and ``hugo.toml`` / ``config.toml`` / ``config.yaml`` for baseURL, permalinks,
timeZone and uglyURLs. Old URLs are worked out the way Hugo builds them."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from pathlib import Path
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
    base_of,
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

CONFIG_FILES = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml",
                "config.yml", "config.json", "config/_default/hugo.toml",
                "config/_default/config.toml", "config/_default/hugo.yaml",
                "config/_default/config.yaml")
_PAGE_SUFFIXES = (".md", ".markdown", ".mdown", ".html", ".htm")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def read_site(root: Path, zone: ZoneInfo) -> SourceSite:
    if not root.is_dir():
        raise ImportFailed(f"{root}: not a folder; give the Hugo site's folder (it holds "
                           "hugo.toml or config.toml, and content/)")
    config, config_name = _config(root)
    notes: list[str] = []
    if config_name:
        notes.append(f"settings read from {config_name}")
    base_path, hosts = base_of(text_value(config.get("baseurl")))
    if base_path != "/":
        notes.append(f"the old site lived under {base_path} (baseURL): old URLs are kept "
                     "relative to it")
    zone = _zone(config, zone, notes)
    permalinks = config.get("permalinks") if isinstance(config.get("permalinks"), dict) else {}
    if isinstance(permalinks.get("page"), dict):
        permalinks = permalinks["page"]
    permalinks = {str(k).lower(): str(v) for k, v in permalinks.items() if isinstance(v, str)}
    ugly = config.get("uglyurls") is True
    params = config.get("params") if isinstance(config.get("params"), dict) else {}
    site_author = _name(params.get("author"))
    content = root / text_value(config.get("contentdir") or "content")
    if not content.is_dir():
        raise ImportFailed(f"{root}: no {content.name}/ folder; is this a Hugo site?")

    files = sorted(p for p in content.rglob("*") if p.suffix.lower() in _PAGE_SUFFIXES
                   and p.is_file() and not p.is_symlink()
                   and not any(part.startswith(".") for part in p.relative_to(content).parts))
    bundles = {p.parent for p in files if p.stem == "index"}
    posts: list[SourcePost] = []
    skipped: list[tuple[str, str]] = []
    for path in files:
        rel = path.relative_to(content)
        origin = (Path(content.name) / rel).as_posix()
        if path.stem == "_index":
            continue  # a section's own page: its list, not an article
        holder = next((b for b in bundles if b in path.parents), None)
        if holder is not None and path.stem != "index":
            skipped.append((origin, f"a file inside the page bundle "
                                    f"{holder.relative_to(content).as_posix()}/, not a page"))
            continue
        page_parts = list(rel.parent.parts) + ([] if path.stem == "index" else [path.stem])
        if len(page_parts) < 2:
            skipped.append((origin, "a page at the top of content/ (like About), not an "
                                    "article"))
            continue
        try:
            post = _read_page(path, origin, page_parts, zone, permalinks, ugly, site_author,
                              base_path)
        except ImportFailed as exc:
            skipped.append((origin, exc.message.removeprefix(f"{origin}: ")))
            continue
        if post is None:
            skipped.append((origin, "headless (never published on its own)"))
        else:
            posts.append(post)

    def local_file(target: str, post: SourcePost) -> Path | None:
        parts = urlsplit(target)
        if (parts.scheme or parts.netloc) and parts.hostname not in hosts:
            return None
        path = unquote(parts.path)
        if path.startswith("/"):
            base = base_path.rstrip("/")
            if base and (path == base or path.startswith(base + "/")):
                path = path[len(base):]
            return inside(root / "static", path) or inside(content, path)
        if parts.scheme or not path:
            return None
        return ((inside(post.folder, path) if post.folder else None)
                or inside(root / "static", path))

    return SourceSite(kind="hugo", name=root.resolve().name, posts=posts,
                      local_file=local_file, base_path=base_path, hosts=hosts,
                      skipped=skipped, notes=notes)


def _config(root: Path) -> tuple[dict[str, Any], str]:
    for name in CONFIG_FILES:
        path = root / name
        if not path.is_file():
            continue
        text = read_text(path, name)
        if name.endswith(".toml"):
            try:
                data: Any = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                raise ImportFailed(f"{name}: not valid TOML: {exc}") from None
        elif name.endswith(".json"):
            try:
                data = json.loads(text)
            except ValueError as exc:
                raise ImportFailed(f"{name}: not valid JSON: {exc}") from None
        else:
            data = load_yaml(text, name)
        if isinstance(data, dict):
            return {str(k).lower(): v for k, v in data.items()}, name
    return {}, ""


def _zone(config: dict[str, Any], default: ZoneInfo, notes: list[str]) -> ZoneInfo:
    name = text_value(config.get("timezone"))
    if name:
        try:
            zone = ZoneInfo(name)
            notes.append(f"dates without an offset are read in {name} (timeZone)")
            return zone
        except (ZoneInfoNotFoundError, ValueError):
            notes.append(f'unknown timeZone "{name}": dates without an offset are read in '
                         f"{default.key}")
            return default
    notes.append(f"no timeZone set: dates without an offset are read in {default.key}, "
                 "the site's")
    return default


def _name(value: Any) -> str:
    if isinstance(value, dict):
        return text_value(value.get("name"))
    return text_value(value)


def _read_page(path: Path, origin: str, page_parts: list[str], zone: ZoneInfo,
               permalinks: dict[str, str], ugly: bool, site_author: str,
               base_path: str) -> SourcePost | None:
    raw, body = split_front_matter(read_text(path, origin), origin)
    data = {key.lower(): value for key, value in raw.items()}
    if data.get("headless") is True:
        return None
    notes: list[str] = []
    fixes: list[tuple[str, str]] = []
    date = None
    for key in ("date", "publishdate", "pubdate", "lastmod"):
        if data.get(key) is not None:
            date = parse_date(data[key], zone)
            if date is not None:
                if key != "date":
                    notes.append(f"no date: {key} used")
                break
    if date is None:
        date = mtime_date(path, zone)
        fixes.append(("date", "no date in the source: this is the file's modification time"))
    name = page_parts[-1]
    title = text_value(data.get("title"))
    if not title:
        title = " ".join(w.capitalize() for w in re.split(r"[-_ ]+", name) if w)
        notes.append("no title in the source: made from the file name")
    slug = text_value(data.get("slug"))
    sections = page_parts[:-1]
    values = _tokens(date.astimezone(zone), title, slug, name, sections)
    url = text_value(data.get("url"))
    aliases: list[str] = []
    if url:
        own = normalize_site_path(url)
    elif sections[0].lower() in permalinks:
        own = _expand(permalinks[sections[0].lower()], values)
        if own is None:
            notes.append(f"the permalink {permalinks[sections[0].lower()]} uses a part this "
                         "import does not know: its old URL is not kept")
    else:
        last = slug or name
        tail = f"{last}.html" if ugly else f"{last}/"
        own = normalize_site_path(("/".join([*sections, tail])).lower().replace(" ", "-"))
    if own:
        aliases.append(own)
    for alias in text_list(data.get("aliases")):
        alias = alias if alias.startswith("/") else "/" + "/".join([*sections, alias])
        normal = normalize_site_path(alias)
        if normal:
            aliases.append(normal)
        else:
            notes.append(f"alias {alias!r} is not a path of the site: left out")
    value = data.get("authors") or data.get("author")
    authors = [n for n in (_name(v) for v in (value if isinstance(value, list)
                                              else [value] if value else [])) if n]
    if not authors and site_author:
        authors = [site_author]
        notes.append("no author in the page: the site's author (params.author)")
    rel_path = "/".join(page_parts)
    origin_key = origin.split("/", 1)[1] if "/" in origin else origin
    refs = [origin_key, origin_key.rsplit(".", 1)[0], rel_path, name]
    return SourcePost(
        origin=origin, key=rel_path, title=title, date=date, slug=slug or name, body=body,
        body_format="html" if path.suffix.lower() in (".html", ".htm") else "markdown",
        categories=text_list(data.get("categories")), tags=text_list(data.get("tags")),
        authors=authors, summary=text_value(data.get("summary") or data.get("description")),
        image=_image(data), draft=data.get("draft") is True, aliases=aliases,
        folder=path.parent, section_hint=sections[0], notes=notes, fixes=fixes, refs=refs)


def _tokens(when: dt.datetime, title: str, slug: str, name: str,
            sections: list[str]) -> dict[str, str]:
    return {
        "year": f"{when.year:04d}", "month": f"{when.month:02d}",
        "monthname": _MONTHS[when.month - 1], "day": f"{when.day:02d}",
        "weekday": str(when.isoweekday() % 7), "weekdayname": _WEEKDAYS[when.weekday()],
        "yearday": str(when.timetuple().tm_yday), "section": sections[0].lower(),
        "sections": "/".join(sections).lower(), "title": slugify(title),
        "slug": slug or slugify(title), "filename": name, "contentbasename": name,
        "slugorfilename": slug or name, "slugorcontentbasename": slug or name,
    }


def _expand(pattern: str, values: dict[str, str]) -> str | None:
    names = re.findall(r":([a-z]+)", pattern)
    if any(name not in values for name in names):
        return None
    path = re.sub(r":([a-z]+)", lambda m: values[m.group(1)], pattern)
    return normalize_site_path(re.sub(r"/{2,}", "/", "/" + path))


def _image(data: dict[str, Any]) -> SourceImage | None:
    cover = data.get("cover") if isinstance(data.get("cover"), dict) else {}
    images = text_list(data.get("images"))
    target = (images[0] if images else "") or text_value(
        data.get("featured_image") or data.get("featuredimage") or data.get("image")
        or cover.get("image") or data.get("thumbnail"))
    if not target:
        return None
    alt = text_value(cover.get("alt") or data.get("image_alt") or data.get("imagealt"))
    caption = text_value(cover.get("caption") or data.get("image_caption"))
    credit = text_value(data.get("image_credit") or data.get("credit"))
    if caption and not credit:
        caption, credit = split_credit(caption)
    return SourceImage(target=target, alt=alt, caption=caption, credit=credit)
