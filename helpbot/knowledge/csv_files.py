"""Read FAQ spreadsheets saved as CSV into plain records with exact line numbers.

Two header layouts are understood (the header is line 1):

* ``id,question,answer,alternates,keywords,category,language`` — alternates and
  keywords are separated by ``|`` (or the full-width ``｜``);
* the Japanese FAQ open-data layout ``ID,問い合わせ文,応答文,カテゴリ`` (``質問``/``回答``
  and similar names are accepted too).
"""

from __future__ import annotations

import csv
import difflib
import io

from helpbot.knowledge.entries import Problem
from helpbot.knowledge.records import Record

HEADER_ALIASES: dict[str, str] = {
    "id": "id",
    "question": "question",
    "answer": "answer",
    "alternates": "alternates",
    "keywords": "keywords",
    "category": "category",
    "language": "language",
    "問い合わせ文": "question",
    "問い合わせ": "question",
    "質問": "question",
    "質問文": "question",
    "応答文": "answer",
    "応答": "answer",
    "回答": "answer",
    "回答文": "answer",
    "言い換え": "alternates",
    "キーワード": "keywords",
    "カテゴリ": "category",
    "カテゴリー": "category",
    "分類": "category",
    "言語": "language",
}
REQUIRED_COLUMNS = ("id", "question", "answer")
_CELL_LIST_SEPARATORS = ("｜", "|")


def split_cell_list(text: str) -> list[str]:
    """Split a cell like ``ごはん|食べ物`` into its non-empty parts."""
    for separator in _CELL_LIST_SEPARATORS[:-1]:
        text = text.replace(separator, _CELL_LIST_SEPARATORS[-1])
    return [part.strip() for part in text.split(_CELL_LIST_SEPARATORS[-1]) if part.strip()]


def read_csv_records(text: str, file: str) -> tuple[list[Record], list[Problem]]:
    """Read a CSV file into one record per non-empty row."""
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[Problem] = []
    try:
        header = next(reader, None)
        if header is None:
            return [], []
        columns = _header_columns(header, file, problems)
        if columns is None:
            return [], problems
        records: list[Record] = []
        row_start = reader.line_num + 1
        for row in reader:
            line, row_start = row_start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(columns) and any(cell.strip() for cell in row[len(columns) :]):
                message = "this row has more cells than the header"
                problems.append(Problem(file, line, message, _COMMA_HINT))
                continue
            fields = {
                name: cell.strip()
                for name, cell in zip(columns, row, strict=False)
                if name is not None and cell.strip()
            }
            records.append(Record(line=line, fields=fields))
    except csv.Error as error:
        problems.append(Problem(file, reader.line_num or 1, f"CSV error: {error}", _COMMA_HINT))
        return [], problems
    return records, problems


_HEADER_HINT = "the first line should be id,question,answer,... or ID,問い合わせ文,応答文,カテゴリ"
_COMMA_HINT = 'put text that contains commas or line breaks in double quotes: "..."'


def _header_columns(
    header: list[str], file: str, problems: list[Problem]
) -> list[str | None] | None:
    columns: list[str | None] = []
    for raw in header:
        name = raw.strip().lstrip("\ufeff")
        known = HEADER_ALIASES.get(name) or HEADER_ALIASES.get(name.lower())
        if known is None and name:
            close = difflib.get_close_matches(name.lower(), list(HEADER_ALIASES), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"use: {', '.join(HEADER_ALIASES)}"
            problems.append(Problem(file, 1, f"unknown column '{name}' in the header", hint))
        columns.append(known)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        message = f"the header has no {' / '.join(missing)} column"
        problems.append(Problem(file, 1, message, _HEADER_HINT))
        return None
    return columns
