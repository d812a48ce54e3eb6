"""Stories' rendered bodies, kept on disk in the build cache rather than in memory.

A story's HTML is most of what the builder holds for it (about 9 KB against 3 KB for the
rest of the article), and only its own page and the feeds show it. So a rendered body is
written once into the build cache, content-addressed (``.sitegen/bodies/ab/abcdef...``,
named by its content hash like every cache file), and the article holds a
:class:`StoredHTML`: the hash and the length, which compare, hash and pickle like the
string would, and give the string back when a template or a feed asks for it
(``{{ article.html | safe }}`` reads it through ``__html__``). The builder's memory, the
state a build keeps for the next (``state.py``) and the forked workers that render pages
then carry a few bytes per story instead of its text.

A body file is checked against its hash when read: a damaged or deleted one raises
:class:`BodyLost`, and the builder renders the Markdown again (see ``Builder.build``).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from sitegen.cache import content_hash, put_file
from sitegen.models import Compact

KIND = "bodies"
_DAY = 24 * 3600


class BodyLost(Exception):
    """A stored body is missing or damaged (someone emptied ``.sitegen/`` meanwhile)."""


@dataclass(frozen=True, slots=True)
class StoredHTML(Compact):
    """A rendered body in the cache: equal to another when their HTML is the same."""

    digest: str
    length: int
    folder: str = field(compare=False)  # the cache's bodies folder

    def __str__(self) -> str:
        path = os.path.join(self.folder, self.digest[:2], self.digest)
        try:
            with open(path, "rb") as file:
                data = file.read()
                if time.time() - os.fstat(file.fileno()).st_mtime > _DAY:
                    os.utime(path)  # in use: see BuildCache.prune
        except OSError:
            raise BodyLost(path) from None
        if content_hash(data) != self.digest:
            raise BodyLost(path)
        return data.decode("utf-8")

    def __html__(self) -> str:  # {{ article.html | safe }}: already safe HTML
        return str(self)

    def __len__(self) -> int:
        return self.length

    def __bool__(self) -> bool:
        return self.length > 0


def store(folder: str, html: str) -> StoredHTML:
    """Keep ``html`` in the cache's bodies folder (``BuildCache.file_folder(KIND)``)."""
    data = html.encode("utf-8")
    digest = content_hash(data)
    put_file(folder, digest, data)
    return StoredHTML(digest, len(html), folder)


def still_there(html: object) -> bool:
    """Whether a body kept by an earlier process can still be read (a plain string can)."""
    if not isinstance(html, StoredHTML):
        return True
    return os.path.isfile(os.path.join(html.folder, html.digest[:2], html.digest))
