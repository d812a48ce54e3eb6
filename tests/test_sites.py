"""Fixture sites: a golden site compared file by file, and invalid sites with their errors.

Regenerate the golden output after an intended change with ``pytest --regen-golden``.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from conftest import NOW
from typer.testing import CliRunner

from sitegen.build import BuildOptions, build
from sitegen.cli import app
from sitegen.errors import BuildFailed

SITES = Path(__file__).parent / "sites"
INVALID = sorted(p.name for p in (SITES / "invalid").iterdir())


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_golden_site(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    source = SITES / "golden"
    site = tmp_path / "golden"
    shutil.copytree(source, site, ignore=shutil.ignore_patterns("expected"))
    out = build(site, BuildOptions(now=NOW)).output
    if request.config.getoption("--regen-golden"):
        shutil.rmtree(source / "expected", ignore_errors=True)
        shutil.copytree(out, source / "expected")
    expected, actual = tree(source / "expected"), tree(out)
    assert sorted(actual) == sorted(expected), "the set of built files changed"
    for path in sorted(expected):
        if actual[path] != expected[path]:
            diff = difflib.unified_diff(
                expected[path].decode(errors="replace").splitlines(),
                actual[path].decode(errors="replace").splitlines(),
                f"expected/{path}", f"built/{path}", lineterm="")
            pytest.fail("\n".join(list(diff)[:80]))


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
