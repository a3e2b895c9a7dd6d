"""The handoff to case workers in Slack, end to end over HTTP.

The person writes on LINE (signed webhooks) -> the case is posted to the fake Slack API ->
a worker clicks Claim (a signed block action) -> the worker's thread reply reaches the fake
LINE API as a push -> the person's answer appears in the thread -> Resolve -> closing message.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpbot.cases.intake import REOPENED_BY_WORKER
from helpbot.storage.audit import audit_lines
from helpbot.storage.models import Case, Message, StaffPost
from tests.conftest import SLACK_CHANNEL, SLACK_SECRET, SLACK_TOKEN
from tests.fakes.line_webhooks import new_user_id, postback_event, text_event
from tests.fakes.slack_requests import (
    block_action,
    event_callback,
    message_event,
    new_ts,
    slash_command,
    url_verification,
)

WORKER = "UWORKER01"


def _say(line, fake_line, user: str, text: str) -> None:
    token = fake_line.issue_reply_token(user_id=user)
    assert line.post(text_event(text, user_id=user, reply_token=token)).status_code == 200
    line.settle()


def _case(database) -> Case:
    with database.session() as session:
        return session.scalars(select(Case)).one()


def _click(slack, action_id: str, case: Case):
    response = slack.send(
        block_action(
            action_id, str(case.id), user_id=WORKER, user_name="sato", channel_id=SLACK_CHANNEL,
            message_ts=case.slack_ts, signing_secret=SLACK_SECRET,
        )
    )
    assert response.status_code == 200
    slack.settle()


def _worker_writes(slack, case: Case, text: str, *, event_id: str | None = None, retry=0):
    request = event_callback(
        message_event(text, channel=SLACK_CHANNEL, user=WORKER, ts=new_ts(),
                      thread_ts=case.slack_ts),
        event_id=event_id, signing_secret=SLACK_SECRET,
    )
    if retry:
        request = request.with_retry(retry)
    response = slack.send(request)
    assert response.status_code == 200
    slack.settle()
    return request


def test_full_handoff_scenario(line, slack, fake_line, fake_slack, database):
    person = new_user_id()
    _say(line, fake_line, person, "家賃が払えなくて、人と話したいです")
    (told,) = fake_line.sent_texts(user_id=person)
    assert "スタッフにつなぎました" in told
    (posted,) = fake_slack.messages(channel=SLACK_CHANNEL)
    assert posted.action_ids() == ["case_claim", "case_resolve", "case_followup"]
    assert "Case #1" in str(posted.blocks)
    case = _case(database)
    assert case.state == "open" and case.slack_ts == posted.ts

    _click(slack, "case_claim", case)
    updated = fake_slack.message(SLACK_CHANNEL, case.slack_ts)
    assert f"claimed by <@{WORKER}>" in str(updated.blocks)
    assert updated.action_ids() == ["case_resolve", "case_followup"]
    assert "担当" in fake_line.sent_texts(user_id=person)[-1]

    note = "// 家賃3か月滞納"
    _worker_writes(slack, case, f"佐藤です。住居確保給付金が使えるかもしれません。\n{note}")
    relayed = fake_line.sent_texts(user_id=person)[-1]
    assert relayed == "佐藤です。住居確保給付金が使えるかもしれません。"
    assert "滞納" not in relayed, "note lines stay internal"

    before = len(fake_line.sent_texts(user_id=person))
    _say(line, fake_line, person, "ありがとうございます。電話は090-1234-5678です")
    assert len(fake_line.sent_texts(user_id=person)) == before, "the bot stays quiet"
    thread = fake_slack.thread(SLACK_CHANNEL, case.slack_ts)
    assert "ありがとうございます" in thread[-1].text
    assert "090-1234-5678" not in thread[-1].text and "[電話番号]" in thread[-1].text

    _click(slack, "case_resolve", _case(database))
    assert "resolved" in str(fake_slack.message(SLACK_CHANNEL, case.slack_ts).blocks)
    closing = fake_line.pushes[-1].messages[0]
    assert "終わり" in closing["text"]
    csat = closing["quickReply"]["items"][0]["action"]["data"]

    token = fake_line.issue_reply_token(user_id=person)
    line.post(postback_event(csat, user_id=person, reply_token=token))
    line.settle()
    assert _case(database).satisfaction == 3
    assert fake_line.violations == [] and fake_slack.violations == []


def test_a_retried_slack_event_is_relayed_once(line, slack, fake_line, fake_slack, database):
    person = new_user_id()
    _say(line, fake_line, person, "スタッフと話したい")
    case = _case(database)
    request = _worker_writes(slack, case, "こんにちは、担当の佐藤です")
    retried = request.with_retry(1)
    assert slack.send(retried).status_code == 200
    slack.settle()
    assert fake_line.sent_texts(user_id=person).count("こんにちは、担当の佐藤です") == 1


def test_the_bots_own_messages_are_not_relayed(line, slack, fake_line, database):
    person = new_user_id()
    _say(line, fake_line, person, "スタッフと話したい")
    case = _case(database)
    before = len(fake_line.sent_texts(user_id=person))
    request = event_callback(
        message_event("👤 echo", channel=SLACK_CHANNEL, user="UBOT00001", ts=new_ts(),
                      thread_ts=case.slack_ts, bot_id="B0000BOT1"),
        signing_secret=SLACK_SECRET,
    )
    assert slack.send(request).status_code == 200
    slack.settle()
    assert len(fake_line.sent_texts(user_id=person)) == before


@pytest.mark.parametrize("variant", ["forged", "stale", "without_signature"])
def test_forged_and_stale_slack_requests_are_rejected(slack, fake_slack, variant):
    request = getattr(url_verification(signing_secret=SLACK_SECRET), variant)()
    response = slack.send(request)
    assert response.status_code == 401
    assert fake_slack.requests == []


def test_url_verification_is_answered(slack):
    request = url_verification(challenge="3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                               signing_secret=SLACK_SECRET)
    response = slack.send(request)
    assert response.status_code == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in response.get_data(as_text=True)


@pytest.mark.parametrize("status", [500, 429])
def test_slack_down_loses_nothing_and_the_case_is_posted_later(
    line, fake_line, fake_slack, database, app, clock, status
):
    fake_slack.fail_next(status, times=20, retry_after=7 if status == 429 else None)
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    assert "スタッフにつなぎました" in fake_line.sent_texts(user_id=person)[0]
    case = _case(database)
    assert case.slack_ts is None
    with database.session() as session:
        (post,) = session.scalars(select(StaffPost)).all()
        assert post.status == "pending" and str(status) in post.last_error
        assert post.attempts == 1
    _say(line, fake_line, person, "家賃を3か月払えていません")
    assert fake_slack.messages() == []

    fake_slack.reset()
    outbox = app.extensions["helpbot"].cases.outbox
    assert outbox.retry_due() == 0, "not due yet: backoff"
    clock.advance(minutes=5)
    outbox.retry_due()
    (root,) = [m for m in fake_slack.messages() if not m.is_reply]
    thread = fake_slack.thread(SLACK_CHANNEL, root.ts)
    assert [m.text for m in thread] == ["👤 家賃を3か月払えていません"]
    assert outbox.undelivered() == []
    assert outbox.retry_due() == 0, "nothing is sent twice"
    assert len(fake_slack.messages()) == 2


def test_claiming_a_claimed_case_tells_the_second_worker(line, slack, fake_line, fake_slack,
                                                         database):
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    case = _case(database)
    _click(slack, "case_claim", case)
    _click(slack, "case_claim", case)
    (note,) = fake_slack.ephemerals
    assert "cannot claim" in note.text
    assert _case(database).claimed_by == WORKER


def test_slash_command_claims_and_shows_usage(line, slack, fake_line, database):
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    usage = slack.send(slash_command("/helpbot", "help", user_id=WORKER,
                                     channel_id=SLACK_CHANNEL, signing_secret=SLACK_SECRET))
    assert "Usage" in usage.get_data(as_text=True)
    slack.send(slash_command("/helpbot", "claim 1", user_id=WORKER, channel_id=SLACK_CHANNEL,
                             signing_secret=SLACK_SECRET))
    slack.settle()
    assert _case(database).state == "claimed"


def test_unclaimed_case_is_reannounced_in_its_thread(line, fake_line, fake_slack, database, app,
                                                      clock):
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    cases = app.extensions["helpbot"].cases
    clock.advance(minutes=29)
    assert cases.reannounce_unclaimed() == 0
    clock.advance(minutes=2)
    assert cases.reannounce_unclaimed() == 1
    assert cases.reannounce_unclaimed() == 0, "once per period"
    case = _case(database)
    (note,) = fake_slack.thread(SLACK_CHANNEL, case.slack_ts)
    assert "Still unclaimed after 31 min" in note.text


def test_two_misses_in_a_row_open_a_case(line, fake_line, fake_slack, database):
    person = new_user_id()
    _say(line, fake_line, person, "zzqx vvvv 9999")
    assert fake_slack.messages() == []
    _say(line, fake_line, person, "qqqq wwww 1234")
    # Written in Latin letters, so the bot answers in English.
    assert "passed your message to our staff" in fake_line.sent_texts(user_id=person)[-1]
    assert _case(database).reason == "bot_failed"


def test_person_writing_after_resolution_reopens_the_case(line, slack, fake_line, fake_slack,
                                                          database, clock):
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    _click(slack, "case_resolve", _case(database))
    clock.advance(hours=2)
    _say(line, fake_line, person, "やっぱりもう少し相談したいです")
    case = _case(database)
    assert case.state == "open" and case.times_reopened == 1
    assert "Claim" in str(fake_slack.message(SLACK_CHANNEL, case.slack_ts).blocks)


def test_a_workers_reply_reopens_a_resolved_case_claimed_by_them_and_says_so(
    line, slack, fake_line, fake_slack, database, clock
):
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    opened = clock.now
    _click(slack, "case_claim", _case(database))
    _click(slack, "case_resolve", _case(database))
    clock.advance(days=3)
    seen = len(audit_lines(database))
    _worker_writes(slack, _case(database), "その後いかがですか")
    case = _case(database)
    assert (case.state, case.claimed_by, case.times_reopened) == ("claimed", WORKER, 1)
    # the same case going on: opened and first claimed when it was (the report counts it once)
    assert case.resolved_at is None and case.opened_at == case.claimed_at == opened
    assert case.last_announced_at == clock.now
    assert [(a.action, a.actor) for a in audit_lines(database)[seen:]] == [
        ("reply", WORKER), ("reopen", WORKER), ("claim", WORKER)]
    thread = [m.text for m in fake_slack.thread(SLACK_CHANNEL, case.slack_ts)]
    assert thread[-1] == REOPENED_BY_WORKER.format(worker=WORKER)
    assert thread[-1].startswith(f"相談を再開しました（担当: <@{WORKER}>）")
    assert "Resolve" in str(fake_slack.message(SLACK_CHANNEL, case.slack_ts).blocks)
    # A note alone changes nothing; neither does a reply once the case is open again.
    _worker_writes(slack, case, "// 様子を見る")
    _worker_writes(slack, case, "お返事お待ちしています")
    assert _case(database).times_reopened == 1
    assert sum("相談を再開しました" in m.text
               for m in fake_slack.thread(SLACK_CHANNEL, case.slack_ts)) == 1


def test_a_note_alone_does_not_reopen_a_resolved_case(line, slack, fake_line, database, clock):
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    _click(slack, "case_resolve", _case(database))
    clock.advance(days=3)
    _worker_writes(slack, _case(database), "// 終了済み、記録だけ")
    assert _case(database).state == "resolved"


def test_crisis_message_gets_resources_at_once_and_an_urgent_case(
    line, fake_line, fake_slack, database
):
    person = new_user_id()
    _say(line, fake_line, person, "もう疲れた。死にたい")
    resources, next_step = fake_line.sent_texts(user_id=person)
    assert "119" in resources and "0120-279-338" in resources
    assert "スタッフにつなぎました" in next_step
    case = _case(database)
    assert (case.urgency, case.reason, case.crisis_category) == ("urgent", "crisis", "suicide")
    root = fake_slack.message(SLACK_CHANNEL, case.slack_ts)
    assert "URGENT" in str(root.blocks)
    (mention,) = fake_slack.thread(SLACK_CHANNEL, case.slack_ts)
    assert mention.text.startswith("<!channel> URGENT")


def test_crisis_fires_while_a_case_is_open_and_before_any_faq_answer(
    line, slack, fake_line, fake_slack, database
):
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    _click(slack, "case_claim", _case(database))
    _say(line, fake_line, person, "夫に殴られた。今夜寝る場所がない")
    assert "110" in fake_line.sent_texts(user_id=person)[-1]
    case = _case(database)
    assert case.urgency == "urgent" and case.state == "claimed"
    thread = [m.text for m in fake_slack.thread(SLACK_CHANNEL, case.slack_ts)]
    assert any(t.startswith("👤 夫に殴られた") for t in thread)
    assert any(t.startswith("<!channel> URGENT") for t in thread)
    assert "URGENT" in str(fake_slack.message(SLACK_CHANNEL, case.slack_ts).blocks)


def test_outside_office_hours_the_person_is_told_when_and_given_emergency_numbers(
    line, fake_line, clock
):
    import datetime as dt

    clock.now = dt.datetime(2026, 12, 5, 13, 30, tzinfo=dt.UTC)  # Saturday 22:30 in Tokyo
    person = new_user_id()
    _say(line, fake_line, person, "スタッフと話したい")
    (told,) = fake_line.sent_texts(user_id=person)
    assert "対応時間の外" in told and "12月7日（月）09:00" in told and "119" in told


def test_every_fallback_and_suggestion_offers_a_human(line, fake_line):
    person = new_user_id()
    token = fake_line.issue_reply_token(user_id=person)
    line.post(text_event("zzqx vvvv 9999", user_id=person, reply_token=token))
    line.settle()
    items = fake_line.replies[-1].messages[-1]["quickReply"]["items"]
    assert items[-1]["action"]["data"] == "a=human"
    assert len(items) <= 13


def test_a_thread_with_the_same_ts_in_another_channel_is_not_relayed(
    line, slack, fake_line, database
):
    person = new_user_id()
    _say(line, fake_line, person, "スタッフと話したい")
    case = _case(database)
    before = len(fake_line.sent_texts(user_id=person))
    request = event_callback(
        message_event("別のチャンネルの話", channel="COTHER001", user=WORKER, ts=new_ts(),
                      thread_ts=case.slack_ts),
        signing_secret=SLACK_SECRET,
    )
    assert slack.send(request).status_code == 200
    slack.settle()
    assert len(fake_line.sent_texts(user_id=person)) == before


def test_names_the_person_writes_reach_slack_masked(
    line, fake_line, fake_slack, database, web_process_probe
):
    person = new_user_id()
    _say(line, fake_line, person, "高橋です。家賃が払えなくて、人と話したいです")
    (posted,) = fake_slack.messages(channel=SLACK_CHANNEL)
    assert "高橋" not in str(posted.blocks) and "[名前]です。家賃が払えなくて" in str(posted.blocks)
    case = _case(database)
    _say(line, fake_line, person, "娘のひなちゃんの保育料も、夫の中村拓也と相談しました")
    relayed = fake_slack.thread(SLACK_CHANNEL, case.slack_ts)[-1].text
    assert "中村" not in relayed and "ひな" not in relayed
    assert "娘の[名前]ちゃんの保育料も、夫の[名前]と相談しました" in relayed
    with database.session() as session:  # where the names are, kept with the text
        first = session.scalars(select(Message).where(Message.direction == "in")).first()
    assert first is not None and first.extra == {"names": [[0, 2]]}
    # Claim, in a web process with the web chat off: no Sudachi there, the kept names redraw
    request = block_action("case_claim", str(case.id), user_id=WORKER, channel_id=SLACK_CHANNEL,
                           message_ts=case.slack_ts, signing_secret=SLACK_SECRET)
    probe = (
        "import sys; from helpbot.app import create_app; app = create_app(); "
        "services = app.extensions['helpbot']; "
        f"done = app.test_client().post({request.path!r}, data={request.body!r}, "
        f"headers={dict(request.headers)!r}); assert services.wait_idle(timeout=20); "
        "services.close(); print(done.status_code, 'sudachipy' in sys.modules)"
    )
    assert web_process_probe(
        probe, SLACK_BOT_TOKEN=SLACK_TOKEN, SLACK_SIGNING_SECRET=SLACK_SECRET,
        SLACK_ESCALATION_CHANNEL=SLACK_CHANNEL, SLACK_API_BASE_URL=fake_slack.api_url,
        LINE_API_BASE_URL=fake_line.base_url,
    ) == "200 False"
    redrawn = str(fake_slack.message(SLACK_CHANNEL, case.slack_ts).blocks)
    assert f"claimed by <@{WORKER}>" in redrawn
    assert "高橋" not in redrawn and "[名前]です。家賃が払えなくて" in redrawn
    assert "中村" not in redrawn and "夫の[名前]と相談しました" in redrawn
