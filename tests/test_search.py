"""Client-side search (search.py): the Pagefind bundle a build writes, what its index holds,
the search page and box, base paths, Korean, watch mode, and a missing binary."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import NOW, article
from typer.testing import CliRunner

from sitegen import search
from sitegen.build import BuildOptions, build
from sitegen.check import run_check
from sitegen.cli import app
from sitegen.errors import BuildFailed, SitegenError, UsageError
from sitegen.output import SiteWriter
from sitegen.watch import DevBuilder

MakeSite = Callable[[dict[str, str | bytes]], Path]

CONFIG = """\
title = "The Test Times"
tagline = "Mastheadonly words"
copyright = "Footeronly words"
"""

SITE = {
    "sitegen.toml": CONFIG,
    "content/news/vote.md": article(
        "Council passes the budget", date="2025-03-04", author="Mina Park",
        extra="tags: [Student Council]", body="The zephyrine amendment passed at lunch."),
    "content/sports/final.md": article(
        "Hawks win the final", section="sports", date="2024-11-02",
        body="A quokkabird goal in the last minute."),
    "content/news/gone.md": article(
        "Withdrawn story", date="2025-01-05", extra='withdrawn: "It named a student."',
        body="Tombstonian words that must never be found."),
    "content/news/draft.md": article(
        "Draft story", date="2025-01-06", extra="draft: true", body="Draftonian words."),
}


def run_build(root: Path, out: Path, **options: object) -> Path:
    build(root, BuildOptions(now=NOW, output=out, **options))  # type: ignore[arg-type]
    return out


def fragments(out: Path) -> dict[str, dict]:
    """What the index holds of each page: Pagefind's fragment files, by URL."""
    pages = {}
    for path in (out / "pagefind/fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        page = json.loads(data[len(b"pagefind_dcd"):])
        pages[page["url"]] = page
    return pages


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    return make_site(SITE)


def test_build_writes_the_bundle_and_indexes_only_stories(site: Path, tmp_path: Path) -> None:
    out = run_build(site, tmp_path / "out")
    bundle = out / "pagefind"
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    assert list((bundle / "index").glob("*.pf_index"))
    # Pagefind ran over the output folder: results are addressed from the site's root.
    pages = fragments(out)
    assert sorted(pages) == ["/news/vote/", "/sports/final/"]  # no list, tag, tombstone...
    assert (out / "search/index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]  # no temporary folder


def test_the_index_holds_headline_byline_body_and_tags_and_no_page_chrome(
        site: Path, tmp_path: Path) -> None:
    vote = fragments(run_build(site, tmp_path / "out"))["/news/vote/"]
    text = vote["content"]
    for words in ("Council passes the budget", "Mina Park", "zephyrine", "Student Council"):
        assert words in text
    for chrome in ("Mastheadonly", "Footeronly", "Back to top", "Skip to main", "min read",
                   "Sports", "Tags"):
        assert chrome not in text
    assert vote["meta"] == {"title": "Council passes the budget", "section": "News",
                            "date": "March 4, 2025"}
    assert vote["filters"] == {"section": ["News"], "year": ["2025"]}


def test_data_pagefind_body_wraps_only_the_story(site: Path, tmp_path: Path) -> None:
    out = run_build(site, tmp_path / "out")
    html = (out / "news/vote/index.html").read_text()
    assert html.count("data-pagefind-body") == 1
    story = html[html.index("<article"):html.index("</article>")]
    assert "data-pagefind-body" in story.split(">", 1)[0]
    assert "data-pagefind-body" not in (out / "news/gone/index.html").read_text()  # tombstone
    for page in ("index.html", "news/index.html", "search/index.html", "404.html"):
        assert "data-pagefind-body" not in (out / page).read_text(), page


def test_withdrawn_and_draft_stories_are_never_indexed(site: Path, tmp_path: Path) -> None:
    out = run_build(site, tmp_path / "out")
    everything = b"".join(gzip.decompress(p.read_bytes())
                          for p in (out / "pagefind").rglob("*.pf_*"))
    assert b"Tombstonian" not in everything and b"tombstonian" not in everything
    assert b"Draftonian" not in everything and b"draftonian" not in everything


def test_the_search_box_is_a_plain_get_form_to_the_search_page(site: Path,
                                                                tmp_path: Path) -> None:
    out = run_build(site, tmp_path / "out")
    html = (out / "news/vote/index.html").read_text()
    form = re.search(r'<form id="site-search"[^>]*>.*?</form>', html, re.S)
    assert form is not None
    assert 'role="search"' in form[0] and 'action="/search/"' in form[0]
    assert 'method="get"' in form[0]
    assert re.search(r'<label>.*<input type="search" name="q"[^>]*></label>', form[0], re.S)
    assert "<script" not in form[0]
    search_page = (out / "search/index.html").read_text()
    assert 'id="site-search"' not in search_page  # the page has Pagefind's own box
    assert '<meta name="robots" content="noindex">' in search_page
    assert "/search/" not in (out / "sitemap.xml").read_text()


def test_base_path_is_honoured_by_the_box_and_the_search_page(site: Path,
                                                              tmp_path: Path) -> None:
    out = run_build(site, tmp_path / "out", base_url="https://example.github.io/paper/")
    assert 'action="/paper/search/"' in (out / "index.html").read_text()
    page = (out / "search/index.html").read_text()
    assert 'const bundle = "/paper/pagefind/";' in page
    assert 'script.src = bundle + "pagefind-ui.js";' in page
    assert 'style.href = bundle + "pagefind-ui.css";' in page
    assert "bundlePath: bundle," in page and 'baseUrl: "/paper/",' in page
    assert (out / "pagefind/pagefind-ui.js").is_file()
    assert "new URLSearchParams(location.search).get(\"q\")" in page


def test_search_off_writes_no_page_no_box_and_no_index(make_site: MakeSite, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "_locate", lambda: None)  # and needs no Pagefind
    root = make_site({**SITE, "sitegen.toml": CONFIG + "search = false\n"})
    out = run_build(root, tmp_path / "out")
    assert not (out / "pagefind").exists()
    assert not (out / "search").exists()
    for path, data in tree(out).items():
        if path.endswith(".html"):
            # (data-pagefind-* attributes stay in the story: they do nothing without it)
            assert b"site-search" not in data and b"/pagefind/" not in data, path


def edit_or_clean(site: Path, how: str) -> dict[str, object]:
    """A build that must index again: with an article edited (the output is updated in
    place) or from scratch (a fresh folder is swapped in). Returns the build's options."""
    if how == "edited":
        story = site / "content/sports/final.md"
        story.write_text(story.read_text() + "\nA new paragraph.\n")
        return {}
    return {"clean": True}


@pytest.mark.parametrize("how", ["edited", "clean"])
def test_a_missing_binary_is_a_clear_error_and_keeps_the_last_site(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    out = run_build(site, tmp_path / "out")
    before = tree(out)
    monkeypatch.setattr(search, "_locate", lambda: None)
    options = edit_or_clean(site, how)
    with pytest.raises(UsageError, match=r"pip install 'pagefind\[bin\]'.*search = false"):
        run_build(site, out, **options)
    assert tree(out) == before
    assert not list(out.parent.glob(".out.tmp-*"))  # no folder left half-written
    result = CliRunner().invoke(app, ["build", "-s", str(site), "-o", str(out)])
    assert result.exit_code == 2
    assert "pagefind[bin]" in result.output


def test_a_binary_named_by_the_environment_must_exist(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(UsageError, match="pagefind"):
        search.find_pagefind()


@pytest.mark.parametrize("how", ["edited", "clean"])
def test_a_failing_pagefind_fails_the_build_and_keeps_the_last_site(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    out = run_build(site, tmp_path / "out")
    before = tree(out)
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: the index exploded' >&2\nexit 1\n")
    fake.chmod(0o755)
    options = edit_or_clean(site, how)
    with monkeypatch.context() as patched:
        patched.setattr(search, "_locate", lambda: fake)
        with pytest.raises(BuildFailed, match="Pagefind could not index the site: Error: the "
                                              "index exploded"):
            run_build(site, out, **options)
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []
    run_build(site, out)  # the next build goes through, index and all
    if how == "edited":
        assert b"A new paragraph" in (out / "sports/final/index.html").read_bytes()
        assert "A new paragraph" in str(fragments(out))


def test_check_needs_no_index_and_no_binary(site: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "_locate", lambda: None)
    report = run_check(site, BuildOptions(now=NOW))
    assert report.errors == []


def test_pages_and_files_may_not_land_in_the_index_folder(make_site: MakeSite,
                                                          tmp_path: Path) -> None:
    root = make_site({**SITE, "static/pagefind/notes.txt": "mine"})
    with pytest.raises(BuildFailed, match=r"static/pagefind/notes.txt would be published as "
                                          r"pagefind/notes.txt, inside /pagefind/"):
        run_build(root, tmp_path / "out")
    root = make_site({"sitegen.toml": CONFIG + 'permalink = "/{slug}/"\n',
                      "content/news/pagefind.md": article("Page find")})
    with pytest.raises(BuildFailed, match="inside /pagefind/ where the search index goes"):
        run_build(root, tmp_path / "out")


def test_builds_of_the_same_site_give_the_same_index(site: Path, tmp_path: Path) -> None:
    """Pagefind lists filter values in a random order each run; settle_order sorts them."""
    first = tree(run_build(site, tmp_path / "one") / "pagefind")
    for n in range(3):
        assert tree(run_build(site, tmp_path / f"again{n}") / "pagefind") == first


def test_a_korean_site_is_indexed_in_korean(make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site({
        "sitegen.toml": 'title = "예시 신문"\nlanguage = "ko"\ntimezone = "Asia/Seoul"\n',
        "content/news/vote.md": article("학생회 예산안 통과", author="박민아",
                                        body="학생회는 점심시간에 예산안을 통과시켰습니다."),
    })
    out = run_build(root, tmp_path / "out")
    assert '<html lang="ko">' in (out / "search/index.html").read_text()
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["ko"]
    page = fragments(out)["/news/vote/"]
    assert "학생회는 점심시간에" in page["content"] and "박민아" in page["content"]
    assert page["meta"]["date"] == "2025년 3월 4일"
    found = query(out, "/", "학생회", "예산", "예시")
    assert found["학생회"] == ["/news/vote/"]
    assert found["예산"] == ["/news/vote/"]  # a word's start finds it: 예산안을
    assert found["예시"] == []  # the paper's name is only in the masthead


# Pagefind's own search code, run by Node over the written bundle (fetch reads the files).
QUERY_JS = """
import fs from "node:fs";
import path from "node:path";
const [site, base, ...terms] = process.argv.slice(2);
globalThis.fetch = async (url) => {
  const wanted = decodeURIComponent(new URL(url, "http://site.invalid").pathname);
  const file = path.join(site, wanted.slice(base.length));
  if (!wanted.startsWith(base) || !fs.existsSync(file)) return { ok: false, status: 404 };
  const data = fs.readFileSync(file);
  return { ok: true, status: 200, json: async () => JSON.parse(data),
           arrayBuffer: async () => data.buffer.slice(data.byteOffset,
                                                      data.byteOffset + data.byteLength) };
};
const pagefind = await import(path.resolve(site, "pagefind/pagefind.js"));
await pagefind.options({ basePath: base + "pagefind/", baseUrl: base });
// A term "section=News" lists what that filter value holds; "(filters)" gives the counts.
const found = { "(filters)": await pagefind.filters() };
for (const term of terms) {
  const [name, value] = term.split("=");
  const search = value === undefined ? await pagefind.search(term)
    : await pagefind.search(null, { filters: { [name]: value } });
  found[term] = await Promise.all(search.results.map(async (r) => (await r.data()).url));
}
console.log(JSON.stringify(found));
"""


def query(out: Path, base: str, *terms: str) -> dict[str, object]:
    node = shutil.which("node")
    if node is None:  # in CI a missing Node.js fails: the check must not quietly go away
        message = "Node.js runs Pagefind's search code here; it is not installed"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    script = out.parent / "query.mjs"
    script.write_text(QUERY_JS)
    done = subprocess.run([node, str(script), str(out), base, *terms], capture_output=True,
                          text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def test_searching_finds_story_words_and_not_the_page_chrome(site: Path,
                                                             tmp_path: Path) -> None:
    out = run_build(site, tmp_path / "out", base_url="https://example.github.io/paper/")
    found = query(out, "/paper/", "zephyrine", "quokkabird", "Mina", "footeronly",
                  "mastheadonly", "tombstonian", "draftonian", "section=Sports", "year=2025")
    assert found == {"zephyrine": ["/paper/news/vote/"], "quokkabird": ["/paper/sports/final/"],
                     "Mina": ["/paper/news/vote/"], "footeronly": [], "mastheadonly": [],
                     "tombstonian": [], "draftonian": [],
                     # the filters still read right once settle_order has sorted them
                     "(filters)": {"section": {"News": 1, "Sports": 1},
                                   "year": {"2024": 1, "2025": 1}},
                     "section=Sports": ["/paper/sports/final/"],
                     "year=2025": ["/paper/news/vote/"]}


# Watch mode


def test_the_writer_leaves_the_index_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".sitegen-output").write_bytes(b"")
    (out / "pagefind").mkdir()
    (out / "pagefind/pagefind.js").write_text("the last index")
    writer = SiteWriter(out)
    writer.write({"index.html": b"home", "old/index.html": b"old"}, {}, keep=("pagefind",))
    assert (out / "pagefind/pagefind.js").read_text() == "the last index"  # survived the swap
    writer.write({"index.html": b"home 2"}, {}, keep=("pagefind",))
    assert not (out / "old").exists()  # its own stale pages go...
    assert (out / "pagefind/pagefind.js").read_text() == "the last index"  # ...the index stays
    fresh = SiteWriter(tmp_path / "other")
    (tmp_path / "other").mkdir()
    (tmp_path / "other/pagefind").mkdir()
    fresh.write({"index.html": b"home"}, {})  # search off: not kept
    assert not (tmp_path / "other/pagefind").exists()


def test_watch_mode_indexes_in_the_background_after_each_write(site: Path,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "out"
    problems: list[SitegenError] = []
    dev = DevBuilder(site, BuildOptions(now=NOW), out, on_search_error=problems.append)
    try:
        dev.rebuild()
        assert dev.indexer.wait(timeout=60)
        assert "zephyrine" in fragments(out)["/news/vote/"]["content"]
        (site / "content/news/vote.md").write_text(article(
            "Council passes the budget", date="2025-03-04", body="Now about xylophonics."))
        dev.rebuild()
        assert dev.indexer.wait(timeout=60)
        assert "xylophonics" in fragments(out)["/news/vote/"]["content"]
        (site / "sitegen.toml").write_text(CONFIG + "search = false\n")
        dev.rebuild()
        assert dev.indexer.wait(timeout=60)
        assert not (out / "pagefind").exists() and not (out / "search").exists()
    finally:
        dev.indexer.close()
    assert problems == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def test_watch_mode_without_the_binary_writes_nothing(site: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "_locate", lambda: None)
    dev = DevBuilder(site, BuildOptions(now=NOW), tmp_path / "out")
    with pytest.raises(UsageError, match="pagefind"):
        dev.rebuild()
    assert not (tmp_path / "out").exists()


def test_one_index_at_a_time_and_the_latest_wins(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    running, most, runs = 0, 0, []
    lock = threading.Lock()

    def slow_index(folder: Path, binary: Path, has_articles: bool) -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        runs.append(folder.name)
        with lock:
            running -= 1

    monkeypatch.setattr(search, "index_site", slow_index)
    indexer = search.Indexer()
    try:
        for n in range(6):
            indexer.request(tmp_path / f"build{n}", tmp_path / "pagefind", True)
            time.sleep(0.01)
        assert indexer.wait(timeout=10)
    finally:
        indexer.close()
    assert most == 1
    assert runs[-1] == "build5"  # the latest write is the one indexed last...
    assert len(runs) < 6  # ...and the writes made during a run were not all indexed


def test_a_failed_background_index_is_reported(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    def failing(folder: Path, binary: Path, has_articles: bool) -> None:
        raise BuildFailed([SitegenError("Pagefind could not index the site: boom")])

    monkeypatch.setattr(search, "index_site", failing)
    problems: list[SitegenError] = []
    indexer = search.Indexer(problems.append)
    indexer.request(tmp_path, tmp_path / "pagefind", True)
    assert indexer.wait(timeout=10)
    indexer.close()
    assert [str(p) for p in problems] == ["Pagefind could not index the site: boom"]
