"""The shared synthetic corpus as a site: ``../shared/bench/make_corpus.py`` writes the
articles; their bodies show ``/images/photo-N.jpg``, which sitegen checks and publishes, so
the photos are made here, small (640x480), the same on every run.

Also the pieces the watch and scale benchmarks share: a running ``sitegen`` process's
output, read until it says it is ready, and the time from saving an article to its page's
new bytes being on disk."""

from __future__ import annotations

import queue
import random
import subprocess
import sys
import threading
import time
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


def page_of(output: Path, article: Path) -> Path:
    """The page of a corpus article in a built site (the default permalinks)."""
    return output / article.parent.name / article.stem / "index.html"


def wait_for_line(process: subprocess.Popen[str], text: str, timeout: float) -> list[str]:
    """The process's output lines up to the first holding ``text``; the rest is drained in
    the background, so the pipe never fills. Raises when the process ends first, or after
    ``timeout`` seconds."""
    stream = process.stdout
    assert stream is not None
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise TimeoutError(f"no {text!r} after {timeout:.0f} s") from None
        if line is None:
            raise RuntimeError(f"the process ended before {text!r}:\n{''.join(seen[-20:])}")
        seen.append(line)
        if text in line:
            return seen


def edit_latencies(output: Path, articles: list[Path], edits: int, *, seed: int = 7,
                   timeout: float = 120.0) -> list[float]:
    """Seconds from saving an article (a marker line put before its body) to its page in
    ``output`` holding the marker, for ``edits`` articles drawn at random (seeded), saved
    0.3 s apart as a writer does. A watcher must be running on the articles' site."""
    rng = random.Random(seed)
    latencies = []
    for n in range(edits):
        article = rng.choice(articles)
        marker = f"Edited-{n}-marker"
        text = article.read_text(encoding="utf-8")
        head, sep, body = text.partition("\n---\n")
        page = page_of(output, article)
        started = time.perf_counter()
        article.write_text(f"{head}{sep}{marker}\n\n{body}", encoding="utf-8")
        while marker.encode() not in _bytes_of(page):
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"{page} lacks {marker!r} {timeout:.0f} s after the save")
            time.sleep(0.002)
        latencies.append(time.perf_counter() - started)
        time.sleep(0.3)  # let the watcher settle, as between a writer's saves
    return latencies


def _bytes_of(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:  # between an old page's removal and the new one's rename
        return b""
