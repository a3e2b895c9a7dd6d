"""Edits that used to pass ``helpbot faq check`` though they were broken (exploratory test)."""

from __future__ import annotations

from helpbot.knowledge.entries import Problem
from helpbot.knowledge.loader import load_files


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
