"""`sitegen check`: build errors, links, anchors, images and alt text; GitHub annotations."""

from __future__ import annotations

from pathlib import Path

import photos
import pytest
from conftest import REPO, article
from typer.testing import CliRunner

from sitegen.check import annotation, escape_data, escape_property, run_check
from sitegen.cli import app
from sitegen.errors import ContentError, SitegenError

runner = CliRunner()

GOOD = {
    # Short sample stories: the word-count lint is off here (tests/test_lint.py covers it).
    "sitegen.toml": 'title = "Check"\nbase_url = "https://ridge.github.io/record/"\n'
                    "[check]\nmin_words = 0\n",
    "content/news/a.md": article("A story", body="""
        ## Where it started

        See [the other story](b.md#the-vote) and [below](#where-it-started).

        ![A crowded gym](gym.png)
        """),
    "content/news/b.md": article("B story", body="## The vote\n\nIt passed."),
    "content/news/gym.png": photos.png(),
}


def check(site: Path, *args: str, env: dict[str, str] | None = None) -> object:
    return runner.invoke(app, ["check", "-s", str(site), *args],
                         env={"GITHUB_ACTIONS": "", **(env or {})})


def annotations(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("::")]


def test_a_good_site_passes_and_writes_nothing(make_site) -> None:
    site = make_site(GOOD)
    result = check(site)
    assert result.exit_code == 0, result.output
    assert "no errors" in result.output
    assert not (site / "_site").exists()


def test_the_example_publication_passes(cache_elsewhere) -> None:
    report = run_check(REPO)
    assert report.errors == []
    assert report.pages > 50


def test_content_errors_fail_with_every_error(make_site) -> None:
    site = make_site({**GOOD, "content/news/c.md": "---\ntitle: C\n---\n",
                      "sitegen.toml": 'title = "Check"\nper_pag = 3\n'})
    result = check(site)
    assert result.exit_code == 1
    assert 'sitegen.toml:2: unknown key "per_pag" (did you mean "per_page"?)' in result.output
    assert "Traceback" not in result.output


def test_broken_links_and_anchors_name_the_file_and_line(make_site) -> None:
    site = make_site({**GOOD, "content/news/c.md": article("C story", body="""
        First paragraph.

        A link to [nowhere](/no-such-page/).

        Jump to [a missing part](#nothing-here) of this story.

        Read [the vote](b.md#no-such-heading).

        <a href="/elsewhere/">Elsewhere</a>
        """)})
    result = check(site)
    assert result.exit_code == 1
    out = result.output
    assert 'content/news/c.md:10: link "/record/no-such-page/" does not exist' in out
    assert 'content/news/c.md:12: link "#nothing-here" has no element with id "nothing-here"' in out
    assert ('content/news/c.md:14: link "/record/news/b/#no-such-heading" has no element with id '
            '"no-such-heading"') in out
    assert 'content/news/c.md:16: link "/elsewhere/" is outside the site\'s base path' in out
    assert "4 errors." in out


def test_images_without_alt_text_raw_or_missing_name_the_file_and_line(make_site) -> None:
    site = make_site({**GOOD, "content/news/c.md": article("C story", body="""
        First paragraph.

        <img src="/missing.png" alt="Missing">

        ![](gym.png)

        ![Team photo](/photos/team.jpg)
        """)})
    result = check(site)
    assert result.exit_code == 1
    out = result.output
    assert 'content/news/c.md:10: <img> in raw HTML is not published' in out
    assert 'content/news/c.md:12: image "gym.png" has no alt text' in out
    assert ('content/news/c.md:14: image "/photos/team.jpg" not found in static/ or content/'
            in out)
    assert "3 errors." in out


def test_theme_problems_list_the_pages_once(make_site) -> None:
    site = make_site({**GOOD, "templates/base.html": """
        <!doctype html><title>{{ page.title }}</title>
        <img src="{{ '/logo.png' | url }}">
        {% block content %}{% endblock %}
        """})
    report = run_check(site)
    messages = [str(error) for error in report.errors]
    assert any(m.startswith('image "/record/logo.png" does not exist, on ') for m in messages)
    assert any(m.startswith('image "/record/logo.png" has no alt attribute, on ') for m in messages)
    assert len(messages) == 2
    assert "and " in messages[0] and "more" in messages[0]


def test_annotations_in_github_actions(make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({**GOOD, "content/news/c.md": article(
        "C story", extra="summray: typo", body="Go [there](/gone/).")})
    monkeypatch.setenv("GITHUB_WORKSPACE", str(site.parent))
    result = check(site, env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    assert annotations(result.output) == [
        "::error file=site/content/news/c.md,line=9,title=sitegen check::"
        'link "/record/gone/" does not exist',
        "::warning file=site/content/news/c.md,line=6,title=sitegen check::"
        'unknown key "summray" (did you mean "summary"?); it is kept for templates',
    ]
    assert annotations(check(site).output) == []


def test_build_errors_are_annotated_too(make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({"content/news/a.md": "---\ntitle: A\nsection: news\n---\n"})
    monkeypatch.chdir(site)
    result = check(site, env={"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": ""})
    assert result.exit_code == 1
    lines = annotations(result.output)
    assert lines and all(line.startswith("::error file=content/news/a.md,line=") for line in lines)
    assert any(line.endswith('::"date" is required, e.g. date: 2025-03-14') for line in lines)


def test_annotation_escaping(tmp_path: Path) -> None:
    (tmp_path / "a,b:c.md").write_text("x")
    problem = ContentError("50% done\r\nnext: line, two", "a,b:c.md", 3)
    assert annotation("error", problem, tmp_path, tmp_path) == (
        "::error file=a%2Cb%3Ac.md,line=3,title=sitegen check::50%25 done%0D%0Anext: line, two")
    assert escape_data("a%b\nc:d,e") == "a%25b%0Ac:d,e"
    assert escape_property("a%b\nc:d,e") == "a%25b%0Ac%3Ad%2Ce"


def test_annotation_without_a_file_carries_the_location_in_the_message(tmp_path: Path) -> None:
    problem = SitegenError("template error: boom", "(built-in theme) base.html", 4)
    assert annotation("error", problem, tmp_path, tmp_path) == (
        "::error title=sitegen check::(built-in theme) base.html:4%3A template error: boom"
        .replace("%3A", ":"))


def test_a_problem_in_a_staff_bio_is_reported_once(make_site) -> None:
    site = make_site({
        "sitegen.toml": 'per_page = 1\n',
        "content/news/a.md": article("A", author="Min Kim"),
        "content/news/b.md": article("B", author="Min Kim"),
        "content/staff/min-kim.md": "---\nname: Min Kim\n---\n\nEditor. [Gone](/gone/)\n",
    })
    report = run_check(site)
    assert [str(e) for e in report.errors] == [
        'content/staff/min-kim.md:5: link "/gone/" does not exist']


def test_a_link_to_the_sites_own_host_is_its_home_page(make_site, cache_elsewhere) -> None:
    site = make_site({
        "sitegen.toml": 'base_url = "https://ridge.github.io/"\n[check]\nmin_words = 0\n',
        "content/news/a.md": article("A", body="Back to [our front page](https://ridge.github.io)."),
    })
    result = check(site)
    assert result.exit_code == 0, result.output
