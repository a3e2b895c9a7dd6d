"""Tests for loading the staff-edited faq/ folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from helpbot.errors import KnowledgeError
from helpbot.knowledge.entries import EntryKind
from helpbot.knowledge.loader import load_dir

SAMPLE_FAQ = Path(__file__).parent.parent / "faq"

GOOD_YAML = """\
- id: food-bank
  question: 食べ物がありません
  answer: |
    フードバンクがあります。
  alternates: [ご飯たべれない, 食べ物ない]
  keywords:
    - 食料
  category: 食べ物

- id: 42
  question: Where are you?
  answer: Sample-cho 1-2-3
  language: EN
"""

PROGRAM_YAML = """\
- id: jukyo
  type: program
  name: 住居確保給付金
  summary: 家賃を助けます。
  for: 仕事をなくした人
  area: 全国
  how_to_apply: 市区町村の窓口へ
  contact: {phone: 0120-000-111, url: https://example.org, address: サンプル町1-2-3}
  hours: 平日9時から17時
  last_checked: 2026-04-01
  deadline: 2026-12-20
  alternates: [家賃はらえない]
"""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def faq(tmp_path: Path) -> Path:
    folder = tmp_path / "faq"
    folder.mkdir()
    return folder


def test_loads_faq_entries_with_all_fields(faq: Path) -> None:
    write(faq, "food.yaml", GOOD_YAML)
    kb, problems = load_dir(faq)
    assert problems == []
    first, second = kb.entries
    assert first.id == "food-bank"
    assert first.kind is EntryKind.FAQ
    assert first.answer == "フードバンクがあります。"
    assert first.alternates == ("ご飯たべれない", "食べ物ない")
    assert first.keywords == ("食料",)
    assert first.category == "食べ物"
    assert first.language == "ja"
    assert first.source == "faq/food.yaml:1"
    assert second.id == "42"
    assert second.language == "en"
    assert second.source == "faq/food.yaml:10"


def test_program_gets_default_question_and_rendered_answer(faq: Path) -> None:
    write(faq, "programs.yaml", PROGRAM_YAML)
    kb, problems = load_dir(faq)
    assert problems == []
    (program,) = kb.entries
    assert program.kind is EntryKind.PROGRAM
    assert program.question == "住居確保給付金"
    assert program.eligibility == "仕事をなくした人"
    assert program.contact.phone == "0120-000-111"
    assert program.last_checked == dt.date(2026, 4, 1)
    assert program.deadline == dt.date(2026, 12, 20)
    for text in ("住居確保給付金", "家賃を助けます。", "対象: 仕事をなくした人", "0120-000-111"):
        assert text in program.answer
    assert "情報確認日: 2026年4月1日" in program.answer


def test_program_answer_written_by_staff_wins(faq: Path) -> None:
    write(faq, "p.yaml", "- id: p\n  kind: program\n  name: N\n  answer: hand written\n")
    kb, problems = load_dir(faq)
    assert problems == []
    assert kb.entries[0].answer == "hand written"


@pytest.mark.parametrize(
    "text",
    [
        "id: solo\nquestion: q\nanswer: a\n",
        "entries:\n  - id: solo\n    question: q\n    answer: a\n",
    ],
    ids=["single-mapping", "entries-key"],
)
def test_other_yaml_layouts(faq: Path, text: str) -> None:
    write(faq, "x.yml", text)
    kb, problems = load_dir(faq)
    assert problems == []
    assert [entry.id for entry in kb.entries] == ["solo"]


def test_csv_layouts_with_bom_and_multiline_cells(faq: Path) -> None:
    opendata = (
        "\ufeffID,問い合わせ文,応答文,カテゴリ\n"
        '1,"二行の\n質問",答え,食べ物\n'
        "\n"
        "2,質問2,答え2,住まい\n"
    )
    write(faq, "a_opendata.csv", opendata.encode("utf-8"))
    english = "id,question,answer,alternates,keywords,category,language\nx,Q,A,a|b｜c,k1|k2,,en\n"
    write(faq, "b_plain.csv", english)
    kb, problems = load_dir(faq)
    assert problems == []
    by_id = kb.by_id()
    assert by_id["1"].question == "二行の\n質問"
    assert by_id["1"].source == "faq/a_opendata.csv:2"
    assert by_id["2"].source == "faq/a_opendata.csv:5"
    assert by_id["x"].alternates == ("a", "b", "c")
    assert by_id["x"].keywords == ("k1", "k2")
    assert by_id["x"].language == "en"


def test_csv_answer_column_variants(faq: Path) -> None:
    write(faq, "q.csv", "ID,質問,回答\nq1,質問です,回答です\n")
    kb, problems = load_dir(faq)
    assert problems == []
    assert kb.entries[0].answer == "回答です"


def test_skips_hidden_and_other_files_and_reads_policies_not_as_entries(faq: Path) -> None:
    write(faq, "_draft.yaml", "- id: draft\n")
    write(faq, ".hidden.yaml", "- id: hidden\n")
    write(faq, "_old/food.yaml", "- id: old\n")
    write(
        faq,
        "crisis.yaml",
        "categories:\n  - name: 自殺\n    expressions: [死にたい]\nresources:\n  ja: 110\n",
    )
    write(faq, "staff.yaml", "hours:\n  mon: 09:00-17:00\n")
    write(faq, "notes.txt", "not yaml")
    write(faq, "README.md", "# readme")
    write(faq, "empty.yaml", "")
    write(faq, "comments.yaml", "# nothing yet\n")
    write(faq, "sub/more.yaml", "- id: nested\n  question: q\n  answer: a\n")
    kb, problems = load_dir(faq)
    assert problems == []
    assert [(entry.id, entry.source) for entry in kb.entries] == [("nested", "faq/sub/more.yaml:1")]
    assert kb.crisis is not None and kb.crisis.categories[0].expressions == ("死にたい",)
    assert kb.staff is not None and set(kb.staff.hours) == {0}


@pytest.mark.parametrize("name", ["synonyms.yaml", "_synonyms.yaml"])
def test_synonyms_file(faq: Path, name: str) -> None:
    write(faq, name, "- [シングルマザー, ひとり親, 母子家庭]\n- [家賃, やちん]\n")
    kb, problems = load_dir(faq)
    assert problems == []
    assert kb.entries == ()
    assert kb.synonyms == (("シングルマザー", "ひとり親", "母子家庭"), ("家賃", "やちん"))


def test_bad_entries_are_skipped_and_good_ones_load(faq: Path) -> None:
    write(faq, "mixed.yaml", GOOD_YAML + "\n- id: broken\n  question: no answer\n")
    kb, problems = load_dir(faq)
    assert [entry.id for entry in kb.entries] == ["food-bank", "42"]
    assert [(p.file, p.line) for p in problems] == [("faq/mixed.yaml", 15)]


# (file name, content, expected line, substring of the message, substring of the hint)
PROBLEM_CASES = [
    ("a.yaml", "- id: a\n  answer: x\n", 1, "missing 'question'", "question"),
    ("a.yaml", "- id: a\n  question: q\n  answer:\n", 3, "missing 'answer'", "reply"),
    ("a.yaml", "- question: q\n  answer: a\n", 1, "missing 'id'", "food-bank"),
    ("a.yaml", "- id: p\n  type: program\n  summary: s\n", 1, "missing 'name'", "name"),
    ("a.yaml", "- id: a\n  question: q\n  anser: x\n", 3, "unknown field 'anser'", "'answer'"),
    ("a.yaml", "- id: a\n  question: q\n  answer: a\n  hours: 9-5\n", 4, "'hours'", "program"),
    ("a.yaml", "- id: a\n  question: q\n  answer: a\n  回答: x\n", 4, "'回答'", "'answer'"),
    (
        "a.yaml",
        "- id: p\n  type: program\n  name: n\n  last_checked: 2026-13-01\n",
        4,
        "not a valid date",
        "2026-04-01",
    ),
    (
        "a.yaml",
        "- id: p\n  type: program\n  name: n\n  deadline: next april\n",
        4,
        "'deadline'",
        "2026-04-01",
    ),
    ("a.yaml", "- id: a\n  type: event\n  question: q\n  answer: a\n", 2, "unknown type", "type:"),
    ("a.yaml", "- id: a\n  question: [q]\n  answer: a\n", 2, "must be text", ""),
    ("a.yaml", "- id: a\n  question: q\n  answer: a\n  answer: b\n", 4, "written twice", ""),
    ("a.yaml", "- id: a\n  question: q\n\tanswer: a\n", 3, "YAML syntax error", "tabs"),
    ("a.yaml", "- id: a\n  question: q\n  answer: 注意: これ\n", 3, "YAML syntax", "quotes"),
    ("a.yaml", "just some text\n", 1, "list of entries", "- id:"),
    ("a.yaml", "- id: a\n  question: q\n  answer: a\n- hello\n", 4, "not an entry", ""),
    ("a.yaml", "- id: a\n  type: program\n  name: n\n  contact: 03-0000\n", 4, "contact", "phone"),
    ("a.yaml", "- id: a\n  type: program\n  name: n\n  contact: {tel: 1}\n", 4, "contact.tel", ""),
    ("b.csv", "id,question,answr\n", 1, "unknown column 'answr'", "'answer'"),
    ("b.csv", "id,question\nx,y\n", 1, "no answer column", "ID,問い合わせ文"),
    ("b.csv", "id,question,answer\na,q,a\n\nb,,a\n", 4, "missing 'question'", ""),
    ("b.csv", 'id,question,answer\na,"q\nq",a\nb,q,a,extra\n', 4, "more cells", "quotes"),
    # translations: an empty one is a mistake (a blank CSV cell is none written), and so is
    # an unknown language, in a CSV column as in a YAML field
    ("a.yaml", "- id: a\n  question: q\n  answer: a\n  answer_en: ''\n", 4,
     "'answer_en' is empty", "or delete the line"),
    ("b.csv", "id,question,answer,answer_en\na,q,a,\nb,q2,a2,  \n", 3, "'answer_en' is empty",
     "or clear the cell"),
    ("b.csv", "id,question,answer,question_fr\na,q,a,x\n", 1,
     "unknown language 'fr' in 'question_fr'", "question_en"),
    ("synonyms.yaml", "- [a, b]\n- single\n", 2, "list of words", "ひとり親"),
    ("synonyms.yaml", "- [a, b]\n- [c]\n", 2, "two or more", ""),
]


@pytest.mark.parametrize(
    ("name", "text", "expected"), [(n, t, (line, m, h)) for n, t, line, m, h in PROBLEM_CASES]
)
def test_problems_have_file_line_and_hint(
    faq: Path, name: str, text: str, expected: tuple[int, str, str]
) -> None:
    line, message, hint = expected
    write(faq, name, text)
    _kb, problems = load_dir(faq)
    assert problems, "expected a problem"
    problem = problems[0]
    assert (problem.file, problem.line) == (f"faq/{name}", line), str(problem)
    assert message in problem.message
    assert hint in problem.hint


@pytest.mark.parametrize(
    ("data", "line", "shift_jis"),
    [
        (b"- id: a\n  question: q\n  answer: \xff\n", 3, False),
        ("- id: a\n  question: 質問\n  answer: 答え\n".encode("cp932"), 2, True),
    ],
)
def test_undecodable_bytes_point_at_the_line(
    faq: Path, data: bytes, line: int, shift_jis: bool
) -> None:
    write(faq, "bad.yaml", data)
    kb, problems = load_dir(faq)
    assert kb.entries == ()
    (problem,) = problems
    assert problem.line == line
    assert "not UTF-8" in problem.message
    assert ("Shift_JIS" in problem.message) is shift_jis
    assert "UTF-8" in problem.hint


def test_duplicate_id_names_the_first_occurrence(faq: Path) -> None:
    write(faq, "a.yaml", "- id: same\n  question: q1\n  answer: a1\n")
    write(faq, "b.csv", "id,question,answer\nother,q,a\nsame,q2,a2\n")
    kb, problems = load_dir(faq)
    assert [entry.question for entry in kb.entries] == ["q1", "q"]
    (problem,) = problems
    assert (problem.file, problem.line) == ("faq/b.csv", 3)
    assert "duplicate id 'same'" in problem.message
    assert "faq/a.yaml:1" in problem.message


def test_problem_string_is_file_line_message_hint(faq: Path) -> None:
    write(faq, "a.yaml", "- id: a\n  question: q\n  anser: x\n")
    _kb, problems = load_dir(faq)
    assert str(problems[0]).startswith(
        "faq/a.yaml:3: 「anser」という項目はありません / unknown field 'anser' (hint: "
    )


def test_missing_folder_names_path_and_env_var(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="HELPBOT_FAQ_DIR") as info:
        load_dir(tmp_path / "nope")
    assert "nope" in str(info.value)


def test_shipped_sample_faq_loads_cleanly() -> None:
    kb, problems = load_dir(SAMPLE_FAQ)
    assert problems == []
    ids = [entry.id for entry in kb.entries]
    assert len(ids) == len(set(ids))
    faqs = [entry for entry in kb.entries if entry.kind is EntryKind.FAQ]
    programs = [entry for entry in kb.entries if entry.kind is EntryKind.PROGRAM]
    assert len(faqs) >= 45
    assert len(programs) >= 12
    assert any(entry.language == "en" for entry in kb.entries)
    assert any(entry.source.startswith("faq/opendata_faq.csv:") for entry in kb.entries)
    assert len(kb.synonyms) >= 20
    from_yaml = [entry for entry in kb.entries if ".yaml:" in entry.source]
    assert all(2 <= len(entry.alternates) <= 4 for entry in from_yaml)
    assert all(entry.category for entry in kb.entries)
    assert len(kb.categories()) <= 12
