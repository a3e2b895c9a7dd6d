"""Open-data FAQ CSV files as municipalities publish them (issue 10, section 6).

The files are built here from the column layout of the municipal standard dataset
「FAQ（よくある質問）」 (自治体標準オープンデータセット): the columns every standard dataset starts
with (全国地方公共団体コード, ID, 地方公共団体名), the question and answer, 回答URL and 更新日, and
columns helpbot has no use for (所管部署, 備考) — saved as UTF-8 with a BOM, and as Shift_JIS with
CRLF line ends, the two ways Excel saves "CSV".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpbot.cli.faq import faq
from helpbot.knowledge.loader import load_dir

HEADER = [
    "全国地方公共団体コード", "ID", "地方公共団体名", "分類", "質問", "回答", "回答URL",
    "所管部署", "更新日", "備考",
]
ROWS = [
    ["131016", "131016FAQ0001", "東京都千代田区", "税金", "住民税の納付書をなくしました",
     "納付書は再発行できます。\n税務課の窓口か電話で申し出てください。",
     "https://www.city.example.lg.jp/zei/0001.html", "税務課", "2024/4/1", ""],
    ["131016", "131016FAQ0002", "東京都千代田区", "福祉", "生活に困っています。相談先はありますか",
     "生活福祉課で相談を受けています（予約なし、平日8時30分から17時15分）。",
     "https://www.city.example.lg.jp/fukushi/0002.html", "生活福祉課", "2026-10-01",
     "年末年始は休み"],
    # A row whose answer already carries its URL, and a date in Japanese style.
    ["131016", "131016FAQ0003", "東京都千代田区", "ごみ", "粗大ごみの出し方",
     "申込みは https://www.city.example.lg.jp/gomi/ から。", "https://www.city.example.lg.jp/gomi/",
     "清掃事務所", "2026年9月30日", ""],
]


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")  # what Excel writes
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "faq"
    path.mkdir()
    return path


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_the_standard_layout_loads_with_its_columns_mapped(folder: Path, encoding: str) -> None:
    (folder / "chiyoda_faq.csv").write_bytes(_csv_text(HEADER, ROWS).encode(encoding))
    kb, problems = load_dir(folder)
    assert problems == []
    by_id = kb.by_id()
    assert list(by_id) == ["131016FAQ0001", "131016FAQ0002", "131016FAQ0003"]
    tax = by_id["131016FAQ0001"]
    assert tax.question == "住民税の納付書をなくしました"
    assert tax.category == "税金"
    assert tax.area == "東京都千代田区" and tax.area_code == "131016"
    assert tax.contact.url == "https://www.city.example.lg.jp/zei/0001.html"
    assert tax.answer.endswith("くわしくは: https://www.city.example.lg.jp/zei/0001.html")
    assert tax.answer.startswith("納付書は再発行できます。")
    assert tax.last_checked == dt.date(2024, 4, 1)
    assert dict(tax.extra) == {"所管部署": "税務課"}
    welfare = by_id["131016FAQ0002"]
    assert dict(welfare.extra) == {"所管部署": "生活福祉課", "備考": "年末年始は休み"}
    assert by_id["131016FAQ0003"].last_checked == dt.date(2026, 9, 30)
    assert by_id["131016FAQ0003"].answer.count("https://www.city.example.lg.jp/gomi/") == 1
    notices = [notice.message for notice in kb.notices]
    assert "columns kept as they are: 所管部署, 備考" in notices
    assert ("the file was Shift_JIS; it was read as Shift_JIS (cp932)" in notices) is (
        encoding == "cp932")


def test_faq_check_tells_the_conversion_and_the_old_date(folder: Path) -> None:
    (folder / "chiyoda_faq.csv").write_bytes(_csv_text(HEADER, ROWS).encode("cp932"))
    result = CliRunner().invoke(faq, ["check", str(folder), "--today", "2026-11-30"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: ")]
    assert warnings[0] == (
        "warning: faq/chiyoda_faq.csv:1: ファイルが Shift_JIS だったので、Shift_JIS として"
        "読みました / the file was Shift_JIS; it was read as Shift_JIS (cp932) (hint: UTF-8 で"
        "保存すると、このお知らせは出なくなります（Excel では「CSV UTF-8」） / save it as UTF-8 to "
        "silence this notice; in Excel choose 'CSV UTF-8')"
    )
    assert "次の列はそのまま残しました（ボットは使いません）: 所管部署, 備考" in warnings[1]
    # 更新日 2024/4/1 is more than 12 months before the check: the row is stale.
    assert any("faq/chiyoda_faq.csv:2:" in w and "2024-04-01" in w for w in warnings)
    assert "3 entries (3 FAQ, 0 programs)" in result.output


def test_an_english_typo_in_the_header_is_still_a_mistake(folder: Path) -> None:
    (folder / "a.csv").write_text("id,question,answr,memo\n1,q,a,x\n", encoding="utf-8")
    _kb, problems = load_dir(folder)
    messages = [p.message for p in problems]
    assert "unknown column 'answr' in the header" in messages  # and no 'answer' column at all
    assert "the header has no answer column" in messages


def test_bytes_that_are_neither_utf8_nor_japanese_are_refused_with_their_line(
    folder: Path,
) -> None:
    (folder / "a.csv").write_bytes(b"id,question,answer\n1,q,\xff\xfe\n")
    kb, problems = load_dir(folder)
    (problem,) = problems
    assert problem.line == 2 and "not UTF-8" in problem.message
    assert kb.entries == () and kb.notices == ()


def test_a_second_column_for_the_same_field_is_kept_not_merged(folder: Path) -> None:
    (folder / "a.csv").write_text("ID,質問,問い合わせ,回答\n1,質問1,別の書き方,答え\n",
                                  encoding="utf-8")
    kb, problems = load_dir(folder)
    assert problems == []
    (entry,) = kb.entries
    assert entry.question == "質問1"
    assert entry.extra == (("問い合わせ", "別の書き方"),)


def test_translation_columns_work_as_the_yaml_fields_and_other_columns_are_still_kept(
    folder: Path,
) -> None:
    header = [*HEADER, "question_en", "Answer_EN", "answer_easy"]
    rows = [
        [*ROWS[0], "Lost my tax slip", "We can issue it again.", "もういちど だせます。"],
        [*ROWS[1], "", "", ""],  # blank cells: no translation for this row, not a mistake
    ]
    (folder / "chiyoda_faq.csv").write_bytes(_csv_text(header, rows).encode("utf-8-sig"))
    kb, problems = load_dir(folder)
    assert problems == []
    tax, welfare = kb.entries
    assert tax.answer_in("en") == "We can issue it again."
    assert tax.answer_in("easy") == "もういちど だせます。"
    assert tax.question_in("en") == "Lost my tax slip"
    assert welfare.translations == welfare.question_translations == ()
    assert dict(tax.extra) == {"所管部署": "税務課"}
    notices = [notice.message for notice in kb.notices]
    assert notices == ["columns kept as they are: 所管部署, 備考"]


def test_faq_check_names_an_empty_translation_cell_and_an_unknown_language_column(
    folder: Path,
) -> None:
    header = [*HEADER, "answer_en", "answer_fr"]
    rows = [[*ROWS[0], "We can issue it again.", ""], [*ROWS[1], "　", ""]]  # a full-width space
    (folder / "chiyoda_faq.csv").write_bytes(_csv_text(header, rows).encode("utf-8-sig"))
    result = CliRunner().invoke(faq, ["check", str(folder), "--today", "2026-11-30"])
    assert result.exit_code == 1, result.output
    problems = [line for line in result.output.splitlines() if line.startswith("faq/")]
    assert problems[0].startswith(
        "faq/chiyoda_faq.csv:1: 「answer_fr」の言葉「fr」はわかりません / unknown language 'fr' "
        "in 'answer_fr' (hint: 書ける言葉: answer_easy, answer_en,")
    # line 4: the first row's answer takes two lines
    assert problems[1] == (
        "faq/chiyoda_faq.csv:4: 「answer_en」（英語の答え）が空です / 'answer_en' is empty "
        "(hint: その言葉で答えを書くか、セルを空にしてください（スペースも消します） / "
        "write the answer in that language, or clear the cell)"
    )
    assert len(problems) == 2
