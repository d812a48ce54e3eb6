"""A body's Markdown as markdown-it-py's tokens, parsed by markdown-it.rs
(``markdown_it_pyrs``) for speed: it builds the tree about ten times faster than
markdown-it-py's own block and inline rules. Everything after parsing (sitegen's rules for
headings, links, photos and embeds, the HTML, the editorial lint) works on the tokens
markdown-it-py makes for the same text, and the two give the same ones (tested).

markdown-it-py (``MARKDOWN_IT``, configured once, here) still parses the bodies the Rust
parser is not safe with: it recurses once per level of nesting with no limit of its own,
slows down with the square of some inputs (emphasis nested thousands deep), and panics on
notes written inside notes and on a stray backtick in a link's text. So a body with more
than ``_RUST_OPENERS`` characters that can open a level, with a note written in place
(``^[...]``), with brackets and backticks (but a fence's), or with a note defined twice or
cited by a note, a body nested deeper than ``_RUST_NESTING`` levels (markdown-it-py drops
what lies past its limit, and must be the one to do so), a body whose tree holds a kind of
node this module does not know, and a body the Rust parser fails on are parsed by
markdown-it-py. Ordinary stories never get there."""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from typing import Any
from urllib.parse import unquote

import markdown_it_pyrs
from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink, normalizeLinkText
from markdown_it.common.utils import normalizeReference
from markdown_it.rules_core import StateCore, replace, smartquotes, text_join
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

# The site's Markdown: CommonMark with tables, strikethrough, the typographer (quotes,
# dashes), raw HTML (cleaned later) and footnotes. Rendering uses it too (markdown.py).
MARKDOWN_IT = MarkdownIt("commonmark", {"html": True, "typographer": True}).enable(
    ["table", "strikethrough", "replacements", "smartquotes"]).use(footnote_plugin)
# Levels (a list counts two, as in markdown-it-py, which stops at maxNesting, 20) past
# which markdown-it-py parses the body: well before it would stop, so that its stopping
# is the same for every body.
_RUST_NESTING = MARKDOWN_IT.options["maxNesting"] // 2
# Its typographer is not used: its quotes pair across paragraphs. markdown-it-py's rules
# run on the tokens instead (``parse``).
_RUST = markdown_it_pyrs.MarkdownIt("commonmark").enable_many(
    ["table", "strikethrough", "footnote", "html_block", "html_inline"])
# What markdown-it-py's replacements rule looks for: (c), (tm), (r), +-, .., ,, -- ...
_REPLACED = re.compile(r"(?i)\((?:c|tm|r)\)|\+-|\.\.|\?\?\?\?|!!!!|,,|--")
# Characters that can open a level (quote, list markers, emphasis, links, notes): a body
# nests at most as deep as it has them. With at most this many, markdown-it.rs needs at
# most ~0.5 MiB of stack (measured: ~220 bytes a level) and its slowest inputs take ~0.1 s.
_OPENERS = (">", "-", "+", "*", "_", "~", "[", ".", ")")
_RUST_OPENERS = 2_000
_FENCE_LINE = re.compile(r"^ {0,3}`{3,}[^`\n]*$", re.MULTILINE)  # opens or closes a fence
# A footnote's definition (its label; the lint uses it too), one citing a note on its
# first line, and what may cite one
NOTE_DEFINED = re.compile(r"^ {0,3}\[\^([^\]\n]+)\]:", re.MULTILINE)
_NOTE_IN_NOTE = re.compile(r"^ {0,3}\[\^[^\]\n]+\]:[^\n]*\[\^", re.MULTILINE)
_NOTE_USED = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_NEWLINES = re.compile(r"\r\n?")
# A URL's scheme and host, as markdown-it-py's normalizeLink reads them
_HOST = re.compile(r"(?i)(mailto:|[a-z][a-z0-9+.-]*://)([^/?#]*)")
# non-ASCII letters and an IPv6 address's brackets, encoded
_ENCODED_HOST = re.compile(r"(?:%[89A-Fa-f][0-9A-Fa-f])+|%5[BDbd]")
# Whitespace other than a space, percent-encoded, at either end of a URL
_SPACE = (r"(?:%0[9A-Da-d]|%1[C-Fc-f]|%[Cc]2%(?:85|[Aa]0)|%[Ee]1%9[Aa]%80|%[Ee]2%80%(?:8[0-9Aa]"
          r"|[Aa][89Ff])|%[Ee]2%81%9[Ff]|%[Ee]3%80%80)+")
_ENCODED_SPACE_AT_ENDS = re.compile(rf"^{_SPACE}|{_SPACE}$")

# What the Rust parser calls inline content: it becomes an inline token's children.
_INLINE = frozenset({"text", "text_special", "softbreak", "hardbreak", "em", "strong",
                     "strikethrough", "link", "autolink", "image", "code_inline",
                     "html_inline", "footnote_ref", "footnote_ref_anchor"})


def _rust_can(src: str) -> bool:
    """Whether markdown-it.rs may parse ``src``: not too many openers; no note written in
    place and, beside a bracket, no backtick but in a fence's marker lines (it panics on
    ``^[`` nested and on ``[`x``); no note defined twice (it keeps the first,
    markdown-it-py the last) or citing a note (it numbers the citations in another
    order)."""
    if "^[" in src or sum(map(src.count, _OPENERS)) > _RUST_OPENERS:
        return False
    if "`" in src and "[" in src and src.count("`") != sum(
            line.count("`") for line in _FENCE_LINE.findall(src)):
        return False
    if "[^" not in src:
        return True
    labels = NOTE_DEFINED.findall(src)
    return len(labels) == len({normalizeReference(label) for label in labels}) \
        and not _NOTE_IN_NOTE.search(src)


def _cited(src: str) -> int:
    """How many times ``src`` seems to cite a note it defines (more than it does when a
    citation is in code: then markdown-it-py parses it, as it may)."""
    defined = {normalizeReference(label) for label in NOTE_DEFINED.findall(src)}
    return sum(normalizeReference(label) in defined for label in _NOTE_USED.findall(src))


# Openers whose content is inline text: markdown-it-py's nesting limit never drops it.
_INLINE_HOLDERS = frozenset({"paragraph_open", "heading_open", "table_open", "thead_open",
                             "tbody_open", "tr_open", "th_open", "td_open"})


def too_deep(tokens: list[Token]) -> int | None:
    """The line (from 0) of the first quote, list item or note nested so deep that
    markdown-it-py, at its limit, left out what it holds (silently: the text would be lost),
    or None. Only bodies nested past ``_RUST_NESTING`` go to it, so only they can be."""
    limit = MARKDOWN_IT.options["maxNesting"] - 1
    for token in tokens:
        if token.nesting == 1 and token.level >= limit and token.type not in _INLINE_HOLDERS:
            return token.map[0] if token.map else 0
    return None


class _NotForRust(Exception):
    """A tree not to turn into tokens: nested past ``_RUST_NESTING``, or holding a kind of
    node this module was not written for (a newer markdown-it.rs). markdown-it-py parses
    the body instead."""


def parse(src: str, env: dict[str, Any]) -> list[Token]:
    """The block tokens of ``src`` (inline tokens hold their children), as ``MARKDOWN_IT``
    gives them; link reference definitions go into ``env["references"]``."""
    src = _NEWLINES.sub("\n", src).replace("\0", "\ufffd")
    if _rust_can(src):
        tried = dict(env)
        converter = _Converter(src, tried)
        try:
            tokens = converter.tokens()
        except _NotForRust:
            pass
        except BaseException as exc:
            if type(exc).__name__ != "PanicException":  # the Rust parser's own failure
                raise
        else:
            # It drops a note that only notes cite: then fewer uses came out than written
            if "[^" in src and converter.uses < _cited(src):
                return MARKDOWN_IT.parse(src, env)
            env.update(tried)
            state = StateCore(src, MARKDOWN_IT, env, tokens)
            # each only where it has something to do (they look at every token)
            if _REPLACED.search(src):
                replace(state)
            if "'" in src or '"' in src:
                smartquotes(state)
            if converter.special:
                text_join(state)
            return state.tokens
    return MARKDOWN_IT.parse(src, env)


_NEW_TOKEN = Token.__new__


def _fast_token(type: str, tag: str, nesting: int, *, attrs: dict[str, Any] | None = None,
                map: list[int] | None = None, level: int = 0, children: list[Token] | None = None,
                content: str = "", markup: str = "", info: str = "",
                meta: dict[Any, Any] | None = None, block: bool = False,
                hidden: bool = False) -> Token:
    """``Token(...)`` made without the dataclass's ``__init__`` and ``__post_init__`` (a
    body makes hundreds of tokens: that was a seventh of its Markdown's time). Every field
    is set, as ``__init__`` sets them; a markdown-it-py whose tokens have other fields
    gets ``Token`` itself (see ``_token``)."""
    token = _NEW_TOKEN(Token)
    token.type = type
    token.tag = tag
    token.nesting = nesting
    token.attrs = {} if attrs is None else attrs
    token.map = map
    token.level = level
    token.children = children
    token.content = content
    token.markup = markup
    token.info = info
    token.meta = {} if meta is None else meta
    token.block = block
    token.hidden = hidden
    return token


_TOKEN_FIELDS = ("type", "tag", "nesting", "attrs", "map", "level", "children", "content",
                 "markup", "info", "meta", "block", "hidden")
_token = (_fast_token if tuple(field.name for field in dataclasses.fields(Token)) == _TOKEN_FIELDS
          else Token)


class _Converter:
    """One body's tree, turned into tokens. Lines come from the tree's byte offsets."""

    def __init__(self, src: str, env: dict[str, Any]) -> None:
        self.env = env
        self.data = data = src.encode("utf-8")
        starts = [0]
        at = data.find(b"\n")
        while at >= 0:
            starts.append(at + 1)
            at = data.find(b"\n", at + 1)
        self.starts = starts
        self.src = src
        # the Rust parser's note id -> [our id, uses, label] (never a note written in place,
        # ^[...]: markdown-it-py parses those bodies)
        self.notes: dict[int, list[Any]] = {}
        self.order: list[int] = []  # note ids in the order of their first use
        self.uses = 0  # notes cited
        self.special = False  # whether an entity or escape was met (see text_join)

    def tokens(self) -> list[Token]:
        out: list[Token] = []
        container = None
        for node in _RUST.tree(self.src).children:
            if node.name == "footnote_container":
                container = node
            else:
                self.block(node, out, 0, 0)
        if container is not None:
            self.footnotes(container, out)
        return out

    # Positions

    def line(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def map(self, srcmap: tuple[int, int] | None) -> list[int] | None:
        if srcmap is None:
            return None
        start, end = srcmap
        return [self.line(start), self.line(max(start, end - 1)) + 1]

    def text(self, srcmap: tuple[int, int] | None) -> str:
        return self.data[srcmap[0]:srcmap[1]].decode("utf-8") if srcmap else ""

    def lines(self, content: str, srcmap: tuple[int, int] | None) -> str:
        """Raw HTML's or an unclosed fence's lines: with no newline after the last if the
        body ends with it, without one (markdown-it.rs adds it)."""
        data = self.data
        if srcmap and srcmap[1] == len(data) and content.endswith("\n") \
                and not data.endswith(b"\n") and data.endswith(content[:-1].encode("utf-8")):
            return content[:-1]
        return content

    def deeper(self, depth: int, levels: int = 1) -> int:
        if depth + levels > _RUST_NESTING:
            raise _NotForRust
        return depth + levels

    # Blocks

    def block(self, node: Any, out: list[Token], level: int, depth: int) -> None:
        name = node.name
        if name == "paragraph":
            srcmap = node.srcmap
            self.paragraph(node.children, srcmap, out, level, depth, hidden=False)
        elif name == "heading" or name == "lheading":
            self.heading(node, name, out, level, depth)
        elif name == "bullet_list" or name == "ordered_list":
            self.list(node, name, out, level, depth)
        elif name == "blockquote":
            srcmap = node.srcmap
            depth = self.deeper(depth)
            out.append(_token("blockquote_open", "blockquote", 1, map=self.map(srcmap),
                              level=level, markup=">", block=True))
            for child in node.children:
                self.block(child, out, level + 1, depth)
            out.append(_token("blockquote_close", "blockquote", -1, level=level, markup=">",
                              block=True))
        elif name == "fence":
            meta, srcmap = node.meta, node.srcmap
            out.append(_token("fence", "code", 0, map=self.map(srcmap), level=level,
                              content=self.lines(meta["content"], srcmap),
                              info=meta.get("info", ""),
                              markup=meta["marker"] * meta["marker_len"], block=True))
        elif name == "code_block":
            out.append(_token("code_block", "code", 0, map=self.map(node.srcmap), level=level,
                              content=node.meta["content"], block=True))
        elif name == "html_block":
            srcmap = node.srcmap
            out.append(_token("html_block", "", 0, map=self.map(srcmap), level=level,
                              content=self.lines(node.meta["content"], srcmap),
                              block=True))
        elif name == "hr":
            meta = node.meta
            out.append(_token("hr", "hr", 0, map=self.map(node.srcmap), level=level,
                              markup=meta["marker"] * meta["marker_len"], block=True))
        elif name == "table":
            self.table(node, out, level, depth)
        elif name == "definition":
            meta = node.meta
            references = self.env.setdefault("references", {})
            references.setdefault(normalizeReference(meta["label"]), {
                "title": meta.get("title", ""), "href": _href(meta["destination"]),
                "map": self.map(node.srcmap)})
        elif name != "footnote_ref_anchor":  # (an empty note's; see ``footnotes``)
            raise _NotForRust(name)  # never guess

    def paragraph(self, children: list[Any], srcmap: tuple[int, int] | None,
                  out: list[Token], level: int, depth: int, *, hidden: bool) -> None:
        where = self.map(srcmap)
        out.append(_token("paragraph_open", "p", 1, map=where, level=level, block=True,
                          hidden=hidden))
        out.append(self.inline(children, where, level + 1, self.text(srcmap).strip(), depth))
        out.append(_token("paragraph_close", "p", -1, level=level, block=True, hidden=hidden))

    def heading(self, node: Any, name: str, out: list[Token], level: int,
                depth: int) -> None:
        meta = node.meta
        tag = f"h{meta['level']}"
        markup = meta["marker"] if name == "lheading" else "#" * meta["level"]
        srcmap = node.srcmap
        where = self.map(srcmap)
        out.append(_token("heading_open", tag, 1, map=where, level=level, markup=markup,
                          block=True))
        children = node.children
        text_map = where if name == "heading" or where is None else [where[0], where[1] - 1]
        out.append(self.inline(children, text_map, level + 1, self.content(children), depth))
        out.append(_token("heading_close", tag, -1, level=level, markup=markup, block=True))

    def list(self, node: Any, name: str, out: list[Token], level: int, depth: int) -> None:
        meta = node.meta
        marker = meta["marker"]
        ordered = name == "ordered_list"
        tag = "ol" if ordered else "ul"
        start = meta.get("start", 1) if ordered else 1
        attrs = {"start": start} if ordered and start != 1 else {}
        srcmap = node.srcmap
        depth = self.deeper(depth, 2)  # the list and its item
        # A tight list's items hold their text without paragraphs; markdown-it-py gives
        # them hidden ones.
        out.append(_token(f"{name}_open", tag, 1, attrs=attrs, map=self.map(srcmap),
                          level=level, markup=marker, block=True))
        for number, item in enumerate(node.children, start):
            out.append(_token("list_item_open", "li", 1, map=self.map(item.srcmap),
                              level=level + 1, markup=marker,
                              info=str(number) if ordered else "", block=True))
            run: list[Any] = []
            for child in item.children:
                if child.name in _INLINE:
                    run.append(child)
                    continue
                if run:
                    self.paragraph(run, _span(run), out, level + 2, depth, hidden=True)
                    run = []
                self.block(child, out, level + 2, depth)
            if run:
                self.paragraph(run, _span(run), out, level + 2, depth, hidden=True)
            out.append(_token("list_item_close", "li", -1, level=level + 1, markup=marker,
                              block=True))
        out.append(_token(f"{name}_close", tag, -1, level=level, markup=marker, block=True))

    def table(self, node: Any, out: list[Token], level: int, depth: int) -> None:
        alignments = node.meta.get("alignments", [])
        styles = [{"style": f"text-align:{a}"} if a in ("left", "right", "center") else {}
                  for a in alignments]
        out.append(_token("table_open", "table", 1, map=self.map(node.srcmap), level=level,
                          block=True))
        for part in node.children:
            section = part.name  # thead, tbody
            cell = "th" if section == "thead" else "td"
            out.append(_token(f"{section}_open", section, 1, map=self.map(part.srcmap),
                              level=level + 1, block=True))
            for row in part.children:
                where = self.map(row.srcmap)
                out.append(_token("tr_open", "tr", 1, map=where, level=level + 2, block=True))
                for column, tcell in enumerate(row.children):
                    attrs = dict(styles[column]) if column < len(styles) else {}
                    out.append(_token(f"{cell}_open", cell, 1, attrs=attrs, level=level + 3,
                                      block=True))
                    children = tcell.children
                    out.append(self.inline(children, where, level + 4, self.content(children),
                                           depth))
                    out.append(_token(f"{cell}_close", cell, -1, level=level + 3, block=True))
                out.append(_token("tr_close", "tr", -1, level=level + 2, block=True))
            out.append(_token(f"{section}_close", section, -1, level=level + 1, block=True))
        out.append(_token("table_close", "table", -1, level=level, block=True))

    def footnotes(self, container: Any, out: list[Token]) -> None:
        """The notes, in the order of their first use, after the text (as mdit-py-plugins'
        footnote rule gives them). A note cited only inside another note (on a line after
        its first) follows it."""
        defined = {note.meta["def_id"]: note for note in container.children}
        bodies: dict[int, list[Token]] = {}
        done = 0
        while done < len(self.order):  # a note's own references may add notes
            note_id = self.order[done]
            done += 1
            tokens: list[Token] = []
            note = defined.get(note_id)
            for child in note.children if note is not None else ():
                self.block(child, tokens, 1, 1)
            bodies[note_id] = tokens
        if not self.order:
            return
        out.append(_token("footnote_block_open", "", 1))
        for note_id in self.order:
            number, uses, label = self.notes[note_id]
            out.append(_token("footnote_open", "", 1, meta={"id": number, "label": label}))
            tokens = bodies[note_id]
            last = tokens.pop() if tokens and tokens[-1].type == "paragraph_close" else None
            out.extend(tokens)
            out.extend(_token("footnote_anchor", "", 0,
                              meta={"id": number, "subId": use, "label": label})
                       for use in range(max(uses, 1)))
            if last is not None:
                out.append(last)
            out.append(_token("footnote_close", "", -1))
        out.append(_token("footnote_block_close", "", -1))

    # Inline content

    def content(self, children: list[Any]) -> str:
        return self.text(_span(children)).strip()

    def inline(self, children: list[Any], where: list[int] | None, level: int, content: str,
               depth: int) -> Token:
        tokens: list[Token] = []
        self.inlines(children, tokens, 0, depth)
        return _token("inline", "", 0, map=where, level=level, content=content,
                      children=tokens, block=True)

    def inlines(self, nodes: list[Any], out: list[Token], level: int, depth: int) -> None:
        for node in nodes:
            name = node.name
            if name == "text":  # one token for a run of text, as markdown-it-py makes
                content = node.meta["content"]
                if out and out[-1].type == "text":
                    out[-1].content += content
                else:
                    out.append(_token("text", "", 0, level=level, content=content))
            elif name == "text_special":  # an entity or escape: no typographer there
                self.special = True
                meta = node.meta
                out.append(_token("text_special", "", 0, level=level, content=meta["content"],
                                  markup=meta.get("markup", ""), info=meta.get("info", "")))
            elif name == "softbreak" or name == "hardbreak":
                out.append(_token(name, "br", 0, level=level))
            elif name == "em" or name == "strong" or name == "strikethrough":
                marker = node.meta["marker"]
                tag = "s" if name == "strikethrough" else name
                markup = marker if name == "em" else marker * 2
                inner = self.deeper(depth)
                out.append(_token(f"{tag}_open", tag, 1, level=level, markup=markup))
                self.inlines(node.children, out, level + 1, inner)
                out.append(_token(f"{tag}_close", tag, -1, level=level, markup=markup))
            elif name == "link":
                meta = node.meta
                attrs = {"href": _href(meta["url"])}
                if "title" in meta:
                    attrs["title"] = meta["title"]
                inner = self.deeper(depth)
                out.append(_token("link_open", "a", 1, attrs=attrs, level=level))
                self.inlines(node.children, out, level + 1, inner)
                out.append(_token("link_close", "a", -1, level=level))
            elif name == "autolink":
                written = "".join(child.meta["content"] for child in node.children)
                url = node.meta["url"]
                if url[:7].lower() == "mailto:" and written[:7].lower() != "mailto:":
                    written_url = "mailto:" + written  # an e-mail address
                else:
                    written_url = written
                out.append(_token("link_open", "a", 1, level=level, markup="autolink",
                                  info="auto", attrs={"href": normalizeLink(written_url)}))
                out.append(_token("text", "", 0, level=level + 1,
                                  content=normalizeLinkText(written)))
                out.append(_token("link_close", "a", -1, level=level, markup="autolink",
                                  info="auto"))
            elif name == "image":
                meta = node.meta
                attrs = {"src": _href(meta["url"]), "alt": ""}
                if "title" in meta:
                    attrs["title"] = meta["title"]
                written = node.children
                children: list[Token] = []
                self.inlines(written, children, 0, self.deeper(depth))
                out.append(_token("image", "img", 0, attrs=attrs, level=level,
                                  children=children, content=self.text(_span(written))))
            elif name == "code_inline":
                out.append(_token("code_inline", "code", 0, level=level,
                                  markup="`" * node.meta["marker_len"], content="".join(
                                     child.meta["content"] for child in node.children)))
            elif name == "html_inline":
                out.append(_token("html_inline", "", 0, level=level,
                                  content=node.meta["content"]))
            elif name == "footnote_ref":
                out.append(self.note_use(node.meta, level))
            elif name != "footnote_ref_anchor":  # anchors: placed by ``footnotes``
                raise _NotForRust(name)  # never guess

    def note_use(self, meta: dict[str, Any], level: int) -> Token:
        note_id = meta["def_id"]
        note = self.notes.get(note_id)
        if note is None:
            note = self.notes[note_id] = [len(self.notes), 0, meta.get("label")]
            self.order.append(note_id)
        note[1] += 1
        self.uses += 1
        return _token("footnote_ref", "", 0, level=level,
                      meta={"id": note[0], "subId": note[1] - 1, "label": note[2]})


def _href(url: str) -> str:
    """A link's URL as markdown-it-py's normalizeLink makes it. markdown-it.rs encodes what
    it must, but leaves a host's non-ASCII letters percent-encoded, not in punycode, and an
    IPv6 address's brackets encoded: they are decoded, and the URL normalized again. It
    also keeps whitespace written at either end of the destination (an ideographic space
    after a link typed in Korean), which markdown-it-py drops. Most URLs have nothing to
    decode."""
    if "%" not in url:
        return url
    url = _ENCODED_SPACE_AT_ENDS.sub("", url)
    host = _HOST.match(url)
    if host is None or "%" not in host[2]:
        return url
    name = _ENCODED_HOST.sub(lambda letters: unquote(letters[0]), host[2])
    return normalizeLink(host[1] + name + url[host.end():])


def _span(nodes: list[Any]) -> tuple[int, int] | None:
    """The source bytes from the first node to the last that have a place."""
    places = [place for place in (node.srcmap for node in nodes) if place is not None]
    return (places[0][0], places[-1][1]) if places else None
