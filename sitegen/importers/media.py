"""Images and links in converted bodies: files of the old site are copied next to the article
(under safe names) and linked relatively, links to old posts lead to the imported .md file,
pictures on other sites stay there (never downloaded) and are reported."""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from sitegen.content import normalize_site_path
from sitegen.importers.convert import Log
from sitegen.importers.markup import image_line, url_target
from sitegen.importers.source import (
    IMAGE_SUFFIXES,
    ImportFailed,
    SourceImage,
    SourcePost,
    SourceSite,
    site_path,
)
from sitegen.importers.templates import outside_code
from sitegen.text import slugify

_IMAGE = re.compile(r"!\[((?:\\.|[^\]\\])*)\]\((<[^>\n]*>|[^\s)]+)(?:\s+\"((?:\\.|[^\"\\])*)\")?"
                    r"\s*\)")
_LINK = re.compile(r"(?<!!)\[((?:\\.|!\[(?:\\.|[^\]\\])*\]\([^)\n]*\)|[^\]\\])*)\]"
                   r"\((<[^>\n]*>|[^\s)]+)(?:\s+\"((?:\\.|[^\"\\])*)\")?\s*\)")
_PAGE_SUFFIXES = ("", ".html", ".htm", ".php", ".md", ".markdown")
# Whatever the source says, a copied file keeps one of these suffixes, or it is not copied.
_FILE_SUFFIXES = (*IMAGE_SUFFIXES, ".pdf", ".mp3", ".m4a", ".ogg", ".wav", ".mp4", ".webm",
                  ".docx", ".xlsx", ".pptx", ".txt", ".csv")


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


@dataclass
class Files:
    """The files one run places next to articles. A name holds one file's bytes: a second,
    different file wanting the same name gets the article's slug in front of it."""

    claimed: dict[Path, str] = field(default_factory=dict)  # destination -> sha256
    _digests: dict[Path, str] = field(default_factory=dict)

    def digest(self, path: Path) -> str:
        if path not in self._digests:
            self._digests[path] = hashlib.sha256(path.read_bytes()).hexdigest()
        return self._digests[path]

    def place(self, source: Path, folder: Path, slug: str) -> Path:
        suffix = source.suffix.lower()
        stem = slugify(unquote(source.stem))[:80].strip("-") or "file"
        wanted = self.digest(source)
        names = [f"{stem}{suffix}", f"{slug}-{stem}{suffix}"]
        names += [f"{slug}-{stem}-{n}{suffix}" for n in range(2, 100)]
        for name in names:
            dest = folder / name
            held = self.claimed.get(dest)
            if held is None and dest.is_file() and not dest.is_symlink():
                held = self.digest(dest)
            if held is None and (dest.exists() or dest.is_symlink()):
                continue  # a folder, a link: never written through
            if held in (None, wanted):
                self.claimed[dest] = wanted
                return dest
        raise ImportFailed(f"no free name for {source.name} in {folder}")


@dataclass
class Placement:
    source: Path
    dest: Path


@dataclass
class Targets:
    """Where old addresses lead now: old URL path -> content-relative .md path."""

    published: dict[str, str] = field(default_factory=dict)
    unpublished: dict[str, str] = field(default_factory=dict)  # drafts, future posts
    by_id: dict[str, str] = field(default_factory=dict)  # WordPress ?p=ID
    articles: set[str] = field(default_factory=set)  # every article this import writes


class BodyMedia:
    """Rewrites the images and links of one article, collecting the files to copy."""

    def __init__(self, site: SourceSite, post: SourcePost, files: Files, folder: Path,
                 article: str, targets: Targets, log: Log) -> None:
        self.site, self.post, self.files, self.folder = site, post, files, folder
        self.article = article  # content-relative path of the article being written
        self.slug = posixpath.splitext(posixpath.basename(article))[0]
        self.targets, self.log = targets, log
        self.copies: list[Placement] = []

    def _copy(self, source: Path) -> str:
        dest = self.files.place(source, self.folder, self.slug)
        if all(c.dest != dest for c in self.copies):
            self.copies.append(Placement(source, dest))
        return dest.name

    def _relative(self, rel: str) -> str:
        return posixpath.relpath(rel, posixpath.dirname(self.article))

    # -- the body ---------------------------------------------------------------------------

    def rewrite(self, body: str) -> str:
        # links first: a link around a picture leads to its own file, the picture to its own
        return outside_code(body, lambda part: _IMAGE.sub(self._image,
                                                          _LINK.sub(self._link, part)))

    def _image(self, match: re.Match[str]) -> str:
        alt = " ".join(_unescape(match.group(1)).split())
        target = match.group(2).strip("<>")
        caption, dashes, credit = _unescape(match.group(3) or "").rpartition(" -- ")
        if not dashes:
            caption, credit = credit, ""
        file = self.site.local_file(target, self.post)
        shown = unquote(target)
        if not alt.strip() and caption.strip():
            alt = caption
            self.log.did("alt text taken from the caption")
        if file is None or file.suffix.lower() not in IMAGE_SUFFIXES:
            # Left as it is (nothing is downloaded); a legacy article may show it so.
            line = image_line(alt, target, caption, credit)
            where = urlsplit(target).hostname
            if where and where not in self.site.hosts and file is None:
                self.log.did("picture left on its site")
                self.log.fix(line, f'picture "{shown}" is on {where} and was not downloaded: '
                                   "save it next to the article and name the file here")
            else:
                self.log.fix(line, f'picture "{shown}" was not found in the source: put the '
                                   "file next to the article and name it here")
            return line
        name = self._copy(file)
        self.log.did("image copied")
        line = image_line(alt, name, caption, credit)
        if not alt.strip():
            self.log.fix(line, f'picture "{name}" has no description in the source (no alt '
                               "text, no caption): write what it shows between the brackets")
        return line

    def _link(self, match: re.Match[str]) -> str:
        text, raw, title = match.group(1), match.group(2), match.group(3)
        new = self._link_target(raw.strip("<>"), f"]({raw}")
        if new is None:
            return match.group(0)
        title_part = f' "{title}"' if title is not None else ""
        return f"[{text}]({url_target(new)}{title_part})"

    def _link_target(self, target: str, needle: str) -> str | None:
        if not target or target.startswith(("#", "mailto:", "tel:")):
            return None
        path, hash_, fragment = target.partition("#")
        suffix = hash_ + fragment
        parts = urlsplit(path)
        if parts.hostname in self.site.hosts or not (parts.scheme or parts.netloc):
            post_id = re.fullmatch(r"p=(\d+)", parts.query or "")
            if post_id and post_id.group(1) in self.targets.by_id:
                self.log.did("link to an imported article")
                return self._relative(self.targets.by_id[post_id.group(1)]) + suffix
        rooted = bool(parts.scheme or parts.netloc or path.startswith("/"))
        old = (site_path(path, self.site.base_path, self.site.hosts) if rooted
               else self._from_old_page(path))
        for key in (old, old + "/" if old and old.endswith(".html") else None):
            if key in self.targets.published:
                self.log.did("link to an imported article")
                return self._relative(self.targets.published[key]) + suffix
        file = self.site.local_file(path, self.post)
        if file is not None and file.suffix.lower() in _FILE_SUFFIXES:
            self.log.did("linked file copied")
            return self._copy(file) + suffix
        if not rooted and posixpath.normpath(posixpath.join(
                posixpath.dirname(self.article), unquote(path))) in self.targets.articles:
            return None  # a cross-reference already made into a link to the article's file
        if not rooted and file is None:
            self.log.fix(needle, f'link "{unquote(target)}" leads to nothing this import '
                                 "brought: point it at an article (../section/file.md), a "
                                 "file next to the article, or a full URL")
        elif old is not None and posixpath.splitext(old.rstrip("/"))[1] in _PAGE_SUFFIXES:
            if old in self.targets.unpublished:
                self.log.fix(needle, f"link to {old}, now {self.targets.unpublished[old]}, a "
                                     "draft or a post dated in the future: point it there "
                                     "once it is published")
            else:
                self.log.fix(needle, f"link to {old} on the old site: nothing imported has that "
                                     "address; point it at an article (../section/file.md) or a "
                                     "full URL")
        return None

    def _from_old_page(self, target: str) -> str | None:
        """A relative link as the old site read it: from the post's own old address."""
        if not self.post.aliases:
            return None
        joined = urlsplit(urljoin("http://old.invalid" + self.post.aliases[0], target)).path
        return normalize_site_path(unquote(joined)) if joined.strip("/") else None

    # -- the lead image ------------------------------------------------------------------------

    def lead(self, image: SourceImage) -> str | None:
        """The lead image's file name next to the article, or None (reported)."""
        file = image.file or self.site.local_file(image.target, self.post)
        if file is None or file.suffix.lower() not in IMAGE_SUFFIXES:
            where = urlsplit(image.target).hostname
            why = (f"is on {where} and was not downloaded" if where and where not in
                   self.site.hosts else "was not found in the source")
            self.log.fix("title:", f'the lead image "{unquote(image.target)}" {why}: save it '
                                   "next to the article and add image: and image_alt:",
                         front=True)
            return None
        self.log.did("lead image copied")
        return self._copy(file)
