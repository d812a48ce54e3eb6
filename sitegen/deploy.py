"""Publish a built site to a ``gh-pages`` branch, for GitHub Pages' "deploy from a branch".

Only git plumbing is used: the site's files are hashed into the object store, a tree is
written through a temporary index (``GIT_INDEX_FILE``), and a commit is made on top of the
branch's last commit only when the tree differs from it. Nothing is checked out, so the
user's branch, HEAD, index and uncommitted work are never touched.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sitegen.config import SiteConfig
from sitegen.errors import SitegenError, UsageError
from sitegen.output import MARKER

DEFAULT_BRANCH = "gh-pages"
DEFAULT_REMOTE = "origin"
# Used for the gh-pages commit when git has no identity configured.
FALLBACK_NAME = "sitegen"
FALLBACK_EMAIL = "sitegen@users.noreply.github.com"

_GITHUB_REMOTE = re.compile(
    r"^(?:https?://(?:[^@/]+@)?github\.com/|git@github\.com:|ssh://git@github\.com/)"
    r"(?P<owner>[A-Za-z0-9-]+)/(?P<repo>[A-Za-z0-9._-]+?)(?:\.git)?/?$")


class DeployError(SitegenError):
    """git refused something (a push, a missing remote); the message says what."""


@dataclass(frozen=True)
class DeployResult:
    commit: str  # the branch's commit after the deploy
    committed: bool  # False when the site was unchanged
    pushed: bool
    url: str  # where the site will appear, or "" when it cannot be told


def deploy(root: Path, site_dir: Path, config: SiteConfig, *, remote: str = DEFAULT_REMOTE,
           branch: str = DEFAULT_BRANCH, message: str = "", push: bool = True) -> DeployResult:
    """Commit ``site_dir`` as the whole content of ``branch`` and push it to ``remote``."""
    git = preflight(root, remote=remote, branch=branch, push=push)
    ref = f"refs/heads/{branch}"
    local = git.commit_of(ref)
    published = git.fetch_branch(remote, branch) if push else None
    parent = published or local
    tree = git.write_tree(_site_files(site_dir.resolve(), config))
    committed = parent is None or git.run("rev-parse", f"{parent}^{{tree}}").stdout.strip() != tree
    commit = parent or ""
    if committed:
        text = message or "Publish the site with sitegen"
        commit = git.commit_tree(tree, parent, text)
    if commit != local:
        args = ["update-ref", "-m", "sitegen deploy", ref, commit]
        git.run(*args, *([local] if local else []))
    pushed = False
    if push and commit != published:
        done = git.run("push", "--quiet", remote, f"{ref}:{ref}", check=False)
        if done.returncode != 0:
            raise DeployError(f"git push {remote} {branch} failed: {done.stderr.strip()}")
        pushed = True
    remote_url = git.run("remote", "get-url", remote, check=False).stdout.strip()
    return DeployResult(commit=commit, committed=committed, pushed=pushed,
                        url=site_url(config, remote_url))


def preflight(root: Path, *, remote: str = DEFAULT_REMOTE, branch: str = DEFAULT_BRANCH,
              push: bool = True) -> Git:
    """Refuse (UsageError) what cannot work, before anything is built or written."""
    git = Git(root)
    git.check_repository()
    ref = f"refs/heads/{branch}"
    if git.run("check-ref-format", ref, check=False).returncode != 0:
        raise UsageError(f'"{branch}" is not a valid branch name')
    if git.run("symbolic-ref", "-q", "HEAD", check=False).stdout.strip() == ref:
        raise UsageError(f"{branch} is the branch checked out here; deploy from your working "
                         "branch (sitegen never checks out the published site)")
    if push and git.run("remote", "get-url", remote, check=False).returncode != 0:
        raise UsageError(f'there is no git remote "{remote}" (add one with `git remote add '
                         f'{remote} URL`, or choose one with --remote)')
    return git


def _site_files(site_dir: Path, config: SiteConfig) -> dict[str, Path | bytes]:
    """Output path -> file (or bytes) of everything to publish: the built site less the
    build's marker, plus ``.nojekyll`` (serve files as they are) and ``CNAME``."""
    if not site_dir.is_dir() or not any(site_dir.iterdir()):
        raise UsageError(f"{site_dir} holds no built site; run `sitegen build` first")
    files: dict[str, Path | bytes] = {}
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if path.is_file() and rel != MARKER:
            if "\n" in rel or "\0" in rel:
                raise UsageError(f"cannot publish a file whose name holds a line break: {rel!r}")
            files[rel] = path
    files[".nojekyll"] = b""
    if config.cname:
        files["CNAME"] = config.cname.strip().encode("utf-8") + b"\n"
    return files


def site_url(config: SiteConfig, remote_url: str) -> str:
    """Where GitHub Pages will serve the site: the custom domain, else the configured
    absolute base URL, else what the GitHub remote implies."""
    if config.cname:
        return f"https://{config.cname.strip().strip('/')}/"
    if config.absolute_base:
        return config.absolute_base
    return pages_url(remote_url)


def pages_url(remote_url: str) -> str:
    """``https://owner.github.io/repo/`` for a GitHub remote (``https://owner.github.io/``
    for the repository named ``owner.github.io``); empty for any other remote."""
    match = _GITHUB_REMOTE.match(remote_url.strip())
    if not match:
        return ""
    owner, repo = match["owner"], match["repo"]
    host = f"{owner.lower()}.github.io"
    return f"https://{host}/" if repo.lower() == host else f"https://{host}/{repo}/"


class Git:
    """Runs git in the site's repository, with the user's environment less what we set."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def run(self, *args: str, env: Mapping[str, str] | None = None, stdin: bytes | None = None,
            check: bool = True) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, **(env or {})}
        try:
            done = subprocess.run(["git", *args], cwd=self.root, env=full_env, input=stdin,
                                  capture_output=True, check=False)
        except FileNotFoundError:
            raise UsageError("git is not installed (sitegen deploy needs it)") from None
        result = subprocess.CompletedProcess(done.args, done.returncode,
                                             done.stdout.decode("utf-8", "replace"),
                                             done.stderr.decode("utf-8", "replace"))
        if check and done.returncode != 0:
            raise DeployError(f"git {args[0]} failed: {result.stderr.strip()}")
        return result

    def check_repository(self) -> None:
        if self.run("rev-parse", "--git-dir", check=False).returncode != 0:
            raise UsageError(f"{self.root} is not in a git repository; run `git init` and add "
                             "a remote first")

    def commit_of(self, ref: str) -> str | None:
        done = self.run("rev-parse", "--verify", "-q", f"{ref}^{{commit}}", check=False)
        return done.stdout.strip() or None

    def fetch_branch(self, remote: str, branch: str) -> str | None:
        """The commit ``branch`` has on ``remote`` (fetched), or None if it has none yet."""
        listed = self.run("ls-remote", "--heads", remote, f"refs/heads/{branch}", check=False)
        if listed.returncode != 0:
            raise DeployError(f'cannot reach the remote "{remote}": {listed.stderr.strip()}')
        if not listed.stdout.strip():
            return None
        commit = listed.stdout.split()[0]
        if self.run("cat-file", "-e", f"{commit}^{{commit}}", check=False).returncode != 0:
            self.run("fetch", "--quiet", "--no-tags", remote, f"refs/heads/{branch}")
        return commit

    def write_tree(self, files: Mapping[str, Path | bytes]) -> str:
        """Hash every file into the object store and write their tree, through a temporary
        index so the user's own index is never read or written."""
        paths = [rel for rel, source in files.items() if isinstance(source, Path)]
        listing = "".join(f"{files[rel]}\n" for rel in paths).encode("utf-8")
        hashes = self.run("hash-object", "-w", "--no-filters", "--stdin-paths",
                          stdin=listing).stdout.split()
        blobs = dict(zip(paths, hashes, strict=True))
        for rel, source in files.items():
            if isinstance(source, bytes):
                blobs[rel] = self.run("hash-object", "-w", "--no-filters", "--stdin",
                                      stdin=source).stdout.strip()
        entries = "".join(f"100644 {blobs[rel]}\t{rel}\0" for rel in sorted(blobs))
        with tempfile.TemporaryDirectory(prefix="sitegen-deploy-") as scratch:
            env = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
            self.run("update-index", "--add", "-z", "--index-info", env=env,
                     stdin=entries.encode("utf-8"))
            return self.run("write-tree", env=env).stdout.strip()

    def commit_tree(self, tree: str, parent: str | None, message: str) -> str:
        args = ["commit-tree", tree, *(["-p", parent] if parent else []), "-F", "-"]
        return self.run(*args, env=self._identity(),
                        stdin=message.encode("utf-8") + b"\n").stdout.strip()

    def _identity(self) -> dict[str, str]:
        """The user's git identity where one is set; "sitegen" where none is."""
        env: dict[str, str] = {}
        for role in ("AUTHOR", "COMMITTER"):
            if self.run("var", f"GIT_{role}_IDENT", check=False).returncode != 0:
                env[f"GIT_{role}_NAME"] = FALLBACK_NAME
                env[f"GIT_{role}_EMAIL"] = FALLBACK_EMAIL
        return env
