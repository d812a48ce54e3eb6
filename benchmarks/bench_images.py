"""Photo figures for ``sitegen build``: cold, warm and incremental, as ratios to a baseline.

    python benchmarks/bench_images.py [--photos 24]

Makes, in a temporary folder, a news site whose every article leads with a 4000x3000 camera
JPEG (EXIF with an orientation and GPS; drawn content, so the encoder has real work), then
times whole-process builds (``sitegen build`` as a user runs it): cold (no ``.sitegen`` cache),
warm (nothing changed), one photo's pixels changed, and one caption edited. Baseline, measured
in the same run: the least any resizer does for each photo, in one process: Pillow open, full
decode, one resize to 1600 wide, one JPEG save at quality 82. Also: bytes of the original
photos against bytes of every image published in ``_site``, and the build's peak RSS.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageOps
from PIL.ExifTags import GPS, IFD, Base
from PIL.TiffImagePlugin import IFDRational

SIZE = (4000, 3000)
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif"}
ORIENTATIONS = (1, 6, 1, 8, 3, 1)  # mostly upright, some phones held sideways or upside down


def exif(index: int) -> bytes:
    data = Image.Exif()
    data[Base.Make] = "Example Phone"
    data[Base.Model] = "Example Phone 12"
    data[Base.Orientation] = ORIENTATIONS[index % len(ORIENTATIONS)]
    stamp = f"2025:03:{1 + index % 28:02d} 12:{index % 60:02d}:00"
    data[Base.DateTime] = stamp
    data.get_ifd(IFD.Exif)[Base.DateTimeOriginal] = stamp
    gps = data.get_ifd(IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef] = "N"
    gps[GPS.GPSLatitude] = (IFDRational(37), IFDRational(32), IFDRational(5000 + index, 100))
    gps[GPS.GPSLongitudeRef] = "E"
    gps[GPS.GPSLongitude] = (IFDRational(126), IFDRational(56), IFDRational(1300 + index, 100))
    return data.tobytes()


def make_photo(path: Path, index: int, variant: int = 0) -> None:
    """A camera-like JPEG: gradient, shapes and texture drawn small, enlarged, then sensor grain."""
    rng = random.Random(index * 7919 + variant)
    small = (SIZE[0] // 8, SIZE[1] // 8)
    sky, ground = ([rng.randint(40, 220) for _ in range(3)] for _ in range(2))
    img = ImageOps.colorize(Image.linear_gradient("L").resize(small), tuple(sky), tuple(ground))
    draw = ImageDraw.Draw(img)
    for _ in range(40):
        x, y = rng.uniform(0, small[0]), rng.uniform(0, small[1])
        r = rng.uniform(4, small[0] / 6)
        fill = tuple(rng.randint(0, 255) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse([x - r, y - r, x + r, y + r], fill=fill)
        else:
            draw.polygon([(x + rng.uniform(-r, r), y + rng.uniform(-r, r)) for _ in range(4)],
                         fill=fill)
    foliage = Image.frombytes("L", (small[0] // 4, small[1] // 4),
                              rng.randbytes(small[0] // 4 * small[1] // 4)).resize(small)
    img = Image.composite(img, ImageOps.colorize(foliage, (30, 60, 30), (150, 190, 90)),
                          Image.linear_gradient("L").resize(small).point(lambda v: 255 - v // 3))
    img = img.resize(SIZE, Image.Resampling.BICUBIC)
    side = 509
    tile = Image.frombytes("L", (side, side), rng.randbytes(side * side)).point(
        lambda v: 128 + (v - 128) // 12)
    grain = Image.new("L", SIZE)
    for y in range(0, SIZE[1], side):
        for x in range(0, SIZE[0], side):
            grain.paste(tile, (x, y))
    img = ImageChops.add(img, Image.merge("RGB", (grain, grain, grain)), 1.0, -128)
    img.save(path, "JPEG", quality=90, exif=exif(index))


def article(index: int, caption: str) -> str:
    """An article leading with a photo (front matter as in tests/conftest.py ``article()``)."""
    return (f"---\ntitle: \"Photo story {index}\"\ndate: 2025-03-{1 + index % 28:02d} 09:00\n"
            f"section: news\nauthor: Min Kim\nimage: photo-{index:03d}.jpg\n"
            f"image_alt: \"Generated test photo number {index}\"\ncaption: \"{caption}\"\n"
            f"credit: \"Photo: Min Kim\"\n---\n\n"
            f"Story {index} leads with a photo, and its body has a few sentences of text. The "
            f"build publishes the photo as resized copies, without its metadata.\n")


def baseline(photos: list[Path]) -> float:
    """Open, fully decode, one resize to 1600 wide, one JPEG save at quality 82, per photo."""
    started = time.perf_counter()
    for path in photos:
        with Image.open(path) as im:
            im.load()
            small = im.resize((1600, round(1600 * im.height / im.width)),
                              Image.Resampling.BICUBIC)
            small.save(io.BytesIO(), "JPEG", quality=82)
    return time.perf_counter() - started


def build(site: Path) -> float:
    """Wall seconds of one ``sitegen build``; a failed build ends the benchmark with its output."""
    command = [sys.executable, "-m", "sitegen", "build", "-s", str(site), "-q"]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    took = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"sitegen build failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return took


def published(site: Path) -> list[Path]:
    return sorted(p for p in (site / "_site").rglob("*")
                  if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)


def peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)  # bytes on macOS, KiB else


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=24)
    args = parser.parse_args()
    n = args.photos

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        news = site / "content" / "news"
        news.mkdir(parents=True)
        started = time.perf_counter()
        photos = []
        for i in range(n):
            photos.append(news / f"photo-{i:03d}.jpg")
            make_photo(photos[-1], i)
            (news / f"story-{i:03d}.md").write_text(article(i, f"Caption {i}."), encoding="utf-8")
        original_bytes = sum(p.stat().st_size for p in photos)
        print(f"{n} photos, {SIZE[0]}x{SIZE[1]} JPEG, {original_bytes / 1e6:.1f} MB "
              f"(made in {time.perf_counter() - started:.1f}s); Pillow {Image.__version__}")

        base = baseline(photos)
        shutil.rmtree(site / ".sitegen", ignore_errors=True)
        shutil.rmtree(site / "_site", ignore_errors=True)
        cold = build(site)
        cold_rss = peak_rss_mib()
        images = published(site)
        image_bytes = sum(p.stat().st_size for p in images)
        originals = {hashlib.sha256(p.read_bytes()).digest() for p in photos}
        leaked = sum(hashlib.sha256(p.read_bytes()).digest() in originals for p in images)
        warm = build(site)
        make_photo(photos[0], 0, variant=1)
        one_photo = build(site)
        story = news / "story-001.md"
        story.write_text(re.sub(r"^caption: .*$", 'caption: "An edited caption."',
                                story.read_text(encoding="utf-8"), flags=re.M),
                         encoding="utf-8")
        caption = build(site)

    per = base / n
    print(f"\n{'':24} {'seconds':>8} {'per photo':>10} {'x baseline':>11}")
    print(f"{'baseline (Pillow)':24} {base:8.2f} {per:10.3f} {1:10.2f}x")
    for name, took in (("cold build", cold), ("warm build", warm)):
        print(f"{name:24} {took:8.2f} {took / n:10.3f} {took / base:10.2f}x")
    # an incremental build should cost about one photo's baseline, plus the fixed overhead
    for name, took in (("one photo changed", one_photo), ("caption edited", caption)):
        print(f"{name:24} {took:8.2f} {'':>10} {took / per:10.2f}x one photo")
    print(f"\npublished images: {len(images)} files, {image_bytes / 1e6:.1f} MB "
          f"({image_bytes / original_bytes:.2f}x the {original_bytes / 1e6:.1f} MB of originals); "
          f"originals published byte for byte: {leaked} of {n}")
    print(f"peak RSS of a build: {cold_rss:.0f} MiB cold, {peak_rss_mib():.0f} MiB over all builds")


if __name__ == "__main__":
    main()
