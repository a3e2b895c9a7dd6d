"""Reading benchmark files: FAQ entries and graded queries, one JSON object per line."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from helpbot.errors import BenchFormatError
from helpbot.knowledge.entries import Entry, EntryKind, KnowledgeBase

BREAK_MARKER = "＜改＞"  # the bench files' line-break marker inside answers


@dataclass(frozen=True, slots=True)
class Query:
    qid: str
    text: str
    relevant: frozenset[str]  # entry ids graded A or B


def _read_jsonl(path: Path) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BenchFormatError(f"{path}:{number}: not JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise BenchFormatError(f"{path}:{number}: expected a JSON object")
            rows.append(row)
    return rows


def load_faq(path: Path) -> KnowledgeBase:
    """FAQ lines ``{"id", "question", "answer"}`` as a knowledge base (ids become strings)."""
    entries: list[Entry] = []
    for number, row in enumerate(_read_jsonl(path), start=1):
        try:
            entries.append(
                Entry(
                    id=str(row["id"]),
                    kind=EntryKind.FAQ,
                    question=str(row["question"]),
                    answer=str(row.get("answer", "")).replace(BREAK_MARKER, "\n"),
                    source=f"{path.name}:{number}",
                )
            )
        except KeyError as exc:
            raise BenchFormatError(f"{path}:{number}: missing key {exc}") from exc
    return KnowledgeBase(entries=tuple(entries))


def load_queries(path: Path) -> list[Query]:
    """Query lines ``{"qid", "query", "relevant": [ids]}``; queries with no relevant entry skip."""
    queries: list[Query] = []
    for number, row in enumerate(_read_jsonl(path), start=1):
        try:
            relevant = row["relevant"]
            text = str(row["query"])
        except KeyError as exc:
            raise BenchFormatError(f"{path}:{number}: missing key {exc}") from exc
        if not isinstance(relevant, list):
            raise BenchFormatError(f"{path}:{number}: 'relevant' must be a list")
        if relevant:
            qid = str(row.get("qid", number))
            queries.append(Query(qid=qid, text=text, relevant=frozenset(map(str, relevant))))
    return queries
