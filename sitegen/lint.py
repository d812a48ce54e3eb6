"""Editorial checks for ``sitegen check``: what a copy editor would flag before a story runs.

Each rule is a small function over one published article (a :class:`Story`: the article,
the site's config, its front matter and its parsed body) that returns warnings, never
errors: a story may run with them, unless ``sitegen check --strict`` is asked for. Every
warning names the file and the line, and says how to fix it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote

from markdown_it.token import Token

from sitegen import markdown, md_tokens
from sitegen.config import SiteConfig
from sitegen.content import DECORATIVE, FrontMatter, split_front_matter
from sitegen.errors import ContentError
from sitegen.models import Article


@dataclass(frozen=True)
class Story:
    """One article as the rules see it."""

    article: Article
    config: SiteConfig
    front_matter: FrontMatter | None  # None when the file can no longer be read
    tokens: list[Token]  # the body, parsed

    def key_line(self, key: str, value: str = "") -> int:
        """The file line of a front matter key; with ``value``, of the first line from the
        key on that holds it (one entry of a list)."""
        if self.front_matter is None:
            return 1
        line = self.front_matter.line(key)
        if value:
            # "Min" is not found in "- Min Kim", but is in "- Min" and "{name: Min, ...}".
            alone = re.compile(rf"(?<!\w){re.escape(value)}(?![ \t]*\w)")
            lines = self.front_matter.text.split("\n")
            for number in range(line, len(lines) + 1):
                if alone.search(lines[number - 1]):
                    return number
        return line

    def raw(self, key: str) -> object:
        """A front matter value as written."""
        return self.front_matter.data.get(key) if self.front_matter else None

    def body_line(self, token: Token, at: int = 0) -> int:
        """The file line of a block of the body, or of the character ``at`` of its text."""
        first = self.article.body_line + (token.map[0] if token.map else 0)
        return first + token.content.count("\n", 0, max(at, 0))

    def warn(self, line: int, message: str) -> ContentError:
        return ContentError(message, self.article.source, line)

    def inlines(self) -> Iterable[Token]:
        """Every run of prose: paragraphs, headings, list items, table cells, footnotes."""
        return (token for token in self.tokens if token.type == "inline")


Rule = Callable[[Story], Iterable[ContentError]]


def lint_articles(articles: Iterable[Article], config: SiteConfig) -> list[ContentError]:
    """Every rule over every published article, in file and line order. Withdrawn stories
    and imported archive stories (``legacy``) are left alone."""
    warnings: list[ContentError] = []
    for article in articles:
        if article.withdrawn or article.legacy:
            continue
        story = Story(article, config, _front_matter(config, article),
                      markdown.parse(article.body))
        for rule in RULES:
            warnings.extend(rule(story))
    return sorted(warnings, key=lambda w: (w.path or "", w.line or 0, w.message))


def _front_matter(config: SiteConfig, article: Article) -> FrontMatter | None:
    try:
        raw = (config.root / article.source).read_bytes()
        return split_front_matter(raw, article.source)
    except (OSError, ContentError):
        return None


# 1. A lead photo needs a caption and a credit.

def lead_photo_caption_and_credit(story: Story) -> list[ContentError]:
    article = story.article
    if article.image is None:
        return []
    caption = 'caption: "Who and what the photo shows, and when"'
    credit = f'credit: "Photo: Name / {story.config.title}"'
    missing = [(what, example) for what, value, example in
               (("caption", article.caption, caption), ("credit", article.credit, credit))
               if not value]
    if not missing:
        return []
    names = " or ".join(what for what, _ in missing)
    examples = " and ".join(example for _, example in missing)
    return [story.warn(story.key_line("image"),
                       f"the lead photo has no {names}: add {examples}")]


# 2. Under the "full" name policy, a byline is a first and a last name.

_NO_SPACES_SCRIPT = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u4e00-\u9fff"
                               r"\uac00-\ud7a3]")


def full_name_bylines(story: Story) -> list[ContentError]:
    if story.config.names != "full":
        return []
    article = story.article
    warnings = []
    for written, shown in zip(article.written, article.bylines, strict=True):
        # Korean, Chinese and Japanese names are written without a space.
        if len(shown.name.split()) != 1 or _NO_SPACES_SCRIPT.search(shown.name):
            continue
        warnings.append(story.warn(
            story.key_line("author", written.name),
            f'the byline "{written.name}" is a single name, and the site shows full names '
            '(names = "full" in sitegen.toml): write the author\'s first and last name, e.g. '
            '"Mina Park"'))
    return warnings


# 3. A story shorter than [check] min_words is probably not finished.

def minimum_length(story: Story) -> list[ContentError]:
    article, least = story.article, story.config.check.min_words
    if not least or article.word_count >= least:
        return []
    lines = article.body.split("\n")
    first = next((number for number, text in enumerate(lines) if text.strip()), 0)
    words = f"{article.word_count} word{'s' if article.word_count != 1 else ''}"
    return [story.warn(article.body_line + first,
                       f"the story has {words}, under the {least} a story should have: finish "
                       "it, or keep it back with draft: true (the limit is min_words under "
                       "[check] in sitegen.toml)")]


# 4. A quoted student is named with a grade, "Keisha Grant (12), team captain, said".

_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
_NAME_TOKEN = rf"(?:(?:Mr|Mrs|Ms|Mx|Dr|Prof|Rev|St|Jr|Sr)\.|[{_UPPER}]\.|[{_UPPER}][\w'’-]*)"
_PARTICLE = r"(?:de|da|del|della|di|du|van|von|der|den|la|le|bin|ibn|al|dos|das)"
_NAME = rf"{_NAME_TOKEN}(?:[ \t\n]+(?:{_PARTICLE}[ \t\n]+)*{_NAME_TOKEN}){{1,4}}"
_VERB = (r"(?:said|says|added|adds|explained|explains|asked|asks|noted|notes|recalled|"
         r"recalls|told|tells|continued|continues|agreed|agrees|joked|jokes|admitted|admits|"
         r"remembered|remembers|replied|replies|answered|answers|argued|argues)")
_ROLE = r"(?P<role>[^,;:“”\"()\n.?!]{1,80})"
_PAREN = r"(?P<paren>\s*\([^()\n]{1,40}\))?"
_CLOSE = r"[,.?!…—–-][ \t]*[”\"]"  # the end of a quotation: punctuation, then a quote mark
_DESCRIPTION = r"(?P<before>(?:[\w'’.-]+[ \t\n]+){0,4}?)"
# “...,” [head coach] Name [(12)][, role,] said   — or — Name [, role,] said, “...
_NAME_SAID = re.compile(
    rf"(?<![\w'’.-])(?P<name>{_NAME}){_PAREN}(?:,[ \t\n]*{_ROLE},)?[ \t\n]+{_VERB}\b"
    rf"(?P<quote>[,:]?[ \t\n]*[“\"])?")
# “...,” said [head coach] Name[ (12)][, role]
_SAID_NAME = re.compile(
    rf"{_CLOSE}[ \t\n]+{_VERB}[ \t\n]+{_DESCRIPTION}(?P<name>{_NAME})(?![\w'’-]){_PAREN}"
    rf"(?:,[ \t\n]*{_ROLE})?")
_QUOTE_BEFORE = re.compile(rf"{_CLOSE}[ \t\n]+(?P<before>(?:[\w'’.-]+[ \t\n]+){{0,4}})$")
_CLASS_YEAR = re.compile(r"^an?\s+(?:freshman|sophomore|junior|senior|(?:ninth|tenth|eleventh|"
                         r"twelfth|9th|10th|11th|12th)[- ]grader)\b", re.IGNORECASE)

# Words that make a name an adult's: titles before the name, roles after it.
_ADULT = frozenset("""
    mr mrs ms mx dr prof rev principal vice assistant coach coaches teacher counselor
    counsellor adviser advisor librarian nurse director superintendent parent mother father
    mom dad guardian custodian janitor secretary manager president officer official
    spokesperson spokesman spokeswoman professor doctor mayor senator governor minister
    ambassador chancellor dean administrator coordinator trainer chef owner founder ceo
    chair chairman chairwoman board alum alumna alumnus alumni graduate researcher
    scientist expert analyst author lawyer attorney police sheriff engineer pastor
    representative congressman congresswoman king queen prime
""".split())
# Words that make a role a student's even beside an adult word ("student council president").
_STUDENT = frozenset("""
    student students freshman sophomore junior senior grader ninth tenth eleventh twelfth
""".split())


def quoted_students_have_grades(story: Story) -> list[ContentError]:
    prose = " ".join(story.article.body.split())
    warnings: list[ContentError] = []
    flagged: set[str] = set()
    for token in story.inlines():
        for name, start in _unnamed_grades(token.content):
            if name in flagged or _introduced(name, prose):
                continue
            flagged.add(name)
            warnings.append(story.warn(
                story.body_line(token, start),
                f'"{name}" is quoted without a grade: name a student as "{name} (11), role, '
                f'said" the first time, or, for an adult, give the role, e.g. "{name}, math '
                'teacher, said"'))
    return warnings


def _unnamed_grades(text: str) -> list[tuple[str, int]]:
    """(name, where) of each speaker of a quotation named without a grade and without
    anything that marks them as an adult."""
    found: list[tuple[str, int]] = []
    for match in _NAME_SAID.finditer(text):
        role = match["role"] or ""
        # A quotation closes at most four words before the name: look only that far back.
        before = _QUOTE_BEFORE.search(text, max(0, match.start() - 200), match.start())
        if match["paren"] or not (before or match["quote"] or _CLASS_YEAR.match(role.strip())):
            continue
        description = before["before"] if before else _words_before(text, match.start())
        name, leading = _person(match["name"])
        if name and _student(name, f"{description} {leading}", role):
            found.append((name, match.start("name")))
    for match in _SAID_NAME.finditer(text):
        name, leading = _person(match["name"])
        if name and not match["paren"] and _student(name, f'{match["before"]} {leading}',
                                                    match["role"] or ""):
            found.append((name, match.start("name")))
    return sorted(found, key=lambda item: item[1])


# Capitalized words that start a sentence before a name, not part of it.
_LEADING = frozenset("""
    the then but and so when after before while later also finally here there now still
    yesterday today on at in as if meanwhile afterward afterwards instead
""".split()) | _STUDENT


def _person(run: str) -> tuple[str, str]:
    """A run of capitalized words -> (the name, the words before it that describe)."""
    words = run.split()
    leading: list[str] = []
    while words and words[0].lower() in _LEADING:
        leading.append(words.pop(0))
    return (" ".join(words) if len(words) >= 2 else ""), " ".join(leading)


def _words_before(text: str, end: int, count: int = 4) -> str:
    return " ".join(text[:end].split()[-count:])


def _student(name: str, description: str, role: str) -> bool:
    """Whether the person may be a student: nothing around the name says adult."""
    if any(word.strip(".").lower() in _ADULT for word in name.split()):
        return False  # "Principal Jane Doe", "Mr. Dang"
    if _adult(description):
        return False  # "head coach Angela Brooks", but not "student council president ..."
    return _role_is_student(role)


def _role_is_student(role: str) -> bool:
    role = role.lower()
    if "class of" in role:
        return False  # a graduate
    # "head coach of the girls team" is a coach: what follows "of" does not count.
    return not _adult(re.split(r"\b(?:of|for|at|in|with|on|from)\b", role)[0])


def _adult(text: str) -> bool:
    """Whether words say adult ("math teacher") and none says student ("student council
    president", "senior class president")."""
    words = set(re.findall(r"[a-z]+", text.lower().replace("junior varsity", "jv")))
    return bool(words & _ADULT) and not words & _STUDENT


def _introduced(name: str, prose: str) -> bool:
    """Whether the story names this person with a grade, or as an adult, somewhere."""
    for match in re.finditer(rf"(?<![\w'’-]){re.escape(name)}(?![\w'’-])", prose):
        after = prose[match.end():]
        if re.match(r"\s*\(", after):
            return True  # "Keisha Grant (12)", or "(Class of 2020)"
        if _adult(_words_before(prose, match.start(), 3)):
            return True  # "head coach Angela Brooks"
        role = re.match(r",\s*([^,;:“”\"()]{1,80}),", after)
        if role and not _role_is_student(role[1]):
            return True  # "Angela Brooks, head coach,"
    return False


# 5. Headings go down one level at a time, from ## (the title is the page's level 1).

def heading_levels(story: Story) -> list[ContentError]:
    warnings = []
    previous, previous_text = 1, ""
    for index, token in enumerate(story.tokens):
        if token.type != "heading_open":
            continue
        level = int(token.tag[1])
        text = " ".join(_plain_text(story.tokens[index + 1].children or []).split())
        if level > previous + 1:
            fix = "#" * (previous + 1)
            if previous_text:
                message = (f'heading "{text}" ({"#" * level}) skips a level after "'
                           f'{previous_text}" ({"#" * previous}): make it {fix}, so readers '
                           "who move by headings follow the outline")
            else:
                message = (f'heading "{text}" ({"#" * level}) skips a level: the title is '
                           f"the page's top heading, so the story's headings start at {fix}")
            warnings.append(story.warn(story.body_line(token), message))
        previous, previous_text = level, text
    return warnings


# 6. Alt text describes the picture; a file name says nothing to a reader who cannot see it.

_FILE_NAME = re.compile(
    r"""^(?:
        \S+\.(?:jpe?g|png|gif|webp|heic|heif|avif|svg|tiff?|bmp)     # photo.png, IMG_2047.jpg
      | (?:img|dsc[fn]?|pxl|mvimg|gopr|dji|vid)[_ -]?\d+\S*          # IMG_2047, DSC0001
      | (?:image|photo|picture|pic)[_-]\d+\S*                        # image-3
      | screen[ _-]?shot[ _-]+\d.*                                    # Screenshot 2025-03-01 at ...
      | \d{8}[_-]\d{6}\S*                                            # 20250301_101530
    )$""", re.IGNORECASE | re.VERBOSE)


def is_file_name(alt: str, src: str = "") -> bool:
    """Whether alt text is a file name rather than a description."""
    alt = alt.strip()
    if not alt or alt.lower() == DECORATIVE:
        return False
    name = PurePosixPath(unquote(src)).name.lower() if src else ""
    return bool(_FILE_NAME.match(alt)) or (
        " " not in alt and bool(name) and alt.lower() in (name, PurePosixPath(name).stem))


def alt_text_not_file_names(story: Story) -> list[ContentError]:
    warnings = []
    alt, image = story.raw("image_alt"), story.raw("image")
    if isinstance(alt, str) and is_file_name(alt, image if isinstance(image, str) else ""):
        warnings.append(story.warn(
            story.key_line("image_alt"),
            f'image_alt "{alt.strip()}" is a file name: describe what the photo shows, e.g. '
            'image_alt: "Two runners lean across the finish line"'))
    for token in story.inlines():
        for child in _images(token.children or []):
            src = str(child.attrGet("src") or "")
            if not is_file_name(child.content, src):
                continue
            warnings.append(story.warn(
                story.body_line(token, token.content.find(f"![{child.content}")),
                f'the alt text of image "{unquote(src)}", "{child.content.strip()}", is a file '
                f"name: describe what it shows, ![Two runners lean across the finish "
                f"line]({src}), or write ![{DECORATIVE}]({src}) if it only decorates"))
    return warnings


def _plain_text(children: list[Token]) -> str:
    return "".join(child.content if child.type in ("text", "code_inline")
                   else _plain_text(child.children or []) for child in children)


def _images(children: list[Token]) -> Iterable[Token]:
    for child in children:
        if child.type == "image":
            yield child
        elif child.children:
            yield from _images(child.children)


# 7. A summary fits on a card.

def summary_fits_a_card(story: Story) -> list[ContentError]:
    limit, summary = story.config.check.summary_chars, story.article.summary
    written = story.raw("summary")  # one taken from the first paragraph is not the writer's
    if not limit or not isinstance(written, str) or not written.strip() or len(summary) <= limit:
        return []
    return [story.warn(story.key_line("summary"),
                       f"the summary has {len(summary)} characters, more than the {limit} a "
                       "card shows: cut it to one short sentence (the limit is summary_chars "
                       "under [check] in sitegen.toml)")]


# 8. A note is defined once: of two definitions under one label, only the last is shown.

_CODE = frozenset({"fence", "code_block", "html_block"})


def notes_defined_once(story: Story) -> list[ContentError]:
    body = story.article.body or ""
    if "[^" not in body:
        return []
    # (not in code or raw HTML, where "[^1]:" is text)
    code = {line for token in story.tokens if token.type in _CODE and token.map
            for line in range(*token.map)}
    first: dict[str, int] = {}
    warnings = []
    for number, text in enumerate(body.split("\n")):
        found = md_tokens.NOTE_DEFINED.match(text)
        if found is None or number in code:
            continue
        line = story.article.body_line + number
        label = found[1]  # as markdown-it-py keys notes: as written
        if label in first:
            warnings.append(story.warn(line, (
                f"note [^{label}] is defined twice, at lines {first[label]} and {line}: only "
                "the last definition is shown; give each note a label of its own")))
        else:
            first[label] = line
    return warnings


RULES: tuple[Rule, ...] = (
    lead_photo_caption_and_credit,
    full_name_bylines,
    minimum_length,
    quoted_students_have_grades,
    heading_levels,
    alt_text_not_file_names,
    summary_fits_a_card,
    notes_defined_once,
)
