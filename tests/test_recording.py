"""Templates' reads: recorded exactly as before when a build records them (watch mode), and
read by Jinja itself, at no extra cost, when it does not."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import jinja2
import pytest
from conftest import NOW, REPO, memory_build

from sitegen import deps, theme
from sitegen.bodies import StoredHTML
from sitegen.build import BuiltSite
from sitegen.models import Byline
from sitegen.render import plan

GOLDEN = REPO / "tests" / "sites" / "golden"


class RecordingAsBefore(jinja2.Environment):
    """The recording environment as it was written first: every read looks at
    ``recording``. The one in sitegen must record exactly the same reads."""

    recording: set[deps.Dep] | None = None

    def getattr(self, obj: Any, attribute: str) -> Any:
        if self.recording is not None:
            make = deps._ENTITY_KEYS.get(type(obj))
            if make:
                self.recording.add((make(obj), attribute, "a"))
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if self.recording is not None:
            make = deps._ENTITY_KEYS.get(type(obj))
            if make and isinstance(argument, str):
                self.recording.add((make(obj), argument, "i"))
        return super().getitem(obj, argument)


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("golden") / "site"
    shutil.copytree(GOLDEN, root, ignore=shutil.ignore_patterns("expected"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITEGEN_CACHE_DIR", str(root.parent / "cache"))
        return memory_build(root)


def _render(env: jinja2.Environment, built: BuiltSite, name: str, context: dict[str, Any],
            record: bool) -> tuple[str, set[deps.Dep] | None]:
    env.recording = set() if record else None  # type: ignore[attr-defined]
    try:
        html = env.get_template(name).render(site=built.site, **context)
        return html, env.recording  # type: ignore[attr-defined]
    finally:
        env.recording = None  # type: ignore[attr-defined]


def test_every_page_records_the_same_reads_as_before(
        golden: BuiltSite, monkeypatch: pytest.MonkeyPatch) -> None:
    now_theme = theme.load_theme(golden.config)
    monkeypatch.setattr(theme, "TrackingEnvironment", RecordingAsBefore)
    before_theme = theme.load_theme(golden.config)
    outputs = plan(golden.site, NOW.date(), now_theme.strings)
    assert {o.template for o in outputs} >= {"index.html", "article.html", "list.html",
                                             "terms.html", "staff.html", "corrections.html"}
    kinds = set()
    for output in outputs:
        html, reads = _render(now_theme.env, golden, output.template, output.context, True)
        html_before, reads_before = _render(before_theme.env, golden, output.template,
                                            output.context, True)
        assert reads == reads_before, output.url
        assert html == html_before, output.url
        plain, nothing = _render(now_theme.env, golden, output.template, output.context, False)
        assert plain == html and nothing is None, output.url
        kinds |= {type(key) for key, _, _ in reads}
    assert kinds == {str, tuple}  # articles (by source), terms, the site, the config...


def test_reads_by_item_and_missing_reads_are_recorded_as_before(golden: BuiltSite) -> None:
    source = ("{{ a['title'] }} {{ a.title }} {{ a['nothing'] is defined }} "
              "{{ a.nothing is defined }} {{ t['name'] }} {{ site.config['title'] }} "
              "{{ {'x': 1}['x'] }} {{ a[0] is defined }}")
    article, term = golden.site.articles[0], golden.site.tags[0]
    found = []
    for env in (theme.load_theme(golden.config).env, RecordingAsBefore()):
        env.recording = set()  # type: ignore[attr-defined]
        html = env.from_string(source).render(a=article, t=term, site=golden.site)
        found.append((html, env.recording))  # type: ignore[attr-defined]
        env.recording = None  # type: ignore[attr-defined]
    assert found[0] == found[1]
    assert (article.source, "nothing", "i") in found[0][1]


def test_without_recording_templates_read_through_jinja_itself(golden: BuiltSite) -> None:
    """Jinja's own lookups, but for a story's body, which a template gets as its text."""
    env = theme.load_theme(golden.config).env
    story = golden.site.articles[0]
    assert env.recording is None
    assert "getattr" not in vars(env) and "getitem" not in vars(env)
    assert isinstance(story.html, StoredHTML)
    assert env.getattr(story, "html") == str(story.html)
    assert type(env.getattr(story, "html")) is str
    assert env.getattr(story, "word_count") is jinja2.Environment.getattr(env, story, "word_count")
    env.recording = reads = set()
    assert env.getattr(story, "title") == story.title
    assert type(env.getattr(story, "html")) is str
    assert reads == {(story.source, "title", "a"), (story.source, "html", "a")}
    env.recording = None
    assert "getattr" not in vars(env)
    assert env.getattr(story, "url") and reads == {
        (story.source, "title", "a"), (story.source, "html", "a")}


BYLINES = [
    (Byline("Min Kim", "min-kim"),),
    (Byline("Min Kim", "min-kim", grade=11, role="Staff Reporter"),
     Byline("Jun Seo", "jun-seo", class_of=2024, has_page=False)),
    (Byline("A <b>", "a", role="Editor & Writer"), Byline("B", "b", has_page=False),
     Byline("C", "c", grade=9)),
]


def test_a_card_shows_the_kicker_byline_and_dateline_of_their_macros(
        golden: BuiltSite) -> None:
    """The card writes out the kicker, byline and dateline macros again (a macro call
    costs more than their markup): the copies must stay the same."""
    env = theme.load_theme(golden.config).env
    template = env.from_string(
        '{% import "_macros.html" as m with context %}'
        "{{ m.card(a, with_kicker=kicker) }}\n@@{{ m.kicker(a) }}\n@@{{ m.byline(a) }}"
        "\n@@{{ m.dateline(a) }}")
    checked = 0
    for article in golden.site.articles:
        for bylines in (article.bylines, *BYLINES):
            variant = dataclasses.replace(article, bylines=bylines)
            for kicker in (True, False):
                card, shown_kicker, byline, dateline = template.render(
                    a=variant, kicker=kicker, site=golden.site).split("\n@@")
                assert (f'<p class="card-kicker">{shown_kicker}</p>' in card) is kicker
                assert (f'<p class="card-meta">{byline} <span class="sep" aria-hidden="true">'
                        f"·</span> {dateline}</p>") in card
                checked += 1
    assert checked >= 8 * len(golden.site.articles)


def test_a_custom_environment_subclass_still_records(tmp_path: Path) -> None:
    """Subclasses (the tests share compiled templates through one) record the same."""

    class Shared(deps.TrackingEnvironment):
        pass

    env = Shared()
    env.recording = reads = set()
    site_config = {"title": "x"}
    assert env.from_string("{{ c.title }}").render(c=site_config) == "x"
    assert reads == set()  # a dict is no entity
