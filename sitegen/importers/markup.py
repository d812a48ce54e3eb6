"""The Markdown an import writes: embeds (videos, forms, slides, maps) in sitegen's embed
syntax, a link alone in its paragraph at the page's URL; posts on social sites as plain
links; links; images with their caption and credit."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

from sitegen import embeds as site_embeds

_KINDS = {"video": "Video", "form": "Form", "slides": "Slides", "document": "Document",
          "map": "Map"}


def embed(url: str) -> tuple[str, str] | None:
    """An address sitegen embeds (YouTube, Vimeo, Google Forms, Slides, Docs, Maps), as
    embedded in a frame or as shared -> (the page URL sitegen's embed syntax takes, what it
    is: "Video", "Form", ...). sitegen's own ``embeds.find`` decides, so what an import
    writes is what the build turns into an embed; a YouTube start time is kept."""
    url = html.unescape(url.strip())
    if url.startswith("//"):
        url = "https:" + url
    found = site_embeds.find(url)
    if found is None:
        return None
    page = found.page
    if page.startswith("https://www.youtube.com/watch?v="):
        query = parse_qs(urlsplit(url).query)
        start = (query.get("t") or query.get("start") or [""])[0].rstrip("s")
        if start.isdigit() and start != "0":
            page += f"&t={start}s"
    return page, _KINDS.get(found.kind, "Embed")


def social(url: str, text: str = "") -> str | None:
    """A post on X (Twitter), Instagram or TikTok -> ``[Post by @name on X](url)``."""
    url = html.unescape(url.strip())
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("mobile.")
    segments = [s for s in parts.path.split("/") if s]
    if host in ("twitter.com", "x.com") and "status" in segments:
        user = segments[0] if segments[0] not in ("i", "status") else ""
        clean = f"https://{host}/{'/'.join(segments[:segments.index('status') + 2])}"
        return link_line(f"Post by @{user} on X" if user else "Post on X", clean)
    if host == "instagram.com" and len(segments) >= 2 and segments[0] in ("p", "reel", "tv"):
        clean = f"https://www.instagram.com/{segments[0]}/{segments[1]}/"
        user = re.search(r"\(@([\w.]+)\)|@([\w.]+)", text)
        name = next((g for g in user.groups() if g), "") if user else ""
        return link_line(f"Post by @{name} on Instagram" if name else "Post on Instagram", clean)
    if host == "tiktok.com" and len(segments) >= 3 and segments[1] == "video":
        clean = f"https://www.tiktok.com/{segments[0]}/video/{segments[2]}"
        return link_line(f"Video by {segments[0]} on TikTok", clean)
    return None


def embed_line(url: str, title: str = "") -> str | None:
    """The Markdown for an embed, or None when ``url`` is nothing sitegen embeds."""
    found = embed(url)
    if found is None:
        return social(url)
    canonical, kind = found
    return link_line(" ".join(title.split()) or kind, canonical)


def link_line(text: str, url: str) -> str:
    return f"[{escape_text(text)}]({url_target(url)})"


def escape_text(text: str) -> str:
    return re.sub(r"([\\\[\]])", r"\\\1", text)


def url_target(url: str) -> str:
    return f"<{url}>" if re.search(r"[\s()<>]", url) else url


def image_line(alt: str, src: str, caption: str = "", credit: str = "") -> str:
    """``![alt](src "Caption -- Credit")``: sitegen's figure, caption and credit."""
    title = " -- ".join(part for part in (" ".join(caption.split()), " ".join(credit.split()))
                        if part)
    title_part = ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"' if title else ""
    return f"![{escape_text(' '.join(alt.split()))}]({url_target(src)}{title_part})"


_CREDIT = re.compile(
    r"^(?P<caption>.*?)[\s(|/\u2013\u2014-]*\(?(?P<credit>(?:photo(?:graph)?s?|image|courtesy|"
    r"illustration|graphic|\uc0ac\uc9c4)(?:\s+by|\s+courtesy\s+of)?\s*[:\uff1a]?\s+[^()|]+?)\)?\s*$",
    re.IGNORECASE)


def split_credit(caption: str) -> tuple[str, str]:
    """"The final buzzer (Photo: Jun Seo)" -> ("The final buzzer", "Photo: Jun Seo")."""
    caption = " ".join(caption.split())
    match = _CREDIT.match(caption)
    if not match or not match.group("caption").strip():
        return caption, ""
    return match.group("caption").strip(" -|\u2013\u2014"), match.group("credit").strip()
