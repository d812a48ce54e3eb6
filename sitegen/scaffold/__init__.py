"""``sitegen init`` and ``sitegen new``: a new publication, a new article.

The files a new publication starts with live beside this module (``pages.yml``, the GitHub
Pages workflow; ``welcome.md``, the sample article; ``gitignore``) and ship in the wheel.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen.config import CONFIG_NAME, DEFAULT_SECTIONS, Section, load_config, parse_config
from sitegen.errors import BuildFailed, UsageError, did_you_mean
from sitegen.text import slugify

HERE = Path(__file__).parent
WORKFLOW_PATH = ".github/workflows/pages.yml"
REQUIREMENTS = "requirements.txt"
DEFAULT_TITLE = "The School Paper"
DEFAULT_BASE_URL = "/"
# Where sitegen is installed from when the running copy does not say (see sitegen_requirement).
SITEGEN_SOURCE = "sitegen @ git+https://github.com/<owner>/sitegen"
_BRANCH_RE = re.compile(r"^[A-Za-z0-9._/-]+$")


def render_workflow(install: str = f"python -m pip install -r {REQUIREMENTS}",
                    dependency_file: str = REQUIREMENTS, branch: str = "main") -> str:
    """The GitHub Pages workflow: one template for new papers and for this repository."""
    if not _BRANCH_RE.match(branch):
        raise UsageError(f'branch "{branch}" cannot be used in the workflow')
    text = (HERE / "pages.yml").read_text(encoding="utf-8")
    return (text.replace("@INSTALL@", install).replace("@DEPENDENCY_FILE@", dependency_file)
            .replace("@BRANCH@", branch))


# --- sitegen init ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NewPublication:
    title: str = DEFAULT_TITLE
    base_url: str = DEFAULT_BASE_URL
    timezone: str = "UTC"
    sections: tuple[Section, ...] = DEFAULT_SECTIONS


def parse_section(text: str) -> Section:
    """``key=Name`` (or just ``Name`` when its slug makes a key) -> Section."""
    key, sep, name = text.partition("=")
    if not sep:
        key, name = slugify(text), text
    key, name = key.strip(), name.strip()
    if not name:
        raise UsageError(f'--section "{text}": give it as key=Name, e.g. --section news=News')
    return Section(key, name)


def init_site(root: Path, publication: NewPublication, *, now: dt.datetime,
              requirement: str | None = None) -> list[Path]:
    """Create a new publication in ``root``; return the files written. Refuses (UsageError)
    to touch a folder that already holds a publication or a Pages workflow."""
    check_new_folder(root)
    config_text = config_toml(publication)
    try:
        config = parse_config(tomllib.loads(config_text), root, config_text)
    except BuildFailed as exc:
        raise UsageError("; ".join(error.message for error in exc.errors)) from None

    first = config.sections[0].key
    stamp = now.astimezone(config.zone).strftime("%Y-%m-%d %H:%M")
    sample = (HERE / "welcome.md").read_text(encoding="utf-8")
    sample = (sample.replace("@TITLE@", _yaml_string(f"Welcome to {config.title}"))
              .replace("@DATE@", stamp).replace("@SECTION@", first)
              .replace("@PAPER@", config.title))
    files = {
        CONFIG_NAME: config_text,
        f"content/{first}/welcome.md": sample,
        WORKFLOW_PATH: render_workflow(branch=_current_branch(root) or "main"),
    }
    written = [_write_new(root / name, text) for name, text in files.items()]
    written.append(_merge_lines(root / ".gitignore",
                                (HERE / "gitignore").read_text(encoding="utf-8")))
    install = (f"# What GitHub installs to build the site ({WORKFLOW_PATH}).\n"
               f"{requirement or sitegen_requirement()}\n")
    written.append(_merge_lines(root / REQUIREMENTS, install, only_if_missing="sitegen"))
    return written


def check_new_folder(root: Path) -> None:
    """Refuse a folder that already holds a publication, or is not a folder."""
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} exists and is not a folder")
    existing = [name for name in (CONFIG_NAME, "content", WORKFLOW_PATH) if (root / name).exists()]
    if existing:
        raise UsageError(f"{root} already holds a publication ({', '.join(existing)}); "
                         "sitegen init never overwrites one")


def local_timezone() -> str:
    """This computer's timezone name (e.g. "Asia/Seoul"), or "UTC" when it cannot be told."""
    candidates = [os.environ.get("TZ", "").removeprefix(":")]
    try:
        candidates.append(str(Path("/etc/localtime").resolve()).partition("zoneinfo/")[2])
    except OSError:
        pass
    for name in candidates:
        if name and "/" in name:
            try:
                ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
            return name
    return "UTC"


def config_toml(publication: NewPublication) -> str:
    lines = [
        "# The publication's settings; every key is described in sitegen's README.",
        f"title = {_toml_string(publication.title)}",
        "# Where the site lives, e.g. https://<user>.github.io/<repo>/ (the GitHub Pages",
        "# workflow fills in the real address when it builds).",
        f"base_url = {_toml_string(publication.base_url)}",
        f"timezone = {_toml_string(publication.timezone)}",
        'language = "en"',
        "",
        "# Sections in navigation order; an article's `section:` is one of these keys.",
    ]
    for section in publication.sections:
        lines += ["[[sections]]", f"key = {_toml_string(section.key)}",
                  f"name = {_toml_string(section.name)}", ""]
    return "\n".join(lines)


def sitegen_requirement() -> str:
    """The requirements.txt line that installs this sitegen on GitHub's runners: the same
    git commit it was installed from, the same release from an index, or, for a local copy,
    a line the user must complete."""
    try:
        dist = metadata.distribution("sitegen")
    except metadata.PackageNotFoundError:
        return SITEGEN_SOURCE
    direct = dist.read_text("direct_url.json")
    if not direct:
        return f"sitegen=={dist.version}"
    info = json.loads(direct)
    vcs = info.get("vcs_info") or {}
    if vcs.get("vcs") == "git" and not info.get("url", "").startswith("file:"):
        commit = vcs.get("commit_id") or vcs.get("requested_revision")
        return f"sitegen @ git+{info['url']}" + (f"@{commit}" if commit else "")
    return SITEGEN_SOURCE


def _current_branch(root: Path) -> str | None:
    """The branch checked out in ``root``, when it is (inside) a git repository."""
    folder = root if root.is_dir() else root.parent
    while not folder.is_dir():
        folder = folder.parent
    try:
        done = subprocess.run(["git", "symbolic-ref", "--short", "-q", "HEAD"], cwd=folder,
                              capture_output=True, text=True, check=False)
    except OSError:
        return None
    branch = done.stdout.strip()
    return branch if done.returncode == 0 and _BRANCH_RE.match(branch) else None


def _write_new(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path


def _merge_lines(path: Path, text: str, only_if_missing: str = "") -> Path:
    """Write ``text``, or add its lines missing from an existing file (a repository created
    on GitHub may already carry a .gitignore or a requirements.txt)."""
    if not path.exists():
        return _write_new(path, text)
    old = path.read_text(encoding="utf-8")
    if only_if_missing and re.search(rf"^\s*{re.escape(only_if_missing)}\b", old, re.MULTILINE):
        return path
    have = set(old.splitlines())
    missing = [line for line in text.splitlines() if line and line not in have]
    if missing:
        joined = ("" if old.endswith("\n") or not old else "\n") + "\n".join(missing) + "\n"
        with path.open("a", encoding="utf-8", newline="\n") as handle:
            handle.write(joined)
    return path


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _yaml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # and a valid YAML double-quoted scalar


# --- sitegen new ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewArticle:
    title: str
    section: str
    author: str
    grade: int | None = None
    slug: str = ""
    draft: bool = False


def new_article(config_root: Path, article: NewArticle, *, now: dt.datetime) -> Path:
    """Write ``content/<section>/<slug>.md`` with its front matter filled in; return its path.
    Raises UsageError for an unknown section, a bad grade, or a file that exists."""
    config = load_config(config_root)
    if config.section(article.section) is None:
        keys = [section.key for section in config.sections]
        raise UsageError(f'unknown section "{article.section}"'
                         f'{did_you_mean(article.section, keys)}; sections are: {", ".join(keys)}')
    title = " ".join(article.title.split())
    author = " ".join(article.author.split())
    if not title:
        raise UsageError("the title is empty")
    if not author:
        raise UsageError("the author is empty")
    low, high = config.grades
    if article.grade is not None and not low <= article.grade <= high:
        raise UsageError(f"--grade must be from {low} to {high}, not {article.grade}")
    slug = slugify(article.slug or title)
    if not slug:
        raise UsageError(f'cannot make a file name from "{title}"; give one with --slug')
    if article.slug and slug != article.slug:
        raise UsageError('--slug may hold only lowercase letters, digits and hyphens; '
                         f'try "{slug}"')

    lines = [
        "---",
        f"title: {_yaml_string(title)}",
        f"date: {now.astimezone(config.zone).strftime('%Y-%m-%d %H:%M')}",
        f"section: {article.section}",
        f"author: {_yaml_string(author)}",
    ]
    if article.grade is not None:
        lines.append(f"grade: {article.grade}")
    lines += ["tags: []", 'summary: ""']
    if article.draft:
        lines.append("draft: true")
    lines += ["---", "", "Write the story here. The first paragraph is what the front page "
              "shows when the summary is empty.", ""]
    text = "\n".join(lines)
    path = config.content_dir / article.section / f"{slug}.md"
    if path.exists():
        raise UsageError(f"{path} already exists; choose another title or --slug")
    return _write_new(path, text)
