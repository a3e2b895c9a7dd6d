"""Program records, conditions, facts from words, the finder and `helpbot programs find`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpbot.cli import main
from helpbot.knowledge.loader import load_dir
from helpbot.programs.conditions import evaluate, parse_conditions
from helpbot.programs.finder import MAX_QUESTIONS, find_programs
from helpbot.programs.records import ProgramRecord
from helpbot.programs.words import facts_from_words

SAMPLE_FAQ = Path(__file__).parent.parent / "faq"
TODAY = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def records() -> list[ProgramRecord]:
    kb, problems = load_dir(SAMPLE_FAQ)
    assert problems == []
    return [entry.program for entry in kb.entries if entry.program is not None]


def test_sample_holds_at_least_30_national_programs_with_sources(records: list[ProgramRecord],
                                                                   ) -> None:
    national = [r for r in records if r.level != "npo"]
    assert len(national) >= 30
    for record in national:
        assert record.url and record.url.startswith("https://"), record.id
        assert record.last_checked == dt.date(2026, 11, 30), record.id
        assert record.required_documents, record.id
        assert record.where_to_go, record.id
    named = {r.name for r in records}
    for must in ("生活保護", "住居確保給付金", "児童扶養手当", "児童手当", "傷病手当金"):
        assert any(must in name for name in named), must


BAD_PROGRAM = """\
- id: p-bad
  type: program
  name: 制度
  status: closed
  service_areas:
    - {prefecture: 東京都, code: "13-1"}
  conditions:
    househould: [single_parent]
    income: [poor]
    age: 20
    pregnant: maybe
    any_of: nothing
    needs: [housing]
"""


def test_faq_check_explains_each_condition_mistake_with_line_in_japanese(tmp_path: Path,
                                                                          ) -> None:
    (tmp_path / "p.yaml").write_text(BAD_PROGRAM, encoding="utf-8")
    result = CliRunner().invoke(main, ["faq", "check", str(tmp_path)])
    assert result.exit_code != 0
    out = result.output
    expected = [
        ("p.yaml:4:", "状態（status）"),
        ("p.yaml:6:", "全国地方公共団体コード"),
        ("p.yaml:8:", "「househould」という項目はありません"),
        ("p.yaml:8:", "did you mean 'household'?"),
        ("p.yaml:9:", "条件「income」の値 'poor' は使えません"),
        ("p.yaml:10:", "条件「age」は範囲"),
        ("p.yaml:11:", "条件「pregnant」は true"),
        ("p.yaml:12:", "「any_of」は条件のまとまり"),
        ("p.yaml:13:", "helps_with に書いてください"),
    ]
    lines = out.splitlines()
    for prefix, words in expected:
        assert any(f"/{prefix}" in line and words in line for line in lines), (prefix, out)


def test_conditions_hold_contradict_or_stay_unknown() -> None:
    conditions, problems = parse_conditions(
        {"household": ["single_parent"], "youngest_child_age": {"max": 18},
         "any_of": [{"employment": ["lost_job"]}, {"income": ["none", "low"]}]}, 1)
    assert problems == []
    assert evaluate(conditions, {"household": "single_parent", "youngest_child_age": 4,
                                 "income": "low"}).ok
    assert not evaluate(conditions, {"household": "couple"}).ok
    assert not evaluate(conditions, {"youngest_child_age": 19}).ok
    assert not evaluate(conditions, {"employment": "employed", "income": "high"}).ok
    open_verdict = evaluate(conditions, {"household": "unknown"})
    assert open_verdict.ok
    assert "household" in open_verdict.unknown
    assert not evaluate(conditions, {"children": 0}).ok  # no child: no child's age fits


@pytest.mark.parametrize(("text", "expected"), [
    ("シングルマザーで子ども2人", {"household": "single_parent", "children": 2}),
    ("先月クビになった", {"employment": "lost_job", "months_since_job_loss": 1}),
    ("先月クビになって家賃が払えない", {"employment": "lost_job", "needs": ("housing", "work")}),
    ("しんぐるまざーです こども3にん", {"household": "single_parent", "children": 3}),
    ("しんぐるまざでこども1人", {"household": "single_parent", "children": 1}),
    ("かいしゃやめてやちんはらえない", {"employment": "lost_job"}),
    ("妊娠中で国保です", {"pregnant": True, "health_insurance": "national"}),
    ("ﾋﾞｻﾞが切れた", {"nationality": "foreign", "residence_status": "none"}),
    ("70歳のひとり暮らし", {"age": 70, "household": "alone"}),
    ("中学生の娘がいます", {"youngest_child_age": 13}),
    ("半年前に解雇、雇用保険には入っていました",
     {"months_since_job_loss": 6, "employment_insurance": True}),
    ("I lost my job. I am from Vietnam", {"employment": "lost_job", "nationality": "foreign"}),
])
def test_facts_from_words(text: str, expected: dict[str, object]) -> None:
    facts = facts_from_words(text)
    for key, value in expected.items():
        if key == "needs":
            assert set(value) <= set(facts.get("needs", ())), facts  # type: ignore[arg-type]
        else:
            assert facts.get(key) == value, (key, facts)


def test_words_state_nothing_that_was_not_said() -> None:
    assert facts_from_words("こんにちは") == {}
    assert "age" not in facts_from_words("高齢の親と二人暮らし")


def test_finder_never_lists_a_contradicted_expired_or_inactive_program(
        records: list[ProgramRecord]) -> None:
    facts = {"household": "couple", "children": 2, "youngest_child_age": 5, "income": "low"}
    finding = find_programs(records, facts, today=TODAY, text="")
    ids = [m.program.id for m in finding.matches]
    assert "program-jido-fuyo-teate" not in ids  # single parents only
    for match in finding.matches:
        assert evaluate(match.program.conditions, facts).ok
    late = find_programs(records, {"needs": ("food",)}, today=dt.date(2026, 12, 21))
    assert "program-hidamari-nenmatsu" not in [m.program.id for m in late.matches]
    early = find_programs(records, {"needs": ("food",)}, today=dt.date(2026, 12, 1))
    assert "program-hidamari-nenmatsu" in [m.program.id for m in early.matches]
    from dataclasses import replace
    closed = [replace(r, status="inactive") if r.id == "program-hidamari-pantry" else r
              for r in records]
    shut = find_programs(closed, {"needs": ("food",)}, today=TODAY)
    assert "program-hidamari-pantry" not in [m.program.id for m in shut.matches]


def test_finder_asks_at_most_four_questions_and_always_offers_dont_know(
        records: list[ProgramRecord]) -> None:
    facts = facts_from_words("お金にこまっています")
    asked: list[str] = []
    while (question := find_programs(records, facts, today=TODAY, asked=asked).next_question):
        values = [value for value, _label in question.options]
        assert "unknown" in values and "declined" in values
        assert question.fact not in asked
        asked.append(question.fact)
        facts[question.fact] = "unknown"
    assert len(asked) <= MAX_QUESTIONS


def test_area_outside_the_person_prefecture_is_not_shown(records: list[ProgramRecord]) -> None:
    osaka = find_programs(records, {"needs": ("shelter",), "prefecture": "大阪府"}, today=TODAY)
    assert "program-hidamari-shelter" not in [m.program.id for m in osaka.matches]


def test_cli_find_prints_the_public_contract() -> None:
    result = CliRunner().invoke(main, [
        "programs", "find", "シングルマザーで子ども2人、パートの収入が少ない",
        "--fact", "youngest_child_age=8", "--dir", str(SAMPLE_FAQ), "--today", "2026-11-30",
        "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == {"facts", "next_question", "programs"}
    assert report["facts"]["household"] == "single_parent"
    assert report["facts"]["youngest_child_age"] == 8
    assert 3 <= len(report["programs"]) <= 5
    for program in report["programs"]:
        assert set(program) == {"id", "name", "why", "unknown", "score"}
    scores = [p["score"] for p in report["programs"]]
    assert scores == sorted(scores, reverse=True)
    ids = [p["id"] for p in report["programs"]]
    assert "program-jido-fuyo-teate" in ids


def test_cli_find_rejects_a_bad_fact_clearly() -> None:
    result = CliRunner().invoke(main, ["programs", "find", "x", "--fact", "children=many",
                                       "--dir", str(SAMPLE_FAQ)])
    assert result.exit_code == 2
    assert "children" in result.output and "number" in result.output


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_hsds_export_import_round_trip(tmp_path: Path, records: list[ProgramRecord],
                                       fmt: str) -> None:
    from dataclasses import replace

    runner = CliRunner()
    exported = runner.invoke(main, ["programs", "export", "--format", fmt,
                                    "--dir", str(SAMPLE_FAQ)])
    assert exported.exit_code == 0, exported.output
    if fmt == "json":
        services = json.loads(exported.output)
        assert {"name", "eligibility_description", "assured_date", "status",
                "required_documents", "service_areas"} <= set(services[0])
    source = tmp_path / f"programs.{fmt}"
    source.write_text(exported.output, encoding="utf-8")
    folder = tmp_path / "faq"
    folder.mkdir()
    imported = runner.invoke(main, ["programs", "import", str(source), "--out",
                                    str(folder / "programs.yaml")])
    assert imported.exit_code == 0, imported.output
    kb, problems = load_dir(folder)
    assert problems == []
    back = [entry.program for entry in kb.entries if entry.program is not None]

    def plain(record: ProgramRecord) -> ProgramRecord:
        return replace(record, source="", names=())

    assert [plain(r) for r in back] == [plain(r) for r in records]


def test_import_rejects_a_file_that_is_not_hsds(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"not": "a list"}', encoding="utf-8")
    result = CliRunner().invoke(main, ["programs", "import", str(bad)])
    assert result.exit_code == 1
    assert "HSDS" in result.output


@pytest.mark.parametrize(("text", "key", "value"), [
    ("妊娠はしていません", "pregnant", False),
    ("病気はありません", "illness", False),
    ("病気で働けない", "illness", True),
    ("妊娠中です", "pregnant", True),
])
def test_a_yes_no_fact_said_the_other_way(text: str, key: str, value: bool) -> None:
    assert facts_from_words(text).get(key) is value


@pytest.mark.parametrize(("text", "absent"), [
    ("雇用保険には入っていませんでした。先月退職しました", "program-koyou-hoken-kihon"),
    ("子どもはいません。契約を切られた", "program-jido-teate"),
    ("妊娠はしていません。病院代がない", "program-shussan-ikuji"),
])
def test_what_the_words_deny_is_never_listed(records: list[ProgramRecord], text: str,
                                             absent: str) -> None:
    finding = find_programs(records, facts_from_words(text), today=TODAY, text=text)
    assert absent not in [m.program.id for m in finding.matches]
