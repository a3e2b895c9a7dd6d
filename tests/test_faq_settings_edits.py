"""Edits of crisis.yaml and staff.yaml that YAML accepts silently but that change what people
are told: a key written twice (the last one wins), a number left blank, a text cut at ' #'."""

from __future__ import annotations

import pytest

from helpbot.knowledge.crisis_file import read_crisis_rules
from helpbot.knowledge.policies import read_staff_policy

HOTLINE = '  emergency:\n    number: "119"\n    name:\n      ja: "救急車（119、24時間）"\n'
CRISIS = (
    "categories:\n  - id: suicide\n    name: 自殺\n    call: [emergency]\n"
    "    expressions:\n      - 死にたい #メモ\n"
    "hotlines:\n{hotline}"
    "resources:\n  intro: {{ja: あなたの安全がいちばん大切です}}\n"
)


def _crisis(hotline: str) -> tuple[object, list[str]]:
    rules, problems = read_crisis_rules(CRISIS.format(hotline=hotline), "crisis.yaml")
    return rules, [f"{p.line}: {p}" for p in problems]


def test_the_sample_shape_with_comments_on_words_and_a_null_number_passes() -> None:
    rules, problems = _crisis(HOTLINE + "  shelter:\n    number: null\n    name: {ja: 窓口}\n")
    assert problems == []
    assert rules is not None and rules.hotlines["shelter"].number is None


@pytest.mark.parametrize(
    ("hotline", "line", "japanese"),
    [
        # copied block: YAML keeps the second number, 118, without a word
        (HOTLINE.replace('"119"\n', '"119"\n    number: "118"\n'), 10,
         "「number」が2回書かれています"),
        (HOTLINE + HOTLINE.replace('"119"', '"000"'), 12, "「emergency」が2回書かれています"),
        # a number deleted to be retyped, or a #-number YAML reads as a comment
        (HOTLINE.replace('"119"', ""), 9, "「hotlines.emergency.number」が空です"),
        (HOTLINE.replace('"119"', "#7119"), 9, "「hotlines.emergency.number」が空です"),
        # the name is what people read: the hours after ' #' would be lost
        (HOTLINE.replace('"救急車（119、24時間）"', "救急車 #119（24時間）"), 11,
         "「hotlines.emergency.name.ja」の文は「 #」のところで切れています"),
    ],
)
def test_a_silent_change_to_a_hotline_is_reported_with_its_line(
    hotline: str, line: int, japanese: str
) -> None:
    rules, problems = _crisis(hotline)
    assert rules is None
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{line}: crisis.yaml:{line}: {japanese}")


STAFF = 'timezone: Asia/Tokyo\ncontact:\n  ja: "急ぐときは電話してください。0120-000-123"\n'


@pytest.mark.parametrize(
    ("text", "line", "japanese"),
    [
        (STAFF.replace('"急ぐときは電話してください。0120-000-123"',
                       "急ぐときは電話してください #0120-000-123"), 3,
         "「contact.ja」の文は「 #」のところで切れています"),
        (STAFF.replace('"急ぐときは電話してください。0120-000-123"', ""), 3,
         "「contact.ja」が空です"),
        ("contact:\n  ja: 古い連絡先\n" + STAFF, 4, "「contact」（連絡先）が2回書かれています"),
    ],
)
def test_a_silent_change_to_the_contact_is_reported(text: str, line: int, japanese: str) -> None:
    policy, problems = read_staff_policy(STAFF, "staff.yaml")
    assert problems == [] and policy is not None
    assert "0120-000-123" in policy.contact["ja"]
    _policy, problems = read_staff_policy(text, "staff.yaml")
    assert [p.line for p in problems] == [line]
    assert str(problems[0]).startswith(f"staff.yaml:{line}: {japanese}")
