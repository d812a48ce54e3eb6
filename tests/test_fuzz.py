"""Fuzzing: whatever a writer puts in front matter, a body or sitegen.toml, a build either
succeeds or fails with reported errors (file and line), within a time budget, and writes
nothing outside its output folder."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from conftest import NOW
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.build import BuildOptions, build
from sitegen.errors import BuildFailed, SitegenError

BUDGET_SECONDS = 10
# How many of the derandomised cases must build: 17 of 60, 7 of 40 and 27 of 40 did when
# this was set; a change that makes most cases fail early would leave the proof hollow.
MIN_FM, MIN_TOML, MIN_BODY = 15, 6, 25
KEYS = ["title", "date", "section", "author", "grade", "tags", "summary", "image", "image_alt",
        "draft", "featured", "updated", "corrections", "slug", "aliases", "issue", "withdrawn",
        "noindex", "legacy", "Title", "titel"]
SCALARS = st.one_of(
    st.text(max_size=30), st.integers(-10**6, 10**6), st.booleans(), st.none(),
    st.sampled_from(["2025-03-04", "2025-02-30", "12:30", "2024.10", "yes", "~", "news",
                     "../../etc/passwd", "<script>alert(1)</script>", "con", "{{ x }}",
                     "*anchor", "&a [1, 2]", "!!python/object:os.system", "'", '"', "\t"]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["name", "grade", "date",
                                                                  "text", "x"]), inner,
                                                 max_size=3)), max_leaves=6)
BODIES = st.lists(st.one_of(
    st.text(max_size=40), st.text(max_size=40), st.text(max_size=40),
    st.sampled_from(["# Head", "## Head", "![](x.jpg)", "![alt](x.jpg)", "[a](b.md)",
                     "[a][1]\n\n[1]: blank", "<iframe src=x>", "<img src=x>", "```\ncode",
                     "[^1]\n\n[^1]: note", "| a |\n|---|\n| b |", "{% include x %}",
                     "<section id=fn1>", "&#0;", "\x00", "[x](https://youtu.be/abc123DEF45)"]),
), max_size=6).map("\n\n".join)


def _yaml_line(key: str, value: object) -> str:
    return f"{key}: {json.dumps(value, ensure_ascii=False)}"


def _tree(folder: Path) -> dict[str, float]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime for p in folder.rglob("*")
            if p.is_file() and not p.relative_to(folder).as_posix().startswith(("_site",
                                                                                ".sitegen"))}


def _build_once(root: Path, outcomes: list[bool]) -> None:
    """Build, check the invariants, and note in ``outcomes`` whether it built."""
    before = _tree(root)
    started = time.perf_counter()
    try:
        build(root, BuildOptions(now=NOW))
        outcomes.append(True)
    except BuildFailed as failed:
        outcomes.append(False)
        assert failed.errors and all(isinstance(e, SitegenError) for e in failed.errors)
        assert all(e.path for e in failed.errors if "content/" in str(e)), failed.errors
    assert time.perf_counter() - started < BUDGET_SECONDS
    assert _tree(root) == before  # nothing written beside the site's own output and cache
    assert not [p for p in root.parent.iterdir() if ".tmp-" in p.name or ".old-" in p.name]
    for page in (root / "_site").rglob("*.html") if (root / "_site").is_dir() else []:
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>',
                                page.read_text(encoding="utf-8"), re.S):
            json.loads(block)


def test_any_front_matter_and_body_builds_or_fails_with_errors(tmp_path_factory) -> None:
    outcomes: list[bool] = []

    @settings(max_examples=60, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(fields=st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=2),
           raw_lines=st.lists(st.text(max_size=20), max_size=1) | st.just([]), body=BODIES)
    def case(fields, raw_lines, body) -> None:
        root = tmp_path_factory.mktemp("fuzz") / "site"
        (root / "content/news").mkdir(parents=True)
        # A valid article with some of its fields replaced, so that builds succeed often enough
        # for the success paths to be fuzzed too.
        valid = {"title": "A story", "date": "2025-03-04", "section": "news", "author": "Min Kim"}
        lines = [_yaml_line(key, value) for key, value in {**valid, **fields}.items()] + raw_lines
        text = "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"
        (root / "content/news/story.md").write_text(text, encoding="utf-8")
        (root / "content/news/ok.md").write_text(
            "---\ntitle: Fine\ndate: 2025-01-01\nsection: news\nauthor: Min Kim\n---\n\nText.\n",
            encoding="utf-8")
        _build_once(root, outcomes)

    case()
    # The proof must reach the build's success path too, not only its errors.
    assert sum(outcomes) >= MIN_FM, f"{sum(outcomes)} of {len(outcomes)} built"


TOML_VALUES = st.one_of(
    st.text(max_size=20).map(json.dumps), st.integers(-5, 10**6).map(str),
    st.booleans().map(lambda b: "true" if b else "false"),
    st.sampled_from(['"https://<you>.github.io/paper/"', '"ko"', '"xx"', '"Asia/Seoul"',
                     '"America"', '["a", 1]', "[480, 20]", '{ latest = "x" }', '"08-32"',
                     '"/{slug}/"', '"/{section}/{nope}/"', '"initial"', "[9, 12]"]),
    # Values that fit some keys, so that a fair share of the configs build.
    st.sampled_from(['"The Paper"', '"https://example.github.io/paper/"', '"/"', '"en"',
                     '"UTC"', "5", "true", "false", '"full"', '"08-15"']),
)
CONFIG_KEYS = ["title", "base_url", "language", "timezone", "per_page", "permalink", "grades",
               "names", "school_year_start", "search", "noindex", "logo", "theme", "titel"]


def test_any_sitegen_toml_builds_or_fails_with_errors(tmp_path_factory) -> None:
    outcomes: list[bool] = []

    @settings(max_examples=40, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(config=st.dictionaries(st.sampled_from(CONFIG_KEYS), TOML_VALUES, max_size=3),
           tables=st.sampled_from(["", "", "", "[images]\nquality = 500\n",
                               "[strings]\nlatest = 3\n", "[strings]\nlatest = \"Newest\"\n",
                                   "[[sections]]\nkey = \"news\"\nname = \"News\"\n",
                                   "[check]\nmin_words = -1\n", "not toml at all = = =\n"]))
    def case(config, tables) -> None:
        root = tmp_path_factory.mktemp("fuzzconfig") / "site"
        (root / "content/news").mkdir(parents=True)
        (root / "content/news/ok.md").write_text(
            "---\ntitle: Fine\ndate: 2025-01-01\nsection: news\nauthor: Min Kim\n---\n\nText.\n",
            encoding="utf-8")
        toml = "".join(f"{key} = {value}\n" for key, value in config.items()) + tables
        (root / "sitegen.toml").write_text(toml, encoding="utf-8")
        _build_once(root, outcomes)

    case()
    # The proof must reach the build's success path too, not only its errors.
    assert sum(outcomes) >= MIN_TOML, f"{sum(outcomes)} of {len(outcomes)} built"


def test_any_body_text_under_valid_front_matter_builds(tmp_path_factory) -> None:
    outcomes: list[bool] = []

    @settings(max_examples=40, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(body=st.text(max_size=300), title=st.text(min_size=1, max_size=40))
    def case(body, title) -> None:
        root = tmp_path_factory.mktemp("fuzzbody") / "site"
        (root / "content/news").mkdir(parents=True)
        (root / "content/news/story.md").write_text(
            f"---\n{_yaml_line('title', title)}\ndate: 2025-03-04\nsection: news\n"
            f"author: Min Kim\n---\n\n{body}\n", encoding="utf-8")
        _build_once(root, outcomes)


    case()
    # The proof must reach the build's success path too, not only its errors.
    assert sum(outcomes) >= MIN_BODY, f"{sum(outcomes)} of {len(outcomes)} built"
