"""Watch mode and the dev server, driven for real: a `sitegen serve` process on a free
loopback port, files edited on disk, pages fetched over HTTP."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import article, spy_forks

from sitegen.serve import BuildState, DevServer, inject, resolve_request
from sitegen.watch import ChangeKind, classify

TIMEOUT = 15.0


def wait_for(check: Callable[[], object], what: str, timeout: float = TIMEOUT) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Process:
    """A sitegen process whose stderr is collected line by line in the background."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.lines: list[str] = []
        # Ctrl-C (SIGINT) must reach it however the suite was started: a shell starts a
        # background job (make test &) with SIGINT ignored, and a child inherits that, where
        # a handled signal goes back to its default in the child.
        ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
        if ignored:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            self.proc = subprocess.Popen([sys.executable, "-m", "sitegen", *args], cwd=cwd,
                                         env=env, stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT, text=True)
        finally:
            if ignored:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def count(self, pattern: str) -> int:
        return sum(1 for line in self.lines if re.search(pattern, line))

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=TIMEOUT)
        self._reader.join(timeout=TIMEOUT)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        return code


def fetch(base: str, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """One request with the path sent exactly as given (no client-side normalising)."""
    host, port = re.match(r"http://([^:/]+):(\d+)", base).groups()  # type: ignore[union-attr]
    connection = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.fixture
def site(make_site) -> Path:
    return make_site({
        "sitegen.toml": 'title = "Dev Gazette"\nbase_url = "https://example.github.io/paper/"\n',
        "content/news/vote.md": article("Council votes", date="2025-01-02"),
        "content/news/bus.md": article("Late bus stays", date="2025-01-03"),
    })


@pytest.fixture
def scratch_tmp(tmp_path: Path) -> Path:
    folder = tmp_path / "scratch"
    folder.mkdir()
    return folder


@pytest.fixture
def server(site: Path, scratch_tmp: Path) -> Iterator[tuple[Process, str]]:
    env = {**os.environ, "TMPDIR": str(scratch_tmp)}
    process = Process(["serve", "--port", "0"], cwd=site, env=env)
    url = wait_for(lambda: re.search(r"Serving (http://\S+)", process.output), "the server")
    wait_for(lambda: process.count("Watching for changes"), "the first build")
    try:
        yield process, url.group(1)  # type: ignore[union-attr]
    finally:
        process.stop()


def page_text(base: str, path: str) -> str:
    status, _, body = fetch(base, path)
    return f"{status} {body.decode()}"


def test_serve_follows_edits_adds_renames_and_deletes(server: tuple[Process, str],
                                                      site: Path) -> None:
    process, url = server
    assert url.endswith("/paper/")
    status, headers, body = fetch(url, "/paper/news/vote/")
    assert status == 200 and b"Council votes" in body
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"EventSource" in body  # live reload is injected into served pages...
    assert b"EventSource" not in (Path(site) / "content/news/vote.md").read_bytes()

    (site / "content/news/vote.md").write_text(article("Council votes again", date="2025-01-02"))
    wait_for(lambda: "Council votes again" in page_text(url, "/paper/news/vote/"), "the edit")

    (site / "content/sports/win.md").parent.mkdir()
    (site / "content/sports/win.md").write_text(article("Team wins", section="sports"))
    wait_for(lambda: "200 " in page_text(url, "/paper/sports/win/")[:4], "the new article")

    (site / "content/news/bus.md").rename(site / "content/news/late-bus.md")
    wait_for(lambda: page_text(url, "/paper/news/bus/").startswith("404"), "the old URL gone")
    assert "Late bus stays" in page_text(url, "/paper/news/late-bus/")

    (site / "content/sports/win.md").unlink()
    wait_for(lambda: page_text(url, "/paper/sports/win/").startswith("404"), "the delete")
    assert "Team wins" not in page_text(url, "/paper/sports/")


def test_editor_save_by_rename_and_editor_droppings(server: tuple[Process, str],
                                                    site: Path) -> None:
    process, url = server
    news = site / "content/news"
    before = process.count("Rebuilt")
    for dropping in (".#vote.md", "vote.md~", ".vote.md.swp", "4913", "vote.md___jb_tmp___"):
        (news / dropping).write_text("---\nnot: an article\n")
    time.sleep(0.6)
    assert process.count("Rebuilt") == before
    assert "error" not in process.output

    # vim and JetBrains write a temporary file and move it over the original
    temporary = news / "vote.md.tmp"
    temporary.write_text(article("Saved by rename", date="2025-01-02"))
    os.replace(temporary, news / "vote.md")
    wait_for(lambda: "Saved by rename" in page_text(url, "/paper/news/vote/"), "the rename save")


def test_a_broken_article_keeps_the_last_good_site_and_reports(server: tuple[Process, str],
                                                               site: Path) -> None:
    process, url = server
    events = EventListener(url)
    story = site / "content/news/vote.md"
    story.write_text("---\ntitle: [unclosed\ndate: 2025-01-02\n---\n")
    wait_for(lambda: process.count(r"content/news/vote\.md:2: front matter is not valid YAML"),
             "the error in the terminal")
    assert "Council votes" in page_text(url, "/paper/news/vote/")
    error = wait_for(lambda: events.find("builderror"), "the error overlay event")
    assert "content/news/vote.md:2" in json.loads(error)[0]
    assert process.proc.poll() is None

    story.write_text(article("Council votes, fixed", date="2025-01-02"))
    wait_for(lambda: "Council votes, fixed" in page_text(url, "/paper/news/vote/"), "the fix")
    wait_for(lambda: events.find("reload"), "a reload after the fix")
    events.close()


def test_template_and_config_changes_rebuild(server: tuple[Process, str], site: Path) -> None:
    process, url = server
    (site / "templates").mkdir()
    (site / "templates/404.html").write_text("custom not found")
    wait_for(lambda: "custom not found" in page_text(url, "/paper/missing/"), "the template")
    (site / "sitegen.toml").write_text('title = "Renamed Gazette"\n'
                                       'base_url = "https://example.github.io/paper/"\n')
    wait_for(lambda: "Renamed Gazette" in page_text(url, "/paper/"), "the config change")


@pytest.fixture
def confined_server(tmp_path: Path) -> Iterator[str]:
    """The dev server on a free loopback port, in this process, laid out as ``serve`` lays
    it out (``<scratch>/site``), with secrets just outside the served folder and a link
    planted inside that leads to one of them."""
    scratch = tmp_path / "scratch"
    site_dir = scratch / "site"
    (site_dir / "news").mkdir(parents=True)
    (site_dir / "news/index.html").write_text("news page")
    (site_dir / "404.html").write_text("not found page")
    (scratch / "secret.txt").write_text("SECRET beside the site")
    (tmp_path / "secret.txt").write_text("SECRET two levels up")
    (site_dir / "leak.txt").symlink_to(scratch / "secret.txt")
    server = DevServer(("127.0.0.1", 0), site_dir, "/paper/", BuildState())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield server.url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=TIMEOUT)


TRAVERSALS = [
    "/paper/../secret.txt",
    "/paper/../../secret.txt",
    "/paper/news/../../secret.txt",
    "/paper/%2e%2e/secret.txt",
    "/paper/%2E%2E/%2e%2e/secret.txt",
    "/paper/..%2fsecret.txt",
    "/paper/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/paper/%252e%252e/secret.txt",  # encoded twice: decoding once must not reach ".."
    "/paper/..%252fsecret.txt",
    "/paper/....//secret.txt",
    "/paper/.././../secret.txt",
    "/paper/..\\secret.txt",
    "/paper/..%5csecret.txt",
    "/paper/..%5c..%5csecret.txt",
    "/paper/leak.txt",  # a link inside the served folder that leads out of it
    "/paper/news/%00/",
    "/paper/secret.txt%00.html",
    "/secret.txt",
]


def test_requests_never_reach_a_file_outside_the_served_folder(confined_server: str) -> None:
    status, _, body = fetch(confined_server, "/paper/news/")
    assert status == 200 and body.startswith(b"news page")  # it does serve its folder
    answers = {}
    for path in TRAVERSALS:
        status, _, body = fetch(confined_server, path)
        answers[path] = (status, b"SECRET" in body)
    assert answers == {path: (404, False) for path in TRAVERSALS}


def test_dot_segments_are_refused_even_inside_the_site(confined_server: str) -> None:
    # Browsers resolve dot segments before they send a request: one that holds them is a
    # probe, answered 404 wherever it would lead.
    assert fetch(confined_server, "/paper/news/")[0] == 200
    for path in ("/paper/news/../news/", "/paper/./news/", "/paper/news/%2e/"):
        assert fetch(confined_server, path)[0] == 404, path


def test_server_details(server: tuple[Process, str], site: Path, scratch_tmp: Path) -> None:
    _, url = server
    [serving] = scratch_tmp.iterdir()  # <tmp>/sitegen-serve-*/, which holds site/
    (serving / "secret.txt").write_text("SECRET beside the served folder")
    for probe in ("/paper/../secret.txt", "/paper/%2e%2e/secret.txt", "/paper/..%2fsecret.txt"):
        status, _, body = fetch(url, probe)
        assert status == 404 and b"SECRET" not in body, probe
    assert fetch(url, "/paper/sitemap.xml")[1]["Content-Type"] == "application/xml"
    assert fetch(url, "/paper/news/vote/", "POST")[0] == 405
    status, headers, body = fetch(url, "/paper/news/vote/", "HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
    status, headers, _ = fetch(url, "/paper/news")
    assert status == 302 and headers["Location"] == "/paper/news/"
    assert fetch(url, "/")[1]["Location"] == "/paper/"
    assert fetch(url, "/paper/assets/")[0] == 404  # no directory listings
    status, _, body = fetch(url, "/paper/no/such/page/")
    assert status == 404 and b"EventSource" in body

    (site / "static").mkdir()
    types = {"data.json": "application/json", "font.woff2": "font/woff2",
             "photo.webp": "image/webp", "data.xml": "application/xml"}  # feed.xml is a page
    for name in types:
        (site / "static" / name).write_bytes(b"x")
    for name, content_type in types.items():
        wait_for(lambda name=name: fetch(url, f"/paper/{name}")[0] == 200, name)
        assert fetch(url, f"/paper/{name}")[1]["Content-Type"] == content_type


def test_ctrl_c_stops_cleanly(site: Path, scratch_tmp: Path) -> None:
    process = Process(["serve", "--port", "0"], cwd=site,
                      env={**os.environ, "TMPDIR": str(scratch_tmp)})
    wait_for(lambda: process.count("Watching for changes"), "the first build")
    assert list(scratch_tmp.iterdir())  # it builds into a temporary folder...
    assert not (site / "_site").exists()  # ...never into _site
    assert process.stop() == 0
    assert "Traceback" not in process.output
    assert "Stopped." in process.output
    assert list(scratch_tmp.iterdir()) == []


def test_build_watch_rewrites_only_changed_files(site: Path) -> None:
    (site / "content/arts").mkdir()
    (site / "content/arts/show.md").write_text(article("Spring show", section="arts",
                                                       date="2025-01-01"))
    process = Process(["build", "--watch"], cwd=site, env=dict(os.environ))
    try:
        wait_for(lambda: process.count("Watching for changes"), "the first build")
        out = site / "_site"
        show = out / "arts/show/index.html"  # another section: nothing on it changes
        show_mtime = show.stat().st_mtime_ns
        time.sleep(0.05)
        (site / "content/news/vote.md").write_text(article("Council votes twice",
                                                           date="2025-01-02"))
        wait_for(lambda: b"Council votes twice" in (out / "news/vote/index.html").read_bytes(),
                 "the rebuild")
        assert show.stat().st_mtime_ns == show_mtime
        assert b"EventSource" not in (out / "news/vote/index.html").read_bytes()
    finally:
        assert process.stop() == 0
    assert "Traceback" not in process.output


def test_classify() -> None:
    root = Path("/site")
    assert classify(root, "/site/content/news/a.md") is ChangeKind.CONTENT
    assert classify(root, "/site/sitegen.toml") is ChangeKind.CONFIG
    assert classify(root, "/site/templates/base.html") is ChangeKind.TEMPLATE
    assert classify(root, "/site/themes/x/templates/base.html") is ChangeKind.TEMPLATE
    assert classify(root, "/site/themes/x/static/style.css") is ChangeKind.STATIC
    assert classify(root, "/site/static/logo.png") is ChangeKind.STATIC
    for ignored in ("/site/_site/index.html", "/site/.git/index", "/site/content/.#a.md",
                    "/site/content/a.md~", "/site/README.md", "/elsewhere/a.md"):
        assert classify(root, ignored, output=Path("/site/_site")) is None, ignored


def test_resolve_request_confines_to_the_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "news").mkdir(parents=True)
    (site / "news/index.html").write_text("news")
    (tmp_path / "secret.txt").write_text("secret")
    (site / "leak").symlink_to(tmp_path / "secret.txt")
    assert resolve_request(site, "/", "/news/") == (site / "news/index.html").resolve()
    assert resolve_request(site, "/", "/news") == "/news/"
    assert resolve_request(site, "/", "/leak") is None
    assert resolve_request(site, "/", "/../secret.txt") is None
    assert resolve_request(site, "/", "/%2e%2e/secret.txt") is None
    assert resolve_request(site, "/", "/news/../news/") is None  # dot segments are probes


def test_inject_goes_before_the_body_end() -> None:
    assert inject(b"<body>x</body></html>").endswith(b"</script>\n</body></html>")
    assert inject(b"no body").startswith(b"no body<script>")


class EventListener:
    """Reads the server-sent events stream in the background."""

    def __init__(self, base: str) -> None:
        host, port = re.match(r"http://([^:/]+):(\d+)", base).groups()  # type: ignore[union-attr]
        self.sock = socket.create_connection((host, int(port)), timeout=TIMEOUT)
        self.sock.sendall(b"GET /__sitegen/events HTTP/1.1\r\nHost: x\r\n\r\n")
        self.events: list[tuple[str, str]] = []
        threading.Thread(target=self._read, daemon=True).start()
        wait_for(lambda: self.find("hello"), "the events stream")

    def _read(self) -> None:
        buffer = b""
        try:
            while chunk := self.sock.recv(4096):
                buffer += chunk
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    fields = dict(line.split(": ", 1) for line in block.decode().splitlines()
                                  if ": " in line and not line.startswith(":"))
                    if "event" in fields:
                        self.events.append((fields["event"], fields.get("data", "")))
        except OSError:
            return

    def find(self, name: str) -> str | None:
        return next((data for event, data in self.events if event == name), None)

    def close(self) -> None:
        self.sock.close()


def test_poll_mode_sees_edits(site: Path) -> None:
    process = Process(["build", "--watch", "--poll"], cwd=site, env=dict(os.environ))
    try:
        wait_for(lambda: process.count("Watching for changes by polling"), "the first build")
        (site / "content/news/vote.md").write_text(article("Polled edit", date="2025-01-02"))
        page = site / "_site/news/vote/index.html"
        wait_for(lambda: b"Polled edit" in page.read_bytes(), "the polled rebuild")
    finally:
        assert process.stop() == 0


def test_running_out_of_inotify_watches_falls_back_to_polling(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from sitegen import watch

    class Exhausted(watch.PollingObserver):
        def schedule(self, *args: object, **kwargs: object) -> None:
            raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(watch, "Observer", Exhausted)
    notices: list[str] = []
    watcher = watch.Watcher(site, poll=False, notice=notices.append)
    watcher.start()
    try:
        assert watcher.polling
        assert "polling" in notices[0] and "max_user_watches" in notices[0]
        (site / "content/news/vote.md").write_text(article("Seen", date="2025-01-02"))
        stop = threading.Event()
        batch = watcher.wait(stop)
        assert batch is not None and batch.kinds == {ChangeKind.CONTENT}
        assert batch.content == {"news/vote.md"}
    finally:
        watcher.stop()


def test_binding_beyond_localhost_warns(site: Path, scratch_tmp: Path) -> None:
    # 127.0.0.2 is still loopback on Linux, but not the default address: it must warn.
    process = Process(["serve", "--port", "0", "--bind", "127.0.0.2"], cwd=site,
                      env={**os.environ, "TMPDIR": str(scratch_tmp)})
    try:
        wait_for(lambda: process.count("Watching for changes"), "the first build")
        assert process.count(r"warning: serving on 127\.0\.0\.2") == 1
        url = re.search(r"Serving (http://\S+)", process.output).group(1)  # type: ignore[union-attr]
        assert url.startswith("http://127.0.0.2:")
        assert fetch(url, "/paper/")[0] == 200
    finally:
        assert process.stop() == 0


def test_serve_starts_even_when_the_first_build_fails(site: Path, scratch_tmp: Path) -> None:
    story = site / "content/news/vote.md"
    story.write_text("---\ntitle: [unclosed\n---\n")
    process = Process(["serve", "--port", "0"], cwd=site,
                      env={**os.environ, "TMPDIR": str(scratch_tmp)})
    try:
        wait_for(lambda: process.count("Watching for changes"), "the server")
        assert process.count(r"content/news/vote\.md:2") == 1
        url = re.search(r"Serving (http://\S+)", process.output).group(1)  # type: ignore[union-attr]
        status, _, body = fetch(url, "/paper/")
        assert status == 404 and b"not built yet" in body and b"EventSource" in body
        story.write_text(article("Council votes", date="2025-01-02"))
        wait_for(lambda: "Council votes" in page_text(url, "/paper/news/vote/"), "the fix")
    finally:
        assert process.stop() == 0


def test_trusted_events_name_the_files_to_read_and_a_full_look_catches_the_rest(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen import watch
    from sitegen.build import BuildOptions

    dev = watch.DevBuilder(site, BuildOptions(), tmp_path / "out")
    dev.rebuild()
    vote, reported = site / "content/news/vote.md", site / "content/news/reported.md"
    reported.write_text(article("Reported story", date="2025-01-03"))
    dev.rebuild(watch.Batch(frozenset({ChangeKind.CONTENT}), frozenset({"news/reported.md"}),
                            listing=True))
    assert (tmp_path / "out/news/reported/index.html").exists()
    vote.write_text(article("Edited without an event", date="2025-01-02"))
    reported.write_text(article("Reported again", date="2025-01-03"))
    opened = []
    real_stat = os.stat

    def counted(path: object, *args: object, **kwargs: object) -> os.stat_result:
        opened.append(str(path))
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patched:
        patched.setattr(os, "stat", counted)
        dev.rebuild(watch.Batch(frozenset({ChangeKind.CONTENT}),
                                frozenset({"news/reported.md"}), listing=False))
    assert [p for p in opened if p.endswith(".md")] == [str(reported)]  # no sweep
    assert b"Reported again" in (tmp_path / "out/news/reported/index.html").read_bytes()
    assert b"Edited without" not in (tmp_path / "out/news/vote/index.html").read_bytes()
    monkeypatch.setattr(watch, "FULL_LOOK_SECONDS", 0.0)  # the timer's full look
    dev.rebuild(watch.Batch(frozenset({ChangeKind.CONTENT}), frozenset(), listing=False))
    assert b"Edited without an event" in (tmp_path / "out/news/vote/index.html").read_bytes()


def test_watch_mode_leaves_the_pages_bytes_to_its_output_folder(
        site: Path, tmp_path: Path) -> None:
    """The pages are written as they are rendered and not held in memory afterwards; a page
    rendered again to the same bytes is not reported as changed."""
    from sitegen import watch
    from sitegen.build import BuildOptions

    out = tmp_path / "out"
    dev = watch.DevBuilder(site, BuildOptions(), out)
    dev.rebuild()
    assert dev.last is not None
    assert {data for path, data in dev.last.pages.items() if path.endswith(".html")} == {None}
    assert (out / "news/vote/index.html").exists()
    vote = site / "content/news/vote.md"
    vote.write_text(vote.read_text() + "\nA new line.\n")
    changed = dev.rebuild()
    assert "news/vote/index.html" in changed
    assert b"A new line." in (out / "news/vote/index.html").read_bytes()
    assert not [record for record in dev.builder._pages.pages.values()
                if record.body is not None]
    os.utime(vote)  # read again, rendered the same: nothing to report
    assert "news/vote/index.html" not in dev.rebuild()


def test_the_first_build_forks_and_a_save_made_during_it_is_caught(
        make_site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first build of watch mode runs before the watcher's threads, so that it renders
    on forked workers; a story saved while it ran, unseen by any watcher, is built by the
    look at every file that follows, without another event."""
    from sitegen import watch
    from sitegen.build import BuildOptions, Reporter

    root = make_site({f"content/news/s{n:03}.md": article(f"Story {n}", body=f"Text {n}.")
                      for n in range(80)})  # enough pages for two workers
    story, out = root / "content/news/s007.md", tmp_path / "out"

    class SaveWhileWriting(Reporter):  # an editor saves as the pages are written
        def progress(self, description: str, total: int, slow: bool = False):
            if description == "Writing pages" and "Saved" not in story.read_text():
                story.write_text(article("Story 7", body="Saved during the build."))
            return super().progress(description, total, slow)

    forked = spy_forks(monkeypatch)
    stop, builds = threading.Event(), []

    def ready() -> None:  # the first build is over; the watcher is not started yet
        stop.set()  # watch no more after the catch-up

    watch.run_watch(root, BuildOptions(jobs=2), out, poll=False, say=lambda line: None,
                    report=lambda errors: None, reporter=SaveWhileWriting(), stop=stop,
                    after_build=lambda dev, changed: builds.append(changed), ready=ready)
    assert "fork" in forked
    assert "Saved during the build." in (out / "news/s007/index.html").read_text()
    assert len(builds) == 2 and "news/s007/index.html" in builds[1]


def test_a_first_build_that_fails_is_reported_once(make_site, tmp_path: Path) -> None:
    """The look at every file after the first build fails again, with the same errors made
    anew (a template's error is made by each render): they are not reported twice."""
    from sitegen import watch
    from sitegen.build import BuildOptions

    root = make_site({"content/news/vote.md": article("Council votes"),
                      "templates/article.html": "<p>{{ no_such_function() }}</p>\n"})
    stop, reports = threading.Event(), []
    watch.run_watch(root, BuildOptions(), tmp_path / "out", poll=False, say=lambda line: None,
                    report=reports.append, stop=stop, ready=stop.set)
    assert len(reports) == 1 and "article.html" in str(reports[0][0])
