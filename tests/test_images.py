"""Photos: resized, upright, private copies; pictures in the HTML; figures; errors; cache."""

from __future__ import annotations

import io
import multiprocessing
import os
import re
import shutil
import time
from pathlib import Path

import photos
import pytest
from conftest import NOW, article, memory_build, start_tags
from PIL import Image
from typer.testing import CliRunner

from sitegen import images as images_module
from sitegen.build import Builder, BuildOptions, build
from sitegen.cli import app
from sitegen.errors import BuildFailed
from sitegen.images import check_svg, svg_size

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".svg")


def tags(html: bytes | str, name: str) -> list[dict[str, str | None]]:
    return [attrs for tag, attrs in start_tags(html) if tag == name]


def srcset(value: str | None) -> list[tuple[str, int]]:
    return [(url, int(width.removesuffix("w"))) for url, width in
            (candidate.split() for candidate in (value or "").split(", "))]


PHOTO_STORY = article("Field day", extra="""
    image: phone.jpg
    image_alt: Runners on a green field under a blue sky
    caption: The start of the race
    credit: "Photo: Jun Seo"
    """, body="""
    The race began at noon.

    ![The finish line](finish.heic "Crossing the line -- Photo: Min Kim")
    ![The team's sticker](sticker.png "The new sticker")
    ![A dancing falcon](falcon.gif)

    The logo: ![decorative](plain.png)
    """)


@pytest.fixture
def photo_site(make_site) -> Path:
    return make_site({
        "sitegen.toml": 'title = "Photos"\nbase_url = "https://ridge.github.io/paper/"\n',
        "content/news/field.md": PHOTO_STORY,
        "content/news/phone.jpg": photos.turned_jpeg(2400, 1800),
        "content/news/finish.heic": photos.heic(1000, 750),
        "content/news/sticker.png": photos.png(600, 400, transparent=True),
        "content/news/plain.png": photos.png(300, 200, transparent=False),
        "content/news/falcon.gif": photos.gif(),
    })


def test_published_photos_are_upright_resized_and_carry_no_metadata(photo_site: Path) -> None:
    out = build(photo_site, BuildOptions(now=NOW)).output
    published = sorted(p for p in out.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES)
    names = [p.name for p in published]
    assert "phone.jpg" not in names and "finish.heic" not in names
    assert "sticker.png" not in names and "plain.png" not in names
    assert "falcon.gif" in names  # GIFs are published as they are
    assert {"phone-480w.jpg", "phone-960w.webp", "phone-1600w.jpg", "finish-960w.jpg",
            "sticker-600w.png", "sticker-600w.webp", "plain-300w.jpg"} <= set(names)
    for path in published:
        if path.suffix in (".gif", ".svg"):  # published as they are (the theme's icon too)
            continue
        with Image.open(path) as image:
            assert not image.getexif(), path
            assert "xmp" not in image.info and "XML:com.adobe.xmp" not in image.info, path
            assert "comment" not in image.info and "exif" not in image.info, path
            assert image.width <= 1600
    with Image.open(out / "news/phone-960w.jpg") as upright:
        assert upright.size == (960, 720)  # stored turned: shown landscape only if turned back
        red, green, _ = upright.convert("RGB").getpixel((10, 10))
        assert red > 180 and green < 80  # the red corner is top left again
        sky, grass = upright.getpixel((480, 200)), upright.getpixel((480, 600))
        assert sky[2] > 150 and grass[1] > grass[2]  # sky above grass
    with Image.open(out / "news/sticker-600w.png") as sticker:
        assert sticker.mode == "RGBA" and sticker.getchannel("A").getextrema()[0] == 0


def test_every_img_has_size_and_alt_and_its_srcset_exists(photo_site: Path) -> None:
    out = build(photo_site, BuildOptions(now=NOW)).output
    pages = sorted(out.rglob("*.html"))
    seen = 0
    for page in pages:
        html = page.read_bytes()
        for img in tags(html, "img"):
            seen += 1
            assert img.get("width") and img.get("height") and img.get("alt") is not None, page
            for url, width in srcset(img.get("srcset")) if img.get("srcset") else []:
                with Image.open(out / url.removeprefix("/paper/")) as copy:
                    assert copy.width == width
        for source in tags(html, "source"):
            for url, width in srcset(source["srcset"]):
                with Image.open(out / url.removeprefix("/paper/")) as copy:
                    assert copy.width == width and copy.format == "WEBP"
    assert seen >= 6


def test_lead_photo_is_eager_others_lazy_and_social_tags_use_the_1200_copy(
        photo_site: Path) -> None:
    built = memory_build(photo_site)
    page = built.pages["news/field/index.html"].decode()
    images = tags(page, "img")
    lead = images[0]
    assert lead["fetchpriority"] == "high" and "loading" not in lead
    assert all(img.get("loading") == "lazy" and img.get("decoding") == "async"
               for img in images[1:])
    assert ('<meta property="og:image" content="https://ridge.github.io/paper/news/'
            'phone-1200w.jpg">') in page
    assert '<meta property="og:image:width" content="1200">' in page
    assert '<meta property="og:image:height" content="900">' in page
    assert ('"image": [{"@type": "ImageObject", "height": 900, "url": '
            '"https://ridge.github.io/paper/news/phone-1200w.jpg", "width": 1200}]') in page
    front = tags(built.pages["index.html"], "img")
    assert front[0]["fetchpriority"] == "high"


def test_cards_use_small_copies_only(make_site) -> None:
    root = make_site({
        "content/news/a.md": article("A", extra="image: a.jpg\nimage_alt: A photo"),
        "content/news/b.md": article("B", date="2025-03-05"),
        "content/news/a.jpg": photos.jpeg(2000, 1500),
    })
    built = memory_build(root)
    cards = [img for img in tags(built.pages["news/index.html"], "img")
             if img.get("class") == "card-image"]
    assert cards
    for card in cards:
        assert max(width for _, width in srcset(card["srcset"])) <= 960


def test_body_figures_captions_credits_galleries_and_decorative_images(photo_site: Path) -> None:
    page = memory_build(photo_site).pages["news/field/index.html"].decode()
    body = page[page.index('<div class="article-body">'):]
    assert '<div class="gallery">' in body
    assert ('<figcaption><span class="caption">Crossing the line</span> '
            '<span class="credit">Photo: Min Kim</span></figcaption>') in body
    assert '<figcaption><span class="caption">The new sticker</span></figcaption>' in body
    assert body.count("<figure>") == 3
    decorative = [img for img in tags(body, "img") if "plain-300w" in (img.get("src") or "")]
    assert decorative and decorative[0]["alt"] == ""
    assert "The race began at noon." in page  # the summary is the text, not an alt


def test_decorative_lead_photo_and_missing_alt(make_site) -> None:
    root = make_site({
        "content/news/a.md": article("A", extra='image: a.jpg\nimage_alt: ""'),
        "content/news/b.md": article("B", extra="image: a.jpg\nimage_alt: decorative"),
        "content/news/c.md": article("C", extra="image: a.jpg"),
        "content/news/a.jpg": photos.jpeg(600, 400),
    })
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    assert [str(e) for e in caught.value.errors] == [
        'content/news/c.md:6: "image_alt" is required with "image": describe the picture for '
        "readers who cannot see it, or write image_alt: decorative if it only decorates"]
    (root / "content/news/c.md").unlink()
    built = memory_build(root)
    for page in ("news/a/index.html", "news/b/index.html"):
        lead = tags(built.pages[page], "img")[0]
        assert lead["alt"] == ""


@pytest.mark.parametrize(("name", "data", "message"), [
    ("cut.jpg", photos.jpeg(800, 600)[:3000],
     "the file is cut short (truncated); copy it from the camera or phone again"),
    ("fake.jpg", b"this is not a photo at all",
     "this is not a .jpg image sitegen can read (the file may be damaged)"),
    ("wrong.jpg", photos.png(80, 60),
     "the file is a PNG image, not what its name (.jpg) says; save it again as .jpg or "
     "rename it"),
])
def test_broken_photos_are_errors_naming_article_line_and_file(make_site, name: str,
                                                               data: bytes,
                                                               message: str) -> None:
    root = make_site({
        "content/news/a.md": article("A", body=f"Text.\n\n![A photo]({name})\n"),
        f"content/news/{name}": data,
    })
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    assert [str(e) for e in caught.value.errors] == [
        f'content/news/a.md:10: image "{name}" (content/news/{name}): {message}'
        if "truncated" not in message else
        f'content/news/a.md:10: image "{name}" (content/news/{name}) cannot be published: '
        f"{message}"]


def test_limits_on_pixels_and_bytes_are_configurable(make_site) -> None:
    root = make_site({
        "sitegen.toml": "[images]\nmax_megapixels = 1\nmax_megabytes = 1\n",
        "content/news/a.md": article("A", extra="image: big.png\nimage_alt: Big"),
        "content/news/b.md": article("B", extra="image: heavy.png\nimage_alt: Heavy"),
        "content/news/big.png": photos.png(1500, 800, transparent=False),
        "content/news/heavy.png": b"\x89PNG\r\n\x1a\n" + bytes(1_200_000),
    })
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    assert [str(e) for e in caught.value.errors] == [
        'content/news/a.md:6: image "big.png" (content/news/big.png): 1500x800 is 1 megapixels, '
        "over the limit of 1 ([images] max_megapixels in sitegen.toml)",
        'content/news/b.md:6: image "heavy.png" (content/news/heavy.png): 1.2 MB, over the limit '
        "of 1 MB ([images] max_megabytes in sitegen.toml); export it smaller",
    ]


def test_decompression_bomb_is_refused_before_decoding(make_site) -> None:
    # A PNG whose header claims 30,000 x 30,000 pixels: 900 megapixels.
    bomb = io.BytesIO()
    Image.new("1", (30000, 30000)).save(bomb, "PNG")
    root = make_site({
        "content/news/a.md": article("A", extra="image: bomb.png\nimage_alt: Bomb"),
        "content/news/bomb.png": bomb.getvalue(),
    })
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    assert "900 megapixels, over the limit of 100" in str(caught.value.errors[0])


def test_body_images_need_alt_text_and_must_be_files_of_the_site(make_site) -> None:
    root = make_site({
        "content/news/a.md": article("A", body="""
            ![](pic.jpg)

            ![A hotlinked photo](https://example.com/photo.jpg)

            <p>Raw: <img src="pic.jpg" alt="x"></p>
            """),
        "content/news/pic.jpg": photos.jpeg(300, 200),
    })
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    assert [str(e) for e in caught.value.errors] == [
        'content/news/a.md:8: image "pic.jpg" has no alt text: write what it shows, '
        "![A runner crossing the line](pic.jpg), or ![decorative](pic.jpg) if it only decorates",
        'content/news/a.md:10: image "https://example.com/photo.jpg" must be a file of the site, '
        "not a web address: save it next to the article and name it here",
        "content/news/a.md:12: <img> in raw HTML is not published: write the image as Markdown, "
        "![what it shows](photo.jpg), so readers get resized copies",
    ]


def test_a_link_to_a_photo_leads_to_its_widest_copy(make_site) -> None:
    root = make_site({
        "content/news/a.md": article("A", body="[The full photo](pic.jpg)"),
        "content/news/pic.jpg": photos.jpeg(2000, 1500),
    })
    built = memory_build(root)
    assert '<a href="/news/pic-1600w.jpg">The full photo</a>' in \
        built.pages["news/a/index.html"].decode()
    assert "news/pic-1600w.jpg" in built.files and "news/pic.jpg" not in built.files


def test_a_photo_in_static_is_published_as_copies_only(make_site) -> None:
    root = make_site({
        "content/news/a.md": article("A", extra="image: /img/team.jpg\nimage_alt: The team"),
        "static/img/team.jpg": photos.jpeg(700, 500),
        "static/img/logo.png": photos.png(50, 50),
    })
    built = memory_build(root)
    assert "img/team.jpg" not in built.files
    assert {"img/team-480w.jpg", "img/team-700w.webp", "img/logo.png"} <= set(built.files)


def test_two_photos_that_would_publish_the_same_copies(make_site) -> None:
    root = make_site({
        "content/news/a.md": article("A", body="![One](pic.jpg)\n\n![Two](pic.png)"),
        "content/news/pic.jpg": photos.jpeg(300, 200),
        "content/news/pic.png": photos.png(300, 200, transparent=False),
    })
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    assert [str(e) for e in caught.value.errors] == [
        "content/news/pic.png: its copies would have the names of the copies of "
        "content/news/pic.jpg (news/pic-300w.jpg): rename one of them"]


def test_a_second_build_encodes_nothing_and_one_changed_photo_only_itself(make_site) -> None:
    root = make_site({
        "content/news/a.md": article("A", extra="image: a.jpg\nimage_alt: A\ncaption: One"),
        "content/news/b.md": article("B", body="![B](b.jpg)"),
        "content/news/c.md": article("C", body="![C](c.png)"),
        "content/news/a.jpg": photos.jpeg(800, 600, seed=1),
        "content/news/b.jpg": photos.jpeg(800, 600, seed=2),
        "content/news/c.png": photos.png(400, 300),
    })
    first = memory_build(root, jobs=1)
    assert first.photos_encoded == 3
    stored = sorted(p for p in (root / ".sitegen/images").rglob("*") if p.is_file())
    times = {p: p.stat().st_mtime_ns for p in stored}
    second = memory_build(root, jobs=1)
    assert second.photos_encoded == 0
    assert second.files == first.files
    assert {p: p.stat().st_mtime_ns for p in stored} == times  # nothing rewritten

    text = (root / "content/news/a.md").read_text()
    (root / "content/news/a.md").write_text(text.replace("caption: One", "caption: Two"))
    assert memory_build(root, jobs=1).photos_encoded == 0  # a caption is not the photo

    (root / "content/news/b.jpg").write_bytes(photos.jpeg(800, 600, seed=30))
    third = memory_build(root, jobs=1)
    assert third.photos_encoded == 1
    changed = {path for path in third.files if third.files[path] != first.files.get(path)}
    assert changed and all(path.startswith("news/b-") for path in changed)


def test_a_damaged_cache_entry_is_not_trusted(make_site) -> None:
    root = make_site({
        "content/news/a.md": article("A", extra="image: a.jpg\nimage_alt: A"),
        "content/news/a.jpg": photos.jpeg(800, 600),
    })
    first = memory_build(root)
    good = first.files["news/a-480w.jpg"].read_bytes()
    first.files["news/a-480w.jpg"].write_bytes(good[:100])  # as a killed build might leave it
    second = memory_build(root)
    assert second.photos_encoded == 1
    assert second.files["news/a-480w.jpg"].read_bytes() == good

    (root / ".sitegen/file-hashes.json").write_text("{not json")
    shutil.rmtree(next((root / ".sitegen/images").iterdir()))
    assert memory_build(root).photos_encoded == 1


def test_output_is_the_same_whatever_the_number_of_jobs(make_site, tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        f"content/news/s{n}.md": article(f"S{n}", body=f"![Photo {n}](p{n}.jpg)")
        for n in range(3)}
    files.update({f"content/news/p{n}.jpg": photos.jpeg(700, 500, seed=n) for n in range(3)})
    root = make_site(files)
    one = build(root, BuildOptions(now=NOW, jobs=1, output=tmp_path / "one"))
    shutil.rmtree(root / ".sitegen")
    two = build(root, BuildOptions(now=NOW, jobs=2, output=tmp_path / "two"))

    def tree(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes()
                for p in sorted(folder.rglob("*")) if p.is_file()}

    assert tree(one.output) == tree(two.output)


def test_a_cold_build_encodes_the_photos_its_stories_name_while_it_reads(
        make_site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """images.EarlyEncoding: while a cold build reads, one process encodes the photos the
    stories' files name (front matter, bodies, site paths; a name in code too: a guess,
    encoded for nothing and never published), and the photo step finds them in the cache.
    The site is the one a build encoding them all in the photo step writes."""
    monkeypatch.setattr(images_module, "available_cores", lambda: 2)
    root = make_site({
        "content/news/lead.md": article("Lead", extra="image: lead.jpg\nimage_alt: A lead"),
        "content/news/body.md": article("Body", body="![B](../shared/b.png) ![S](/images/s.jpg)"),
        "content/news/code.md": article("Code", body="```\n![not a photo](unused.jpg)\n```"),
        "content/news/lead.jpg": photos.jpeg(700, 500, seed=1),
        "content/shared/b.png": photos.png(400, 300),
        "static/images/s.jpg": photos.jpeg(640, 480, seed=2),
        "content/news/unused.jpg": photos.jpeg(500, 400, seed=3),
    })
    early: list[int] = []
    finish = images_module.EarlyEncoding.finish

    def finish_when_stored(encoding: images_module.EarlyEncoding) -> int:
        # It stops after the photo it is encoding; so small a site is read in no time.
        waited = time.monotonic()
        while (encoding._process is not None and time.monotonic() - waited < 60
               and len(list(root.glob(".sitegen/images/*/*/manifest.json"))) < 4):
            time.sleep(0.02)
        early.append(finish(encoding))
        return early[-1]

    monkeypatch.setattr(images_module.EarlyEncoding, "finish", finish_when_stored)
    two = memory_build(root, jobs=2)
    assert early == [4] and two.photos_encoded == 4
    assert not multiprocessing.active_children()
    assert not any("unused" in path for path in two.files)
    shutil.rmtree(root / ".sitegen")
    one = memory_build(root, jobs=1)  # one job: no early encoding
    assert early == [4] and one.photos_encoded == 3
    assert one.pages == two.pages
    assert {path: file.read_bytes() for path, file in one.files.items()} == {
        path: file.read_bytes() for path, file in two.files.items()}
    # Of the photos named, only the one in code is not in the cache the last build left
    assert memory_build(root, jobs=2).photos_encoded == 1 and early == [4, 1]


def test_a_build_that_fails_while_photos_are_encoded_early_leaves_no_process(
        make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    """A story's error stops the build before its photo step; the early encoding process
    is stopped with it, and a damaged photo it was given is reported by the build, at the
    line that names it, as always."""
    monkeypatch.setattr(images_module, "available_cores", lambda: 2)
    started: list[object] = []
    start = images_module.EarlyEncoding._start
    monkeypatch.setattr(images_module.EarlyEncoding, "_start",
                        lambda self: started.append(self) or start(self))
    root = make_site({
        "content/news/a.md": article("A", body="Intro.\n\n![A](a.jpg)\n\n![Bad](bad.jpg)"),
        "content/news/a.jpg": photos.jpeg(700, 500),
        "content/news/bad.jpg": photos.jpeg(700, 500)[:300],
    })
    with pytest.raises(BuildFailed) as caught:
        memory_build(root, jobs=2)
    assert started and not multiprocessing.active_children()
    assert [(error.path, error.line) for error in caught.value.errors] == [
        ("content/news/a.md", 12)]
    assert "bad.jpg" in str(caught.value.errors[0])


def test_watch_builder_publishes_a_new_photo_on_the_next_build(make_site) -> None:
    root = make_site({"content/news/a.md": article("A", body="No photo yet.")})
    builder = Builder(root, BuildOptions(now=NOW))
    builder.build()
    (root / "content/news/new.jpg").write_bytes(photos.jpeg(1000, 700))
    (root / "content/news/a.md").write_text(article("A", body="![New](new.jpg)"))
    built = builder.build()
    assert "news/new-960w.webp" in built.files
    assert "/news/new-960w.jpg" in built.pages["news/a/index.html"].decode()
    (root / "content/news/new.jpg").write_bytes(photos.jpeg(1000, 500, seed=9))
    rebuilt = builder.build()
    assert 'height="480"' in rebuilt.pages["news/a/index.html"].decode()


SVG_OK = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 90"><rect width="160" height="90"
fill="#fc3"/><use href="#a"/></svg>"""


@pytest.mark.parametrize(("svg", "problem", "line"), [
    (b'<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script></svg>',
     "the SVG holds a <script> element, which could run script", 2),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect\n onload="alert(1)"/></svg>',
     'the SVG has an event attribute "onload", which runs script', 1),
    (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
     b'<a x:href=" javascript:alert(1)"><text>hi</text></a></svg>',
     'the SVG links to " javascript:alert(1)"; an image must not load or run anything from '
     "elsewhere", 1),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/p.png"/>'
     b"</svg>", 'the SVG links to "https://tracker.example/p.png"', 1),
    (b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg"/>',
     "the SVG has a DOCTYPE", 1),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>',
     "the SVG holds a <foreignObject> element", 1),
    (b"<svg><unclosed></svg>", "the SVG is not well-formed XML (mismatched tag)", 1),
])
def test_svg_that_could_run_script_is_refused(svg: bytes, problem: str, line: int) -> None:
    check_svg(SVG_OK)
    with pytest.raises(ValueError) as caught:
        check_svg(svg)
    assert str(caught.value).startswith(problem)
    assert caught.value.line == line  # type: ignore[attr-defined]


def test_svg_with_script_fails_the_build_and_a_clean_one_is_published(make_site) -> None:
    root = make_site({
        "content/news/a.md": article("A", extra="image: ok.svg\nimage_alt: A drawing"),
        "content/news/ok.svg": SVG_OK,
        "content/news/bad.svg": b'<svg xmlns="http://www.w3.org/2000/svg">\n\n'
                                b"<script>alert(document.cookie)</script></svg>",
    })
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    assert [str(e) for e in caught.value.errors] == [
        "content/news/bad.svg:3: the SVG holds a <script> element, which could run script; "
        "it is not published"]
    (root / "content/news/bad.svg").unlink()
    lead = tags(memory_build(root).pages["news/a/index.html"], "img")[0]
    assert (lead["src"], lead["width"], lead["height"]) == ("/news/ok.svg", "160", "90")


def test_svg_size_comes_from_its_attributes_or_viewbox() -> None:
    assert svg_size(b'<svg width="300px" height="100"/>') == (300, 100)
    assert svg_size(b'<svg width="300" viewBox="0 0 60 20"/>') == (300, 100)
    assert svg_size(b'<svg viewBox="0,0,64,48"/>') == (64, 48)
    with pytest.raises(ValueError, match="gives no size"):
        svg_size(b"<svg/>")


def test_images_settings_are_checked(make_site) -> None:
    root = make_site({
        "sitegen.toml": "[images]\nwidths = [480, 20]\nqualty = 80\n",
        "content/news/a.md": article("A"),
    })
    result = CliRunner().invoke(app, ["build", "-s", str(root)])
    assert result.exit_code == 1
    assert 'sitegen.toml:2: "widths" must list pixel widths from 100 to 4000' in result.output
    assert 'sitegen.toml:3: unknown key "qualty" in [images] (did you mean "quality"?)' \
        in result.output
    assert "Traceback" not in result.output


def test_configured_widths_and_a_narrow_original(make_site) -> None:
    root = make_site({
        "sitegen.toml": "[images]\nwidths = [300, 600]\nsocial_width = 1000\n",
        "content/news/a.md": article("A", body="![Small](small.jpg)\n\n![Wide](wide.jpg)"),
        "content/news/small.jpg": photos.jpeg(250, 200),
        "content/news/wide.jpg": photos.jpeg(1200, 600),
    })
    built = memory_build(root)
    widths = {name: sorted(int(m) for m in re.findall(rf"news/{name}-(\d+)w\.jpg",
                                                      " ".join(built.files)))
              for name in ("small", "wide")}
    assert widths == {"small": [250], "wide": [300, 600, 1000]}


def test_cache_entries_unused_for_a_month_are_pruned(make_site) -> None:
    root = make_site({
        "content/news/a.md": article("A", body="![A](a.jpg)"),
        "content/news/a.jpg": photos.jpeg(600, 400),
        "content/news/b.jpg": photos.jpeg(600, 400, seed=5),
    })
    (root / "content/news/b.md").write_text(article("B", body="![B](b.jpg)"))
    build(root, BuildOptions(now=NOW))
    entries = sorted((root / ".sitegen/images").glob("*/*"))
    assert len(entries) == 2
    (root / "content/news/b.md").unlink()
    month_ago = NOW.timestamp() - 31 * 24 * 3600
    for entry in entries:
        os.utime(entry / "manifest.json", (month_ago, month_ago))
    day_ago = time.time() - 25 * 3600  # the cache is looked over at most once a day
    os.utime(root / ".sitegen/pruned", (day_ago, day_ago))
    build(root, BuildOptions(now=NOW))  # uses a.jpg only: its entry is marked as used
    kept = sorted((root / ".sitegen/images").glob("*/*"))
    assert len(kept) == 1
    assert memory_build(root).photos_encoded == 0


def test_print_and_scanner_files_come_out_as_rgb_without_a_stale_profile(make_site) -> None:
    cmyk, grey16 = io.BytesIO(), io.BytesIO()
    photos.scene(400, 300).convert("CMYK").save(cmyk, "JPEG", quality=90)
    Image.linear_gradient("L").resize((300, 200)).convert("I;16").point(
        lambda v: v * 256).save(grey16, "PNG")
    root = make_site({
        "content/news/a.md": article("A", body="![Ad](<print, final.jpg>)\n\n![Scan](scan.png)"),
        "content/news/print, final.jpg": cmyk.getvalue(),
        "content/news/scan.png": grey16.getvalue(),
    })
    built = memory_build(root)
    with Image.open(built.files["news/print, final-400w.jpg"]) as ad:
        assert ad.mode == "RGB" and "icc_profile" not in ad.info
        red, green, blue = ad.getpixel((10, 10))
        assert red > 150 and green < 100 and blue < 100  # still the red corner
    with Image.open(built.files["news/scan-300w.jpg"]) as scan:
        assert scan.getpixel((150, 199))[0] > 200  # the bright end is bright, not clipped
        assert scan.getpixel((150, 0))[0] < 40
    page = built.pages["news/a/index.html"].decode()
    assert 'srcset="/news/print%2C%20final-400w.jpg 400w"' in page


def test_a_site_folder_that_cannot_be_written_still_builds(make_site, tmp_path: Path) -> None:
    root = make_site({
        "content/news/a.md": article("A", body="![A](a.jpg)"),
        "content/news/a.jpg": photos.jpeg(600, 400),
    })
    (root / ".sitegen").write_text("not a folder")  # as if it could not be made
    out = build(root, BuildOptions(now=NOW, output=tmp_path / "out")).output
    assert (out / "news/a-480w.webp").is_file()
    assert (root / ".sitegen").read_text() == "not a folder"


def test_a_photo_changed_while_it_is_published_is_never_cached_as_the_old_one(
        make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen import images

    root = make_site({
        "content/news/a.md": article("A", body="![A](a.jpg)"),
        "content/news/a.jpg": photos.jpeg(600, 400, seed=1),
    })
    real = images._encode

    def edited_meanwhile(source: images._Source) -> object:
        Path(source.path).write_bytes(photos.jpeg(600, 400, seed=40))
        return real(source)

    monkeypatch.setattr(images, "_encode", edited_meanwhile)
    with pytest.raises(BuildFailed) as caught:
        memory_build(root, jobs=1)
    assert "the file changed while sitegen was publishing it: build again" in str(caught.value)
    assert not list((root / ".sitegen/images").glob("*/*/manifest.json"))
    monkeypatch.setattr(images, "_encode", real)
    assert memory_build(root, jobs=1).photos_encoded == 1
