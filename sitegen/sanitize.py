"""Raw HTML in articles: the allow-list it is cleaned to, and what the cleaning removes.

Writers paste from everywhere (Google Docs, old CMSs, embed codes). What survives is
Markdown's own output plus a little more; ids survive only when our renderer made them, so
raw HTML cannot clobber the page's own ids or forge footnotes. Everything removed is also
reported (tag and attribute, with its line), so nothing disappears unsaid.
"""

from __future__ import annotations

from html.parser import HTMLParser

import nh3

from sitegen import embeds

# What survives in an article that carries raw HTML: markdown's own output plus a little more.
TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre",
    "q", "s", "samp", "section", "small", "source", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
}
ATTRIBUTES = {
    "a": {"href", "title", "data-player", "data-title"},
    "abbr": {"title"},
    # Raw <img>, <picture> and <source> are refused before this; these are our own.
    "img": {"src", "alt", "title", "width", "height", "srcset", "sizes", "loading", "decoding"},
    "source": {"type", "srcset", "sizes"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
_CLASSES = {
    "footnotes", "footnotes-list", "footnote-item", "footnote-ref", "footnote-backref",
    "footnotes-sep", "gallery", "caption", "credit", "embed", "embed-video", "embed-form",
    "embed-slides", "embed-document", "embed-map", "embed-link", "embed-provider", "embed-title",
    "embed-note",
}
_ALIGN = {"text-align:left", "text-align:right", "text-align:center"}


# Attributes any allowed tag may carry (checked further by ``sanitize``).
_ANY = {"id", "class"}
# Why a tag is removed, when a writer could do something better.
_HINTS = {
    "iframe": "embed a video, form or slides as a link alone in its paragraph: "
              "[Title](https://www.youtube.com/watch?v=...)",
    "script": "scripts never run on the site",
    "img": "write images as Markdown, ![what it shows](photo.jpg)",
    "style": "the theme sets the styles",
    "font": "use **bold** or *italics* in Markdown",
}


def sanitize(html: str, marker: str) -> str:
    """Keep a safe allow-list. Only ids holding ``marker`` survive: the renderer put it in
    the ids it made (headings, footnotes), so raw HTML cannot clobber the page's own ids or
    forge footnotes. The marker is taken out of ids and links afterwards."""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "id":
            return value if marker and marker in value else None
        if attribute == "class":
            kept = [name for name in value.split() if name in _CLASSES]
            return " ".join(kept) or None
        if attribute == "style":
            return value if tag in ("th", "td") and value in _ALIGN else None
        if attribute == "data-player":
            return value if value.startswith(embeds.PLAYER_PREFIXES) else None
        return value

    attributes = {tag: set(names) for tag, names in ATTRIBUTES.items()}
    for tag in ("div", "span", "figure"):
        attributes.setdefault(tag, set()).add("class")
    for tag in ("h1", "h2", "h3", "h4", "h5", "h6", "li", "a", "sup", "section", "ol", "hr"):
        attributes.setdefault(tag, set()).update({"id", "class"})
    for tag in ("th", "td"):
        attributes[tag].add("style")
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=attributes,
        attribute_filter=keep,
        link_rel=None,
        url_schemes={"http", "https", "mailto", "tel"},
        strip_comments=True,
    )
    return clean.replace(f"-{marker}-", "").replace(f"{marker}-", "") if marker else clean



class _Removed(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []  # (line within the html, message)
        self.seen: set[tuple[str, str]] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0] - 1
        if tag not in TAGS:
            if (tag, "") not in self.seen:
                self.seen.add((tag, ""))
                hint = _HINTS.get(tag, "it is not on the list of HTML sitegen publishes")
                self.found.append((line, f"raw HTML <{tag}> is removed: {hint}"))
            return
        allowed = ATTRIBUTES.get(tag, set()) | _ANY | (
            {"style"} if tag in ("th", "td") else set())
        for name, _value in attrs:
            if name not in allowed and (tag, name) not in self.seen:
                self.seen.add((tag, name))
                self.found.append((line, f'the attribute "{name}" of <{tag}> in raw HTML is '
                                         "removed"))


def removed_html(html: str) -> list[tuple[int, str]]:
    """What ``sanitize`` will take out of this raw HTML: (line offset, message), each tag
    and each attribute once."""
    parser = _Removed()
    parser.feed(html)
    parser.close()
    return parser.found
