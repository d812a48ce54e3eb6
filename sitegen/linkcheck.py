"""Find internal links and assets in built pages that do not resolve to a built file,
as a static host such as GitHub Pages would serve the site under its base path."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

_URL_ATTRIBUTES = {"href", "src"}


@dataclass(frozen=True, order=True)
class BrokenLink:
    page: str  # output path of the page holding the link
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url} {self.reason}"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in _URL_ATTRIBUTES or (tag == "meta" and name == "content" and "url=" in value):
                self.urls.append(value.split("url=", 1)[1] if name == "content" else value)
            elif name == "id":
                self.ids.add(value)


def scan_page(html: str) -> tuple[list[str], set[str]]:
    """The URLs a page points at (href, src, meta refresh) and the ids it defines."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.urls, collector.ids


def target_path(url_path: str, base_path: str) -> str | None:
    """The output path a site URL is served from, or None when it is outside the base."""
    if not url_path.startswith(base_path):
        return None
    rel = unquote(url_path[len(base_path):])
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


def check_links(pages: Mapping[str, bytes], files: Collection[str], base_path: str,
                site_host: str = "") -> list[BrokenLink]:
    """Every internal href/src of every HTML page must name an existing page or file, and a
    fragment must name an id on the page it points to."""
    scanned = {path: scan_page(body.decode("utf-8")) for path, body in sorted(pages.items())
               if path.endswith(".html")}
    existing = set(pages) | set(files)
    broken: list[BrokenLink] = []
    for page, (urls, _ids) in scanned.items():
        page_url = base_path + (page[: -len("index.html")] if page.endswith("index.html") else page)
        for url in urls:
            broken.extend(_check(page, page_url, url, base_path, site_host, existing, scanned))
    return sorted(set(broken))


def _check(page: str, page_url: str, url: str, base_path: str, site_host: str,
           existing: set[str], scanned: Mapping[str, tuple[list[str], set[str]]]
           ) -> Iterable[BrokenLink]:
    parts = urlsplit(urljoin("http://site.invalid" + page_url, url))
    external = parts.netloc != "site.invalid" and parts.netloc != site_host
    if parts.scheme not in ("http", "https") or external:
        return
    target = target_path(parts.path or "/", base_path)  # https://host is its home page
    if target is None:
        yield BrokenLink(page, url, f"is outside the site's base path {base_path}")
        return
    if target not in existing and target + "/index.html" not in existing:
        yield BrokenLink(page, url, "does not exist")
        return
    fragment = unquote(parts.fragment)
    if fragment and target in scanned and fragment not in scanned[target][1] and fragment != "top":
        yield BrokenLink(page, url, f'has no element with id "{fragment}"')
