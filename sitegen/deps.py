"""Which pages must be rendered again: dependencies recorded while templates run.

Every attribute a template reads goes through ``Environment.getattr``/``getitem``. While a
page renders, a :class:`TrackingEnvironment` notes each read made on an *entity* (an
article, a term, the site, the config, a pager) as ``(entity key, attribute)``. On the next
build a page is rendered again only when a value read from an entity it read, or one of
the values handed to it in its context, or a template, has changed. Values read from plain data
(strings, dates, tuples, bylines) are covered by the fingerprint of the entity attribute
they came from, so no read is missed: the result always equals a clean build.
"""

from __future__ import annotations

import builtins
import dataclasses
import datetime as dt
import operator
import sys
from array import array
from collections.abc import Callable, Iterable
from typing import Any

import jinja2

from sitegen.bodies import StoredHTML
from sitegen.config import Section, SiteConfig
from sitegen.models import (
    Article,
    Byline,
    Compact,
    Copy,
    Correction,
    PageMeta,
    Pager,
    Picture,
    Profile,
    Site,
    TagRef,
    Term,
    shared,
)

Dep = tuple[Any, str, str]  # (entity key, attribute or item, "a" | "i")
_READS: dict[tuple[str, str], tuple[str, str]] = {}  # (attribute or item, how), shared
class MISSING:
    """The fingerprint of a read that found nothing (a class, so that it is itself again
    after pickling: see state.py)."""


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
                    PageMeta, Byline, TagRef, Correction, Section, Picture, Copy,
                    StoredHTML})
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
        made = [item.source if type(item) is Article else fingerprint(item) for item in value]
        if kind is tuple and all(map(operator.is_, made, value)):
            return value  # plain values (tags, bylines): the very tuple, not a copy of it
        return tuple(made)
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
    """A Jinja environment that can record the entity reads of one render.

    Templates read every attribute through ``getattr``/``getitem``. While ``recording`` is
    None (a one-off build) those are Jinja's own, but for a story's body, which a template
    gets as the text it is (``shown``); setting a set binds the recording versions to this
    environment until it is set back to None."""

    _recording: set[Dep] | None = None

    def getattr(self, obj: Any, attribute: str) -> Any:
        return shown(jinja2.Environment.getattr(self, obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        return shown(jinja2.Environment.getitem(self, obj, argument))

    @property
    def recording(self) -> set[Dep] | None:
        return self._recording

    @recording.setter
    def recording(self, reads: set[Dep] | None) -> None:
        self._recording = reads
        if reads is None:
            self.__dict__.pop("getattr", None)
            self.__dict__.pop("getitem", None)
        else:
            # Instance attributes come before the class's methods in every lookup,
            # including the ``environment.getattr(...)`` of compiled templates.
            self.getattr, self.getitem = _recorders(self, reads)  # type: ignore[method-assign]


def shown(value: Any) -> Any:
    """What a template sees of a value: a story's body kept in the cache as the text it is
    (see bodies.py), so that a theme may slice it, measure it or escape it, as ever."""
    return str(value) if type(value) is StoredHTML else value


def _recorders(env: jinja2.Environment, reads: set[Dep]) -> tuple[Callable, Callable]:
    """``getattr`` and ``getitem`` for ``env`` that add each read of an entity to
    ``reads``: as closures, since a page makes a thousand reads or more."""
    entity_keys = _ENTITY_KEYS
    record = reads.add
    plain_getattr = jinja2.Environment.getattr
    plain_getitem = jinja2.Environment.getitem
    attribute_of = builtins.getattr

    def getattr(obj: Any, attribute: str) -> Any:
        kind = type(obj)
        if kind is Article:  # the entity read most, by far
            record((obj.source, attribute, "a"))
        else:
            make = entity_keys.get(kind)
            if make:
                record((make(obj), attribute, "a"))
        # Jinja's getattr, whose first step is this (a page makes a thousand reads)
        try:
            value = attribute_of(obj, attribute)
        except AttributeError:
            value = plain_getattr(env, obj, attribute)
        return str(value) if type(value) is StoredHTML else value  # shown()

    def getitem(obj: Any, argument: Any) -> Any:
        make = entity_keys.get(type(obj))
        if make and isinstance(argument, str):
            record((make(obj), argument, "i"))
        return shown(plain_getitem(env, obj, argument))

    return getattr, getitem


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


@dataclasses.dataclass(slots=True)
class PageRecord(Compact):
    context: dict[str, Any]  # fingerprint of each context value
    # The reader groups it is in (given to store() as ``summarize`` gives them): a tuple,
    # which takes a sixth of a set's memory, for every page of the site.
    deps: tuple[Any, ...] | Summary
    body: bytes | None  # None: as the output folder holds it (see state.py)


# What one page read, for PageCache.store: the reads not given with an earlier page of
# the same render, and the reader groups of all its reads.
Summary = tuple[frozenset[Dep], frozenset[Any]]


# How many reads a worker remembers having given: every distinct read of a large site
# would cost a worker tens of MiB; forgotten, a read is given again (store() skips it).
GIVEN = 65536


def summarize(reads: set[Dep], given: set[Dep]) -> Summary:
    """A page's reads as ``PageCache.store`` takes them, made where the page was rendered
    (a worker, see pool.py): a read is given once in a while, not with every page that
    makes it (the newest story's title, by every page). ``given`` grows to GIVEN reads."""
    if len(given) > GIVEN:
        given.clear()
    new = frozenset(reads - given)
    given |= new
    return new, frozenset({_group(key, name) for key, name, _ in reads})


# What an article's own page shows and lists of it do not: its text and what is counted in
# it. Pages that read one of these from an entity are kept apart from those that read only
# the rest, so that editing a story's text renders its page again, not every page that
# shows its headline (the newest story is on every page).
OWN_ATTRIBUTES = frozenset({"html", "word_count", "reading_minutes"})


def _group(key: Any, name: str) -> Any:
    """The readers a read of ``name`` from the entity ``key`` is kept with."""
    return ("own", key, name) if name in OWN_ATTRIBUTES else key


class PageCache:
    """Rendered pages of the last build, with what each one read.

    What was read is kept per entity, attribute by attribute; each page keeps the reader
    groups it is in: the entities it read (and apart, the attributes of OWN_ATTRIBUTES it
    read of one): a page is rendered again when a value it may have read has changed. (A
    change a page did not look at may render it again for nothing, which costs a page; a
    group per entity and attribute would cost far more memory in every build.) Which pages
    are in a changed group is found by looking at every page's groups (a few hundredths of
    a second at 16,000 stories), not kept as an index: the index cost more memory than
    anything else here, and time to load and save in every build after an edit."""

    def __init__(self) -> None:
        self.pages: dict[str, PageRecord] = {}  # output path -> record
        # entity key -> {(name, how): fingerprint of that read, as of the last build}, or
        # the same as a tuple (see compact)
        self.values: dict[Any, dict[tuple[str, str], Any] | tuple[Any, ...]] = {}
        self.entities: dict[Any, Any] = {}  # the entities of the last build
        self._same: set[Any] | None = None  # the keys of its terms and pagers
        self._unread = False  # whether a page stopped reading an entity (see parts)

    def same_entities(self, entities: dict[Any, Any]) -> set[Any]:
        """Keys of terms and pagers equal to last build's: their reads need no look.
        (Their articles compare by identity first, so this is cheap.)"""
        if entities is self.entities and self._same is not None:
            return self._same
        same = set()
        for key, entity in entities.items():
            if type(entity) in (Term, Pager):
                old = self.entities.get(key)
                if old is entity or (old is not None and old == entity):
                    same.add(key)
        self.entities = entities
        # Given the very same entities next time, every term and pager is the same.
        self._same = {key for key, entity in entities.items() if type(entity) in (Term, Pager)}
        return same

    def stale(self, env: TrackingEnvironment, entities: dict[Any, Any],
              unchanged: set[Any]) -> set[str]:
        """Paths of cached pages that read a value which is different now. Entities in
        ``unchanged`` are the very objects of the last build and are not looked at again."""
        changed: set[Any] = set()
        for key in self.values.keys() - unchanged:
            reads = self._reads_of(key)
            assert reads is not None
            entity = entities.get(key, MISSING)
            for (name, how), old in reads.items():
                now = _read(env, entity, name, how)
                if now != old:
                    changed.add(_group(key, name))
                    reads[(name, how)] = now
        if not changed:
            return set()
        return {path for path, record in self.pages.items()
                if not changed.isdisjoint(record.deps)}  # type: ignore[arg-type]

    def store(self, path: str, record: PageRecord, env: TrackingEnvironment,
              entities: dict[Any, Any]) -> None:
        """Keep a page just rendered, its ``deps`` given as ``summarize`` gives them."""
        given, groups = record.deps  # type: ignore[misc]
        old = self.pages.get(path)
        if old is not None and not groups.issuperset(old.deps):
            self._unread = True
        values = self.values
        for key, name, how in given:
            reads = self._reads_of(key)
            if reads is None:
                reads = values[key] = {}
            elif (name, how) in reads:  # read by an earlier page too
                continue
            read = _READS.setdefault((name, how), (name, how))  # one tuple, shared
            reads[read] = _read(env, entities.get(key, MISSING), name, how)
        # Groups and context fingerprints, held by thousands of pages, come back from the
        # workers as copies: one object each (models.shared).
        record.deps = tuple([shared(group) for group in groups])
        _share(record.context)
        self.pages[path] = record

    def strip(self) -> None:
        """Keep only what a later process starts from: not the pages' bytes (the output
        folder holds them), nor the entities (made again from that process's site)."""
        for record in self.pages.values():
            record.body = None
        self.entities, self._same = {}, None

    def parts(self) -> dict[str, list[Any]]:
        """This cache as lists that name paths and reader groups by their place in a list
        (``from_parts`` makes it again), so that pickle may write each list in pieces
        (state.py) and still write a path or a group once."""
        if self._unread:
            self._forget_unread()
        self.compact()
        number_of: dict[Any, int] = {}
        for record in self.pages.values():
            for group in record.deps:
                number_of.setdefault(group, len(number_of))
        return {
            "paths": list(self.pages),
            "records": [(record.context, _packed(map(number_of.__getitem__, record.deps)))
                        for record in self.pages.values()],
            "groups": list(number_of),
            "values": list(self.values.items()),
        }

    @classmethod
    def from_parts(cls, parts: dict[str, list[Any]]) -> PageCache:
        cache = cls()
        paths = parts["paths"]
        groups = [shared(group) for group in parts["groups"]]
        cache.pages = {path: PageRecord(_share(context),
                                        tuple(map(groups.__getitem__, _unpacked(deps))), None)
                       for path, (context, deps) in zip(paths, parts["records"], strict=True)}
        # An entity's key is the object of the group it names (written in another piece).
        cache.values = {shared(key): reads for key, reads in parts["values"]}
        return cache

    def compact(self) -> None:
        """Hold each entity's reads as one tuple, what was read (one tuple for all the
        entities read alike) then the fingerprints, not as a dict: a third of the memory,
        for every entity of the site. Made a dict again when used."""
        values = self.values
        for key, reads in values.items():
            if type(reads) is dict:
                names = tuple(reads)
                values[key] = (shared(names), *reads.values())

    def _reads_of(self, key: Any) -> dict[tuple[str, str], Any] | None:
        reads = self.values.get(key)
        if type(reads) is tuple:
            reads = self.values[key] = dict(zip(reads[0], reads[1:], strict=True))
        return reads  # type: ignore[return-value]

    def forget_except(self, paths: set[str]) -> None:
        gone = self.pages.keys() - paths
        for path in gone:
            del self.pages[path]
        if gone:
            self._forget_unread()

    def _forget_unread(self) -> None:
        """Drop the reads of entities that no page reads any more (a look at every page's
        groups: only when pages went or stopped reading something)."""
        self._unread = False
        read = {group[1] if type(group) is tuple and group[:1] == ("own",) else group
                for record in self.pages.values() for group in record.deps}
        for key in self.values.keys() - read:
            del self.values[key]


def _share(context: dict[str, Any]) -> dict[str, Any]:
    """``context`` with its fingerprints that are strings or tuples as the one object of
    their value (``models.shared``)."""
    for name, value in context.items():
        if type(value) in (str, tuple):
            try:
                context[name] = shared(value)
            except TypeError:  # a tuple holding what cannot be hashed: kept as it is
                pass
    return context


def _packed(numbers: Iterable[int]) -> bytes:
    packed = array("I", numbers)
    if sys.byteorder == "big":  # the cache may move between machines (a CI cache)
        packed.byteswap()
    return packed.tobytes()


def _unpacked(data: bytes) -> array[int]:
    numbers = array("I")
    numbers.frombytes(data)
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers


def _read(env: TrackingEnvironment, entity: Any, name: str, how: str) -> Any:
    """The fingerprint of one recorded read, made again on this build's entity."""
    if entity is MISSING:
        return MISSING
    # Jinja's own lookups: a story's body is compared by its hash, never read (see shown).
    value = (jinja2.Environment.getattr(env, entity, name) if how == "a"
             else jinja2.Environment.getitem(env, entity, name))
    return MISSING if isinstance(value, jinja2.Undefined) else fingerprint(value)
