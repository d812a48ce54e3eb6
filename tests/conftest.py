"""Shared fixtures: inline sites in tmp_path, and an in-memory build with a fixed clock."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitegen.build import BuildOptions, BuiltSite, build_in_memory

REPO = Path(__file__).resolve().parent.parent
# Every test builds "now" as this instant, so drafts and future dates never depend on today.
NOW = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-golden", action="store_true",
                     help="rewrite the expected output of the golden site instead of comparing "
                          "with it; the golden test then reports itself skipped, never passed")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show the figures tests recorded with ``record_property("figure", ...)``, such as how
    many steps of the incremental property test built."""
    figures = [value for reports in terminalreporter.stats.values() for report in reports
               if getattr(report, "when", None) == "call"
               for name, value in getattr(report, "user_properties", ()) if name == "figure"]
    if figures:
        terminalreporter.section("figures")
        for figure in figures:
            terminalreporter.write_line(str(figure))


@pytest.fixture(autouse=True)
def indexers_closed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Closes, after each test, the search indexers of the watch-mode builders it made: an
    index still being written in a thread would keep a later test's pool from forking."""
    from sitegen import search
    made: list[search.Indexer] = []
    real_init = search.Indexer.__init__

    def init(self: search.Indexer, *args: object, **kwargs: object) -> None:
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]
        made.append(self)

    monkeypatch.setattr(search.Indexer, "__init__", init)
    yield
    for indexer in made:
        indexer.close()


@pytest.fixture
def cache_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Builds of the repository's own example keep their cache out of the checkout."""
    folder = tmp_path / "sitegen-cache"
    monkeypatch.setenv("SITEGEN_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Write dedented inline files into a fresh site folder and return it."""

    def make(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "site"
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        root.mkdir(exist_ok=True)
        return root

    return make


def memory_build(root: Path, **options: object) -> BuiltSite:
    options.setdefault("now", NOW)
    return build_in_memory(root, BuildOptions(**options))  # type: ignore[arg-type]


def article(title: str = "A story", section: str = "news", date: str = "2025-03-04",
            author: str = "Min Kim", extra: str = "", body: str = "Body text.") -> str:
    """The text of a valid article; ``extra`` adds front matter lines."""
    lines = [f"title: {title!r}" if "'" not in title else f'title: "{title}"',
             f"date: {date}", f"section: {section}", f"author: {author}"]
    lines += [line for line in textwrap.dedent(extra).splitlines() if line.strip()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + textwrap.dedent(body).strip() + "\n"


class _StartTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def start_tags(html: str | bytes) -> list[tuple[str, dict[str, str | None]]]:
    """Every start tag of an HTML text, in order, with its attributes."""
    parser = _StartTags()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.tags


def spy_forks(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The start methods of the worker pools the test makes from now on (pool.py)."""
    from sitegen import pool
    methods: list[str | None] = []
    real = pool.multiprocessing.get_context

    def spied(method: str | None = None) -> object:
        methods.append(method)
        return real(method)

    monkeypatch.setattr(pool.multiprocessing, "get_context", spied)
    return methods
