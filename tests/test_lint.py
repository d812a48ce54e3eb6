"""Editorial lint in `sitegen check`: warnings with file and line, `--strict`, annotations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import photos
import pytest
import yaml
from conftest import NOW, REPO, article
from typer.testing import CliRunner

from sitegen import scaffold
from sitegen.build import BuildOptions
from sitegen.check import run_check
from sitegen.cli import app
from sitegen.config import CheckSettings, SiteConfig, load_config
from sitegen.errors import BuildFailed
from sitegen.lint import is_file_name, lint_articles
from sitegen.models import Article, Byline

runner = CliRunner()

CONFIG = 'title = "Check"\n'
# 168 words of plain prose, so that a story is long enough and holds no other problem.
FILLER = " ".join(["The council met on Monday and talked about the budget for the spring term."]
                  * 12)
PHOTO = photos.png(120, 90, transparent=False)


def check(site: Path, *args: str, env: dict[str, str] | None = None) -> object:
    return runner.invoke(app, ["check", "-s", str(site), *args],
                         env={"GITHUB_ACTIONS": "", "SITEGEN_STRICT": "", **(env or {})})


def warnings(site: Path) -> list[str]:
    report = run_check(site, BuildOptions(now=NOW))
    assert report.errors == []
    return [str(warning) for warning in report.warnings]


def story(body: str = "", extra: str = "", author: str = "Min Kim") -> str:
    """An article that passes every lint, plus ``extra`` front matter and ``body``."""
    return article("A story", author=author, extra=extra, body=FILLER + "\n\n" + body)


# Each: the files of a site (beside sitegen.toml) and the one warning it must give.
CASES = {
    "lead photo without caption or credit": (
        {"content/news/a.md": story(extra='image: gym.png\nimage_alt: "A crowded gym"'),
         "content/news/gym.png": PHOTO},
        'content/news/a.md:6: the lead photo has no caption or credit: add caption: "Who and '
        'what the photo shows, and when" and credit: "Photo: Name / Check"'),
    "lead photo without credit": (
        {"content/news/a.md": story(extra='image: gym.png\nimage_alt: "A crowded gym"\n'
                                          'caption: "The gym on Friday"'),
         "content/news/gym.png": PHOTO},
        'content/news/a.md:6: the lead photo has no credit: add credit: "Photo: Name / Check"'),
    "byline of one word": (
        {"content/news/a.md": story(author="Mina")},
        'content/news/a.md:5: the byline "Mina" is a single name, and the site shows full '
        'names (names = "full" in sitegen.toml): write the author\'s first and last name, e.g. '
        '"Mina Park"'),
    "one byline of several": (
        {"content/news/a.md": article("A story", author="\n  - Jun Kim\n  - Jun", body=FILLER)},
        'content/news/a.md:7: the byline "Jun" is a single name, and the site shows full '
        'names (names = "full" in sitegen.toml): write the author\'s first and last name, e.g. '
        '"Mina Park"'),
    "short story": (
        {"content/news/a.md": article("A story", body="\n\nOnly a few words here.")},
        "content/news/a.md:8: the story has 5 words, under the 150 a story should have: "
        "finish it, or keep it back with draft: true (the limit is min_words under [check] in "
        "sitegen.toml)"),
    "quote without a grade": (
        {"content/news/a.md": story("“We played scared,” Keisha Grant said. “Not anymore.”")},
        'content/news/a.md:10: "Keisha Grant" is quoted without a grade: name a student as '
        '"Keisha Grant (11), role, said" the first time, or, for an adult, give the role, e.g. '
        '"Keisha Grant, math teacher, said"'),
    "skipped heading level": (
        {"content/news/a.md": story("## Results\n\nThey won.\n\n#### The second half\n\nIt "
                                    "went well.")},
        'content/news/a.md:14: heading "The second half" (####) skips a level after '
        '"Results" (##): make it ###, so readers who move by headings follow the outline'),
    "first heading too deep": (
        {"content/news/a.md": story("### Results\n\nThey won.")},
        'content/news/a.md:10: heading "Results" (###) skips a level: the title is the '
        "page's top heading, so the story's headings start at ##"),
    "file name as image_alt": (
        {"content/news/a.md": story(extra='image: gym.png\nimage_alt: IMG_2047.jpg\ncaption: '
                                          'The gym\ncredit: "Photo: Min Kim"'),
         "content/news/gym.png": PHOTO},
        'content/news/a.md:7: image_alt "IMG_2047.jpg" is a file name: describe what the '
        'photo shows, e.g. image_alt: "Two runners lean across the finish line"'),
    "file name as alt text in the body": (
        {"content/news/a.md": story("They won.\n\n![DSC0001](gym.png)"),
         "content/news/gym.png": PHOTO},
        'content/news/a.md:12: the alt text of image "gym.png", "DSC0001", is a file name: '
        "describe what it shows, ![Two runners lean across the finish line](gym.png), or write "
        "![decorative](gym.png) if it only decorates"),
    "long summary": (
        {"content/news/a.md": story(extra=f"summary: {'Word ' * 50}")},
        "content/news/a.md:6: the summary has 249 characters, more than the 200 a card shows: "
        "cut it to one short sentence (the limit is summary_chars under [check] in "
        "sitegen.toml)"),
    "note defined twice": (
        {"content/news/a.md": story("They won.[^1]\n\n[^1]: The first note.\n\n```\n[^1]: "
                                    "in code, not a note\n```\n\n[^1]: The second note.")},
        "content/news/a.md:18: note [^1] is defined twice, at lines 12 and 18: only the "
        "last definition is shown; give each note a label of its own"),
}


@pytest.mark.parametrize("files, expected", CASES.values(), ids=list(CASES))
def test_each_lint_warns_with_file_and_line(make_site, files: dict[str, str | bytes],
                                            expected: str) -> None:
    site = make_site({"sitegen.toml": CONFIG, **files})
    assert warnings(site) == [expected]
    plain = check(site)
    assert plain.exit_code == 0, plain.output
    assert f"warning: {expected}" in " ".join(plain.output.split())
    assert "no errors, 1 warning." in plain.output
    strict = check(site, "--strict")
    assert strict.exit_code == 1, strict.output
    assert "No errors, but 1 warning, and --strict fails the check on warnings." \
        in strict.output


def test_a_clean_story_gives_no_warning(make_site) -> None:
    site = make_site({
        "sitegen.toml": CONFIG,
        "content/news/a.md": story(
            "## Results\n\n### First half\n\n“We played scared,” Keisha Grant (12), team "
            "captain, said.\n\n## Next\n\n![A crowded gym](gym.png)",
            extra='image: gym.png\nimage_alt: decorative\ncaption: "The gym"\n'
                  'credit: "Photo: Min Kim"\nsummary: "The council met."'),
        "content/news/gym.png": PHOTO,
    })
    assert warnings(site) == []
    assert check(site, "--strict").exit_code == 0


def test_check_settings_change_the_limits(make_site, tmp_path: Path) -> None:
    site = make_site({
        "sitegen.toml": CONFIG + "\n[check]\nmin_words = 3\nsummary_chars = 300\n",
        "content/news/a.md": article("A story", extra=f"summary: {'Word ' * 50}",
                                     body="Only a few words here."),
        "content/news/b.md": article("B story", body="Two words."),
    })
    assert warnings(site) == [
        "content/news/b.md:8: the story has 2 words, under the 3 a story should have: "
        "finish it, or keep it back with draft: true (the limit is min_words under [check] in "
        "sitegen.toml)"]
    (tmp_path / "sitegen.toml").write_text("[check]\nmin_words = 0\nsummary_chars = 0\n")
    assert load_config(tmp_path).check == CheckSettings(min_words=0, summary_chars=0)


def test_check_settings_are_validated(tmp_path: Path) -> None:
    (tmp_path / "sitegen.toml").write_text('[check]\nmin_word = 10\nsummary_chars = "short"\n')
    with pytest.raises(BuildFailed) as failed:
        load_config(tmp_path)
    assert [str(e) for e in failed.value.errors] == [
        'sitegen.toml:2: unknown key "min_word" in [check] (did you mean "min_words"?)',
        'sitegen.toml:3: "summary_chars" must be a whole number from 0 to 10000 (0 turns the '
        "check off)",
    ]


def test_no_byline_warning_under_the_initial_policy_or_for_korean_names(make_site) -> None:
    site = make_site({
        "sitegen.toml": CONFIG,
        "content/news/a.md": story(author="박민아"),
        "content/news/b.md": story(author="Min Kim"),
    })
    assert warnings(site) == []
    initial = make_site({"sitegen.toml": CONFIG + 'names = "initial"\n',
                         "content/news/a.md": story(author="Mina")})
    assert warnings(initial) == []


def test_withdrawn_draft_and_legacy_stories_are_not_linted(make_site) -> None:
    site = make_site({
        "sitegen.toml": CONFIG,
        "content/news/a.md": article("A", extra='withdrawn: "Withdrawn: it was wrong."',
                                     body="Short."),
        "content/news/b.md": article("B", extra="draft: true", body="Short."),
        "content/news/c.md": story(),
        "content/news/d.md": article("D", extra="legacy: true", author="Staff",
                                     body="An imported story."),
    })
    assert warnings(site) == []


def test_strict_from_the_environment(make_site) -> None:
    site = make_site({"sitegen.toml": CONFIG, "content/news/a.md": article("A", body="Short.")})
    assert check(site).exit_code == 0
    assert check(site, env={"SITEGEN_STRICT": "true"}).exit_code == 1
    assert check(site, env={"SITEGEN_STRICT": "false"}).exit_code == 0


def test_strict_counts_build_warnings_too(make_site) -> None:
    site = make_site({"sitegen.toml": CONFIG,
                      "content/news/a.md": story(extra="summray: typo")})
    result = check(site, "--strict")
    assert result.exit_code == 1
    assert 'content/news/a.md:6: unknown key "summray"' in result.output


def test_warnings_with_brackets_print_as_written(make_site) -> None:
    site = make_site({"sitegen.toml": CONFIG,
                      "content/news/a.md": story("#### [/b] *Results* [red]")})
    result = check(site)
    assert result.exit_code == 0, result.output
    assert 'heading "[/b] Results [red]" (####)' in result.output


def test_warnings_are_github_annotations(make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({"sitegen.toml": CONFIG,
                      "content/news/a.md": story("“We won,” said Keisha Grant, a senior.")})
    monkeypatch.setenv("GITHUB_WORKSPACE", str(site.parent))
    result = check(site, env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 0, result.output
    assert [line for line in result.output.splitlines() if line.startswith("::")] == [
        "::warning file=site/content/news/a.md,line=10,title=sitegen check::\"Keisha Grant\" "
        'is quoted without a grade: name a student as "Keisha Grant (11), role, said" the '
        'first time, or, for an adult, give the role, e.g. "Keisha Grant, math teacher, said"']
    assert check(site, "--strict", env={"GITHUB_ACTIONS": "true"}).exit_code == 1


def test_the_example_publication_passes_strict(cache_elsewhere) -> None:
    result = check(REPO, "--strict")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output


def test_the_example_articles_quote_students_with_grades(cache_elsewhere) -> None:
    """Every story, drafts and future ones included: the seed's "Name (grade), role" style."""
    report = run_check(REPO, BuildOptions(drafts=True, future=True, now=NOW))
    assert report.articles >= 14
    assert [str(w) for w in report.warnings if "quoted without a grade" in w.message] == []


# The quote rule, sentence by sentence: True when the sentence must be flagged.
QUOTES = {
    "“We won,” Keisha Grant said.": True,
    "“We won?” Keisha Grant asked.": True,
    '"We won," Keisha Grant said.': True,
    "“We won,” said Keisha Grant.": True,
    "“We won,” said Keisha Grant, a senior.": True,
    "Keisha Grant, a junior, said the team had practiced.": True,
    "Keisha Grant, a junior, said, “We won.”": True,
    "Sophomore guard Lily Tran said, “We won.”": True,
    "“We won,” sophomore guard Lily Tran said.": True,
    "“We won,” Keisha Grant, team captain, said.": True,
    "“We won,” Keisha Grant, student council president, said.": True,
    "“We won,” student council president Keisha Grant said.": True,
    "“We won,” Mina P. said.": True,
    "“We won,” Ana de la Cruz said.": True,
    "“We won,” Keisha Grant (12), team captain, said.": False,
    "“We won,” said Keisha Grant (12), a senior.": False,
    "“We won,” Principal Jane Doe said.": False,
    "“We won,” head coach Angela Brooks said.": False,
    "“We won,” said head coach Angela Brooks.": False,
    "“We won,” Coach Angela Brooks said.": False,
    "“We won,” Angela Brooks, head coach of the girls team, said.": False,
    "“We won,” Angela Brooks, English teacher, said.": False,
    "“We won,” Angela Brooks, a parent, said.": False,
    "“We won,” Angela Brooks, school nurse, said.": False,
    "“We won,” Angela Brooks, athletic director, said.": False,
    "“We won,” Angela Brooks, a spokesperson for the district, said.": False,
    "“We won,” Angela Brooks, Class of 2015, said.": False,
    "“We won,” Angela Brooks, junior varsity coach, said.": False,
    "“We won,” said Angela Brooks, the school librarian.": False,
    "“We won,” Mr. Dang said.": False,
    "“We won,” Russian President Vladimir Putin said.": False,
    "“We won,” Alvarez said.": False,
    "Head coach Angela Brooks said, “We won.”": False,
    "Keisha Grant said the team had practiced.": False,
    "Librarian Karen Whitfield said the change came after a petition.": False,
    "Tuan Dang, who has worked here for 17 years, laughed when we told him.": False,
    "The sketch was drawn by sophomore Ethan Wu, who said he liked hills.": False,
    "“Go,” Keisha Grant’s mother said.": False,
}


@pytest.mark.parametrize("sentence, flagged", QUOTES.items(), ids=list(QUOTES))
def test_quoted_students_without_grades(tmp_path: Path, sentence: str, flagged: bool) -> None:
    found = quote_warnings(tmp_path, f"{FILLER}\n\n{sentence}")
    assert found == ([(10, _speaker(sentence))] if flagged else [])


def _speaker(sentence: str) -> str:
    for name in ("Keisha Grant", "Lily Tran", "Mina P.", "Ana de la Cruz"):
        if name in sentence:
            return name
    raise AssertionError(sentence)


def quote_warnings(root: Path, body: str) -> list[tuple[int, str]]:
    """(line, name) of each quote warning for a story with this body at line 8."""
    config = SiteConfig(root=root)
    story = Article(source="content/news/a.md", title="A", date=dt.datetime(2025, 3, 4),
                    section="news", bylines=(Byline("Min Kim", "min-kim"),), body=body,
                    body_line=8, word_count=500, written=(Byline("Min Kim", "min-kim"),))
    return [(w.line or 0, w.message.split('"')[1]) for w in lint_articles([story], config)
            if "quoted without a grade" in w.message]


def test_a_name_given_a_grade_or_a_role_elsewhere_is_not_flagged(tmp_path: Path) -> None:
    assert quote_warnings(tmp_path, "Keisha Grant (12) scored 18.\n\n“We won,” Keisha Grant "
                                    "said.") == []
    assert quote_warnings(tmp_path, "Head coach Angela Brooks watched.\n\n“We won,” Angela "
                                    "Brooks said.") == []
    assert quote_warnings(tmp_path, "Angela Brooks, the head coach, watched.\n\n“We won,” "
                                    "Angela Brooks said.") == []


def test_each_name_is_flagged_once_at_its_line(tmp_path: Path) -> None:
    body = ("Intro.\n\n“We won,” Keisha Grant said. “We\nplayed well,” Lily\nTran said.\n\n"
            "“Again,” Keisha Grant said.\n\n```\n“Code,” Min Park said.\n```")
    assert quote_warnings(tmp_path, body) == [(10, "Keisha Grant"), (11, "Lily Tran")]


@pytest.mark.parametrize("alt, src, expected", [
    ("IMG_2047.jpg", "", True), ("photo.png", "", True), ("DSC0001", "", True),
    ("IMG_2047", "", True), ("PXL_20250301_101530123", "", True),
    ("Screenshot 2025-03-01 at 10.15.22", "", True), ("20250301_101530", "", True),
    ("gym", "gym.png", True), ("team-photo", "images/team-photo.jpg", True),
    ("A crowded gym", "gym.png", False), ("Gym", "", False), ("decorative", "a.png", False),
    ("Photo 3 of the team", "", False), ("The class of 2025", "", False),
])
def test_file_name_alt_text(alt: str, src: str, expected: bool) -> None:
    assert is_file_name(alt, src) is expected


def test_the_pages_workflow_can_switch_strict_on() -> None:
    """`sitegen init`'s workflow passes the repository variable SITEGEN_STRICT to the check
    (empty when unset: not strict); tests/test_init.py runs actionlint on it."""
    workflow = yaml.safe_load(scaffold.render_workflow())
    step = next(step for step in workflow["jobs"]["build"]["steps"]
                if step.get("run", "").startswith("sitegen check"))
    assert step["env"]["SITEGEN_STRICT"] == "${{ vars.SITEGEN_STRICT }}"
    assert "--strict" in scaffold.render_workflow()  # the comment says how, by hand
