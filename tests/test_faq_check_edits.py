"""Edits that used to pass ``helpbot faq check`` though they were broken (exploratory test)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpbot.cli.faq import faq
from helpbot.knowledge.crisis_file import read_crisis_rules
from helpbot.knowledge.entries import Problem
from helpbot.knowledge.freshness import future_date_problems
from helpbot.knowledge.loader import load_files

PROGRAM = "- id: p\n  type: program\n  name: 制度\n  last_checked: {day}\n"


def _load(name: str, text: str) -> tuple[list[str], list[Problem]]:
    kb, problems = load_files({name: text.encode("utf-8")}, folder_name="faq")
    return [entry.question for entry in kb.entries], problems


def test_a_plain_question_cut_at_a_hash_is_reported_with_its_line() -> None:
    text = ("- id: food\n  question: 今日食べるもの #2がありません\n  answer: 答え\n"
            "  alternates:\n    - ご飯 #たべれない\n    - \"お腹 #すいた\"\n")
    _questions, problems = _load("food.yaml", text)
    assert [(p.file, p.line) for p in problems] == [("faq/food.yaml", 2), ("faq/food.yaml", 5)]
    assert "「question」（質問）の文は「 #」のところで切れています" in str(problems[0])
    assert "'question' was cut at ' #'" in str(problems[0])  # English kept for developers
    assert '"..." でかこんで' in str(problems[0])


def test_quoted_text_block_text_and_comments_on_code_fields_pass() -> None:
    text = ('- id: food  # メモ\n  question: "今日食べるもの #2がありません"\n'
            "  answer: |\n    相談は #9110 へ\n  category: 食べ物 # 分類\n"
            "  keywords: [ご飯, 食料]  # 大事な言葉\n  alternates: [a#b]\n")
    questions, problems = _load("food.yaml", text)
    assert problems == []
    assert questions == ["今日食べるもの #2がありません"]


def test_a_last_checked_date_in_the_future_is_an_error_as_of_the_given_day() -> None:
    kb, problems = load_files({"p.yaml": PROGRAM.format(day="2062-11-30").encode()},
                              folder_name="faq")
    assert problems == []
    found = future_date_problems(kb, today=dt.date(2026, 12, 1))
    assert [(p.file, p.line) for p in found] == [("faq/p.yaml", 1)]
    assert "情報を確かめた日（last_checked）2062-11-30 が先の日付です" in str(found[0])
    assert "is in the future (today is 2026-12-01)" in str(found[0])
    # A day of slack (another time zone, just after midnight); later days are errors.
    assert future_date_problems(kb, today=dt.date(2062, 11, 29)) == []
    assert len(future_date_problems(kb, today=dt.date(2062, 11, 28))) == 1


def test_faq_check_fails_on_a_future_last_checked_using_today(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(PROGRAM.format(day="2062-11-30"), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(faq, ["check", str(tmp_path), "--today", "2026-12-01"])
    assert result.exit_code == 1, result.output
    assert "p.yaml:1: 情報を確かめた日（last_checked）2062-11-30 が先の日付です" in result.output
    later = runner.invoke(faq, ["check", str(tmp_path), "--today", "2062-12-01"])
    assert later.exit_code == 0, later.output


def test_an_empty_or_header_only_csv_is_reported_naming_the_file() -> None:
    for text in ("", "\ufeffID,問い合わせ文,応答文,カテゴリ\r\n", "id,question,answer\n,,\n\n"):
        kb, problems = load_files({"opendata_faq.csv": text.encode("utf-8")}, folder_name="faq")
        assert kb.entries == ()
        assert [(p.file, p.line) for p in problems] == [("faq/opendata_faq.csv", 1)], text
        assert "CSV ファイルに質問の行がありません" in str(problems[0])
        assert "has no rows" in str(problems[0])


def test_a_csv_with_rows_is_not_reported_as_empty() -> None:
    text = "id,question,answer\na,質問,答え\n"
    questions, problems = _load("faq.csv", text)
    assert (questions, problems) == (["質問"], [])


CRISIS = (
    "categories:\n  - id: suicide\n    name: 自殺\n    call: [inochi]\n"
    "    expressions: [死にたい]\n"
    "hotlines:\n  inochi: {{number: \"{number}\", name: {{ja: いのちの電話}}}}\n"
    "resources:\n  intro: {{ja: あなたの安全がいちばん大切です}}\n"
)


def test_a_hotline_number_with_full_width_digits_is_sent_plain() -> None:
    for typed in ("0120-27９-338", "０１２０ー２７９ー３３８", "0120－279－338"):
        rules, problems = read_crisis_rules(CRISIS.format(number=typed), "crisis.yaml")
        assert problems == [], typed
        assert rules is not None and rules.hotlines["inochi"].number == "0120-279-338"
    rules, _ = read_crisis_rules(CRISIS.format(number="＃８００８"), "crisis.yaml")
    assert rules is not None and rules.hotlines["inochi"].number == "#8008"


def test_a_hotline_number_of_the_wrong_shape_is_reported_in_japanese() -> None:
    for wrong in ("0120-279-33", "0120-279-338-1", "1100", "0120-279-3380-1"):
        rules, problems = read_crisis_rules(CRISIS.format(number=wrong), "crisis.yaml")
        assert rules is None, wrong
        assert [p.line for p in problems] == [7], wrong
        assert "電話「inochi」の番号（number）" in str(problems[0])
        assert "かけられる電話番号の形ではありません" in str(problems[0])


def test_a_program_phone_is_made_plain_and_a_wrong_one_reported() -> None:
    program = "- id: p\n  type: program\n  name: 制度\n  contact: {{phone: \"{phone}\"}}\n"
    kb, problems = load_files(
        {"p.yaml": program.format(phone="０５７０ー０７８３７４（平日）").encode()},
        folder_name="faq")
    assert problems == []
    assert kb.entries[0].contact.phone == "0570-078374（平日）"
    kb, problems = load_files({"p.yaml": program.format(phone="0570-07837").encode()},
                              folder_name="faq")
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (4, "'contact.phone' is not a phone number people can dial")]
    assert "連絡先の電話（contact.phone）" in str(problems[0])


def test_a_csv_cell_of_several_lines_saved_with_crlf_gives_plain_line_breaks() -> None:
    text = 'id,question,answer\r\na,質問,"1行目\r\n2行目"\r\nb,質問2,答え\r\n'
    kb, problems = load_files({"faq.csv": text.encode("utf-8-sig")}, folder_name="faq")
    assert problems == []
    assert [(e.answer, e.source) for e in kb.entries] == [
        ("1行目\n2行目", "faq/faq.csv:2"), ("答え", "faq/faq.csv:4")]


def test_a_quote_that_does_not_pair_up_in_a_csv_is_named_at_its_row() -> None:
    rows = ["id,question,answer", "a,予約は,いりません", 'b,電話は,"0120-000-123です',
            "c,場所は,公民館です", 'd,時間は,"10時から"です"']
    # b's quote is never closed: rows c and d would be swallowed into b's answer
    _questions, problems = _load("faq.csv", "\n".join(rows[:4]) + "\n")
    assert [(p.line, p.message) for p in problems] == [
        (3, "a '\"' in this row does not pair up (the row runs to line 4)")]
    assert "この行の「\"」が対になっていません（この行が 4 行目までつながっています）" in str(
        problems[0])
    # text after a closing quote was quietly moved around: "10時から"です" -> 10時からです"
    _questions, problems = _load("faq.csv", "\n".join([rows[0], rows[4]]) + "\n")
    assert [(p.line, p.message) for p in problems] == [(2, "a '\"' in this row does not pair up")]
    assert "文の中の「\"」は2つ重ねて書きます" in str(problems[0])
    questions, problems = _load("faq.csv", 'id,question,answer\na,時間は,"""10時から""です"\n')
    assert problems == [] and questions == ["時間は"]


ENTRY = "- id: food\n  question: 食べ物がない\n  answer: 事務所に来てください\n  category: 食べ物\n"


@pytest.mark.parametrize(
    ("slip", "line", "japanese"),
    [
        (("  question: ", "\u3000question: "), 2, "この行の字下げに全角スペースがあります"),
        (("  category: ", "  category："), 4, "「：」が全角です。半角の「:」と半角スペース"),
        (("  question: ", "  question:"), 2, "「:」のあとに半角スペースを1つ入れてください"),
        (("- id: ", "- id:"), 1, "「:」のあとに半角スペースを1つ入れてください"),
        (("  category: 食べ物\n", "  alternates:\n    - ご飯\n    -ご飯がない\n"), 6,
         "「-」のあとに半角スペースを1つ入れてください"),
    ],
)
def test_a_typing_slip_that_breaks_yaml_is_named_on_its_own_line(
    slip: tuple[str, str], line: int, japanese: str
) -> None:
    _questions, problems = _load("food.yaml", ENTRY + ENTRY.replace("food\n", "food2\n"))
    assert problems == []
    _questions, problems = _load("food.yaml", ENTRY.replace(*slip) + "\n" + ENTRY.replace(
        "food\n", "food2\n"))
    assert [p.line for p in problems] == [line]
    assert "書き方のまちがいがあります（YAML）" in str(problems[0])
    assert japanese in str(problems[0])
