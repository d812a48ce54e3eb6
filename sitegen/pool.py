"""The worker pool behind ``--jobs``: work spread over processes, results in input order.

Results come back in the order of the inputs whatever the number of workers, so output
never depends on ``--jobs``. Small batches stay in this process: starting workers costs
more than a little work. Workers are started fresh ("spawn"), never forked, because the
dev server runs threads and forking a threaded process can deadlock.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def available_cores() -> int:
    """The cores this process may use (a container or CI runner may allow fewer)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_ordered(work: Callable[[Item], Result], items: Sequence[Item], jobs: int = 0,
                least: int = 2) -> Iterator[Result]:
    """``work(item)`` for every item, in order, on up to ``jobs`` processes (0: one per
    core). With fewer than ``least`` items, or one job, everything runs here. ``work``
    must be a module-level function and items must pickle."""
    workers = min(jobs or available_cores(), len(items))
    if workers <= 1 or len(items) < least:
        yield from map(work, items)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(work, items)
