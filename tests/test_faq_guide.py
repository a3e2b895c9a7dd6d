"""The staff guide faq/README.md, followed to the letter, and the checks it promises."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpbot.cli.faq import faq
from helpbot.knowledge.loader import load_dir
from tests.conftest import SAMPLE_FAQ

GUIDE = SAMPLE_FAQ / "README.md"


def _guide_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)


def _check(folder: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(faq, ["check", str(folder)])
    return result.exit_code, result.output.splitlines()


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    folder = tmp_path / "faq"
    shutil.copytree(SAMPLE_FAQ, folder)
    return folder


def test_the_guides_examples_pasted_at_the_end_of_the_files_pass_the_check(copy: Path):
    entries = [b for b in _guide_blocks() if b.lstrip().startswith("- id:")]
    groups = [b for b in _guide_blocks() if b.lstrip().startswith("- [")]
    # the entry, the entry with translations, the program; the synonyms
    assert len(entries) == 3 and len(groups) == 1
    targets = {0: copy / "food.yaml", 1: copy / "food.yaml", 2: copy / "programs.yaml"}
    for position, block in enumerate(entries):
        with targets[position].open("a", encoding="utf-8") as file:
            file.write("\n" + block)  # 「ファイルの最後に、次のように書きます」
    with (copy / "synonyms.yaml").open("a", encoding="utf-8") as file:
        file.write("\n" + groups[0])
    code, lines = _check(copy)
    assert code == 0, "\n".join(lines)
    assert "duplicate id" not in "\n".join(lines)
    kb, problems = load_dir(copy)
    assert problems == []
    new_ids = {re.search(r"- id: (\S+)", block).group(1) for block in entries}
    assert new_ids <= set(kb.by_id())
    translated = kb.by_id()["food-pantry-nishi"]
    assert {"easy", "en", "vi"} == dict(translated.question_translations).keys()
    assert dict(translated.question_translations).keys() == dict(translated.translations).keys()


def _write(folder: Path, text: str) -> None:
    (folder / "zz_new.yaml").write_text(text, encoding="utf-8")


def test_messages_are_japanese_with_the_english_kept(copy: Path):
    _write(copy, "- id: new-one\n  question: 質問です\n")
    code, lines = _check(copy)
    assert code == 1
    assert lines[0] == (
        "faq/zz_new.yaml:1: 「answer」（答え）がありません / missing 'answer' "
        "(hint: ボットが送る返事を書いてください / write the reply the bot should send)"
    )
    # the last line, for staff too: what to do now, and that the bot keeps answering meanwhile
    assert lines[-1].endswith("（上のまちがいを直して保存し、もう一度チェックしてください。"
                              "直すまで、ボットは前の内容で答えます）")


def test_a_duplicate_id_is_reported_in_both_languages(copy: Path):
    _write(copy, "- id: food-bank\n  question: q\n  answer: a\n")
    code, lines = _check(copy)
    assert code == 1
    assert lines[0].startswith(
        "faq/zz_new.yaml:1: ID「food-bank」はもう使われています（最初は faq/food.yaml:"
    )
    assert "/ duplicate id 'food-bank'" in lines[0]


@pytest.mark.parametrize(
    "items",
    [
        "    - 一つめ\n      - 二つめ\n",  # the second item indented under the first
        "    - 一つめ\n       - 二つめ\n",
    ],
)
def test_an_over_indented_list_item_is_reported_not_merged(copy: Path, items: str):
    _write(copy, f"- id: new-one\n  question: 質問です\n  answer: 答えです\n  alternates:\n{items}")
    code, lines = _check(copy)
    assert code == 1
    assert lines[0].startswith("faq/zz_new.yaml:6: この「- 」の字下げが深すぎて")
    assert "indented too far" in lines[0]
    kb, _problems = load_dir(copy)
    assert "new-one" not in kb.by_id()


def test_list_items_lined_up_and_dashes_inside_answers_are_fine(copy: Path):
    _write(copy, (
        "- id: new-one\n  question: 質問です\n  answer: |\n    - 持ち物: 保険証\n"
        "    - 印かん\n  alternates:\n    - 一つめ\n    - 二つめ - ハイフン入り\n"
    ))
    code, lines = _check(copy)
    assert code == 0, "\n".join(lines)


@pytest.mark.parametrize("written", ["2026/10/1", "2026/10/01", "2026.10.1"])
def test_a_slashed_date_is_reported_with_the_fix(copy: Path, written: str):
    _write(copy, f"- id: new-program\n  type: program\n  name: 新しい制度\n  deadline: {written}\n")
    code, lines = _check(copy)
    assert code == 1
    assert lines[0].startswith("faq/zz_new.yaml:4: 「deadline」（締め切り）の日付")
    assert "2026-10-01 のように書いてください / write it as 2026-10-01" in lines[0]


def test_a_hyphenated_date_is_accepted(copy: Path):
    _write(copy, "- id: new-program\n  type: program\n  name: 新しい制度\n  deadline: 2026-10-1\n")
    code, lines = _check(copy)
    assert code == 0, "\n".join(lines)


def test_an_unknown_category_is_reported_with_the_closest_known_one(copy: Path):
    _write(copy, "- id: new-one\n  question: 質問です\n  answer: 答えです\n  category: 食べもの\n")
    code, lines = _check(copy)
    assert code == 1
    assert lines[0].startswith(
        "faq/zz_new.yaml:4: 分類「食べもの」は staff.yaml の categories にありません"
        " / unknown category '食べもの'"
    )
    assert "「食べ物」のまちがいではありませんか？" in lines[0]


def test_a_category_added_to_staff_yaml_is_accepted(copy: Path):
    staff = copy / "staff.yaml"
    staff.write_text(
        staff.read_text(encoding="utf-8").replace("  - 食べ物\n", "  - 食べ物\n  - 学び\n"),
        encoding="utf-8",
    )
    _write(copy, "- id: new-one\n  question: 質問です\n  answer: 答えです\n  category: 学び\n")
    code, lines = _check(copy)
    assert code == 0, "\n".join(lines)


def test_without_a_categories_list_any_category_is_accepted(tmp_path: Path):
    folder = tmp_path / "faq"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        "- id: a\n  question: 質問\n  answer: 答え\n  category: なんでも\n", encoding="utf-8"
    )
    code, lines = _check(folder)
    assert code == 0, "\n".join(lines)


def test_the_guide_documents_the_checks():
    text = GUIDE.read_text(encoding="utf-8")
    assert "2026/10/1" in text
    assert "categories" in text
    assert "FAQ problems fixed" in text


def test_the_readme_example_is_a_new_entry_that_passes(copy: Path):
    readme = (SAMPLE_FAQ.parent / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)
              if b.lstrip().startswith("- id:")]
    assert blocks
    for block in blocks:
        with (copy / "food.yaml").open("a", encoding="utf-8") as file:
            file.write("\n" + block)
    code, lines = _check(copy)
    assert code == 0, "\n".join(lines)


def test_the_guides_file_table_names_each_file_once():
    text = GUIDE.read_text(encoding="utf-8")
    table = text.split("## ファイルの種類", 1)[1].split("\n## ", 1)[0]
    names = re.findall(r"^\| `([^`]+)`", table, re.MULTILINE)
    assert "staff.yaml" in names and "crisis.yaml" in names
    assert len(names) == len(set(names)), names
