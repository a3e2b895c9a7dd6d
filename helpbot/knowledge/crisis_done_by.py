"""``done_by`` in a ``crisis.yaml`` category: who does it decides the category.

A danger sign of another category (``instead_of``) belongs to this category when one of
``words`` is the one who does it (「お父さんに殴られる」 is a child's danger, not a
partner's)::

    - id: child
      done_by:
        instead_of: [violence]          # category ids whose signs this rule re-files
        words: [父, お父さん, パパ, dad, mom, bố, mẹ, tatay]   # the doers
        by: [by, ng, ni, oleh, pelo, por]   # "hit by my dad": the doer after the sign
        others: [夫, 彼氏, husband, chồng]   # 「母は夫に殴られて」: the nearer doer did it

How a word counts as the doer is :mod:`helpbot.crisis.done_by`'s to say.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from helpbot.knowledge.entries import Problem
from helpbot.knowledge.yaml_files import LineDict, LineList, key_line, text_list, unknown_fields

DONE_BY_FIELDS = ("instead_of", "words", "by", "others")
_EXAMPLE = "done_by:\n  instead_of: [violence]\n  words: [父, お父さん, dad, mom]"


@dataclass(frozen=True, slots=True)
class DoneBy:
    instead_of: tuple[str, ...]  # category ids
    words: tuple[str, ...]  # the doers, any language
    by: tuple[str, ...] = ()  # words that put the doer after the sign ("by", Tagalog "ng")
    others: tuple[str, ...] = ()  # other doers (夫, husband): between word and sign, they did it
    line: int = 0  # where it is written, for the check of instead_of


def read_done_by(item: LineDict, file: str, problems: list[Problem]) -> DoneBy | None:
    """The ``done_by`` of one category, or None (with a problem when it is misspelt)."""
    raw: Any = item.get("done_by")
    if raw is None:
        return None
    line = key_line(item, "done_by")
    if not isinstance(raw, LineDict):
        problems.append(Problem(file, line, "'done_by' needs 'instead_of' and 'words'", _EXAMPLE))
        return None
    problems.extend(unknown_fields(raw, DONE_BY_FIELDS, file, "in 'done_by'"))
    lists = {}
    for name in DONE_BY_FIELDS:
        value = text_list(raw.get(name, LineList()))
        if value is None:
            problems.append(Problem(file, key_line(raw, name), f"'done_by: {name}' must be a "
                                    "list of words", f"{name}: [..., ...]"))
        elif not value and name in ("instead_of", "words"):
            at = key_line(raw, name) if name in raw else line
            problems.append(Problem(file, at, f"'done_by' needs '{name}'", _EXAMPLE))
        lists[name] = value or ()
    if not lists["instead_of"] or not lists["words"]:
        return None
    return DoneBy(lists["instead_of"], lists["words"], lists["by"], lists["others"], line)


def check_done_by(key: str, done_by: DoneBy, known: set[str], file: str) -> list[Problem]:
    """``instead_of`` must name other categories of the file."""
    problems = []
    for other in done_by.instead_of:
        if other == key:
            problems.append(Problem(file, done_by.line, f"category '{key}' re-files itself in "
                                    "'done_by: instead_of'", "name another category's id"))
        elif other not in known:
            problems.append(Problem(file, done_by.line, f"'done_by: instead_of' names an "
                                    f"unknown category '{other}'",
                                    f"known ids: {', '.join(sorted(known))}"))
    return problems
