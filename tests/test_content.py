from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from conftest import NOW, article, memory_build

from sitegen.errors import BuildFailed


def build_errors(root) -> list[str]:
    with pytest.raises(BuildFailed) as caught:
        memory_build(root)
    return [str(e) for e in caught.value.errors]


def test_front_matter_fields_are_parsed(make_site) -> None:
    root = make_site({
        "sitegen.toml": 'timezone = "Asia/Seoul"\n',
        "content/news/vote.md": article(
            title="Council votes", date="2025-03-04 08:30",
            extra="""
                grade: 11
                tags: [Student Council, Budget]
                summary: The council voted.
                featured: true
                updated: 2025-03-05
                issue: "Vol. 12, No. 3"
                corrections:
                  - {date: 2025-03-06, text: An earlier version misspelled a name.}
                color: blue
            """),
    })
    built = memory_build(root)
    [story] = built.site.articles
    assert story.title == "Council votes"
    assert story.date == dt.datetime(2025, 3, 4, 8, 30, tzinfo=built.config.zone)
    assert story.date.utcoffset() == dt.timedelta(hours=9)
    assert [(b.name, b.grade) for b in story.bylines] == [("Min Kim", 11)]
    assert [t.name for t in story.tags] == ["Student Council", "Budget"]
    assert story.featured and not story.breaking
    assert story.updated is not None and story.updated.date() == dt.date(2025, 3, 5)
    assert story.corrections[0].date == dt.date(2025, 3, 6)
    assert story.issue == "Vol. 12, No. 3"
    assert story.extra == {"color": "blue"}
    assert story.url == "/news/vote/"
    assert built.warnings == []


def test_multi_author_byline(make_site) -> None:
    root = make_site({"content/features/crew.md": """
        ---
        title: The night crew
        date: 2025-01-02
        section: features
        author:
          - {name: Sofia Reyes, grade: 10, role: Staff Reporter}
          - {name: Jun Seo, grade: 11, role: Photographer}
        ---
        Text.
        """})
    [story] = memory_build(root).site.articles
    assert [(b.name, b.grade, b.role, b.url) for b in story.bylines] == [
        ("Sofia Reyes", 10, "Staff Reporter", "/authors/sofia-reyes/"),
        ("Jun Seo", 11, "Photographer", "/authors/jun-seo/"),
    ]


def test_tags_merge_across_case_spaces_and_hyphens(make_site) -> None:
    root = make_site({
        "content/news/a.md": article("A", date="2025-01-01", extra="tags: [Student Council]"),
        "content/news/b.md": article("B", date="2025-01-02", extra="tags: [student council]"),
        "content/news/c.md": article("C", date="2025-01-03", extra="tags: [student-council]"),
        "content/news/d.md": article("D", date="2025-01-04", extra="tags: [Student Council]"),
    })
    site = memory_build(root).site
    [tag] = site.tags
    assert tag.key == "student-council"
    assert tag.name == "Student Council"  # the most used spelling
    assert [a.title for a in tag.articles] == ["D", "C", "B", "A"]


def test_drafts_and_future_articles_are_left_out_unless_asked(make_site) -> None:
    root = make_site({
        "content/news/now.md": article("Now", date="2025-01-01"),
        "content/news/draft.md": article("Draft", date="2025-01-01", extra="draft: true"),
        "content/news/later.md": article("Later", date=str((NOW + dt.timedelta(days=2)).date())),
    })
    titles = lambda **kw: sorted(a.title for a in memory_build(root, **kw).site.articles)  # noqa: E731
    assert titles() == ["Now"]
    assert titles(drafts=True) == ["Draft", "Now"]
    assert titles(future=True) == ["Later", "Now"]


def test_every_error_names_file_and_line_and_all_are_reported(make_site) -> None:
    root = make_site({
        "content/news/fields.md": """
            ---
            title: Fine
            date: March 5
            section: newz
            author: Min Kim
            grade: 14
            image: photo.jpg
            ---
            Body.
            """,
        "content/news/yaml.md": '---\ntitle: "unclosed\ndate: 2025-01-01\n---\n',
        "content/news/missing.md": "---\ntitle: Only a title\n---\n",
        "content/news/latin1.md": b"---\ntitle: caf\xe9\n---\n",
        "content/news/plain.md": "Just text, no front matter.\n",
        "content/news/unclosed.md": "---\ntitle: x\n",
    })
    assert build_errors(root) == [
        'content/news/fields.md:3: "date": \'March 5\' is not a date; write it as 2025-03-14 '
        "or 2025-03-14 08:30",
        'content/news/fields.md:4: unknown section "newz" (did you mean "news"?); sections '
        "are: news, opinion, features, sports, arts, science, world, campus",
        'content/news/fields.md:6: "grade" must be a whole number from 9 to 12, not 14',
        'content/news/fields.md:7: "image_alt" is required with "image": describe the picture '
        "for readers who cannot see it, or write image_alt: decorative if it only decorates",
        'content/news/fields.md:7: image "photo.jpg" not found (looked for content/news/photo.jpg)',
        "content/news/latin1.md:2: not valid UTF-8 text; save the file as UTF-8",
        'content/news/missing.md:1: "author" is required, e.g. author: "Min Kim"',
        'content/news/missing.md:1: "date" is required, e.g. date: 2025-03-14',
        'content/news/missing.md:1: "section" is required',
        "content/news/plain.md:1: no front matter: start the file with a line of ---, then "
        "title, date, section and author, then another ---",
        "content/news/unclosed.md:1: front matter is not closed: add a line of --- after it",
        "content/news/yaml.md:2: front matter is not valid YAML: while scanning a quoted "
        "scalar, found unexpected end of stream (line 4)",
    ]


def test_yaml_tags_never_execute(make_site, tmp_path) -> None:
    marker = tmp_path / "pwned"
    root = make_site({"content/news/evil.md":
                      f'---\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n---\n'})
    [error] = build_errors(root)
    assert error.startswith("content/news/evil.md:2: front matter is not valid YAML")
    assert not marker.exists()


def test_typo_of_a_known_key_is_a_warning_and_the_value_is_kept(make_site) -> None:
    root = make_site({"content/news/a.md": article(extra="sumary: Oops")})
    built = memory_build(root)
    assert [str(w) for w in built.warnings] == [
        'content/news/a.md:6: unknown key "sumary" (did you mean "summary"?); it is kept for '
        "templates"]
    assert built.site.articles[0].extra == {"sumary": "Oops"}


def test_grade_with_several_authors_and_bad_author_entries(make_site) -> None:
    root = make_site({"content/news/a.md": article(author="[Min Kim, {grade: 10}]",
                                                   extra="grade: 10")})
    assert build_errors(root) == [
        "content/news/a.md:5: each author needs a \"name\"",
        "content/news/a.md:6: with several authors, give each one's grade: author: "
        "[{name: Min Kim, grade: 11}, ...]",
    ]


def test_duplicate_urls_name_both_sources(make_site) -> None:
    root = make_site({
        "content/news/a.md": article("A", extra="slug: same"),
        "content/news/b.md": article("B", extra="slug: same"),
    })
    assert build_errors(root) == [
        'content/news/b.md:1: /news/same/ is also the URL of content/news/a.md; give one of '
        'them another "slug"']


def test_unsafe_slug_and_alias_are_refused(make_site) -> None:
    root = make_site({"content/news/a.md": article(
        extra='slug: "../../etc"\naliases: ["/../../outside/"]')})
    errors = build_errors(root)
    assert errors[0].startswith('content/news/a.md:6: "slug" may hold only lowercase letters')
    assert errors[1].startswith("content/news/a.md:7: '/../../outside/' is not an old URL path")


def test_korean_file_names_give_stable_unicode_slugs(make_site) -> None:
    root = make_site({"content/features/추석 놀이.md": article("추석맞이 전통 놀이",
                                                               section="features")})
    [story] = memory_build(root).site.articles
    assert story.url == "/features/추석-놀이/"
    assert memory_build(root).site.articles[0].url == story.url


def test_staff_profiles_are_read_and_joined_to_author_pages(make_site) -> None:
    root = make_site({
        "content/news/a.md": article(author="Mina Park"),
        "content/staff/mina-park.md": "---\nname: Mina Park\nrole: Editor-in-Chief\n"
                                      "grade: 12\n---\nMina edits the paper.\n",
    })
    [author] = memory_build(root).site.authors
    assert author.profile is not None
    assert author.profile.role == "Editor-in-Chief"
    assert author.profile.bio_html == "<p>Mina edits the paper.</p>\n"


def test_staff_profiles_refuse_unknown_keys_and_impossible_class_years(make_site) -> None:
    root = make_site({
        "content/news/a.md": article(author="Mina Park"),
        "content/staff/mina-park.md": "---\nname: Mina Park\nrol: Editor\nemail: m@x.org\n"
                                      "---\nBio.\n",
        "content/staff/old.md": "---\nname: Old Timer\nclass_year: 1900\n---\n",
        "content/staff/future.md": "---\nname: Far Future\nclass_year: 2200\n---\n",
        "content/staff/text.md": '---\nname: Jun Seo\nclass_year: "2027"\n---\n',
        "content/staff/flag.md": "---\nname: Yes Man\nclass_year: true\n---\n",
        "content/staff/nameless.md": "---\nrole: Editor\n---\n",
    })
    assert build_errors(root) == [
        'content/staff/flag.md:3: "class_year" must be a year such as 2027',
        'content/staff/future.md:3: "class_year" must be a year such as 2027',
        'content/staff/mina-park.md:3: unknown key "rol" in a staff profile (did you mean '
        '"role"?)',
        'content/staff/mina-park.md:4: unknown key "email" in a staff profile',
        'content/staff/nameless.md:1: "name" is required in a staff profile',
        'content/staff/old.md:3: "class_year" must be a year such as 2027',
        'content/staff/text.md:3: "class_year" must be a year such as 2027',
    ]


def test_staff_profile_class_years_at_the_edges_are_kept(make_site) -> None:
    root = make_site({
        "content/news/a.md": article(author="[Ann Lee, Bo Kim]"),
        "content/staff/ann-lee.md": "---\nname: Ann Lee\nclass_year: 1901\n---\n",
        "content/staff/bo-kim.md": "---\nname: Bo Kim\nclass_year: 2199\n---\n",
    })
    authors = memory_build(root).site.authors
    assert {a.name: a.profile.class_year for a in authors if a.profile} == {
        "Ann Lee": 1901, "Bo Kim": 2199}


# NOW is 2026-01-15 12:00 UTC: 21:00 in Seoul, 04:00 in Los Angeles, and already the 16th
# (02:00) on Kiritimati (UTC+14).
@pytest.mark.parametrize("timezone, date, published", [
    ("UTC", "2026-01-15 12:00", True),  # due this very minute
    ("UTC", "2026-01-15 12:01", False),  # later the same day
    ("UTC", "2026-01-15", True),  # a bare date is midnight
    ("Asia/Seoul", "2026-01-15 20:59", True),  # past in Seoul, though later than 12:00 UTC
    ("Asia/Seoul", "2026-01-15 21:01", False),
    ("America/Los_Angeles", "2026-01-15 03:59", True),
    ("America/Los_Angeles", "2026-01-15 05:00", False),  # earlier than 12:00 UTC, not yet due
    ("Pacific/Kiritimati", "2026-01-16", True),  # tomorrow in UTC, today there
    ("UTC", "2026-01-15 13:00:00+02:00", True),  # an explicit offset wins over the zone
    ("Asia/Seoul", "2026-01-15 13:00:00+00:00", False),
])
def test_scheduled_articles_appear_when_their_time_comes_in_the_sites_zone(
        make_site, timezone: str, date: str, published: bool) -> None:
    root = make_site({"sitegen.toml": f'timezone = "{timezone}"\n',
                      "content/news/story.md": article("Scheduled", date=date)})
    built = memory_build(root)
    assert ("Scheduled" in [a.title for a in built.site.articles]) is published
    assert ("news/story/index.html" in built.pages) is published


def test_stories_share_their_equal_tags_and_bylines(make_site, tmp_path) -> None:
    """An archive names a few hundred tags and authors thousands of times: each is one
    object in memory, and stays one through the build cache (state.py)."""
    from sitegen.build import BuildOptions, build
    from sitegen.cache import BuildCache
    from sitegen.state import Memory
    root = make_site({
        "content/news/a.md": article("A", extra="tags: [Budget, Sports]"),
        "content/news/b.md": article("B", extra="tags: [Budget]"),
        "content/news/c.md": article("C", author="Ara Kang", extra="tags: [Sports]"),
    })
    built = memory_build(root)
    a, b, c = sorted(built.site.articles, key=lambda item: item.title)
    assert a.tags[0] is b.tags[0] and a.tags[1] is c.tags[0]
    assert a.written is b.written and a.bylines is a.written  # shown as written
    assert a.written is not c.written

    build(root, BuildOptions(now=NOW, output=tmp_path / "out"))
    memory = Memory(BuildCache(root), tmp_path / "out", (False, False, None))
    assert memory.load_record() is not None
    kept = {read.article.title: read.article
            for read in memory.load_builder(pages=False)["reads"].values()}
    assert kept["A"].tags[0] is kept["B"].tags[0] and kept["A"].written is kept["B"].written
    assert kept["A"] == dataclasses.replace(a, body=None)  # as read (the Markdown not kept)


def test_front_matter_of_too_many_values_is_refused_with_or_without_aliases() -> None:
    """The count runs when aliases could repeat values, or when the text is long enough
    to write that many; shorter front matter cannot hold them (each value has a character
    of its own)."""
    from sitegen.errors import ContentError
    from sitegen.yaml_text import MAX_NODES, load_front_matter

    many = "tags: [" + ",".join(["a"] * MAX_NODES) + "]\n"
    with pytest.raises(ContentError, match="expands to over"):
        load_front_matter(many, "content/news/many.md")
    lines, previous = ["x: &x [a, a, a, a, a, a, a, a, a, a]"], "x"
    for number in range(8):  # each list holds the last one four times: 10 * 4 ** 8 values
        lines.append(f"y{number}: &y{number} [{', '.join([f'*{previous}'] * 4)}]")
        previous = f"y{number}"
    aliased = "\n".join(lines) + "\n"
    assert len(aliased) < MAX_NODES
    with pytest.raises(ContentError, match="expands to over"):
        load_front_matter(aliased, "content/news/aliased.md")
    short = "tags: [" + ",".join(["a"] * (MAX_NODES // 2 - 10)) + "]\n"
    assert len(load_front_matter(short, "content/news/short.md")["tags"]) == MAX_NODES // 2 - 10
