"""One article's text: the body converted (by the source's kind), its files placed, the front
matter written, and each thing to fix given its line in the written file."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Mapping
from pathlib import Path

import yaml

from sitegen.importers import convert, templates
from sitegen.importers.convert import Log
from sitegen.importers.media import BodyMedia, Files, Targets
from sitegen.importers.plan import Article
from sitegen.importers.source import SourceSite


def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or "\n" in text or text[0] in "'\"[]{}&*!|>%@`-?:#,":
        return False
    probe = f"[{text}]" if flow else text
    try:
        loaded = yaml.safe_load(f"k: {probe}")
    except yaml.YAMLError:
        return False
    return loaded == {"k": [text] if flow else text}


def scalar(text: str, *, flow: bool = False) -> str:
    """A string as YAML: plain when that reads back the same, else double-quoted."""
    return text if _plain_ok(text, flow) else json.dumps(text, ensure_ascii=False)


def flow_list(items: list[str]) -> str:
    return "[" + ", ".join(scalar(item, flow=True) for item in items) + "]"


def compose(article: Article, site: SourceSite, files: Files, content_dir: Path,
            targets: Targets, refs: Mapping[str, str]) -> None:
    """Convert the body, place its files, and write the article's text and fixes."""
    post, log = article.post, article.log

    def ref(name: str) -> str | None:
        name = name.strip().strip("\"'").strip("/")
        for key in (name, posixpath.splitext(name)[0], posixpath.basename(name),
                    posixpath.splitext(posixpath.basename(name))[0]):
            if key in refs:
                return posixpath.relpath(refs[key], posixpath.dirname(article.rel))
        return None

    if site.kind == "wordpress":
        body = convert.wordpress_to_markdown(post.body, log, site.media, post.post_id)
    else:
        to_markdown = (templates.jekyll_to_markdown if site.kind == "jekyll"
                       else templates.hugo_to_markdown)
        as_html = post.body_format == "html"
        body = to_markdown(post.body, log, ref, as_html=as_html)
        body = (convert.html_to_markdown(body, log) if as_html
                else convert.markdown_html(body, log))
        # two trailing spaces, an invisible line break: written as a backslash instead
        body = templates.outside_code(body, lambda part: re.sub(r"[ \t]{2,}\n", "\\\\\n", part))
    body = templates.drop_more(body)
    media = BodyMedia(site, post, files, content_dir / article.section.section, article.rel,
                      targets, log)
    body = convert.tidy(media.rewrite(body))
    image = post.image
    lead = media.lead(image) if image else None
    article.copies = media.copies
    for key, message in post.fixes:
        log.fix(f"{key}:", message, front=True)
    article.text, body_start = _text(article, body, lead)
    article.fixes = _locate(article.text, body_start, log)


def _text(article: Article, body: str, lead: str | None) -> tuple[str, int]:
    post = article.post
    lines = ["---", f"title: {scalar(post.title)}",
             f"date: {post.date.replace(microsecond=0).isoformat()}",
             f"section: {article.section.section}",
             "author: " + (scalar(article.authors[0]) if len(article.authors) == 1
                           else flow_list(article.authors))]
    if article.tags:
        lines.append(f"tags: {flow_list(article.tags)}")
    if post.summary:
        lines.append(f"summary: {scalar(post.summary)}")
    if lead and post.image:
        lines.append(f"image: {scalar(lead)}")
        alt = post.image.alt or post.image.caption
        if alt:
            lines.append(f"image_alt: {scalar(alt)}")
            if not post.image.alt:
                article.log.did("lead image alt text taken from its caption")
        else:
            # Not "decorative": a news photo shows something. Left out, which a legacy
            # article may do (a warning, not an error), for a person to write.
            article.log.fix("image:", "the lead image has no description in the source (no "
                                      'alt text, no caption): add image_alt: with what it shows',
                            front=True)
        if post.image.caption:
            lines.append(f"caption: {scalar(post.image.caption)}")
        if post.image.credit:
            lines.append(f"credit: {scalar(post.image.credit)}")
    if post.draft:
        lines.append("draft: true")
    if article.aliases:
        lines.append("aliases:")
        lines += [f"  - {scalar(alias)}" for alias in article.aliases]
    lines += ["legacy: true", "---", ""]
    head = "\n".join(lines) + "\n"
    return head + body, head.count("\n") + 1


def _locate(text: str, body_start: int, log: Log) -> list[tuple[int, str]]:
    lines = text.split("\n")
    fixes: list[tuple[int, str]] = []
    used: dict[tuple[str, bool], int] = {}
    for needle, message, front in log.fixes:
        start = 0 if front else body_start - 1
        skip = used.get((needle, front), 0)
        line = 0
        for index in range(start, len(lines)):
            if needle in lines[index] or (front and lines[index].startswith(needle)):
                if skip == 0:
                    line = index + 1
                    break
                skip -= 1
        used[(needle, front)] = used.get((needle, front), 0) + 1
        fixes.append((line or (1 if front else body_start), message))
    body = "\n".join(lines[body_start - 1:])
    for offset, syntax in templates.leftovers(body):
        if syntax.startswith("<"):
            message = (f"raw {syntax} is not published by sitegen (it keeps a safe list of "
                       "HTML): write it as Markdown, or as a link")
        else:
            message = (f"template syntax left as it was: {syntax.strip()} - write it as "
                       "Markdown or delete it")
        fixes.append((body_start + offset, message))
    return sorted(set(fixes))
