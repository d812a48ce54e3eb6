"""The theme's words and dates in the site's language.

Every string a template prints comes from a table: ``strings/<language>.toml`` in the theme
(English and Korean ship with the default theme; a site theme may add or change tables),
then the ``[strings]`` table of ``sitegen.toml``, which can change any of them. A language
without a table of its own falls back to English words, with its own dates. Dates, months
and plural rules come from Babel (CLDR), never from hand-written tables:
``2025년 1월 6일`` in Korean, ``January 6, 2025`` in English.

Templates call ``t("key", name=value)`` (``t("stories", n=3)`` picks the plural form), and
the filters ``date``, ``grade_label`` use the same language.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from pathlib import Path

import jinja2
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from markupsafe import Markup, escape

from sitegen.config import CONFIG_NAME, SiteConfig
from sitegen.errors import ConfigError, ThemeError, did_you_mean

BASE = "en"  # every key exists in this table
_STYLES = {"long": None, "short": "MMMd", "month": "yMMMM", "year": "y"}


def locale_of(language: str) -> Locale:
    """Babel's locale for a ``language`` such as "en", "ko" or "pt-BR"."""
    return Locale.parse(language.replace("-", "_"))


class Strings:
    """The words of one site, in its language."""

    def __init__(self, language: str, table: dict[str, object]) -> None:
        self.language = language
        self.locale = locale_of(language)
        self.table = table

    def __call__(self, key: str, n: int | None = None, **values: object) -> Markup:
        """The string for ``key`` with its ``{placeholders}`` filled (values are escaped)."""
        entry = self.table.get(key)
        if entry is None:
            raise jinja2.TemplateRuntimeError(
                f'no string "{key}" in the theme\'s strings{did_you_mean(key, self.table)}')
        if isinstance(entry, dict):
            form = self.locale.plural_form(n if n is not None else 1)
            entry = entry.get(form, entry.get("other", ""))
        text = escape(str(entry))
        return Markup(text.format(n=n, **values)) if (values or n is not None) else Markup(text)

    def text(self, key: str, n: int | None = None, **values: object) -> str:
        """The same as plain text, for page titles made in Python."""
        return self(key, n, **values).unescape()

    def date(self, when: dt.date, style: str = "long") -> str:
        """``long``: January 6, 2025 / 2025년 1월 6일; ``short``: Jan 6; ``month``; ``year``.
        Any other value is a strftime format (kept for templates written before)."""
        day = when.date() if isinstance(when, dt.datetime) else when
        if style not in _STYLES:
            return when.strftime(style)
        skeleton = _STYLES[style]
        if skeleton is None:
            return format_date(day, "long", locale=self.locale)
        return format_skeleton(skeleton, day, locale=self.locale)

    def grade(self, grade: int) -> str:
        """10 -> "10th grade" / "10학년"."""
        return self.text("grade", ordinal=_ordinal(grade) if self.locale.language == "en"
                         else str(grade))


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th')}"


def load_strings(config: SiteConfig, theme_dirs: Iterable[Path]) -> Strings:
    """The tables of the theme folders (highest priority first), then ``[strings]``."""
    dirs = list(theme_dirs)[::-1]  # lowest priority first, so higher ones overwrite
    table: dict[str, object] = {}
    wanted = [BASE] + ([config.language] if config.language != BASE else [])
    wanted += [config.language.split("-")[0]] if "-" in config.language else []
    for language in dict.fromkeys(wanted):
        for folder in dirs:
            path = folder / "strings" / f"{language}.toml"
            if path.is_file():
                try:
                    table.update(tomllib.loads(path.read_text(encoding="utf-8")))
                except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                    raise ThemeError(f"cannot read this table of strings: {exc}",
                                     str(path)) from None
    for key, value in config.strings:
        if key not in table:
            raise ConfigError(f'[strings]: there is no string "{key}"'
                              f"{did_you_mean(key, table)}", CONFIG_NAME)
        table[key] = value
    return Strings(config.language, table)


def check_language(language: str) -> str:
    """An error message when Babel does not know ``language``, else ""."""
    try:
        locale_of(language)
    except (UnknownLocaleError, ValueError):
        return f'unknown language "{language}" (use a code such as "en" or "ko")'
    return ""
