"""Read FAQ spreadsheets saved as CSV into plain records with exact line numbers.

Header layouts understood (the header is line 1):

* ``id,question,answer,alternates,keywords,category,language`` — alternates and
  keywords are separated by ``|`` (or the full-width ``｜``);
* the Japanese FAQ open-data layouts: ``ID,問い合わせ文,応答文,カテゴリ`` and the municipal
  standard dataset (自治体標準オープンデータセット「FAQ（よくある質問）」), whose columns
  ``全国地方公共団体コード`` → ``area_code``, ``地方公共団体名`` → ``area``, ``回答URL`` →
  ``url`` and ``更新日`` → ``last_checked`` are used (``2024/4/1`` and ``2024年4月1日`` are read
  as 2024-04-01 there).

Columns ``answer_<language>`` and ``question_<language>`` (``answer_en``, ``question_easy``)
are translations, as in a YAML entry; an unknown language (``answer_fr``) is a mistake named on
line 1. A blank cell there means no translation for that row; a cell of only spaces is reported
as empty, like ``answer_en: ""`` in YAML.

Any other column (``所管部署``, ``備考``, ...) is kept on the entry as it is and named once in a
notice, not refused; only an English name close to a known one (``answr``) is a mistake.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass

from helpbot.knowledge.entries import Problem
from helpbot.knowledge.record_fields import translated_prefix, unknown_language
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
    "質問内容": "question",
    "問合せ": "question",
    "問い合せ": "question",
    "回答内容": "answer",
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
    "url": "url",
    "area": "area",
    "area_code": "area_code",
    "last_checked": "last_checked",
    "status": "status",
    "回答url": "url",  # 回答URL (names are also looked up in lower case)
    "更新日": "last_checked",
    "最終更新日": "last_checked",
    "確認日": "last_checked",
    "全国地方公共団体コード": "area_code",
    "地方公共団体コード": "area_code",
    "地方公共団体名": "area",
}
REQUIRED_COLUMNS = ("id", "question", "answer")
_CELL_LIST_SEPARATORS = ("｜", "|")


def split_cell_list(text: str) -> list[str]:
    """Split a cell like ``ごはん|食べ物`` into its non-empty parts."""
    for separator in _CELL_LIST_SEPARATORS[:-1]:
        text = text.replace(separator, _CELL_LIST_SEPARATORS[-1])
    return [part.strip() for part in text.split(_CELL_LIST_SEPARATORS[-1]) if part.strip()]


@dataclass(frozen=True, slots=True)
class _Column:
    name: str  # as written in the header
    field: str | None  # the helpbot field it fills; None: kept as an extra column


def read_csv_records(
    text: str, file: str, notices: list[Problem] | None = None
) -> tuple[list[Record], list[Problem]]:
    """Read a CSV file into one record per non-empty row; ``notices`` collects what was kept."""
    # Excel writes CRLF, also inside a cell of several lines: people get plain line breaks.
    # Strict: a stray '"' is a mistake named with its row, not text quietly rearranged.
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n"), newline=""), strict=True)
    problems: list[Problem] = []
    row_start = 1
    try:
        header = next(reader, None)
        if header is None:
            return [], [_no_rows(file)]
        columns = _header_columns(header, file, problems)
        if columns is None:
            return [], problems
        kept = [column.name for column in columns if column.field is None and column.name]
        if kept and notices is not None:
            notices.append(Problem(file, 1, f"columns kept as they are: {', '.join(kept)}",
                                   _KEPT_HINT))
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
                column.field: _cell(column.field, cell)
                for column, cell in zip(columns, row, strict=False)
                if column.field is not None and _written(column.field, cell)
            }
            extra = tuple(
                (column.name, cell.strip())
                for column, cell in zip(columns, row, strict=False)
                if column.field is None and column.name and cell.strip()
            )
            records.append(Record(line=line, fields=fields, extra=extra))
    except csv.Error as error:
        # a quote never closed ("end of data"), or text right after a closing one
        if "'\"'" in str(error) or "end of data" in str(error):
            runs = (f" (the row runs to line {reader.line_num})"
                    if reader.line_num > row_start else "")
            problems.append(Problem(file, row_start, f"a '\"' in this row does not pair up{runs}",
                                    _QUOTE_HINT))
        else:
            problems.append(Problem(file, reader.line_num or 1, f"CSV error: {error}",
                                    _COMMA_HINT))
        return [], problems
    if not records and not problems:
        problems.append(_no_rows(file))
    return records, problems


def _no_rows(file: str) -> Problem:
    """A CSV without a single row: most likely a spreadsheet saved empty by mistake, which
    would drop every entry it held. As a problem, the bot keeps serving the previous version."""
    return Problem(file, 1, "the CSV file has no rows (it is empty or has only the header)",
                   "if it was saved empty by mistake, save the spreadsheet again with its rows; "
                   "to remove all its entries, delete the file")


_HEADER_HINT = "the first line should be id,question,answer,... or ID,問い合わせ文,応答文,カテゴリ"
_COMMA_HINT = 'put text that contains commas or line breaks in double quotes: "..."'
_QUOTE_HINT = ('a cell in quotes must end with \'"\' before the next comma; a \'"\' inside '
               'it is written twice: "彼は""大丈夫""と言った"')


_KEPT_HINT = "rename a column to one helpbot knows to use it (see faq/README.md)"
_ENGLISH_NAMES = [name for name in HEADER_ALIASES if name.isascii()]
# Dates as open-data files write them: 2024/4/1, 2024.4.1, 2024年4月1日 (year first only).
_OPEN_DATA_DATE = re.compile(r"(\d{4})\s*[/.年]\s*(\d{1,2})\s*[/.月]\s*(\d{1,2})\s*日?")


def _written(field: str, cell: str) -> bool:
    """Whether a cell gives its field: a blank cell does not, but a translation cell of only
    spaces does (then reported as empty, as ``answer_en: ""`` is in YAML)."""
    return bool(cell.strip() or (cell and translated_prefix(field)))


def _cell(field: str, cell: str) -> str:
    """A cell's text for its field; open-data dates become 2024-04-01."""
    text = cell.strip()
    if field == "last_checked":
        match = _OPEN_DATA_DATE.fullmatch(text)
        if match is not None:
            year, month, day = (int(part) for part in match.groups())
            return f"{year:04d}-{month:02d}-{day:02d}"
    return text


def _header_columns(
    header: list[str], file: str, problems: list[Problem]
) -> list[_Column] | None:
    columns: list[_Column] = []
    for raw in header:
        name = raw.strip().lstrip("\ufeff")
        known = HEADER_ALIASES.get(name) or HEADER_ALIASES.get(name.lower())
        if known is None and translated_prefix(name.lower()):
            # answer_en, question_easy: translations, checked as the YAML fields are.
            wrong_language = unknown_language(name.lower())
            if wrong_language is None:
                known = name.lower()
            else:
                problems.append(Problem(file, 1, *wrong_language))
        elif known is None and name.isascii() and name:
            # An English name close to a known one is a typo, not a column to keep.
            close = difflib.get_close_matches(name.lower(), _ENGLISH_NAMES, n=1, cutoff=0.75)
            if close:
                problems.append(Problem(file, 1, f"unknown column '{name}' in the header",
                                        f"did you mean '{close[0]}'?"))
        if known is not None and any(column.field == known for column in columns):
            known = None  # a second column for the same field (質問 and 問い合わせ): kept
        columns.append(_Column(name, known))
    fields = [column.field for column in columns]
    missing = [name for name in REQUIRED_COLUMNS if name not in fields]
    if missing:
        message = f"the header has no {' / '.join(missing)} column"
        problems.append(Problem(file, 1, message, _HEADER_HINT))
        return None
    return columns
