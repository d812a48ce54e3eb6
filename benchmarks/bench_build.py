"""Build-time figures on the shared synthetic corpus, as ratios to a baseline of the same run.

    python benchmarks/bench_build.py [--sizes 1000 4000] [--corpus-script PATH]

Baseline: the least any Markdown site generator must do, in one process: read every file,
parse its YAML with libyaml and render its body with markdown-it-py, writing nothing.
Each figure is the median of whole-process runs (``sitegen build`` as a user runs it).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import corpus

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS_SCRIPT = HERE.parent.parent / "shared" / "bench" / "make_corpus.py"

BASELINE = """
import sys, pathlib, yaml
from markdown_it import MarkdownIt
md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.md")):
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\\n", 2)
    yaml.load(front, Loader=yaml.CSafeLoader)
    md.render(body)
"""


def timed(command: list[str], runs: int) -> tuple[float, float]:
    """Median wall seconds and the peak RSS (MiB) of the child processes."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return statistics.median(times), peak_kib / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus-script", type=Path, default=DEFAULT_CORPUS_SCRIPT)
    args = parser.parse_args()

    print(f"{'articles':>8}  {'baseline':>9}  {'sitegen build':>13}  {'ratio':>6}  "
          f"{'second build':>12}  {'peak RSS':>9}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            site = Path(tmp) / "site"
            corpus.make_site(site, size, args.corpus_script)
            baseline, _ = timed([sys.executable, "-c", BASELINE, str(site / "content")],
                                args.runs)
            # --future: the corpus's dates run past today, and every article should count
            build = [sys.executable, "-m", "sitegen", "build", "-q", "--future", "-s", str(site)]
            shutil.rmtree(site / "_site", ignore_errors=True)
            full, rss = timed(build, args.runs)
            again, _ = timed(build, args.runs)
            print(f"{size:>8}  {baseline:>8.2f}s  {full:>12.2f}s  {full / baseline:>5.2f}x  "
                  f"{again:>11.2f}s  {rss:>6.0f} MiB")


if __name__ == "__main__":
    main()
