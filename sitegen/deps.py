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
import datetime as dt
from collections.abc import Iterable
from typing import Any

import jinja2

from sitegen.config import Section, SiteConfig
from sitegen.models import (
    Article,
    Byline,
    Copy,
    Correction,
    PageMeta,
    Pager,
    Picture,
    Profile,
    Site,
    TagRef,
    Term,
)

Dep = tuple[Any, str, str]  # (entity key, attribute or item, "a" | "i")
_MISSING = object()


# Entity keys. An article is known by its source path ("content/..."), which no other key
# can equal; the others are tuples or bare words.
_ENTITY_KEYS: dict[type, Any] = {
    Article: lambda a: a.source,
    Term: lambda t: (t.kind, t.key),
    Site: lambda s: "site",
    SiteConfig: lambda c: "config",
    Profile: lambda p: ("profile", p.source),
    Pager: lambda p: ("pager", p.url),
}
# Compared as they are: immutable values, including frozen dataclasses of plain fields.
_PLAIN = frozenset({str, int, float, bool, type(None), dt.datetime, dt.date, bytes,
                    PageMeta, Byline, TagRef, Correction, Section, Picture, Copy})
_FIELDS: dict[type, tuple[str, ...]] = {}


def fingerprint(value: Any) -> Any:
    """A comparable stand-in for a value: entities by key, plain data in full."""
    kind = type(value)
    if kind is Article:
        return value.source
    if kind in _PLAIN:
        return value
    make = _ENTITY_KEYS.get(kind)
    if make:
        return make(value)
    if kind is tuple or kind is list:
        return tuple([item.source if type(item) is Article else fingerprint(item)
                      for item in value])
    if kind is dict:
        return tuple([(key, fingerprint(item)) for key, item in value.items()])
    names = _FIELDS.get(kind)
    if names is None and dataclasses.is_dataclass(kind):
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    if names is not None:
        return (kind.__name__, *[fingerprint(getattr(value, name)) for name in names])
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


def registry(site: Site, pagers: Iterable[Pager]) -> dict[Any, Any]:
    """Every entity of one build by key, to look up what a recorded read sees now."""
    found: dict[Any, Any] = {"site": site, "config": site.config}
    for article in site.articles:
        found[article.source] = article
    for terms in (site.sections, site.tags, site.authors, site.years, site.issues):
        for term in terms:
            found[(term.kind, term.key)] = term
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
        # entity key -> {(name, how): fingerprint of that read, as of the last build}
        self.values: dict[Any, dict[tuple[str, str], Any]] = {}
        self.readers: dict[Dep, set[str]] = {}  # read -> output paths that made it
        self.entities: dict[Any, Any] = {}  # the entities of the last build

    def same_entities(self, entities: dict[Any, Any]) -> set[Any]:
        """Keys of terms and pagers equal to last build's: their reads need no look.
        (Their articles compare by identity first, so this is cheap.)"""
        same = set()
        for key, entity in entities.items():
            if type(entity) in (Term, Pager):
                old = self.entities.get(key)
                if old is entity or (old is not None and old == entity):
                    same.add(key)
        self.entities = entities
        return same

    def stale(self, env: TrackingEnvironment, entities: dict[Any, Any],
              unchanged: set[Any]) -> set[str]:
        """Paths of cached pages that read a value which is different now. Entities in
        ``unchanged`` are the very objects of the last build and are not looked at again."""
        stale: set[str] = set()
        for key in self.values.keys() - unchanged:
            reads = self.values[key]
            entity = entities.get(key, _MISSING)
            for (name, how), old in reads.items():
                now = _read(env, entity, name, how)
                if now != old:
                    stale |= self.readers.get((key, name, how), set())
                    reads[(name, how)] = now
        return stale

    def store(self, path: str, record: PageRecord, env: TrackingEnvironment,
              entities: dict[Any, Any]) -> None:
        old = self.pages.get(path)
        if old is not None:
            self._drop(path, old.deps - record.deps)
        for dep in record.deps:
            self.readers.setdefault(dep, set()).add(path)
            key, name, how = dep
            reads = self.values.setdefault(key, {})
            if (name, how) not in reads:
                reads[(name, how)] = _read(env, entities.get(key, _MISSING), name, how)
        self.pages[path] = record

    def forget_except(self, paths: set[str]) -> None:
        for path in self.pages.keys() - paths:
            self._drop(path, self.pages.pop(path).deps)

    def _drop(self, path: str, deps: Iterable[Dep]) -> None:
        for dep in deps:
            readers = self.readers.get(dep)
            if readers is None:
                continue
            readers.discard(path)
            if not readers:
                del self.readers[dep]
                key, name, how = dep
                reads = self.values.get(key, {})
                reads.pop((name, how), None)
                if not reads:
                    self.values.pop(key, None)


def _read(env: TrackingEnvironment, entity: Any, name: str, how: str) -> Any:
    """The fingerprint of one recorded read, made again on this build's entity."""
    if entity is _MISSING:
        return _MISSING
    value = env.getattr(entity, name) if how == "a" else env.getitem(entity, name)
    return _MISSING if isinstance(value, jinja2.Undefined) else fingerprint(value)
