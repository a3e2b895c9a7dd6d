"""Load a ``faq/`` folder into a KnowledgeBase, reporting mistakes instead of raising.

Every ``*.yaml``, ``*.yml`` and ``*.csv`` file is read in sorted order (sub-folders too).
Files and folders whose names start with ``_`` or ``.`` are skipped, and so is ``drafts/``
(entries waiting for review), except the
special files: ``synonyms.yaml`` / ``_synonyms.yaml`` holds synonym groups, and
``crisis.yaml`` holds the danger signs and crisis resources, and ``staff.yaml`` the office
hours and handoff phrases (see ``policies.py``), ``texts.yaml`` the buttons and system
texts in every language (see ``texts_file.py``); ``richmenu.yaml`` (the LINE rich menu) is not
knowledge and is skipped. An entry with a
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
from helpbot.errors import KnowledgeError
from helpbot.knowledge.crisis_file import CrisisRules, builtin_crisis_rules, read_crisis_rules
from helpbot.knowledge.csv_files import read_csv_records
from helpbot.knowledge.entries import Entry, KnowledgeBase, Problem
from helpbot.knowledge.policies import StaffPolicy, read_staff_policy
from helpbot.knowledge.records import Record, build_entry
from helpbot.knowledge.richmenu_file import RICHMENU_FILES
from helpbot.knowledge.texts_file import read_text_catalogue
from helpbot.knowledge.yaml_files import read_entry_records, read_synonym_groups

logger = logging.getLogger(__name__)

ENTRY_SUFFIXES = frozenset({".yaml", ".yml", ".csv"})
SYNONYM_FILES = frozenset({"synonyms.yaml", "synonyms.yml", "_synonyms.yaml", "_synonyms.yml"})
CRISIS_FILES = frozenset({"crisis.yaml", "crisis.yml"})
STAFF_FILES = frozenset({"staff.yaml", "staff.yml"})
TEXT_FILES = frozenset({"texts.yaml", "texts.yml"})
RESERVED_FILES = CRISIS_FILES | STAFF_FILES | TEXT_FILES
FAQ_DIR_ENV = "HELPBOT_FAQ_DIR"
# Drafts of entries from case workers (knowledge/drafts.py): never loaded.
DRAFTS_DIR = "drafts"


def knowledge_files(folder: Path) -> list[Path]:
    """List the files ``load_dir`` reads (entries, synonyms, reserved), sorted."""
    if not folder.is_dir():
        raise KnowledgeError(
            f"The FAQ folder {str(folder)!r} does not exist or is not a folder. "
            f"Create it, or set {FAQ_DIR_ENV} to the folder that holds the FAQ files."
        )
    found: list[Path] = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or path.suffix.lower() not in ENTRY_SUFFIXES:
            continue
        top = len(relative.parts) == 1
        if top and path.name.lower() in RICHMENU_FILES:
            continue  # the LINE rich menu (helpbot line richmenu apply), not knowledge
        special = top and path.name.lower() in SYNONYM_FILES | RESERVED_FILES
        if relative.parts[0] == DRAFTS_DIR and len(relative.parts) > 1:
            continue  # proposals waiting for review (knowledge/drafts.py), not knowledge
        if special or not any(part.startswith(("_", ".")) for part in relative.parts):
            found.append(path)
    return found


# Files beside the knowledge that are never read and need no word: this guide, and the images
# and fonts of the rich menu.
_QUIET_SUFFIXES = frozenset({".md", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ttf", ".otf",
                             ".ttc"})
_SPREADSHEETS = frozenset({".xlsx", ".xls", ".xlsm", ".ods", ".numbers", ".tsv"})


def unread_files(folder: Path) -> list[Problem]:
    """A notice for each file not read for its type: ``food.txt``, ``food.yaml.txt`` (as
    Notepad saves it), an Excel ``.xlsx``. Its entries, or its danger signs for
    ``crisis.txt``, are not used, and nothing else would say so."""
    if not folder.is_dir():
        return []
    notices = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        suffix = path.suffix.lower()
        if (not path.is_file() or suffix in ENTRY_SUFFIXES | _QUIET_SUFFIXES
                or relative.parts[0] == DRAFTS_DIR
                or any(part.startswith(("_", ".")) for part in relative.parts)):
            continue
        stem = PurePosixPath(path.stem)
        keep = stem.suffix.lower() in ENTRY_SUFFIXES  # food.yaml.txt -> food.yaml
        name = (str(stem) if keep else
                stem.stem + (".csv" if suffix in _SPREADSHEETS else ".yaml"))
        notices.append(Problem(
            f"{folder.name}/{relative.as_posix()}", 1,
            "this file is not read: only .yaml, .yml and .csv files are",
            f"to use it, save it as {name} (a spreadsheet as 'CSV UTF-8'); "
            "to keep it unread, start its name with _"))
    return notices


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
