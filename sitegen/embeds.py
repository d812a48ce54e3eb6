"""Embeds: videos, forms, slides, documents and maps, loaded only when the reader asks.

A link to YouTube, Vimeo, Google Forms, Slides, Docs or Maps alone in its paragraph,

    [Highlights of the district final](https://www.youtube.com/watch?v=abc123DEF45)

becomes a box with the title and the provider's name that links to the page. Nothing is
loaded from the other site until the reader clicks: then the theme's ``embed.js`` puts the
player (YouTube's privacy-enhanced one, Vimeo with "do not track") in its place, with the
link's text as the frame's accessible title. Without JavaScript, and in feeds, it stays a
link. Readers are minors; the other site learns nothing about them until they choose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Embed:
    provider: str  # shown to the reader, e.g. "YouTube video"
    kind: str  # css modifier: video, form, slides, document, map
    page: str  # the link readers follow without JavaScript
    player: str  # what the frame loads after a click


_ID = re.compile(r"^[A-Za-z0-9_-]{6,}$")


def find(url: str) -> Embed | None:
    """The embed for a link, or None when it is not one we know how to embed safely."""
    parts = urlsplit(url)
    if parts.scheme != "https" and parts.scheme != "http":
        return None
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    path = parts.path
    if host in ("youtube.com", "youtu.be", "youtube-nocookie.com"):
        video = ""
        if host == "youtu.be":
            video = path.strip("/")
        elif path == "/watch":
            video = parse_qs(parts.query).get("v", [""])[0]
        elif path.startswith(("/embed/", "/shorts/", "/live/")):
            video = path.split("/")[2]
        if _ID.match(video):
            return Embed("YouTube video", "video", f"https://www.youtube.com/watch?v={video}",
                         f"https://www.youtube-nocookie.com/embed/{video}")
    elif host in ("vimeo.com", "player.vimeo.com"):
        video = path.strip("/").removeprefix("video/")
        if video.isdigit():
            return Embed("Vimeo video", "video", f"https://vimeo.com/{video}",
                         f"https://player.vimeo.com/video/{video}?dnt=1")
    elif host == "docs.google.com":
        match = re.match(r"^/(forms|presentation|document)/d/(e/)?([A-Za-z0-9_-]+)", path)
        if match:
            kind, published, key = match[1], match[2] or "", match[3]
            base = f"https://docs.google.com/{kind}/d/{published}{key}"
            if kind == "forms":
                return Embed("Google form", "form", f"{base}/viewform",
                             f"{base}/viewform?embedded=true")
            if kind == "presentation":
                return Embed("Google Slides", "slides", f"{base}/", f"{base}/embed")
            return Embed("Google document", "document", f"{base}/",
                         f"{base}/pub?embedded=true" if published else f"{base}/preview")
    elif host == "google.com" and path == "/maps/embed" and parts.query:
        player = f"https://www.google.com/maps/embed?{parts.query}"
        return Embed("Google map", "map", player, player)
    return None


NOTE = "Nothing loads from the other site until you click."


def html(embed: Embed, title: str, note: str = NOTE) -> str:
    """The box that stands in for the player until the reader clicks (``note``: the
    sentence that says so, in the site's language)."""
    title = title.strip() or embed.provider
    return (f'<figure class="embed embed-{embed.kind}">'
            f'<a class="embed-link" href="{escape(embed.page)}" data-player="'
            f'{escape(embed.player)}" data-title="{escape(title)}">'
            f'<span class="embed-provider">{escape(embed.provider)}</span> '
            f'<span class="embed-title">{escape(title)}</span> '
            # the note is the same in every box: not worth finding in a search
            f'<span class="embed-note" data-pagefind-ignore>{escape(note)}</span>'
            "</a></figure>\n")


# What embed.js will load: the players above, and nothing else.
PLAYER_PREFIXES = ("https://www.youtube-nocookie.com/embed/", "https://player.vimeo.com/video/",
                   "https://docs.google.com/", "https://www.google.com/maps/embed?")
