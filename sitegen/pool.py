"""The worker pool behind ``--jobs``: work spread over processes, results in input order.

Results come back in the order of the inputs whatever the number of workers, so output
never depends on ``--jobs``. Small batches stay in this process: starting workers costs
more than a little work. Two kinds of workers:

- :func:`map_ordered` pickles the work and its items to them (photos to encode: small
  items, long work). It forks them where that is safe (see below), else starts them fresh
  ("spawn"), which costs each worker the import of sitegen and its libraries again.
- :func:`map_inherited` forks them, so they inherit this process's memory: the site being
  built (links, articles, the theme) is never pickled, only each item and its result
  (Markdown bodies, pages: large shared inputs, short work). Forking a process that runs
  other threads can deadlock (a lock held by a thread that does not exist in the child),
  so with other threads running (the dev server) the work stays in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

# At most this many items go to a worker at once: their results come back as one message,
# held whole by this process (a chunk of 1,600 pages' reads was tens of MiB at 16,000 stories).
CHUNK = 128

Item = TypeVar("Item")
Result = TypeVar("Result")


def available_cores() -> int:
    """The cores this process may use (a container or CI runner may allow fewer)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_start() -> None:
    """Set up a worker process. A forked worker collects its garbage even when this process
    does not (watch mode keeps the collector off during a build): rendering makes cycles
    (Jinja's contexts). And it dies of SIGTERM, as a pool ends its workers: a forked one
    inherits the handler ``sitegen serve`` installs (KeyboardInterrupt), which a worker
    waiting for work could take at a moment it is swallowed, and wait forever (a dev
    server then never started)."""
    gc.enable()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def may_fork() -> bool:
    """Whether this process can fork workers safely: the platform forks, and no other
    thread runs whose locks the children would inherit held."""
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def map_ordered(work: Callable[[Item], Result], items: Sequence[Item], jobs: int = 0,
                least: int = 2) -> Iterator[Result]:
    """``work(item)`` for every item, in order, on up to ``jobs`` processes (0: one per
    core). With fewer than ``least`` items, or one job, everything runs here. ``work``
    must be a module-level function and items must pickle."""
    workers = min(jobs or available_cores(), len(items))
    if workers <= 1 or len(items) < least:
        yield from map(work, items)
        return
    context = multiprocessing.get_context("fork" if may_fork() else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                             initializer=worker_start) as pool:
        yield from pool.map(work, items)


def map_inherited(work: Callable[[Item], Result], items: Sequence[Item], jobs: int = 0,
                  least: int = 64) -> Iterator[Result]:
    """Like :func:`map_ordered`, on forked workers that see everything this process holds
    (``work`` finds its inputs in module state set before the call). In this process when
    there are fewer than ``least`` items, one job, no fork, or other threads running."""
    workers = min(jobs or available_cores(), len(items))
    if workers <= 1 or len(items) < least or not may_fork():
        yield from map(work, items)
        return
    frozen = gc.get_freeze_count() > 0
    gc.freeze()  # the children share the parent's pages; a collection there would copy them
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=worker_start) as pool:
            chunk = max(1, min(CHUNK, len(items) // (workers * 8)))
            yield from pool.imap(work, items, chunksize=chunk)
    finally:
        if not frozen:
            gc.unfreeze()
