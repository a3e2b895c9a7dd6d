"""A worker's Slack reply with links, mentions, emoji and escapes reaches the person as text."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpbot.channels.slack.mrkdwn import plain_text
from helpbot.storage.models import Case
from tests.conftest import SLACK_CHANNEL, SLACK_SECRET
from tests.fakes.line_webhooks import new_user_id, text_event
from tests.fakes.slack_requests import event_callback, message_event, new_ts

WORKER = "UWORKER01"
NAMES = {"UCOLLEAGUE": "たなか"}


def _section(*elements: dict) -> list[dict]:
    return [{"type": "rich_text", "block_id": "b1",
             "elements": [{"type": "rich_text_section", "elements": list(elements)}]}]


PRAY = {"type": "emoji", "name": "pray", "unicode": "1f64f"}
THUMBS_TONE = {"type": "emoji", "name": "+1", "unicode": "1f44d-1f3fc", "skin_tone": 3}
CUSTOM = {"type": "emoji", "name": "npo_logo"}


@pytest.mark.parametrize(("text", "blocks", "plain"), [
    ("<https://example.org/food|フードバンク>を見てください", [],
     "フードバンク (https://example.org/food)を見てください"),
    ("<https://example.org/food>", [], "https://example.org/food"),
    ("<http://example.org|example.org>", [], "http://example.org"),
    ("<https://a.example/?x=1&amp;y=2|案内>", [], "案内 (https://a.example/?x=1&y=2)"),
    ("<mailto:info@example.org|info@example.org> か <tel:0120000123|0120-000-123>", [],
     "info@example.org か 0120-000-123"),
    ("<@UCOLLEAGUE> が明日お電話します", [], "たなか が明日お電話します"),
    ("<@UCOLLEAGUE|tanaka> です", [], "tanaka です"),
    ("<!here> 面談は 10時 &amp; 14時、1 &lt; 2 &gt; 0", [], "面談は 10時 & 14時、1 < 2 > 0"),
    ("<#C0CASES01|cases> で相談します", [], "#cases で相談します"),
    ("<!subteam^S0TEAM|@support> が見ます", [], "@support が見ます"),
    ("大丈夫です :pray:", _section(PRAY), "大丈夫です 🙏"),
    ("いいですね :+1::skin-tone-3:", _section(THUMBS_TONE), "いいですね 👍🏼"),
    ("よろしく :npo_logo:", _section(CUSTOM), "よろしく"),
    # no emoji named in the blocks: a colon pair is the worker's own text
    ("時間は 10:30:00 です :pray:", [], "時間は 10:30:00 です :pray:"),
    ("// 内部メモ\n返事です", [], "// 内部メモ\n返事です"),
])
def test_plain_text(text, blocks, plain):
    event = {"text": text, "blocks": blocks}
    assert plain_text(event, name_of=lambda user: NAMES.get(user, user)) == plain


def _open_case(line, fake_line, database) -> tuple[str, Case]:
    """A person on LINE who asked for staff, and their case (in the Slack channel)."""
    person = new_user_id()
    token = fake_line.issue_reply_token(user_id=person)
    line.post(text_event("人と話したい", user_id=person, reply_token=token))
    line.settle()
    with database.session() as session:
        return person, session.scalars(select(Case)).one()


def test_a_formatted_thread_reply_reaches_line_as_plain_text(
        line, slack, fake_line, fake_slack, database):
    fake_slack.add_user("UCOLLEAGUE", "tanaka", "たなか")
    person, case = _open_case(line, fake_line, database)
    text = ("<!here> <https://example.org/food|フードバンク> は &amp; 予約不要です :pray: "
            "<@UCOLLEAGUE> も見ています")
    event = message_event(text, channel=SLACK_CHANNEL, user=WORKER, ts=new_ts(),
                          thread_ts=case.slack_ts)
    event["blocks"] = _section({"type": "text", "text": "フードバンク は & 予約不要です "}, PRAY)
    assert slack.send(event_callback(event, signing_secret=SLACK_SECRET)).status_code == 200
    slack.settle()
    told = fake_line.sent_texts(user_id=person)[-1]
    assert told == ("フードバンク (https://example.org/food) は & 予約不要です 🙏 "
                    "たなか も見ています")


def test_an_emoji_name_inside_a_link_is_part_of_the_address():
    event = {"text": "<https://x.example/a:pray:b|地図> :pray:",
             "blocks": [{"type": "rich_text", "elements": [{"type": "rich_text_section",
                         "elements": [{"type": "emoji", "name": "pray", "unicode": "1f64f"}]}]}]}
    assert plain_text(event, name_of=lambda _uid: "") == "地図 (https://x.example/a:pray:b) 🙏"


def test_a_colleague_slack_does_not_name_reaches_line_left_out_not_as_an_id(
        line, slack, fake_line, fake_slack, database):
    person, case = _open_case(line, fake_line, database)
    event = message_event("<@UNOBODY0> も見ています", channel=SLACK_CHANNEL, user=WORKER,
                          ts=new_ts(), thread_ts=case.slack_ts)
    assert slack.send(event_callback(event, signing_secret=SLACK_SECRET)).status_code == 200
    slack.settle()
    assert fake_line.sent_texts(user_id=person)[-1] == "も見ています"
