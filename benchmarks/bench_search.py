"""Search on the shared synthetic corpus: how big Pagefind's index is, how long indexing
takes, and how fast a search answers in a real browser.

    python benchmarks/bench_search.py [--articles 4000] [--words WORD ...] [--corpus-script PATH]

The corpus (``corpus.make_site``) is built once with ``sitegen build --future``, which
indexes it. Then:

- index: bytes and files of ``_site/pagefind/``, by kind of file;
- indexing: the same Pagefind binary sitegen runs (``sitegen.search.find_pagefind``), run
  again over the built site into a scratch folder, verbose: its own count of pages and
  words, and its time (the build runs it silently), plus sitegen's ``settle_order`` pass;
- latency: the built site served on 127.0.0.1 and opened in headless Chromium (Debian's
  /usr/bin/chromium, through Playwright, as the browser tests do): the time from the
  ``pagefind.search(word)`` call until the data of its first 5 results has loaded. Cold:
  the first query on a freshly loaded page, in a fresh browser context (so Pagefind also
  loads its wasm and index metadata then); warm: the other words on that same page; again:
  a word searched a second time. Medians.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import corpus
from playwright.sync_api import sync_playwright

from sitegen.search import BUNDLE, find_pagefind, settle_order

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# Words of the corpus's vocabulary (benchmarks' make_corpus.py): every one is in hundreds
# of articles, so each search ranks many pages, the heavy case.
WORDS = ["robotics", "festival", "climate", "museum", "volunteer"]
FIRST = 5  # results whose data a results page shows at once

# In the page: the time from the search call to the data of its first results.
SEARCH = """async ([word, first]) => {
  const pagefind = window.pagefindModule
    || (window.pagefindModule = await import(new URL("pagefind/pagefind.js", document.baseURI)));
  const started = performance.now();
  const search = await pagefind.search(word);
  const data = await Promise.all(search.results.slice(0, first).map(result => result.data()));
  return {ms: performance.now() - started, count: search.results.length,
          urls: data.map(page => page.url)};
}"""


class _Quiet(SimpleHTTPRequestHandler):
    """Static files, as a static host serves them (with Last-Modified), and no log."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def index_size(bundle: Path) -> None:
    files = [path for path in bundle.rglob("*") if path.is_file()]
    kinds: Counter[str] = Counter()
    sizes: Counter[str] = Counter()
    for path in files:
        rel = path.relative_to(bundle)
        kind = f"{rel.parts[0]}/" if len(rel.parts) > 1 else (
            "wasm" if path.name.startswith("wasm.") else
            "metadata" if path.suffix == ".pf_meta" else "scripts, styles, entry")
        kinds[kind] += 1
        sizes[kind] += path.stat().st_size
    total = sum(sizes.values())
    print(f"index {bundle.name}/: {total:,} bytes ({total / 2**20:.1f} MiB) "
          f"in {len(files):,} files")
    for kind, size in sizes.most_common():
        print(f"  {kind:24} {kinds[kind]:>6,} files {size:>13,} bytes")


def reindex(site: Path, scratch: Path) -> None:
    """Pagefind over the built site again, verbose, into ``scratch``: what it reports."""
    binary = find_pagefind()
    started = time.perf_counter()
    result = subprocess.run([str(binary), "--site", str(site), "--output-path", str(scratch),
                             "--verbose"], capture_output=True, text=True, check=True)
    indexed = time.perf_counter() - started
    started = time.perf_counter()
    settle_order(scratch)
    settled = time.perf_counter() - started
    lines = [line.strip() for line in result.stdout.splitlines()]
    total = lines.index("Total:") if "Total:" in lines else 0
    said = [line for line in lines[:total] if line.startswith(
        ("Running Pagefind", "Found ", "Discovered", "* "))]
    said += [line for line in lines[total + 1:] if line]
    print(f"Pagefind ({binary}), run again, verbose:")
    for line in said:
        print(f"  {line}")
    print(f"indexing: {indexed:.2f} s Pagefind (whole process) + {settled:.2f} s settle_order")


def latency(url: str, words: list[str]) -> None:
    cold, warm, again = [], [], []
    print(f"latency, from pagefind.search() to the data of the first {FIRST} results "
          "(headless Chromium):")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for number, word in enumerate(words):
            context = browser.new_context()
            page = context.new_page()
            page.goto(url, wait_until="load")
            first = page.evaluate(SEARCH, [word, FIRST])
            cold.append(first["ms"])
            others = words[number + 1:] + words[:number]
            warm += [page.evaluate(SEARCH, [other, FIRST])["ms"] for other in others]
            again.append(page.evaluate(SEARCH, [word, FIRST])["ms"])
            print(f"  {word!r:14} {first['count']:>5} results, cold {first['ms']:7.1f} ms"
                  f"   (first: {first['urls'][0] if first['urls'] else '-'})")
            context.close()
        browser.close()
    print(f"  median: cold {statistics.median(cold):.1f} ms ({len(cold)} queries), "
          f"warm {statistics.median(warm):.1f} ms ({len(warm)}), "
          f"again {statistics.median(again):.1f} ms ({len(again)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=4000)
    parser.add_argument("--words", nargs="+", default=WORDS)
    parser.add_argument("--corpus-script", type=Path, default=corpus.CORPUS_SCRIPT)
    args = parser.parse_args()
    if not CHROMIUM.is_file():
        sys.exit(f"{CHROMIUM} is missing: sudo apt-get install chromium")

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        corpus.make_site(site, args.articles, args.corpus_script)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sitegen", "build", "-q", "--future",
                        "-s", str(site)], check=True)
        print(f"{args.articles} articles: sitegen build --future (with indexing) "
              f"{time.perf_counter() - started:.1f} s")
        output = site / "_site"
        index_size(output / BUNDLE)
        scratch = Path(tmp) / "reindexed"
        reindex(output, scratch)
        shutil.rmtree(scratch)
        with served(output) as url:
            latency(url, args.words)


if __name__ == "__main__":
    main()
