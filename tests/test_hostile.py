"""Hostile and broken input (issue 11): one catalogue of tiny sites, each with what must
come of it (an error naming file and line, a warning, or a clean build), and invariants
checked after every case: nothing written outside the output folder, no temporary folder
left beside it, no traceback, every JSON-LD block parses."""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import NOW, article, memory_build
from typer.testing import CliRunner

from sitegen.build import BuildOptions
from sitegen.cli import app
from sitegen.errors import BuildFailed
from sitegen.watch import DevBuilder

runner = CliRunner()

ERROR, WARNING, CLEAN = "error", "warning", "clean"


@dataclass(frozen=True)
class Link:
    """A symbolic link to ``target`` (relative to the link's folder, or absolute)."""

    target: str


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str | bytes | Link]
    outcome: str
    says: tuple[str, ...] = ()  # texts the CLI output must hold
    published: tuple[str, ...] = ()  # "path" must exist in _site/, "!path" must not
    contains: tuple[tuple[str, str], ...] = ()  # (path in _site/, text it holds)
    args: tuple[str, ...] = ()


def fm(*lines: str, body: str = "Body text.") -> str:
    """A file of front matter lines and a body, written exactly (no defaults added)."""
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def story(*extra: str, title: str = "A story", section: str = "news",
          date: str = "2025-03-04", author: str = "Min Kim", body: str = "Body text.") -> str:
    return fm(f"title: {title}", f"date: {date}", f"section: {section}", f"author: {author}",
              *extra, body=body)


def bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    return story(*lines)


def case(id: str, files: dict[str, str | bytes | Link], outcome: str, *says: str,
         **more: object) -> Case:
    return Case(id, files, outcome, says, **more)  # type: ignore[arg-type]


T404 = "templates/404.html"
OK = "content/news/ok.md"

CASES = [
    # 1. Whatever a template raises is an error naming the template file and line.
    case("template-filter-type-error", {T404: "<p>x</p>\n{{ 5 | join(',') }}\n"}, ERROR,
         "templates/404.html:2", "TypeError"),
    case("template-extends-itself", {T404: '{% extends "404.html" %}\n'}, ERROR,
         "templates/404.html:1", "recursion"),
    case("template-not-utf8", {T404: b"<p>ok</p>\n<p>caf\xe9</p>\n"}, ERROR,
         "templates/404.html:2", "UTF-8"),
    case("template-zero-division", {T404: "<p>\n\n{{ page.url | length / 0 }}\n"}, ERROR,
         "templates/404.html:3", "ZeroDivisionError"),
    case("template-overflow", {T404: "\n{{ 10.0 ** 1000 }}\n"}, ERROR,
         "templates/404.html:2", "OverflowError"),
    case("template-undefined", {T404: "{{ page.nothing_here }}\n"}, ERROR,
         "templates/404.html:1"),
    case("template-syntax", {T404: "<p>\n{% if %}\n"}, ERROR, "templates/404.html:2"),
    case("template-include-missing", {T404: '\n{% include "nope.html" %}\n'}, ERROR,
         "templates/404.html:2", "nope.html"),
    case("template-error-inside-include",
         {T404: '{% include "part.html" %}\n', "templates/part.html": "\n\n{{ 1 // 0 }}\n"},
         ERROR, "templates/part.html:3"),
    case("template-article-bad-filter",
         {"templates/article.html": "{{ article.title }}\n{{ article.date | round }}\n"},
         ERROR, "templates/article.html:2", "TypeError"),
    # 2. YAML: text stays text; duplicate keys, size and aliases bounded.
    case("yaml-title-like-a-version", {OK: story(title="2024.10")}, CLEAN,
         contains=(("news/ok/index.html", "2024.10"),)),
    case("yaml-summary-like-a-time", {OK: story("summary: 12:30")}, CLEAN,
         contains=(("news/ok/index.html", "12:30"),)),
    case("yaml-tags-yes-no", {OK: story("tags: [yes, no, on]")}, CLEAN,
         published=("tags/yes/index.html", "tags/no/index.html", "tags/on/index.html")),
    case("yaml-title-yes", {OK: story(title="Yes")}, CLEAN,
         contains=(("news/ok/index.html", "Yes"),)),
    case("yaml-issue-decimal", {OK: story('issue: 12.10')}, CLEAN,
         contains=(("issues/index.html", "12.10"),)),
    case("yaml-author-a-number", {OK: story(author="0123")}, CLEAN,
         published=("authors/0123/index.html",)),
    case("yaml-correction-text-number",
         {OK: story("corrections: [{date: 2025-03-05, text: 1.50}]")}, CLEAN,
         contains=(("corrections/index.html", "1.50"),)),
    case("yaml-draft-yes-stays-a-flag", {OK: story("draft: yes"),
                                         "content/news/b.md": story(title="Other")}, CLEAN,
         published=("!news/ok/index.html", "news/b/index.html")),
    case("yaml-duplicate-key", {OK: story("tags: [a]", "title: Again")}, ERROR,
         "content/news/ok.md:7", "lines 2 and 7"),
    case("yaml-duplicate-nested-key",
         {OK: story("corrections: [{date: 2025-03-05, text: a, text: b}]")}, ERROR,
         "content/news/ok.md", "written twice"),
    case("yaml-alias-bomb", {OK: bomb()}, ERROR, "content/news/ok.md", "expands to over"),
    case("yaml-oversized-front-matter", {OK: story("summary: " + "x" * 70_000)}, ERROR,
         "content/news/ok.md:1", "64 KB"),
    case("yaml-small-aliases-are-fine", {OK: story("tags: &t [a, b]", "keywords: *t")}, CLEAN),
    case("yaml-deep-nesting", {OK: story("tags: " + "[" * 5000 + "]" * 5000)}, ERROR,
         "content/news/ok.md"),
    case("yaml-title-null", {OK: story(title="~")}, ERROR, "content/news/ok.md:2",
         '"title" is required'),
    case("yaml-unknown-tag", {OK: story("summary: !!python/object:os.system x")}, ERROR,
         "content/news/ok.md"),
    # 3. Files that are not articles, links, a config that is not UTF-8.
    case("file-upper-case-md", {"content/news/x.MD": story()}, ERROR,
         "content/news/x.MD", "rename it to news/x.md"),
    case("file-markdown-extension", {"content/news/x.markdown": story("draft: true")}, ERROR,
         "content/news/x.markdown", ".md"),
    case("file-md-orig-not-published", {"content/news/x.md.orig": story("draft: true")}, CLEAN,
         published=("!news/x.md.orig",)),
    case("file-md-bak-not-published", {"content/news/x.md.bak": story()}, CLEAN,
         published=("!news/x.md.bak",)),
    case("file-md-tilde-not-published", {"content/news/x.md~": story()}, CLEAN,
         published=("!news/x.md~",)),
    case("file-symlink-loop", {"content/news/a": Link("b"), "content/news/b": Link("a")},
         WARNING, "content/news/a", "loop"),
    case("file-folder-link-to-itself", {"content/news/again": Link(".")}, CLEAN),
    case("file-symlink-outside", {"content/news/passwd.txt": Link("/etc/passwd")}, CLEAN,
         published=("!news/passwd.txt",)),
    case("file-config-not-utf8", {"sitegen.toml": b'title = "Caf\xe9 Times"\n'}, ERROR,
         "sitegen.toml:2", "UTF-8"),
    case("file-config-bom", {"sitegen.toml": '\ufefftitle = "Times"\n'}, CLEAN),
    case("file-article-not-utf8", {OK: b"---\ntitle: Caf\xe9\n---\n"}, ERROR,
         "content/news/ok.md:2", "UTF-8"),
    case("file-empty-article", {OK: ""}, ERROR, "content/news/ok.md:1", "no front matter"),
    case("file-front-matter-not-closed", {OK: "---\ntitle: A\n"}, ERROR,
         "content/news/ok.md:1", "not closed"),
    # 4. Portability: letter case and Windows names.
    case("url-slug-too-long-for-a-file-name", {OK: story("slug: " + "a" * 300)}, ERROR,
         "content/news/ok.md", "longer than the 255 a file name may have"),
    case("url-alias-differs-by-case", {
        OK: story('aliases: ["/Old/Story/"]'),
        "content/news/b.md": story('aliases: ["/old/story/"]', title="Other")}, ERROR,
         "only by letter case"),
    case("url-alias-case-of-an-article", {
        "content/news/b.md": story('aliases: ["/News/OK/"]', title="Other")}, ERROR,
         "content/news/b.md", "only by letter case"),
    case("url-slug-con", {OK: story("slug: con")}, ERROR, "content/news/ok.md", "Windows"),
    case("url-file-named-aux", {"content/news/aux.md": story()}, ERROR,
         "content/news/aux.md", "Windows"),
    case("url-alias-nul-html", {OK: story('aliases: ["/nul.html"]')}, ERROR,
         "content/news/ok.md", "Windows"),
    case("url-alias-com1-with-extension", {OK: story('aliases: ["/old/COM1.txt"]')}, ERROR,
         "content/news/ok.md", "Windows"),
    case("url-slug-lpt9", {OK: story("slug: lpt9")}, ERROR, "content/news/ok.md", "Windows"),
    case("url-tag-prn", {OK: story("tags: [PRN]")}, ERROR, "content/news/ok.md", "Windows"),
    case("url-slug-console-is-fine", {OK: story("slug: console")}, CLEAN,
         published=("news/console/index.html",)),
    # 5. Edges.
    case("date-year-9999-west", {OK: story(date="9999-12-31 23:00:00-12:00")}, ERROR,
         "content/news/ok.md:3", "date"),
    case("date-year-1-east", {OK: story(date="0001-01-01 00:30:00+14:00")}, ERROR,
         "content/news/ok.md:3", "date"),
    case("date-year-1", {OK: story(date="0001-01-01")}, ERROR, "content/news/ok.md:3",
         "out of range"),
    case("date-updated-9999", {OK: story("updated: 9999-12-31")}, ERROR,
         "content/news/ok.md:6", "out of range"),
    case("date-february-30", {OK: story(date="2025-02-30")}, ERROR, "content/news/ok.md:3"),
    case("alias-onto-a-static-file", {OK: story('aliases: ["/old.html"]'),
                                      "static/old.html": "<p>old</p>\n"}, ERROR,
         "content/news/ok.md: the alias /old.html is also the file static/old.html"),
    case("alias-onto-its-own-url", {OK: story('aliases: ["/news/ok/"]')}, ERROR,
         "content/news/ok.md", "/news/ok/"),
    case("alias-escaping-the-site", {OK: story('aliases: ["/../../etc/x/"]')}, ERROR,
         "content/news/ok.md:6"),
    case("base-url-placeholder", {"sitegen.toml": 'base_url = "https://<you>.github.io/"\n'},
         ERROR, "sitegen.toml:2", "placeholder"),
    case("base-url-braces", {"sitegen.toml": 'base_url = "https://{org}.github.io/paper/"\n'},
         ERROR, "sitegen.toml:2", "placeholder"),
    case("timezone-a-folder", {"sitegen.toml": 'timezone = "America"\n'}, ERROR,
         "sitegen.toml:2", "unknown timezone"),
    case("timezone-escaping", {"sitegen.toml": 'timezone = "../../etc/passwd"\n'}, ERROR,
         "sitegen.toml:2", "unknown timezone"),
    case("byline-without-letters", {OK: story(author='"!!!"')}, ERROR,
         "content/news/ok.md:5", "no letters"),
    case("byline-list-without-letters", {OK: story(author='[{name: "--"}]')}, ERROR,
         "content/news/ok.md:5", "no letters"),
    case("brackets-in-a-file-name-warning",
         {"content/news/[draft] story.md": story("sumary: typo")}, WARNING,
         "content/news/[draft] story.md:6"),
    case("markup-in-a-file-name-error", {"content/news/[red]x[/red].md": story(title="~")},
         ERROR, "content/news/[red]x[/red].md:2"),
    case("backslash-and-markup-in-a-file-name",
         {"content/news/x\\[bold]y[/bold].md": story(title="~")}, ERROR,
         "content/news/x\\[bold]y[/bold].md:2"),
    case("script-in-title-keeps-json-ld-valid",
         {OK: fm('title: "</script><script>alert(1)</script>"', "date: 2025-03-04",
                 "section: news", "author: Min Kim")}, CLEAN,
         published=("news/ok/index.html",)),
    case("script-in-title", {OK: fm('title: "</script><!-- x"', "date: 2025-03-04",
                                    "section: news", "author: Min Kim")}, CLEAN),
    case("nul-byte-in-body", {OK: story(body="Text \x00 here")}, CLEAN),
    case("yaml-colon-in-title", {OK: story(title="Budget: a look")}, ERROR,
         "content/news/ok.md:2", "not valid YAML"),
    case("yaml-tab-indent", {OK: story("tags:\n\t- a")}, ERROR, "content/news/ok.md:"),
    case("yaml-title-a-list", {OK: story(title="[a, b]")}, ERROR, "content/news/ok.md:2",
         "must be text"),
    case("yaml-profile-duplicate-key",
         {"content/staff/x.md": fm("name: Mina Park", "role: Editor", "name: Mina Kim")},
         ERROR, "content/staff/x.md:4", "lines 2 and 4"),
    case("yaml-profile-name-kept", {"content/staff/x.md": fm("name: Yes", "role: Editor"),
                                    OK: story(author="Yes")}, CLEAN,
         published=("authors/yes/index.html",)),
    case("file-page-upper-case-md", {"content/pages/about.MD": fm("title: About")}, ERROR,
         "content/pages/about.MD", "rename"),
    case("url-author-named-con", {OK: story(author="Con")}, ERROR, "content/news/ok.md",
         "Windows"),
]


def _write(root: Path, files: dict[str, str | bytes | Link]) -> None:
    files = {"content/news/ok.md": article("Fine"), **files}
    config = files.pop("sitegen.toml", "")
    prefix = "search = false\n"  # Pagefind is tested elsewhere; keep the catalogue fast
    files["sitegen.toml"] = (prefix.encode() + config if isinstance(config, bytes)
                             else prefix + config.removeprefix("\ufeff"))
    if isinstance(config, str) and config.startswith("\ufeff"):
        files["sitegen.toml"] = "\ufeff" + str(files["sitegen.toml"])
    for name, value in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(value, Link):
            os.symlink(value.target, path)
        elif isinstance(value, bytes):
            path.write_bytes(value)
        else:
            path.write_text(value, encoding="utf-8")


def _snapshot(top: Path, site: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``top`` but the output and the build cache."""
    skip = (site / "_site", site / ".sitegen")
    found = {}
    for folder, dirs, names in os.walk(top):
        dirs[:] = [d for d in dirs if Path(folder, d) not in skip]
        for name in names:
            stat = os.lstat(os.path.join(folder, name))
            found[os.path.join(folder, name)] = (stat.st_size, stat.st_mtime_ns)
    return found


def _json_ld_blocks(out: Path) -> list[str]:
    pattern = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
    return [block for page in out.rglob("*.html")
            for block in pattern.findall(page.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("hostile", CASES, ids=[c.id for c in CASES])
def test_catalogue(hostile: Case, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _write(site, hostile.files)
    before = _snapshot(tmp_path, site)
    started = time.perf_counter()
    result = runner.invoke(app, ["build", "-s", str(site), *hostile.args])
    seconds = time.perf_counter() - started
    output = result.output

    # The invariants, whatever the outcome.
    assert "Traceback" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert _snapshot(tmp_path, site) == before, "something was written outside _site/"
    leftovers = [p.name for p in site.iterdir() if p.name not in (
        "_site", ".sitegen", "content", "static", "templates", "sitegen.toml")]
    assert not leftovers, leftovers
    assert seconds < 30
    out = site / "_site"
    for block in _json_ld_blocks(out):
        json.loads(block)

    if hostile.outcome == ERROR:
        assert result.exit_code == 1, output
        assert "error:" in output and not out.exists(), output
    else:
        assert result.exit_code == 0, output
        assert ("warning:" in output) == (hostile.outcome == WARNING), output
        assert _json_ld_blocks(out), "no JSON-LD was checked"
    for text in hostile.says:
        assert text in output, output
    for path in hostile.published:
        assert (out / path.lstrip("!")).exists() != path.startswith("!"), path
    for path, text in hostile.contains:
        assert text in (out / path).read_text(encoding="utf-8"), (path, text)


def test_catalogue_size() -> None:
    assert len(CASES) >= 60


def test_a_template_error_is_reported_alike_by_check_and_serve(make_site) -> None:
    root = make_site({"content/news/a.md": article(),
                      T404: "<p>x</p>\n{{ 5 | join(',') }}\n", "sitegen.toml": "search = false\n"})
    result = runner.invoke(app, ["check", "-s", str(root)])
    assert result.exit_code == 1 and "templates/404.html:2" in result.output, result.output
    assert "Traceback" not in result.output
    dev = DevBuilder(root, BuildOptions(now=NOW), root.parent / "served")
    with pytest.raises(BuildFailed) as failed:
        dev.rebuild()
    assert [f"{e.path}:{e.line}" for e in failed.value.errors] == ["templates/404.html:2"]
    (root / T404).write_text("<p>fixed</p>\n", encoding="utf-8")
    dev.rebuild()
    assert dev.errors == []


def test_front_matter_text_fields_keep_their_text(make_site) -> None:
    root = make_site({"content/news/a.md": story(
        "summary: 12:30", "issue: 2024.10", "caption: yes", "credit: 0x1F", "tags: [1.0, off]",
        "grade: 11", "featured: yes", title="2024.10", author="Null")})
    built = memory_build(root)
    story_ = built.site.articles[0]
    assert (story_.title, story_.summary, story_.issue) == ("2024.10", "12:30", "2024.10")
    assert (story_.caption, story_.credit) == ("yes", "0x1F")
    assert [t.name for t in story_.tags] == ["1.0", "off"]
    assert story_.bylines[0].name == "Null" and story_.bylines[0].grade == 11
    assert story_.featured is True


def test_an_article_that_cannot_be_read_is_named(make_site, monkeypatch) -> None:
    """Root reads any file, so the refusal is simulated where the build opens it."""
    root = make_site({"content/news/a.md": article(), "sitegen.toml": "search = false\n"})

    def refuse(path: object, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("sitegen.build.open", refuse, raising=False)
    result = runner.invoke(app, ["build", "-s", str(root)])
    assert result.exit_code == 1, result.output
    assert "content/news/a.md: cannot be read (Permission denied)" in result.output
    assert "Traceback" not in result.output
