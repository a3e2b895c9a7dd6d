"""A knowledge file saved under a name helpbot does not read (food.txt, food.yaml.txt as
Notepad saves it, an Excel .xlsx), or saved empty, takes its entries away: the check and the
service say so."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpbot.cli.faq import faq
from helpbot.knowledge.entries import KnowledgeBase
from helpbot.knowledge.loader import load_dir
from helpbot.knowledge.store import KnowledgeStore

FOOD = "- id: food\n  question: 食べ物がない\n  answer: 事務所に来てください\n"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "faq"
    folder.mkdir()
    (folder / "about.yaml").write_text(FOOD.replace("food", "about"), encoding="utf-8")
    (folder / "README.md").write_text("# guide\n", encoding="utf-8")
    (folder / "_memo.txt").write_text("notes\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("name", "save_as"),
    [("food.txt", "food.yaml"), ("food.yaml.txt", "food.yaml"), ("crisis.txt", "crisis.yaml"),
     ("faq.xlsx", "faq.csv")],
)
def test_a_file_that_is_not_read_is_named_in_a_warning(
    tmp_path: Path, name: str, save_as: str
) -> None:
    folder = _folder(tmp_path)
    assert load_dir(folder)[0].notices == ()  # the guide and a _ file need no word
    (folder / name).write_text(FOOD, encoding="utf-8")
    kb, problems = load_dir(folder)
    assert problems == [] and [entry.id for entry in kb.entries] == ["about"]
    (notice,) = kb.notices
    assert (notice.file, notice.line) == (f"faq/{name}", 1)
    result = CliRunner().invoke(faq, ["check", str(folder)])
    assert result.exit_code == 0, result.output
    assert (f"warning: faq/{name}:1: このファイルは読んでいません（読むのは .yaml .yml .csv の"
            "ファイルだけです）") in result.output
    assert f"使うなら {save_as} という名前で保存してください" in result.output


def test_the_service_logs_a_file_renamed_so_that_it_is_not_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = _folder(tmp_path)
    (folder / "food.yaml").write_text(FOOD, encoding="utf-8")
    now = [100.0]
    store: KnowledgeStore[KnowledgeBase] = KnowledgeStore(
        folder, build_index=lambda kb: kb, check_interval=1.0, clock=lambda: now[0])
    assert len(store.snapshot().kb.entries) == 2
    (folder / "food.yaml").rename(folder / "food.txt")
    os.utime(folder, ns=(10**18, 10**18))
    now[0] += 2
    with caplog.at_level(logging.WARNING, logger="helpbot.knowledge.store"):
        assert len(store.snapshot().kb.entries) == 1
    assert "FAQ notice at faq/food.txt:1: this file is not read" in caplog.text


@pytest.mark.parametrize("text", ["", "\n", "# 食べ物のこと\n"])
def test_an_entries_file_saved_empty_is_named_in_a_warning(tmp_path: Path, text: str) -> None:
    folder = _folder(tmp_path)
    (folder / "food.yaml").write_text(text, encoding="utf-8")
    kb, problems = load_dir(folder)
    assert problems == [] and [entry.id for entry in kb.entries] == ["about"]
    assert [(n.file, n.line) for n in kb.notices] == [("faq/food.yaml", 1)]
    assert "このファイルには質問がありません（空か、メモ（#）だけです）" in str(kb.notices[0])
    assert "元にもどして質問のある内容で保存してください" in str(kb.notices[0])


@pytest.mark.parametrize("name", ["crisis_old.yaml", "crisis - コピー.yaml", "staff (1).yaml"])
def test_a_copy_of_a_settings_file_is_one_plain_problem(tmp_path: Path, name: str) -> None:
    folder = _folder(tmp_path)
    special = name[:6].strip() if name.startswith("staff") else "crisis"
    text = ("hotlines:\n  police: {number: \"110\", name: {ja: 警察}}\n" if special == "crisis"
            else "timezone: Asia/Tokyo\nhours:\n  mon: 09:00-18:00\n")
    (folder / name).write_text(text, encoding="utf-8")
    (folder / f"{special}_questions.yaml").write_text(FOOD, encoding="utf-8")  # real entries
    kb, problems = load_dir(folder)
    assert [entry.id for entry in kb.entries] == ["about", "food"]
    (problem,) = problems
    assert (problem.file, problem.line) == (f"faq/{name}", 1)
    assert f"このファイルは {special}.yaml の写しのようです" in str(problem)
    assert f"とっておくなら名前を _ で始めてください（_{name}）" in str(problem)


def test_the_service_logs_a_removed_crisis_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = _folder(tmp_path)
    (folder / "crisis.yaml").write_text(
        "categories:\n  - id: s\n    name: 自殺\n    call: [local]\n    expressions: [死にたい]\n"
        "hotlines:\n  local: {number: \"0120-000-999\", name: {ja: 市の相談電話}}\n"
        "resources:\n  intro: {ja: あなたの安全がいちばん大切です}\n", encoding="utf-8")
    now = [100.0]
    store: KnowledgeStore[KnowledgeBase] = KnowledgeStore(
        folder, build_index=lambda kb: kb, check_interval=1.0, clock=lambda: now[0])
    assert "local" in store.snapshot().kb.crisis.hotlines
    (folder / "crisis.yaml").unlink()
    os.utime(folder, ns=(10**18, 10**18))
    now[0] += 2
    with caplog.at_level(logging.WARNING, logger="helpbot.knowledge.store"):
        assert "local" not in store.snapshot().kb.crisis.hotlines  # the built-in lines
    assert ("FAQ notice at faq/crisis.yaml:1: this settings file was removed or renamed"
            in caplog.text)
