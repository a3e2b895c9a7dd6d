"""Turn one raw record (fields as staff wrote them) into a checked Entry."""

from __future__ import annotations

import difflib
from dataclasses import replace
from typing import Any

from helpbot.knowledge.entries import Contact, Entry, EntryKind, Problem
from helpbot.knowledge.phone_numbers import is_phone_number, leading_number, plain_leading_number
from helpbot.knowledge.program_answer import render_program_answer
from helpbot.knowledge.record_fields import (
    COMMON_FIELDS,
    CONTACT_FIELDS,
    PROGRAM_FIELDS,
    QUESTION_FIELDS,
    STATUSES,
    TRANSLATED,
    TRANSLATION_FIELDS,
    FieldChecker,
    Record,
    unknown_field_hint,
    unknown_language,
)
from helpbot.programs.records import ProgramRecord, read_program_fields

__all__ = ["Record", "build_entry", "render_program_answer"]


def build_entry(record: Record, file: str) -> tuple[Entry | None, list[Problem]]:
    """Check a record's fields and build its Entry; None when it has a problem."""
    check = FieldChecker(record, file)
    kind = _kind(check)
    known = COMMON_FIELDS + PROGRAM_FIELDS if kind is EntryKind.PROGRAM else COMMON_FIELDS
    known += TRANSLATION_FIELDS + QUESTION_FIELDS
    for key in record.fields:
        wrong_language = unknown_language(key)
        if wrong_language is not None:
            check.report(key, *wrong_language)
        elif key not in known:
            hint, suggestion = unknown_field_hint(key, kind)
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
        "translations": _translated(check, "answer_"),
        "question_translations": _translated(check, "question_"),
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


def _translated(check: FieldChecker, prefix: str) -> tuple[tuple[str, str], ...]:
    """("en", "...") pairs from answer_en, answer_easy, ... (or question_en, ...). A field
    written but left empty is reported: staff who wrote it expect the translation to be
    served, and the person would get the Japanese unnoticed. An empty CSV cell is no field."""
    pairs = []
    for key in TRANSLATED[prefix]:
        if key not in check.record.fields:
            continue
        text = check.text(key)
        if text is not None:
            pairs.append((key.removeprefix(prefix), text))
        elif check.record.fields[key] is None or isinstance(check.record.fields[key], str):
            what = prefix.removesuffix("_")
            undo = "clear the cell" if check.file.lower().endswith(".csv") else "delete the line"
            check.report(key, f"'{key}' is empty", f"write the {what} in that language, or {undo}")
    return tuple(pairs)


def _kind(check: FieldChecker) -> EntryKind | None:
    value = check.text("type") or check.text("kind")
    if value is None or value.lower() in {"faq", "question"}:
        return EntryKind.FAQ
    if value.lower() == "program":
        return EntryKind.PROGRAM
    key = "type" if "type" in check.record.fields else "kind"
    check.report(key, f"unknown type {value!r}", "use 'type: program' for a support program")
    return None


def _entry_id(check: FieldChecker) -> str:
    value = check.text("id")
    check.required("id", value, "add a short, unique id like 'food-bank'")
    return value or ""


def _status(check: FieldChecker) -> str:
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


def _program(check: FieldChecker, entry_id: str, common: dict[str, Any], url: str | None) -> Entry:
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


def _contact(check: FieldChecker) -> Contact:
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
    if parts.get("phone"):
        parts["phone"] = _phone(check, parts["phone"])
    return Contact(**parts)


def _phone(check: FieldChecker, text: str) -> str:
    """The phone with its number made plain (0120-27９-338 -> 0120-279-338); a number that
    people could not dial is reported."""
    phone = plain_leading_number(text)
    number = leading_number(phone)
    if number is None or not is_phone_number(number):
        check.report("contact", f"'contact.phone' is not a phone number people can dial: "
                     f"{phone!r}", "write it like 0120-000-123 or 03-1234-5678")
    return phone


_CONTACT_HINT = "write it like: contact: {phone: 0120-000-000, url: https://..., address: ...}"
