"""Fixture sites: a golden site compared file by file, and invalid sites with their errors.

After an intended change to the output, regenerate the golden site's expected output with

    pytest --regen-golden tests/test_sites.py      (or: make regen-golden)

which rewrites tests/sites/golden/expected and reports the test as skipped, "regenerated":
it compares nothing, so it never passes. Review the change with ``git diff``. A normal run
never writes into the repository.
"""

from __future__ import annotations

import difflib
import io
import shutil
from pathlib import Path

import pytest
from conftest import NOW
from PIL import Image
from typer.testing import CliRunner

from sitegen.build import BuildOptions, build
from sitegen.cli import app
from sitegen.errors import BuildFailed

SITES = Path(__file__).parent / "sites"
INVALID = sorted(p.name for p in (SITES / "invalid").iterdir())


PHOTO_COPIES = (".jpg", ".webp", ".png")
# The search index is Pagefind's bytes, which change with its releases: test_search.py checks
# it, and the golden site holds everything else.
INDEX = "pagefind"


def picture(data: bytes) -> tuple[object, ...]:
    """What a published copy of a photo is: format, size, mode, metadata (none)."""
    with Image.open(io.BytesIO(data)) as image:
        return (image.format, image.size, image.mode, bool(image.getexif()),
                sorted(set(image.info) - {"jfif", "jfif_version", "jfif_unit", "jfif_density",
                                          "dpi", "progressive", "progression", "loop",
                                          "background"}))


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] != INDEX}


def build_golden(tmp_path: Path) -> Path:
    """Build a copy of the golden site's input; return its output folder."""
    site = tmp_path / "golden"
    shutil.copytree(SITES / "golden", site, ignore=shutil.ignore_patterns("expected"))
    return build(site, BuildOptions(now=NOW)).output


def regenerate(out: Path, expected: Path) -> None:
    """Replace ``expected`` with ``out`` whole, so files no longer built disappear too."""
    fresh = expected.with_name(expected.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(out, fresh, ignore=lambda folder, names: [INDEX] if Path(folder) == out
                    else [])
    shutil.rmtree(expected, ignore_errors=True)
    fresh.rename(expected)


def test_golden_site(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    expected_dir = SITES / "golden" / "expected"
    out = build_golden(tmp_path)
    if request.config.getoption("--regen-golden"):
        regenerate(out, expected_dir)
        pytest.skip(f"regenerated {expected_dir.relative_to(SITES.parent.parent)}; nothing "
                    "was compared: review it with git diff")
    expected, actual = tree(expected_dir), tree(out)
    assert sorted(actual) == sorted(expected), "the set of built files changed"
    for path in sorted(expected):
        if path.endswith(PHOTO_COPIES):
            # Encoders change their bytes between Pillow releases; what the copy is must not.
            assert picture(actual[path]) == picture(expected[path]), path
        elif actual[path] != expected[path]:
            diff = difflib.unified_diff(
                expected[path].decode(errors="replace").splitlines(),
                actual[path].decode(errors="replace").splitlines(),
                f"expected/{path}", f"built/{path}", lineterm="")
            pytest.fail("\n".join(list(diff)[:80]))


def test_regenerating_replaces_the_expected_output_whole(tmp_path: Path) -> None:
    expected = tmp_path / "expected"
    (expected / "gone").mkdir(parents=True)
    (expected / "gone/old.html").write_text("no longer built")
    (expected / "index.html").write_text("old")
    out = build_golden(tmp_path)
    regenerate(out, expected)
    assert tree(expected) == tree(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["expected", "golden"]


@pytest.mark.parametrize("name", INVALID)
def test_invalid_site(name: str, tmp_path: Path) -> None:
    source = SITES / "invalid" / name
    expected = (source / "expected_errors.txt").read_text(encoding="utf-8").splitlines()
    site = tmp_path / name
    shutil.copytree(source, site, ignore=shutil.ignore_patterns("expected_errors.txt"))
    with pytest.raises(BuildFailed) as caught:
        build(site, BuildOptions(now=NOW))
    assert [str(e) for e in caught.value.errors] == expected
    assert not (site / "_site").exists()

    result = CliRunner().invoke(app, ["build", "-s", str(site)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    for line in expected:
        assert f"error: {line}" in result.output
