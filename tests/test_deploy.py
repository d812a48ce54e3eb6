"""`sitegen deploy`: the built site on a gh-pages branch of a local bare remote, committed
only when it changed, with the user's branch, HEAD, index and uncommitted work untouched."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest
from conftest import article
from typer.testing import CliRunner

from sitegen.cli import app
from sitegen.config import SiteConfig
from sitegen.deploy import pages_url, site_url

runner = CliRunner()
IDENTITY = {"GIT_AUTHOR_NAME": "Ada Editor", "GIT_AUTHOR_EMAIL": "ada@example.org",
            "GIT_COMMITTER_NAME": "Ada Editor", "GIT_COMMITTER_EMAIL": "ada@example.org"}


@pytest.fixture(autouse=True)
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No git configuration from this machine; an identity from the environment only."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("EMAIL", raising=False)
    for name, value in IDENTITY.items():
        monkeypatch.setenv(name, value)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          check=True).stdout.strip()


@pytest.fixture
def repo(make_site, tmp_path: Path) -> tuple[Path, Path]:
    """A site under git with one commit, and an empty bare remote called origin."""
    site = make_site({
        "sitegen.toml": 'title = "Record"\ncname = "news.ridge.example"\n',
        "content/news/a.md": article("A story", date="2025-01-01"),
        ".gitignore": "_site/\n",
    })
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "First issue")
    git(site, "remote", "add", "origin", str(remote))
    return site, remote


def deploy(site: Path, *args: str) -> object:
    return runner.invoke(app, ["deploy", "-s", str(site), *args])


def published(remote: Path) -> dict[str, bytes]:
    names = git(remote, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    return {name: subprocess.run(["git", "show", f"gh-pages:{name}"], cwd=remote,
                                 capture_output=True, check=True).stdout for name in names}


def test_deploy_publishes_the_site_and_skips_an_unchanged_one(repo: tuple[Path, Path]) -> None:
    site, remote = repo
    first = deploy(site)
    assert first.exit_code == 0, first.output
    assert "pushed it to origin" in first.output
    assert "https://news.ridge.example/" in first.output
    files = published(remote)
    assert ".nojekyll" in files and files["CNAME"] == b"news.ridge.example\n"
    assert ".sitegen-output" not in files
    assert "news/a/index.html" in files and "index.html" in files
    assert files["news/a/index.html"] == (site / "_site/news/a/index.html").read_bytes()
    head = git(remote, "rev-parse", "gh-pages")
    assert git(remote, "log", "-1", "--format=%an <%ae>", "gh-pages") == \
        "Ada Editor <ada@example.org>"

    second = deploy(site)
    assert second.exit_code == 0, second.output
    assert "Nothing changed" in second.output
    assert git(remote, "rev-parse", "gh-pages") == head
    assert git(site, "rev-parse", "gh-pages") == head
    assert git(remote, "rev-list", "--count", "gh-pages") == "1"

    (site / "content/news/b.md").write_text(article("B story", date="2025-01-02"))
    third = deploy(site, "-m", "Publish B")
    assert third.exit_code == 0, third.output
    assert git(remote, "rev-parse", "gh-pages^") == head
    assert git(remote, "log", "-1", "--format=%s", "gh-pages") == "Publish B"
    assert "news/b/index.html" in published(remote)


def state(site: Path) -> dict[str, object]:
    """Everything of the user's that a deploy must not change. (--no-optional-locks keeps
    `git status` itself from refreshing the index.)"""
    def look(*args: str) -> str:
        return git(site, "--no-optional-locks", *args)

    return {
        "index": hashlib.sha256((site / ".git/index").read_bytes()).hexdigest(),
        "head": look("rev-parse", "HEAD"),
        "branch": look("symbolic-ref", "HEAD"),
        "status": look("status", "--porcelain=v1", "--untracked-files=all"),
        "staged": look("diff", "--cached"),
        "unstaged": look("diff"),
        "stash": look("stash", "list"),
        "files": {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
                  if p.is_file() and ".git" not in p.parts and "_site" not in p.parts
                  and ".sitegen" not in p.parts},  # the build cache, which git ignores
    }


def test_deploy_leaves_the_users_work_alone(repo: tuple[Path, Path]) -> None:
    site, remote = repo
    (site / "content/news/a.md").write_text(article("A story, edited", date="2025-01-01"))
    git(site, "add", "content/news/a.md")
    (site / "sitegen.toml").write_text('title = "Record, unsaved"\n')
    (site / "content/news/untracked.md").write_text(article("Untracked", date="2025-01-03"))
    before = state(site)
    for _ in range(2):
        result = deploy(site)
        assert result.exit_code == 0, result.output
        assert state(site) == before
    assert git(site, "branch", "--list", "--format=%(refname:short)") == "gh-pages\nmain"


def test_deploy_without_a_git_identity_uses_sitegens(repo: tuple[Path, Path],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    site, remote = repo
    for name in IDENTITY:
        monkeypatch.delenv(name)
    # Never guess an identity from the machine's user and host names.
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "user.useConfigOnly")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "true")
    result = deploy(site)
    assert result.exit_code == 0, result.output
    assert git(remote, "log", "-1", "--format=%an|%cn", "gh-pages") == "sitegen|sitegen"


def test_deploy_builds_on_what_another_clone_published(repo: tuple[Path, Path],
                                                       tmp_path: Path) -> None:
    site, remote = repo
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(remote), str(other))  # empty remote: clones nothing
    git(site, "push", "-q", "origin", "main")
    git(other, "pull", "-q", "origin", "main")
    assert deploy(other).exit_code == 0
    theirs = git(remote, "rev-parse", "gh-pages")
    (site / "content/news/b.md").write_text(article("B story", date="2025-01-02"))
    result = deploy(site)
    assert result.exit_code == 0, result.output
    assert git(remote, "rev-parse", "gh-pages^") == theirs


def test_no_build_publishes_the_folder_as_it_is(repo: tuple[Path, Path]) -> None:
    site, remote = repo
    missing = deploy(site, "--no-build")
    assert missing.exit_code == 2
    assert "run `sitegen build` first" in missing.output
    assert runner.invoke(app, ["build", "-s", str(site)]).exit_code == 0
    (site / "content/news/b.md").write_text(article("B story", date="2025-01-02"))
    assert deploy(site, "--no-build").exit_code == 0
    assert "news/b/index.html" not in published(remote)


def test_no_push_commits_only_locally(repo: tuple[Path, Path]) -> None:
    site, remote = repo
    result = deploy(site, "--no-push")
    assert result.exit_code == 0, result.output
    assert "(not pushed)" in result.output
    assert git(site, "ls-tree", "--name-only", "gh-pages", ".nojekyll") == ".nojekyll"
    assert git(remote, "branch", "--list") == ""


def test_usage_errors(repo: tuple[Path, Path], make_site, tmp_path: Path) -> None:
    site, _remote = repo
    result = deploy(site, "--remote", "upstream")
    assert result.exit_code == 2 and 'no git remote "upstream"' in result.output
    assert deploy(site, "--branch", "bad..name").exit_code == 2
    git(site, "checkout", "-q", "-b", "gh-pages")
    result = deploy(site)
    assert result.exit_code == 2 and "checked out here" in result.output
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "content").mkdir()
    result = deploy(plain)
    assert result.exit_code == 2 and "not in a git repository" in result.output


def test_an_unreachable_remote_is_an_error(repo: tuple[Path, Path], tmp_path: Path) -> None:
    site, _remote = repo
    git(site, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    result = deploy(site)
    assert result.exit_code == 1
    assert 'cannot reach the remote "origin"' in result.output


def test_warns_when_the_site_is_built_for_another_path(repo: tuple[Path, Path]) -> None:
    site, _remote = repo
    (site / "sitegen.toml").write_text('title = "Record"\nbase_url = "/"\n')
    result = deploy(site, "--base-url", "https://ridge.github.io/wrong/", "--no-push")
    assert result.exit_code == 0
    assert "warning" not in result.output
    git(site, "remote", "set-url", "origin", "https://github.com/ridge/record.git")
    result = deploy(site, "--no-push")
    assert result.exit_code == 0, result.output
    assert "served under /record/" in result.output
    assert 'base_url = "https://ridge.github.io/record/"' in result.output


@pytest.mark.parametrize(("remote", "url"), [
    ("https://github.com/ridge/record.git", "https://ridge.github.io/record/"),
    ("git@github.com:Ridge/record", "https://ridge.github.io/record/"),
    ("ssh://git@github.com/ridge/record.git", "https://ridge.github.io/record/"),
    ("https://github.com/ridge/ridge.github.io.git", "https://ridge.github.io/"),
    ("https://gitlab.com/ridge/record.git", ""),
    ("/srv/git/record.git", ""),
])
def test_pages_url(remote: str, url: str) -> None:
    assert pages_url(remote) == url


def test_site_url_prefers_the_custom_domain(tmp_path: Path) -> None:
    remote = "https://github.com/ridge/record.git"
    assert site_url(SiteConfig(tmp_path, cname="news.example.org"), remote) == \
        "https://news.example.org/"
    assert site_url(SiteConfig(tmp_path, base_url="https://x.org/p/"), remote) == "https://x.org/p/"
    assert site_url(SiteConfig(tmp_path), remote) == "https://ridge.github.io/record/"


def test_output_folder_relative_to_the_current_folder(repo: tuple[Path, Path], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    site, remote = repo
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["deploy", "-s", "site", "-o", "public"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "public/index.html").is_file()
    assert "news/a/index.html" in published(remote)
