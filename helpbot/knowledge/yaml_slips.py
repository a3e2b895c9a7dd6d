"""Typing slips that break YAML, found on the lines around a syntax error.

PyYAML names the place where parsing stopped, often the line after the slip, and says
"could not find expected ':'" or "expected <block end>": true, but no help to staff. The slips
a Japanese keyboard makes are easy to see on the line itself: a full-width space (U+3000) in
the indentation, a full-width colon 「：」 after a field name, no space after ':' or after a
list's '-'. The nearest line with one of them is named, with what to type.
"""

from __future__ import annotations

import re

# (pattern on one line, hint); the first that matches a line near the error wins.
_SLIPS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^[ \t]*\u3000"),
     "this line is indented with a full-width space; indent with half-width spaces"),
    (re.compile(r"^\s*(?:- )?[A-Za-z_]\w*\s*："),
     "'：' is full-width: write a half-width ':' and a space, like 'question: ...'"),
    (re.compile(r"^\s*(?:- )?[A-Za-z_]\w*:(?!//)[^\s:]"),
     "put a half-width space after ':', like 'question: ...'"),
    (re.compile(r"^\s*-[^\s\-]"), "put a half-width space after '-', like '- 日曜に'"),
)


def slip_near(text: str, line: int) -> tuple[int, str] | None:
    """(line, hint) of a typing slip at ``line`` (1-based), up to three lines before it (a
    blank line and the next entry may come between), or on the line after it."""
    lines = text.splitlines()
    for number in (line, line - 1, line - 2, line - 3, line + 1):
        if not 1 <= number <= len(lines):
            continue
        for pattern, hint in _SLIPS:
            if pattern.search(lines[number - 1]):
                return number, hint
    return None
