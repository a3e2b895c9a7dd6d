"""Nobody answered twice, nobody left in silence: the core's runner with a platform that
redelivers, refuses, loses answers, and an adapter that fails."""

from __future__ import annotations

from sqlalchemy import select

from helpbot.conversation.turn import SENT, Sent, Turn
from helpbot.core.messages import Incoming, MessageKind
from helpbot.core.texts import phrases
from helpbot.storage.inbox import MAX_ATTEMPTS
from helpbot.storage.models import Delivery, Message
from tests.core.conftest import Core

ME = "person-1"
QUESTION = "フードバンクとは何ですか"


def test_a_redelivered_event_is_stored_once_and_answered_once(core: Core):
    payload = core.channel.write(ME, QUESTION)
    assert core.channel.deliver(payload) == [], "the platform's redelivery inserts nothing"
    core.run()
    core.channel.deliver(payload)
    core.run()
    assert len(core.platform.texts(ME)) == 1
    assert core.outbound_count() == 1


def test_a_lost_answer_resends_the_recorded_turn_and_never_decides_again(core: Core):
    core.platform.lose_next = 1  # shown to the person, but the platform never says so
    payload = core.channel.write(ME, QUESTION)
    core.run()
    row = core.event_row(payload["id"])
    assert row.status == "pending" and row.turn is not None, "the turn is kept for the retry"
    with core.database.session() as session:
        out = session.scalars(select(Message).where(Message.direction == "out")).one()
        assert out.delivery_status == "pending"
    core.clock.advance(minutes=1)
    core.run()
    assert core.channel.resends == [False, True]
    assert len(core.platform.texts(ME)) == 1, "the same retry key: shown once"
    assert core.outbound_count() == 1, "the retry sent the recorded turn, no new answer"
    assert core.event_row(payload["id"]).status == "done"


def test_a_failure_after_deciding_resends_the_recorded_turn(core: Core):
    core.platform.break_next = 1  # an unexpected error after the turn was decided and stored
    payload = core.channel.write(ME, "人と話したい")
    core.run()
    assert core.event_row(payload["id"]).status == "pending"
    assert core.platform.texts(ME) == []
    core.clock.advance(minutes=1)
    core.run()
    assert core.channel.resends == [False, True]
    assert len(core.platform.texts(ME)) == 1
    assert core.outbound_count() == 1
    assert len(core.staff.cases) == 1, "one case, not a second one for the retry"


def test_a_refused_reply_becomes_a_delivery_the_worker_sends_later(core: Core):
    core.platform.refuse_next = 1
    core.channel.write(ME, QUESTION)
    core.run()
    assert core.platform.texts(ME) == []
    with core.database.session() as session:
        queued = session.scalars(select(Delivery)).one()
        assert (queued.kind, queued.state, queued.attempts) == ("reply", "pending", 1)
        assert "500" in (queued.last_error or "")
    core.clock.advance(minutes=1)
    core.run()
    assert len(core.platform.texts(ME)) == 1
    with core.database.session() as session:
        out = session.scalars(select(Message).where(Message.direction == "out")).one()
        assert out.delivery_status == "sent"
        assert session.scalars(select(Delivery)).one().state == "done"


def test_an_event_that_fails_for_good_gets_one_apology_and_tells_staff(core: Core):
    payload = core.channel.event(ME, "explode")
    core.channel.deliver(payload)
    for _ in range(MAX_ATTEMPTS):
        core.run()
        core.clock.advance(minutes=31)
    core.run()
    assert core.event_row(payload["id"]).status == "failed"
    (apology,) = core.platform.texts(ME)
    assert apology.startswith(phrases("ja").sorry_error)
    (notice,) = core.staff.notices
    assert "could not be answered" in notice and payload["id"] in notice


def _fail_for_good(core: Core, payload: dict) -> list[str]:
    """Run until the event has failed for good; the texts the person got."""
    for _ in range(MAX_ATTEMPTS):
        core.run()
        core.clock.advance(minutes=31)
    core.run()
    assert core.event_row(payload["id"]).status == "failed"
    return core.platform.texts(ME)


# Numbers from faq/crisis.yaml: the suicide category's lines, and one it does not call.
SUICIDE_LINES = ("0570-783-556", "0120-279-338", "119")
CHILD_LINE = "189"


def test_a_crisis_message_that_fails_for_good_gets_the_crisis_lines_with_the_apology(
    core: Core,
):
    # The turn is decided (resources, an urgent case), but sending it breaks every time.
    core.platform.break_next = MAX_ATTEMPTS
    payload = core.channel.write(ME, "もう疲れた。死にたい")
    (apology,) = _fail_for_good(core, payload)
    assert apology.startswith(phrases("ja").sorry_error)
    assert all(number in apology for number in SUICIDE_LINES)
    assert f": {CHILD_LINE}" not in apology, "the category's lines, not every line"
    (notice,) = core.staff.notices
    assert "with the crisis lines" in notice


def test_an_unreadable_message_that_fails_for_good_gets_every_crisis_line(core: Core):
    payload = core.channel.event(ME, "explode")  # whether it was a crisis cannot be known
    core.channel.deliver(payload)
    (apology,) = _fail_for_good(core, payload)
    assert apology.startswith(phrases("ja").sorry_error)
    assert all(number in apology for number in (*SUICIDE_LINES, CHILD_LINE, "#8008"))


def test_an_ordinary_question_that_fails_for_good_gets_only_the_apology(core: Core):
    core.platform.break_next = MAX_ATTEMPTS
    payload = core.channel.write(ME, QUESTION)
    (apology,) = _fail_for_good(core, payload)
    assert apology.startswith(phrases("ja").sorry_error)
    assert not any(number in apology for number in SUICIDE_LINES)


def test_the_next_message_is_not_held_back_by_a_failing_one(core: Core):
    core.channel.deliver(core.channel.event(ME, "explode"))
    core.channel.write(ME, QUESTION)
    core.run()
    core.run()
    assert len(core.platform.texts(ME)) == 1, "the question is answered while the other waits"


def test_a_direct_channel_finishes_its_turn_in_the_core(core: Core):
    """The web chat's shape: no stored event, the replies go out with the response."""
    shown: list[str] = []

    def in_response(turn: Turn, *, resend: bool) -> Sent:
        shown.extend(reply.text for reply in turn.replies)
        return SENT

    incoming = Incoming(channel="memory", user_id="web-1", kind=MessageKind.TEXT,
                        received_at=core.clock(), text="人と話したい")
    turn = core.conversation.answer(incoming, in_response)
    assert shown and "スタッフにつなぎました" in shown[0]
    assert list(core.staff.cases) == [turn.case_id], "the staff posts went out after the reply"
    with core.database.session() as session:
        out = session.scalars(select(Message).where(Message.direction == "out")).one()
        assert out.delivery_status == "sent"
