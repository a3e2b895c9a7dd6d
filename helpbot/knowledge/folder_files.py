"""Which files of a ``faq/`` folder are knowledge, and which are not read (and said so).

Every ``*.yaml``, ``*.yml`` and ``*.csv`` file is read (sub-folders too); names starting with
``_`` or ``.`` and the ``drafts/`` folder are skipped, except the special files
(``synonyms.yaml``, ``crisis.yaml``, ``staff.yaml``, ``texts.yaml``); ``richmenu.yaml`` is
not knowledge.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path, PurePosixPath

from helpbot.errors import KnowledgeError
from helpbot.knowledge.entries import Problem
from helpbot.knowledge.records import Record
from helpbot.knowledge.richmenu_file import RICHMENU_FILES

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


# Copies kept beside a special file: crisis_old.yaml, 「staff - コピー.yaml」, crisis (1).yaml.
_SPECIAL_STEMS = ("crisis", "staff", "texts", "synonyms", "richmenu")


def settings_copy(name: str, records: Sequence[Record]) -> str | None:
    """The special file (``crisis.yaml``) that the file ``name`` looks like a copy of: named
    like it, and holding settings rather than entries (one mapping without an ``id``). Read
    as entries it would give a page of puzzling mistakes. None otherwise."""
    stem = name.lower()
    special = next((s for s in _SPECIAL_STEMS if stem.startswith(s)), None)
    if special is None or len(records) != 1 or "id" in records[0].fields:
        return None
    return f"{special}.yaml"


def removed_settings(before: Collection[str], after: Collection[str], folder: str) -> list[Problem]:
    """A notice for each settings file (crisis.yaml, staff.yaml, texts.yaml, synonyms.yaml) in
    ``before`` but not in ``after`` (paths in the folder): deleted or renamed, so the built-in
    danger signs, hotlines, hours or texts are used instead of the NPO's own."""
    names = SYNONYM_FILES | RESERVED_FILES
    return [Problem(f"{folder}/{name}", 1, "this settings file was removed or renamed; the "
                    "built-in settings are used until it is back",
                    f"if that was a mistake, put {name} back")
            for name in sorted(set(before) - set(after)) if name.lower() in names]
