"""`sitegen new`: an article with its front matter filled in, that the next build publishes."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from typer.testing import CliRunner

from sitegen.cli import app
from sitegen.scaffold import NewArticle, new_article

runner = CliRunner()

CONFIG = '''
title = "The Ridge Record"
timezone = "Asia/Seoul"

[[sections]]
key = "news"
name = "News"

[[sections]]
key = "features"
name = "Features"
'''


@pytest.fixture
def site(make_site) -> Path:
    return make_site({"sitegen.toml": CONFIG})


def new(site: Path, *args: str) -> object:
    return runner.invoke(app, ["new", *args, "--source", str(site)])


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_new_writes_the_article_and_prints_its_path(site: Path) -> None:
    result = new(site, "Council Approves the Spring Budget", "--section", "news",
                 "--author", "Mina Park", "--grade", "10")
    assert result.exit_code == 0, result.output
    path = site / "content/news/council-approves-the-spring-budget.md"
    assert result.stdout.strip() == os.path.relpath(path)
    data = front_matter(path)
    assert data["title"] == "Council Approves the Spring Budget"
    assert (data["section"], data["author"], data["grade"]) == ("news", "Mina Park", 10)
    assert "draft" not in data

    built = runner.invoke(app, ["build", "-s", str(site)])
    assert built.exit_code == 0, built.output
    page = (site / "_site/news/council-approves-the-spring-budget/index.html").read_text()
    assert "Council Approves the Spring Budget" in page and "Mina Park" in page


def test_korean_title_keeps_hangul_in_the_slug(site: Path) -> None:
    result = new(site, "학생회, 봄 예산안 통과", "--section", "features", "--author", "김민지")
    assert result.exit_code == 0, result.output
    path = site / "content/features/학생회-봄-예산안-통과.md"
    assert path.is_file()
    assert front_matter(path)["title"] == "학생회, 봄 예산안 통과"
    assert runner.invoke(app, ["build", "-s", str(site)]).exit_code == 0
    assert (site / "_site/features/학생회-봄-예산안-통과/index.html").is_file()


def test_date_is_now_in_the_site_timezone(site: Path) -> None:
    now = dt.datetime(2026, 3, 1, 16, 30, 59, tzinfo=dt.UTC)
    path = new_article(site, NewArticle("Late bus", "news", "Min Kim"), now=now)
    assert "\ndate: 2026-03-02 01:30\n" in path.read_text()  # Seoul is UTC+9
    seoul = dt.datetime.now(ZoneInfo("Asia/Seoul"))
    result = new(site, "Today", "--section", "news", "--author", "Min Kim")
    written = dt.datetime.fromisoformat(front_matter(site / "content/news/today.md")["date"])
    assert result.exit_code == 0
    assert abs(written - seoul.replace(tzinfo=None)) < dt.timedelta(minutes=2)


def test_title_with_quotes_and_colons_stays_valid_yaml(site: Path) -> None:
    title = 'Coach: "We\'re not done" #1'
    result = new(site, title, "--section", "news", "--author", "Min Kim")
    assert result.exit_code == 0, result.output
    assert front_matter(site / "content/news/coach-were-not-done-1.md")["title"] == title


def test_new_refuses_to_overwrite(site: Path) -> None:
    assert new(site, "Same", "--section", "news", "--author", "A").exit_code == 0
    path = site / "content/news/same.md"
    path.write_text(path.read_text() + "\nMy words.\n")
    before = path.read_bytes()
    result = new(site, "Same", "--section", "news", "--author", "B")
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert path.read_bytes() == before


def test_unknown_section_is_a_usage_error_with_a_suggestion(site: Path) -> None:
    result = new(site, "Story", "--section", "featurs", "--author", "A")
    assert result.exit_code == 2
    assert 'unknown section "featurs" (did you mean "features"?)' in result.output
    assert not (site / "content").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--grade", "7"], "--grade must be from 9 to 12, not 7"),
    (["--slug", "Bad Slug"], 'try "bad-slug"'),
])
def test_bad_values_are_usage_errors(site: Path, args: list[str], message: str) -> None:
    result = new(site, "Story", "--section", "news", "--author", "A", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_title_without_letters_needs_a_slug(site: Path) -> None:
    result = new(site, "?!", "--section", "news", "--author", "A")
    assert result.exit_code == 2
    assert "--slug" in result.output
    assert new(site, "?!", "--section", "news", "--author", "A", "--slug", "qa").exit_code == 0


def test_draft_and_slug_options(site: Path) -> None:
    result = new(site, "Draft story", "--section", "news", "--author", "A", "--draft",
                 "--slug", "plan")
    assert result.exit_code == 0, result.output
    assert front_matter(site / "content/news/plan.md")["draft"] is True
    runner.invoke(app, ["build", "-s", str(site)])
    assert not (site / "_site/news/plan").exists()


def test_missing_section_or_author_is_a_usage_error(site: Path) -> None:
    assert new(site, "Story", "--author", "A").exit_code == 2
    assert new(site, "Story", "--section", "news").exit_code == 2
