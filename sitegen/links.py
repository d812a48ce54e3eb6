"""Where relative links and images written in content lead, and memos of those answers
so a cached article can tell whether its links would still resolve the same way."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote

from sitegen import markdown
from sitegen.config import SiteConfig
from sitegen.content import ContentFiles
from sitegen.images import Images, is_image, is_resized
from sitegen.models import Compact, Picture
from sitegen.theme import quote_path

Answer = TypeVar("Answer")
# "www.example.com/page" or "example.org": a web address missing its https://
_LOOKS_LIKE_HOST = re.compile(r"^(www\.|[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|org|net|edu|gov|kr|io|"
                              r"co|uk|us|jp|ca|au|info|me|tv|ly)(/|$))", re.IGNORECASE)


@dataclass(slots=True)
class Memo(Compact):
    """The answers one resolver gave: (target, result, error message)."""

    answers: list[tuple[str, object, str | None]] = field(default_factory=list)

    def kept(self) -> Memo:
        """This memo, done with (a tuple of its answers), to be kept by the thousand: most
        give no answer, and all of those are one object."""
        if not self.answers:
            return NO_ANSWERS
        self.answers = tuple(self.answers)  # type: ignore[assignment]
        return self

    def wrap(self, resolve: Callable[[str], Answer]) -> Callable[[str], Answer]:
        def recorded(target: str) -> Answer:
            try:
                result = resolve(target)
            except ValueError as exc:
                self.answers.append((target, None, str(exc)))
                raise
            self.answers.append((target, result, None))
            return result

        return recorded

    def still_holds_for(self, resolver_of: Callable[[str], Callable[[str], object]],
                        source: str) -> bool:
        """``still_holds`` with the resolver of ``source`` (``Links.resolver`` or
        ``Links.image_resolver``), made only when there are answers to check: most bodies
        have none, and a rebuild asks this of every one."""
        return not self.answers or self.still_holds(resolver_of(source))

    def still_holds(self, resolve: Callable[[str], object]) -> bool:
        for target, result, error in self.answers:
            try:
                if resolve(target) != result or error is not None:
                    return False
            except ValueError as exc:
                if str(exc) != error:
                    return False
        return True


NO_ANSWERS = Memo(())  # type: ignore[arg-type]


class Links:
    """Resolves relative links and images written in content to site URLs and pictures."""

    def __init__(self, config: SiteConfig, files: ContentFiles, static: list[str],
                 images: Images, photos_unchanged: bool = False) -> None:
        """``photos_unchanged``: no image file can have changed since the last build (see
        ``pictures_hold``)."""
        self.photos_unchanged = photos_unchanged
        self.base_path = config.base_path
        self.root = config.root
        self.images = images
        self.assets = set(files.assets)
        self.static = set(static)
        self.dirs = files.folders
        self.articles: dict[str, str] = {}  # content-relative .md path -> site URL
        self.unpublished: set[str] = set()  # drafts and future articles left out
        self._files: dict[tuple[str, str], Path] = {}

    def _file(self, folder: str, rel: str) -> Path:
        """The image file (the same Path object each time: many stories name one photo)."""
        path = self._files.get((folder, rel))
        if path is None:
            path = self._files[(folder, rel)] = self.root / folder / rel
        return path

    def pictures_hold(self, memo: Memo, source: str) -> bool:
        """Whether the images a file named (``memo``, of an ``image_resolver``) resolve as
        they did. When no image file can have changed, those that resolved still do: they
        are only counted again as used by the file (``Images.uses``), as asking would."""
        if not memo.answers:
            return True
        if not self.photos_unchanged or any(error is not None for *_, error in memo.answers):
            return memo.still_holds(self.image_resolver(source))
        used_by = f"content/{source}"
        for target, picture, _ in memo.answers:
            if isinstance(picture, Picture) and picture.copies:
                self.images.uses[picture.key].add((used_by, target))
        return True

    def href(self, url: str) -> str:
        """A site URL as written in a page: with the base path, percent-encoded."""
        return self.base_path + quote_path(url)

    def image_resolver(self, source: str) -> Callable[[str], Picture]:
        """Images in front matter and in Markdown: the Picture of a file of the site,
        ``source`` being the content-relative path of the file that names it."""
        used_by = f"content/{source}"

        def resolve(target: str) -> Picture:
            shown = unquote(target)
            if "://" in target or target.startswith("//") or markdown.URL_SCHEME.match(target):
                raise ValueError(f'image "{shown}" must be a file of the site, not a web '
                                 "address: save it next to the article and name it here")
            if target.startswith("/"):
                rel = unquote(target.split("#")[0].split("?")[0]).lstrip("/")
                if rel in self.assets:
                    folder = "content"
                elif rel in self.static:
                    folder = "static"
                else:
                    raise ValueError(f'image "{shown}" not found in static/ or content/')
            else:
                rel, _ = markdown.resolve_relative(target, posixpath.dirname(source))
                folder = "content"
                if rel not in self.assets:
                    raise ValueError(f'image "{shown}" not found (looked for content/{rel})')
            if not is_image(rel):
                raise ValueError(f'"{shown}" is not an image sitegen publishes (use JPEG, PNG, '
                                 "WebP, HEIC, AVIF, TIFF, GIF or SVG)")
            try:
                return self.images.picture(self._file(folder, rel), f"{folder}/{rel}",
                                           "/" + rel, used_by, target)
            except ValueError as exc:
                raise ValueError(f'image "{shown}" ({folder}/{rel}): {exc}') from None

        return resolve

    def photo_file(self, source: str, target: str) -> tuple[Path, str, str] | None:
        """The photo file ``target``, written in the file ``source``, names as
        ``image_resolver`` would find it (on disk, as messages show it, its site URL), if
        it is one sitegen resizes; else None. No error, no record of the use: a guess, for
        encoding early (images.EarlyEncoding)."""
        if "://" in target or target.startswith("//"):
            return None
        if target.startswith("/"):
            rel = unquote(target.split("#")[0].split("?")[0]).lstrip("/")
            folder = "content" if rel in self.assets else "static" if rel in self.static \
                else None
        else:
            rel, _ = markdown.resolve_relative(target, posixpath.dirname(source))
            folder = "content" if rel in self.assets else None
        if folder is None or not is_resized(rel):
            return None
        return self._file(folder, rel), f"{folder}/{rel}", "/" + rel

    def resolver(self, source: str) -> Callable[[str], str]:
        """Markdown links: the final href, with the base path."""
        pictures = self.image_resolver(source)

        def resolve(target: str) -> str:
            if target.startswith("/"):
                return self.base_path + quote_path(target)
            joined, suffix = markdown.resolve_relative(target, posixpath.dirname(source))
            shown = unquote(target)  # as the writer typed it, not as markdown-it encoded it
            if joined == ".." or joined.startswith("../"):
                raise ValueError(f'link "{shown}" points outside content/')
            if joined.endswith(".md"):
                if joined in self.articles:
                    return self.base_path + quote_path(self.articles[joined]) + suffix
                if joined in self.unpublished:
                    raise ValueError(f'link "{shown}" goes to content/{joined}, which is a '
                                     "draft or scheduled for later, so it is not published")
                raise ValueError(f'link "{shown}": there is no article content/{joined}')
            if joined in self.assets and is_resized(joined):
                # The original photo is never published: link to its widest copy.
                widest = pictures(target.split("#")[0].split("?")[0]).copies[-1]
                return self.base_path + quote_path(widest.url)
            if joined in self.assets:
                return self.base_path + quote_path(joined) + suffix
            if joined in self.dirs or joined == ".":
                return self.base_path + quote_path(joined.strip(".") + "/") + suffix
            if _LOOKS_LIKE_HOST.match(shown):
                raise ValueError(f'link "{shown}" is not a file of the site; for a web '
                                 f"address write https://{shown}")
            raise ValueError(f'link "{shown}": no file content/{joined}')

        return resolve
