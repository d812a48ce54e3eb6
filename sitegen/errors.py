"""Errors that name the file and line at fault, collected and reported together."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


class SitegenError(Exception):
    """One problem in the user's input. ``str()`` is ``path:line: message``."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.path else self.message


class ConfigError(SitegenError):
    """Something wrong in ``sitegen.toml``."""


class ContentError(SitegenError):
    """Something wrong in an article, a profile or an asset under ``content/``."""


class ThemeError(SitegenError):
    """A template that does not load or render."""


class UsageError(SitegenError):
    """The command was asked for something it must refuse (exit code 2)."""


class BuildFailed(Exception):
    """Every error of one build, reported as one list."""

    def __init__(self, errors: Iterable[SitegenError]) -> None:
        self.errors = sorted(errors, key=_sort_key)
        super().__init__("\n".join(str(error) for error in self.errors))


def _sort_key(error: SitegenError) -> tuple[str, int, str]:
    return (error.path or "", error.line or 0, error.message)


@dataclass
class ErrorList:
    """Collects errors while a stage goes on, so one run reports them all."""

    errors: list[SitegenError] = field(default_factory=list)

    def add(self, error: SitegenError) -> None:
        self.errors.append(error)

    def extend(self, errors: Iterable[SitegenError]) -> None:
        self.errors.extend(errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def __iter__(self) -> Iterator[SitegenError]:
        return iter(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise BuildFailed(self.errors)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean "x"?)`` when a close choice exists, else an empty string."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""
