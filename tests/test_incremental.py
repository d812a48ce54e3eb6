"""Incremental rebuilds give exactly what a clean build gives, after any sequence of edits."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

from conftest import NOW
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.build import Builder, BuildOptions
from sitegen.errors import BuildFailed

OPTIONS = BuildOptions(now=NOW)
SECTIONS = ["news", "sports", "arts"]
TAGS = ["Budget", "budget", "Art", "Student Council", "student-council"]
NAMES = ["a", "b", "c", "d", "e"]


def article_text(title: str, section: str, day: int, tags: list[str], body: str,
                 draft: bool = False, link: str | None = None) -> str:
    link_line = f"\n\nSee [this](../{link}.md)." if link else ""
    return textwrap.dedent(f"""\
        ---
        title: {title}
        date: 2025-01-{day:02d}
        section: {section}
        author: Min Kim
        tags: {tags}
        draft: {str(draft).lower()}
        ---

        {body}{link_line}
        """)


def outcome(builder: Builder) -> tuple:
    try:
        built = builder.build()
    except BuildFailed as exc:
        return ("failed", tuple(str(e) for e in exc.errors))
    return ("built", built.pages, {path: src.read_bytes() for path, src in built.files.items()})


names = st.sampled_from(NAMES)
edits = st.one_of(
    st.tuples(st.just("write"), names, st.sampled_from(SECTIONS), st.integers(1, 28),
              st.lists(st.sampled_from(TAGS), max_size=2), st.sampled_from(["Old", "New"]),
              st.booleans(), st.one_of(st.none(), names)),
    st.tuples(st.just("retitle"), names),  # leaves the site's shape: the in-place path
    st.tuples(st.just("redate"), names, st.integers(1, 28)),  # reorders, nothing else
    st.tuples(st.just("delete"), names),
    st.tuples(st.just("rename"), names, names),
    st.tuples(st.just("break"), names),
    st.tuples(st.just("image"), st.booleans()),
    st.tuples(st.just("template"), st.sampled_from(["", "<p>{{ article.word_count }}</p>"])),
)


def apply(root: Path, edit: tuple) -> None:
    kind = edit[0]
    sections = root / "content"
    if kind == "write":
        _, name, section, day, tags, body, draft, link = edit
        for old in sections.glob(f"*/{name}.md"):
            old.unlink()
        path = sections / section / f"{name}.md"
        path.parent.mkdir(exist_ok=True)
        target = f"{section}/{link}" if link else None
        path.write_text(article_text(f"Story {name} {body}", section, day, tags,
                                     f"{body} text ![pic](../pic.png)", draft, target))
    elif kind == "retitle":
        swap = {"Old": "New", "New": "Old"}
        for path in sections.glob(f"*/{edit[1]}.md"):
            text = path.read_text()
            path.write_text(re.sub(r"Old|New", lambda m: swap[m.group(0)], text))
    elif kind == "redate":
        for path in sections.glob(f"*/{edit[1]}.md"):
            text = re.sub(r"date: 2025-01-\d\d", f"date: 2025-01-{edit[2]:02d}", path.read_text())
            path.write_text(text)
    elif kind == "delete":
        for path in sections.glob(f"*/{edit[1]}.md"):
            path.unlink()
    elif kind == "rename":
        for path in sections.glob(f"*/{edit[1]}.md"):
            path.rename(path.with_name(f"{edit[2]}.md"))
    elif kind == "break":
        for path in sections.glob(f"*/{edit[1]}.md"):
            path.write_text("---\ntitle: [unclosed\n---\n")
    elif kind == "image":
        pic = sections / "pic.png"
        if edit[1]:
            pic.write_bytes(b"png")
        elif pic.exists():
            pic.unlink()
    elif kind == "template":
        template = root / "templates" / "article.html"
        template.parent.mkdir(exist_ok=True)
        if edit[1]:
            template.write_text('{% extends "base.html" %}{% block content %}' + edit[1]
                                + "{{ article.title }}{% endblock %}")
        elif template.exists():
            template.unlink()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(edits, min_size=1, max_size=12))
def test_any_sequence_of_edits_matches_a_clean_build(tmp_path: Path, sequence: list) -> None:
    root = tmp_path / "site"
    shutil.rmtree(root, ignore_errors=True)
    (root / "content").mkdir(parents=True)
    (root / "content/pic.png").write_bytes(b"png")
    apply(root, ("write", "a", "news", 1, ["Budget"], "Old", False, None))
    apply(root, ("write", "b", "news", 2, ["Art"], "New", False, "a"))
    apply(root, ("write", "c", "sports", 3, [], "Old", False, None))
    incremental = Builder(root, OPTIONS)
    outcome(incremental)
    for edit in sequence:
        apply(root, edit)
        assert outcome(incremental) == outcome(Builder(root, OPTIONS)), edit


def built_then_edited(tmp_path: Path, first_a: str, then_a: str) -> Builder:
    """A builder that has built two news stories, with a.md then rewritten."""
    root = tmp_path / "site"
    (root / "content/news").mkdir(parents=True)
    (root / "content/news/a.md").write_text(first_a)
    (root / "content/news/b.md").write_text(article_text("Other", "news", 2, [], "Text"))
    builder = Builder(root, OPTIONS)
    builder.build()
    (root / "content/news/a.md").write_text(then_a)
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
    assert outcome(builder) == outcome(Builder(builder.root, OPTIONS))
