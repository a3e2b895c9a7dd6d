"""Read staff-written YAML into plain records that remember their line numbers.

Layout of an entries file: a list of entries, each a mapping (``- id: food-bank``). A
mapping with an ``entries:`` list, or a single entry mapping, is accepted too.

Every scalar stays text (``id: 12`` is ``"12"``, ``2026-04-01`` is a string until the
loader checks it), except empty values and ``~``/``null``, which become ``None``. That
keeps phone numbers, ids like ``010`` and answers like ``yes`` exactly as written.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterator
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from helpbot.knowledge.entries import Problem
from helpbot.knowledge.yaml_slips import slip_near

_KEEP_TAGS = frozenset({"tag:yaml.org,2002:null", "tag:yaml.org,2002:merge"})


class LineDict(dict[str, Any]):
    """A YAML mapping plus the 1-based line of the mapping and of each key."""

    line: int = 0
    key_lines: dict[str, int]
    repeated_keys: list[tuple[str, int]]
    # (key, line, what follows '#') of plain values that a ' #' on the same line cut short
    # (YAML reads the rest as a comment).
    comment_cuts: list[tuple[str, int, str]]
    # Keys written with nothing after them (``number:``, or ``number: #8008`` cut to nothing);
    # an explicit ``null`` or ``~`` is not blank.
    blank_keys: set[str]


class LineList(list[Any]):
    """A YAML sequence plus its 1-based line and the line of each item."""

    line: int = 0
    item_lines: list[int]


class _TextLoader(yaml.SafeLoader):
    """A safe loader that keeps scalars as text and records line numbers."""

    merged_lines: list[int]  # lines of '- ' items that were folded into the text above

    yaml_implicit_resolvers = {  # noqa: RUF012 - PyYAML's class-level registry
        first: [(tag, regexp) for tag, regexp in resolvers if tag in _KEEP_TAGS]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def _construct_mapping(loader: _TextLoader, node: MappingNode) -> Iterator[LineDict]:
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    data.repeated_keys = []
    data.comment_cuts = []
    data.blank_keys = set()
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = "" if key is None else str(key)
        line = key_node.start_mark.line + 1
        if key in data.key_lines:
            data.repeated_keys.append((key, line))
        data.key_lines[key] = line
        data.comment_cuts.extend((key, *cut) for cut in _comment_cuts(value_node))
        if isinstance(value_node, ScalarNode) and value_node.style is None and not value_node.value:
            data.blank_keys.add(key)
        data[key] = loader.construct_object(value_node, deep=True)


_COMMENT_AFTER = re.compile(r"[ \t]+#")


def _comment_cuts(node: Node) -> list[tuple[int, str]]:
    """(line, what follows '#') where a plain value (or a plain item of a list value) is
    followed by ' #' on its own line: YAML reads the rest as a comment, so
    ``今日食べるもの #2がありません`` loses everything from ``#``. Nested mappings are left to
    their own keys."""
    scalars = node.value if isinstance(node, SequenceNode) else [node]
    cuts = []
    for scalar in scalars:
        if not isinstance(scalar, ScalarNode) or scalar.style is not None or not scalar.value:
            continue
        mark = scalar.end_mark
        buffer = mark.buffer or ""
        found = _COMMENT_AFTER.match(buffer, mark.index)
        if found:
            rest = buffer[found.end() :].split("\n", 1)[0]
            cuts.append((mark.line + 1, rest.strip()))
    return cuts


def _construct_sequence(loader: _TextLoader, node: SequenceNode) -> Iterator[LineList]:
    data = LineList()
    data.line = node.start_mark.line + 1
    data.item_lines = [child.start_mark.line + 1 for child in node.value]
    yield data
    data.extend(loader.construct_object(child, deep=True) for child in node.value)


def _construct_text(loader: _TextLoader, node: ScalarNode) -> str:
    """A scalar as text; remember a plain one that swallowed an over-indented '- ' item."""
    value = loader.construct_scalar(node)
    buffer = node.start_mark.buffer
    if node.style is None and node.end_mark.line > node.start_mark.line and buffer:
        raw = buffer[node.start_mark.index : node.end_mark.index]
        for offset, line in enumerate(raw.splitlines()[1:], start=1):
            if line.lstrip().startswith("- "):
                loader.merged_lines.append(node.start_mark.line + offset + 1)
    return value


_TextLoader.add_constructor("tag:yaml.org,2002:str", _construct_text)
_TextLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_TextLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)

_SYNTAX_HINTS = (
    ("\\t", "indent with spaces, not tabs"),
    ("mapping values are not allowed", 'put text that contains ": " in quotes, like "..."'),
    ("expected <block end>", "check the indentation: fields of one entry line up exactly"),
    ("could not find expected ':'", "every field needs a colon, like 'answer: ...'"),
    ("found unexpected end of stream", "a quote is not closed"),
)


def text_list(value: Any) -> tuple[str, ...] | None:
    """A YAML list of texts, stripped and without empty ones; None when it is not one."""
    if isinstance(value, LineList) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value if v.strip())
    return None


def key_line(data: LineDict, key: str) -> int:
    """The line of ``key`` in a mapping (the mapping's own line when the key is absent)."""
    return data.key_lines.get(key, data.line or 1)


def unknown_fields(
    data: LineDict, allowed: tuple[str, ...], file: str, where: str = ""
) -> list[Problem]:
    """A problem for every key not in ``allowed``, with the nearest known one as the hint."""
    problems = []
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known fields: {', '.join(allowed)}"
            message = f"unknown field '{key}'" + (f" {where}" if where else "")
            problems.append(Problem(file, key_line(data, key), message, hint))
    return problems


def settings_problems(
    data: Any, file: str, *, texts: Collection[str], filled: Collection[str] = ()
) -> list[Problem]:
    """What YAML lets pass silently in a settings file (crisis.yaml, staff.yaml, texts.yaml,
    richmenu.yaml), anywhere in it:

    * a key written twice: YAML keeps the last one (a hotline's second ``number:``);
    * a text for people (a key in ``texts``, such as ``ja``) cut at ' #', and any value cut
      at a '#' followed by a digit (``#8008``, ``#7119``: numbers people dial);
    * a key of ``texts`` or ``filled`` written with nothing after it (``number:``), which
      would drop the text or the number without a word; ``null`` says "none" on purpose.
    """
    problems: list[Problem] = []
    texts, required = frozenset(texts), frozenset(texts) | frozenset(filled)

    def walk(node: Any, path: tuple[str, ...]) -> None:
        if isinstance(node, LineList):
            for item in node:
                walk(item, path)
            return
        if not isinstance(node, LineDict):
            return
        for key, line in node.repeated_keys:
            problems.append(Problem(file, line, f"'{key}' is written twice", _TWICE_HINT))
        for key, line, rest in node.comment_cuts:
            if key in texts or rest[:1].isdigit():
                problems.append(Problem(file, line, f"'{'.'.join((*path, key))}' was cut at "
                                        "' #': YAML reads the rest of the line as a comment",
                                        QUOTE_HINT))
        for key in sorted(node.blank_keys & required):
            problems.append(Problem(file, key_line(node, key),
                                    f"'{'.'.join((*path, key))}' is empty", _BLANK_HINT))
        for key, value in node.items():
            walk(value, (*path, str(key)))

    walk(data, ())
    return sorted(problems, key=lambda problem: problem.line)


_TWICE_HINT = "keep only one of them (the last one would be used)"
_BLANK_HINT = ('write it, in quotes when it starts with # ("#8008"); '
               "for none, write null or delete the line")


def parse_yaml(text: str, file: str) -> tuple[Any, list[Problem]]:
    """Parse YAML text; return the data (or None) and any syntax problem."""
    loader = _TextLoader(text)  # a SafeLoader subclass
    loader.merged_lines = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = error.problem or str(error)
        hint = next((h for needle, h in _SYNTAX_HINTS if needle in problem), "")
        slip = None if "\\t" in problem else slip_near(text, line)
        if slip is not None:
            line, hint = slip
        return None, [Problem(file, line, f"YAML syntax error: {problem}", hint or _YAML_HINT)]
    except yaml.YAMLError as error:
        return None, [Problem(file, 1, f"YAML error: {error}", _YAML_HINT)]
    finally:
        loader.dispose()
    merged = [
        Problem(file, line, "this list item is indented too far and was joined to the line "
                "above", "line up '- ' with the item above it")
        for line in sorted(set(loader.merged_lines))
    ]
    return (None if merged else data), merged


QUOTE_HINT = 'put the whole text in quotes, like "今日食べるもの #2がありません"'
_YAML_HINT = "compare with an entry that works, or with the example in faq/README.md"
