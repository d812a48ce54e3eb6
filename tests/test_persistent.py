"""A build that starts from what earlier builds left in .sitegen/ (state.py) writes exactly
what a clean build writes: after any sequence of edits, after a build that was killed at
any point, and whatever the number of jobs."""

from __future__ import annotations

import errno
import gc
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import NOW, article, spy_forks
from hypothesis import given, settings
from test_incremental import BUILT_AT_LEAST, apply, sequences, start_site

from sitegen import build as build_module
from sitegen import cache as cache_module
from sitegen import markdown, pool
from sitegen import state as state_module
from sitegen.build import BuildOptions, build
from sitegen.errors import BuildFailed
from sitegen.output import MARKER

OPTIONS = BuildOptions(now=NOW)
NO_SEARCH = "search = false\n"  # Pagefind is tested on its own (test_search.py): it is slow


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != MARKER}


def on_disk(root: Path, out: Path, **options: object) -> tuple:
    """Build to disk from the site's cache: the pages written, or the errors."""
    try:
        build(root, BuildOptions(now=NOW, output=out, **options))  # type: ignore[arg-type]
    except BuildFailed as exc:
        return ("failed", tuple(str(e) for e in exc.errors))
    return ("built", tree(out))


def clean(root: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch) -> tuple:
    """A clean build: its own empty cache, its own output folder."""
    with monkeypatch.context() as patched:
        cache = scratch / "clean-cache"
        patched.setenv("SITEGEN_CACHE_DIR", str(cache))
        outcome = on_disk(root, scratch / "clean-out", clean=True)
    return outcome


@contextmanager
def markdown_renders(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The files whose Markdown is rendered (in this process) while the block runs."""
    rendered: list[str] = []
    real = markdown.render

    def counted(body: str, *args: object, **kwargs: object) -> markdown.RenderedBody:
        rendered.append(str(kwargs.get("path")))
        return real(body, *args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patched:
        patched.setattr(markdown, "render", counted)
        yield rendered


def test_any_sequence_of_edits_built_from_the_cache_matches_a_clean_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        record_property: Callable[[str, object], None]) -> None:
    steps: Counter[str] = Counter()  # built or failed
    # How each build that built went: from the kept state in place, with nothing to do, or
    # afresh. A step built afresh proves nothing about the kept state: their share counts.
    taken: Counter[str] = Counter()
    ways: list[str] = []
    in_place, nothing_to_do = build_module._build_in_place, build_module._nothing_to_do

    def spied_in_place(*args: object) -> object:
        ways.append("in place")
        return in_place(*args)  # type: ignore[arg-type]

    def spied_nothing_to_do(*args: object) -> bool:
        answer = nothing_to_do(*args)  # type: ignore[arg-type]
        if answer:
            ways.append("nothing to do")
        return answer

    monkeypatch.setattr(build_module, "_build_in_place", spied_in_place)
    monkeypatch.setattr(build_module, "_nothing_to_do", spied_nothing_to_do)

    @settings(max_examples=40, deadline=None, derandomize=True, database=None)
    @given(sequences)
    def check(sequence: list) -> None:
        root = tmp_path / "site"
        start_site(root)
        (root / "sitegen.toml").write_text(NO_SEARCH)
        out = tmp_path / "out"
        assert on_disk(root, out)[0] == "built", "the starting site does not build"
        for edit in sequence:
            apply(root, edit)
            ways.clear()
            result = on_disk(root, out)
            if result[0] == "built":
                taken[ways[0] if ways else "afresh"] += 1
            assert result == clean(root, tmp_path, monkeypatch), edit
            steps[result[0]] += 1

    check()
    built, total = steps["built"], steps.total()
    summary = (f"{built} of {total} steps built ({built / total:.0%}): {taken['in place']} in "
               f"place, {taken['nothing to do']} with nothing to do, {taken['afresh']} afresh")
    record_property("figure", f"persistent-cache property test: {summary}")
    assert built >= BUILT_AT_LEAST * total, f"only {summary}: the test proves little"
    assert taken["in place"] + taken["nothing to do"] >= 0.8 * built, summary
    assert taken["in place"] >= 0.3 * built, summary  # the kept state really rendered


@pytest.fixture
def site(make_site) -> Path:
    return make_site({
        "sitegen.toml": NO_SEARCH,
        "content/news/a.md": article("First story", date="2025-01-01", extra="tags: [Budget]"),
        "content/news/b.md": article("Second story", date="2025-01-02",
                                     body="See [the first](a.md)."),
        "content/sports/c.md": article("Match report", section="sports", date="2025-01-03"),
    })


def test_nothing_changed_writes_nothing(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, BuildOptions(now=NOW, output=out))
    times = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    build(site, BuildOptions(now=NOW, output=out))
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == times


def test_one_edit_rewrites_only_the_pages_that_show_it(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(site, BuildOptions(now=NOW, output=out))
    before = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*.html")}
    story = site / "content/sports/c.md"
    story.write_text(story.read_text() + "\nOne more line.\n")
    build(site, BuildOptions(now=NOW, output=out))
    after = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*.html")}
    rewritten = sorted(path for path in after if after[path] != before.get(path))
    assert rewritten == ["sports/c/index.html"]
    assert b"One more line." in (out / "sports/c/index.html").read_bytes()


def test_an_edited_or_deleted_output_file_is_written_again(site: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    out = tmp_path / "out"
    build(site, BuildOptions(now=NOW, output=out))
    expected = tree(out)
    (out / "news/a/index.html").write_bytes(b"defaced")
    (out / "sports/c/index.html").unlink()
    (out / "assets/style.css").write_text("body{}")
    build(site, BuildOptions(now=NOW, output=out))
    assert tree(out) == expected
    (out / "stray.html").write_text("not ours")  # an unknown file: the folder is rewritten
    build(site, BuildOptions(now=NOW, output=out))
    assert tree(out) == expected


def test_the_clock_alone_can_change_the_site(site: Path, tmp_path: Path) -> None:
    """Nothing changed but time: a story whose date has come is published."""
    later = site / "content/news/later.md"
    later.write_text(article("Scheduled story", date="2025-03-01"))
    out = tmp_path / "out"
    before = NOW.replace(year=2025, month=2, day=1)
    build(site, BuildOptions(now=before, output=out))
    assert not (out / "news/later/index.html").exists()
    build(site, BuildOptions(now=before.replace(day=2), output=out))
    assert not (out / "news/later/index.html").exists()
    build(site, BuildOptions(now=before.replace(month=3, day=2), output=out))
    assert (out / "news/later/index.html").exists()


@pytest.mark.parametrize("loss", ["deleted", "damaged"])
def test_stories_bodies_lost_from_the_cache_are_rendered_again(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loss: str) -> None:
    """Bodies are kept as files of the cache (bodies.py), not in the state: deleted ones are
    missed when the state is loaded, damaged ones when a page reads them."""
    out = tmp_path / "out"
    build(site, BuildOptions(now=NOW, output=out))
    kept = sorted(p for p in (site / ".sitegen/bodies").rglob("*") if p.is_file())
    assert len(kept) == 2  # one per body (two stories have the same text)
    assert not any(b"See <a" in p.read_bytes()
                   for p in (site / ".sitegen/state").rglob("*.pickle"))
    for path in kept:
        if loss == "deleted":
            path.unlink()
        else:
            path.write_bytes(path.read_bytes().replace(b"<p>", b"<p>Tampered "))
    shutil.rmtree(out)  # every page is rendered again, from the kept state
    with markdown_renders(monkeypatch) as rendered:
        result = on_disk(site, out)
    assert result[0] == "built", result
    assert sorted(rendered) == ["content/news/a.md", "content/news/b.md",
                                "content/sports/c.md"]
    assert result == clean(site, tmp_path, monkeypatch)
    assert b"Tampered" not in b"".join(tree(out).values())


def test_the_monthly_clean_up_keeps_the_bodies_the_site_still_shows(
        site: Path, tmp_path: Path) -> None:
    """An archive's old stories are seldom rendered again: their bodies stay in the cache
    however old; a body no story has any more goes after a month."""
    out = tmp_path / "out"
    build(site, BuildOptions(now=NOW, output=out))
    story = site / "content/news/b.md"
    story.write_text(story.read_text().replace("See [the first]", "Read [the first]"))
    build(site, BuildOptions(now=NOW, output=out))
    bodies = sorted(p for p in (site / ".sitegen/bodies").rglob("*") if p.is_file())
    assert len(bodies) == 3  # b's old body, b's new one, and the one a and c share
    month_ago = time.time() - 31 * 24 * 3600
    for path in [*bodies, site / ".sitegen/pruned"]:
        os.utime(path, (month_ago, month_ago))
    story.write_text(story.read_text() + "\nA second edit.\n")
    build(site, BuildOptions(now=NOW, output=out))
    left = sorted(p for p in (site / ".sitegen/bodies").rglob("*") if p.is_file())
    assert len(left) == 2  # the shared body (old, still shown) and b's newest
    assert [p for p in bodies if p in left and b"Read" in p.read_bytes()] == []
    assert on_disk(site, tmp_path / "again") == ("built", tree(out))


@pytest.mark.parametrize("damage", ["truncated", "garbage", "foreign", "our-class"])
def test_a_damaged_state_is_ignored(site: Path, tmp_path: Path, damage: str,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build(site, BuildOptions(now=NOW, output=out))
    story = site / "content/news/a.md"
    story.write_text(story.read_text() + "\nAn edit.\n")
    for path in sorted((site / ".sitegen/state").rglob("*.pickle")):
        data = path.read_bytes()
        if damage == "truncated":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "garbage":
            path.write_bytes(os.urandom(len(data)))
        elif damage == "foreign":  # a pickle that would run code when loaded: refused
            path.write_bytes(b"cos\nsystem\n(S'touch " + str(tmp_path / "pwned").encode()
                             + b"'\ntR.")
        else:  # one of ours that makes folders when made (FreshFolder): refused too
            path.write_bytes(b"csitegen.output\nFreshFolder\n(cpathlib\nPosixPath\n(S'"
                             + str(tmp_path / "pwned").encode() + b"'\ntRtR.")
    assert on_disk(site, out) == clean(site, tmp_path, monkeypatch)
    assert not [p.name for p in tmp_path.iterdir() if "pwned" in p.name]


def test_jobs_1_and_jobs_2_write_the_same_site(make_site, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Enough stories that bodies and pages go to worker processes (pool.map_inherited)."""
    forked = spy_forks(monkeypatch)
    files = {"sitegen.toml": NO_SEARCH}
    for number in range(90):
        files[f"content/news/story-{number}.md"] = article(
            f"Story {number}", date=f"2025-01-{number % 28 + 1:02d}",
            extra=f"tags: [Tag {number % 7}]",
            body=f"Paragraph {number} with [a link](story-{(number + 1) % 90}.md).")
    root = make_site(files)
    one = on_disk(root, tmp_path / "one", jobs=1)
    assert forked == []
    two = on_disk(root, tmp_path / "two", jobs=2, clean=True)
    assert forked == ["fork", "fork"]  # the bodies, then the pages
    assert one[0] == "built" and len(one[1]) > 100
    assert one == two


# A build killed at a point of its work, in a process of its own (SIGKILL: nothing is
# tidied up). The wrapper replaces one function with one that kills the process when it is
# called for the n-th time.
KILLER = textwrap.dedent("""
    import os, signal, sys
    import importlib
    module, name, nth = sys.argv[1], sys.argv[2], int(sys.argv[3])
    target = importlib.import_module(module)
    owner, _, attribute = name.rpartition(".")
    holder = getattr(target, owner) if owner else target
    real = getattr(holder, attribute)
    calls = [0]
    def killing(*args, **kwargs):
        calls[0] += 1
        if calls[0] == nth:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    setattr(holder, attribute, killing)
    from sitegen.cli import main
    sys.argv = ["sitegen", "build", *sys.argv[4:]]
    main()
""")


@pytest.mark.parametrize(("module", "function", "nth"), [
    ("os", "replace", 2),  # some pages renamed into place, others not
    ("os", "replace", 1),
    ("sitegen.state", "_pickle", 2),  # the state half written
    ("sitegen.state", "_pickle", 1),
    ("sitegen.output", "file_stat", 3),  # new files in place, the record not yet updated
    ("sitegen.cache", "BuildCache.save", 1),  # the site and state written, hashes not
])
def test_a_build_killed_at_any_point_leaves_a_cache_the_next_build_can_trust(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str,
        function: str, nth: int) -> None:
    out = tmp_path / "out"
    command = ["-s", str(site), "-o", str(out), "-q"]
    build(site, BuildOptions(output=out))
    for path, addition in (("content/news/a.md", "\nNew words.\n"),
                           ("content/sports/c.md", "\nMore words.\n")):
        story = site / path
        story.write_text(story.read_text() + addition)
    (site / "content/news/b.md").unlink()
    killed = subprocess.run([sys.executable, "-c", KILLER, module, function, str(nth),
                             *command], capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    again = subprocess.run([sys.executable, "-m", "sitegen", "build", *command],
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    with monkeypatch.context() as patched:
        patched.setenv("SITEGEN_CACHE_DIR", str(tmp_path / "clean-cache"))
        build(site, BuildOptions(output=tmp_path / "clean-out"))
    assert tree(out) == tree(tmp_path / "clean-out")
    assert b"New words." in (out / "news/a/index.html").read_bytes()
    assert not (out / "news/b").exists()


def test_a_fresh_checkout_with_the_cache_restored_renders_no_markdown_again(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As in GitHub Actions: the checkout is new (new file times and inodes), .sitegen/ comes
    back from actions/cache, the output folder does not exist."""
    build(site, BuildOptions(now=NOW))
    cache = tmp_path / "restored-cache"
    shutil.copytree(site / ".sitegen", cache)
    checkout = tmp_path / "checkout"
    shutil.copytree(site, checkout, ignore=shutil.ignore_patterns(".sitegen", "_site"))
    shutil.rmtree(site)
    shutil.copytree(checkout, site)  # the same path, every file new
    shutil.copytree(cache, site / ".sitegen")
    story = site / "content/sports/c.md"
    story.write_text(story.read_text() + "\nThe push's edit.\n")
    with markdown_renders(monkeypatch) as rendered:
        result = on_disk(site, site / "_site")
    assert rendered == ["content/sports/c.md"]
    assert result == clean(site, tmp_path, monkeypatch)


def test_a_cache_that_cannot_be_written_costs_time_not_the_site(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build(site, BuildOptions(now=NOW, output=out))
    real = cache_module.BuildCache.store

    def disk_full(self: object, kind: str, *args: object, **kwargs: object) -> object:
        if kind == "state":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, kind, *args, **kwargs)  # type: ignore[arg-type]

    story = site / "content/news/a.md"
    with monkeypatch.context() as patched:
        patched.setattr(cache_module.BuildCache, "store", disk_full)
        story.write_text(story.read_text() + "\nFirst edit.\n")
        assert on_disk(site, out) == clean(site, tmp_path, monkeypatch)
    story.write_text(story.read_text().replace("First edit.", "Second edit."))
    assert on_disk(site, out) == clean(site, tmp_path, monkeypatch)  # from the older entry
    story.write_text(story.read_text().replace("Second edit.", "First edit."))
    assert on_disk(site, out) == clean(site, tmp_path, monkeypatch)


def test_watch_mode_starts_from_what_the_last_build_kept(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen.watch import DevBuilder

    build(site, BuildOptions(now=NOW))  # into site/_site, as `sitegen build` does
    story = site / "content/sports/c.md"
    story.write_text(story.read_text() + "\nWritten since.\n")
    with markdown_renders(monkeypatch) as rendered:
        dev = DevBuilder(site, BuildOptions(now=NOW), tmp_path / "preview")
        dev.rebuild()
    assert rendered == ["content/sports/c.md"]
    assert tree(tmp_path / "preview") == clean(site, tmp_path, monkeypatch)[1]


def stories(count: int, tags: int) -> dict[str, str]:
    """A site of ``count`` stories, one a day in turn over January, ``tags`` tags in turn."""
    files = {"sitegen.toml": NO_SEARCH}
    for number in range(count):
        files[f"content/news/story-{number:02}.md"] = article(
            f"Story {number}", date=f"2025-01-{number % 28 + 1:02d}",
            extra=f"tags: [Tag {number % tags}]", body=f"Paragraph {number}.")
    return files


def test_the_memory_is_saved_in_pieces_that_share_the_stories(
        make_site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The builder's memory goes to the cache part by part, a large dict in pieces, each a
    pickle of its own (state.py); loaded, the stories, their bodies and their tags are still
    one object wherever the site, the reads and the bodies hold them, and a build that starts
    from it writes what a clean build writes."""
    monkeypatch.setattr(state_module, "PIECE", 3)
    pickles = []
    real_pickler = state_module._pickler
    monkeypatch.setattr(state_module, "_pickler",
                        lambda file, shared: pickles.append(shared) or real_pickler(file, shared))
    root = make_site(stories(12, tags=3))
    out = tmp_path / "out"
    assert on_disk(root, out)[0] == "built"
    assert len([shared for shared in pickles if shared is not None]) > 12  # pieces of 3
    memory = state_module.Memory(cache_module.BuildCache(root), out, (False, False, None))
    assert memory.load_record() is not None
    saved = memory.load_builder(pages=True)
    assert saved is not None
    assert list(saved["reads"]) == [f"news/story-{number:02}.md" for number in range(12)]
    articles = {article.source: article for article in saved["previous.site"].articles}
    assert len(articles) == 12
    tags: dict[str, object] = {}
    for read in saved["reads"].values():
        story = read.article
        assert story is articles[story.source]  # the very object, across parts and pieces
        assert saved["bodies"][story.source].rendered.html is story.html
        assert tags.setdefault(story.tags[0].name, story.tags[0]) is story.tags[0]
    assert len(tags) == 3
    (root / "content/news/story-05.md").write_text(article(
        "Story 5, edited", date="2025-01-06", extra="tags: [Tag 1]", body="Edited."))
    assert on_disk(root, out) == clean(root, tmp_path, monkeypatch)


def test_what_the_pages_read_is_kept_as_lists_that_make_it_again(make_site) -> None:
    """deps.PageCache.parts names paths and reader groups by place, so that each list can be
    pickled in pieces; from_parts gives back the same records and reads."""
    import pickle

    from sitegen.deps import PageCache
    builder = build_module.Builder(make_site(stories(9, tags=2)), OPTIONS)
    builder.build()
    cache = builder._pages

    def plain(pages: PageCache) -> tuple:
        return ({path: (record.context, record.deps) for path, record in pages.pages.items()},
                {key: dict(pages._reads_of(key)) for key in pages.values})

    expected = plain(cache)
    assert len(expected[0]) > 20 and len(expected[1]) > 9
    again = PageCache.from_parts(pickle.loads(pickle.dumps(cache.parts())))
    assert plain(again) == expected
    assert type(next(iter(cache.values.values()))) is tuple  # compacted as it was written


def test_workers_that_forget_the_reads_they_gave_still_record_every_read(
        make_site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page worker gives each read once in a while, not once a build (deps.GIVEN): reads
    given again are the same reads, so an edit after such a build still renders again
    every page that showed what changed."""
    from sitegen import deps, render
    monkeypatch.setattr(deps, "GIVEN", 4)
    root = make_site(stories(90, tags=7))
    forgotten = []  # in this process (--jobs 1): how often the reads given were forgotten
    real_summarize = render.summarize
    monkeypatch.setattr(render, "summarize", lambda reads, given: forgotten.append(
        len(given) > deps.GIVEN) or real_summarize(reads, given))
    assert on_disk(root, tmp_path / "one", jobs=1)[0] == "built"
    assert sum(forgotten) > 50  # most pages, with more than four reads each
    forked = spy_forks(monkeypatch)
    assert on_disk(root, tmp_path / "out", jobs=2)[0] == "built"
    assert "fork" in forked
    (root / "content/news/story-40.md").write_text(article(
        "Story 40, renamed", date="2025-01-13", extra="tags: [Tag 5]", body="Paragraph 40."))
    assert on_disk(root, tmp_path / "out", jobs=2) == clean(root, tmp_path, monkeypatch)


def _collector_on(item: int) -> tuple[int, bool]:
    return os.getpid(), gc.isenabled()


def test_forked_workers_collect_garbage_while_the_parent_does_not() -> None:
    """Watch mode keeps the collector off during a build; the page workers it forks must
    not inherit that, or the cycles every render makes (Jinja's contexts) pile up."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        answers = list(pool.map_inherited(_collector_on, list(range(64)), jobs=2))
    finally:
        if enabled:
            gc.enable()
    assert {pid for pid, _ in answers} - {os.getpid()}  # they did run in workers
    assert all(on for _, on in answers)


def _dies_of_sigterm(_: int) -> tuple[int, bool]:
    return os.getpid(), signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_forked_workers_die_of_sigterm_whatever_handler_the_parent_has() -> None:
    """A pool ends its workers with SIGTERM. ``sitegen serve`` handles SIGTERM (as Ctrl-C);
    a forked worker that kept that handler could swallow it while waiting for work, and
    the pool, and the dev server's first build, would wait for it forever."""
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGTERM, interrupt)
    try:
        paged = list(pool.map_inherited(_dies_of_sigterm, list(range(64)), jobs=2))
        encoded = list(pool.map_ordered(_dies_of_sigterm, list(range(4)), jobs=2))
    finally:
        signal.signal(signal.SIGTERM, before)
    for answers in (paged, encoded):
        assert {pid for pid, _ in answers} - {os.getpid()}  # they did run in workers
        assert all(default for _, default in answers)


def test_the_memory_pickles_every_compact_class_as_a_tuple_of_its_fields() -> None:
    """Frozen slots data classes too, which @dataclass would give a getstate of their own
    that lists the fields anew for every object (a tenth of saving after one edit)."""
    import dataclasses
    import pickle

    from sitegen.bodies import StoredHTML
    from sitegen.models import Compact, PageMeta, Pager
    from sitegen.render import Output

    classes = [PageMeta, Pager, Output, StoredHTML]
    assert all(dataclasses.fields(cls) and cls.__dataclass_params__.frozen for cls in classes)
    html = StoredHTML("ab" * 32, 12, "/cache/bodies")
    _, _, state = html.__reduce_ex__(pickle.HIGHEST_PROTOCOL)[:3]
    assert state == ("ab" * 32, 12, "/cache/bodies")
    for cls in (*classes, *Compact.__subclasses__()):
        assert cls.__getstate__ is Compact.__getstate__, cls
    again = pickle.loads(pickle.dumps(html))
    assert (again.digest, again.length, again.folder) == (html.digest, html.length, html.folder)
