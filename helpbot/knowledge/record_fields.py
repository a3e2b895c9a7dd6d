"""The fields of one raw record: the names staff may write, and reading one field's value.

A ``FieldChecker`` reads a text, a list or a date from a record and reports a problem (with
the line and a hint) when it is not what staff meant to write.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from helpbot.knowledge.entries import EntryKind, Problem
from helpbot.programs.records import HSDS_FIELDS

COMMON_FIELDS = (
    "id",
    "type",
    "kind",
    "question",
    "answer",
    "alternates",
    "keywords",
    "category",
    "language",
    "url",
    "area",
    "area_code",
    "last_checked",
    "status",
)
PROGRAM_FIELDS = (
    "name",
    "summary",
    "for",
    "eligibility",
    "how_to_apply",
    "contact",
    "hours",
    "deadline",
    *HSDS_FIELDS,  # helpbot/programs/records.py: HSDS 3 fields and machine-readable conditions
)
# HSDS 3 service status; only "active" entries are offered to people.
STATUSES = ("active", "inactive", "defunct", "temporarily closed")
CONTACT_FIELDS = ("phone", "url", "address")
# answer_<language>: the answer in another language; "easy" is やさしい日本語.
ANSWER_LANGUAGES = ("easy", "en", "zh", "ko", "vi", "pt", "es", "tl", "ne", "id", "my")
# Every language a text for people may be written in (crisis.yaml also has th).
TEXT_LANGUAGES = ("ja", *ANSWER_LANGUAGES, "th")
TRANSLATION_FIELDS = tuple(f"answer_{code}" for code in ANSWER_LANGUAGES)
# question_<language>: the question in another language, for the buttons that offer the entry.
QUESTION_FIELDS = tuple(f"question_{code}" for code in ANSWER_LANGUAGES)
# The translated fields by prefix: answer_en, question_en, ...
TRANSLATED = {"answer_": TRANSLATION_FIELDS, "question_": QUESTION_FIELDS}
# Hints only: field names staff may write in Japanese.
_JAPANESE_NAMES = {
    "質問": "question",
    "問い合わせ文": "question",
    "回答": "answer",
    "答え": "answer",
    "応答文": "answer",
    "言い換え": "alternates",
    "キーワード": "keywords",
    "カテゴリ": "category",
    "名前": "name",
    "対象": "for",
    "電話": "contact",
}
# Only year-month-day with hyphens: 2026/10/1 or 10/1/2026 are read differently by people.
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASHED_DATE = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
_DATE_HINT = "write the date like 2026-04-01"


@dataclass(frozen=True, slots=True)
class Record:
    """One raw entry from a file: its fields as written, and where it starts."""

    line: int
    fields: dict[str, Any]
    field_lines: dict[str, int] = field(default_factory=dict)
    # Open-data CSV columns helpbot has no field for: (column name, cell), kept on the entry.
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class FieldChecker:
    record: Record
    file: str
    problems: list[Problem] = field(default_factory=list)
    suggested: set[str] = field(default_factory=set)  # fields an unknown-field hint named

    def line(self, key: str) -> int:
        return self.record.field_lines.get(key, self.record.line)

    def report(self, key: str | None, message: str, hint: str = "") -> None:
        line = self.line(key) if key else self.record.line
        self.problems.append(Problem(self.file, line, message, hint))

    def text(self, key: str) -> str | None:
        value = self.record.fields.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.report(key, f"'{key}' must be text", "write it on one line, or use '|' for lines")
            return None
        return value.strip() or None

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.record.fields.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            parts = re.split(r"[|｜]", value)
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            parts = value
        else:
            self.report(key, f"'{key}' must be a list of texts", f"write it like: {key}: [a, b]")
            return ()
        return tuple(dict.fromkeys(part.strip() for part in parts if part.strip()))

    def date(self, key: str) -> dt.date | None:
        value = self.text(key)
        if value is None:
            return None
        match = _DATE.fullmatch(value)
        try:
            if match is None:
                raise ValueError(value)
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            slashed = _SLASHED_DATE.fullmatch(value)
            hint = _DATE_HINT if slashed is None else "write it as {}-{:02d}-{:02d}".format(
                *(int(part) for part in slashed.groups()))
            self.report(key, f"'{key}' is not a valid date: {value!r}", hint)
            return None

    def required(self, key: str, value: str | None, hint: str) -> None:
        raw = self.record.fields.get(key)
        if key in self.suggested:
            return  # "unknown field 'anser' (did you mean 'answer'?)" already says it
        if value is None and (raw is None or isinstance(raw, str)):
            self.report(key, f"missing '{key}'", hint)


def unknown_field_hint(key: str, kind: EntryKind | None) -> tuple[str, str | None]:
    """Say how to fix an unknown field, and which known field it probably meant."""
    if key in PROGRAM_FIELDS:
        return "this field is for support programs: add 'type: program'", None
    if key in CONTACT_FIELDS:
        return f"write it under contact:, like 'contact: {{{key}: ...}}'", None
    if key in _JAPANESE_NAMES:
        meant = _JAPANESE_NAMES[key]
        return f"write field names in English: '{meant}'", meant
    known = COMMON_FIELDS + PROGRAM_FIELDS if kind is EntryKind.PROGRAM else COMMON_FIELDS
    close = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?", close[0]
    return f"known fields: {', '.join(known)}", None


def translated_prefix(key: str) -> str | None:
    """"answer_" or "question_" for a translated field name (answer_en, question_fr, ...)."""
    return next((prefix for prefix in TRANSLATED if key.startswith(prefix)), None)


def unknown_language(key: str) -> tuple[str, str] | None:
    """(message, hint) for a translated field in a language helpbot has no name for
    (``answer_fr``); None for a known one or another field. YAML fields and CSV columns alike."""
    prefix = translated_prefix(key)
    if prefix is None or key in TRANSLATED[prefix]:
        return None
    return (f"unknown language '{key.removeprefix(prefix)}' in '{key}'",
            f"known: {', '.join(TRANSLATED[prefix])}")
