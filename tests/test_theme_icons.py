"""The default theme's icons: linked from every page, drawn by scripts/theme_icons.py, and
replaceable by a site's own files in static/assets/."""

from __future__ import annotations

import importlib.util
import io
import re

from conftest import REPO, memory_build
from PIL import Image, ImageChops

STATIC = REPO / "themes" / "default" / "static"


def _theme_icons():
    spec = importlib.util.spec_from_file_location("theme_icons",
                                                  REPO / "scripts" / "theme_icons.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_icons_are_the_scripts_drawing() -> None:
    icons = _theme_icons()
    assert (STATIC / "favicon.svg").read_text(encoding="utf-8") == icons.svg()
    with Image.open(STATIC / "apple-touch-icon.png") as shipped:
        assert shipped.size == (180, 180) and shipped.mode == "RGB"  # opaque: iOS wants it
        # The same drawing (a resampling filter may move a pixel's value by a step or two
        # between Pillow releases).
        difference = ImageChops.difference(shipped.convert("RGB"), icons.png())
        assert max(high for _, high in difference.getextrema()) <= 8


def test_every_page_links_the_icons_under_the_base_path(make_site) -> None:
    site = make_site({
        "sitegen.toml": 'base_url = "https://example.github.io/paper/"\n',
        "content/news/a.md": "---\ntitle: A\ndate: 2025-01-02\nsection: news\n"
                             "author: Min Kim\n---\n\nBody.\n",
    })
    built = memory_build(site)
    pages = [body for path, body in built.pages.items() if path.endswith(".html")]
    assert pages
    for body in pages:
        assert b'<link rel="icon" href="/paper/assets/favicon.svg" type="image/svg+xml">' in body
        assert b'<link rel="apple-touch-icon" href="/paper/assets/apple-touch-icon.png">' in body
    assert built.files["assets/favicon.svg"] == STATIC / "favicon.svg"
    assert built.files["assets/apple-touch-icon.png"] == STATIC / "apple-touch-icon.png"


def test_a_sites_own_icons_in_static_assets_replace_the_themes(make_site) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (180, 180), "navy").save(buffer, "PNG")
    own_svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8">'
               '<circle cx="4" cy="4" r="4" fill="navy"/></svg>\n')
    site = make_site({
        "static/assets/favicon.svg": own_svg,
        "static/assets/apple-touch-icon.png": buffer.getvalue(),
        "content/news/a.md": "---\ntitle: A\ndate: 2025-01-02\nsection: news\n"
                             "author: Min Kim\n---\n\nBody.\n",
    })
    built = memory_build(site)
    assert built.files["assets/favicon.svg"] == site / "static/assets/favicon.svg"
    assert built.files["assets/apple-touch-icon.png"] == site / "static/assets/apple-touch-icon.png"
    assert re.search(rb'<link rel="icon" href="/assets/favicon.svg"', built.pages["index.html"])
