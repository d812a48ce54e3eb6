"""Pagination as a pure model: a list and a base URL in, pages with their URLs out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sitegen.models import Pager


def page_url(base_url: str, number: int) -> str:
    """Page 1 lives at the list's own URL, page n at ``<base>page/n/``."""
    return base_url if number == 1 else f"{base_url}page/{number}/"


def paginate(items: Sequence[Any], per_page: int, base_url: str) -> list[Pager]:
    """Split ``items`` into pages of ``per_page``; an empty list still has one (empty) page."""
    if per_page < 1:
        raise ValueError("per_page must be at least 1")
    count = max(1, -(-len(items) // per_page))
    urls = tuple(page_url(base_url, n) for n in range(1, count + 1))
    return [
        Pager(
            number=n,
            count=count,
            items=tuple(items[(n - 1) * per_page : n * per_page]),
            url=urls[n - 1],
            first_url=urls[0],
            prev_url=urls[n - 2] if n > 1 else None,
            next_url=urls[n] if n < count else None,
            urls=urls,
        )
        for n in range(1, count + 1)
    ]
