"""Follow-ups scheduled from Slack, delivered by the worker, with an injected clock."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from helpbot.channels.slack.blocks import FOLLOWUP_CALLBACK
from helpbot.storage.models import Case, Delivery
from tests.conftest import SLACK_CHANNEL, SLACK_SECRET
from tests.fakes.line_webhooks import new_user_id, postback_event, text_event, unfollow_event
from tests.fakes.slack_requests import (
    block_action,
    event_callback,
    message_event,
    new_ts,
    slash_command,
    view_submission,
)

WORKER = "UWORKER01"


def _say(line, fake_line, user: str, text: str) -> None:
    token = fake_line.issue_reply_token(user_id=user)
    assert line.post(text_event(text, user_id=user, reply_token=token)).status_code == 200
    line.settle()


def _open_case(line, fake_line, database) -> tuple[str, Case]:
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    with database.session() as session:
        return person, session.scalars(select(Case)).one()


def _reminders(database) -> list[Delivery]:
    with database.session() as session:
        return list(session.scalars(select(Delivery).where(Delivery.kind == "reminder")))


def _submit(slack, case: Case, when: str, message: str, *, keep: bool = False):
    values = {"when": {"when": when}, "message": {"message": message}}
    if keep:
        values["keep"] = {"keep": {"type": "checkboxes", "selected_options": [{"value": "keep"}]}}
    response = slack.send(
        view_submission(FOLLOWUP_CALLBACK, values, user_id=WORKER,
                        private_metadata=str(case.id), signing_secret=SLACK_SECRET)
    )
    slack.settle()
    return response


def test_followup_form_schedules_a_reminder_that_the_worker_sends_when_due(
    line, slack, fake_line, fake_slack, database, clock
):
    person, case = _open_case(line, fake_line, database)
    opened = slack.send(block_action("case_followup", str(case.id), user_id=WORKER,
                                     channel_id=SLACK_CHANNEL, message_ts=case.slack_ts,
                                     signing_secret=SLACK_SECRET))
    assert opened.status_code == 200
    slack.settle()
    (form,) = fake_slack.views
    assert form.view["callback_id"] == FOLLOWUP_CALLBACK
    assert form.view["private_metadata"] == str(case.id)

    assert _submit(slack, case, "3日後", "フードバンクに行けましたか？").status_code == 200
    (reminder,) = _reminders(database)
    # Tuesday 10:00 JST + 3 days, at the default hour: Friday 10:00 JST = 01:00 UTC.
    assert reminder.due_at == dt.datetime(2026, 12, 4, 1, 0, tzinfo=dt.UTC)
    assert "⏰ 12/04 10:00 scheduled: フードバンクに行けましたか？" in str(
        fake_slack.message(SLACK_CHANNEL, case.slack_ts).blocks
    )
    before = len(fake_line.sent_texts(user_id=person))
    clock.advance(days=2, hours=23)
    line.settle()
    assert len(fake_line.sent_texts(user_id=person)) == before, "not due yet"
    clock.advance(hours=1)
    line.settle()
    assert fake_line.sent_texts(user_id=person)[-1] == "フードバンクに行けましたか？"
    assert _reminders(database)[0].state == "done"
    line.settle()
    assert fake_line.sent_texts(user_id=person).count("フードバンクに行けましたか？") == 1


def test_a_bad_time_in_the_form_is_shown_next_to_the_field(line, slack, fake_line, database):
    _, case = _open_case(line, fake_line, database)
    response = _submit(slack, case, "そのうち", "元気ですか？")
    assert response.status_code == 200
    body = json.loads(response.get_data(as_text=True))
    assert body["response_action"] == "errors" and "when" in body["errors"]
    assert _reminders(database) == []


def test_reminder_due_in_quiet_hours_waits_until_morning(line, slack, fake_line, database,
                                                         clock):
    person, case = _open_case(line, fake_line, database)
    _submit(slack, case, "今日 22時", "今日はどうでしたか？")
    (reminder,) = _reminders(database)
    # 22:00 JST is inside quiet hours (21:00-08:00): moved to 08:00 the next morning.
    assert reminder.due_at == dt.datetime(2026, 12, 1, 23, 0, tzinfo=dt.UTC)
    clock.now = dt.datetime(2026, 12, 1, 13, 5, tzinfo=dt.UTC)  # 22:05 JST
    line.settle()
    assert "今日はどうでしたか？" not in fake_line.sent_texts(user_id=person)
    clock.now = dt.datetime(2026, 12, 1, 23, 0, tzinfo=dt.UTC)
    line.settle()
    assert fake_line.sent_texts(user_id=person)[-1] == "今日はどうでしたか？"


def test_a_reminder_moved_to_the_morning_holds_back_no_other_message(
    line, slack, fake_line, database, clock
):
    person, case = _open_case(line, fake_line, database)
    _submit(slack, case, "今日 20時", "今日はどうでしたか？")
    _submit(slack, case, "今日 20時30分", "眠れていますか？")
    # No worker ran in the evening (a deploy, LINE down): at 21:30 JST both reminders are
    # due but quiet hours have begun, so they are moved to 08:00, the later one behind.
    clock.now = dt.datetime(2026, 12, 1, 12, 30, tzinfo=dt.UTC)
    line.settle()
    reminders = _reminders(database)
    assert [r.state for r in reminders] == ["pending", "pending"]
    assert reminders[0].next_attempt_at == dt.datetime(2026, 12, 1, 23, 0, tzinfo=dt.UTC)
    # A case worker answers in the thread that night: the person gets it now, not at 08:00.
    response = slack.send(event_callback(
        message_event("明日の朝いちばんにお電話します", channel=SLACK_CHANNEL, user=WORKER,
                      ts=new_ts(), thread_ts=case.slack_ts),
        signing_secret=SLACK_SECRET,
    ))
    assert response.status_code == 200
    slack.settle()
    texts = fake_line.sent_texts(user_id=person)
    assert texts[-1] == "明日の朝いちばんにお電話します"
    assert "今日はどうでしたか？" not in texts and "眠れていますか？" not in texts
    # In the morning the reminders go out, still in their own order, each once.
    clock.now = dt.datetime(2026, 12, 1, 23, 0, tzinfo=dt.UTC)
    line.settle()
    line.settle()
    texts = fake_line.sent_texts(user_id=person)
    assert texts[-2:] == ["今日はどうでしたか？", "眠れていますか？"]
    assert texts.count("今日はどうでしたか？") == texts.count("眠れていますか？") == 1


def test_resolving_cancels_reminders_unless_kept(line, slack, fake_line, fake_slack, database):
    _, case = _open_case(line, fake_line, database)
    _submit(slack, case, "2日後", "cancel me")
    _submit(slack, case, "3日後", "keep me", keep=True)
    slack.send(block_action("case_resolve", str(case.id), user_id=WORKER,
                            channel_id=SLACK_CHANNEL, message_ts=case.slack_ts,
                            signing_secret=SLACK_SECRET))
    slack.settle()
    states = {r.text: r.state for r in _reminders(database)}
    assert states == {"cancel me": "cancelled", "keep me": "pending"}
    shown = str(fake_slack.message(SLACK_CHANNEL, case.slack_ts).blocks)
    assert "cancelled: cancel me" in shown and "scheduled: keep me" in shown


def test_unfollow_cancels_everything_scheduled(line, slack, fake_line, database):
    person, case = _open_case(line, fake_line, database)
    _submit(slack, case, "2日後", "元気ですか？")
    line.post(unfollow_event(user_id=person))
    line.settle()
    assert [r.state for r in _reminders(database)] == ["cancelled"]


def test_slash_command_schedules_with_japanese_and_english_times(line, slack, fake_line,
                                                                 database):
    _, case = _open_case(line, fake_line, database)
    for text in (f"remind {case.id} 来週月曜 10時 ハローワークはどうでしたか？",
                 f"remind {case.id} in 2 days did you get to the food bank?"):
        answer = slack.send(slash_command("/helpbot", text, user_id=WORKER,
                                          channel_id=SLACK_CHANNEL, signing_secret=SLACK_SECRET))
        assert "scheduled for" in answer.get_data(as_text=True)
    due = {r.text: r.due_at for r in _reminders(database)}
    assert due == {
        "ハローワークはどうでしたか？": dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC),
        "did you get to the food bank?": dt.datetime(2026, 12, 3, 1, 0, tzinfo=dt.UTC),
    }
    refused = slack.send(slash_command("/helpbot", f"remind {case.id} someday hello",
                                       user_id=WORKER, channel_id=SLACK_CHANNEL,
                                       signing_secret=SLACK_SECRET))
    assert "Not scheduled" in refused.get_data(as_text=True)


def test_program_with_a_deadline_offers_a_remind_me_button(line, fake_line, database, faq_dir,
                                                           clock):
    (faq_dir / "deadline.yaml").write_text(
        "- id: winter-grant\n  type: program\n  name: 冬の緊急支援金\n"
        "  summary: 冬の光熱費を助けます\n  last_checked: 2026-11-01\n  deadline: 2026-12-11\n",
        encoding="utf-8",
    )
    person = new_user_id()
    token = fake_line.issue_reply_token(user_id=person)
    line.post(postback_event("a=answer&id=winter-grant", user_id=person, reply_token=token))
    line.settle()
    message = fake_line.replies[-1].messages[-1]
    (button,) = message["quickReply"]["items"]
    assert button["action"]["data"] == "a=remind&id=winter-grant"
    token = fake_line.issue_reply_token(user_id=person)
    line.post(postback_event(button["action"]["data"], user_id=person, reply_token=token))
    line.settle()
    assert "12月8日（火）10:00" in fake_line.sent_texts(user_id=person)[-1]
    (reminder,) = _reminders(database)
    assert reminder.due_at == dt.datetime(2026, 12, 8, 1, 0, tzinfo=dt.UTC)
    clock.now = reminder.due_at
    line.settle()
    assert "冬の緊急支援金" in fake_line.sent_texts(user_id=person)[-1]
    assert "12月11日" in fake_line.sent_texts(user_id=person)[-1]


def test_a_second_tap_on_remind_me_sets_nothing_more(line, fake_line, database, faq_dir):
    (faq_dir / "deadline.yaml").write_text(
        "- id: winter-grant\n  type: program\n  name: 冬の緊急支援金\n"
        "  summary: 冬の光熱費を助けます\n  last_checked: 2026-11-01\n  deadline: 2026-12-11\n",
        encoding="utf-8",
    )
    person = new_user_id()
    for _ in range(2):
        token = fake_line.issue_reply_token(user_id=person)
        line.post(postback_event("a=remind&id=winter-grant", user_id=person, reply_token=token))
        line.settle()
    first, second = fake_line.sent_texts(user_id=person)
    assert "お知らせします" in first and "LINE" not in first
    assert "もう設定してあります" in second and "12月8日（火）10:00" in second
    assert len(_reminders(database)) == 1


def test_web_chat_remind_me_twice_is_one_reminder_said_for_the_web(client, database, faq_dir):
    (faq_dir / "deadline.yaml").write_text(
        "- id: winter-grant\n  type: program\n  name: 冬の緊急支援金\n"
        "  summary: 冬の光熱費を助けます\n  last_checked: 2026-11-01\n  deadline: 2026-12-11\n",
        encoding="utf-8",
    )
    texts = []
    for _ in range(2):
        response = client.post("/api/playground/messages", json={
            "session": "pg-remind-twice-1", "postback": "a=remind&id=winter-grant"})
        assert response.status_code == 200
        texts.append(response.get_json()["replies"][0]["text"])
    assert "LINE" not in texts[0] and "お知らせします" in texts[0]
    assert "もう設定してあります" in texts[1]
    assert len(_reminders(database)) == 1


def test_waiting_person_is_told_their_message_arrived_once(line, fake_line, database, clock):
    person, _case = _open_case(line, fake_line, database)
    _say(line, fake_line, person, "まだですか")
    before = len(fake_line.sent_texts(user_id=person))
    clock.advance(minutes=11)
    line.settle()
    texts = fake_line.sent_texts(user_id=person)
    assert len(texts) == before + 1 and "届いています" in texts[-1]
    clock.advance(minutes=11)
    line.settle()
    assert len(fake_line.sent_texts(user_id=person)) == before + 1, "once per wait"


def test_a_message_that_keeps_failing_is_given_up_and_staff_are_told(
    line, slack, fake_line, fake_slack, database, clock
):
    _person, case = _open_case(line, fake_line, database)
    _submit(slack, case, "明日", "明日の予定は大丈夫ですか？")
    fake_line.fail_next(500, times=1000)
    clock.now = dt.datetime(2026, 12, 2, 1, 0, tzinfo=dt.UTC)
    for _ in range(40):
        line.settle()
        clock.advance(hours=1)
    (reminder,) = _reminders(database)
    assert reminder.state == "failed" and "500" in reminder.last_error
    assert reminder.staff_told_at is not None
    thread = [m.text for m in fake_slack.thread(SLACK_CHANNEL, case.slack_ts)]
    assert any("could not be delivered" in t for t in thread)
    assert "⚠️" in str(fake_slack.message(SLACK_CHANNEL, case.slack_ts).blocks)
