"""Another generator's syntax left in a body: Liquid and Jinja tags (Jekyll), Hugo
shortcodes, kramdown attribute lists, WordPress shortcodes. They would be published as
literal text; each one found is reported with its line (``sitegen import`` converts the
common ones)."""

from __future__ import annotations

import re

from markdown_it.token import Token

_CODE_SPAN = re.compile(r"(`+).+?\1")
_SHORTCODES = ("caption|gallery|embed|video|audio|playlist|youtube|vimeo|tweet|instagram|"
               "contact-form-7|wpforms|soundcloud")
_PATTERNS = (
    (re.compile(r"\{\{[<%].*?[>%]\}\}"), "a Hugo shortcode"),
    (re.compile(r"\{%.*?%\}"), "a Liquid tag (Jekyll)"),
    (re.compile(r"\{\{.*?\}\}"), "a template variable (Jekyll or Hugo)"),
    (re.compile(r"\{:\s*[.#]?[\w-].*?\}"), "a kramdown attribute list"),
    (re.compile(rf"\[/?({_SHORTCODES})\b[^\]]*\](?![(\[:])"), "a WordPress shortcode"),
)
# How every leftover starts: text with none of these is passed over at once (most text).
_MAY_HOLD = re.compile(rf"\{{[{{%:]|\[/?(?:{_SHORTCODES})\b")


def leftovers(tokens: list[Token]) -> list[tuple[int, str]]:
    """(line in the body, message) for every leftover in text, quoted as written; code
    spans and code blocks are left alone."""
    found: list[tuple[int, str]] = []
    for token in tokens:
        if token.type != "inline" or token.map is None or not _MAY_HOLD.search(token.content):
            continue
        for offset, text in enumerate(token.content.split("\n")):
            # A code span becomes a space, so that no leftover is made of what surrounds it
            # (what _MAY_HOLD looks for is then written as it is).
            text = _CODE_SPAN.sub(" ", text)
            for pattern, what in _PATTERNS:
                match = pattern.search(text)
                if match:
                    found.append((token.map[0] + offset,
                                  f'"{match[0][:60]}" is {what}, which sitegen publishes as '
                                  "plain text: replace it with Markdown"))
                    break
    return found
