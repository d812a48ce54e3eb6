"""The theme in two languages: every word from a table, dates and grades the local way."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import article, memory_build

from sitegen.config import SiteConfig
from sitegen.errors import BuildFailed
from sitegen.i18n import load_strings
from sitegen.theme import builtin_themes_dir

THEME = builtin_themes_dir() / "default"


def strings(language: str, **overrides: str):  # noqa: ANN201 - a Strings
    config = SiteConfig(root=Path("."), language=language,
                        strings=tuple(sorted(overrides.items())))
    return load_strings(config, [THEME])


def test_dates_grades_and_plurals_the_local_way() -> None:
    en, ko = strings("en"), strings("ko")
    day = dt.date(2025, 1, 6)
    assert (en.date(day), ko.date(day)) == ("January 6, 2025", "2025년 1월 6일")
    assert (en.date(day, "short"), ko.date(day, "short")) == ("Jan 6", "1월 6일")
    assert (en.grade(10), en.grade(11), en.grade(12), ko.grade(10)) == (
        "10th grade", "11th grade", "12th grade", "10학년")
    assert (en.text("stories", n=1), en.text("stories", n=3)) == ("1 story", "3 stories")
    assert ko.text("stories", n=3) == "기사 3건"
    assert en.text("page_of", number=2, count=5) == "Page 2 of 5"
    assert ko.text("page_of", number=2, count=5) == "5쪽 중 2쪽"


def test_both_tables_have_the_same_words() -> None:
    import tomllib

    tables = {path.stem: tomllib.loads(path.read_text(encoding="utf-8"))
              for path in (THEME / "strings").glob("*.toml")}
    assert set(tables) >= {"en", "ko"}
    assert set(tables["ko"]) == set(tables["en"])


def test_every_string_a_template_asks_for_exists() -> None:
    asked = set()
    for template in (THEME / "templates").glob("*.html"):
        asked |= set(re.findall(r"""\bt\(\s*["']([a-z_0-9]+)["']""", template.read_text()))
    assert asked and asked <= set(strings("en").table), asked - set(strings("en").table)


KOREAN_SITE = {
    "sitegen.toml": 'title = "예시 신문"\nlanguage = "ko"\ntimezone = "Asia/Seoul"\n'
                    'base_url = "https://example.github.io/gazette/"\n',
    "content/news/a.md": article("학생회 예산 통과", date="2025-01-06", extra="""
        grade: 10
        updated: 2025-01-07
        tags: [학생회]
        corrections: [{date: 2025-01-08, text: "표결 결과를 바로잡았습니다."}]
        """, body="학생회가 화요일에 예산을 통과시켰다.\n\n[영상](https://youtu.be/abc123DEF45)"),
    "content/news/b.md": article("두 번째 기사", date="2025-01-05"),
}


def test_a_korean_site_prints_no_english_words(make_site) -> None:
    built = memory_build(make_site(KOREAN_SITE))
    page = built.pages["news/a/index.html"].decode()
    assert '<html lang="ko">' in page
    assert "2025년 1월 6일" in page and "(10)" in page and "수정" in page
    assert "본문으로 건너뛰기" in page and "1분 분량" in page and "정정, " in page
    assert "누르기 전에는" in page  # the embed's note
    visible = re.sub(r"<[^>]+>", " ", page[page.index("<body"):])
    for english in ("Skip to main content", "Updated", "min read", "Back to top", "Tags",
                    "Correction", "Front page", "Older", "Newer", "Nothing loads", "By "):
        assert english not in visible, english
    front = built.pages["index.html"].decode()
    assert "주요 기사" in front and "1월 5일" in front
    assert "January" not in b"".join(built.pages.values()).decode()


def test_a_site_changes_any_word_and_a_typo_is_an_error(make_site) -> None:
    root = make_site({**KOREAN_SITE, "sitegen.toml": KOREAN_SITE["sitegen.toml"]
                      + '[strings]\nlatest = "방금:"\n'})
    assert "방금:" in memory_build(root).pages["index.html"].decode()
    (root / "sitegen.toml").write_text(KOREAN_SITE["sitegen.toml"] + '[strings]\nlatset = "x"\n')
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    assert [str(e) for e in caught.value.errors] == [
        'sitegen.toml: [strings]: there is no string "latset" (did you mean "latest"?)']


def test_an_unknown_language_is_an_error_and_another_falls_back_to_english_words(
        make_site) -> None:
    root = make_site({"sitegen.toml": 'language = "xx-yy"\n',
                      "content/news/a.md": article("A", date="2025-01-06")})
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    assert str(caught.value.errors[0]) == (
        'sitegen.toml:1: unknown language "xx-yy" (use a code such as "en" or "ko")')
    (root / "sitegen.toml").write_text('language = "fr"\n')
    page = memory_build(root).pages["news/a/index.html"].decode()
    assert "6 janvier 2025" in page and "Skip to main content" in page
