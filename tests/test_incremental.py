"""Incremental rebuilds give exactly what a clean build gives, after any sequence of edits."""

from __future__ import annotations

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
    incremental = Builder(root, OPTIONS)
    outcome(incremental)
    for edit in sequence:
        apply(root, edit)
        assert outcome(incremental) == outcome(Builder(root, OPTIONS)), edit
