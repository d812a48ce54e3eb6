"""Incremental rebuilds give exactly what a clean build gives, after any sequence of edits."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import jinja2
import photos
import pytest
from conftest import NOW
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen import links as links_module
from sitegen import render, theme
from sitegen import site as site_module
from sitegen.build import Builder, BuildOptions, Changes
from sitegen.errors import BuildFailed

OPTIONS = BuildOptions(now=NOW)
SECTIONS = ["news", "sports", "arts"]
TAGS = ["Budget", "budget", "Art", "Student Council", "student-council"]
NAMES = ["a", "b", "c", "d", "e"]
# The share of the property test's steps that must end in a successful build: a step that
# fails compares two error lists, which says nothing about the pages.
BUILT_AT_LEAST = 0.6
BROKEN = "oops: [unclosed\n"  # a front matter line that is not valid YAML


class SharedBytecode(jinja2.BytecodeCache):
    """Compiled templates kept for every build in this module: each clean build loads the
    theme afresh, and compiling it would take most of the test's time. Jinja checks each
    entry against the template's source, so an edited template is compiled again."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED = SharedBytecode()


@pytest.fixture(autouse=True)
def compiled_once(monkeypatch: pytest.MonkeyPatch) -> None:
    class Environment(theme.TrackingEnvironment):
        def __init__(self, **options: object) -> None:
            super().__init__(bytecode_cache=COMPILED, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(theme, "TrackingEnvironment", Environment)


def article_text(title: str, section: str, day: int, tags: list[str], body: str,
                 draft: bool = False, link: str | None = None) -> str:
    """An article dated January 2025; ``link`` is a content path such as "news/a"."""
    lines = ["---", f"title: {title}", f"date: 2025-01-{day:02d}", f"section: {section}",
             "author: Min Kim", f"tags: {tags}", f"draft: {str(draft).lower()}", "---", "",
             body]
    if link:
        lines += ["", f"See [this](../{link}.md)."]
    return "\n".join(lines) + "\n"


_SAVES = itertools.count()
LONG_AGO = time.time() - 86_400


def save(path: Path, text: str) -> None:
    """Write a content file as if saved a while ago, each save a second after the last. A
    file saved in the last tenth of a second is always read again (its stat cannot yet be
    trusted), so without this every file would be, and the paths that reuse what did not
    change would go untested."""
    path.write_text(text)
    saved = LONG_AGO + next(_SAVES)
    os.utime(path, (saved, saved))


def outcome(builder: Builder, changes: Changes | None = None) -> tuple:
    try:
        built = builder.build(changes)
    except BuildFailed as exc:
        return ("failed", tuple(str(e) for e in exc.errors))
    return ("built", built.pages, {path: src.read_bytes() for path, src in built.files.items()})


def assert_same_as_a_clean_build(builder: Builder) -> dict[str, bytes]:
    """Build incrementally, check every byte against a clean build; return the pages."""
    incremental, clean = outcome(builder), outcome(Builder(builder.root, OPTIONS))
    assert clean[0] == "built", clean
    assert incremental[0] == "built", incremental
    assert sorted(incremental[1]) == sorted(clean[1]), "the set of pages differs"
    for path in sorted(clean[1]):
        assert incremental[1][path] == clean[1][path], f"{path} differs from a clean build"
    assert incremental[2] == clean[2]
    return incremental[1]


# Each choice lists its most useful value first: Hypothesis favours the first value of a
# sampled_from, and a step that merely repeats the last build proves little.
names = st.sampled_from(NAMES)
edits = st.one_of(
    st.tuples(st.just("write"), names, st.sampled_from(SECTIONS), st.integers(1, 28),
              st.lists(st.sampled_from(TAGS), max_size=2), st.sampled_from(["Old", "New"]),
              st.booleans(), st.one_of(st.none(), names), st.booleans()),
    st.tuples(st.just("retitle"), names),  # leaves the site's shape: the in-place path
    st.tuples(st.just("redate"), names, st.integers(1, 28)),  # reorders, nothing else
    st.tuples(st.just("slug"), names, st.booleans()),  # a new URL, the file stays put
    st.tuples(st.just("delete"), names),
    st.tuples(st.just("rename"), names, names),
    st.tuples(st.just("photo"), st.integers(0, 2)),  # the attached articles show it
    st.tuples(st.just("template"), st.sampled_from(["<p>{{ article.word_count }}</p>",
                                                    "<p>{{ article.title | upper }}</p>", ""])),
)
# A mistake, perhaps another edit, then the mistake's correction: the builds that follow a
# failed one must match a clean build too. Drawn together, and less often than single
# edits, so that most steps still build.
meanwhile = st.lists(edits, max_size=1)
mistakes = st.one_of(
    st.tuples(names, meanwhile).map(lambda m: [("break", m[0]), *m[1], ("fix", m[0])]),
    meanwhile.map(lambda more: [("attachment", "remove"), *more, ("attachment", "add")]),
)
single = edits.map(lambda edit: [edit])
sequences = st.lists(st.one_of(single, single, single, mistakes), min_size=1, max_size=8).map(
    lambda groups: [edit for group in groups for edit in group])


def apply(root: Path, edit: tuple) -> None:
    kind = edit[0]
    sections = root / "content"
    if kind == "write":
        # A link goes to the article of that name where it is now (none if there is none):
        # links break only when a later edit moves or removes their target.
        _, name, section, day, tags, body, draft, link, attached = edit
        target = next(iter(sorted(sections.glob(f"*/{link}.md"))), None) if link else None
        for old in sections.glob(f"*/{name}.md"):
            old.unlink()
        path = sections / section / f"{name}.md"
        path.parent.mkdir(exist_ok=True)
        text = f"{body} text" + (" [the plan](../plan.pdf)\n\n![The plan](../plan.jpg)"
                                 if attached else "")
        save(path, article_text(
            f"Story {name} {body}", section, day, tags, text, draft,
            target.relative_to(sections).with_suffix("").as_posix() if target else None))
    elif kind == "retitle":
        swap = {"Old": "New", "New": "Old"}
        for path in sections.glob(f"*/{edit[1]}.md"):
            text = path.read_text()
            save(path, re.sub(r"Old|New", lambda m: swap[m.group(0)], text))
    elif kind == "redate":
        for path in sections.glob(f"*/{edit[1]}.md"):
            text = re.sub(r"date: 2025-01-\d\d", f"date: 2025-01-{edit[2]:02d}", path.read_text())
            save(path, text)
    elif kind == "slug":
        for path in sections.glob(f"*/{edit[1]}.md"):
            text = re.sub(r"^slug: .*\n", "", path.read_text(), flags=re.MULTILINE)
            if edit[2]:
                text = text.replace("\n---\n", f"\nslug: {edit[1]}-moved\n---\n", 1)
            save(path, text)
    elif kind == "delete":
        for path in sections.glob(f"*/{edit[1]}.md"):
            path.unlink()
    elif kind == "rename":
        for path in sections.glob(f"*/{edit[1]}.md"):
            path.rename(path.with_name(f"{edit[2]}.md"))
    elif kind == "break":
        for path in sections.glob(f"*/{edit[1]}.md"):
            save(path, path.read_text().replace("---\n", f"---\n{BROKEN}", 1))
    elif kind == "fix":
        for path in sections.glob(f"*/{edit[1]}.md"):
            save(path, path.read_text().replace(BROKEN, ""))
    elif kind == "attachment":
        plan = sections / "plan.pdf"
        if edit[1] == "add":
            plan.write_bytes(b"%PDF-1.4 plan")
        elif plan.exists():
            plan.unlink()
    elif kind == "photo":  # a photo replaced by one of another size: new copies
        (sections / "plan.jpg").write_bytes(photos.jpeg(300 + 100 * edit[1], 200))
    elif kind == "template":
        template = root / "templates" / "article.html"
        template.parent.mkdir(exist_ok=True)
        if edit[1]:
            template.write_text('{% extends "base.html" %}{% block content %}' + edit[1]
                                + "{{ article.title }}{% endblock %}")
        elif template.exists():
            template.unlink()


def start_site(root: Path) -> None:
    """Three stories in two sections; a links to an attached file and shows a photo."""
    shutil.rmtree(root, ignore_errors=True)
    (root / "content").mkdir(parents=True)
    (root / "content/plan.pdf").write_bytes(b"%PDF-1.4 plan")
    (root / "content/plan.jpg").write_bytes(photos.jpeg(300, 200))
    apply(root, ("write", "a", "news", 1, ["Budget"], "Old", False, None, True))
    apply(root, ("write", "c", "sports", 3, [], "Old", False, None, False))
    apply(root, ("write", "b", "news", 2, ["Art"], "New", False, None, False))


def test_the_starting_site_and_a_linking_article_build(tmp_path: Path) -> None:
    root = tmp_path / "site"
    start_site(root)
    apply(root, ("write", "d", "arts", 4, [], "New", False, "c", False))
    pages = assert_same_as_a_clean_build(Builder(root, OPTIONS))
    assert b'href="/plan.pdf"' in pages["news/a/index.html"]
    assert b'href="/sports/c/"' in pages["arts/d/index.html"]


def started(root: Path) -> Builder:
    """The starting site, and a builder that has built it."""
    start_site(root)
    builder = Builder(root, OPTIONS)
    assert outcome(builder)[0] == "built", "the starting site does not build"
    return builder


def test_any_sequence_of_edits_matches_a_clean_build(
        tmp_path: Path, record_property: Callable[[str, object], None]) -> None:
    steps: Counter[str] = Counter()

    # Derandomized: every run tries the same sequences, so CI is repeatable and the share
    # of steps that build is a fixed figure, not luck.
    @settings(max_examples=150, deadline=None, derandomize=True, database=None)
    @given(sequences)
    def check(sequence: list) -> None:
        root = tmp_path / "site"
        incremental = started(root)
        for edit in sequence:
            apply(root, edit)
            result = outcome(incremental)
            assert result == outcome(Builder(root, OPTIONS)), edit
            steps[result[0]] += 1

    check()
    built, total = steps["built"], steps.total()
    summary = f"{built} of {total} steps built ({built / total:.0%})"
    record_property("figure", f"incremental property test: {summary}")  # see conftest
    assert built >= BUILT_AT_LEAST * total, f"only {summary}: the test proves little"


def content_files(root: Path) -> dict[str, bytes]:
    folder = root / "content"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}


def test_edits_named_by_events_match_a_clean_build(
        tmp_path: Path, record_property: Callable[[str, object], None],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Watch mode trusts the file system's events: given exactly the files an edit
    touched (and whether the listing changed), the builder looks at those alone. Counted:
    the steps whose incremental build took a photo's answer as it was (Markdown saves only,
    Links.pictures_hold) and kept the last URLs without placing every story again."""
    steps: Counter[str] = Counter()
    reached: Counter[str] = Counter()
    looked: set[str] = set()  # what the incremental build of this step did
    pictures_hold, assign_urls = links_module.Links.pictures_hold, site_module.assign_urls

    def spied_pictures_hold(self: links_module.Links, memo: links_module.Memo,
                            source: str) -> bool:
        if self.photos_unchanged and memo.answers:
            looked.add("photo answers taken as they were")
        return pictures_hold(self, memo, source)

    def spied_assign_urls(*args: object) -> object:
        looked.add("every story placed")
        return assign_urls(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(links_module.Links, "pictures_hold", spied_pictures_hold)
    monkeypatch.setattr(site_module, "assign_urls", spied_assign_urls)

    @settings(max_examples=40, deadline=None, derandomize=True, database=None)
    @given(sequences)
    def check(sequence: list) -> None:
        root = tmp_path / "site"
        incremental = started(root)
        for edit in sequence:
            before = content_files(root)
            apply(root, edit)
            after = content_files(root)
            touched = {path for path in before.keys() | after.keys()
                       if before.get(path) != after.get(path)}
            changes = Changes(frozenset(touched), listing=before.keys() != after.keys())
            if edit[0] == "template":
                changes = None  # not a content event: watch mode looks at every file
            looked.clear()
            result = outcome(incremental, changes)
            done = set(looked)
            assert result == outcome(Builder(root, OPTIONS)), edit
            trusted = changes is not None and not changes.listing
            steps[f"{result[0]}, {'events alone' if trusted else 'listed again'}"] += 1
            if result[0] == "built":
                reached.update(done)
                if "every story placed" not in done:
                    reached["the last URLs kept"] += 1

    check()
    alone, total = steps["built, events alone"], steps.total()
    photos, urls = reached["photo answers taken as they were"], reached["the last URLs kept"]
    summary = (f"{alone} of {total} steps built from the events alone (no listing, no sweep); "
               f"{photos} took photo answers as they were, {urls} kept the last URLs")
    record_property("figure", f"event-trusting property test: {summary}")
    assert alone >= 0.4 * total, summary
    assert photos >= 0.5 * alone and urls >= 0.5 * alone, summary


def two_stories(tmp_path: Path) -> Builder:
    """A builder that has built a (1 January) and c (3 January), both in news, by one
    author, tagged Budget."""
    root = tmp_path / "site"
    (root / "content/news").mkdir(parents=True)
    for name, day in (("a", 1), ("c", 3)):
        save(root / f"content/news/{name}.md",
             article_text(f"Story {name}", "news", day, ["Budget"], "Text"))
    builder = Builder(root, OPTIONS)
    assert outcome(builder)[0] == "built"
    return builder


def test_a_template_change_renders_every_page_again(tmp_path: Path) -> None:
    builder = two_stories(tmp_path)
    template = builder.root / "templates/article.html"
    template.parent.mkdir()
    for marker in ("first-template", "second-template-longer"):
        template.write_text('{% extends "base.html" %}{% block content %}<p>' + marker
                            + "</p>{{ article.title }}{% endblock %}")
        pages = assert_same_as_a_clean_build(builder)
        for page in ("news/a/index.html", "news/c/index.html"):
            assert marker.encode() in pages[page], page
    template.unlink()
    pages = assert_same_as_a_clean_build(builder)
    assert b"-template" not in pages["news/a/index.html"]


def test_a_deleted_article_leaves_every_page(tmp_path: Path) -> None:
    builder = two_stories(tmp_path)
    (builder.root / "content/news/c.md").unlink()
    pages = assert_same_as_a_clean_build(builder)
    assert "news/c/index.html" not in pages
    for path, body in pages.items():
        assert b"Story c" not in body and b"/news/c/" not in body, path


def test_a_new_article_in_known_terms_updates_their_counts(tmp_path: Path) -> None:
    """Same author, same year, same tag: the overviews list the same terms, but every count
    and every term page changes."""
    builder = two_stories(tmp_path)
    save(builder.root / "content/news/b.md",
         article_text("Story b", "news", 2, ["Budget"], "Text"))
    pages = assert_same_as_a_clean_build(builder)
    for overview in ("archive/index.html", "authors/index.html"):
        assert b"3 stories" in pages[overview], overview
    for listing in ("archive/2025/index.html", "authors/min-kim/index.html",
                    "tags/budget/index.html", "news/index.html"):
        assert b"Story b" in pages[listing], listing


def test_an_article_between_two_reaches_both_neighbours_and_the_front_page(
        tmp_path: Path) -> None:
    builder = two_stories(tmp_path)
    save(builder.root / "content/news/b.md", article_text("Story b", "news", 2, [], "Text"))
    pages = assert_same_as_a_clean_build(builder)
    assert b'href="/news/b/" rel="prev"' in pages["news/a/index.html"]  # newer than a
    assert b'href="/news/b/" rel="next"' in pages["news/c/index.html"]  # older than c
    assert b"Story b" in pages["index.html"]


def test_a_link_target_with_a_new_url_reaches_the_pages_linking_to_it(tmp_path: Path) -> None:
    """The linking article's file is unchanged, so only its rendered body tells."""
    builder = two_stories(tmp_path)
    root = builder.root
    linking = root / "content/arts/b.md"
    linking.parent.mkdir()
    save(linking, article_text("Story b", "arts", 2, [], "Text", link="news/c"))
    assert b'href="/news/c/"' in assert_same_as_a_clean_build(builder)["arts/b/index.html"]
    story = root / "content/news/c.md"
    save(story, story.read_text().replace("draft: false", "draft: false\nslug: moved"))
    pages = assert_same_as_a_clean_build(builder)
    assert b'href="/news/moved/"' in pages["arts/b/index.html"]


def built_then_edited(tmp_path: Path, first_a: str, then_a: str) -> Builder:
    """A builder that has built two news stories, with a.md then rewritten."""
    root = tmp_path / "site"
    (root / "content/news").mkdir(parents=True)
    save(root / "content/news/a.md", first_a)
    save(root / "content/news/b.md", article_text("Other", "news", 2, [], "Text"))
    builder = Builder(root, OPTIONS)
    assert outcome(builder)[0] == "built"
    save(root / "content/news/a.md", then_a)
    return builder


def test_an_edit_that_keeps_the_shape_reaches_every_page_showing_it(tmp_path: Path) -> None:
    builder = built_then_edited(tmp_path, article_text("Old title", "news", 1, [], "Old"),
                                article_text("New title", "news", 1, [], "New"))
    built = builder.build()
    for page in ("news/a/index.html", "news/b/index.html", "news/index.html", "index.html"):
        assert b"New title" in built.pages[page], page
        assert b"Old title" not in built.pages[page], page


def test_a_new_date_reorders_even_when_nothing_else_changed(tmp_path: Path) -> None:
    builder = built_then_edited(tmp_path, article_text("A", "news", 1, [], "x"),
                                article_text("A", "news", 9, [], "x"))
    assert_same_as_a_clean_build(builder)


def test_editing_the_newest_storys_text_renders_its_page_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The newest story shows on many pages (the front page, its section, tag, author,
    year and archive lists), but its text only on its own: a text edit renders that one."""
    root = tmp_path / "site"
    start_site(root)
    builder = Builder(root, OPTIONS)
    assert outcome(builder)[0] == "built"
    rendered: list[str] = []
    real = render._render_page

    def counted(index: int) -> tuple:
        rendered.append(render._RENDERING[2][index].url)  # type: ignore[index]
        return real(index)

    monkeypatch.setattr(render, "_render_page", counted)
    story = root / "content/sports/c.md"  # 3 January: the newest
    save(story, story.read_text() + "\nA second paragraph, not in the summary.\n")
    incremental = outcome(builder)
    assert rendered == ["/sports/c/"]
    assert incremental == outcome(Builder(root, OPTIONS))
    rendered.clear()
    save(story, story.read_text().replace("title: Story c Old", "title: Story c Renamed"))
    incremental = outcome(builder)
    assert {"/sports/c/", "/", "/sports/"} <= set(rendered)  # the headline is everywhere
    assert incremental == outcome(Builder(root, OPTIONS))
