"""Turn one raw record (fields as staff wrote them) into a checked Entry."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field, replace
from typing import Any

from helpbot.knowledge.entries import Contact, Entry, EntryKind, Problem
from helpbot.programs.records import HSDS_FIELDS, ProgramRecord, read_program_fields

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
ANSWER_LANGUAGES = ("easy", "en", "zh", "ko", "vi", "pt", "es", "tl", "ne", "id")
TRANSLATION_FIELDS = tuple(f"answer_{code}" for code in ANSWER_LANGUAGES)
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
class _Checker:
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


def build_entry(record: Record, file: str) -> tuple[Entry | None, list[Problem]]:
    """Check a record's fields and build its Entry; None when it has a problem."""
    check = _Checker(record, file)
    kind = _kind(check)
    known = COMMON_FIELDS + PROGRAM_FIELDS if kind is EntryKind.PROGRAM else COMMON_FIELDS
    known += TRANSLATION_FIELDS
    for key in record.fields:
        if key.startswith("answer_") and key not in known:
            check.report(
                key,
                f"unknown language '{key.removeprefix('answer_')}' in '{key}'",
                f"known: {', '.join(TRANSLATION_FIELDS)}",
            )
        elif key not in known:
            hint, suggestion = _unknown_field_hint(key, kind)
            check.report(key, f"unknown field '{key}'", hint)
            if suggestion:
                check.suggested.add(suggestion)
    entry_id = _entry_id(check)
    common = {
        "alternates": check.texts("alternates"),
        "keywords": check.texts("keywords"),
        "category": check.text("category"),
        "language": (check.text("language") or "ja").lower(),
        "source": f"{file}:{record.line}",
        "area": check.text("area"),
        "area_code": check.text("area_code"),
        "last_checked": check.date("last_checked"),
        "status": _status(check),
        "extra": record.extra,
        "translations": tuple(
            (key.removeprefix("answer_"), text)
            for key in TRANSLATION_FIELDS
            if (text := check.text(key)) is not None
        ),
    }
    url = check.text("url")
    if kind is EntryKind.PROGRAM:
        entry = _program(check, entry_id, common, url)
    else:
        question, answer = check.text("question"), check.text("answer")
        check.required("question", question, "write the question people ask")
        check.required("answer", answer, "write the reply the bot should send")
        entry = Entry(entry_id, EntryKind.FAQ, question or "", _with_url(answer or "", url,
                      english=common["language"] == "en"), contact=Contact(url=url), **common)
    if check.problems or kind is None:
        return None, check.problems
    return entry, []


def _kind(check: _Checker) -> EntryKind | None:
    value = check.text("type") or check.text("kind")
    if value is None or value.lower() in {"faq", "question"}:
        return EntryKind.FAQ
    if value.lower() == "program":
        return EntryKind.PROGRAM
    key = "type" if "type" in check.record.fields else "kind"
    check.report(key, f"unknown type {value!r}", "use 'type: program' for a support program")
    return None


def _entry_id(check: _Checker) -> str:
    value = check.text("id")
    check.required("id", value, "add a short, unique id like 'food-bank'")
    return value or ""


def _status(check: _Checker) -> str:
    value = check.text("status")
    if value is None:
        return "active"
    status = value.lower().replace("_", " ")
    if status not in STATUSES:
        check.report("status", f"unknown status {value!r}",
                     "use active, inactive (paused), temporarily closed or defunct (ended)")
        return "active"
    return status


def _with_url(answer: str, url: str | None, *, english: bool) -> str:
    """An FAQ answer with its source page (an open-data 回答URL) when the text lacks it."""
    if not url or url in answer:
        return answer
    return f"{answer}\n{'More' if english else 'くわしくは'}: {url}"


def _program(check: _Checker, entry_id: str, common: dict[str, Any], url: str | None) -> Entry:
    name = check.text("name")
    check.required("name", name, "write the name of the program")
    record = check.record
    hsds, found = read_program_fields(record.fields, record.field_lines, record.line)
    for line, message, hint in found:
        if not message.startswith("unknown status"):  # reported once, with the common fields
            check.problems.append(Problem(check.file, line, message, hint))
    contact = _contact(check)
    if url and not contact.url:
        contact = replace(contact, url=url)
    fields = {
        "name": name,
        "summary": check.text("summary"),
        "eligibility": hsds["eligibility_description"] or check.text("for")
        or check.text("eligibility"),
        "how_to_apply": hsds["application_process"] or check.text("how_to_apply"),
        "contact": contact,
        "hours": hsds["schedule"] or check.text("hours"),
        "deadline": check.date("deadline"),
    }
    question = check.text("question") or name or ""
    draft = Entry(entry_id, EntryKind.PROGRAM, question, "", **common, **fields)
    program = _program_record(draft, hsds)
    draft = replace(draft, program=program)
    return replace(draft, answer=check.text("answer") or render_program_answer(draft))


def _program_record(entry: Entry, hsds: dict[str, Any]) -> ProgramRecord:
    details = {key: value for key, value in hsds.items()
               if key not in {"eligibility_description", "application_process", "schedule"}}
    return ProgramRecord(
        id=entry.id, name=entry.name or entry.question, language=entry.language,
        source=entry.source, summary=entry.summary, eligibility_description=entry.eligibility,
        application_process=entry.how_to_apply, schedule=entry.hours, deadline=entry.deadline,
        phone=entry.contact.phone, address=entry.contact.address,
        last_checked=entry.last_checked, names=(entry.name or entry.question, *entry.keywords),
        **{**details, "url": details["url"] or entry.contact.url},
    )


def _contact(check: _Checker) -> Contact:
    value = check.record.fields.get("contact")
    if value is None:
        return Contact()
    if not isinstance(value, dict):
        check.report("contact", "'contact' must list phone, url and/or address", _CONTACT_HINT)
        return Contact()
    parts: dict[str, str | None] = {}
    for key, text in value.items():
        if key not in CONTACT_FIELDS:
            close = difflib.get_close_matches(key, CONTACT_FIELDS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else _CONTACT_HINT
            check.report("contact", f"unknown field 'contact.{key}'", hint)
        elif text is not None and not isinstance(text, str):
            check.report("contact", f"'contact.{key}' must be text", _CONTACT_HINT)
        else:
            parts[key] = text.strip() if text and text.strip() else None
    return Contact(**parts)


_CONTACT_HINT = "write it like: contact: {phone: 0120-000-000, url: https://..., address: ...}"


def _unknown_field_hint(key: str, kind: EntryKind | None) -> tuple[str, str | None]:
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


_LABELS = {
    "ja": {
        "for": "対象",
        "area": "地域",
        "apply": "申し込み方法",
        "documents": "持っていくもの",
        "phone": "電話",
        "url": "ウェブ",
        "address": "場所",
        "hours": "受付時間",
        "deadline": "締め切り",
        "checked": "情報確認日",
    },
    "en": {
        "for": "Who it is for",
        "area": "Area",
        "apply": "How to apply",
        "documents": "What to bring",
        "phone": "Phone",
        "url": "Web",
        "address": "Address",
        "hours": "Hours",
        "deadline": "Deadline",
        "checked": "Information checked on",
    },
}


def render_program_answer(entry: Entry) -> str:
    """Write a plain-language answer from a support program's fields."""
    english = entry.language == "en"
    labels = _LABELS["en" if english else "ja"]
    lines = [f"[{entry.name}]" if english else f"【{entry.name}】"]
    if entry.summary:
        lines.append(entry.summary)
    rows = (
        ("for", entry.eligibility),
        ("area", entry.area),
        ("apply", entry.how_to_apply),
        ("documents", "、".join(entry.program.required_documents) if entry.program else None),
        ("phone", entry.contact.phone),
        ("url", entry.contact.url),
        ("address", entry.contact.address),
        ("hours", entry.hours),
        ("deadline", _format_date(entry.deadline, english=english)),
        ("checked", _format_date(entry.last_checked, english=english)),
    )
    lines.extend(f"{labels[label]}: {value}" for label, value in rows if value)
    return "\n".join(lines)


def _format_date(date: dt.date | None, *, english: bool) -> str | None:
    if date is None:
        return None
    return date.isoformat() if english else f"{date.year}年{date.month}月{date.day}日"
