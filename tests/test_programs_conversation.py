"""Finding programs in the conversation: LINE (fake LINE, Flex carousel) and the web chat."""

from __future__ import annotations

from urllib.parse import parse_qsl

from sqlalchemy import select

from helpbot.storage.database import Database
from helpbot.storage.models import ProgramAnswers
from tests.fakes.line_webhooks import new_user_id, postback_event, text_event


def _say(line, fake_line, user: str, text: str) -> dict:
    token = fake_line.issue_reply_token(user_id=user)
    line.post(text_event(text, user_id=user, reply_token=token))
    line.settle()
    return fake_line.replies[-1].messages[-1]


def _tap(line, fake_line, user: str, data: str) -> dict:
    token = fake_line.issue_reply_token(user_id=user)
    line.post(postback_event(data, user_id=user, reply_token=token))
    line.settle()
    return fake_line.replies[-1].messages[-1]


def _answers(database: Database) -> list[ProgramAnswers]:
    with database.session() as session:
        rows = list(session.scalars(select(ProgramAnswers)))
        session.expunge_all()
        return rows


def _answer_until_results(line, fake_line, user: str, message: dict, *, pick: str) -> tuple[
        dict, int]:
    asked = 0
    while message["type"] == "text" and "quickReply" in message and asked < 6:
        items = message["quickReply"]["items"]
        data = dict(parse_qsl(items[0]["action"]["data"]))
        if data.get("a") != "pf":
            break
        labels = {i["action"]["label"]: i["action"]["data"] for i in items}
        choice = labels.get(pick) or labels["わからない"]
        message = _tap(line, fake_line, user, choice)
        asked += 1
    return message, asked


def test_line_flow_from_words_to_flex_results_and_the_office_note(line, fake_line, database):
    user = new_user_id()
    first = _say(line, fake_line, user, "制度をさがす")
    assert "状況" in first["text"]
    message = _say(line, fake_line, user, "シングルマザーで子ども2人、パートの収入が少ない")
    assert "わかったこと" in message["text"] and "ひとり親" in message["text"]
    labels = [i["action"]["label"] for i in message["quickReply"]["items"]]
    assert "わからない" in labels and "答えたくない" in labels
    message, asked = _answer_until_results(line, fake_line, user, message, pick="小学生")
    assert asked <= 4
    assert message["type"] == "flex"
    bubbles = message["contents"]["contents"]
    assert 3 <= len(bubbles) <= 5
    titles = [b["body"]["contents"][0]["text"] for b in bubbles]
    assert "児童扶養手当" in titles
    assert "児童扶養手当" in message["altText"] and "持っていくもの" in message["altText"]
    assert "東京都千代田区に住んでいる人は" in message["altText"]  # area: in staff.yaml
    footer_labels = {c["action"]["label"] for b in bubbles for c in b["footer"]["contents"]}
    assert {"公式ページ", "窓口で見せる"} <= footer_labels
    assert fake_line.violations == []
    (row,) = _answers(database)
    assert row.facts["household"] == "single_parent" and row.stage == "done"
    note = _tap(line, fake_line, user, "a=pshow")
    assert note["text"].startswith("【窓口で見せるメモ】")
    assert "児童扶養手当" in note["text"] and "戸籍謄本" in note["text"]
    assert "ひとり親" in note["text"]
    assert fake_line.violations == []


def test_line_change_one_answer_without_starting_over_then_clear(line, fake_line, database):
    user = new_user_id()
    message = _say(line, fake_line, user, "使える制度をさがしたい。先月クビになって家賃が払えない")
    _answer_until_results(line, fake_line, user, message, pick="ほとんどない")
    before = _answers(database)[0]
    choose = _tap(line, fake_line, user, "a=pchange")
    labels = {i["action"]["label"]: i["action"]["data"] for i in choose["quickReply"]["items"]}
    assert "仕事" in labels
    question = _tap(line, fake_line, user, labels["仕事"])
    options = {i["action"]["label"]: i["action"]["data"] for i in question["quickReply"]["items"]}
    result = _tap(line, fake_line, user, options["働いている"])
    after = _answers(database)[0]
    assert after.facts["employment"] == "employed"
    # The other answers are kept: only the one changed.
    assert {k: v for k, v in after.facts.items() if k != "employment"} == {
        k: v for k, v in before.facts.items() if k != "employment"}
    # 雇用保険の基本手当 needs a lost job: never shown now that the person works.
    text = result.get("altText") or result.get("text", "")
    assert "雇用保険の基本手当" not in text
    cleared = _tap(line, fake_line, user, "a=pclear")
    assert "消しました" in cleared["text"]
    assert _answers(database) == []
    assert fake_line.violations == []


def test_web_chat_runs_the_same_flow(client):
    session = "programs-web-1"
    body = client.post("/api/playground/messages",
                       json={"session": session, "text": "制度をさがす"}).get_json()
    assert "状況" in body["replies"][0]["text"]
    body = client.post("/api/playground/messages", json={
        "session": session, "text": "70歳、年金が少なくて生活できない"}).get_json()
    reply = body["replies"][0]
    for _ in range(4):
        pf = [q for q in reply["quick_replies"] if q["postback"].startswith("a=pf")]
        if not pf:
            break
        dont_know = next(q for q in pf if q["label"] == "わからない")
        body = client.post("/api/playground/messages", json={
            "session": session, "postback": dont_know["postback"]}).get_json()
        reply = body["replies"][0]
    assert "あなたに合いそうな制度" in reply["text"]
    assert "年金生活者支援給付金" in reply["text"]
    assert any(q["label"] == "窓口で見せる" for q in reply["quick_replies"])


def test_case_worker_sees_the_answers_in_slack_and_can_clear_them(
        line, slack, fake_line, fake_slack, database):
    from helpbot.storage.models import Case
    from tests.conftest import SLACK_CHANNEL, SLACK_SECRET
    from tests.fakes.slack_requests import block_action

    user = new_user_id()
    _say(line, fake_line, user, "制度をさがす")
    message = _say(line, fake_line, user, "シングルマザーで子ども2人")
    _answer_until_results(line, fake_line, user, message, pick="小学生")
    _say(line, fake_line, user, "人と話したいです")
    (posted,) = fake_slack.messages(channel=SLACK_CHANNEL)
    blocks = str(posted.blocks)
    assert "制度さがしの回答" in blocks and "ひとり親" in blocks
    assert "case_clear_program_answers" in posted.action_ids()
    with database.session() as session:
        case = session.scalars(select(Case)).one()
        session.expunge(case)
    response = slack.send(block_action(
        "case_clear_program_answers", str(case.id), user_id="UWORKER01", user_name="sato",
        channel_id=SLACK_CHANNEL, message_ts=case.slack_ts, signing_secret=SLACK_SECRET))
    assert response.status_code == 200
    slack.settle()
    assert _answers(database) == []
    updated = fake_slack.message(SLACK_CHANNEL, case.slack_ts)
    assert "制度さがしの回答" not in str(updated.blocks)
    assert fake_slack.violations == []


def test_many_long_cards_stay_within_lines_limits(fake_line):
    from helpbot.channels.line.replies import to_line_messages
    from helpbot.core.messages import Card, CardButton, QuickReply, Reply
    from tests.fakes.line_api import check_limits, check_with_sdk

    cards = tuple(
        Card(f"制度{i}" * 20,
             ("合う理由: " + "とても長い説明" * 60, "持っていくもの: 本人確認書類"),
             (CardButton("電話する", uri="tel:0120000123"),
              CardButton("公式ページを開いてください、くわしく", uri="https://www.mhlw.go.jp/"),
              CardButton("窓口で見せる", postback="a=pshow")))
        for i in range(15)
    )
    reply = Reply(text="結果", quick_replies=(QuickReply("答えを消す", "a=pclear"),), cards=cards)
    words, message = to_line_messages([reply])  # the reply's words, then the carousel
    assert words == {"type": "text", "text": "結果"}  # the buttons go on the carousel
    body = {"replyToken": "t" * 32, "messages": [message], "notificationDisabled": False}
    assert check_with_sdk("reply", body) == []
    assert check_limits("reply", body) == []
    flex = body["messages"][0]
    assert len(flex["contents"]["contents"]) == 12
    assert len(flex["altText"]) <= 1500 and flex["altText"].startswith("1. 制度0")
    assert fake_line.contract is not None
    assert list(fake_line.contract.validate_request_body(
        "POST", "/v2/bot/message/reply", body)) == []


def test_an_unfinished_search_does_not_swallow_questions_an_hour_later(line, fake_line, clock):
    user = new_user_id()
    assert "状況" in _say(line, fake_line, user, "制度をさがす")["text"]
    clock.advance(hours=2)
    answer = _say(line, fake_line, user, "フードバンクってなんですか")
    assert "わかったこと" not in answer["text"]
    assert "フードバンク" in answer["text"]


def test_the_count_of_line_messages_per_reply_matches_what_is_sent():
    # After a reply request succeeds and a push of the rest fails, the replies the first
    # batch carried count as delivered: a reply with cards is its words and a carousel.
    from helpbot.channels.line.replies import (
        MAX_MESSAGES,
        message_count,
        replies_within,
        to_line_messages,
    )
    from helpbot.core.messages import Card, Reply

    card = Card("制度", ("合う理由: 子どもがいる",))
    replies = [Reply(text="一"), Reply(text="二"), Reply(text="三"), Reply(text="四"),
               Reply(text="結果", cards=(card,)), Reply(text="", cards=(card,)),
               Reply(text="x" * 12000)]
    for reply in replies:
        assert message_count(reply) == len(to_line_messages([reply]))
    # the first five messages hold the four texts and the results' words, not its carousel
    assert replies_within(replies, MAX_MESSAGES) == 4
