"""Front matter YAML, read safely: text stays text, keys once, size and aliases bounded."""

from __future__ import annotations

from typing import Any

import yaml

from sitegen.errors import ContentError


class YamlLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML (libyaml when present). An impossible date such as 2025-02-30 stays a
    string, so the field check reports it with its key and line instead of crashing."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)

MAX_FRONT_MATTER = 64 * 1024  # bytes; far above any real article's details
MAX_NODES = 10_000  # values in front matter once aliases are expanded (a "billion laughs")
# Keys whose values are what the writer typed: YAML's implicit typing would turn
# "2024.10" into 2024.1, "12:30" into 750 and "yes" into True. Nested keys (an author's
# name and role, a correction's text) follow the same rule; "grade" and "date" stay typed.
TEXT_KEYS = frozenset({
    "title", "section", "author", "tags", "summary", "image", "image_alt", "caption", "credit",
    "slug", "aliases", "issue", "withdrawn", "corrections", "name", "role", "photo",
    "spellings", "names", "menu",
})
_TYPED_INSIDE = frozenset({"grade", "date"})
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_IMPLICIT = frozenset(f"tag:yaml.org,2002:{name}" for name in (
    "null", "bool", "int", "float", "timestamp", "str", "merge", "value"))


def load_front_matter(yaml_text: str, path: str) -> Any:
    """Safe YAML with four guards: at most MAX_FRONT_MATTER bytes; then, on the parsed nodes
    before any value is made, aliases may not expand past MAX_NODES values, a key written
    twice is an error naming both lines, and text fields keep their text (see TEXT_KEYS)."""
    if len(yaml_text.encode("utf-8")) > MAX_FRONT_MATTER:  # bounded before parsing
        raise ContentError(f"front matter is over {MAX_FRONT_MATTER // 1024} KB; keep it to "
                           "the article's details and put the story below the second ---",
                           path, 1)
    loader = YamlLoader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "*" in yaml_text or len(yaml_text) >= MAX_NODES:  # else: too few characters to
            _check_size(node, path)  # make that many values (each has one of its own)
        if isinstance(node, yaml.MappingNode):
            _check_duplicates(node, path)
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != _NULL:
                    key.tag = _STR
                    if key.value in TEXT_KEYS:
                        _as_text(value)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_size(root: yaml.Node, path: str) -> None:
    sizes: dict[int, int] = {}  # node id -> values under it, aliases expanded (memoized)
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        children = ([n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode)
                    else node.value if isinstance(node, yaml.SequenceNode) else [])
        if not children_done:
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        sizes[id(node)] = 1 + sum(sizes.get(id(child), 1) for child in children)
        if sizes[id(node)] > MAX_NODES:
            raise ContentError(f"front matter expands to over {MAX_NODES} values (aliases "
                               "repeating aliases?); write the values out", path,
                               root.start_mark.line + 1)


def _check_duplicates(node: yaml.Node, path: str, seen_nodes: set[int] | None = None) -> None:
    seen_nodes = set() if seen_nodes is None else seen_nodes
    if id(node) in seen_nodes:
        return
    seen_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        lines: dict[str, int] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                line = key.start_mark.line + 1
                if key.value in lines:
                    where = (f"on lines {lines[key.value]} and {line}"
                             if lines[key.value] != line else f"on line {line}")
                    raise ContentError(f'"{key.value}" is written twice, {where}; keep one',
                                       path, line)
                lines[key.value] = line
            _check_duplicates(value, path, seen_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicates(item, path, seen_nodes)


def _as_text(node: yaml.Node) -> None:
    """Plain scalars under a text key are read as the text written (nulls stay null)."""
    if isinstance(node, yaml.ScalarNode):
        # A plain scalar (style None in Python, "" in libyaml) that YAML typed by its look;
        # only an empty value or ~ stays null ("Null" is a name), explicit tags stay.
        if not node.style and node.tag in _IMPLICIT and node.value not in ("", "~"):
            node.tag = _STR
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _as_text(item)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if not (isinstance(key, yaml.ScalarNode) and key.value in _TYPED_INSIDE):
                _as_text(value)
