"""Entries files and the synonyms file, read from staff-written YAML (``yaml_files.py``
parses it, keeping line numbers) into records and synonym groups, with file and line for
what is wrong."""

from __future__ import annotations

from typing import Any

from helpbot.knowledge.entries import Problem
from helpbot.knowledge.records import Record
from helpbot.knowledge.yaml_files import QUOTE_HINT, LineDict, LineList, parse_yaml


def read_entry_records(text: str, file: str) -> tuple[list[Record], list[Problem]]:
    """Split an entries file into records (one per entry mapping)."""
    data, problems = parse_yaml(text, file)
    if problems or data is None:
        return [], problems
    if isinstance(data, LineDict) and "entries" in data:
        items = data["entries"]
        if items is None:
            return [], []
        if not isinstance(items, LineList):
            line = data.key_lines.get("entries", data.line)
            return [], [Problem(file, line, "'entries:' must be a list", _LIST_HINT)]
    elif isinstance(data, LineDict):
        items = [data]
    elif isinstance(data, LineList):
        items = data
    else:
        return [], [Problem(file, 1, "the file should be a list of entries", _LIST_HINT)]
    records: list[Record] = []
    for position, item in enumerate(items):
        if isinstance(item, LineDict):
            records.append(_record(item, file, problems))
        elif item is not None:
            line = _item_line(items, position)
            problems.append(Problem(file, line, "this item is not an entry", _LIST_HINT))
    return records, problems


# Fields written as codes, dates or names, where a '# note' after the value is a real comment.
_CODE_FIELDS = frozenset({
    "id", "type", "kind", "status", "language", "level", "category", "last_checked", "deadline",
    "area_code", "url", "helps_with", "languages",
})
_LIST_HINT = "start each entry with '- id: ...' and write its fields below it, indented"


def _record(item: LineDict, file: str, problems: list[Problem]) -> Record:
    for key, line in item.repeated_keys:
        problems.append(
            Problem(file, line, f"field '{key}' is written twice", "keep only one of them")
        )
    for key, line, _rest in item.comment_cuts:
        if key not in _CODE_FIELDS:
            problems.append(Problem(file, line, f"'{key}' was cut at ' #': YAML reads the rest "
                                    "of the line as a comment", QUOTE_HINT))
    return Record(line=item.line, fields=dict(item), field_lines=dict(item.key_lines))


def _item_line(items: Any, position: int) -> int:
    lines = getattr(items, "item_lines", None)
    return lines[position] if lines else 1


def read_synonym_groups(text: str, file: str) -> tuple[list[tuple[str, ...]], list[Problem]]:
    """Read a synonyms file: a list of groups, each a list of words meaning the same."""
    data, problems = parse_yaml(text, file)
    if problems or data is None:
        return [], problems
    if not isinstance(data, LineList):
        return [], [Problem(file, 1, "the synonyms file should be a list of groups", _SYN_HINT)]
    groups: list[tuple[str, ...]] = []
    for position, group in enumerate(data):
        line = _item_line(data, position)
        if not isinstance(group, LineList) or not all(isinstance(w, str) for w in group):
            message = "a synonym group must be a list of words"
            problems.append(Problem(file, line, message, _SYN_HINT))
            continue
        words = tuple(dict.fromkeys(w.strip() for w in group if w.strip()))
        if len(words) < 2:
            message = "a synonym group needs two or more words"
            problems.append(Problem(file, line, message, _SYN_HINT))
            continue
        groups.append(words)
    return groups, problems


_SYN_HINT = "write each group like: - [ひとり親, シングルマザー, 母子家庭]"
