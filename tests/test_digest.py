"""`sitegen digest`, and the workflow's hourly run that publishes only when the built site
differs from the live one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import photos
import pytest
import yaml
from conftest import NOW, article
from typer.testing import CliRunner

from sitegen import scaffold
from sitegen.build import BuildOptions, build
from sitegen.cli import app
from sitegen.digest import DIGEST_FILE, site_digest
from sitegen.errors import UsageError
from sitegen.output import MARKER

MakeSite = Callable[[dict[str, str | bytes]], Path]
runner = CliRunner()

SITE = {
    "sitegen.toml": 'title = "The Test Times"\n',
    "content/news/vote.md": article(
        "Council passes the budget", extra="tags: [Student Council]\nimage: field.jpg\n"
                                           "image_alt: The school field"),
    "content/news/field.jpg": photos.jpeg(600, 400),
    "content/sports/final.md": article("Hawks win the final", section="sports",
                                       date="2024-11-02"),
}


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    return make_site(SITE)


def built(root: Path, out: Path) -> Path:
    build(root, BuildOptions(now=NOW, output=out))
    return out


# --- the digest -----------------------------------------------------------------------------


def test_builds_of_the_same_site_have_the_same_digest(site: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Photos, the Pagefind index and every page: byte for byte the same, from a cold cache
    (a run without a saved cache) as from a warm one."""
    first = built(site, tmp_path / "one")
    assert (first / "pagefind").is_dir() and list(first.rglob("*.webp"))
    again = built(site, tmp_path / "two")
    monkeypatch.setenv("SITEGEN_CACHE_DIR", str(tmp_path / "empty-cache"))
    cold = built(site, tmp_path / "three")
    assert site_digest(first) == site_digest(again) == site_digest(cold)
    assert len(site_digest(first)) == 64 and int(site_digest(first), 16) >= 0


def test_the_digest_changes_when_one_article_does(site: Path, tmp_path: Path) -> None:
    before = site_digest(built(site, tmp_path / "out"))
    story = site / "content/sports/final.md"
    story.write_text(story.read_text().replace("Body text.", "Body text, corrected."))
    assert site_digest(built(site, tmp_path / "out")) != before


def test_the_digest_is_of_names_and_bytes_only(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    (folder / "news").mkdir(parents=True)
    (folder / "index.html").write_bytes(b"<h1>Front page</h1>")
    (folder / "news/a.html").write_bytes(b"A")
    digest = site_digest(folder)

    os.utime(folder / "index.html", (0, 0))
    (folder / "empty").mkdir()
    assert site_digest(folder) == digest, "file times and empty folders do not count"

    (folder / "news/a.html").rename(folder / "news/b.html")
    assert site_digest(folder) != digest, "a renamed file counts"
    (folder / "news/b.html").rename(folder / "news/a.html")
    (folder / "news/a.html").write_bytes(b"B")
    assert site_digest(folder) != digest, "changed bytes count"


def test_the_marker_and_the_digest_file_are_left_out(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "index.html").write_bytes(b"<h1>Front page</h1>")
    digest = site_digest(folder)
    (folder / MARKER).write_bytes(b"")
    (folder / DIGEST_FILE).write_text(digest + "\n")
    assert site_digest(folder) == digest
    (folder / "news").mkdir()
    (folder / "news" / DIGEST_FILE).write_text("a story's own file of that name\n")
    assert site_digest(folder) != digest, "only the top-level digest file is left out"


def test_cli_prints_the_digest_alone(site: Path, tmp_path: Path) -> None:
    out = built(site, tmp_path / "out")
    result = runner.invoke(app, ["digest", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == site_digest(out) + "\n"


def test_cli_digest_of_the_default_folder(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built(site, site / "_site")
    monkeypatch.chdir(site)
    result = runner.invoke(app, ["digest"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == site_digest(site / "_site")


def test_cli_digest_help() -> None:
    result = runner.invoke(app, ["digest", "--help"])
    assert result.exit_code == 0
    assert "fingerprint" in result.output


@pytest.mark.parametrize(("name", "message"), [
    ("nowhere", "does not exist: build the site first"),
    ("file.txt", "is not a folder"),
])
def test_cli_digest_of_no_folder_is_a_usage_error(tmp_path: Path, name: str,
                                                  message: str) -> None:
    (tmp_path / "file.txt").write_text("not a site\n")
    result = runner.invoke(app, ["digest", str(tmp_path / name)])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    with pytest.raises(UsageError, match=message):
        site_digest(tmp_path / name)


# --- the workflow ---------------------------------------------------------------------------


def workflow() -> dict:
    return yaml.safe_load(scaffold.render_workflow())


def step(job: dict, name: str) -> dict:
    return next(s for s in job["steps"] if s.get("name") == name)


def test_the_upload_and_the_deploy_wait_for_the_decision() -> None:
    jobs = workflow()["jobs"]
    build_job, deploy_job = jobs["build"], jobs["deploy"]
    names = [s.get("name") for s in build_job["steps"]]
    decide = step(build_job, "Decide whether to publish")
    assert names.index("Build the site") < names.index("Decide whether to publish") \
        < names.index("Upload the site"), "decided after the build, before the upload"
    assert decide["id"] == "changed"
    assert decide["if"] == "github.event_name != 'pull_request'"
    assert decide["env"] == {"BASE_URL": "${{ steps.pages.outputs.base_url }}",
                             "EVENT": "${{ github.event_name }}"}
    assert f"sitegen digest _site > _site/{DIGEST_FILE}" in decide["run"]
    assert f"/{DIGEST_FILE}?" in decide["run"], "the live site's copy is the one compared"

    assert step(build_job, "Upload the site")["if"] == "steps.changed.outputs.publish == 'true'"
    assert build_job["outputs"] == {"publish": "${{ steps.changed.outputs.publish }}"}
    assert deploy_job["needs"] == "build"
    conditions = [part.strip() for part in deploy_job["if"].split("&&")]
    assert conditions == ["github.event_name != 'pull_request'",
                          "github.ref == 'refs/heads/main'",
                          "needs.build.outputs.publish == 'true'"]


FAKE_CURL = """\
#!/bin/sh
echo "$@" >> "$CURL_CALLS"
if [ -z "${LIVE_DIGEST+set}" ]; then
  echo "curl: (22) The requested URL returned error: 404" >&2
  exit 22
fi
echo "$LIVE_DIGEST"
"""


@pytest.fixture
def decide(site: Path, tmp_path: Path) -> Callable[..., tuple[str, list[str]]]:
    """Run the decision step's script as GitHub does (``bash -e``), in a checkout whose
    _site is built, with a fake curl that serves ``live`` or fails when it is None.
    Returns what the step wrote to $GITHUB_OUTPUT and curl's arguments, call by call."""
    script = step(workflow()["jobs"]["build"], "Decide whether to publish")["run"]
    built(site, site / "_site")
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "curl").write_text(FAKE_CURL)
    (tools / "curl").chmod(0o755)
    sitegen = shutil.which("sitegen", path=str(Path(sys.executable).parent))
    assert sitegen, "the sitegen command is installed beside this Python"

    def run(event: str, live: str | None,
            base_url: str = "https://ridge.github.io/record") -> tuple[str, list[str]]:
        output, calls = tmp_path / "github_output", tmp_path / "curl_calls"
        output.write_text("")
        calls.write_text("")
        env = {"PATH": os.pathsep.join([str(tools), str(Path(sitegen).parent),
                                        os.environ["PATH"]]),
               "HOME": str(tmp_path), "GITHUB_OUTPUT": str(output), "GITHUB_RUN_ID": "4242",
               "EVENT": event, "BASE_URL": base_url, "CURL_CALLS": str(calls)}
        if live is not None:
            env["LIVE_DIGEST"] = live
        done = subprocess.run(["bash", "-e", "-c", script], cwd=site, env=env,
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        return output.read_text(), calls.read_text().splitlines()

    return run


def test_the_hourly_run_skips_a_site_that_is_already_live(decide: Callable, site: Path) -> None:
    digest = site_digest(site / "_site")
    written, calls = decide("schedule", live=digest)
    assert written == "publish=false\n"
    assert (site / "_site" / DIGEST_FILE).read_text() == digest + "\n"
    assert calls == [f"-fsS --max-time 30 --retry 2 "
                     f"https://ridge.github.io/record/{DIGEST_FILE}?run=4242"]
    written, calls = decide("schedule", live=digest, base_url="https://ridge.github.io/record/")
    assert written == "publish=false\n"
    assert calls[0].endswith(f" https://ridge.github.io/record/{DIGEST_FILE}?run=4242")


def test_the_hourly_run_publishes_a_changed_site(decide: Callable) -> None:
    assert decide("schedule", live="0" * 64)[0] == "publish=true\n"
    assert decide("schedule", live="")[0] == "publish=true\n"


def test_the_hourly_run_publishes_when_the_live_site_cannot_be_read(decide: Callable) -> None:
    written, calls = decide("schedule", live=None)
    assert written == "publish=true\n"
    assert len(calls) == 1


@pytest.mark.parametrize("event", ["push", "workflow_dispatch"])
def test_pushes_and_runs_by_hand_always_publish(decide: Callable, site: Path,
                                                event: str) -> None:
    written, calls = decide(event, live=site_digest(site / "_site"))
    assert written == "publish=true\n"
    assert calls == [], "nothing is fetched"
    assert (site / "_site" / DIGEST_FILE).is_file(), "the fingerprint goes live with the site"
