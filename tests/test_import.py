"""`sitegen import`: Jekyll, Hugo and WordPress archives -> sitegen articles that build, with
a report of what was converted and what a person must fix (with its line)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import NOW, memory_build

from sitegen.errors import UsageError
from sitegen.importers import ImportFailed, run_import
from sitegen.importers.markup import embed, embed_line, social, split_credit
from sitegen.importers.plan import split_authors

FIXTURES = Path(__file__).parent / "importers"
JEKYLL, HUGO = FIXTURES / "jekyll", FIXTURES / "hugo"
EXPORT = FIXTURES / "wordpress" / "export.xml"

CONFIG = '''
title = "The Import Gazette"
base_url = "https://example.github.io/gazette/"
timezone = "Asia/Seoul"

[[sections]]
key = "news"
name = "News"

[[sections]]
key = "opinion"
name = "Opinion"

[[sections]]
key = "features"
name = "Features"

[[sections]]
key = "sports"
name = "Sports"

[[sections]]
key = "arts"
name = "Arts & Entertainment"

[[sections]]
key = "science"
name = "Science & Tech"

[[sections]]
key = "campus"
name = "Campus Life"
'''


@pytest.fixture
def site(make_site) -> Path:
    return make_site({"sitegen.toml": CONFIG})


def run(kind: str, source: Path, site: Path, **options: object):
    return run_import(kind, source, site, now=NOW, **options)


def article(site: Path, rel: str) -> tuple[dict, str]:
    text = (site / "content" / rel).read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body


def line_of(site: Path, rel: str, needle: str) -> int:
    lines = (site / "content" / rel).read_text(encoding="utf-8").split("\n")
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def fixes(report, rel: str) -> list[tuple[int, str]]:
    return [(fix.line, fix.message) for fix in report.fixes if fix.path == f"content/{rel}"]


def snapshot(site: Path) -> dict[str, tuple[bytes, int]]:
    return {path.relative_to(site).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(site.rglob("*")) if path.is_file()
            and not path.relative_to(site).parts[0].startswith((".", "_"))}


def assert_builds(site: Path) -> None:
    built = memory_build(site, drafts=True, future=True)  # raises BuildFailed on any error
    assert built.site.articles


# -- Jekyll -------------------------------------------------------------------------------------

def test_jekyll_site_imports_and_builds(site: Path) -> None:
    report = run("jekyll", JEKYLL, site)
    assert_builds(site)
    assert sorted(a.path for a in report.articles) == [
        "content/arts/winter-concert-review.md", "content/news/homecoming-court-announced.md",
        "content/news/prom-theme-vote.md", "content/news/snow-day-makeup-schedule.md",
        "content/opinion/cafeteria-menu-changes.md",
        "content/science/robotics-team-heads-to-regionals.md"]
    assert (len(report.articles), report.drafts) == (6, 1)

    data, body = article(site, "news/homecoming-court-announced.md")
    assert data["author"] == ["Jae Lee", "Sara Cho"]
    assert data["date"] == dt.datetime(2022, 10, 14, 15, 45,
                                       tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    assert (data["section"], data["tags"], data["legacy"]) == (
        "news", ["homecoming", "student council"], True)
    assert data["summary"].startswith("Ten seniors were named")
    assert data["aliases"] == ["/news/2022/10/14/homecoming-court-announced/",
                               "/news/homecoming-court/"]
    assert (data["image"], data["image_alt"]) == (
        "homecoming-court.jpg", "Ten seniors in formal wear standing on the football field at dusk")
    assert (site / "content/news/homecoming-court.jpg").read_bytes() == (
        JEKYLL / "assets/images/homecoming-court.jpg").read_bytes()
    # {{ site.baseurl }} gone, the image copied next to the article, its caption its alt text
    assert ('![The court rehearses the halftime walk](court-rehearsal.jpg "The court rehearses '
            'the halftime walk -- Photo: Sara Cho")') in body
    assert "{{" not in body

    data, body = article(site, "science/robotics-team-heads-to-regionals.md")
    assert (data["section"], data["author"]) == ("science", "Min Kim")  # _data/authors.yml
    assert data["tags"] == ["robotics", "engineering"]  # a Jekyll string of tags: split
    assert "/robotics-regionals.html" in data["aliases"]
    assert ("![A student tightens a bolt on the robot's gripper arm](robotics-arm.jpg "
            '"The rebuilt gripper -- Photo: Min Kim")') in body
    assert "[homecoming fundraiser](../news/homecoming-court-announced.md)" in body
    assert fixes(report, "science/robotics-team-heads-to-regionals.md") == []
    assert "{:" not in body and "TOC" not in body
    assert "{% raw %}{{ this stays as it is: it is code }}{% endraw %}" in body  # code untouched

    data, body = article(site, "opinion/cafeteria-menu-changes.md")  # an .html post
    assert data["author"] == ["Priya Natarajan", "Owen Brooks"]
    assert "## What changed" in body and "| Monday | Bibimbap bowl |" in body
    assert "> \"The line moves faster now,\" said Lena Ortiz (10)." in body
    assert "[homecoming vote](../news/homecoming-court-announced.md)" in body

    data, body = article(site, "news/snow-day-makeup-schedule.md")
    assert data["author"] == "Ridge Record Staff"  # the site's author, from _config.yml
    assert data["tags"] == ["schedule", "weather", "Campus"]  # other categories: tags
    assert "[the full schedule](makeup-schedule.pdf)" in body
    assert (site / "content/news/makeup-schedule.pdf").is_file()
    assert ("\n[The superintendent on the makeup days]"
            "(https://www.youtube.com/watch?v=Qa9Zk2LmXv4)\n") in body
    # a picture on another site is left there (never downloaded), and reported
    assert ("![A snowplow clearing the school parking lot]"
            "(https://images.example.net/snowplow.jpg)") in body

    data, _ = article(site, "news/prom-theme-vote.md")
    assert data["draft"] is True and "aliases" not in data


def test_jekyll_report_lists_what_a_person_must_fix_with_its_line(site: Path) -> None:
    report = run("jekyll", JEKYLL, site)
    concert = "arts/winter-concert-review.md"
    data, body = article(site, concert)
    assert data["image"] == "concert-choir.jpg" and "image_alt" not in data  # not "decorative"
    assert ("\n[Winter concert: the opening song]"
            "(https://www.youtube.com/watch?v=Xk3v9Qa2LmE&t=42s)\n") in body
    assert ("![The printed concert program, with a snowflake on the cover]"
            "(concert-program.png)") in body
    found = fixes(report, concert)
    assert found == sorted(found)
    assert found[0][0] == line_of(site, concert, "image: concert-choir.jpg")
    assert "no description" in found[0][1]
    gallery = line_of(site, concert, "{% include gallery")
    assert (gallery, 'template syntax left as it was: {% include gallery id="concert_photos" '
                     'caption="More photos from the night" %} - write it as Markdown or delete '
                     "it") in found
    assert any(line == line_of(site, concert, "](/tickets/)") and "/tickets/" in message
               for line, message in found)
    opinion = "opinion/cafeteria-menu-changes.md"
    assert [line for line, _ in fixes(report, opinion)] == [
        line_of(site, opinion, "{{ page.author }}")]
    snow = "news/snow-day-makeup-schedule.md"
    assert [(line, "images.example.net" in message) for line, message in fixes(report, snow)] \
        == [(line_of(site, snow, "snowplow.jpg"), True)]

    text = (site / "import-report-jekyll.md").read_text(encoding="utf-8")
    assert f"- `content/{concert}:{gallery}`: template syntax left as it was" in text
    assert '- bylines split: "Jae Lee & Sara Cho" -> Jae Lee, Sara Cho' in text
    assert "| Science & Tech | science | same name |" in text
    assert "the old site lived under /archive/" in text


# -- Hugo ---------------------------------------------------------------------------------------

def test_hugo_site_imports_and_builds(site: Path) -> None:
    report = run("hugo", HUGO, site)
    assert_builds(site)
    assert sorted(a.path for a in report.articles) == [
        "content/campus/spring-festival-2024.md", "content/news/library-hours.md",
        "content/news/student-council-election-results.md", "content/sports/league-final.md"]
    assert report.skipped == [
        ("content/about.md", "a page at the top of content/ (like About), not an article"),
        ("content/posts/spring-festival-2024/notes.md",
         "a file inside the page bundle posts/spring-festival-2024/, not a page")]

    data, body = article(site, "campus/spring-festival-2024.md")  # a page bundle, YAML
    assert (data["section"], data["author"]) == ("campus", ["Yuna Han", "Kevin Brandt"])
    assert data["aliases"] == ["/2024/04/spring-festival-fills-the-courtyard/", "/festival-2024/"]
    assert (data["image"], data["image_alt"], data["caption"]) == (
        "booths.jpg", "Club booths lined up under paper lanterns in the courtyard",
        "Forty clubs set up booths")
    assert (site / "content/campus/booths.jpg").is_file()
    assert ('![The dance club performing on the outdoor stage](stage.jpg "The dance club closes '
            'the day -- Photo: Yuna Han")') in body
    assert "\n[Festival highlights](https://www.youtube.com/watch?v=Hb7Lm2Qx9Zc)\n" in body
    assert "more" not in body

    data, body = article(site, "news/student-council-election-results.md")  # TOML, Hangul
    assert data["title"] == "학생회 선거 결과 발표"
    assert data["author"] == ["박서연", "이준호"]
    assert data["date"] == dt.datetime(2024, 3, 22, 9, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    assert data["aliases"] == ["/2024/03/student-council-election-results/",
                               "/news/2024/council-results/"]
    assert ("\n[Post by @hanbitherald on X](https://x.com/hanbitherald/status/"
            "1771234567890123456)\n") in body
    assert "\n[Post on Instagram](https://www.instagram.com/p/C5xYz12AbCd/)\n" in body
    assert "[봄 축제](../campus/spring-festival-2024.md)" in body
    assert fixes(report, "news/student-council-election-results.md") == []

    data, _ = article(site, "news/library-hours.md")
    assert data["draft"] is True

    final = "sports/league-final.md"
    data, body = article(site, final)
    assert data["section"] == "sports"  # no category: the content folder's name
    assert (data["image_alt"], data["credit"]) == ("The scoreboard after the final buzzer",
                                                   "Photo: Kevin Brandt")
    assert "\n[Video](https://vimeo.com/123456789)\n" in body
    assert "\n![](crowd.jpg)\n" in body  # no description anywhere: left empty, reported
    found = fixes(report, final)
    assert [line for line, _ in found] == sorted(
        line_of(site, final, needle) for needle in (
            "![](crowd.jpg)", "{{< gallery", "{{% notice", "{{% /notice",
            "[Video](/media"))


# -- WordPress ----------------------------------------------------------------------------------

def test_wordpress_export_imports_and_builds(site: Path) -> None:
    report = run("wordpress", EXPORT, site)
    assert_builds(site)
    assert sorted(a.path for a in report.articles) == [
        "content/arts/winter-concert-preview.md", "content/news/council-approves-spring-budget.md",
        "content/news/prom-theme-vote-opens.md", "content/news/학생회-선거-결과.md",
        "content/opinion/why-we-need-later-start-times.md",
        "content/sports/falcons-win-the-semifinal.md"]
    assert [origin for origin, _ in report.skipped] == ["export.xml, page 300",
                                                        "export.xml, post 207"]

    data, body = article(site, "news/council-approves-spring-budget.md")
    assert data["author"] == ["Jun Seo", "Ha-eun Choi"]  # one account, two bylines
    assert data["date"] == dt.datetime(2023, 9, 12, 15, 30,
                                       tzinfo=dt.timezone(dt.timedelta(hours=9)))
    assert data["tags"] == ["Budget", "Student Council"]
    assert data["summary"] == "The council\u2019s 9\u20132 vote gives clubs the largest share."
    assert (data["image"], data["image_alt"], data["caption"], data["credit"]) == (
        "council-vote.jpg", "Council members raise their hands during the vote",
        "The 9\u20132 vote on Tuesday", "Photo: Mina Park")
    assert data["aliases"] == ["/2023/09/12/council-approves-spring-budget/"]
    # [caption] -> a figure; the resized copy named in the post -> the original upload
    assert ('![Where the money goes: clubs get the largest share](budget-chart.png "Where the '
            'money goes: clubs get the largest share")') in body
    assert (site / "content/news/budget-chart.png").read_bytes() == (
        EXPORT.parent / "uploads/2023/09/budget-chart.png").read_bytes()
    assert "9\u20132 on Tuesday" in body and "\u20a94.2 million" in body  # entities decoded
    assert "- **Clubs:** 45%" in body and "| Events & trips | 1,470,000 |" in body
    assert "new this year.\\\n\"We had nothing left" in body  # WordPress's line break

    data, body = article(site, "sports/falcons-win-the-semifinal.md")
    assert data["title"] == "Falcons win the semifinal 58\u201351"
    assert (data["image_alt"], data["credit"]) == ("Keisha Grant drives past two defenders",
                                                   "Photo: Jun Seo")
    gallery = ('![Keisha Grant drives past two defenders](semifinal-drive.jpg "Keisha Grant '
               'drives past two defenders -- Photo: Jun Seo")\n'
               "![The bench celebrates the final buzzer](semifinal-bench.jpg)\n"
               "![Fans rush the court after the win](semifinal-fans.jpg)\n")
    assert "\n\n" + gallery + "\n" in body  # consecutive lines: a gallery
    assert ("\n[Falcons vs. Westfield: semifinal highlights]"
            "(https://www.youtube.com/watch?v=Xk3v9Qa2LmE)\n") in body
    assert body.rstrip().endswith("[Post by @gazettesports on X]"
                                  "(https://twitter.com/gazettesports/status/1718000000000000001)")
    assert "<script" not in body and "<iframe" not in body

    data, body = article(site, "news/학생회-선거-결과.md")
    assert data["aliases"] == ["/2024/03/22/학생회-선거-결과/"]
    assert "\u201c함께 만드는 학교\u201d" in body and "\u00a0" not in body
    assert ("\n[축제 의견 설문](https://docs.google.com/forms/d/e/"
            "1FAIpQLSdExampleFormId1234567890/viewform)\n") in body
    assert ("\n[Slides](https://docs.google.com/presentation/d/e/"
            "2PACX-1vExampleSlides0987654321/)\n") in body

    data, body = article(site, "opinion/why-we-need-later-start-times.md")
    assert "\n[Video](https://www.youtube.com/watch?v=Qa9Zk2LmXv4)\n" in body  # a bare URL
    assert "[see the budget story](../news/council-approves-spring-budget.md)" in body
    assert "[the semifinal](../sports/falcons-win-the-semifinal.md)" in body  # ?p=202

    data, _ = article(site, "news/prom-theme-vote-opens.md")  # Podcasts: no such section
    assert (data["draft"], data["section"], data["image"]) == (True, "news", "prom-poster.jpg")
    assert "image_alt" not in data
    assert data["date"] == dt.datetime(2024, 2, 20, 11, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    data, body = article(site, "arts/winter-concert-preview.md")  # scheduled; Arts & Culture
    assert "draft" not in data and "\n[Video](https://vimeo.com/123456789)\n" in body


def test_wordpress_report_names_lines_to_fix(site: Path) -> None:
    report = run("wordpress", EXPORT, site)
    opinion = "opinion/why-we-need-later-start-times.md"
    assert [line for line, _ in fixes(report, opinion)] == [
        line_of(site, opinion, "teen-sleep.png"), line_of(site, opinion, "[contact-form-7")]
    assert fixes(report, "news/prom-theme-vote-opens.md") == [
        (line_of(site, "news/prom-theme-vote-opens.md", "image:"),
         "the lead image has no description in the source (no alt text, no caption): add "
         "image_alt: with what it shows")]
    assert "attachment 999" in fixes(report, "news/학생회-선거-결과.md")[0][1]
    text = (site / "import-report-wordpress.md").read_text(encoding="utf-8")
    assert ('| Podcasts | news | no section matches: the first section; choose one with '
            '--section-map "Podcasts=..." |') in text
    assert "| Arts & Culture | arts |" in text
    assert "- converted: alt text taken from the caption, gallery, image copied (3)" in text


def test_section_map_overrides_the_categories(site: Path) -> None:
    report = run("wordpress", EXPORT, site, section_map=["Podcasts=features", "News=campus"])
    paths = {a.path for a in report.articles}
    assert "content/features/prom-theme-vote-opens.md" in paths
    assert "content/campus/council-approves-spring-budget.md" in paths
    with pytest.raises(UsageError, match='"podcast" is not a section of this site'):
        run("wordpress", EXPORT, site, section_map=["Podcasts=podcast"])
    with pytest.raises(UsageError, match="old=new"):
        run("wordpress", EXPORT, site, section_map=["Podcasts"])


def test_without_the_uploads_pictures_stay_on_the_old_site(site: Path, tmp_path: Path) -> None:
    export = tmp_path / "elsewhere" / "export.xml"
    export.parent.mkdir()
    shutil.copy(EXPORT, export)
    report = run("wordpress", export, site)
    assert_builds(site)
    _, body = article(site, "sports/falcons-win-the-semifinal.md")
    assert ("\n![The bench celebrates the final buzzer](https://gazette.example.kr/"
            "wp-content/uploads/2023/10/semifinal-bench.jpg)\n") in body
    assert not list((site / "content").rglob("*.jpg"))
    assert any("was not found in the source" in fix.message for fix in report.fixes)
    with pytest.raises(UsageError, match="no such folder"):
        run("wordpress", export, site, uploads=tmp_path / "missing")
    run("wordpress", export, site, uploads=EXPORT.parent / "uploads")


# -- running again, edits, dry runs -------------------------------------------------------------

@pytest.mark.parametrize("kind, source", [("jekyll", JEKYLL), ("hugo", HUGO),
                                          ("wordpress", EXPORT)])
def test_a_second_import_changes_nothing(site: Path, kind: str, source: Path) -> None:
    first = run(kind, source, site)
    before = snapshot(site)
    assert first.files_written == len(before) - 1  # all but sitegen.toml
    second = run(kind, source, site)
    assert snapshot(site) == before  # same bytes, same modification times
    assert second.files_written == 0
    assert second.markdown() == first.markdown()
    assert {a.outcome for a in second.articles} == {"unchanged"}


def test_an_edited_or_foreign_article_is_kept_and_reported(site: Path) -> None:
    run("wordpress", EXPORT, site)
    edited = site / "content/news/prom-theme-vote-opens.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace(
        "image: prom-poster.jpg\n", "image: prom-poster.jpg\nimage_alt: A poster with three "
        "prom themes\n"), encoding="utf-8")
    native = site / "content/sports/falcons-win-the-semifinal.md"
    native.write_text("---\ntitle: Our own story\ndate: 2023-10-29\nsection: sports\n"
                      "author: Jun Seo\n---\n\nWritten here.\n", encoding="utf-8")
    ours = edited.read_bytes(), native.read_bytes()
    report = run("wordpress", EXPORT, site)
    assert (edited.read_bytes(), native.read_bytes()) == ours
    kept = {fix.path: fix for fix in report.fixes if "left as it is" in fix.message}
    assert sorted(kept) == ["content/news/prom-theme-vote-opens.md",
                            "content/sports/falcons-win-the-semifinal.md"]
    assert "post 202 was not imported" in kept[
        "content/sports/falcons-win-the-semifinal.md"].message
    assert [a.path for a in report.kept] == sorted(kept)
    assert_builds(site)


def test_dry_run_writes_nothing(site: Path) -> None:
    report = run("hugo", HUGO, site, dry_run=True)
    assert sorted(p.name for p in site.iterdir()) == ["sitegen.toml"]
    assert {a.outcome for a in report.articles} == {"would write"}
    assert report.summary().startswith("Would import 4 articles from Hugo (1 draft)")
    assert "Dry run: nothing was written." in report.summary()


# -- bad and hostile input ----------------------------------------------------------------------

def test_an_export_with_entities_is_refused(site: Path, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
                    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<rss><channel><title>&b;'
                    "</title></channel></rss>\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="refused: it declares a DTD"):
        run("wordpress", bomb, site)
    broken = tmp_path / "broken.xml"
    broken.write_text('<?xml version="1.0"?>\n<rss>\n<channel>\n</rss>\n', encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"broken.xml:4: not a readable XML file"):
        run("wordpress", broken, site)
    with pytest.raises(UsageError, match='cannot import "blogger"'):
        run("blogger", broken, site)


def test_hostile_names_and_paths_stay_inside_content(site: Path, tmp_path: Path) -> None:
    source = tmp_path / "evil"
    (source / "_posts").mkdir(parents=True)
    (tmp_path / "secret.jpg").write_bytes(b"not for you")
    (source / "_posts" / "2024-01-01-x.md").write_text(
        "---\ntitle: Escape\nslug: ../../../outside\ncategories: [\"../../etc\"]\n"
        "author: Eve\n---\n\n![a secret](/../../secret.jpg)\n\n[also](../../secret.jpg)\n",
        encoding="utf-8")
    report = run("jekyll", source, site)
    assert [a.path for a in report.articles] == ["content/news/outside.md"]
    written = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert written == ["content/news/outside.md", "import-report-jekyll.md", "sitegen.toml"]
    _, body = article(site, "news/outside.md")
    assert "![a secret](/../../secret.jpg)" in body
    assert [(fix.line, fix.message.split(":")[0]) for fix in report.fixes] == [
        (9, 'picture "/../../secret.jpg" was not found in the source'),
        (11, 'link "../../secret.jpg" leads to nothing this import brought')]
    assert_builds(site)


def test_missing_sources_are_usage_errors(site: Path, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="not a folder"):
        run("jekyll", tmp_path / "nothing", site)
    (tmp_path / "empty").mkdir()
    with pytest.raises(ImportFailed, match="no _posts folder"):
        run("jekyll", tmp_path / "empty", site)
    with pytest.raises(ImportFailed, match="no content/ folder"):
        run("hugo", tmp_path / "empty", site)
    with pytest.raises(ImportFailed, match="no such file"):
        run("wordpress", tmp_path / "empty" / "export.xml", site)


# -- the pieces -----------------------------------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("https://www.youtube.com/embed/Xk3v9Qa2LmE?feature=oembed",
     "https://www.youtube.com/watch?v=Xk3v9Qa2LmE"),
    ("https://youtu.be/Xk3v9Qa2LmE?t=90", "https://www.youtube.com/watch?v=Xk3v9Qa2LmE&t=90s"),
    ("//www.youtube-nocookie.com/embed/Xk3v9Qa2LmE", "https://www.youtube.com/watch?v=Xk3v9Qa2LmE"),
    ("https://www.youtube.com/shorts/Xk3v9Qa2LmE", "https://www.youtube.com/watch?v=Xk3v9Qa2LmE"),
    ("https://player.vimeo.com/video/123456789?h=0a1b2c&title=0", "https://vimeo.com/123456789"),
    ("https://docs.google.com/forms/d/e/FORMID/viewform?embedded=true",
     "https://docs.google.com/forms/d/e/FORMID/viewform"),
    ("https://docs.google.com/document/d/e/DOCID/pub?embedded=true",
     "https://docs.google.com/document/d/e/DOCID/"),
    ("https://docs.google.com/presentation/d/e/KEY/embed?start=false&amp;loop=false",
     "https://docs.google.com/presentation/d/e/KEY/"),
    ("https://www.google.com/maps/embed?pb=!1m18!1m12", "https://www.google.com/maps/embed?pb=!1m18!1m12"),
    ("https://www.google.com/maps/d/embed?mid=MAPID", None),  # not one sitegen embeds
    ("https://docs.google.com/spreadsheets/d/e/KEY/pubhtml", None),
    ("https://www.youtube.com/embed/short", None),
    ("https://example.com/embed/Xk3v9Qa2LmE", None),
])
def test_embeds_become_canonical_page_urls(url: str, expected: str | None) -> None:
    found = embed(url)
    assert (found[0] if found else None) == expected


def test_social_posts_and_embed_titles() -> None:
    assert social("https://x.com/gazette/status/123?s=20") == (
        "[Post by @gazette on X](https://x.com/gazette/status/123)")
    assert social("https://www.instagram.com/p/AbC-12/?utm_source=ig_embed",
                  "A post shared by The Gazette (@the.gazette)") == (
        "[Post by @the.gazette on Instagram](https://www.instagram.com/p/AbC-12/)")
    assert embed_line("https://docs.google.com/forms/d/e/X/viewform", "") == (
        "[Form](https://docs.google.com/forms/d/e/X/viewform)")
    assert embed_line("https://youtu.be/Xk3v9Qa2LmE", "Our [best] game") == (
        r"[Our \[best\] game](https://www.youtube.com/watch?v=Xk3v9Qa2LmE)")


@pytest.mark.parametrize("written, names", [
    (["Mina Park & Jun Seo"], ["Mina Park", "Jun Seo"]),
    (["Mina Park and Jun Seo"], ["Mina Park", "Jun Seo"]),
    (["Mina Park, Jun Seo, and Ha-eun Choi"], ["Mina Park", "Jun Seo", "Ha-eun Choi"]),
    (["By Sandra Anderson"], ["Sandra Anderson"]),
    (["Martin Cole, Jr. and Ann Lee"], ["Martin Cole, Jr.", "Ann Lee"]),
    (["박서연, 이준호"], ["박서연", "이준호"]),
    (["Mina Park", "Mina Park"], ["Mina Park"]),
])
def test_bylines_are_split(written: list[str], names: list[str]) -> None:
    assert split_authors(written) == names


@pytest.mark.parametrize("caption, split", [
    ("The final buzzer (Photo: Jun Seo)", ("The final buzzer", "Photo: Jun Seo")),
    ("The final buzzer | Photo by Jun Seo", ("The final buzzer", "Photo by Jun Seo")),
    ("The final buzzer", ("The final buzzer", "")),
    ("Photo: Jun Seo", ("Photo: Jun Seo", "")),
])
def test_credits_are_split_from_captions(caption: str, split: tuple[str, str]) -> None:
    assert split_credit(caption) == split


def test_every_reported_line_holds_what_it_names(site: Path) -> None:
    for kind, source in (("jekyll", JEKYLL), ("hugo", HUGO), ("wordpress", EXPORT)):
        report = run(kind, source, site)
        for fix in report.fixes:
            syntax = re.search(r"left as it was: (.*) - write", fix.message)
            if syntax:
                line = (site / fix.path).read_text(encoding="utf-8").split("\n")[fix.line - 1]
                assert syntax.group(1) in line, str(fix)
