"""`sitegen init`: a new publication that builds, and a GitHub Pages workflow that lints."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from typer.testing import CliRunner

from sitegen import cli, scaffold
from sitegen.cli import app
from sitegen.config import DEFAULT_SECTIONS, load_config

runner = CliRunner()
REPO_WORKFLOW = REPO / ".github/workflows/pages.yml"


def repo_workflow() -> str:
    """The repository's own workflow: the same template, sitegen installed from the checkout."""
    return scaffold.render_workflow(install="python -m pip install .",
                                    dependency_file="pyproject.toml", branch="main")


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    found = shutil.which("actionlint") or shutil.which(
        "actionlint", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail("actionlint is not installed: pip install -e '.[test]'")
    return subprocess.run([found, "-no-color", str(path)], capture_output=True, text=True,
                          check=False, cwd=path.parent)


def init(folder: Path, *args: str) -> object:
    return runner.invoke(app, ["init", str(folder), *args])


def test_init_writes_a_publication_that_builds(tmp_path: Path) -> None:
    paper = tmp_path / "my-paper"
    result = init(paper, "--yes", "--title", "The Ridge Record", "--timezone", "Asia/Seoul",
                  "--base-url", "https://ridge.github.io/record/")
    assert result.exit_code == 0, result.output
    for name in ("sitegen.toml", "content/news/welcome.md", ".gitignore", "requirements.txt",
                 ".github/workflows/pages.yml"):
        assert (paper / name).is_file(), name
        assert f"wrote {os.path.relpath(paper / name)}" in result.output
    config = load_config(paper)
    assert (config.title, config.timezone) == ("The Ridge Record", "Asia/Seoul")
    assert config.base_url == "https://ridge.github.io/record/"
    assert config.sections == DEFAULT_SECTIONS
    assert "_site/" in (paper / ".gitignore").read_text().splitlines()
    assert "sitegen" in (paper / "requirements.txt").read_text()

    built = runner.invoke(app, ["build", "-s", str(paper)])
    assert built.exit_code == 0, built.output
    page = (paper / "_site/news/welcome/index.html").read_text()
    assert "Welcome to The Ridge Record" in page
    assert 'href="/record/news/"' in page
    checked = runner.invoke(app, ["check", "-s", str(paper)])
    assert checked.exit_code == 0, checked.output


def test_init_sections_from_options(tmp_path: Path) -> None:
    result = init(tmp_path / "p", "-y", "--section", "news=News",
                  "--section", "sports=Sports & Games", "--section", "Opinion")
    assert result.exit_code == 0, result.output
    sections = load_config(tmp_path / "p").sections
    assert [(s.key, s.name) for s in sections] == [
        ("news", "News"), ("sports", "Sports & Games"), ("opinion", "Opinion")]
    assert (tmp_path / "p/content/news/welcome.md").exists()


def test_init_defaults_without_options(tmp_path: Path) -> None:
    result = init(tmp_path / "p")  # no TTY here, so nothing is asked
    assert result.exit_code == 0, result.output
    config = load_config(tmp_path / "p")
    assert config.title == scaffold.DEFAULT_TITLE
    assert config.base_url == "/"


def test_init_prompts_when_interactive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_interactive", lambda: True)
    answers = "The Daily Ink\nhttps://ink.github.io/paper/\nEurope/Berlin\nnews=News, arts=Arts\n"
    result = runner.invoke(app, ["init", str(tmp_path / "p")], input=answers)
    assert result.exit_code == 0, result.output
    assert "Name of the paper" in result.output
    config = load_config(tmp_path / "p")
    assert (config.title, config.timezone) == ("The Daily Ink", "Europe/Berlin")
    assert config.base_url == "https://ink.github.io/paper/"
    assert [s.key for s in config.sections] == ["news", "arts"]


def test_init_guesses_the_address_from_a_github_remote(tmp_path: Path) -> None:
    paper = tmp_path / "p"
    paper.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "trunk", str(paper)], check=True)
    subprocess.run(["git", "-C", str(paper), "remote", "add", "origin",
                    "git@github.com:Ridge-High/record.git"], check=True)
    result = init(paper, "-y")
    assert result.exit_code == 0, result.output
    assert load_config(paper).base_url == "https://ridge-high.github.io/record/"
    workflow = (paper / ".github/workflows/pages.yml").read_text()
    assert "branches: [trunk]" in workflow
    assert "github.ref == 'refs/heads/trunk'" in workflow


def test_init_refuses_an_existing_publication(tmp_path: Path) -> None:
    paper = tmp_path / "p"
    assert init(paper, "-y").exit_code == 0
    (paper / "sitegen.toml").write_text('title = "Mine"\n')
    before = {p: p.read_bytes() for p in paper.rglob("*") if p.is_file()}
    result = init(paper, "-y", "--title", "Other")
    assert result.exit_code == 2
    assert "already holds a publication" in result.output
    assert {p: p.read_bytes() for p in paper.rglob("*") if p.is_file()} == before

    only_content = tmp_path / "q"
    (only_content / "content").mkdir(parents=True)
    assert init(only_content, "-y").exit_code == 2
    assert not (only_content / "sitegen.toml").exists()


def test_init_keeps_an_existing_gitignore_and_requirements(tmp_path: Path) -> None:
    paper = tmp_path / "p"
    paper.mkdir()
    (paper / ".gitignore").write_text("node_modules/\n_site/\n")
    (paper / "requirements.txt").write_text("sitegen==9.9\n")
    assert init(paper, "-y").exit_code == 0
    ignored = (paper / ".gitignore").read_text().splitlines()
    assert ignored[:2] == ["node_modules/", "_site/"] and ignored.count("_site/") == 1
    assert ".venv/" in ignored
    assert (paper / "requirements.txt").read_text() == "sitegen==9.9\n"


@pytest.mark.parametrize(("args", "message"), [
    (["--timezone", "Mars/Olympus"], 'unknown timezone "Mars/Olympus"'),
    (["--base-url", "paper"], "must start with https://, http:// or /"),
    (["--section", "="], "give it as key=Name"),
    (["--section", "News Desk=News"], "must be lowercase letters, digits and hyphens"),
])
def test_init_bad_options_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = init(tmp_path / "p", "-y", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "p/sitegen.toml").exists()


def test_requirement_pins_the_git_commit_sitegen_came_from(
        monkeypatch: pytest.MonkeyPatch) -> None:
    class Dist:
        version = "0.1.0"

        def __init__(self, direct: str | None) -> None:
            self.direct = direct

        def read_text(self, name: str) -> str | None:
            return self.direct

    def use(direct: str | None) -> str:
        monkeypatch.setattr(scaffold.metadata, "distribution", lambda name: Dist(direct))
        return scaffold.sitegen_requirement()

    vcs = ('{"url": "https://github.com/ridge/sitegen", "vcs_info": {"vcs": "git", '
           '"commit_id": "0123abc"}}')
    assert use(vcs) == "sitegen @ git+https://github.com/ridge/sitegen@0123abc"
    assert use(None) == "sitegen==0.1.0"
    assert use('{"url": "file:///home/me/sitegen", "dir_info": {"editable": true}}') == \
        scaffold.SITEGEN_SOURCE


def test_generated_workflow_passes_actionlint(tmp_path: Path) -> None:
    paper = tmp_path / "p"
    assert init(paper, "-y").exit_code == 0
    workflow = paper / ".github/workflows/pages.yml"
    done = actionlint(workflow)
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflow_does_what_pages_needs() -> None:
    text = scaffold.render_workflow()
    data = yaml.safe_load(text)
    triggers = data[True]  # YAML 1.1 reads the key "on" as true
    assert set(triggers) == {"push", "pull_request", "schedule", "workflow_dispatch"}
    assert triggers["schedule"][0]["cron"]
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    uses = [step.get("uses", "").split("@")[0] for step in build["steps"]]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert "actions/configure-pages" in uses and "actions/upload-pages-artifact" in uses
    assert build["steps"][1]["with"]["cache"] == "pip"
    assert build["steps"][1]["with"]["cache-dependency-path"] == "requirements.txt"
    runs = [step.get("run", "") for step in build["steps"]]
    check, build_step = (next(i for i, r in enumerate(runs) if r.startswith(f"sitegen {verb}"))
                         for verb in ("check", "build"))
    assert check < build_step, "check runs before the build"
    assert "steps.pages.outputs.base_url" in text
    assert data["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert deploy["environment"]["name"] == "github-pages"
    assert "pull_request" in deploy["if"]
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_repository_workflow_is_the_template(request: pytest.FixtureRequest) -> None:
    expected = repo_workflow()
    if request.config.getoption("--regen-golden"):
        REPO_WORKFLOW.parent.mkdir(parents=True, exist_ok=True)
        REPO_WORKFLOW.write_text(expected, encoding="utf-8")
        pytest.skip(f"regenerated {REPO_WORKFLOW.relative_to(REPO)}; nothing was compared")
    assert REPO_WORKFLOW.read_text(encoding="utf-8") == expected, (
        "the repository's workflow differs from sitegen/scaffold/pages.yml; regenerate it "
        "with pytest --regen-golden")
    differing = [(a, b) for a, b in zip(scaffold.render_workflow().splitlines(),
                                        expected.splitlines(), strict=True) if a != b]
    assert [a for a, _ in differing] == [
        "          cache-dependency-path: requirements.txt",
        "        run: python -m pip install -r requirements.txt"]


def test_repository_workflow_passes_actionlint() -> None:
    done = actionlint(REPO_WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr


def test_scaffold_files_ship_inside_the_package() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["sitegen"]
    for name in ("pages.yml", "welcome.md", "gitignore"):
        assert (scaffold.HERE / name).is_file()
        assert scaffold.HERE.is_relative_to(REPO / "sitegen")


@pytest.mark.parametrize("command", ["init", "new", "check", "deploy"])
def test_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output
