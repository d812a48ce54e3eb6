"""Where relative links and images written in content lead, and memos of those answers
so a cached article can tell whether its links would still resolve the same way."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

from sitegen import markdown
from sitegen.config import SiteConfig
from sitegen.content import ContentFiles
from sitegen.theme import quote_path

Resolver = Callable[[str], str]


@dataclass
class Memo:
    """The answers one resolver gave: (target, result, error message)."""

    answers: list[tuple[str, str | None, str | None]] = field(default_factory=list)

    def wrap(self, resolve: Resolver) -> Resolver:
        def recorded(target: str) -> str:
            try:
                result = resolve(target)
            except ValueError as exc:
                self.answers.append((target, None, str(exc)))
                raise
            self.answers.append((target, result, None))
            return result

        return recorded

    def still_holds(self, resolve: Resolver) -> bool:
        for target, result, error in self.answers:
            try:
                if resolve(target) != result or error is not None:
                    return False
            except ValueError as exc:
                if str(exc) != error:
                    return False
        return True


class Links:
    """Resolves relative links and images written in content to site URLs."""

    def __init__(self, config: SiteConfig, files: ContentFiles, static: list[str]) -> None:
        self.base_path = config.base_path
        self.assets = set(files.assets)
        self.static = set(static)
        self.dirs = {posixpath.dirname(p) for p in [*files.assets, *files.articles]} - {""}
        self.articles: dict[str, str] = {}  # content-relative .md path -> site URL
        self.unpublished: set[str] = set()  # drafts and future articles left out

    def image_resolver(self, source: str) -> Callable[[str], str]:
        """Front matter images: a site URL (without the base path), checked to exist."""

        def resolve(target: str) -> str:
            if target.startswith("/"):
                rel = target.lstrip("/")
                if rel in self.static or rel in self.assets:
                    return "/" + rel
                raise ValueError(f'image "{target}" not found in static/ or content/')
            if "://" in target or target.startswith("//"):
                raise ValueError(f'image "{target}" must be a file of the site, not a web address')
            joined, _ = markdown.resolve_relative(target, posixpath.dirname(source))
            if joined in self.assets:
                return "/" + joined
            raise ValueError(f'image "{target}" not found (looked for content/{joined})')

        return resolve

    def resolver(self, source: str) -> Callable[[str], str]:
        """Markdown links and images: the final href, with the base path."""

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
            if joined in self.assets:
                return self.base_path + quote_path(joined) + suffix
            if joined in self.dirs or joined == ".":
                return self.base_path + quote_path(joined.strip(".") + "/") + suffix
            raise ValueError(f'link "{shown}": no file content/{joined}')

        return resolve
