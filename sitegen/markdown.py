"""Markdown to a body's HTML, summary text, heading ids and links: markdown-it.rs parses
(``md_tokens``), sitegen's rules rewrite the tokens, markdown-it-py renders them."""

from __future__ import annotations

import posixpath
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from sitegen import embeds, md_tokens
from sitegen.content import DECORATIVE
from sitegen.errors import ContentError
from sitegen.images import picture_html
from sitegen.leftovers import leftovers
from sitegen.models import Compact, Picture
from sitegen.sanitize import removed_html, sanitize
from sitegen.text import slugify, truncate_words

# Ids the theme's own markup uses; a heading may never take one of them.
RESERVED_IDS = frozenset({
    "top", "main", "content", "article", "masthead", "nav", "search", "footer",
    "site-header", "site-nav", "site-main", "site-footer", "site-search", "skip",
    "corrections", "related", "byline", "comments", "search-title",
})
_FOOTNOTE_ID = re.compile(r"^fn(ref)?\d+")
URL_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

@dataclass(slots=True)
class RenderedBody(Compact):
    html: str
    summary: str  # first paragraph as plain text
    word_count: int
    errors: Sequence[ContentError] = ()
    warnings: Sequence[ContentError] = ()


# target -> new href; raises ValueError with a message when the target is missing.
LinkResolver = Callable[[str], str]
# target -> the published picture; raises ValueError likewise.
PictureResolver = Callable[[str], Picture]
# How wide a body image is shown: the column of text (see .article-body in the theme).
BODY_SIZES = "(min-width: 42rem) 40rem, 100vw"
GALLERY_SIZES = "(min-width: 42rem) 20rem, 50vw"
_RAW_IMAGE = re.compile(r"<\s*(img|picture|source|image)\b", re.IGNORECASE)


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
    resolve_image: PictureResolver | None = state.env.get("resolve_image")
    errors: list[tuple[int, str]] = state.env.setdefault("link_errors", [])
    # A bad reference definition ([6]: blank) is reported once, at its own line, not at
    # every line that uses it.
    bad_references: set[str] = set()
    if resolve is not None:
        for reference in state.env.get("references", {}).values():
            target = str(reference.get("href", ""))
            if not _resolvable(target):
                continue
            try:
                resolve(target)
            except ValueError as exc:
                bad_references.add(target)
                errors.append(((reference.get("map") or [0])[0], str(exc)))
    for block in state.tokens:
        line = block.map[0] if block.map else 0
        if block.type == "html_block" and resolve_image is not None:
            _refuse_raw_images(block.content, line, errors)
        if block.type != "inline" or not block.children:
            continue
        for token in block.children:
            if token.type == "html_inline" and resolve_image is not None:
                _refuse_raw_images(token.content, line, errors)
            if token.type == "image" and resolve_image is not None:
                _resolve_picture(token, resolve_image, line, errors)
                continue
            attr = "href" if token.type == "link_open" else "src" if token.type == "image" else None
            if attr is None or resolve is None:
                continue
            target = str(token.attrGet(attr) or "")
            if not _resolvable(target) or target in bad_references:
                continue
            try:
                token.attrSet(attr, resolve(target))
            except ValueError as exc:
                errors.append((line, str(exc)))


def _resolvable(target: str) -> bool:
    """A link into the site: not empty, not a fragment, not another host or scheme."""
    return bool(target) and not target.startswith(("#", "//")) and not URL_SCHEME.match(target)


def _resolve_picture(token: Token, resolve_image: PictureResolver, line: int,
                     errors: list[tuple[int, str]]) -> None:
    """Look the image up, and check its alt text: every image needs one, and an image
    that only decorates says so with ``![decorative](file.jpg)``."""
    target = str(token.attrGet("src") or "")
    alt = _plain_text(token.children or []).strip()
    shown = unquote(target)
    if not alt:
        errors.append((line, f'image "{shown}" has no alt text: write what it shows, '
                             f"![A runner crossing the line]({shown}), or "
                             f"![{DECORATIVE}]({shown}) if it only decorates"))
    try:
        token.meta["picture"] = resolve_image(target)
    except ValueError as exc:
        errors.append((line, str(exc)))
    token.meta["alt"] = "" if alt.lower() == DECORATIVE else alt


def _refuse_raw_images(html: str, line: int, errors: list[tuple[int, str]]) -> None:
    match = _RAW_IMAGE.search(html)
    if match:
        errors.append((line + html.count("\n", 0, match.start()),
                       f"<{match.group(1)}> in raw HTML is not published: write the image as "
                       "Markdown, ![what it shows](photo.jpg), so readers get resized copies"))


def _embeds(state: StateCore) -> None:
    """A link alone in its paragraph to a video, form, slides, document or map becomes an
    embed that loads only on a click (see ``embeds``)."""
    tokens = state.tokens
    index = -1
    while index + 3 < len(tokens):
        index += 1
        if tokens[index].type != "paragraph_open" or tokens[index + 1].type != "inline":
            continue
        inline = tokens[index + 1]
        if _first_shown(inline.children or []) != "link_open":  # most paragraphs: text
            continue
        children = [c for c in inline.children or [] if not _blank(c)]
        if len(children) < 2 or children[0].type != "link_open" \
                or children[-1].type != "link_close":
            continue
        if any(c.type in ("link_open", "link_close") for c in children[1:-1]):
            continue
        embed = embeds.find(str(children[0].attrGet("href") or ""))
        if embed is None:
            continue
        token = Token("sitegen_embed", "", 0, map=tokens[index].map, block=True)
        token.meta = {"embed": embed, "title": _plain_text(children[1:-1])}
        tokens[index:index + 3] = [token]


def _figures(state: StateCore) -> None:
    """A paragraph holding nothing but images becomes figures (a gallery when there are
    several); an image's title becomes its caption, with the credit after " -- "."""
    tokens = state.tokens
    index = 0
    while index + 2 < len(tokens):
        opening, inline = tokens[index], tokens[index + 1]
        if opening.type == "paragraph_open" and inline.type == "inline" and inline.children \
                and _first_shown(inline.children) in _IMAGE_OR_BREAK:
            images = [c for c in inline.children if c.type == "image"]
            rest = [c for c in inline.children if c.type != "image"
                    and not (c.type in ("softbreak", "hardbreak") or _blank(c))]
            if images and not rest and all("picture" in i.meta for i in images):
                figure = Token("sitegen_figures", "", 0, map=opening.map, block=True)
                figure.children = images
                tokens[index:index + 3] = [figure]
        index += 1


_IMAGE_OR_BREAK = frozenset({"image", "softbreak", "hardbreak"})


def _blank(token: Token) -> bool:
    return token.type == "text" and not token.content.strip()


def _first_shown(children: list[Token]) -> str:
    """The type of the first child that is not blank text ("" when there is none)."""
    for child in children:
        if not _blank(child):
            return child.type
    return ""


def _render_figures(self: RendererHTML, tokens: list[Token], index: int, options: object,
                    env: dict) -> str:
    url = env["url"]
    images = tokens[index].children or []
    sizes = BODY_SIZES if len(images) == 1 else GALLERY_SIZES
    figures = []
    for image in images:
        caption, credit = _caption(str(image.attrGet("title") or ""))
        html = picture_html(image.meta["picture"], image.meta["alt"], url, sizes=sizes)
        if caption or credit:
            parts = [f'<span class="caption">{escape(caption)}</span>' if caption else "",
                     f'<span class="credit">{escape(credit)}</span>' if credit else ""]
            html += f"<figcaption>{' '.join(p for p in parts if p)}</figcaption>"
        figures.append(f"<figure>{html}</figure>")
    if len(figures) == 1:
        return figures[0] + "\n"
    return '<div class="gallery">\n' + "\n".join(figures) + "\n</div>\n"


def _render_image(self: RendererHTML, tokens: list[Token], index: int, options: object,
                  env: dict) -> str:
    token = tokens[index]
    picture = token.meta.get("picture")
    if picture is None:  # rendered without an image resolver, or the image has an error
        return self.image(tokens, index, options, env)
    return picture_html(picture, token.meta["alt"], env["url"], sizes=BODY_SIZES)


def _caption(title: str) -> tuple[str, str]:
    """``"Caption -- Photo: Name"`` -> ("Caption", "Photo: Name")."""
    caption, sep, credit = title.rpartition(" -- ")
    return (caption.strip(), credit.strip()) if sep else (title.strip(), "")


def _plain_text(children: list[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type == "image":  # alt text is not part of the story's words
            continue
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.children:
            parts.append(_plain_text(child.children))
    return "".join(parts)


class _Renderer(RendererHTML):
    """markdown-it-py's HTML renderer, the same HTML made with less work: a body renders
    hundreds of tokens, and the renderer was a quarter of its Markdown's time. Text is
    escaped in the loop when the ``text`` rule is markdown-it-py's own, a tag without
    attributes skips ``renderAttrs``, and ``renderToken`` builds fewer strings."""

    def render(self, tokens: Sequence[Token], options: Any, env: Any) -> str:
        rules = self.rules
        out: list[str] = []
        for index, token in enumerate(tokens):
            kind = token.type
            if kind == "inline":
                if token.children:
                    out.append(self.renderInline(token.children, options, env))
            elif kind in rules:
                out.append(rules[kind](tokens, index, options, env))
            else:
                out.append(self.renderToken(tokens, index, options, env))
        return "".join(out)

    def renderInline(self, tokens: Sequence[Token], options: Any, env: Any) -> str:
        rules = self.rules
        plain_text = getattr(rules.get("text"), "__func__", None) is RendererHTML.text
        out: list[str] = []
        for index, token in enumerate(tokens):
            kind = token.type
            if kind == "text" and plain_text:
                out.append(escapeHtml(token.content))
            elif kind in rules:
                out.append(rules[kind](tokens, index, options, env))
            else:
                out.append(self.renderToken(tokens, index, options, env))
        return "".join(out)

    def renderToken(self, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        if token.hidden:  # a tight list's paragraph
            return ""
        nesting = token.nesting
        start = "</" if nesting == -1 else "<"
        if token.block and nesting != -1 and idx and tokens[idx - 1].hidden:
            start = "\n" + start  # a block opened after a hidden paragraph
        attributes = self.renderAttrs(token) if token.attrs else ""
        end = " />" if nesting == 0 and options["xhtmlOut"] else ">"
        if token.block:
            following = tokens[idx + 1] if nesting == 1 and idx + 1 < len(tokens) else None
            if following is None or not (
                    following.type == "inline" or following.hidden
                    or (following.nesting == -1 and following.tag == token.tag)):
                end += "\n"
        return start + token.tag + attributes + end


def _make_renderer() -> MarkdownIt:
    """The site's markdown-it-py (``md_tokens.MARKDOWN_IT``), with sitegen's render rules
    and renderer (its class changed in place: the rules that plugins gave the instance
    stay)."""
    md = md_tokens.MARKDOWN_IT
    md.renderer.__class__ = _Renderer
    md.add_render_rule("sitegen_figures", _render_figures)
    md.add_render_rule("sitegen_embed", lambda self, tokens, index, options, env: embeds.html(
        tokens[index].meta["embed"], tokens[index].meta["title"], env["embed_note"]))
    md.add_render_rule("image", _render_image)
    return md


_MD = _make_renderer()
# sitegen's rules, in order, over a body's tokens
_RULES = (_heading_ids, _rewrite_links, _figures, _embeds)


def _tokens(body: str, env: dict) -> list[Token]:
    """The body's tokens with sitegen's rules applied."""
    state = StateCore(body, _MD, env, md_tokens.parse(body, env))
    for rule in _RULES:
        rule(state)
    return state.tokens


def parse(body: str) -> list[Token]:
    """The tokens of a body as the site parses it, without resolving links or images (for
    checks that only look, such as the editorial lint)."""
    return _tokens(body, {"resolve": None, "resolve_image": None, "url": str})


def render(body: str, resolve: LinkResolver | None = None, *,
           resolve_image: PictureResolver | None = None, url: Callable[[str], str] = str,
           path: str = "", first_line: int = 1, summary_limit: int = 300,
           legacy: bool = False, embed_note: str = embeds.NOTE) -> RenderedBody:
    """Markdown -> safe HTML. Errors (broken relative links, images without alt text)
    name ``path`` and the file line; so do warnings (leftover syntax, removed HTML).
    ``url`` turns a site URL into an href (base path). A ``legacy`` article (an imported
    archive story) gets warnings instead of errors for what an archive cannot fix: alt
    text, raw images, links to files that are gone."""
    env: dict = {"resolve": resolve, "resolve_image": resolve_image, "url": url,
                 "legacy": legacy, "embed_note": embed_note}
    tokens = _tokens(body, env)
    deep = md_tokens.too_deep(tokens)
    if deep is not None:
        most = md_tokens.MARKDOWN_IT.options["maxNesting"] - 1
        env.setdefault("link_errors", []).append((deep, (
            f"quotes and lists are nested too deep here (more than {most} quotes, or "
            f"{most // 2} lists, one in another) for what the deepest holds to be shown: "
            "nest them less")))
    noted = leftovers(tokens)
    for token in tokens:
        if token.type == "html_block" and token.map:
            noted += [(token.map[0] + offset, message)
                      for offset, message in removed_html(token.content)]
        elif token.type == "inline" and token.map:
            noted += [(token.map[0], message) for child in token.children or []
                      if child.type == "html_inline"
                      for _, message in removed_html(child.content)]
    has_raw_html = any(token.type == "html_block" or (token.type == "inline" and any(
        child.type == "html_inline" for child in token.children or [])) for token in tokens)
    marker = ""
    if has_raw_html:
        # The ids our renderer makes carry a mark no writer can guess, so the cleaner can
        # tell them from ids written in raw HTML (which could take a footnote's or the
        # theme's id); the mark is taken out again after cleaning.
        marker = f"sg{secrets.token_hex(8)}"
        env["docId"] = marker
        for token in tokens:
            if token.type == "heading_open":
                token.attrSet("id", f"{marker}-{token.attrGet('id')}")
    html = _MD.renderer.render(tokens, _MD.options, env)

    summary = ""
    words = 0
    for index, token in enumerate(tokens):
        if token.type == "inline":
            children = token.children or []
            text = _plain_text(children)
            words += len(text.split())
            if not summary and index and tokens[index - 1].type == "paragraph_open" \
                    and tokens[index - 1].level == 0:
                summary = truncate_words(" ".join(text.split()), summary_limit)
    if has_raw_html:
        html = sanitize(html, marker)
    problems = [ContentError(message, path, first_line + line) for line, message in
                env.get("link_errors", [])]
    warnings = [ContentError(message, path, first_line + line)
                for line, message in sorted(set(noted))]
    if legacy:
        return RenderedBody(html=html, summary=summary, word_count=words,
                            warnings=warnings + problems)
    return RenderedBody(html=html, summary=summary, word_count=words, errors=problems,
                        warnings=warnings)


def resolve_relative(target: str, source_dir: str) -> tuple[str, str]:
    """Split ``target`` into (path joined onto ``source_dir``, "?query#fragment" suffix)."""
    path, sep, fragment = target.partition("#")
    path, qsep, query = path.partition("?")
    suffix = (qsep + query if qsep else "") + (sep + fragment if sep else "")
    joined = posixpath.normpath(posixpath.join(source_dir, unquote(path)))
    return joined, suffix
