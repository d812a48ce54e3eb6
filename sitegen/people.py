"""Bylines and staff profiles: school years, grades, graduates and the name policy.

Students move up a grade every school year and graduate; they are also minors, so a paper
may show them as "Mina P." rather than "Mina Park". Both rules are applied here, once, to
the bylines of every article and to every profile, before anything is rendered: every
page, feed, JSON-LD block and search entry then sees only the name as shown, and author
URLs are made from it.

- A profile is found for a byline by its name or any of its ``spellings``.
- The grade in a byline: the article's own (front matter) first; else, from the profile's
  ``class_year``, the grade in the school year of the story's date (a school year starts on
  ``school_year_start``); a story dated after graduation shows "Class of ...".
- The name: ``names`` in sitegen.toml ("full" or "initial"), overridden per profile;
  advisers and teachers (a profile with a role and no grade or class year) keep their full
  name. A byline with no profile follows the site's policy.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable

from sitegen.config import SiteConfig
from sitegen.errors import ContentError
from sitegen.models import Article, Byline, Profile, shared
from sitegen.text import slugify

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def school_year_end(when: dt.date, starts: tuple[int, int]) -> int:
    """The calendar year in which the school year holding ``when`` ends (the class year of
    its seniors): with years starting 1 August, 2024-10-01 -> 2025."""
    month, day = starts
    return when.year + 1 if (when.month, when.day) >= (month, day) else when.year


def grade_on(class_year: int, when: dt.date, config: SiteConfig) -> int | None:
    """The grade of a student graduating in ``class_year`` on that date; None once they
    have graduated."""
    grade = config.grades[1] - (class_year - school_year_end(when, config.year_starts))
    return grade if grade <= config.grades[1] else None


def initial_name(name: str) -> str:
    """The first name and the initial of the last word: "Mina Park" -> "Mina P.". A Hangul
    name written without spaces (family name first) keeps its family name and hides the
    rest, as Korean papers do: "박민아" -> "박○○"."""
    words = name.split()
    if len(words) >= 2:
        return f"{words[0]} {words[-1][0]}."
    if len(words) == 1 and _HANGUL.match(words[0]) and len(words[0]) > 1:
        return words[0][0] + "○" * (len(words[0]) - 1)
    return name


class People:
    """The profiles of one build, by every spelling of their names."""

    def __init__(self, config: SiteConfig, profiles: Iterable[Profile]) -> None:
        self.config = config
        self.profiles = sorted(profiles, key=lambda p: p.source)
        self.by_slug: dict[str, Profile] = {}
        self.errors: list[ContentError] = []
        # Articles credited already, by source: in watch mode the same People serves build
        # after build, and an article object read once is credited once. With the names
        # each shows (who, shown as): when no article was added, dropped or credited
        # differently, the names cannot clash anew, and the last answer stands.
        self._credited: dict[str, Article] = {}
        self._names: dict[str, tuple[tuple[str, str], ...]] = {}
        self._answer: list[ContentError] | None = None
        # Full names (every spelling) that the policy hides -> the name shown instead.
        self.hidden: list[tuple[str, str]] = []
        for profile in self.profiles:
            shown = self.shown_name(profile.name, profile)
            if shown != profile.name:
                self.hidden.extend((spelling, shown) for spelling in
                                   sorted((profile.name, *profile.spellings), key=len,
                                          reverse=True))
            for spelling in (profile.name, *profile.spellings):
                other = self.by_slug.setdefault(slugify(spelling), profile)
                if other is not profile:
                    self.errors.append(ContentError(
                        f'"{spelling}" is also a name of {other.source}: a byline would not '
                        "know whose page to link to", profile.source))

    def shown_name(self, name: str, profile: Profile | None) -> str:
        policy = (profile.names if profile and profile.names else self.config.names)
        if profile is not None and not profile.is_student:
            return profile.name
        return initial_name(name) if policy == "initial" else name

    def redact(self, text: str) -> str:
        """``text`` with the full names the policy hides replaced by the names shown."""
        for full, shown in self.hidden:
            if full in text:
                text = text.replace(full, shown)
        return text

    def shown_profile(self, profile: Profile) -> Profile:
        """The profile as the site shows it."""
        name = self.shown_name(profile.name, profile)
        slug = profile.slug if name == profile.name else slugify(name) or profile.slug
        return dataclasses.replace(profile, name=name, slug=slug, spellings=())

    def credit(self, article: Article) -> tuple[Byline, ...]:
        """The bylines of ``article`` as shown, from what its front matter wrote."""
        bylines = []
        for written in article.written:
            profile = self.by_slug.get(written.slug)
            full = profile.name if profile is not None else written.name
            name = self.shown_name(full, profile)
            grade, class_of = written.grade, None
            if grade is None and profile is not None and profile.class_year is not None:
                grade = grade_on(profile.class_year, article.date.date(), self.config)
                class_of = profile.class_year if grade is None else None
            slug = (self.shown_profile(profile).slug if profile is not None
                    else slugify(name) or written.slug)
            bylines.append(shared(Byline(name=name, slug=slug, grade=grade,
                                         role=written.role, class_of=class_of,
                                         has_page=profile.author_page if profile else True)))
        shown = tuple(bylines)
        return article.written if shown == article.written else shared(shown)

    def attach(self, articles: Iterable[Article],
               fresh: Iterable[Article] | None = None) -> list[ContentError]:
        """Credit every article; two people who would show as the same name are an error
        (they would share one author page). ``fresh``: the only articles that can differ
        from the last call's (read again since; the others are the very same objects)."""
        articles = list(articles)
        same = self._answer is not None and len(articles) == len(self._names)
        for article in articles if fresh is None else fresh:
            before = self._names.get(article.source)
            if self._credited.get(article.source) is not article:
                self._credit(article)
                same = same and before == self._names_of(article)
            elif before is None:  # credited in an earlier build, not in the last one
                same = False
        if same:
            return list(self._answer)  # type: ignore[arg-type]
        for article in articles:
            if self._credited.get(article.source) is not article:
                self._credit(article)
        self._names = {article.source: self._names_of(article) for article in articles}
        errors = list(self.errors)
        shown: dict[str, tuple[str, str]] = {}  # slug -> (who, the first story naming them)
        reported: set[tuple[str, str]] = set()
        for article in articles:
            for (who, slug), written, byline in zip(self._names[article.source], article.written,
                                                    article.bylines, strict=True):
                other = shown.setdefault(slug, (who, article.source))
                if other[0] != who and (other[0], who) not in reported:
                    reported.add((other[0], who))
                    errors.append(ContentError(
                        f'"{written.name}" and the author of {other[1]} would both show as '
                        f'"{byline.name}": add a staff profile for one of them with '
                        '"names: full", or spell the names apart', article.source))
        self._answer = errors
        return list(errors)

    def _credit(self, article: Article) -> None:
        article.bylines = self.credit(article)
        # A photo credit or caption naming a student whose name is shortened.
        article.credit, article.caption, article.image_alt = (
            self.redact(article.credit), self.redact(article.caption),
            self.redact(article.image_alt))
        self._credited[article.source] = article

    def _names_of(self, article: Article) -> tuple[tuple[str, str], ...]:
        """(who: a profile's source or the written name's slug, the slug shown) of each
        byline of a credited article."""
        names = []
        for written, byline in zip(article.written, article.bylines, strict=True):
            profile = self.by_slug.get(written.slug)
            names.append((profile.source if profile else written.slug, byline.slug))
        return tuple(names)


@dataclasses.dataclass(frozen=True)
class Member:
    """One person on the staff page."""

    profile: Profile
    url: str  # their author page, or ""
    grade: int | None  # this school year's, for a student on staff


def masthead(profiles: Iterable[Profile], author_urls: set[str], config: SiteConfig,
             today: dt.date) -> tuple[list[tuple[str, list[Member]]], list[Member],
                                      list[tuple[int, list[Member]]]]:
    """This school year's students grouped by role (the roles in ``masthead`` first, then
    the others A to Z; "" for staff without a role), the advisers, and past staff by class
    year, newest first."""
    current: dict[str, list[Member]] = {}
    advisers: list[Member] = []
    alumni: dict[int, list[Member]] = {}
    for profile in sorted(profiles, key=lambda p: (p.name, p.source)):
        url = f"/authors/{profile.slug}/"
        member = Member(profile, url if url in author_urls else "", profile.grade)
        if not profile.is_student:
            advisers.append(member)
        elif profile.class_year is not None:
            grade = grade_on(profile.class_year, today, config)
            if grade is None:
                alumni.setdefault(profile.class_year, []).append(member)
            else:
                current.setdefault(profile.role, []).append(
                    dataclasses.replace(member, grade=grade))
        else:
            current.setdefault(profile.role, []).append(member)
    order = {role.casefold(): index for index, role in enumerate(config.masthead)}
    roles = sorted(current, key=lambda role: (order.get(role.casefold(), len(order)),
                                              not role, role))
    return [(role, current[role]) for role in roles], advisers, sorted(alumni.items(),
                                                                       reverse=True)
