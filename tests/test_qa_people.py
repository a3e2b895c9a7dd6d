"""Exploratory QA as the three real users: the person on LINE, the case worker in Slack, the
staff member editing faq/. Real SQLite, the fake LINE and Slack servers through the real SDK
clients, the injected clock. Tests marked xfail(strict) record a defect not fixed yet."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy import select

from helpbot.storage.models import Case, Contact
from tests.conftest import SLACK_CHANNEL, SLACK_SECRET
from tests.fakes.line_webhooks import new_user_id, text_event
from tests.fakes.slack_requests import event_callback, message_event, new_ts, slash_command
from tests.test_cases_slack import WORKER, _click, _worker_writes
from tests.test_knowledge_versions import edit

SATURDAY_NIGHT = dt.datetime(2026, 12, 5, 13, 30, tzinfo=dt.UTC)  # 22:30 in Tokyo


def _say(line, fake_line, user: str, text: str) -> list[str]:
    before = len(fake_line.sent_texts(user_id=user))
    token = fake_line.issue_reply_token(user_id=user)
    assert line.post(text_event(text, user_id=user, reply_token=token)).status_code == 200
    line.settle()
    return fake_line.sent_texts(user_id=user)[before:]


def _case(database) -> Case:
    with database.session() as session:
        return session.scalars(select(Case).order_by(Case.id.desc())).first()


def _thread(fake_slack, case: Case) -> list[str]:
    return [m.text for m in fake_slack.thread(SLACK_CHANNEL, case.slack_ts)]


# -- the person in danger ---------------------------------------------------------------------

def test_danger_at_night_in_an_unclaimed_case_gets_resources_and_an_urgent_alert(
    line, fake_line, fake_slack, database, clock
):
    clock.now = SATURDAY_NIGHT
    person = new_user_id()
    (told,) = _say(line, fake_line, person, "スタッフと話したい")
    assert "対応時間の外" in told
    clock.advance(minutes=5)
    resources, *_ = _say(line, fake_line, person, "もう死にたい")
    assert "0120-279-338" in resources, "a 24-hour line, also at night"
    case = _case(database)
    assert (case.state, case.urgency, case.crisis_category) == ("open", "urgent", "suicide")
    thread = _thread(fake_slack, case)
    assert thread[0] == "👤 もう死にたい"
    assert thread[1].startswith("<!channel> URGENT")
    assert "URGENT" in str(fake_slack.message(SLACK_CHANNEL, case.slack_ts).blocks)


def test_a_burst_of_three_with_danger_in_the_second_is_answered_once_each_in_order(
    line, fake_line, fake_slack, database
):
    person = new_user_id()
    start = 1_764_550_800_000
    events = [
        text_event(text, user_id=person, reply_token=fake_line.issue_reply_token(user_id=person),
                   timestamp=start + 300 * i)
        for i, text in enumerate(["家賃が払えません", "もう死にたい", "今日はどこに行けばいい"])
    ]
    assert line.post(*events).status_code == 200
    line.settle()
    line.settle()
    replies = [r for r in fake_line.replies if r.user_id == person]
    tokens = [e["replyToken"] for e in events]
    assert [r.reply_token for r in replies] == tokens, "once each, in order"
    assert "家賃が払えません" in str(replies[0].messages), "the first is answered before the danger"
    assert "0120-279-338" in replies[1].messages[0]["text"]
    assert fake_line.pushes == []
    case = _case(database)
    assert case.urgency == "urgent" and case.crisis_category == "suicide"
    assert "👤 今日はどこに行けばいい" in _thread(fake_slack, case), "the third goes to staff"


def test_resources_sent_while_line_is_down_arrive_once_and_in_order_after_it_recovers(
    line, fake_line, fake_slack, database, clock
):
    person = new_user_id()
    fake_line.fail_next(500, times=1000)
    assert _say(line, fake_line, person, "もう死にたい") == []
    assert any(t.startswith("<!channel> URGENT") for t in fake_slack.texts(SLACK_CHANNEL))
    for _ in range(5):
        clock.advance(minutes=1)
        line.settle()
    fake_line.reset()
    for _ in range(3):
        clock.advance(minutes=10)
        line.settle()
    resources, next_step = fake_line.sent_texts(user_id=person)
    assert "0120-279-338" in resources and "スタッフにつなぎました" in next_step


# -- the person's language ----------------------------------------------------------------------

def test_vietnamese_then_easy_japanese_then_english_each_reply_fits_and_staff_see_it(
    line, fake_line, fake_slack, database
):
    person = new_user_id()
    (vi,) = _say(line, fake_line, person, "Tôi không trả được tiền thuê nhà")
    assert "Có phải bạn muốn hỏi" in vi
    (easy,) = _say(line, fake_line, person, "やさしい日本語で")
    assert "やさしい にほんご" in easy
    (en,) = _say(line, fake_line, person, "I lost my job, can I get money?")
    assert en.startswith("Did you mean")
    (handed,) = _say(line, fake_line, person, "I want to talk to staff")
    assert "passed your message to our staff" in handed
    with database.session() as session:
        contact = session.scalars(select(Contact)).one()
        assert (contact.language, contact.easy_japanese) == ("en", True)
    (posted,) = fake_slack.messages(channel=SLACK_CHANNEL)
    assert "やさしい日本語を希望" in str(posted.blocks)


# -- common needs in hiragana and with typos ----------------------------------------------------

@pytest.mark.parametrize("text", [
    "食べ物がない",  # this and the next are in helpbot/crisis/data/everyday.yaml
    "たべものがない",
    "たべものない",  # these are not
    "食べ物がなくて困ってる",
    "うちに食べるものがないです",
])
def test_no_food_in_plain_words_is_answered_not_treated_as_danger(line, fake_line, database, text):
    """「食べ物がない」 is three kana shorter than the crisis expression 「食べ物が何もない」
    (three slips, not one): it is the everyday food question the FAQ answers."""
    person = new_user_id()
    replies = _say(line, fake_line, person, text)
    assert _case(database) is None, "no urgent case for an everyday question"
    message = [d for d in fake_line.deliveries if d.user_id == person][-1].messages[-1]
    labels = [i["action"]["label"] for i in message.get("quickReply", {}).get("items", [])]
    assert "食べ" in replies[-1] or "今日食べるものがありません" in labels
    assert "スタッフと話す" in labels
    assert len(labels) <= 5


# The first two are in helpbot/crisis/data/everyday.yaml (the everyday needs the FAQ answers);
# the others are not, and are left to the learned layer refitted with them.
@pytest.mark.parametrize("text", ["薬が買えない", "くすりがない", "薬もない", "くすり買えない",
                                  "薬が高くて買えません"])
def test_no_medicine_is_a_health_question_not_a_suicide_alarm(line, fake_line, database, text):
    person = new_user_id()
    replies = _say(line, fake_line, person, text)
    assert _case(database) is None, replies


def test_a_one_slip_typo_of_a_crisis_expression_still_counts(line, fake_line, database):
    person = new_user_id()
    _say(line, fake_line, person, "たべものがなにもなぃ")
    assert _case(database).crisis_category == "no_food"


# -- the case worker in Slack -----------------------------------------------------------------

def test_a_workers_reply_after_resolution_brings_the_persons_answer_back_to_the_thread(
    line, slack, fake_line, fake_slack, database, clock
):
    person = new_user_id()
    _say(line, fake_line, person, "スタッフと話したい")
    _click(slack, "case_claim", _case(database))
    _click(slack, "case_resolve", _case(database))
    clock.advance(days=2)
    case = _case(database)
    _worker_writes(slack, case, "その後、フードバンクには行けましたか？")
    assert fake_line.sent_texts(user_id=person)[-1] == "その後、フードバンクには行けましたか？"
    answer = _say(line, fake_line, person, "はい、行けました。ありがとうございます")
    assert answer == [], "the bot stays quiet: a worker is talking with the person"
    assert "👤 はい、行けました。ありがとうございます" in _thread(fake_slack, _case(database))


def test_a_workers_reply_is_not_lost_when_slack_fails_once_right_after_a_start(
    line, slack, fake_line, fake_slack, database
):
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    fake_slack.fail_next(500, times=1, methods=("auth.test",))
    request = event_callback(
        message_event("佐藤です。今どちらにいますか", channel=SLACK_CHANNEL, user=WORKER,
                      ts=new_ts(), thread_ts=_case(database).slack_ts),
        signing_secret=SLACK_SECRET,
    )
    response = slack.send(request)
    slack.settle()
    if response.status_code != 200:  # not taken: Slack sends it again
        slack.send(request.with_retry(1))
        slack.settle()
    assert response.status_code == 503, "bolt's auth.test failed: Slack must send it again"
    assert fake_line.sent_texts(user_id=person).count("佐藤です。今どちらにいますか") == 1


def test_a_bot_token_slack_refuses_is_told_to_staff_not_answered_503_forever(
    line, slack, fake_line, fake_slack, database, caplog
):
    """A revoked or wrong token fails every retry: 503s would only make Slack turn the app's
    events off. helpbot answers 200 and says in its log what to do."""
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    fake_slack.error_next("invalid_auth", times=2, methods=("auth.test",))  # bolt's and ours
    request = event_callback(
        message_event("佐藤です。今どちらにいますか", channel=SLACK_CHANNEL, user=WORKER,
                      ts=new_ts(), thread_ts=_case(database).slack_ts),
        signing_secret=SLACK_SECRET,
    )
    with caplog.at_level(logging.CRITICAL, logger="helpbot.channels.slack.webhook"):
        response = slack.send(request)
    slack.settle()
    assert response.status_code == 200
    assert "invalid_auth" in response.get_json()["error"]
    (record,) = [r for r in caplog.records if r.levelno == logging.CRITICAL]
    assert "SLACK_BOT_TOKEN" in record.getMessage() and "invalid_auth" in record.getMessage()
    assert len(fake_slack.calls("auth.test")) == 2
    assert "佐藤です。今どちらにいますか" not in fake_line.sent_texts(user_id=person)


def test_a_second_worker_claiming_by_slash_command_is_told_the_case_is_taken(
    line, slack, fake_line, fake_slack, database
):
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    _click(slack, "case_claim", _case(database))
    command = slash_command("/helpbot", f"claim {_case(database).id}", user_id="UOTHER002",
                            channel_id=SLACK_CHANNEL, signing_secret=SLACK_SECRET,
                            response_url=fake_slack.new_response_url())
    assert slack.send(command).status_code == 200
    slack.settle()
    assert _case(database).claimed_by == WORKER
    (told,) = fake_slack.wait_for(lambda: fake_slack.response_posts, timeout=5)
    assert "cannot claim" in told.body["text"]
    assert told.body["response_type"] == "ephemeral"


# -- staff editing faq/ -------------------------------------------------------------------------

def test_a_repeated_crisis_category_is_reported_at_its_line_and_crisis_detection_goes_on(
    line, fake_line, fake_slack, faq_dir
):
    crisis = faq_dir / "crisis.yaml"
    text = crisis.read_text(encoding="utf-8")
    line_of_repeat = text[: text.index("  - id: no_food\n")].count("\n") + 1
    edit(crisis, text.replace("  - id: no_food\n", "  - id: suicide\n", 1))
    person = new_user_id()
    resources, _ = _say(line, fake_line, person, "もう死にたい")
    assert "0120-279-338" in resources, "the previous version is served"
    (notice,) = [t for t in fake_slack.texts(SLACK_CHANNEL) if "FAQの編集に問題" in t]
    assert f"faq/crisis.yaml:{line_of_repeat}:" in notice
    assert "suicide" in notice and "ID" in notice.split(" / ")[0], "said in Japanese too"


# -- personal data ------------------------------------------------------------------------------

def test_a_whole_case_keeps_bodies_and_user_ids_out_of_helpbots_logs_and_ids_out_of_slack(
    line, slack, fake_line, fake_slack, database, caplog
):
    caplog.set_level(logging.DEBUG, logger="helpbot")
    person = new_user_id()
    _say(line, fake_line, person, "家賃が払えなくて、人と話したいです")
    _click(slack, "case_claim", _case(database))
    _worker_writes(slack, _case(database), "佐藤です。今どちらにいますか")
    _say(line, fake_line, person, "新宿駅の近くにいます")
    _click(slack, "case_resolve", _case(database))
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("helpbot.")]
    assert ours
    for secret in (person, "家賃が払え", "今どちらに", "新宿駅"):
        assert not [m for m in ours if secret in m], secret
    assert all(person.encode() not in r.raw_body for r in fake_slack.requests)
