"""Which pages must be rendered again: dependencies recorded while templates run.

Every attribute a template reads goes through ``Environment.getattr``/``getitem``. While a
page renders, a :class:`TrackingEnvironment` notes each read made on an *entity* (an
article, a term, the site, the config, a pager) as ``(entity key, attribute)``. On the next
build a page is rendered again only when one of the values it read, or one of the values
handed to it in its context, or a template, has changed. Values read from plain data
(strings, dates, tuples, bylines) are covered by the fingerprint of the entity attribute
they came from, so no read is missed: the result always equals a clean build.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import jinja2

from sitegen.config import SiteConfig
from sitegen.models import Article, Pager, Profile, Site, Term

Dep = tuple[tuple, str, str]  # (entity key, attribute or item, "a" | "i")
_MISSING = object()


def _article_key(a: Article) -> tuple:
    return ("article", a.source)


def _term_key(t: Term) -> tuple:
    return ("term", t.kind, t.key)


_ENTITY_KEYS = {
    Article: _article_key,
    Term: _term_key,
    Site: lambda s: ("site",),
    SiteConfig: lambda c: ("config",),
    Profile: lambda p: ("profile", p.source),
    Pager: lambda p: ("pager", p.url),
}


def entity_key(value: Any) -> tuple | None:
    make = _ENTITY_KEYS.get(type(value))
    return make(value) if make else None


def fingerprint(value: Any) -> Any:
    """A comparable stand-in for a value: entities by key, plain data in full."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    make = _ENTITY_KEYS.get(type(value))
    if make:
        return make(value)
    if isinstance(value, tuple | list):
        return tuple(fingerprint(item) for item in value)
    if isinstance(value, dict):
        return tuple((key, fingerprint(item)) for key, item in value.items())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__,
                *(fingerprint(getattr(value, f.name)) for f in dataclasses.fields(value)))
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


class TrackingEnvironment(jinja2.Environment):
    """A Jinja environment that can record the entity reads of one render."""

    recording: set[Dep] | None = None

    def getattr(self, obj: Any, attribute: str) -> Any:
        if self.recording is not None:
            make = _ENTITY_KEYS.get(type(obj))
            if make:
                self.recording.add((make(obj), attribute, "a"))
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if self.recording is not None:
            make = _ENTITY_KEYS.get(type(obj))
            if make and isinstance(argument, str):
                self.recording.add((make(obj), argument, "i"))
        return super().getitem(obj, argument)


def registry(site: Site, pagers: Iterable[Pager]) -> dict[tuple, Any]:
    """Every entity of one build by key, to look up what a recorded read sees now."""
    found: dict[tuple, Any] = {("site",): site, ("config",): site.config}
    for article in site.articles:
        found[_article_key(article)] = article
    for terms in (site.sections, site.tags, site.authors, site.years, site.issues):
        for term in terms:
            found[_term_key(term)] = term
            if term.profile is not None:
                found[("profile", term.profile.source)] = term.profile
    for pager in pagers:
        found[("pager", pager.url)] = pager
    return found


@dataclasses.dataclass
class PageRecord:
    context: dict[str, Any]  # fingerprint of each context value
    deps: frozenset[Dep]
    body: bytes


class PageCache:
    """Rendered pages of the last build, with what each one read."""

    def __init__(self) -> None:
        self.pages: dict[str, PageRecord] = {}  # output path -> record
        self.values: dict[Dep, Any] = {}  # fingerprint of each read, as of the last build
        self.readers: dict[Dep, set[str]] = defaultdict(set)  # read -> output paths

    def stale(self, env: TrackingEnvironment, entities: dict[tuple, Any],
              unchanged: set[tuple]) -> set[str]:
        """Paths of cached pages that read a value which is different now. Entities in
        ``unchanged`` are the very objects of the last build and are not looked at again."""
        stale: set[str] = set()
        for dep, old in list(self.values.items()):
            key, name, how = dep
            if key in unchanged:
                continue
            now = self._read(env, entities, dep)
            if now != old:
                stale |= self.readers.get(dep, set())
                self.values[dep] = now
        return stale

    @staticmethod
    def _read(env: TrackingEnvironment, entities: dict[tuple, Any], dep: Dep) -> Any:
        key, name, how = dep
        entity = entities.get(key, _MISSING)
        if entity is _MISSING:
            return _MISSING
        value = env.getattr(entity, name) if how == "a" else env.getitem(entity, name)
        return _MISSING if isinstance(value, jinja2.Undefined) else fingerprint(value)

    def store(self, path: str, record: PageRecord, env: TrackingEnvironment,
              entities: dict[tuple, Any]) -> None:
        old = self.pages.get(path)
        if old is not None:
            for dep in old.deps - record.deps:
                self.readers[dep].discard(path)
        for dep in record.deps:
            self.readers[dep].add(path)
            if dep not in self.values:
                self.values[dep] = self._read(env, entities, dep)
        self.pages[path] = record

    def forget_except(self, paths: set[str]) -> None:
        for path in [p for p in self.pages if p not in paths]:
            for dep in self.pages.pop(path).deps:
                self.readers[dep].discard(path)
        for dep in [d for d, readers in self.readers.items() if not readers]:
            del self.readers[dep]
            self.values.pop(dep, None)
