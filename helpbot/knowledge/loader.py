"""Load a ``faq/`` folder into a KnowledgeBase, reporting mistakes instead of raising.

Every ``*.yaml``, ``*.yml`` and ``*.csv`` file is read in sorted order (sub-folders too).
Files and folders whose names start with ``_`` or ``.`` are skipped, and so is ``drafts/``
(entries waiting for review), except the
special files: ``synonyms.yaml`` / ``_synonyms.yaml`` holds synonym groups, and
``crisis.yaml`` holds the danger signs and crisis resources, and ``staff.yaml`` the office
hours and handoff phrases (see ``policies.py``), ``texts.yaml`` the buttons and system
texts in every language (see ``texts_file.py``); ``richmenu.yaml`` (the LINE rich menu) is not
knowledge and is skipped (which files: ``folder_files.py``). An entry with a
mistake is left out and reported as a Problem; every good entry still loads.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from helpbot.core.texts import TextCatalogue
from helpbot.knowledge.crisis_file import CrisisRules, builtin_crisis_rules, read_crisis_rules
from helpbot.knowledge.csv_files import read_csv_records
from helpbot.knowledge.entries import Entry, KnowledgeBase, Problem
from helpbot.knowledge.folder_files import (
    CRISIS_FILES,
    STAFF_FILES,
    SYNONYM_FILES,
    TEXT_FILES,
    knowledge_files,
    settings_copy,
    unread_files,
)
from helpbot.knowledge.policies import StaffPolicy, read_staff_policy
from helpbot.knowledge.records import Record, build_entry
from helpbot.knowledge.texts_file import read_text_catalogue
from helpbot.knowledge.yaml_records import read_entry_records, read_synonym_groups

logger = logging.getLogger(__name__)

@dataclass(slots=True)
class _Collector:
    entries: list[Entry] = field(default_factory=list)
    synonyms: list[tuple[str, ...]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)  # told, but nothing is refused
    first_seen: dict[str, str] = field(default_factory=dict)
    # (entry, file, line of its category) for the check against staff.yaml's categories.
    categorized: list[tuple[Entry, str, int]] = field(default_factory=list)
    crisis: CrisisRules | None = None
    staff: StaffPolicy | None = None
    texts: TextCatalogue | None = None


def load_dir(path: Path) -> tuple[KnowledgeBase, list[Problem]]:
    """Load every knowledge file in ``path``; return the good entries and all problems."""
    folder = Path(path)
    files = {
        file_path.relative_to(folder).as_posix(): read_file_bytes(file_path)
        for file_path in knowledge_files(folder)
    }
    kb, problems = load_files(files, folder_name=folder.name)
    return replace(kb, notices=(*kb.notices, *unread_files(folder))), problems


def load_files(
    files: Mapping[str, bytes | OSError], *, folder_name: str
) -> tuple[KnowledgeBase, list[Problem]]:
    """Load knowledge from file contents keyed by their path in the folder (``food.yaml``).

    The same files give the same knowledge wherever they come from: the folder on disk, or
    the published version stored in the database.
    """
    collected = _Collector()
    for relative in sorted(files):
        start = len(collected.problems)
        _load_file(PurePosixPath(relative), f"{folder_name}/{relative}", files[relative],
                   collected)
        collected.problems[start:] = sorted(collected.problems[start:], key=lambda p: p.line)
    _check_categories(collected)
    if collected.crisis is None:
        # No crisis.yaml of its own (or one with mistakes, reported above): watch for danger
        # with the built-in signs rather than not at all.
        collected.crisis = builtin_crisis_rules()
    kb = KnowledgeBase(
        entries=tuple(collected.entries),
        synonyms=tuple(collected.synonyms),
        crisis=collected.crisis,
        staff=collected.staff,
        notices=tuple(collected.notices),
        texts=collected.texts,
    )
    logger.debug(
        "loaded %s entries and %s problems from %s",
        len(kb.entries),
        len(collected.problems),
        folder_name,
    )
    return kb, collected.problems


def read_file_bytes(file_path: Path) -> bytes | OSError:
    try:
        return file_path.read_bytes()
    except OSError as error:
        return error


def _load_file(
    file_path: PurePosixPath, name: str, data: bytes | OSError, collected: _Collector
) -> None:
    lower = file_path.name.lower()
    is_csv = file_path.suffix.lower() == ".csv"
    text, problem = decode_text(data, name)
    if problem is not None and is_csv and not isinstance(data, OSError):
        # Excel saves "CSV" as Shift_JIS: read it as such and say so, rather than refuse it.
        converted = _shift_jis_text(data)
        if converted is not None:
            text, problem = converted, None
            collected.notices.append(Problem(
                name, 1, "the file was Shift_JIS; it was read as Shift_JIS (cp932)",
                "save it as UTF-8 to silence this notice; in Excel choose 'CSV UTF-8'"))
    if problem is not None:
        collected.problems.append(problem)
        return
    if lower in CRISIS_FILES:
        collected.crisis, problems = read_crisis_rules(text, name)
        collected.problems.extend(problems)
        return
    if lower in STAFF_FILES:
        collected.staff, problems = read_staff_policy(text, name)
        collected.problems.extend(problems)
        return
    if lower in TEXT_FILES:
        collected.texts, problems = read_text_catalogue(text, name)
        collected.problems.extend(problems)
        return
    if lower in SYNONYM_FILES:
        groups, problems = read_synonym_groups(text, name)
        collected.synonyms.extend(groups)
        collected.problems.extend(problems)
        return
    if is_csv:
        records, problems = read_csv_records(text, name, collected.notices)
    else:
        records, problems = read_entry_records(text, name)
        copy_of = settings_copy(file_path.name, records)
        if copy_of is not None:
            records, problems = [], [Problem(
                name, 1, f"this looks like a copy of {copy_of}; only the file named "
                f"{copy_of} is read as one",
                f"to keep it, start its name with _ (_{file_path.name}); to use it, "
                f"name it {copy_of}")]
        if not records and not problems:  # emptied by mistake, or kept for later: say so
            collected.notices.append(Problem(
                name, 1, "the file has no entries (it is empty or has only comments)",
                "if it was saved empty by mistake, undo and save it again with its entries"))
    collected.problems.extend(problems)
    for record in records:
        _add_record(record, name, collected)


def _add_record(record: Record, name: str, collected: _Collector) -> None:
    entry, problems = build_entry(record, name)
    raw_id = record.fields.get("id")
    entry_id = entry.id if entry else (str(raw_id).strip() if isinstance(raw_id, str) else "")
    if entry_id:
        where = f"{name}:{record.field_lines.get('id', record.line)}"
        first = collected.first_seen.setdefault(entry_id, where)
        if first != where:
            problems.append(
                Problem(
                    name,
                    record.field_lines.get("id", record.line),
                    f"duplicate id '{entry_id}' (first used at {first})",
                    "give this entry a different id; each id must be used only once",
                )
            )
    collected.problems.extend(problems)
    if entry is not None and not problems:
        collected.entries.append(entry)
        if entry.category:
            line = record.field_lines.get("category", record.line)
            collected.categorized.append((entry, name, line))


def _check_categories(collected: _Collector) -> None:
    """With ``categories:`` in staff.yaml, an entry in any other category is a problem."""
    known = collected.staff.categories if collected.staff else ()
    if not known:
        return
    for entry, name, line in collected.categorized:
        if entry.category in known:
            continue
        close = difflib.get_close_matches(entry.category or "", known, n=1, cutoff=0.5)
        hint = (f"did you mean '{close[0]}'? " if close else "") + (
            f"use one of: {', '.join(known)} (or add it to 'categories' in staff.yaml)")
        collected.problems.append(Problem(name, line, f"unknown category '{entry.category}'",
                                          hint))
        collected.entries.remove(entry)


def decode_text(data: bytes | OSError, name: str) -> tuple[str, Problem | None]:
    """Decode a file as UTF-8 (with or without BOM); report undecodable bytes with their line."""
    if isinstance(data, OSError):
        return "", Problem(name, 1, f"cannot read the file: {data.strerror or data}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        looks_sjis = _looks_japanese(data, "cp932")
        message = "the file is not UTF-8" + (" (it looks like Shift_JIS)" if looks_sjis else "")
        hint = "save the file as UTF-8; in Excel choose 'CSV UTF-8'"
        message = f"{message}: cannot read byte 0x{data[error.start]:02x}"
        return "", Problem(name, line, message, hint)
    return text, None


def file_text(name: str, data: bytes) -> str:
    """A loaded file's text as the loader read it: UTF-8, or Shift_JIS (cp932) for a CSV
    saved by Excel. For storing a published version, whose files all loaded."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        converted = _shift_jis_text(data) if name.lower().endswith(".csv") else None
        if converted is None:
            raise
        return converted


def _shift_jis_text(data: bytes) -> str | None:
    """The text of a Shift_JIS (cp932) file with Japanese in it; None when it is not one."""
    if not _looks_japanese(data, "cp932"):
        return None
    return data.decode("cp932")


def _looks_japanese(data: bytes, encoding: str) -> bool:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return bool(_KANA_OR_KANJI.search(text)) and not _PRIVATE_USE.search(text)


_KANA_OR_KANJI = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
