"""Template syntax other generators leave in posts: Jekyll's Liquid and kramdown's attribute
lists, Hugo's shortcodes. What has a Markdown meaning becomes Markdown; what is left is
found (outside code) and reported with its line."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from sitegen.importers.convert import Log, attributes
from sitegen.importers.markup import embed, embed_line, image_line, link_line, social, split_credit

# A cross-reference (Jekyll post_url / link, Hugo ref / relref) -> the relative link to the
# imported article's .md file, or None when nothing imported answers to it.
Ref = Callable[[str], str | None]

_FENCE = re.compile(r"^([ \t]{0,3})(`{3,}|~{3,})[^\n]*\n.*?(?:^\1?[ \t]{0,3}\2[`~]*[ \t]*$|\Z)",
                    re.MULTILINE | re.DOTALL)


def outside_code(text: str, change: Callable[[str], str]) -> str:
    """Apply ``change`` to the text between fenced code blocks, never inside them."""
    out, last = [], 0
    for match in _FENCE.finditer(text):
        out.append(change(text[last:match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(change(text[last:]))
    return "".join(out)


# -- Jekyll -------------------------------------------------------------------------------------

_SITE_VAR = re.compile(r"\{\{-?\s*site\.(?:baseurl|url)\s*-?\}\}")
_URL_FILTER = re.compile(
    r"\{\{-?\s*([\"'])([^\"']*)\1\s*\|\s*(?:relative_url|absolute_url|"
    r"prepend:\s*site\.(?:baseurl|url))\s*-?\}\}")
_TAG = re.compile(r"\{%-?\s*(\w+)\s*(.*?)\s*-?%\}", re.DOTALL)
_HIGHLIGHT = re.compile(
    r"\{%-?\s*highlight\s+([\w+-]+)[^%]*%\}\n?(.*?)\{%-?\s*endhighlight\s*-?%\}", re.DOTALL)
_COMMENT = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}\n?", re.DOTALL)
_RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_IMAGE_PARAMS = ("image_path", "image", "src", "url", "file", "path", "img")
_VIDEO_INCLUDE = re.compile(r"youtube|vimeo|video", re.IGNORECASE)
_FIGURE_INCLUDE = re.compile(r"figure|image|img|photo|picture", re.IGNORECASE)


def jekyll_to_markdown(text: str, log: Log, ref: Ref, *, as_html: bool = False) -> str:
    """Liquid -> Markdown (or HTML, for a post written in HTML)."""
    text = _HIGHLIGHT.sub(lambda m: f"```{m.group(1)}\n{m.group(2).strip(chr(10))}\n```",
                          text)
    return outside_code(text, lambda part: _liquid(part, log, ref, as_html))


def _liquid(text: str, log: Log, ref: Ref, as_html: bool) -> str:
    count = len(_COMMENT.findall(text))
    if count:
        text = _COMMENT.sub("", text)
        log.did("Liquid comment removed", count)
    text, count = _URL_FILTER.subn(lambda m: m.group(2), text)
    text, more = _SITE_VAR.subn("", text)
    if count + more:
        log.did("site.baseurl / relative_url", count + more)
    text = _RAW.sub("", text)

    def tag(match: re.Match[str]) -> str:
        name, args = match.group(1), match.group(2)
        if name in ("post_url", "link"):
            target = args.strip().strip("\"'")
            found = ref(target)
            if found is None:
                return match.group(0)
            log.did(f"{name} link")
            return found
        if name in ("include", "include_relative"):
            return _include(args, log, as_html) or match.group(0)
        return match.group(0)

    text = _TAG.sub(tag, text)
    return kramdown_cleanup(text, log)


def _include(args: str, log: Log, as_html: bool) -> str | None:
    name, _, rest = args.strip().partition(" ")
    params = attributes(rest)
    if _VIDEO_INCLUDE.search(name) or params.get("provider"):
        video = params.get("id") or params.get("video_id") or params.get("url") or ""
        provider = (params.get("provider") or name).lower()
        url = video if "://" in video else (
            f"https://vimeo.com/{video}" if "vimeo" in provider else
            f"https://www.youtube.com/watch?v={video}")
        line = embed_line(url, params.get("title", "")) if video else None
        if line is None:
            return None
        log.did("video include")
        return _block(_html_embed(url, params.get("title", "")) if as_html else line)
    if _FIGURE_INCLUDE.search(name):
        src = next((params[key] for key in _IMAGE_PARAMS if params.get(key)), "")
        if not src or "{{" in src:
            return None
        caption, credit = split_credit(params.get("caption", ""))
        credit = params.get("credit") or params.get("attr") or credit
        log.did("figure include")
        if as_html:
            return _block(_html_figure(src, params.get("alt", ""), caption, credit))
        return _block(image_line(params.get("alt", ""), src, caption, credit))
    return None


def _block(text: str) -> str:
    return f"\n\n{text}\n\n"


def _html_figure(src: str, alt: str, caption: str, credit: str) -> str:
    text = " -- ".join(p for p in (caption, credit) if p)
    figcaption = f"<figcaption>{html.escape(text)}</figcaption>" if text else ""
    return (f'<figure><img src="{html.escape(src)}" alt="{html.escape(alt)}">{figcaption}'
            "</figure>")


def _html_embed(url: str, title: str) -> str:
    return (f'<sitegen-embed data-url="{html.escape(url)}" data-title="{html.escape(title)}">'
            "</sitegen-embed>")


_TOC = re.compile(r"^[ \t]*(?:[*+-]|1\.)[ \t]+.*\n[ \t]*\{:\s*toc\s*\}[ \t]*$\n?", re.MULTILINE)
_IAL_LINE = re.compile(r"^[ \t]*\{:(?!:)[^}\n]*\}[ \t]*\n", re.MULTILINE)
_IAL = re.compile(r"[ \t]*\{:(?!:)[^}\n]*\}")
_EXTENSION = re.compile(r"\{::comment\}.*?\{:/(?:comment)?\}|\{::\w+[^}\n]*/\}|"
                        r"\{::nomarkdown\}|\{:/(?:nomarkdown)?\}", re.DOTALL)


def kramdown_cleanup(text: str, log: Log) -> str:
    """kramdown's ``{: .class}`` attribute lists and ``{:toc}`` mean nothing to sitegen."""
    text, toc = _TOC.subn("", text)
    if toc:
        log.did("kramdown table of contents removed", toc)
    text, lines = _IAL_LINE.subn("", text)
    text, inline = _IAL.subn("", text)
    text, extensions = _EXTENSION.subn("", text)
    if lines + inline + extensions:
        log.did("kramdown attribute list removed", lines + inline + extensions)
    return text


# -- Hugo ---------------------------------------------------------------------------------------

_SHORTCODE = re.compile(r"\{\{([<%])-?\s*(/?)\s*([\w./-]+)(.*?)-?\s*[>%]\}\}", re.DOTALL)
_ARG = re.compile(r"""(?:([\w-]+)\s*=\s*)?(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|([^\s"`]+))""")
_PAIRED_HIGHLIGHT = re.compile(
    r"\{\{[<%]\s*highlight\s+([\w+-]+)[^}]*[>%]\}\}\n?(.*?)\{\{[<%]\s*/highlight\s*[>%]\}\}",
    re.DOTALL)


def shortcode_args(text: str) -> tuple[list[str], dict[str, str]]:
    positional: list[str] = []
    named: dict[str, str] = {}
    for match in _ARG.finditer(text):
        value = next((g for g in match.groups()[1:] if g is not None), "")
        value = value.replace('\\"', '"')
        if match.group(1):
            named[match.group(1).lower()] = value
        else:
            positional.append(value)
    return positional, named


def hugo_to_markdown(text: str, log: Log, ref: Ref, *, as_html: bool = False) -> str:
    text = _PAIRED_HIGHLIGHT.sub(
        lambda m: f"```{m.group(1)}\n{m.group(2).strip(chr(10))}\n```", text)
    return outside_code(text, lambda part: _shortcodes(part, log, ref, as_html))


def _shortcodes(text: str, log: Log, ref: Ref, as_html: bool) -> str:
    def replace(match: re.Match[str]) -> str:
        closing, name = match.group(2), match.group(3).lower()
        if closing:
            return match.group(0)
        positional, named = shortcode_args(match.group(4))
        first = positional[0] if positional else ""
        if name in ("ref", "relref"):
            found = ref(named.get("path") or first)
            if found is not None:
                log.did("ref link")
                return found
            return match.group(0)
        if name == "figure":
            src = named.get("src", "")
            if not src:
                return match.group(0)
            caption, credit = split_credit(named.get("caption") or named.get("title") or "")
            credit = named.get("attr") or credit
            log.did("figure shortcode")
            if as_html:
                return _block(_html_figure(src, named.get("alt", ""), caption, credit))
            return _block(image_line(named.get("alt", ""), src, caption, credit))
        if name in ("youtube", "vimeo"):
            video = named.get("id") or first
            if not video:
                return match.group(0)
            url = (f"https://www.youtube.com/watch?v={video}" if name == "youtube"
                   else f"https://vimeo.com/{video}")
            if embed(url) is None:
                return match.group(0)
            log.did(f"{name} shortcode")
            title = named.get("title", "")
            return _block(_html_embed(url, title) if as_html else embed_line(url, title) or "")
        if name in ("tweet", "x", "twitter"):
            user = named.get("user", "")
            post = named.get("id") or (positional[-1] if positional else "")
            if not post.isdigit():
                return match.group(0)
            url = (f"https://x.com/{user}/status/{post}" if user
                   else f"https://x.com/i/status/{post}")
            log.did("tweet shortcode")
            line = social(url) or link_line("Post on X", url)
            return _block(_html_embed(url, "") if as_html else line)
        if name == "instagram":
            post = named.get("id") or first
            if not re.fullmatch(r"[\w-]+", post):
                return match.group(0)
            log.did("instagram shortcode")
            url = f"https://www.instagram.com/p/{post}/"
            return _block(_html_embed(url, "") if as_html else link_line("Post on Instagram",
                                                                          url))
        return match.group(0)

    return _SHORTCODE.sub(replace, text)


# -- what is left -------------------------------------------------------------------------------

_MORE = re.compile(r"^[ \t]*<!--\s*more\s*-->[ \t]*\n?", re.MULTILINE | re.IGNORECASE)
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{\{|\{%")
_SHORTCODE_LEFT = re.compile(
    r"\[(/?)([a-z][\w-]*)((?:\s+[\w-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\]]+))?)*)\s*/?\]"
    r"(?![(\[:])")
_KNOWN_SHORTCODES = {
    "gallery", "caption", "embed", "audio", "video", "playlist", "contact-form", "contact-form-7",
    "wpforms", "ninja_form", "gravityform", "toc", "su_button", "youtube", "vimeo", "soundcloud",
    "googlemaps", "pdf-embedder", "et_pb_section",
}
_UNPUBLISHED_HTML = re.compile(r"<(script|iframe|video|audio|object|embed|form|input|button|"
                               r"select|textarea|canvas|svg|style)\b", re.IGNORECASE)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)


def drop_more(text: str) -> str:
    """``<!--more-->``, the old summary divider (sitegen takes the first paragraph)."""
    return _MORE.sub("", text)


def leftovers(body: str) -> list[tuple[int, str]]:
    """(line within ``body``, counting from 0, the syntax) of everything that still looks like
    a template, a shortcode, or raw HTML that sitegen does not publish; code is skipped."""
    found: list[tuple[int, str]] = []
    masked = list(body)
    for match in _FENCE.finditer(body):
        for index in range(match.start(), match.end()):
            if masked[index] != "\n":
                masked[index] = " "
    text = "".join(masked)
    text = _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    closers = {m.group(2) for m in _SHORTCODE_LEFT.finditer(text) if m.group(1)}
    for match in _TEMPLATE.finditer(text):
        found.append((text.count("\n", 0, match.start()), match.group(0)))
    for match in _SHORTCODE_LEFT.finditer(text):
        closing, name, attrs = match.groups()
        if closing or "=" in attrs or name in closers or name in _KNOWN_SHORTCODES:
            found.append((text.count("\n", 0, match.start()), match.group(0)))
    for match in _UNPUBLISHED_HTML.finditer(text):
        found.append((text.count("\n", 0, match.start()), f"<{match.group(1)}>"))
    return sorted(found)
