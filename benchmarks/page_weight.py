"""Page weight of built pages: the bytes a browser downloads to show each of them.

    python benchmarks/page_weight.py _site/ index.html news/some-story/index.html

For each page: the HTML, its stylesheets, and every image it shows, with the copy a browser
would choose from ``srcset``/``sizes`` on a phone (390 px wide, 3x) and on a desktop
(1280 px, 1x). ``<picture>`` WebP sources win, as in every current browser. Run it on a
site built before and after a change to compare.
"""

from __future__ import annotations

import argparse
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

SCREENS = {"phone 390px@3x": (390, 3.0), "desktop 1280px@1x": (1280, 1.0)}
REM = 16


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.styles: list[str] = []
        self.images: list[dict[str, str]] = []  # img attributes, plus "webp" from <source>
        self._webp: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link" and values.get("rel") == "stylesheet":
            self.styles.append(values["href"])
        elif tag == "picture":
            self._webp = {}
        elif tag == "source" and self._webp is not None and values.get("type") == "image/webp":
            self._webp = {"srcset": values.get("srcset", ""), "sizes": values.get("sizes", "")}
        elif tag == "img":
            if self._webp:
                values = {**values, **self._webp}
            self.images.append(values)

    def handle_endtag(self, tag: str) -> None:
        if tag == "picture":
            self._webp = None


def slot_width(sizes: str, viewport: int) -> float:
    """The width ``sizes`` gives an image on a screen ``viewport`` pixels wide."""
    for part in (p.strip() for p in (sizes or "100vw").split(",")):
        match = re.match(r"\(min-width:\s*([\d.]+)(rem|px)\)\s*(.+)", part)
        if match:
            limit = float(match[1]) * (REM if match[2] == "rem" else 1)
            if viewport < limit:
                continue
            part = match[3]
        return _length(part, viewport)
    return viewport


def _length(value: str, viewport: int) -> float:
    number = float(re.sub(r"[a-z]+$", "", value.strip()))
    if value.endswith("vw"):
        return viewport * number / 100
    return number * REM if value.endswith("rem") else number


def chosen(image: dict[str, str], viewport: int, density: float) -> str:
    """The URL a browser fetches for this image."""
    if not image.get("srcset"):
        return image.get("src", "")
    candidates = sorted((int(w.removesuffix("w")), url) for url, w in
                        (c.split() for c in image["srcset"].split(", ")))
    need = slot_width(image.get("sizes", ""), viewport) * density
    return next((url for width, url in candidates if width >= need), candidates[-1][1])


def weigh(site: Path, page: str, base_path: str) -> dict[str, int]:
    html = (site / page).read_bytes()
    parser = _Page()
    parser.feed(html.decode("utf-8"))

    def size(url: str) -> int:
        path = unquote(urlsplit(url).path)
        if not path.startswith(base_path):
            return 0
        target = site / path.removeprefix(base_path)
        return target.stat().st_size if target.is_file() else 0

    weights = {"html": len(html), "css": sum(size(u) for u in parser.styles)}
    for label, (viewport, density) in SCREENS.items():
        weights[label] = sum(size(chosen(img, viewport, density)) for img in parser.images)
    return weights


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site (its output folder)")
    parser.add_argument("pages", nargs="+", help="pages in it, e.g. index.html")
    parser.add_argument("--base-path", default="/gazette/", help="the site's base path")
    args = parser.parse_args()
    print(f"{'page':48} {'html':>8} {'css':>7} " + " ".join(f"{s:>24}" for s in SCREENS))
    for page in args.pages:
        weights = weigh(args.site, page, args.base_path)
        images = " ".join(f"{weights[s] / 1024:>14,.0f} KiB images" for s in SCREENS)
        print(f"{page:48} {weights['html'] / 1024:>6,.1f}Ki {weights['css'] / 1024:>5,.1f}Ki "
              f"{images}")


if __name__ == "__main__":
    main()
