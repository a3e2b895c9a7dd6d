"""Burmese typed in the Zawgyi font encoding is read as Unicode where it enters the core: a
person in danger writing in Zawgyi gets the crisis lines, case workers read Unicode, and
Unicode Burmese and every other language pass untouched."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from sqlalchemy import select

from helpbot.conversation.recovery import TurnRecovery
from helpbot.core.messages import Incoming, MessageKind
from helpbot.matching.zawgyi import ZAWGYI_THRESHOLD, to_unicode, zawgyi_probability
from helpbot.storage.models import Case, Message
from tests.conftest import SLACK_CHANNEL
from tests.fakes.line_webhooks import new_user_id, text_event

# 「I want to die」 typed on a Zawgyi phone (the vowel ေ before its consonant, ၽ for ျ, ္ for
# ်), and the same words in Unicode, as faq/crisis.yaml's Burmese words are written.
ZAWGYI_DIE = "ကြၽန္ေတာ္ ေသခ်င္တယ္"
UNICODE_DIE = "ကျွန်တော် သေချင်တယ်"
# 「I want to extend my passport」: everyday Unicode Burmese
UNICODE_EVERYDAY = "ပတ်စပို့ သက်တမ်းတိုးချင်ပါတယ်"
BURMESE_LINES = "အရေးအကြီးဆုံး"  # the heading of the crisis lines in Burmese (faq/crisis.yaml)


def _stored_inbound(database) -> list[str]:
    with database.session() as session:
        rows = session.scalars(select(Message).where(Message.direction == "in")
                               .order_by(Message.id))
        return [row.text for row in rows]


def test_the_conversion_and_where_it_stops(words_only):
    assert ZAWGYI_DIE != UNICODE_DIE
    assert zawgyi_probability(ZAWGYI_DIE) >= ZAWGYI_THRESHOLD
    assert to_unicode(ZAWGYI_DIE) == UNICODE_DIE
    # the words alone miss the Zawgyi message; read as Unicode they find it
    assert words_only.detect(ZAWGYI_DIE) is None
    hit = words_only.detect(to_unicode(ZAWGYI_DIE))
    assert hit is not None and hit.category == "suicide"
    # mixed with Japanese and Latin letters, only the Burmese changes
    assert to_unicode(f"助けて {ZAWGYI_DIE} help") == f"助けて {UNICODE_DIE} help"


@pytest.mark.parametrize(
    "text",
    [UNICODE_DIE, UNICODE_EVERYDAY, "သေချာပါတယ်", "မှို", "死にたい", "I want to die", "",
     "Tôi muốn chết", "ผมอยากตาย", "१२३ ०"],
)
def test_unicode_burmese_and_other_languages_are_left_as_they_are(text):
    assert to_unicode(text) == text
    assert zawgyi_probability(text) < ZAWGYI_THRESHOLD


def test_nothing_is_loaded_for_text_without_myanmar_letters():
    code = (
        "import sys\n"
        "from helpbot.matching.zawgyi import to_unicode\n"
        "assert to_unicode('死にたい・I want to die') == '死にたい・I want to die'\n"
        "loaded = {'myanmartools', 'myanmar'} & set(sys.modules)\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_zawgyi_crisis_over_line_gets_the_lines_and_staff_read_unicode(
    line, fake_line, fake_slack, database
):
    person = new_user_id()
    token = fake_line.issue_reply_token(user_id=person)
    assert line.post(text_event(ZAWGYI_DIE, user_id=person, reply_token=token)).status_code == 200
    line.settle()
    sent = fake_line.sent_texts(user_id=person)
    assert BURMESE_LINES in sent[0] and "0570-783-556" in sent[0], sent
    with database.session() as session:
        case = session.scalars(select(Case)).one()
        assert (case.urgency, case.crisis_category) == ("urgent", "suicide")
        slack_ts = case.slack_ts
    assert _stored_inbound(database) == [UNICODE_DIE]
    root = fake_slack.message(SLACK_CHANNEL, slack_ts)
    posted = str(root.blocks) + "".join(m.text or "" for m in fake_slack.messages(SLACK_CHANNEL))
    assert UNICODE_DIE in posted and ZAWGYI_DIE not in posted


def test_the_web_chat_reads_zawgyi_and_keeps_unicode_burmese(client, database):
    crisis = client.post("/api/playground/messages",
                         json={"session": "pg-zawgyi-1", "text": ZAWGYI_DIE})
    assert crisis.status_code == 200
    assert BURMESE_LINES in crisis.get_json()["replies"][0]["text"]
    everyday = client.post("/api/playground/messages",
                           json={"session": "pg-zawgyi-2", "text": UNICODE_EVERYDAY})
    assert everyday.status_code == 200
    assert BURMESE_LINES not in everyday.get_json()["replies"][0]["text"]
    assert _stored_inbound(database) == [UNICODE_DIE, UNICODE_EVERYDAY]


def test_a_zawgyi_message_that_failed_for_good_still_gets_its_category_lines(app):
    """The apology's second look at a failed message reads Zawgyi as a turn does."""
    snapshot = app.extensions["helpbot"].knowledge.snapshot()
    message = Incoming(channel="line", user_id="U1", kind=MessageKind.TEXT,
                       received_at=dt.datetime.now(dt.UTC), text=ZAWGYI_DIE)
    lines = TurnRecovery.crisis_lines(snapshot, message, language="my",
                                      local=dt.datetime.now(dt.UTC))
    assert BURMESE_LINES in lines and "0570-783-556" in lines
    assert "189" not in lines, "the suicide category's lines, not every line"


def test_no_unicode_burmese_line_of_the_knowledge_is_taken_for_zawgyi():
    """Every Burmese line staff wrote (crisis words, everyday lines), many of them two or
    three syllables, stays as it is: the threshold's margin on the Unicode side."""
    from benchmarks.zawgyi import OTHER_UNICODE, burmese_lines

    lines = [text for path in OTHER_UNICODE for text in burmese_lines(path)]
    assert len(lines) > 100
    assert [text for text in lines if to_unicode(text) != text] == []
    assert max(zawgyi_probability(text) for text in lines) < 0.5
