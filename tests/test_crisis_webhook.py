"""Crisis comes first, over the LINE webhook: the messages people in danger really send get the
right lines to call at once, and an urgent case that says why it fired."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpbot.knowledge.loader import load_dir
from helpbot.storage.models import Case, CrisisSignal
from tests.conftest import SAMPLE_FAQ, SLACK_CHANNEL, SLACK_SECRET
from tests.fakes.line_webhooks import new_user_id, text_event
from tests.fakes.slack_requests import block_action

WORKER = "UWORKER01"


def _say(line, fake_line, user: str, text: str) -> None:
    token = fake_line.issue_reply_token(user_id=user)
    assert line.post(text_event(text, user_id=user, reply_token=token)).status_code == 200
    line.settle()


def _cases(database) -> list[Case]:
    with database.session() as session:
        return list(session.scalars(select(Case).order_by(Case.id)))


# Every example from the issue's table: what these people got before was a fallback, a
# 「もしかして」 menu, or an FAQ answer.
@pytest.mark.parametrize(
    ("text", "category", "number"),
    [
        ("消えてしまいたい", "suicide", "0120-279-338"),
        ("DVされてます", "violence", "#8008"),
        ("夫に毎日たたかれています", "violence", "#8008"),
        ("今夜泊まるところがありません", "no_shelter", "0120-279-338"),
        ("首つりたい", "suicide", "0570-783-556"),
        ("薬いっぱい飲んだ", "suicide", "119"),
        ("遺書を書きました", "suicide", "0570-783-556"),
        ("練炭を買った", "suicide", "0570-783-556"),
        ("我想死", "suicide", "0120-279-338"),
        ("Tôi muốn chết", "suicide", "0120-279-338"),
        ("quero morrer", "suicide", "0120-279-338"),
        ("my husband beats me", "violence", "#8008"),
    ],
)
def test_the_issues_examples_get_resources_and_an_urgent_case(
    line, fake_line, fake_slack, database, text, category, number
):
    person = new_user_id()
    _say(line, fake_line, person, text)
    sent = fake_line.sent_texts(user_id=person)
    assert number in sent[0], sent
    assert not any("もしかして" in t or "ごめんなさい" in t for t in sent)
    (case,) = _cases(database)
    assert (case.urgency, case.reason, case.crisis_category) == ("urgent", "crisis", category)
    assert case.crisis_why
    root = fake_slack.message(SLACK_CHANNEL, case.slack_ts)
    assert "URGENT" in str(root.blocks) and case.crisis_why.split("「")[0] in str(root.blocks)
    assert any(t.text.startswith("<!channel> URGENT") for t in fake_slack.thread(
        SLACK_CHANNEL, case.slack_ts))


def test_a_child_hit_by_a_parent_gets_189_not_the_partner_violence_lines(
    line, fake_line, fake_slack, database
):
    person = new_user_id()
    _say(line, fake_line, person, "お父さんに毎日殴られる")
    first = fake_line.sent_texts(user_id=person)[0]
    assert "189" in first and "0120-0-78310" in first, first  # 児童相談所, Child SOS
    assert "#8008" not in first and "0120-279-889" not in first  # the partner-violence lines
    (case,) = _cases(database)
    assert (case.urgency, case.crisis_category) == ("urgent", "child")
    assert "done by 「お父さん」" in case.crisis_why
    root = fake_slack.message(SLACK_CHANNEL, case.slack_ts)
    assert "子どもの危険" in str(root.blocks)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Tôi muốn chết", "vi"),
        ("quero morrer", "pt"),
        ("my husband beats me", "en"),
        ("我想死", "zh"),
        ("죽고 싶어요", "ko"),
        ("gusto ko nang mamatay", "tl"),
        ("saya ingin bunuh diri", "id"),
        ("quiero morirme", "es"),
    ],
)
def test_resources_come_in_the_persons_language(line, fake_line, database, text, language):
    person = new_user_id()
    _say(line, fake_line, person, text)
    first = fake_line.sent_texts(user_id=person)[0]
    rules = load_dir(SAMPLE_FAQ)[0].crisis
    assert rules is not None and rules.intro[language] in first, first


def test_an_urgent_case_after_an_earlier_question_carries_the_danger_as_its_topic(
    line, fake_line, database
):
    person = new_user_id()
    _say(line, fake_line, person, "家賃が払えません。スタッフと話したい")
    (case,) = _cases(database)
    assert case.urgency == "normal"
    _say(line, fake_line, person, "もう死にたい")
    (case,) = _cases(database)
    assert case.urgency == "urgent" and case.crisis_category == "suicide"
    assert case.topic == "自殺・自傷"


def test_a_worker_marks_a_false_alarm_once_and_review_lists_it(
    line, slack, fake_line, fake_slack, database
):
    person = new_user_id()
    _say(line, fake_line, person, "死ぬほど疲れた")
    (case,) = _cases(database)
    assert "危険ではない" in str(fake_slack.message(SLACK_CHANNEL, case.slack_ts).blocks)
    for _ in range(2):  # a second click is refused, not recorded twice
        response = slack.send(block_action(
            "case_not_crisis", str(case.id), user_id=WORKER, user_name="sato",
            channel_id=SLACK_CHANNEL, message_ts=case.slack_ts, signing_secret=SLACK_SECRET,
        ))
        assert response.status_code == 200
        slack.settle()
    with database.session() as session:
        (signal,) = session.scalars(select(CrisisSignal)).all()
        assert (signal.kind, signal.case_id, signal.marked_by) == ("false_alarm", case.id, WORKER)
        assert signal.message_id is not None
    blocks = str(fake_slack.message(SLACK_CHANNEL, case.slack_ts).blocks)
    assert "marked by <@UWORKER01>" in blocks and "case_not_crisis" not in blocks
