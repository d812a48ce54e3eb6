"""The newsroom: school years and graduates, the name policy, withdrawn stories, noindex,
corrections and the staff page."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import photos
import pytest
from conftest import NOW, article, memory_build

from sitegen.build import Builder, BuildOptions, build
from sitegen.config import SiteConfig
from sitegen.errors import BuildFailed
from sitegen.people import grade_on, initial_name, school_year_end


def config(**values: object) -> SiteConfig:
    return SiteConfig(root=Path("."), **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(("when", "timezone", "end"), [
    (dt.date(2024, 10, 1), "UTC", 2025),
    (dt.date(2025, 7, 31), "UTC", 2025),
    (dt.date(2025, 8, 1), "UTC", 2026),
    (dt.date(2025, 2, 28), "Asia/Seoul", 2025),  # the Korean year ends in February
    (dt.date(2025, 3, 1), "Asia/Seoul", 2026),
    (dt.date(2025, 3, 31), "Asia/Tokyo", 2025),
    (dt.date(2025, 4, 1), "Asia/Tokyo", 2026),
])
def test_the_school_year_starts_on_its_configured_day(when: dt.date, timezone: str,
                                                      end: int) -> None:
    assert school_year_end(when, config(timezone=timezone).year_starts) == end


def test_a_class_year_gives_the_grade_as_of_each_date_and_then_graduation() -> None:
    site = config()
    assert grade_on(2026, dt.date(2024, 10, 1), site) == 11
    assert grade_on(2026, dt.date(2025, 10, 1), site) == 12
    assert grade_on(2026, dt.date(2026, 5, 30), site) == 12
    assert grade_on(2026, dt.date(2026, 8, 1), site) is None  # graduated
    custom = config(school_year_start="09-15", grades=(10, 12))
    assert grade_on(2026, dt.date(2025, 9, 14), custom) == 11
    assert grade_on(2026, dt.date(2025, 9, 15), custom) == 12


@pytest.mark.parametrize(("name", "shown"), [
    ("Mina Park", "Mina P."),
    ("Mary Anne de la Cruz", "Mary C."),
    ("Prince", "Prince"),
    ("박민아", "박○○"),
    ("Min-jun Kim", "Min-jun K."),
])
def test_initial_names(name: str, shown: str) -> None:
    assert initial_name(name) == shown


STAFF = {
    "content/staff/mina.md": """
        ---
        name: Mina Park
        class_year: 2026
        role: Editor-in-Chief
        spellings: ["Mina J. Park"]
        ---
        Mina edits the paper.
        """,
    "content/staff/jun.md": """
        ---
        name: Jun Seo
        class_year: 2025
        role: Sports Editor
        ---
        """,
    "content/staff/kim.md": """
        ---
        name: Grace Kim
        role: Adviser
        ---
        """,
    "content/staff/quiet.md": """
        ---
        name: Lee Quiet
        class_year: 2027
        role: Reporter
        author_page: false
        ---
        """,
}


def newsroom_site(make_site, **extra: str) -> Path:
    return make_site({
        "sitegen.toml": 'title = "The Record"\nbase_url = "https://ridge.github.io/record/"\n'
                        'names = "initial"\n',
        **STAFF,
        "content/news/old.md": article("Budget passes", date="2024-10-01",
                                       author="Mina J. Park"),
        "content/news/new.md": article("Budget spent", date="2025-10-01", author="Mina Park"),
        "content/news/grad.md": article("Alumni return", date="2025-10-02", author="Jun Seo"),
        "content/news/own.md": article("Own grade", date="2025-10-03", author="Mina Park",
                                       extra="grade: 10"),
        "content/news/adv.md": article("A note", date="2025-10-04", author="Grace Kim"),
        "content/news/quiet.md": article("Quietly", date="2025-10-05", author="Lee Quiet",
                                         extra="""
                                             image: pic.jpg
                                             image_alt: Mina J. Park at her desk
                                             caption: Mina Park and Jun Seo in the newsroom
                                             credit: "Photo: Lee Quiet"
                                             """),
        "content/news/pic.jpg": photos.jpeg(600, 400),
        **extra,
    })


def test_bylines_follow_school_years_graduation_and_the_name_policy(make_site) -> None:
    built = memory_build(newsroom_site(make_site))
    pages = {path: body.decode() for path, body in built.pages.items()}

    def byline(path: str) -> str:
        match = re.search(r'<p class="story-byline">(.*?)</p>', pages[path], re.S)
        assert match
        return re.sub(r"\s+", " ", match[1])

    assert '>Mina P.</a> (11)' in byline("news/old/index.html")  # another spelling, 2024
    assert '>Mina P.</a> (12)' in byline("news/new/index.html")
    assert '>Mina P.</a> (10)' in byline("news/own/index.html")  # the article's own grade
    assert '>Jun S.</a> (Class of 2025)' in byline("news/grad/index.html")
    assert '>Grace Kim</a>' in byline("news/adv/index.html")  # an adviser keeps her name
    assert "By Lee Q." in byline("news/quiet/index.html")
    assert "<a" not in byline("news/quiet/index.html")  # no author page, no link
    assert "authors/mina-p/index.html" in pages
    assert not any(path.startswith("authors/lee") for path in pages)


def test_no_full_name_of_an_initial_student_appears_anywhere(make_site, tmp_path: Path) -> None:
    root = newsroom_site(make_site)
    out = build(root, BuildOptions(now=NOW, output=tmp_path / "out")).output
    texts = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
             for p in out.rglob("*") if p.suffix in (".html", ".xml", ".txt", ".json")}
    assert texts
    for full in ("Mina Park", "Park", "Jun Seo", "Seo", "Lee Quiet", "Quiet</", "mina-park"):
        leaks = [path for path, text in texts.items() if full in text]
        assert not leaks, f"{full!r} appears in {leaks}"
    assert any("Grace Kim" in text for text in texts.values())
    quiet = texts["news/quiet/index.html"]
    assert "Mina P. and Jun S. in the newsroom" in quiet and "Photo: Lee Q." in quiet
    assert 'alt="Mina P. at her desk"' in quiet


def test_json_ld_names_authors_with_their_pages(make_site) -> None:
    built = memory_build(newsroom_site(make_site))
    page = built.pages["news/new/index.html"].decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block
    data = json.loads(block[1])
    assert data["author"] == [{"@type": "Person", "name": "Mina P.",
                               "url": "https://ridge.github.io/record/authors/mina-p/"}]
    assert data["isAccessibleForFree"] is True


def test_two_students_who_would_show_alike_are_an_error(make_site) -> None:
    root = newsroom_site(make_site, **{
        "content/news/other.md": article("Another", date="2025-10-06", author="Mina Pyo")})
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    assert [str(e) for e in caught.value.errors] == [
        'content/news/other.md: "Mina Pyo" and the author of content/news/new.md would both '
        'show as "Mina P.": add a staff profile for one of them with "names: full", or spell '
        "the names apart"]


def test_a_rebuild_finds_names_that_come_to_clash_and_stop_clashing(make_site) -> None:
    """Watch mode remembers the names each story credits; an edit that makes two people
    show alike, and the edit that undoes it, are seen as a clean build sees them."""
    root = newsroom_site(make_site, **{
        "content/news/other.md": article("Another", date="2025-10-06", author="Jun Seo")})
    builder = Builder(root, BuildOptions(now=NOW))
    builder.build()
    other = root / "content/news/other.md"
    other.write_text(article("Another", date="2025-10-06", author="Mina Pyo"))
    with pytest.raises(BuildFailed) as caught:
        builder.build()
    assert "would both show as" in str(caught.value.errors[0])
    with pytest.raises(BuildFailed):
        builder.build()  # nothing changed: the same error
    other.write_text(article("Another", date="2025-10-06", author="Jun Seo", body="Edited."))
    assert b"Edited." in builder.build().pages["news/other/index.html"]


def test_the_staff_page_lists_this_years_masthead_and_past_staff(make_site) -> None:
    root = newsroom_site(make_site)
    page = memory_build(root, now=dt.datetime(2025, 11, 1, tzinfo=dt.UTC)).pages[
        "staff/index.html"].decode()
    main = re.sub(r"\s+", " ", page[page.index("<main"):page.index("</main>")])
    order = [main.index(text) for text in (
        "Editor-in-Chief", "Mina P.", "12th grade", "Reporter", "Lee Q.", "11th grade",
        "Advisers", "Grace Kim", "Past staff", "Class of 2025", "Jun S.")]
    assert order == sorted(order)
    assert "Sports Editor" not in main  # Jun graduated: he is past staff now
    assert 'href="/record/authors/mina-p/"' in main and "authors/lee" not in main


def test_a_withdrawn_story_keeps_a_tombstone_and_leaves_every_list(make_site) -> None:
    root = make_site({
        "sitegen.toml": 'base_url = "https://ridge.github.io/record/"\n',
        "content/news/a.md": article("Kept story", date="2025-03-01", extra="tags: [Budget]"),
        "content/news/gone.md": article("Gone story", date="2025-03-02", extra="""
            tags: [Budget]
            issue: "Vol. 1, No. 1"
            aliases: [/old/gone/]
            withdrawn: "This story was withdrawn because a source was misquoted."
            """),
    })
    built = memory_build(root)
    tombstone = built.pages["news/gone/index.html"].decode()
    assert "Gone story" in tombstone and "a source was misquoted" in tombstone
    assert '<meta name="robots" content="noindex">' in tombstone
    assert "March 2, 2025" in tombstone
    others = {path: body.decode() for path, body in built.pages.items()
              if path not in ("news/gone/index.html", "old/gone/index.html")}
    assert not [path for path, text in others.items() if "Gone story" in text or
                "news/gone/" in text]
    assert "issues/vol-1-no-1/index.html" not in built.pages


def test_noindex_per_story_and_site_wide(make_site) -> None:
    root = make_site({
        "sitegen.toml": 'base_url = "https://ridge.github.io/record/"\n',
        "content/news/a.md": article("Listed", date="2025-03-01"),
        "content/news/b.md": article("Hidden", date="2025-03-02", extra="noindex: true"),
    })
    built = memory_build(root)
    assert '<meta name="robots" content="noindex">' in built.pages["news/b/index.html"].decode()
    assert "noindex" not in built.pages["news/a/index.html"].decode()
    sitemap = built.pages["sitemap.xml"].decode()
    assert "/news/a/" in sitemap and "/news/b/" not in sitemap
    (root / "sitegen.toml").write_text('base_url = "https://ridge.github.io/record/"\n'
                                       "noindex = true\n")
    built = memory_build(root)
    assert all(b'<meta name="robots" content="noindex">' in body
               for path, body in built.pages.items() if path.endswith(".html"))
    assert "<loc>" not in built.pages["sitemap.xml"].decode()


def test_the_corrections_page_lists_every_correction_newest_first(make_site) -> None:
    root = make_site({
        "content/news/a.md": article("First story", date="2025-03-01", extra="""
            corrections:
              - {date: 2025-03-03, text: "The vote was 9-2, not 8-3."}
              - {date: 2025-03-10, text: "The treasurer is a junior."}
            """),
        "content/news/b.md": article("Second story", date="2025-03-05", extra="""
            corrections: [{date: 2025-03-06, text: "The meeting is on Tuesday."}]
            """),
    })
    page = memory_build(root).pages["corrections/index.html"].decode()
    order = [page.index(text) for text in ("treasurer is a junior", "meeting is on Tuesday",
                                           "9-2, not 8-3")]
    assert order == sorted(order)
    assert page.count('href="/news/a/"') == 2


def test_profile_and_config_values_are_checked(make_site) -> None:
    root = make_site({
        "sitegen.toml": 'names = "initials"\nschool_year_start = "13-01"\n',
        "content/news/a.md": article("A"),
    })
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    assert [str(e) for e in caught.value.errors] == [
        'sitegen.toml:1: "names" must be "full" or "initial", not "initials"',
        'sitegen.toml:2: "school_year_start" must be a month and day, e.g. "08-15"',
    ]
    (root / "sitegen.toml").unlink()
    root = make_site({
        "content/staff/x.md": "---\nname: X Y\nnames: half\nauthor_page: maybe\n"
                              "spellings: {a: b}\n---\n",  # 5 would be the text "5"
    })
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    assert [str(e) for e in caught.value.errors] == [
        'content/staff/x.md:3: "names" must be "full" or "initial", not \'half\'',
        'content/staff/x.md:4: "author_page" must be true or false, not \'maybe\'',
        'content/staff/x.md:5: "spellings" lists other ways bylines write the name, e.g. '
        'spellings: ["Natalie R. Merino"]',
    ]


def test_the_publisher_logo_must_exist_and_lands_in_json_ld(make_site) -> None:
    root = make_site({
        "sitegen.toml": 'base_url = "https://ridge.github.io/record/"\nlogo = "/logo.png"\n',
        "content/news/a.md": article("A"),
    })
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    assert [str(e) for e in caught.value.errors] == [
        'sitegen.toml: "logo": there is no file static/logo.png']
    (root / "static").mkdir()
    (root / "static/logo.png").write_bytes(photos.png(60, 60))
    page = memory_build(root).pages["news/a/index.html"].decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block
    assert json.loads(block[1])["publisher"] == {
        "@type": "Organization", "name": "The School Paper",
        "logo": {"@type": "ImageObject", "url": "https://ridge.github.io/record/logo.png"}}
