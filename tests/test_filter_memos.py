"""The theme's filters and ``t`` remember their results: they must give exactly what they
would give without remembering, whatever order the values come in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
import pytest
from markupsafe import Markup

from sitegen import theme
from sitegen.config import SiteConfig
from sitegen.images import picture_html
from sitegen.models import Copy, Picture

UTC_LATE = dt.datetime(2025, 1, 6, 23, 30, tzinfo=dt.UTC)
NEW_YORK = ZoneInfo("America/New_York")
# Equal in pairs (==, and the same hash), yet printed differently: one instant in two zones;
# the two 1:30s of the night the clocks go back (fold is ignored when comparing within one
# zone); the same offset under two names.
EQUAL_BUT_DIFFERENT = [
    (UTC_LATE, UTC_LATE.astimezone(ZoneInfo("Asia/Seoul"))),
    (dt.datetime(2025, 11, 2, 1, 30, tzinfo=NEW_YORK),
     dt.datetime(2025, 11, 2, 1, 30, fold=1, tzinfo=NEW_YORK)),
    (dt.datetime(2025, 3, 4, 9, tzinfo=dt.timezone(dt.timedelta(hours=9))),
     dt.datetime(2025, 3, 4, 9, tzinfo=dt.timezone(dt.timedelta(hours=9), "KST"))),
]
STYLES = ["long", "short", "month", "year", "%H:%M %Z", "%Y-%m-%d %z"]


@pytest.fixture
def env(tmp_path: Path) -> jinja2.Environment:
    return theme.load_theme(SiteConfig(root=tmp_path, base_url="/paper/")).env


@pytest.fixture
def korean(tmp_path: Path) -> theme.Theme:
    return theme.load_theme(SiteConfig(root=tmp_path, language="ko"))


def test_equal_datetimes_print_as_each_one_does(env: jinja2.Environment) -> None:
    strings = theme.load_theme(SiteConfig(root=Path("."))).strings
    date, isodate = env.filters["date"], env.filters["isodate"]
    for first, second in EQUAL_BUT_DIFFERENT:
        assert first == second and hash(first) == hash(second)
        for when in (first, second, first, second):
            assert isodate(when) == when.isoformat()
            for style in STYLES:
                assert date(when, style) == strings.date(when, style), (when, style)
            assert date(when) == strings.date(when, "long")
    assert isodate(EQUAL_BUT_DIFFERENT[1][0]) != isodate(EQUAL_BUT_DIFFERENT[1][1])
    assert date(EQUAL_BUT_DIFFERENT[0][0]) != date(EQUAL_BUT_DIFFERENT[0][1])  # 6th, 7th


def test_dates_days_and_other_values(env: jinja2.Environment) -> None:
    date, isodate = env.filters["date"], env.filters["isodate"]
    day = dt.date(2025, 1, 6)
    moment = dt.datetime(2025, 1, 6, 8, 0)  # naive
    assert [date(day), date(moment), date(day, "short"), date(day)] == [
        "January 6, 2025", "January 6, 2025", "Jan 6", "January 6, 2025"]
    assert [isodate(day), isodate(moment), isodate(day)] == [
        "2025-01-06", "2025-01-06T08:00:00", "2025-01-06"]
    for value in (date(day), isodate(day), date(moment, "%d")):
        assert type(value) is str


def test_dates_in_the_sites_language(korean: theme.Theme) -> None:
    date = korean.env.filters["date"]
    assert date(dt.date(2025, 1, 6)) == date(dt.date(2025, 1, 6)) == "2025년 1월 6일"


def test_the_memos_are_bounded_and_start_again(
        env: jinja2.Environment, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(theme, "MEMO_SIZE", 3)
    memo = theme._ByIdentity()
    days = [dt.date(2025, 1, n) for n in range(1, 11)]
    for day in days:
        memo.put(day, id(day), day.isoformat())
        assert len(memo._results) <= 3
    assert memo.get(days[-1], id(days[-1])) == "2025-01-10"
    assert memo.get(days[0], id(days[0])) is None
    url, isodate = env.filters["url"], env.filters["isodate"]
    for _ in range(2):
        assert [url(f"/n/{n}/") for n in range(10)] == [f"/paper/n/{n}/" for n in range(10)]
        assert [isodate(day) for day in days] == [day.isoformat() for day in days]


def test_a_result_is_never_given_for_another_object_with_the_same_id() -> None:
    memo = theme._ByIdentity()
    first = dt.datetime(2025, 1, 6, tzinfo=dt.UTC)
    memo.put(first, id(first), "first")
    other = dt.datetime(2025, 1, 7, tzinfo=dt.UTC)
    assert memo.get(other, id(first)) is None  # as if the id had been reused
    assert memo.get(first, id(first)) == "first"


def test_urls(env: jinja2.Environment) -> None:
    url = env.filters["url"]
    picture = Picture("content/a.jpg", 960, 640, "/news/a photo.jpg", "image/jpeg")
    cases = {"/news/x/": "/paper/news/x/", "/한국어 기사/": "/paper/%ED%95%9C%EA%B5%AD%EC%96%B4"
             "%20%EA%B8%B0%EC%82%AC/", "/a?b=c#d": "/paper/a?b=c#d", "": "/paper/"}
    for _ in range(2):
        for path, href in cases.items():
            assert url(path) == href and type(url(path)) is str
        assert url(Markup("/news/x/")) == "/paper/news/x/"
        assert url(picture) == "/paper/news/a%20photo.jpg"
        assert url(7) == "/paper/7"
    with pytest.raises(jinja2.UndefinedError):
        url(jinja2.StrictUndefined(name="nothing"))


COPIES = (Copy(480, 320, "/a-480.jpg", "/a-480.webp"), Copy(960, 640, "/a-960.jpg",
                                                             "/a-960.webp"))


def test_pictures(env: jinja2.Environment) -> None:
    picture = env.filters["picture"]
    photo = Picture("content/a.jpg", 960, 640, "/a-960.jpg", "image/jpeg", COPIES)
    twin = Picture("content/a.jpg", 960, 640, "/a-960.jpg", "image/jpeg", COPIES)
    other = Picture("content/b.jpg", 960, 640, "/b-960.jpg", "image/jpeg", COPIES[:1])
    href = env.filters["url"]
    calls = [((photo, "A mural"), {}), ((photo, "A mural"), {"up_to": 480}),
             ((twin, "A mural"), {"up_to": 480}), ((photo, "Another"), {"up_to": 480}),
             ((photo, "A mural"), {"eager": True}), ((photo, "A mural"), {"eager": 1}),
             ((photo, "A mural"), {"css_class": "card-image", "sizes": "22rem"}),
             ((other, "A mural"), {}), ((photo, Markup("<b>x</b>")), {}),
             ((photo, "<b>x</b>"), {})]
    for _ in range(2):
        for (image, alt), options in calls:
            html = picture(image, alt, **options)
            assert type(html) is Markup
            assert html == picture_html(image, str(alt), href, **options), options


def test_strings_called_from_templates(env: jinja2.Environment, tmp_path: Path) -> None:
    t = env.globals["t"]
    strings = theme.load_theme(SiteConfig(root=tmp_path)).strings
    calls = [("tags", None, {}), ("stories", 1, {}), ("stories", 2, {}), ("stories", True, {}),
             ("stories", 1, {}), ("correction_on", None, {"date": "<time>May</time>"}),
             ("correction_on", None, {"date": Markup("<time>May</time>")}),
             ("class_of", None, {"year": 2024}), ("class_of", None, {"year": "2024"}),
             ("page_of", None, {"number": 2, "count": 3}),
             ("page_of", None, {"count": 3, "number": 2})]
    for _ in range(2):
        for key, n, values in calls:
            said = t(key, n, **values)
            assert type(said) is Markup
            assert said == strings(key, n, **values), (key, n, values)
    assert t("correction_on", date="<b>") != t("correction_on", date=Markup("<b>"))
    assert t.text("tags") == strings.text("tags") and t.language == "en"
    for _ in range(2):
        with pytest.raises(jinja2.TemplateRuntimeError, match="no string"):
            t("no_such_key")
