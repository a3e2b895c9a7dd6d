"""Rules of the conversation core that need no transport, driven through the in-memory channel:
crisis first, answer / suggest / fallback, handoff, relaying while a case is open."""

from __future__ import annotations

from sqlalchemy import select

from helpbot.core.messages import answer_postback
from helpbot.core.texts import phrases
from helpbot.knowledge.store import KnowledgeStore
from helpbot.matching.base import Matcher
from helpbot.storage.models import Message, UnansweredQuestion
from tests.core.conftest import Core

ME = "person-1"


def _entry_answer(knowledge: KnowledgeStore[Matcher], entry_id: str) -> str:
    return knowledge.snapshot().kb.by_id()[entry_id].answer


def test_a_clear_question_gets_its_entry_answer_once_and_is_recorded_as_sent(core: Core, knowledge):
    assert core.say(ME, "フードバンクとは何ですか") == [_entry_answer(knowledge, "food-bank")]
    with core.database.session() as session:
        (out,) = session.scalars(select(Message).where(Message.direction == "out")).all()
        assert (out.entry_id, out.decision, out.delivery_status) == ("food-bank", "answer", "sent")
    assert core.platform.sends == 1


def test_a_vague_question_gets_suggestions_with_a_staff_button(core: Core):
    (reply,) = core.say(ME, "食べ物")
    assert reply == phrases("ja").did_you_mean
    buttons = core.platform.transcripts[ME][-1].quick_replies
    assert answer_postback("food-today") in [b.postback for b in buttons]
    assert buttons[-1].postback == "a=human"


def test_no_two_suggestion_buttons_read_the_same(core: Core):
    # the sample faq/ has the pantry twice: a program written in English, and the Japanese one
    # with its English name; an English speaker saw two "Hidamari Food Pantry" buttons
    (reply,) = core.say(ME, "Where can I get free food?")
    assert reply == phrases("en").did_you_mean
    buttons = core.platform.transcripts[ME][-1].quick_replies
    labels = [b.label.casefold() for b in buttons]
    assert len(labels) == len(set(labels)), labels
    assert len(buttons) == 5 and buttons[-1].postback == "a=human"  # four entries, then staff


def test_gibberish_gets_the_fallback_and_is_kept_as_an_unanswered_question(core: Core):
    (reply,) = core.say(ME, "zzqx vvvv 9999")
    assert reply == phrases("en").fallback  # written in Latin letters: answered in English
    with core.database.session() as session:
        (gap,) = session.scalars(select(UnansweredQuestion)).all()
        assert gap.decision == "fallback"
    assert core.staff.cases == {}, "one miss opens no case"


def test_two_misses_in_a_row_hand_the_person_to_staff(core: Core):
    core.say(ME, "zzqx vvvv 9999")
    replies = core.say(ME, "qqqq wwww 1234")
    assert replies[0] == phrases("en").fallback
    assert "passed your message to our staff" in replies[-1]
    case = core.case()
    assert case.reason == "bot_failed" and list(core.staff.cases) == [case.id]


def test_questions_that_each_get_suggestions_keep_getting_them_and_open_no_case(core: Core):
    # Two questions in a row, neither answered directly: the second's suggestions are shown
    # (the staff button among them), not a "nothing found" and a case for staff.
    for text in ("I lost my job, can I get money?", "こどものいりょうひ たすけて"):
        replies = core.say(ME, text)
        assert len(replies) == 1 and replies[0] in (phrases("en").did_you_mean,
                                                    phrases("ja").did_you_mean)
        buttons = core.platform.transcripts[ME][-1].quick_replies
        assert len(buttons) >= 3 and buttons[-1].postback == "a=human"
    assert answer_postback("program-kodomo-iryo") in [b.postback for b in buttons]
    assert core.staff.cases == {}


def test_a_third_question_in_a_row_with_suggestions_also_opens_a_case(core: Core):
    # Someone who never finds what they need among the suggestions (a foreign resident whose
    # every message finds a glossary word) is not left with suggestions forever.
    core.say(ME, "I lost my job, can I get money?")
    core.say(ME, "こどものいりょうひ たすけて")
    replies = core.say(ME, "I lost my job, can I get money?")
    assert "passed your message to our staff" in replies[0]
    assert replies[-1] == phrases("en").did_you_mean  # the suggestions still come, last
    buttons = core.platform.transcripts[ME][-1].quick_replies
    assert answer_postback("program-koyou-hoken-kihon") in [b.postback for b in buttons]
    assert core.case().reason == "bot_failed"


def test_a_tapped_suggestion_starts_the_count_again(core: Core):
    core.say(ME, "I lost my job, can I get money?")
    core.say(ME, "こどものいりょうひ たすけて")
    core.tap(ME, answer_postback("program-kodomo-iryo"))
    core.say(ME, "I lost my job, can I get money?")
    core.say(ME, "こどものいりょうひ たすけて")
    assert core.staff.cases == {}


def test_nothing_found_after_suggestions_not_taken_hands_the_person_to_staff(core: Core):
    core.say(ME, "食べ物")  # suggestions, none tapped
    replies = core.say(ME, "qqqq wwww 1234")
    assert replies[0] == phrases("en").fallback
    assert "passed your message to our staff" in replies[-1]
    assert core.case().reason == "bot_failed"


def test_crisis_comes_first_resources_at_once_and_an_urgent_case(core: Core):
    resources, next_step = core.say(ME, "もう疲れた。死にたい")
    assert "119" in resources and "0120-279-338" in resources
    assert "スタッフにつなぎました" in next_step
    case = core.case()
    assert (case.urgency, case.reason, case.crisis_category) == ("urgent", "crisis", "suicide")
    assert any(line.startswith("@channel URGENT") for line in core.staff.threads[case.id])


def test_danger_signs_beat_a_matching_faq_answer_and_an_open_case(core: Core):
    core.say(ME, "人と話したい")
    core.cases.claim(core.case().id, worker_id="W1", worker_name="aiko")
    replies = core.say(ME, "夫に殴られた。今夜寝る場所がない")
    assert "110" in replies[0], "resources, not an FAQ answer and not silence"
    case = core.case()
    assert (case.state, case.urgency) == ("claimed", "urgent")
    assert any(line.startswith("👤 夫に殴られた") for line in core.staff.threads[case.id])


def test_asking_for_a_human_opens_a_case_that_staff_see(core: Core):
    (told,) = core.say(ME, "人と話したい")
    assert "スタッフにつなぎました" in told
    case = core.case()
    assert (case.state, case.reason) == ("open", "asked")
    assert core.staff.cases[case.id].number == case.id


def test_while_a_case_is_open_the_bot_is_quiet_and_relays_to_the_thread(core: Core):
    core.say(ME, "人と話したい")
    case = core.case()
    assert core.say(ME, "フードバンクとは何ですか") == [], "the case worker answers, not the bot"
    assert core.staff.threads[case.id] == ["👤 フードバンクとは何ですか"]
    core.channel.deliver(core.channel.event(ME, "sticker"))
    core.run()
    assert core.staff.threads[case.id][-1] == "👤 (sticker)"
    assert core.platform.texts(ME) == [core.platform.texts(ME)[0]], "still only the first reply"


def test_a_workers_reply_by_case_number_reaches_the_person_and_notes_stay_internal(core: Core):
    core.say(ME, "人と話したい")
    case_id = core.case().id
    assert core.cases.relay_from_worker(
        case_id, worker_name="aiko", text="// check the address first\n明日10時に来られますか？"
    )
    assert core.platform.texts(ME)[-1] == "明日10時に来られますか？"
    assert not core.cases.relay_from_worker(case_id, worker_name="aiko", text="// only a note")


def test_a_tap_on_a_suggestion_answers_that_entry(core: Core, knowledge):
    core.channel.deliver(core.channel.event(ME, "postback", data=answer_postback("food-bank")))
    core.run()
    assert core.platform.texts(ME) == [_entry_answer(knowledge, "food-bank")]


def test_an_event_the_core_does_not_handle_is_finished_without_a_reply(core: Core):
    payload = core.channel.event(ME, "typing")
    core.channel.deliver(payload)
    assert core.run() == 1
    assert core.platform.sends == 0
    assert core.event_row(payload["id"]).status == "done"
