"""The shared synthetic corpus as a site: ``../shared/bench/make_corpus.py`` writes the
articles; their bodies show ``/images/photo-N.jpg``, which sitegen checks and publishes, so
the photos are made here, small (640x480), the same on every run."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
CORPUS_SCRIPT = HERE.parent.parent / "shared" / "bench" / "make_corpus.py"
PHOTOS = 50  # make_corpus.py names photo-0.jpg to photo-49.jpg


def make_site(site: Path, articles: int, script: Path = CORPUS_SCRIPT) -> None:
    subprocess.run([sys.executable, str(script), str(site / "content"),
                    "--articles", str(articles)], check=True, stdout=subprocess.DEVNULL)
    folder = site / "static" / "images"
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(PHOTOS):
        rng = random.Random(number)
        image = Image.new("RGB", (640, 480), tuple(rng.randrange(256) for _ in range(3)))
        draw = ImageDraw.Draw(image)
        for _ in range(12):
            x, y = rng.randrange(640), rng.randrange(480)
            draw.ellipse((x, y, x + rng.randrange(40, 200), y + rng.randrange(40, 160)),
                         fill=tuple(rng.randrange(256) for _ in range(3)))
        image.save(folder / f"photo-{number}.jpg", quality=85)
