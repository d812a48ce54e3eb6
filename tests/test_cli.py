from __future__ import annotations

from pathlib import Path

import pytest
from conftest import article
from typer.testing import CliRunner

from sitegen.cli import app

runner = CliRunner()


@pytest.fixture
def site(make_site) -> Path:
    return make_site({"content/news/a.md": article("A story", date="2025-01-01")})


def test_build_succeeds_with_a_summary_line(site: Path) -> None:
    result = runner.invoke(app, ["build", "--source", str(site)])
    assert result.exit_code == 0, result.output
    assert "Built " in result.output and " pages " in result.output
    assert (site / "_site/news/a/index.html").exists()


def test_quiet_build_prints_nothing(site: Path) -> None:
    result = runner.invoke(app, ["build", "-s", str(site), "--quiet"])
    assert result.exit_code == 0
    assert result.output == ""


def test_output_and_base_url_options(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    result = runner.invoke(app, ["build", "-s", str(site), "-o", str(out),
                                 "--base-url", "https://org.github.io/paper/"])
    assert result.exit_code == 0, result.output
    assert 'href="/paper/news/a/"' in (out / "index.html").read_text()


def test_content_errors_exit_1_and_list_every_error(site: Path) -> None:
    (site / "content/news/b.md").write_text("---\ntitle: B\n---\n")
    (site / "content/news/c.md").write_text("no front matter\n")
    result = runner.invoke(app, ["build", "-s", str(site)])
    assert result.exit_code == 1
    assert "content/news/b.md:1:" in result.output
    assert "content/news/c.md:1: no front matter" in result.output
    assert "4 errors; nothing was written." in result.output
    assert "Traceback" not in result.output
    assert not (site / "_site").exists()


def test_usage_errors_exit_2(site: Path) -> None:
    assert runner.invoke(app, ["build", "--no-such-flag"]).exit_code == 2
    result = runner.invoke(app, ["build", "-s", str(site), "-o", str(site / "content")])
    assert result.exit_code == 2
    assert "overlaps" in result.output


def test_bad_base_url_flag_is_an_error(site: Path) -> None:
    result = runner.invoke(app, ["build", "-s", str(site), "--base-url", "gazette"])
    assert result.exit_code == 1
    assert "--base-url 'gazette': must start with https://, http:// or /" in result.output


def test_drafts_flag(site: Path) -> None:
    (site / "content/news/d.md").write_text(article("Draft", extra="draft: true"))
    runner.invoke(app, ["build", "-s", str(site)])
    assert not (site / "_site/news/d/index.html").exists()
    runner.invoke(app, ["build", "-s", str(site), "--drafts"])
    assert (site / "_site/news/d/index.html").exists()


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"]])
def test_help_everywhere(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_module_entry_point(site: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "-s", str(site), "-q"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert (site / "_site/index.html").exists()


def test_a_folder_that_is_not_a_paper_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "-s", str(tmp_path)])
    assert result.exit_code == 2
    assert "holds no content/ folder" in result.output
    assert list(tmp_path.iterdir()) == []
