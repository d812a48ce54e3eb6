"""The Jinja environment: site templates -> site theme -> built-in theme -> built-in default."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
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

    def url(path: str) -> str:
        return base_path + quote_path(str(path))

    def abs_url(path: str) -> str:
        return absolute + quote_path(str(path)) if absolute else url(path)

    def picture(image: Picture, alt: str, sizes: str = "100vw", eager: bool = False,
                up_to: int = 0, css_class: str = "") -> Markup:
        return Markup(picture_html(image, str(alt), url, sizes=sizes, eager=eager, up_to=up_to,
                                   css_class=css_class))

    env.filters.update(
        url=url,
        abs_url=abs_url,
        picture=picture,
        asset=lambda name: url(ASSETS_PATH + str(name).lstrip("/")),
        date=strings.date,
        isodate=lambda when: when.isoformat(),
        grade_label=strings.grade,
        section_name=lambda key: section_names.get(key, key),
    )
    env.globals["t"] = strings


@functools.lru_cache(maxsize=65536)
def quote_path(path: str) -> str:
    """A site URL without its leading slash, percent-encoded for href and sitemap alike."""
    return quote(path.lstrip("/"), safe=_URL_SAFE)

