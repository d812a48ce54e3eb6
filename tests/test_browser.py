"""The example publication in real headless Chromium (Debian's, driven by Playwright), built
in English and in Korean and served on 127.0.0.1 under its base path: every page kind loads
cleanly and offline, fits a 375 px phone and a desktop, passes axe-core in light and dark,
works from the keyboard, finds stories with Pagefind's search, loads the right photo copies,
loads embeds only on a click, and prints as an article should. Screenshots of the front page
and an article go to $SITEGEN_SCREENSHOTS, else a temporary folder (printed under "figures").

Chromium is a system package: `make test` installs it (see the Makefile). There is no skip:
without /usr/bin/chromium these tests fail and say how to install it."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import REPO
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Request,
    Response,
    Route,
    sync_playwright,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from sitegen.build import BuildOptions, build
from sitegen.serve import CONTENT_TYPES, resolve_request

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
BASE_PATH = "/gazette/"
LANGUAGES = ("en", "ko")  # the repository's site as it is, and a copy with language = "ko"
NARROW_PHONE = {"width": 375, "height": 667}  # the narrowest phone in common use
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# One page of each kind the theme renders (paths under the base path).
PAGES = {
    "front page": "",
    "article with photo": "sports/girls-basketball-semifinal/",
    "article with gallery and embed": "sports/track-regionals/",
    "article in Korean": "features/%EC%B6%94%EC%84%9D%EB%A7%9E%EC%9D%B4-%EC%A0%84%ED%86%B5"
                         "-%EB%86%80%EC%9D%B4-%ED%95%9C%EB%A7%88%EB%8B%B9/",
    "section": "sports/",
    "tag": "tags/student-council/",
    "author": "authors/mina-park/",
    "staff": "staff/",
    "archive": "archive/",
    "issue": "issues/vol-12-no-3/",
    "search": "search/",
    "corrections": "corrections/",
    "plain page": "about/",
    "404": "no-such-page/",
}
# The real student article from seeds/ (content/world/north-korean-workers-russia.md).
SEED_ARTICLE = "world/north-korean-workers-russia/"


class _Handler(BaseHTTPRequestHandler):
    """Static files under the base path, as GitHub Pages serves them (404.html on a miss),
    through the dev server's own path mapping but without its live-reload script."""

    server: _SiteServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib's name
        found = resolve_request(self.server.site_dir, BASE_PATH, self.path)
        if isinstance(found, str):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", found)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = HTTPStatus.OK if found else HTTPStatus.NOT_FOUND
        found = found or self.server.site_dir / "404.html"
        body = found.read_bytes()
        self.send_response(status)
        self.send_header("Content-Type",
                         CONTENT_TYPES.get(found.suffix.lower(), "application/octet-stream"))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir.resolve()
        super().__init__(("127.0.0.1", 0), _Handler)  # port 0: any free port


def _korean_copy(folder: Path) -> Path:
    """The example publication copied into ``folder`` with ``language = "ko"`` in its
    sitegen.toml (the timezone stays Asia/Seoul): theme strings and dates in Korean."""
    folder.mkdir()
    for name in ("content", "static", "templates", "themes"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, folder / name)
    config = (REPO / "sitegen.toml").read_text(encoding="utf-8")
    assert 'language = "en"' in config, "the example's sitegen.toml no longer says language"
    (folder / "sitegen.toml").write_text(config.replace('language = "en"', 'language = "ko"'),
                                         encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def site_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The example site in each of LANGUAGES, built into a temporary folder and served on
    its own port of 127.0.0.1: {"en": "http://127.0.0.1:<port>/gazette/", "ko": ...}."""
    root = tmp_path_factory.mktemp("browser-sites")
    sources = {"en": REPO, "ko": _korean_copy(root / "ko-source")}
    servers: dict[str, _SiteServer] = {}
    # One photo cache for both, out of the checkout: the second build reuses the copies.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITEGEN_CACHE_DIR", str(root / "sitegen-cache"))
        for language, source in sources.items():
            output = root / f"site-{language}"
            build(source, BuildOptions(output=output))
            servers[language] = _SiteServer(output)
    threads = [threading.Thread(target=server.serve_forever, daemon=True)
               for server in servers.values()]
    for thread in threads:
        thread.start()
    try:
        yield {language: f"http://127.0.0.1:{server.server_address[1]}{BASE_PATH}"
               for language, server in servers.items()}
    finally:
        for server in servers.values():
            server.shutdown()
            server.server_close()
        for thread in threads:
            thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium. "
                    "`make test` run as root installs it (as in CI); otherwise run "
                    "`sudo apt-get install chromium`.", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $SITEGEN_SCREENSHOTS if set, else a temporary folder (never
    the checkout)."""
    chosen = os.environ.get("SITEGEN_SCREENSHOTS")
    folder = Path(chosen).resolve() if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Visit:
    """A page open in a fresh browser context, with everything that went wrong meanwhile."""

    page: Page
    problems: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    pending: set[Request] = field(default_factory=set)

    def settle(self) -> None:
        """Wait until every request the page has started is done: quicker than Playwright's
        "networkidle", which always waits half a second more."""
        self.page.evaluate("() => new Promise(done => "
                           "requestAnimationFrame(() => requestAnimationFrame(done)))")
        for _ in range(400):
            if not self.pending:
                return
            self.page.wait_for_timeout(25)
        raise AssertionError(f"requests still running: {[r.url for r in self.pending]}")

    def check(self) -> None:
        """Once settled: nothing went wrong, nothing left 127.0.0.1."""
        self.settle()
        assert self.problems == [], self.problems
        assert self.outside == [], self.outside


@pytest.fixture
def open_page(browser: Browser, site_urls: dict[str, str]) -> Iterator[Callable[..., Visit]]:
    """``open_page(path, viewport=DESKTOP, status=200, lang="en")``: load a page of the site
    in that language and record console errors, script errors, failed requests, error
    responses and requests that would leave 127.0.0.1 (those are aborted, so the tests never
    reach the network)."""
    contexts = []

    def open_(path: str, viewport: dict[str, int] = DESKTOP, status: int = 200,
              lang: str = "en", **context_options: object) -> Visit:
        context = browser.new_context(viewport=viewport, **context_options)
        contexts.append(context)
        page = context.new_page()
        visit = Visit(page)

        def leave(route: Route) -> None:
            visit.outside.append(route.request.url)
            route.abort()

        context.route(lambda url: urlsplit(url).hostname != "127.0.0.1", leave)
        main_url = site_urls[lang] + path

        def console(message: ConsoleMessage) -> None:
            # Chromium logs the 404 page's own status as an error; that one is expected.
            if message.type == "error" and not (
                    status != 200 and message.location.get("url") == main_url):
                visit.problems.append(f"console: {message.text} ({message.location})")

        page.on("console", console)
        page.on("pageerror", lambda error: visit.problems.append(f"script error: {error}"))
        page.on("request", lambda request: visit.pending.add(request))
        page.on("requestfinished", lambda request: visit.pending.discard(request))

        def failed(request: Request) -> None:
            visit.pending.discard(request)
            visit.problems.append(f"failed: {request.url} ({request.failure})")

        page.on("requestfailed", failed)

        def check_status(response: Response) -> None:
            expected = status if response.url == main_url else 200
            if response.status != expected:
                visit.problems.append(f"HTTP {response.status}: {response.url}")

        page.on("response", check_status)
        page.goto(main_url, wait_until="load")
        return visit

    yield open_
    for context in contexts:
        context.close()


def _status(path: str) -> int:
    return 404 if path == PAGES["404"] else 200


def _overflow(page: Page) -> int:
    """How far the page scrolls sideways, in CSS pixels (0 or less: it does not)."""
    return page.evaluate("document.documentElement.scrollWidth - "
                         "document.documentElement.clientWidth")


# Page kinds photographed at each width by the test below, for people to look at.
SCREENSHOTS = {"front page": "front-page", "article with photo": "article"}
EVERY_PHOTO_THEN_THE_END = """() => {
  document.querySelectorAll("img[loading=lazy]").forEach(img => { img.loading = "eager"; });
  window.scrollTo(0, document.body.scrollHeight);
}"""
AXE_SCRIPT = Axe().axe_script  # axe-core, as axe-playwright-python ships it


def _axe_violations(page: Page) -> list[str]:
    """Every axe-core violation, whatever its impact, in the light and the dark scheme."""
    page.evaluate(AXE_SCRIPT)
    found = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        violations = page.evaluate("axe.run({resultTypes: ['violations']})"
                                   ".then(results => results.violations)")
        found += [f"{scheme}: {v['id']} ({v['impact']}): {v['help']}: "
                  f"{[node['target'] for node in v['nodes']][:5]}" for v in violations]
    return found


@pytest.mark.parametrize("kind", PAGES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_loads_cleanly_offline_fits_and_passes_axe_in_light_and_dark(
        open_page: Callable[..., Visit], screenshot_dir: Path,
        record_property: Callable[[str, object], None], lang: str, kind: str) -> None:
    """At 375, 390 and 1280 px: the page and every photo on it (lazy ones made eager) load
    with no error and nothing off 127.0.0.1, and nothing scrolls sideways; then axe-core
    finds no violation of any impact. One test rather than two, so that each page loads
    once per width (the module's runtime). Front page and article: full-page screenshots
    into screenshot_dir."""
    path = PAGES[kind]
    for viewport in (NARROW_PHONE, DESKTOP):
        visit = open_page(path, viewport=viewport, status=_status(path), lang=lang)
        page = visit.page
        page.evaluate(EVERY_PHOTO_THEN_THE_END)
        visit.check()
        assert _overflow(page) <= 0, \
            f"{viewport['width']}px wide: scrolls sideways by {_overflow(page)}px"
        if viewport is NARROW_PHONE:  # a common wider phone: the same page, resized
            page.set_viewport_size(PHONE)
            assert _overflow(page) <= 0, \
                f"{PHONE['width']}px wide: scrolls sideways by {_overflow(page)}px"
            visit.check()  # it may choose other photo copies
        page.evaluate("window.scrollTo(0, 0)")
        if kind in SCREENSHOTS:
            page.set_viewport_size(viewport)
            shot = screenshot_dir / f"{lang}-{SCREENSHOTS[kind]}-{viewport['width']}.png"
            page.screenshot(path=shot, full_page=True)
            record_property("figure", f"screenshot: {shot}")
    icons = page.eval_on_selector_all(
        "link[rel~=icon], link[rel=apple-touch-icon]", "links => links.map(l => l.href)")
    assert len(icons) >= 2, "the page links no favicon and apple-touch-icon"
    for icon in icons:
        response = page.request.get(icon)
        assert response.ok and response.headers["content-type"].startswith("image/"), icon
    found = _axe_violations(page)
    assert found == [], "\n".join(found)


# Which of the stops the Tab order should reach the element with focus is, if any.
TAB_STOP = """(sections) => {
  const el = document.activeElement;
  const stories = [...document.querySelectorAll("#site-main a[href]")].filter(
    a => sections.some(section => a.pathname.startsWith(section) && a.pathname !== section));
  if (el.matches("#site-search input")) return "search box";
  if (el.closest("#site-nav")) return "section menu";
  if (el === stories[0]) return "first story link";
  return "other";
}"""
MAX_TABS = 20  # the example takes 14: skip link, masthead, issue, search, 9 menu entries


@pytest.mark.parametrize("viewport", [pytest.param(NARROW_PHONE, id="phone"),
                                      pytest.param(DESKTOP, id="desktop")])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_keyboard_alone_reaches_search_sections_and_the_first_story(
        open_page: Callable[..., Visit], lang: str, viewport: dict[str, int]) -> None:
    page = open_page(PAGES["front page"], viewport=viewport, lang=lang).page
    sections = page.eval_on_selector_all("#site-nav a", "links => links.map(a => a.pathname)")
    reached: dict[str, int] = {}
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        reached.setdefault(page.evaluate(TAB_STOP, sections), presses)
        if "first story link" in reached:
            break
    reached.pop("other", None)
    # In the order they stand on the page: the search box above the section menu.
    assert list(reached) == ["search box", "section menu", "first story link"], \
        f"within {MAX_TABS} presses of Tab: {reached}"
    story = page.evaluate("document.activeElement.pathname")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == story)
    assert page.locator(".story-title").count() == 1


FOCUS_STATE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName, cls: el.className, text: (el.textContent || "").trim().slice(0, 40),
          outline: [style.outlineStyle, style.outlineWidth, style.outlineColor].join(" "),
          boxShadow: style.boxShadow, tabIndex: el.tabIndex};
}"""

BLURRED_OUTLINE = """() => {
  const el = document.activeElement;
  el.blur();
  const style = getComputedStyle(el);
  const outline = [style.outlineStyle, style.outlineWidth, style.outlineColor].join(" ");
  el.focus({focusVisible: true});
  return outline;
}"""


@pytest.mark.parametrize("path", [pytest.param(PAGES["front page"], id="front page"),
                                  pytest.param(PAGES["article with gallery and embed"],
                                               id="article")])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_keyboard_skip_link_first_and_every_focus_visible(
        open_page: Callable[..., Visit], path: str, scheme: str) -> None:
    page = open_page(path, color_scheme=scheme).page
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS_STATE)
    assert "skip-link" in first["cls"], f"the first Tab reaches {first}, not the skip link"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link is off screen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "site-main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('site-main')"
                         ".contains(document.activeElement)"), "Tab after the skip link left main"
    # From the top again: every stop of the Tab order shows an outline it has not unfocused.
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    page.keyboard.press("Tab")
    seen = []
    for _ in range(200):
        state = page.evaluate(FOCUS_STATE)
        if state["tag"] == "BODY" or (seen and "skip-link" in state["cls"]):
            break
        seen.append(state)
        style, width = state["outline"].split(" ")[:2]
        unfocused = page.evaluate(BLURRED_OUTLINE)
        assert style != "none" and float(width.removesuffix("px")) >= 2, state
        assert unfocused != state["outline"], f"no outline change on focus: {state}"
        page.keyboard.press("Tab")
    assert len(seen) > 10, seen


def _relative_luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(css: str) -> tuple[float, float, float]:
    r, g, b = (float(n) for n in re.findall(r"[\d.]+", css)[:3])
    return r, g, b


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_focus_outline_contrasts_with_the_page(open_page: Callable[..., Visit],
                                                   scheme: str) -> None:
    page = open_page(PAGES["front page"], color_scheme=scheme).page
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the skip link: a link on the page itself
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    paper = page.evaluate("getComputedStyle(document.body).backgroundColor")
    lighter, darker = sorted((_relative_luminance(_rgb(outline)),
                              _relative_luminance(_rgb(paper))), reverse=True)
    ratio = (lighter + 0.05) / (darker + 0.05)
    assert ratio >= 3, f"focus outline {outline} on {paper}: {ratio:.2f}:1, needs 3:1"


COPY = re.compile(r"-\d+w\.(webp|jpg|png)$")


@pytest.mark.parametrize(("path", "selector"), [
    pytest.param(PAGES["front page"], ".lead-figure img", id="front page"),
    pytest.param(PAGES["article with photo"], ".story-figure img", id="article")])
@pytest.mark.parametrize(("viewport", "width"), [pytest.param(PHONE, 480, id="phone"),
                                                 pytest.param(DESKTOP, 960, id="desktop")])
def test_the_lead_photo_is_eager_and_a_srcset_copy_fits_the_screen(
        open_page: Callable[..., Visit], viewport: dict[str, int], width: int, path: str,
        selector: str) -> None:
    page = open_page(path, viewport=viewport).page
    lead = page.locator(selector)
    # No loading="lazy" (Chromium reports the default as "auto", which loads at once) and
    # fetched first.
    assert lead.evaluate("img => [img.loading, img.fetchPriority]") in (
        ["auto", "high"], ["eager", "high"])
    assert lead.evaluate("img => img.complete && img.naturalWidth > 0")
    current = lead.evaluate("img => img.currentSrc")
    assert COPY.search(current) and f"-{width}w." in current, current


def test_photos_below_the_lead_are_lazy_and_load_a_copy(open_page: Callable[..., Visit]) -> None:
    page = open_page(PAGES["article with gallery and embed"]).page
    gallery = page.locator(".gallery img")
    assert gallery.count() >= 3
    assert gallery.evaluate_all("imgs => imgs.map(img => img.loading)") == ["lazy"] * 3
    gallery.first.scroll_into_view_if_needed()
    page.wait_for_function("[...document.querySelectorAll('.gallery img')]"
                           ".every(img => img.complete && img.currentSrc)")
    for current in gallery.evaluate_all("imgs => imgs.map(img => img.currentSrc)"):
        assert COPY.search(current), current
    related = page.locator("#related img")
    assert related.evaluate_all("imgs => imgs.every(img => img.loading === 'lazy')")
    front = open_page(PAGES["front page"]).page
    cards = front.locator(".card-image")
    assert cards.count() and cards.evaluate_all(
        "imgs => imgs.every(img => img.loading === 'lazy')")


def test_an_embed_loads_nothing_until_clicked_then_the_privacy_player(
        open_page: Callable[..., Visit]) -> None:
    visit = open_page(PAGES["article with gallery and embed"])
    page = visit.page
    player_requests = []

    def player(route: Route) -> None:  # stays offline: an empty page stands in for YouTube
        player_requests.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>p</title>")

    page.route("https://www.youtube-nocookie.com/**", player)
    visit.settle()
    assert page.locator("iframe").count() == 0
    assert visit.outside == [] and player_requests == []
    link = page.locator("a.embed-link")
    title = link.get_attribute("data-title")
    link.click()
    frame = page.locator("iframe.embed-frame")
    frame.wait_for()
    src = frame.get_attribute("src") or ""
    assert src.startswith("https://www.youtube-nocookie.com/embed/"), src
    assert frame.get_attribute("title") == title
    visit.settle()
    assert player_requests and player_requests[0].startswith(src)
    assert visit.outside == [] and visit.problems == []


AFTER_CONTENT = "(el) => getComputedStyle(el, '::after').content"


@pytest.mark.parametrize("path", [
    pytest.param(PAGES["article with gallery and embed"], id="photos and embed"),
    pytest.param(PAGES["article in Korean"], id="footnotes"),
    pytest.param("news/late-bus-permanent/", id="link")])
def test_print_hides_the_frame_and_shows_where_links_go(open_page: Callable[..., Visit],
                                                        path: str) -> None:
    page = open_page(path).page
    page.emulate_media(media="print")
    for hidden in ("#site-nav", "#site-footer", ".skip-link", ".story-pager", "#related"):
        for element in page.locator(hidden).all():
            assert not element.is_visible(), f"{hidden} prints"
    assert page.locator(".story-title").is_visible()
    assert page.locator(".article-body").is_visible()
    links = page.locator(".article-body a[href]:not([href^='#'])")
    assert links.count() or page.locator(".article-body a[href^='#']").count()
    for link in links.all():
        href = link.get_attribute("href") or ""
        assert href in link.evaluate(AFTER_CONTENT), f"{href} is not printed after its link"
    for note in page.locator(".article-body a[href^='#']").all():  # footnote marks
        assert note.evaluate(AFTER_CONTENT) in ("none", "normal")
    page.emulate_media(media="screen")
    assert page.locator("#site-nav").is_visible()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_korean_breaks_between_words_and_still_fits_a_phone(
        open_page: Callable[..., Visit], lang: str) -> None:
    page = open_page(PAGES["article in Korean"], viewport=NARROW_PHONE, lang=lang).page
    assert page.evaluate("document.documentElement.lang") == lang
    title = page.locator(".story-title")
    expected = "keep-all" if lang == "ko" else "normal"
    assert title.evaluate("el => getComputedStyle(el).wordBreak") == expected
    fonts = page.locator(".story-meta").evaluate("el => getComputedStyle(el).fontFamily")
    if lang == "ko":
        assert "Noto Sans KR" in fonts and "Apple SD Gothic Neo" in fonts, fonts
    assert _overflow(page) <= 0


# Words from the stories whose pages should come up when searching for them.
KOREAN_ARTICLE = unquote(PAGES["article in Korean"])  # content/features/추석맞이-….md
SEARCHES = [
    pytest.param("en", "Luhansk", SEED_ARTICLE, id="en-Luhansk"),
    pytest.param("en", "Pyongyang", SEED_ARTICLE, id="en-Pyongyang"),
    pytest.param("en", "윷놀이", KOREAN_ARTICLE, id="en-yunnori"),
    pytest.param("ko", "윷놀이", KOREAN_ARTICLE, id="ko-yunnori"),
    pytest.param("ko", "Luhansk", SEED_ARTICLE, id="ko-Luhansk"),
]
RESULT_PATHS = "links => links.map(a => decodeURIComponent(a.pathname))"


def _wait_for_result(page: Page, story: str) -> list[str]:
    """Wait (up to 10 s) for Pagefind's results to list the page at ``story`` (a path under
    the base path, not percent-encoded); returns the paths listed by then."""
    try:
        page.wait_for_function(
            "want => [...document.querySelectorAll('.pagefind-ui__result-link')]"
            ".some(a => decodeURIComponent(a.pathname) === want)",
            arg=BASE_PATH + story, timeout=10_000)
    except PlaywrightTimeoutError:
        pass
    return page.eval_on_selector_all(".pagefind-ui__result-link", RESULT_PATHS)


@pytest.mark.parametrize(("lang", "word", "story"), SEARCHES)
def test_search_finds_a_story_by_a_word_in_it(open_page: Callable[..., Visit], lang: str,
                                              word: str, story: str) -> None:
    visit = open_page(f"search/?q={word}", lang=lang)
    found = _wait_for_result(visit.page, story)
    assert BASE_PATH + story in found, f"searching {word!r} lists {found}"
    visit.check()


@pytest.mark.parametrize(("lang", "word", "story"), [
    pytest.param("en", "Pyongyang", SEED_ARTICLE, id="en"),
    pytest.param("ko", "윷놀이", KOREAN_ARTICLE, id="ko")])
def test_the_header_search_box_submits_with_enter_to_the_results(
        open_page: Callable[..., Visit], lang: str, word: str, story: str) -> None:
    visit = open_page(PAGES["article with photo"], lang=lang)
    visit.settle()  # leaving cuts off whatever the page still loads: a failed request
    page = visit.page
    page.locator("#site-search input").focus()
    page.keyboard.type(word)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == BASE_PATH + "search/"
                      and parse_qs(urlsplit(url).query).get("q") == [word])
    found = _wait_for_result(page, story)
    assert BASE_PATH + story in found, f"searching {word!r} from the header lists {found}"
    assert page.locator(".pagefind-ui__search-input").input_value() == word
    visit.check()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_no_violation_in_search_results(open_page: Callable[..., Visit],
                                                  lang: str) -> None:
    page = open_page("search/?q=Luhansk", lang=lang).page
    _wait_for_result(page, SEED_ARTICLE)
    page.locator(".pagefind-ui__filter-name").first.click()  # one filter group open
    found = _axe_violations(page)
    assert found == [], "\n".join(found)
