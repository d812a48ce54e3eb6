from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest
from conftest import NOW, article, memory_build, spy_forks

from sitegen import output
from sitegen.build import BuildOptions, build
from sitegen.errors import BuildFailed, UsageError
from sitegen.linkcheck import check_links
from sitegen.output import MARKER


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def disk_build(root: Path, **options: object) -> Path:
    options.setdefault("now", NOW)
    return build(root, BuildOptions(**options)).output  # type: ignore[arg-type]


@pytest.fixture
def site(make_site) -> Path:
    return make_site({
        "content/news/a.md": article("First story", date="2025-01-01", extra="tags: [Budget]"),
        "content/news/b.md": article("Second story", date="2025-01-02"),
        "content/sports/c.md": article("Match report", section="sports", date="2025-01-03"),
    })


def test_build_writes_every_kind_of_page(site: Path) -> None:
    files = snapshot(disk_build(site))
    for path in ["index.html", "404.html", "news/a/index.html", "news/index.html",
                 "sports/index.html", "tags/index.html", "tags/budget/index.html",
                 "authors/index.html", "authors/min-kim/index.html", "archive/index.html",
                 "archive/2025/index.html", "sitemap.xml", "robots.txt", "assets/style.css",
                 MARKER]:
        assert path in files, path


def test_two_builds_are_byte_identical(site: Path, tmp_path: Path) -> None:
    first = snapshot(disk_build(site, output=tmp_path / "one"))
    second = snapshot(disk_build(site, output=tmp_path / "two"))
    assert first == second


def test_failed_build_leaves_the_last_good_site_untouched(site: Path) -> None:
    out = disk_build(site)
    before = snapshot(out)
    (site / "content/news/b.md").write_text("---\ntitle: [broken\n---\n")
    with pytest.raises(BuildFailed):
        disk_build(site)
    assert snapshot(out) == before
    # no temporary folders; the build cache is the one folder a build adds
    assert sorted(p.name for p in site.iterdir()) == [".sitegen", "_site", "content"]


def leftovers(root: Path) -> list[str]:
    """Temporary folders a build made beside its output and left behind."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith("._site."))


def test_a_write_that_fails_partway_leaves_the_last_good_site(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = disk_build(site)
    before = snapshot(out)
    (site / "sitegen.toml").write_text('title = "Renamed Paper"\n')  # every page changes
    written: list[Path] = []
    real_confined = output.confined

    def disk_full_after_five_files(folder: Path, rel: str) -> Path:
        if len(written) == 5:
            assert all(path.is_file() for path in written)  # they really were written
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(real_confined(folder, rel))
        return written[-1]

    with monkeypatch.context() as patched:
        patched.setattr(output, "confined", disk_full_after_five_files)
        with pytest.raises(OSError, match="No space left"):
            disk_build(site)
    assert len(written) == 5
    assert snapshot(out) == before
    assert leftovers(site) == []

    disk_build(site)  # the next build goes through, and tidies up after itself
    assert b"Renamed Paper" in (out / "index.html").read_bytes()
    assert leftovers(site) == []


def test_a_failed_swap_puts_the_last_good_site_back(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = disk_build(site)
    before = snapshot(out)
    (site / "sitegen.toml").write_text('title = "Renamed Paper"\n')
    shutil.rmtree(site / ".sitegen")  # a cold build writes a fresh folder and swaps it in
    real_rename = Path.rename
    swaps: list[str] = []

    def fail_to_swap_in(self: Path, target: Path) -> Path:
        if self.name.startswith("._site.tmp-") and Path(target) == out.resolve():
            swaps.append(self.name)
            raise OSError(errno.EBUSY, "Device or resource busy")
        return real_rename(self, target)

    with monkeypatch.context() as patched:
        patched.setattr(Path, "rename", fail_to_swap_in)
        with pytest.raises(OSError, match="busy"):
            disk_build(site)
    assert swaps  # the old site had been moved aside when the new one failed to go in
    assert snapshot(out) == before
    assert leftovers(site) == []


def test_pages_of_deleted_articles_disappear(site: Path) -> None:
    out = disk_build(site)
    assert (out / "news/b/index.html").exists()
    (site / "content/news/b.md").unlink()
    disk_build(site)
    assert not (out / "news/b/index.html").exists()


@pytest.mark.parametrize("output", [".", "content", "content/news/out", "..", "static"])
def test_output_overlapping_the_sources_is_refused(site: Path, output: str) -> None:
    (site / "static").mkdir()
    before = snapshot(site)
    with pytest.raises(UsageError):
        build(site, BuildOptions(output=site / output, now=NOW))
    assert snapshot(site) == before


def test_a_folder_sitegen_did_not_write_is_never_replaced(site: Path, tmp_path: Path) -> None:
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "essay.txt").write_text("precious")
    with pytest.raises(UsageError, match="not written by sitegen"):
        build(site, BuildOptions(output=mine, now=NOW))
    assert (mine / "essay.txt").read_text() == "precious"


def test_base_url_subpath_reaches_every_link(site: Path) -> None:
    built = memory_build(site, base_url="https://example.github.io/gazette/")
    page = built.pages["news/a/index.html"].decode()
    assert 'href="/gazette/assets/style.css"' in page
    assert 'href="/gazette/news/"' in page
    assert 'href="/" ' not in page and 'href="/news' not in page
    assert check_links(built.pages, built.files, "/gazette/", "example.github.io") == []


def test_pagination(make_site) -> None:
    root = make_site({
        "sitegen.toml": "per_page = 2\n",
        **{f"content/news/s{n}.md": article(f"Story {n}", date=f"2025-01-{n + 1:02d}")
           for n in range(5)},
    })
    pages = memory_build(root).pages
    assert {"news/index.html", "news/page/2/index.html", "news/page/3/index.html"} <= set(pages)
    assert "news/page/4/index.html" not in pages
    assert "Story 4" in pages["news/index.html"].decode()
    assert "Story 0" in pages["news/page/3/index.html"].decode()


def test_permalink_pattern(make_site) -> None:
    root = make_site({"sitegen.toml": 'permalink = "/{year}/{month}/{slug}/"\n',
                      "content/news/a.md": article("A", date="2025-03-04")})
    assert "2025/03/a/index.html" in memory_build(root).pages


def test_aliases_redirect_to_the_article(make_site) -> None:
    root = make_site({"content/news/a.md": article("A", extra='aliases: ["/2019/old/"]')})
    page = memory_build(root).pages["2019/old/index.html"].decode()
    assert 'url=/news/a/' in page


def test_titles_are_escaped_everywhere(make_site) -> None:
    root = make_site({"content/news/x.md": article('<script>alert(1)</script> & "Q"',
                                                   extra="tags: ['<b>t</b>']")})
    built = memory_build(root)
    for path, body in built.pages.items():
        assert b"<script>alert" not in body, path
        assert b"<b>t</b>" not in body, path


def test_site_templates_override_the_theme_one_by_one(make_site) -> None:
    root = make_site({
        "content/news/a.md": article("A"),
        "templates/404.html": "custom 404 for {{ site.config.title }}",
    })
    pages = memory_build(root).pages
    assert pages["404.html"] == b"custom 404 for The School Paper"
    assert b"<html" in pages["news/a/index.html"]


def test_template_errors_name_the_template_and_line(make_site) -> None:
    root = make_site({
        "content/news/a.md": article("A"),
        "templates/404.html": "line one\n{{ no_such_name }}\n",
    })
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    assert [str(e) for e in caught.value.errors] == [
        "templates/404.html:2: template error: 'no_such_name' is undefined"]


def test_empty_site_still_builds(make_site) -> None:
    root = make_site({"content/.keep": ""})
    pages = memory_build(root).pages
    assert "index.html" in pages and "404.html" in pages


def test_nothing_is_written_outside_the_output_folder(site: Path, tmp_path: Path) -> None:
    before = {p for p in tmp_path.rglob("*")}
    out = disk_build(site, output=tmp_path / "out")
    after = {p for p in tmp_path.rglob("*")}
    cache = site / ".sitegen"
    assert after - before
    assert all(p.is_relative_to(out) or p.is_relative_to(cache) for p in after - before)


@pytest.mark.parametrize(("name", "message"), [
    ("sitemap.xml", "static/sitemap.xml would overwrite the page sitemap.xml"),
    ("news/a/index.html", "content/news/a.md: the page /news/a/ is also the file "
                          "static/news/a/index.html; change the slug or the alias, or rename "
                          "the file"),
])
def test_a_static_file_may_not_overwrite_a_page(make_site, name: str, message: str) -> None:
    root = make_site({"content/news/a.md": article("A"), f"static/{name}": "mine"})
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    assert [str(e) for e in caught.value.errors] == [message]


def test_watch_writer_recopies_a_file_saved_twice_within_one_clock_tick(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import time

    from sitegen import output

    source = tmp_path / "logo.svg"
    source.write_bytes(b"one")
    writer = output.SiteWriter(tmp_path / "out")
    writer.write({}, {"logo.svg": source})  # copied in the same moment it was saved
    mtime = source.stat().st_mtime_ns
    source.write_bytes(b"two")  # saved again in the same tick: same size, same mtime
    os.utime(source, ns=(mtime, mtime))
    later = time.time_ns() + 5_000_000_000  # the next rebuild comes seconds later
    monkeypatch.setattr(output.time, "time_ns", lambda: later)
    assert writer.write({}, {"logo.svg": source}) == ["logo.svg"]
    assert (tmp_path / "out/logo.svg").read_bytes() == b"two"


def test_a_theme_gets_a_storys_body_as_the_text_it_is(make_site, tmp_path: Path) -> None:
    """Bodies are kept in the build cache (bodies.py); a template still gets a string: it
    is escaped unless marked safe, and can be sliced and measured."""
    root = make_site({
        "content/news/a.md": article("A", body="Body *text*."),
        "templates/article.html": (
            '{% extends "base.html" %}{% block content %}<p id="cut">{{ article.html[:3] }}'
            '|{{ article.html | length }}</p><div id="raw">{{ article.html }}</div>'
            '{{ article.html | safe }}{% endblock %}'),
    })
    out = tmp_path / "out"
    build(root, BuildOptions(now=NOW, output=out))
    page = (out / "news/a/index.html").read_text()
    assert '<p id="cut">&lt;p&gt;|27</p>' in page  # "<p>Body <em>text</em>.</p>\n"
    assert '<div id="raw">&lt;p&gt;Body &lt;em&gt;text&lt;/em&gt;.&lt;/p&gt;\n</div>' in page
    assert "<p>Body <em>text</em>.</p>" in page
    assert list((root / ".sitegen/bodies").rglob("*"))  # the body did go to the cache


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_story_saved_during_the_build_fails_it_cleanly(
        make_site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    """A build does not hold stories' Markdown between reading their front matter and
    rendering their bodies: the file is read again then, and must hold what was read (a
    save in between would publish one version's title over another's text)."""
    from sitegen import build as build_module
    root = make_site({f"content/news/s{n:03}.md": article(f"Story {n}", body=f"Text {n}.")
                      for n in range(80)})  # enough for workers with --jobs 2
    out = disk_build(root, output=tmp_path / "out", jobs=jobs)
    before = snapshot(out)
    (root / "content/news/s007.md").write_text(article("Story 7", body="Edited."))
    read_articles = build_module.Builder._read_articles

    def read_then_save(self, *args, **kwargs):  # an editor saves as the build goes on
        found = read_articles(self, *args, **kwargs)
        (root / "content/news/s007.md").write_text(article("Story 7", body="Saved again."))
        return found

    monkeypatch.setattr(build_module.Builder, "_read_articles", read_then_save)
    forked = spy_forks(monkeypatch)
    with pytest.raises(BuildFailed) as failed:  # cold: every story is rendered again
        disk_build(root, output=tmp_path / "out", jobs=jobs, clean=True)
    assert forked == (["fork"] if jobs == 2 else [])  # the story was read in a worker
    [error] = failed.value.errors
    assert error.path == "content/news/s007.md" and "changed while" in str(error)
    assert snapshot(out) == before
    monkeypatch.undo()
    page = (disk_build(root, output=tmp_path / "out", jobs=jobs) / "news/s007/index.html")
    assert "Saved again." in page.read_text()


def test_a_fresh_folder_holds_few_pages_waiting_for_the_disk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages rendered faster than the disk writes them (in one process: the dev server's
    first build, --jobs 1) wait for room, instead of piling up in memory."""
    import threading
    monkeypatch.setattr(output, "PENDING", 4)
    disk = threading.Event()
    real_write = output._write
    monkeypatch.setattr(output, "_write", lambda *args: disk.wait(10) and real_write(*args))
    fresh = output.FreshFolder(tmp_path / "out")
    for number in range(4):
        fresh.add(f"p{number}.html", b"page")
    fifth = threading.Thread(target=fresh.add, args=("p4.html", b"page"))
    fifth.start()
    fifth.join(0.3)
    assert fifth.is_alive()  # four pages wait for the disk: the fifth waits for room
    disk.set()
    fifth.join(10)
    assert not fifth.is_alive()
    written = fresh.complete({}, {})
    assert sorted(written) == [f"p{number}.html" for number in range(5)]
    assert (tmp_path / "out/p4.html").read_bytes() == b"page"
