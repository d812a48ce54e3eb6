"""Watch-mode figures on the shared synthetic corpus.

    python benchmarks/bench_watch.py [--sizes 1000 4000 16000] [--edits 20]

For each size: a clean `sitegen build` (the baseline of the run), then a real
`sitegen build --watch` process: the time from saving one article to its page being
rewritten on disk (debounce included), median over the edits; and the time of a rebuild
when nothing changed, measured in-process with the same Builder the watcher uses.
Builds pass --future: the corpus's dates run past today, and every article should count.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import corpus

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS_SCRIPT = HERE.parent.parent / "shared" / "bench" / "make_corpus.py"
BUILD = [sys.executable, "-m", "sitegen", "build", "-q", "--future"]


def edit_latencies(site: Path, edits: int) -> list[float]:
    process = subprocess.Popen([*BUILD, "--watch"],
                               cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    try:
        corpus.wait_for_line(process, "Watching for changes", timeout=600)
        articles = sorted((site / "content").rglob("*.md"))
        return corpus.edit_latencies(site / "_site", articles, edits)
    finally:
        process.terminate()
        process.wait()


def no_change_rebuild(site: Path) -> float:
    from sitegen.build import Builder, BuildOptions

    builder = Builder(site, BuildOptions(future=True))
    builder.build()
    gc.freeze()
    times = []
    for _ in range(5):
        started = time.perf_counter()
        builder.build()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 16000])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--corpus-script", type=Path, default=DEFAULT_CORPUS_SCRIPT)
    args = parser.parse_args()

    print(f"{'articles':>8}  {'clean build':>11}  {'save->page (median)':>19}  {'p90':>6}  "
          f"{'ratio':>7}  {'no-change rebuild':>17}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            site = Path(tmp) / "site"
            corpus.make_site(site, size, args.corpus_script)
            started = time.perf_counter()
            subprocess.run([*BUILD, "-s", str(site)], check=True)
            clean = time.perf_counter() - started
            latencies = sorted(edit_latencies(site, args.edits))
            median = statistics.median(latencies)
            p90 = latencies[int(len(latencies) * 0.9) - 1]
            idle = no_change_rebuild(site)
            print(f"{size:>8}  {clean:>10.2f}s  {median * 1000:>16.0f} ms  "
                  f"{p90 * 1000:>3.0f} ms  {clean / median:>6.0f}x  {idle * 1000:>14.0f} ms",
                  flush=True)


if __name__ == "__main__":
    main()
