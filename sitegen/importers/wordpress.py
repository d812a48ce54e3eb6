"""WordPress: an export file (WXR, "WordPress eXtended RSS", Tools -> Export). Posts that are
published, drafts or scheduled; authors' display names; categories and tags; the featured
image (``_thumbnail_id``) and other attachments. The export names files by their URL on the
old site; the files themselves come from a copy of ``wp-content/uploads`` (``--uploads``,
by default ``uploads/`` next to the export). An export is untrusted XML: it is read with
defusedxml, which refuses DTDs and entities, so it cannot expand or reach out."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError
from zoneinfo import ZoneInfo

import defusedxml.ElementTree as SafeTree
from defusedxml import DefusedXmlException

from sitegen.importers.convert import Media
from sitegen.importers.markup import split_credit
from sitegen.importers.source import (
    ImportFailed,
    SourceImage,
    SourcePost,
    SourceSite,
    base_of,
    hosts_of,
    inside,
    site_path,
)
from sitegen.text import slugify

_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
_STATUSES = ("publish", "draft", "future")
# Items an export carries that are no story and not worth a line in the report.
_QUIET_TYPES = {"attachment", "nav_menu_item", "custom_css", "customize_changeset",
                "wp_global_styles", "wp_navigation", "wp_template", "wp_template_part",
                "oembed_cache", "revision", "wp_block", "user_request"}
_SIZED = re.compile(r"-(?:\d+x\d+|scaled|rotated)(\.\w+)$")
_FILE_LIKE = re.compile(r"^\S*\d\S*$|\.(jpe?g|png|gif|webp|heic)$", re.IGNORECASE)
_PHOTON = re.compile(r"^i\d\.wp\.com$")


class _Names:
    """Finds children by local name whatever version the export's namespaces carry."""

    def __init__(self, root: Element) -> None:
        self.wp = self.excerpt = ""
        for element in root.iter():
            if not element.tag.startswith("{"):
                continue
            namespace = element.tag[1:].split("}")[0]
            if namespace.startswith("http://wordpress.org/export/"):
                if namespace.rstrip("/").endswith("excerpt"):
                    self.excerpt = self.excerpt or namespace
                else:
                    self.wp = self.wp or namespace
            if self.wp and self.excerpt:
                break

    def wp_text(self, element: Element, name: str) -> str:
        return _text(element.find(f"{{{self.wp}}}{name}"))

    def excerpt_text(self, element: Element) -> str:
        return _text(element.find(f"{{{self.excerpt}}}encoded")) if self.excerpt else ""


def _text(element: Element | None) -> str:
    return (element.text or "") if element is not None else ""


def read_export(source: Path, zone: ZoneInfo, uploads: Path | None = None) -> SourceSite:
    if not source.is_file():
        raise ImportFailed(f"{source}: no such file; give the WordPress export (.xml) made "
                           "with Tools -> Export")
    try:
        root = SafeTree.parse(str(source), forbid_dtd=True).getroot()
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 0
        raise ImportFailed(f"{source.name}:{line}: not a readable XML file: {exc}") from None
    except DefusedXmlException as exc:
        raise ImportFailed(f"{source.name}: refused: it declares a DTD or entities ({exc}); "
                           "a WordPress export never needs them") from None
    names = _Names(root)
    channel = root.find("channel")
    if not names.wp or channel is None:
        raise ImportFailed(f"{source.name}: not a WordPress export (no wp: elements)")
    blog = names.wp_text(channel, "base_blog_url") or _text(channel.find("link"))
    base_path, _ = base_of(blog)
    hosts = hosts_of(blog, names.wp_text(channel, "base_site_url"), _text(channel.find("link")))
    notes: list[str] = []
    if uploads is None and (source.parent / "uploads").is_dir():
        uploads = source.parent / "uploads"
    if uploads is None:
        notes.append("no uploads folder (--uploads): pictures stay on the old site and are "
                     "listed below")
    elif not uploads.is_dir():
        raise ImportFailed(f"{uploads}: no such folder (--uploads: a copy of the old site's "
                           "wp-content/uploads)")
    else:
        notes.append(f"files of wp-content/uploads/ were taken from {uploads.name}/")
    authors = {}
    for author in channel.findall(f"{{{names.wp}}}author"):
        login = names.wp_text(author, "author_login")
        authors[login] = html.unescape(names.wp_text(author, "author_display_name")) or login

    items = channel.findall("item")
    media: dict[int, Media] = {}
    for item in items:
        if names.wp_text(item, "post_type") == "attachment":
            attachment = _media(item, names)
            media[attachment.id] = attachment

    def local_file(target: str, post: SourcePost) -> Path | None:
        parts = urlsplit(html.unescape(target))
        path = unquote(parts.path)
        host = parts.hostname
        if host and _PHOTON.match(host):  # Jetpack's image CDN: i0.wp.com/<host>/<path>
            host, _, path = path.lstrip("/").partition("/")
            path = "/" + path
        if (host and host not in hosts) or uploads is None or "/wp-content/uploads/" not in path:
            return None
        rel = path.split("/wp-content/uploads/", 1)[1]
        return inside(uploads, _SIZED.sub(r"\1", rel)) or inside(uploads, rel)

    posts: list[SourcePost] = []
    skipped: list[tuple[str, str]] = []
    quiet = 0
    for item in items:
        kind = names.wp_text(item, "post_type")
        post_id = _number(names.wp_text(item, "post_id"))
        title = html.unescape(_text(item.find("title"))).strip()
        origin = f"{source.name}, {kind or 'item'} {post_id}"
        status = names.wp_text(item, "status")
        if kind != "post":
            if kind in _QUIET_TYPES:
                quiet += kind != "attachment"
            elif kind == "page":
                skipped.append((origin, f'the page "{title}" (pages like About are not '
                                        "articles)"))
            else:
                skipped.append((origin, f'"{title}": items of type {kind} are not articles'))
            continue
        if status not in _STATUSES:
            skipped.append((origin, f'"{title}": status {status} (only published, draft and '
                                    "scheduled posts are imported)"))
            continue
        posts.append(_post(item, names, origin, post_id, title, status, authors, media, zone,
                           base_path, hosts))
    if quiet:
        notes.append(f"{quiet} other item{'s' if quiet != 1 else ''} of the export (menus, "
                     "styles, revisions) left out")
    return SourceSite(kind="wordpress", name=source.name, posts=posts, local_file=local_file,
                      base_path=base_path, hosts=hosts, skipped=skipped, notes=notes,
                      media=dict(media))


def _meta(item: Element, names: _Names) -> dict[str, str]:
    meta = {}
    for entry in item.findall(f"{{{names.wp}}}postmeta"):
        meta[names.wp_text(entry, "meta_key")] = names.wp_text(entry, "meta_value")
    return meta


def _media(item: Element, names: _Names) -> Media:
    meta = _meta(item, names)
    url = names.wp_text(item, "attachment_url")
    title = html.unescape(_text(item.find("title"))).strip()
    stem = Path(urlsplit(url).path).stem
    alt = " ".join(html.unescape(meta.get("_wp_attachment_image_alt", "")).split())
    # WordPress titles an upload after its file ("IMG_2047"): no description of anything.
    if not alt and title and not _FILE_LIKE.search(title) and slugify(title) != slugify(stem):
        alt = title
    return Media(id=_number(names.wp_text(item, "post_id")), url=url, title=title, alt=alt,
                 caption=_plain(names.excerpt_text(item)),
                 credit=" ".join(meta.get("_media_credit", "").split()),
                 file=meta.get("_wp_attached_file", ""),
                 parent=_number(names.wp_text(item, "post_parent")),
                 order=_number(names.wp_text(item, "menu_order")))


def _number(text: str) -> int:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else 0


def _plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def _post(item: Element, names: _Names, origin: str, post_id: int, title: str, status: str,
          authors: dict[str, str], media: dict[int, Media], zone: ZoneInfo, base_path: str,
          hosts: tuple[str, ...]) -> SourcePost:
    notes: list[str] = []
    fixes: list[tuple[str, str]] = []
    date = _date(names.wp_text(item, "post_date"), names.wp_text(item, "post_date_gmt"), zone)
    if date is None:
        date = dt.datetime(1970, 1, 1, tzinfo=zone)
        fixes.append(("date", "the export gives no usable date: set the story's date"))
    elif names.wp_text(item, "post_date_gmt").startswith("0000"):
        notes.append(f"the export gives no UTC time for this draft: its date is read in "
                     f"{zone.key}")
    login = _text(item.find(_CREATOR))
    categories, tags = [], []
    for term in item.findall("category"):
        name = " ".join(html.unescape(term.text or "").split())
        if name:
            (categories if term.get("domain") == "category" else
             tags if term.get("domain") == "post_tag" else []).append(name)
    meta = _meta(item, names)
    image = None
    thumbnail = meta.get("_thumbnail_id", "")
    if thumbnail.isdigit() and int(thumbnail) in media:
        picture = media[int(thumbnail)]
        caption, credit = split_credit(picture.caption)
        image = SourceImage(target=picture.url, alt=picture.alt, caption=caption,
                            credit=picture.credit or credit)
    elif thumbnail:
        fixes.append(("title", f"the featured image (attachment {thumbnail}) is not in the "
                               "export: add image: and image_alt: by hand"))
    aliases = []
    old = site_path(_text(item.find("link")), base_path, hosts)
    if old:
        aliases.append(old)
    if status == "future":
        notes.append("scheduled in WordPress: published on its date")
    slug = unquote(names.wp_text(item, "post_name"))
    return SourcePost(
        origin=origin, key=str(post_id), title=title or "(untitled)", date=date, slug=slug,
        body=_text(item.find(_CONTENT)), body_format="html", categories=categories, tags=tags,
        authors=[authors.get(login, login)] if login else [],
        summary=_plain(names.excerpt_text(item)), image=image, draft=status == "draft",
        aliases=aliases, notes=notes, fixes=fixes, post_id=post_id)


def _date(local: str, gmt: str, zone: ZoneInfo) -> dt.datetime | None:
    """WordPress keeps the local time and UTC side by side: their difference is the offset
    the site had then."""
    try:
        when = dt.datetime.strptime(local.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    try:
        utc = dt.datetime.strptime(gmt.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return when.replace(tzinfo=zone)
    offset = dt.timedelta(minutes=round((when - utc).total_seconds() / 60))
    if abs(offset) >= dt.timedelta(hours=24):
        return when.replace(tzinfo=zone)
    return when.replace(tzinfo=dt.timezone(offset))

