"""Bodies of other systems -> sitegen Markdown: HTML (WordPress, Jekyll's .html posts, raw HTML
left in Markdown) through markdownify, and WordPress's shortcodes and paragraphs. Figures,
galleries and embeds come out as sitegen writes them (see ``markup``)."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from markdownify import MarkdownConverter

from sitegen.importers.markup import embed, embed_line, image_line, link_line, social, split_credit


@dataclass
class Media:
    """A WordPress attachment: the file behind an image id, and its descriptions."""

    id: int
    url: str
    title: str = ""
    alt: str = ""
    caption: str = ""
    credit: str = ""
    file: str = ""  # the path under wp-content/uploads/ (``_wp_attached_file``)
    parent: int = 0
    order: int = 0


@dataclass
class Log:
    """What the conversion of one body did, and what a person must look at. A fix names a
    piece of the written text (its ``needle``) so the report can give its line."""

    converted: Counter[str] = field(default_factory=Counter)
    fixes: list[tuple[str, str, bool]] = field(default_factory=list)  # needle, message, front

    def did(self, what: str, count: int = 1) -> None:
        self.converted[what] += count

    def fix(self, needle: str, message: str, *, front: bool = False) -> None:
        """``front``: the needle is in the front matter, else in the body."""
        self.fixes.append((needle, message, front))


# -- HTML -> Markdown -------------------------------------------------------------------------

_IMAGE_LINK = re.compile(r"\.(jpe?g|png|gif|webp|heic|avif|tiff?)(\?.*)?$|[?&]attachment_id=|"
                         r"/attachment/", re.IGNORECASE)


class _Converter(MarkdownConverter):
    def __init__(self, log: Log, media: Mapping[int, Media]) -> None:
        super().__init__(heading_style="atx", bullets="-", newline_style="backslash",
                         escape_misc=False)
        self.log = log
        self.media = media

    # images and figures
    def _media_of(self, image: Any) -> Media | None:
        for name in image.get("class") or []:
            match = re.fullmatch(r"wp-image-(\d+)", name)
            if match:
                return self.media.get(int(match.group(1)))
        return None

    def _image(self, image: Any, caption: str = "") -> str:
        media = self._media_of(image)
        alt = " ".join(str(image.get("alt") or "").split()) or (media.alt if media else "")
        credit = media.credit if media else ""
        text, found_credit = split_credit(caption)
        return image_line(alt, str(image.get("src") or ""), text, credit or found_credit)

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if "_inline" in parent_tags:
            return " ".join(str(el.get("alt") or "").split())
        return self._image(el)

    def convert_figure(self, el: Any, text: str, parent_tags: set[str]) -> str:
        classes = " ".join(el.get("class") or [])
        if "wp-block-embed" in classes:
            url = el.get_text(" ", strip=True).split(" ")[0]
            line = embed_line(url) if url else None
            if line:
                self.log.did("embed block")
                return f"\n\n{line}\n\n"
        images = el.find_all("img")
        if not images:
            return super().convert_div(el, text, parent_tags)
        lines = []
        for image in images:
            holder = image.find_parent("figure")
            caption = holder.find("figcaption", recursive=False) if holder else None
            lines.append(self._image(image, caption.get_text(" ", strip=True) if caption
                                     else ""))
        if not el.get("data-shortcode"):
            self.log.did("gallery" if len(lines) > 1 else "figure")
        return "\n\n" + "\n".join(lines) + "\n\n"

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        children = [c for c in el.children if getattr(c, "name", None) or str(c).strip()]
        href = str(el.get("href") or "")
        if len(children) == 1 and getattr(children[0], "name", None) == "img" and (
                not href or _IMAGE_LINK.search(href)):
            return text  # a photo linked to its own bigger copy: the photo alone
        return super().convert_a(el, text, parent_tags)

    # embeds
    def convert_iframe(self, el: Any, text: str, parent_tags: set[str]) -> str:
        src = str(el.get("src") or el.get("data-src") or "")
        title = str(el.get("title") or "")
        line = embed_line(src, title) if src else None
        if line:
            self.log.did(f"{(embed(src) or ('', 'post'))[1].lower()} embed")
            return f"\n\n{line}\n\n"
        if not src:
            return ""
        host = urlsplit(src).hostname or "another site"
        line = link_line(title or f"Embedded content from {host}", src)
        self.log.fix(line, f"an embed from {host} became a plain link: check it")
        return f"\n\n{line}\n\n"

    def convert_blockquote(self, el: Any, text: str, parent_tags: set[str]) -> str:
        classes = " ".join(el.get("class") or [])
        if any(name in classes for name in ("twitter-tweet", "instagram-media", "tiktok-embed")):
            urls = [str(el.get("data-instgrm-permalink") or el.get("cite") or "")]
            urls += [str(a.get("href") or "") for a in reversed(el.find_all("a"))]
            for url in urls:
                line = social(url, el.get_text(" ", strip=True)) if url else None
                if line:
                    self.log.did("social media post")
                    return f"\n\n{line}\n\n"
        return super().convert_blockquote(el, text, parent_tags)

    def convert_video(self, el: Any, text: str, parent_tags: set[str]) -> str:
        src = str(el.get("src") or "")
        if not src and el.find("source"):
            src = str(el.find("source").get("src") or "")
        if not src:
            return text
        line = link_line("Video", src)
        self.log.fix(line, "a video file became a plain link: upload it to a video site, or "
                           "link to it")
        return f"\n\n{line}\n\n"

    def convert_audio(self, el: Any, text: str, parent_tags: set[str]) -> str:
        src = str(el.get("src") or "")
        if not src and el.find("source"):
            src = str(el.find("source").get("src") or "")
        return f"\n\n{link_line('Audio', src)}\n\n" if src else text

    def convert_noscript(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return ""

    # the elements the shortcode pass below leaves
    def convert_sitegen_embed(self, el: Any, text: str, parent_tags: set[str]) -> str:
        url, title = str(el.get("data-url") or ""), str(el.get("data-title") or "")
        line = embed_line(url, title)
        if line is None:
            line = link_line(title or url, url)
            self.log.fix(line, f"{url} is not something sitegen embeds: it became a link")
        else:
            self.log.did(f"{(embed(url) or ('', 'post'))[1].lower()} embed")
        return f"\n\n{line}\n\n"

    def convert_sitegen_gallery(self, el: Any, text: str, parent_tags: set[str]) -> str:
        ids = [int(i) for i in re.findall(r"\d+", str(el.get("data-ids") or ""))]
        parent = int(el.get("data-parent") or 0)
        if not ids:  # [gallery] alone: every image attached to the post
            ids = [m.id for m in sorted(self.media.values(), key=lambda m: (m.order, m.id))
                   if m.parent == parent and parent]
        lines = []
        for media_id in ids:
            media = self.media.get(media_id)
            if media is None:
                self.log.fix("[gallery", f"the gallery names image {media_id}, which is not "
                                         "in the export")
                continue
            caption, credit = split_credit(media.caption)
            lines.append(image_line(media.alt, media.url, caption, media.credit or credit))
        self.log.did("gallery")
        return "\n\n" + "\n".join(lines) + "\n\n" if lines else ""


def html_to_markdown(source: str, log: Log, media: Mapping[int, Media] | None = None) -> str:
    try:
        text = _Converter(log, media or {}).convert(source)
    except RecursionError:
        log.fix("", "the HTML of this post is nested too deeply to convert: it was kept as it "
                    "was; rewrite it as Markdown")
        return source
    return tidy(text)


def tidy(text: str) -> str:
    """No-break spaces, trailing spaces and runs of blank lines out; one newline at the end."""
    text = text.replace("\u00a0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return text + "\n" if text else ""


# -- WordPress --------------------------------------------------------------------------------

_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s\]]+))""")
_CAPTION = re.compile(r"\[(caption|wp_caption)\b([^\]]*)\](.*?)\[/\1\]", re.DOTALL | re.I)
_IMG_IN = re.compile(r"(<a\b[^>]*>\s*)?<img\b[^>]*>(\s*</a>)?", re.IGNORECASE)
_GALLERY = re.compile(r"\[gallery\b([^\]]*)\]", re.IGNORECASE)
_EMBED = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.DOTALL | re.IGNORECASE)
_VIDEO_CODE = re.compile(r"\[(youtube|vimeo)[\s=]+([^\]\s]+)[^\]]*\]", re.IGNORECASE)
_BARE_URL = re.compile(r"^[ \t]*(https?://\S+)[ \t]*$", re.MULTILINE)
_BLOCKS = (r"p|div|h[1-6]|ul|ol|li|dl|dt|dd|blockquote|figure|figcaption|table|thead|tbody|tr|"
           r"td|th|pre|iframe|section|article|aside|header|footer|form|address|center|video|"
           r"audio|script|style|noscript|sitegen-embed|sitegen-gallery")
_BLOCK_START = re.compile(rf"^\s*(</?({_BLOCKS}|hr)\b|<!--)", re.IGNORECASE)
_OPEN_BLOCK = re.compile(rf"<({_BLOCKS})\b(?![^>]*/>)", re.IGNORECASE)
_CLOSE_BLOCK = re.compile(rf"</({_BLOCKS})\s*>", re.IGNORECASE)


def attributes(text: str) -> dict[str, str]:
    return {m.group(1).lower(): html.unescape(next(g for g in m.groups()[1:] if g is not None))
            for m in _ATTRIBUTE.finditer(text)}


def wordpress_to_markdown(content: str, log: Log, media: Mapping[int, Media],
                          post_id: int = 0) -> str:
    """``content:encoded`` -> Markdown: shortcodes first, then WordPress's own paragraphs
    (it stores text without <p>, adding them as it shows a post), then markdownify."""
    content = content.replace("\r\n", "\n").replace("\r", "\n")

    def caption(match: re.Match[str]) -> str:
        inner, attrs = match.group(3), attributes(match.group(2))
        found = _IMG_IN.search(inner)
        if not found:
            return inner
        text = (inner[:found.start()] + inner[found.end():]).strip() or attrs.get("caption", "")
        log.did("caption")
        return (f'\n\n<figure data-shortcode="caption">{found.group(0)}<figcaption>{text}'
                "</figcaption></figure>\n\n")

    def gallery(match: re.Match[str]) -> str:
        ids = attributes(match.group(1)).get("ids", "")
        return (f'\n\n<sitegen-gallery data-ids="{html.escape(ids)}" data-parent="{post_id}">'
                "</sitegen-gallery>\n\n")

    def embedded(url: str, title: str = "") -> str:
        return (f'\n\n<sitegen-embed data-url="{html.escape(url.strip())}" '
                f'data-title="{html.escape(title)}"></sitegen-embed>\n\n')

    content = _CAPTION.sub(caption, content)
    content = _GALLERY.sub(gallery, content)
    content = _EMBED.sub(lambda m: embedded(m.group(1)), content)
    content = _VIDEO_CODE.sub(lambda m: embedded(m.group(2)), content)
    # WordPress turns a link alone on its line into the embed of what it links to.
    content = _BARE_URL.sub(lambda m: embedded(m.group(1)) if embed_line(m.group(1))
                            else m.group(0), content)
    return html_to_markdown(autop(content), log, media)


def autop(content: str) -> str:
    """WordPress's paragraphs, simply: lines of text between blank lines (and outside any
    block of HTML) become <p>, their single line breaks <br>."""
    out = []
    for chunk in re.split(r"\n\s*\n", content):
        depth = 0
        lines: list[str] = []
        text: list[str] = []
        for line in chunk.split("\n"):
            stripped = line.strip()
            if depth == 0 and not _BLOCK_START.match(stripped):
                if stripped:
                    text.append(stripped)
                continue
            if text:
                lines.append("<p>" + "<br>\n".join(text) + "</p>")
                text = []
            lines.append(line)
            depth = max(0, depth + len(_OPEN_BLOCK.findall(line))
                        - len(_CLOSE_BLOCK.findall(line)))
        if text:
            lines.append("<p>" + "<br>\n".join(text) + "</p>")
        if any(line.strip() for line in lines):
            out.append("\n".join(lines))
    return "\n\n".join(out)


# -- raw HTML left in Markdown (Jekyll, Hugo) -----------------------------------------------

_CONVERTED_HTML = re.compile(r"<(img|figure|iframe|video|audio|script)\b|"
                             r"class=[\"'][^\"']*(twitter-tweet|instagram-media|tiktok-embed)",
                             re.IGNORECASE)
_OPENERS = ("figure", "blockquote", "div", "table", "iframe", "p")


def markdown_html(text: str, log: Log) -> str:
    """In a Markdown body, HTML blocks that hold images, figures or embeds -> Markdown (the
    build refuses raw <img>; an embed must be a link); an <img> inside a paragraph of text
    -> a Markdown image. Other raw HTML stays (sitegen cleans it to its allow-list)."""
    chunks = re.split(r"(\n[ \t]*\n)", text)
    out: list[str] = []
    index = 0
    while index < len(chunks):
        chunk = chunks[index]
        if chunk.startswith("<") and not chunk.startswith("<http"):
            # an HTML element with blank lines inside: take the chunks up to its end
            while index + 2 < len(chunks) and _unbalanced(chunk):
                chunk += chunks[index + 1] + chunks[index + 2]
                index += 2
            if _CONVERTED_HTML.search(chunk):
                log.did("raw HTML block")
                chunk = html_to_markdown(chunk, log).strip("\n")
        elif "<img" in chunk.lower():
            def image(match: re.Match[str]) -> str:
                log.did("raw <img>")
                return html_to_markdown(match.group(0), log).strip()

            chunk = _IMG_IN.sub(image, chunk)
        out.append(chunk)
        index += 1
    return "".join(out)


def _unbalanced(chunk: str) -> bool:
    lower = chunk.lower()
    return any(len(re.findall(rf"<{tag}\b", lower)) > len(re.findall(rf"</{tag}\s*>", lower))
               for tag in _OPENERS)
