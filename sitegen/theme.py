"""The Jinja environment: site templates -> site theme -> built-in theme -> built-in default."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from sitegen.config import SiteConfig
from sitegen.deps import TrackingEnvironment
from sitegen.errors import ConfigError
from sitegen.i18n import Strings, load_strings
from sitegen.images import picture_html
from sitegen.models import Picture

ASSETS_PATH = "/assets/"
_URL_SAFE = "/:#?&=%~-._+!$'()*,;@"
MEMO_SIZE = 16384  # entries each filter remembers before it starts again
_DATES = (dt.datetime, dt.date)  # immutable: safe to remember by identity
_PLAIN_VALUES = (str, int)


def builtin_themes_dir() -> Path:
    """Inside the wheel the themes sit in the package; in a checkout, beside it."""
    packaged = Path(__file__).parent / "themes"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "themes"


@dataclass(frozen=True)
class Theme:
    env: TrackingEnvironment
    template_dirs: tuple[Path, ...]  # highest priority first
    static_dirs: tuple[Path, ...]  # highest priority first
    strings: Strings


def theme_dirs(config: SiteConfig) -> list[Path]:
    """Theme folders in priority order; raises ConfigError for a theme that does not exist."""
    candidates = [config.root / "themes" / config.theme, builtin_themes_dir() / config.theme]
    found = [path for path in candidates if path.is_dir()]
    if not found:
        raise ConfigError(f'theme "{config.theme}" not found (looked in themes/ and the '
                          "built-in themes)", "sitegen.toml")
    default = builtin_themes_dir() / "default"
    if default not in found:
        found.append(default)
    unique: list[Path] = []
    for path in found:
        if path.resolve() not in [u.resolve() for u in unique]:
            unique.append(path)
    return unique


def _template_dirs(config: SiteConfig) -> tuple[Path, ...]:
    candidates = [config.root / "templates", *(d / "templates" for d in theme_dirs(config))]
    return tuple(path for path in candidates if path.is_dir())


def _strings_dirs(config: SiteConfig) -> tuple[Path, ...]:
    return tuple(d / "strings" for d in theme_dirs(config) if (d / "strings").is_dir())


def template_signature(config: SiteConfig) -> tuple:
    """Changes whenever a template or a table of strings is added, removed or edited.
    They are few and small, so their bytes are compared, not their times."""
    signature = []
    for folder in _template_dirs(config) + _strings_dirs(config):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                signature.append((str(path), hashlib.blake2b(path.read_bytes()).digest()))
    return tuple(signature)


class _Loader(jinja2.FileSystemLoader):
    """A template file that is not UTF-8 is a template error naming its file and line."""

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str | None, Callable[[], bool]]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            filename = next((str(Path(folder) / template) for folder in self.searchpath
                             if (Path(folder) / template).is_file()), template)
            line = exc.object[: exc.start].count(b"\n") + 1
            raise jinja2.TemplateSyntaxError("not valid UTF-8 text; save the file as UTF-8",
                                             line, template, filename) from None


def load_theme(config: SiteConfig) -> Theme:
    dirs = theme_dirs(config)
    template_dirs = _template_dirs(config)
    env = TrackingEnvironment(
        loader=_Loader([str(p) for p in template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Every page imports _macros.html; Jinja would look at the file's time each time.
        # No need: a template that changes makes a new theme (see template_signature).
        auto_reload=False,
    )
    strings = load_strings(config, dirs)
    install_filters(env, config, strings)
    static_dirs = tuple(d / "static" for d in dirs if (d / "static").is_dir())
    return Theme(env=env, template_dirs=template_dirs, static_dirs=static_dirs,
                 strings=strings)


def install_filters(env: jinja2.Environment, config: SiteConfig, strings: Strings) -> None:
    base_path = config.base_path
    absolute = config.absolute_base
    section_names = {s.key: s.name for s in config.sections}
    # A page prints the same few URLs, dates and photos many times over (every card has a
    # link, a date and a section link), so the filters remember what they gave, per theme
    # load: URLs by their text; dates and pictures by identity (see _ByIdentity).
    hrefs: dict[str, str] = {}
    dates, isodates, pictures = _ByIdentity(), _ByIdentity(), _ByIdentity()

    def url(path: str) -> str:
        if type(path) is not str:  # a Picture, say: its str() is its URL
            return base_path + quote_path(str(path))
        href = hrefs.get(path)
        if href is None:
            if len(hrefs) >= MEMO_SIZE:
                hrefs.clear()
            href = hrefs[path] = base_path + quote_path(path)
        return href

    def abs_url(path: str) -> str:
        return absolute + quote_path(str(path)) if absolute else url(path)

    def picture(image: Picture, alt: str, sizes: str = "100vw", eager: bool = False,
                up_to: int = 0, css_class: str = "") -> Markup:
        plain = (type(image) is Picture and type(alt) is str and type(sizes) is str
                 and type(eager) is bool and type(up_to) is int and type(css_class) is str)
        key = (id(image), alt, sizes, eager, up_to, css_class)
        html = pictures.get(image, key) if plain else None
        if html is None:
            html = Markup(picture_html(image, str(alt), url, sizes=sizes, eager=eager,
                                       up_to=up_to, css_class=css_class))
            if plain:
                pictures.put(image, key, html)
        return html

    def date(when: dt.date, style: str = "long") -> str:
        if type(when) not in _DATES or type(style) is not str:
            return strings.date(when, style)
        text = dates.get(when, (id(when), style))
        if text is None:
            text = dates.put(when, (id(when), style), strings.date(when, style))
        return text

    def isodate(when: dt.date) -> str:
        if type(when) not in _DATES:
            return when.isoformat()
        text = isodates.get(when, id(when))
        if text is None:
            text = isodates.put(when, id(when), when.isoformat())
        return text

    env.filters.update(
        url=url,
        abs_url=abs_url,
        picture=picture,
        asset=lambda name: url(ASSETS_PATH + str(name).lstrip("/")),
        date=date,
        isodate=isodate,
        grade_label=strings.grade,
        section_name=lambda key: section_names.get(key, key),
    )
    env.globals["t"] = _RememberedStrings(strings)


class _ByIdentity:
    """What a filter gave for one very object, an immutable one (a datetime, a Picture),
    with the arguments that went with it. Not by equality: two equal datetimes may print
    differently (the same instant in two time zones compares equal). The object is kept
    here, so its id cannot be reused for another while its entry lasts."""

    def __init__(self) -> None:
        self._results: dict[Any, tuple[object, Any]] = {}

    def get(self, value: object, key: Any) -> Any:
        """The result kept under ``key`` (which holds ``id(value)``), or None."""
        found = self._results.get(key)
        return found[1] if found is not None and found[0] is value else None

    def put(self, value: object, key: Any, result: Any) -> Any:
        if len(self._results) >= MEMO_SIZE:
            self._results.clear()
        self._results[key] = (value, result)
        return result


class _RememberedStrings(Strings):
    """The ``t`` of templates: the site's strings, remembered per theme load. A page calls
    ``t`` a dozen times, nearly always with the same key and values as the page before.
    Only values of exactly ``str`` or ``int`` make a key: they print as they compare (a
    Markup value, say, would be escaped differently from an equal ``str``)."""

    def __init__(self, strings: Strings) -> None:
        super().__init__(strings.language, strings.table)
        self._said: dict[tuple, Markup] = {}

    def __call__(self, key: str, n: int | None = None, **values: object) -> Markup:
        if type(key) is not str or (n is not None and type(n) is not int) or any(
                type(value) not in _PLAIN_VALUES for value in values.values()):
            return super().__call__(key, n, **values)
        memo_key = (key, n, *values.items()) if values else (key, n)
        found = self._said.get(memo_key)
        if found is None:
            if len(self._said) >= MEMO_SIZE:
                self._said.clear()
            found = self._said[memo_key] = super().__call__(key, n, **values)
        return found


@functools.lru_cache(maxsize=65536)
def quote_path(path: str) -> str:
    """A site URL without its leading slash, percent-encoded for href and sitemap alike."""
    return quote(path.lstrip("/"), safe=_URL_SAFE)

