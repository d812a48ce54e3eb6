"""The one configured markdown-it-py instance: body HTML, summary text, heading ids, links."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from sitegen.errors import ContentError
from sitegen.text import slugify, truncate_words

# Ids the theme's own markup uses; a heading may never take one of them.
RESERVED_IDS = frozenset({
    "top", "main", "content", "article", "masthead", "nav", "search", "footer",
    "site-header", "site-nav", "site-main", "site-footer", "site-search", "skip",
    "corrections", "related", "byline", "comments",
})
_FOOTNOTE_ID = re.compile(r"^fn(ref)?\d+")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

# What survives in an article that carries raw HTML: markdown's own output plus a little more.
_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "samp", "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
_CLASSES = {
    "footnotes", "footnotes-list", "footnote-item", "footnote-ref", "footnote-backref",
    "footnotes-sep",
}
_ALIGN = {"text-align:left", "text-align:right", "text-align:center"}


@dataclass
class RenderedBody:
    html: str
    summary: str  # first paragraph as plain text
    word_count: int
    errors: list[ContentError] = field(default_factory=list)


# target -> new href; raises ValueError with a message when the target is missing.
LinkResolver = Callable[[str], str]


def _heading_ids(state: StateCore) -> None:
    used: set[str] = set()
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        text = _plain_text(tokens[index + 1].children or [])
        base = slugify(text) or "section"
        if base in RESERVED_IDS or _FOOTNOTE_ID.match(base):
            base = f"{base}-1"
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        token.attrSet("id", candidate)
    state.env["heading_ids"] = used


def _rewrite_links(state: StateCore) -> None:
    resolve: LinkResolver | None = state.env.get("resolve")
    if resolve is None:
        return
    errors: list[tuple[int, str]] = state.env.setdefault("link_errors", [])
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        line = block.map[0] if block.map else 0
        for token in block.children:
            attr = "href" if token.type == "link_open" else "src" if token.type == "image" else None
            if attr is None:
                continue
            target = str(token.attrGet(attr) or "")
            if not target or target.startswith(("#", "//")) or _SCHEME.match(target):
                continue
            try:
                token.attrSet(attr, resolve(target))
            except ValueError as exc:
                errors.append((line, str(exc)))


def _plain_text(children: list[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.children:
            parts.append(_plain_text(child.children))
    return "".join(parts)


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": True})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    md.use(footnote_plugin)
    md.core.ruler.push("sitegen_heading_ids", _heading_ids)
    md.core.ruler.push("sitegen_links", _rewrite_links)
    return md


_MD = _make_parser()


def render(body: str, resolve: LinkResolver | None = None, *, path: str = "", first_line: int = 1,
           summary_limit: int = 300) -> RenderedBody:
    """Markdown -> safe HTML. Errors (broken relative links) name ``path`` and the file line."""
    env: dict = {"resolve": resolve}
    tokens = _MD.parse(body, env)
    html = _MD.renderer.render(tokens, _MD.options, env)

    summary = ""
    words = 0
    has_raw_html = False
    for index, token in enumerate(tokens):
        if token.type == "html_block":
            has_raw_html = True
        elif token.type == "inline":
            children = token.children or []
            if not has_raw_html and any(c.type == "html_inline" for c in children):
                has_raw_html = True
            text = _plain_text(children)
            words += len(text.split())
            if not summary and index and tokens[index - 1].type == "paragraph_open" \
                    and tokens[index - 1].level == 0:
                summary = truncate_words(" ".join(text.split()), summary_limit)
    if has_raw_html:
        html = sanitize(html, env.get("heading_ids", set()))
    errors = [ContentError(message, path, first_line + line) for line, message in
              env.get("link_errors", [])]
    return RenderedBody(html=html, summary=summary, word_count=words, errors=errors)


def sanitize(html: str, heading_ids: set[str]) -> str:
    """Keep a safe allow-list. Only the ids our renderer made survive, so raw HTML cannot
    clobber the page's own ids or forge footnotes elsewhere."""
    ids = set(heading_ids)
    ids.update(re.findall(r'id="(fn(?:ref)?\d+(?::\d+)?)"', html))

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "id":
            return value if value in ids else None
        if attribute == "class":
            kept = [name for name in value.split() if name in _CLASSES]
            return " ".join(kept) or None
        if attribute == "style":
            return value if tag in ("th", "td") and value in _ALIGN else None
        return value

    attributes = {tag: set(names) for tag, names in _ATTRIBUTES.items()}
    for tag in ("h1", "h2", "h3", "h4", "h5", "h6", "li", "a", "sup", "section", "ol", "hr"):
        attributes.setdefault(tag, set()).update({"id", "class"})
    for tag in ("th", "td"):
        attributes[tag].add("style")
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=attributes,
        attribute_filter=keep,
        link_rel=None,
        url_schemes={"http", "https", "mailto", "tel"},
        strip_comments=True,
    )


def resolve_relative(target: str, source_dir: str) -> tuple[str, str]:
    """Split ``target`` into (path joined onto ``source_dir``, "?query#fragment" suffix)."""
    path, sep, fragment = target.partition("#")
    path, qsep, query = path.partition("?")
    suffix = (qsep + query if qsep else "") + (sep + fragment if sep else "")
    joined = posixpath.normpath(posixpath.join(source_dir, unquote(path)))
    return joined, suffix
