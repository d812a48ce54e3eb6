from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config import DEFAULT_SECTIONS, load_config
from sitegen.errors import BuildFailed


def config_errors(root: Path) -> list[str]:
    with pytest.raises(BuildFailed) as caught:
        load_config(root)
    return [str(e) for e in caught.value.errors]


def test_no_config_file_gives_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.sections == DEFAULT_SECTIONS
    assert config.base_path == "/"
    assert config.per_page == 10


def test_full_config(make_site) -> None:
    root = make_site({"sitegen.toml": """
        title = "The Gazette"
        base_url = "https://example.github.io/gazette"
        timezone = "Asia/Seoul"
        grades = [6, 8]

        [[sections]]
        key = "news"
        name = "News"
        """})
    config = load_config(root)
    assert config.title == "The Gazette"
    assert config.base_url == "https://example.github.io/gazette/"
    assert config.base_path == "/gazette/"
    assert config.absolute_base == "https://example.github.io/gazette/"
    assert [s.key for s in config.sections] == ["news"]
    assert config.grades == (6, 8)
    assert config.zone.key == "Asia/Seoul"


def test_unknown_key_is_an_error_with_line_and_suggestion(make_site) -> None:
    root = make_site({"sitegen.toml": 'title = "x"\n\ntimezon = "UTC"\n'})
    assert config_errors(root) == [
        'sitegen.toml:3: unknown key "timezon" (did you mean "timezone"?)']


def test_wrong_types_and_values_are_all_reported(make_site) -> None:
    root = make_site({"sitegen.toml": """
        per_page = "ten"
        timezone = "Mars/Olympus"
        base_url = "ftp://example.org/"
        permalink = "/{sektion}/{slug}/"
        """})
    assert config_errors(root) == [
        'sitegen.toml:1: "per_page" must be a whole number, not string',
        'sitegen.toml:2: unknown timezone "Mars/Olympus" (use e.g. "Asia/Seoul")',
        'sitegen.toml:3: "base_url": must start with https://, http:// or /',
        'sitegen.toml:4: "permalink": unknown field "{sektion}" (use {section}, {slug}, '
        '{year}, {month}, {day})',
    ]


def test_bad_sections(make_site) -> None:
    root = make_site({"sitegen.toml": """
        [[sections]]
        key = "news"
        name = "News"
        colour = "red"

        [[sections]]
        key = "news"
        name = "Again"
        """})
    errors = config_errors(root)
    assert any('unknown key "colour" in [[sections]]' in e for e in errors)
    assert any('section "news" is listed twice' in e for e in errors)


def test_invalid_toml_names_the_line(make_site) -> None:
    root = make_site({"sitegen.toml": 'title = "x"\nbase_url = \n'})
    [error] = config_errors(root)
    assert error.startswith("sitegen.toml:2: invalid TOML")
