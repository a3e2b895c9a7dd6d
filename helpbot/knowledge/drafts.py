"""FAQ drafts: entries a case worker proposed from Slack, waiting in ``faq/drafts/``.

A draft is one ``.yaml`` file in the staff's own format (a list with one entry, comments at
the top saying where it came from), so it can be reviewed in git or by hand. The loader
skips ``drafts/``; ``helpbot faq check`` checks drafts beside the live files, and
``helpbot faq approve ID`` appends the entry to the file that holds its category.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from helpbot.core.files import replace_atomically
from helpbot.errors import DraftError
from helpbot.knowledge.entries import Problem
from helpbot.knowledge.folder_files import DRAFTS_DIR, knowledge_files
from helpbot.knowledge.loader import (
    load_dir,
    load_files,
    read_file_bytes,
)

_ID = re.compile(r"^faq-[0-9]{8}-[0-9]{6}(?:-[0-9]+)?$")
MAX_TEXT = 3000


@dataclass(frozen=True, slots=True)
class Draft:
    """A draft as listed by ``helpbot faq drafts``."""

    id: str
    path: Path
    question: str
    category: str
    comment: str


class _StaffDumper(yaml.SafeDumper):
    """Answers over several lines as ``|`` blocks, like the staff write them."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_StaffDumper.add_representer(str, _text)


def drafts_folder(faq_dir: Path) -> Path:
    return faq_dir / DRAFTS_DIR


def new_draft_id(faq_dir: Path, now: dt.datetime) -> str:
    """``faq-YYYYMMDD-HHMMSS`` (UTC), with ``-2``, ``-3``… when taken."""
    base = f"faq-{now.astimezone(dt.UTC):%Y%m%d-%H%M%S}"
    candidate, n = base, 1
    while (drafts_folder(faq_dir) / f"{candidate}.yaml").exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def draft_text(*, draft_id: str, question: str, answer: str, category: str,
               comment: str) -> str:
    """The draft file's text: comments, then one entry in the staff's format."""
    entry: dict[str, Any] = {"id": draft_id, "question": question.strip(),
                             "answer": answer.strip() + ("\n" if "\n" in answer.strip() else "")}
    if category:
        entry["category"] = category
    body = yaml.dump([entry], Dumper=_StaffDumper, allow_unicode=True, sort_keys=False,
                     width=10_000)
    lines = [f"# {line}" for line in comment.splitlines() if line.strip()]
    header = "\n".join([*lines, f"# 確認して `helpbot faq approve {draft_id}` / review, then "
                                f"`helpbot faq approve {draft_id}`"])
    return f"{header}\n\n{body}"


def save_draft(faq_dir: Path, *, now: dt.datetime, question: str, answer: str,
               category: str, comment: str) -> Draft:
    """Write a new draft (atomically) and return it."""
    question, answer = question.strip()[:MAX_TEXT], answer.strip()[:MAX_TEXT]
    if not question or not answer:
        raise DraftError("a draft needs a question and an answer")
    folder = drafts_folder(faq_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        draft_id = new_draft_id(faq_dir, now)
        path = folder / f"{draft_id}.yaml"
        _write_text(path, draft_text(draft_id=draft_id, question=question, answer=answer,
                                           category=category, comment=comment))
    except OSError as error:
        raise DraftError(f"cannot write to {folder} ({error.strerror}); check that the "
                         "faq/ folder is writable by helpbot") from None
    return Draft(id=draft_id, path=path, question=question, category=category,
                 comment=comment)


def _write_text(path: Path, text: str) -> None:
    replace_atomically(path, lambda file: file.write(text.encode("utf-8")))


def list_drafts(faq_dir: Path) -> list[Draft]:
    """Every draft in ``faq/drafts/``, oldest first."""
    folder = drafts_folder(faq_dir)
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.y*ml")):
        text = path.read_text(encoding="utf-8", errors="replace")
        comment = "\n".join(line[2:] for line in text.splitlines() if line.startswith("# "))
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            data = None
        entry = data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else {}
        found.append(Draft(id=path.stem, path=path, question=str(entry.get("question", "?")),
                           category=str(entry.get("category", "")), comment=comment))
    return found


def check_drafts(faq_dir: Path) -> list[Problem]:
    """Problems of the drafts, checked as if each were added to the live files."""
    live = {p.relative_to(faq_dir).as_posix(): read_file_bytes(p) for p in knowledge_files(faq_dir)}
    problems: list[Problem] = []
    for draft in list_drafts(faq_dir):
        name = f"{DRAFTS_DIR}/{draft.path.name}"
        _, found = load_files({**live, name: read_file_bytes(draft.path)}, folder_name=faq_dir.name)
        problems += [p for p in found if p.file == f"{faq_dir.name}/{name}"]
        if _ID.match(draft.id) is None and not draft.id.startswith("faq-"):
            problems.append(Problem(f"{faq_dir.name}/{name}", 1,
                                    "a draft's file name is its id (faq-YYYYMMDD-HHMMSS)"))
    return problems


def category_file(faq_dir: Path, category: str) -> Path:
    """The live file that holds most entries of ``category``."""
    kb, _ = load_dir(faq_dir)
    counts: dict[str, int] = {}
    for entry in kb.entries:
        # source is "faq/food.yaml:12": the folder's name, the file in it, the line.
        relative = entry.source.rsplit(":", 1)[0].split("/", 1)[-1]
        if entry.category == category and relative.endswith((".yaml", ".yml")):
            counts[relative] = counts.get(relative, 0) + 1
    if not counts:
        raise DraftError(
            f"no file holds entries of category {category!r}; name one with --into FILE"
        )
    return faq_dir / max(counts, key=counts.__getitem__)


def approve_draft(faq_dir: Path, draft_id: str, *, into: Path | None = None) -> Path:
    """Append the draft's entry to its category file, check the folder, remove the draft."""
    draft = next((d for d in list_drafts(faq_dir) if d.id == draft_id), None)
    if draft is None:
        raise DraftError(f"no draft {draft_id!r} in {drafts_folder(faq_dir)}; "
                         "`helpbot faq drafts` lists them")
    problems = [p for p in check_drafts(faq_dir) if p.file.endswith(f"/{draft.path.name}")]
    if problems:
        raise DraftError("fix the draft first:\n" + "\n".join(str(p) for p in problems))
    target = into if into is not None else category_file(faq_dir, draft.category)
    text = draft.path.read_text(encoding="utf-8")
    entry = "\n".join(line for line in text.splitlines() if not line.startswith("#")).strip()
    before = target.read_text(encoding="utf-8") if target.exists() else ""
    separator = "" if not before else ("\n" if before.endswith("\n") else "\n\n")
    _write_text(target, f"{before}{separator}\n{entry}\n" if before else f"{entry}\n")
    _, after = load_dir(faq_dir)
    if any(p.file.endswith(target.name) for p in after):
        _write_text(target, before)  # leave the live files as they were
        raise DraftError(f"{target.name} would not load with this entry; draft kept")
    draft.path.unlink()
    return target
