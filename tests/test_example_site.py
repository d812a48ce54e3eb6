"""The example publication in the repository builds, and links resolve under /gazette/."""

from __future__ import annotations

import hashlib
import html
import json
import re

import pytest
from conftest import REPO, memory_build

from sitegen.build import BuiltSite
from sitegen.linkcheck import check_links

SEED = REPO / "seeds" / "000_256431eec9779f0e.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    with pytest.MonkeyPatch.context() as patch:  # the photo cache stays out of the checkout
        patch.setenv("SITEGEN_CACHE_DIR", str(tmp_path_factory.mktemp("sitegen-cache")))
        return memory_build(REPO, base_url="https://example.github.io/gazette/")


def test_every_internal_link_and_asset_resolves_under_the_subpath(built: BuiltSite) -> None:
    assert check_links(built.pages, built.files, "/gazette/", "example.github.io") == []
    hrefs = re.findall(rb'(?:href|src)="(/[^"]*)"', b"".join(built.pages.values()))
    assert hrefs and all(h.startswith(b"/gazette/") for h in hrefs)


def test_the_seed_article_is_published_with_its_words_intact(built: BuiltSite) -> None:
    page = next(body.decode() for path, body in built.pages.items()
                if path.startswith("world/") and b"Tyler Castano" in body)
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    for paragraph in SEED.read_text(encoding="utf-8").splitlines():
        assert paragraph.strip() in text


def test_the_example_covers_every_section_and_feature(built: BuiltSite) -> None:
    site = built.site
    assert all(term.articles for term in site.sections)
    assert len(site.articles) >= 11
    assert any(len(a.bylines) > 1 for a in site.articles)
    assert any(a.image for a in site.articles)
    assert any(not a.url.isascii() for a in site.articles)
    assert "student-council" in {t.key for t in site.tags}
    drafts = [p for p in (REPO / "content").rglob("*.md") if "draft: true" in p.read_text()]
    assert drafts, "the example should carry a draft"
    published = {a.source for a in site.articles}
    assert all(d.relative_to(REPO).as_posix() not in published for d in drafts)


def test_seed_document_is_kept_as_given() -> None:
    # The digest of the source document as it was handed to us.
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == (
        "03809d00579aae9c7ce3fc4b2eadbf4fb0e86047be17654b4c823c07bdddc690")


def test_pages_load_nothing_from_outside_the_site(built: BuiltSite) -> None:
    external = re.compile(rb'<(?:link|script|img|iframe|source|video|audio)\b[^>]*\b'
                          rb'(?:href|src|srcset)="(?:https?:)?//(?!example\.github\.io/)')
    for path, body in built.pages.items():
        if path.endswith(".html"):
            assert not external.search(body), path
    css = b"".join(src.read_bytes() for path, src in built.files.items() if path.endswith(".css"))
    assert b"url(http" not in css and b"@import" not in css


def test_the_theme_uses_only_reserved_ids() -> None:
    from sitegen.markdown import RESERVED_IDS

    templates = sorted((REPO / "themes/default/templates").glob("*.html"))
    ids = {match for path in templates
           for match in re.findall(r'\bid="([^"{]+)"', path.read_text(encoding="utf-8"))}
    assert ids and ids <= RESERVED_IDS, ids - RESERVED_IDS


def test_every_json_ld_block_parses_and_cannot_close_its_script(built: BuiltSite) -> None:
    blocks = [block for body in built.pages.values() for block in re.findall(
        rb'<script type="application/ld\+json">(.*?)</script>', body, re.S)]
    assert len(blocks) >= 14  # one per story at least
    for block in blocks:
        assert b"</" not in block and b"<!--" not in block
        data = json.loads(block)
        assert data["@type"] == "NewsArticle" and data["headline"] and data["author"]
        assert data["datePublished"] <= data["dateModified"]


def test_every_img_has_width_height_and_alt(built: BuiltSite) -> None:
    images = [tag for body in built.pages.values() for tag in re.findall(rb"<img [^>]*>", body)]
    assert images
    for tag in images:
        assert b' width="' in tag and b' height="' in tag and b' alt="' in tag, tag
