"""LINE without Slack: no staff tool would show a LINE case, so none is promised or opened."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import func, select

from helpbot.app import create_app
from helpbot.cli import main
from helpbot.config.environment import SLACK_VARIABLES
from helpbot.core.texts import phrases
from helpbot.storage.audit import audit_lines
from helpbot.storage.models import Case
from tests.conftest import LineWebhook
from tests.fakes.line_webhooks import new_user_id, postback_event, text_event
from tests.test_knowledge_versions import edit

NPO_CONTACT = "0120-000-123"  # faq/staff.yaml's contact


@pytest.fixture
def line_only(settings, clock) -> Iterator[Flask]:
    no_slack = dataclasses.replace(settings, slack_signing_secret=None, slack_bot_token=None,
                                   slack_escalation_channel=None)
    app = create_app(no_slack, clock=clock)
    app.config["TESTING"] = True
    yield app
    app.extensions["helpbot"].close()


def _say(line: LineWebhook, fake_line, person: str, event_for) -> list[str]:
    before = len(fake_line.sent_texts(user_id=person))
    line.post(event_for(fake_line.issue_reply_token(user_id=person)))
    line.settle()
    return fake_line.sent_texts(user_id=person)[before:]


def _cases(database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(Case))


def test_a_person_in_danger_gets_the_lines_and_the_contact_and_no_false_promise(
        line_only, fake_line, database, clock):
    line = LineWebhook(line_only.test_client(), line_only)
    person = new_user_id()
    told = _say(line, fake_line, person,
                lambda token: text_event("死にたい", user_id=person, reply_token=token))
    said = "\n".join(told)
    assert "0120-279-338" in said  # よりそいホットライン: the crisis lines, at once
    assert NPO_CONTACT in said and phrases("ja").no_staff_here in said
    assert "スタッフに" not in said.replace(phrases("ja").no_staff_here, "")  # "伝えました" etc.
    assert _cases(database) == 0
    clock.advance(minutes=15)  # nobody is "still waiting" for a reply that will not come
    line.settle()
    assert fake_line.sent_texts(user_id=person)[len(told):] == []
    # the bot still answers the person's next question (an open case would silence it)
    answer = _say(line, fake_line, person,
                  lambda token: text_event("食べ物に困っています", user_id=person,
                                           reply_token=token))
    assert answer and "食" in "\n".join(answer)


def test_asking_for_staff_is_told_staff_cannot_answer_here(line_only, fake_line, database):
    line = LineWebhook(line_only.test_client(), line_only)
    person = new_user_id()
    for event_for in (
        lambda token: text_event("人と話したい", user_id=person, reply_token=token),
        lambda token: postback_event("a=human", user_id=person, reply_token=token),
    ):
        (told,) = _say(line, fake_line, person, event_for)
        assert told.startswith(phrases("ja").no_staff_here) and NPO_CONTACT in told
    assert _cases(database) == 0


@pytest.mark.parametrize(("words", "told"), [
    ("記録を消してほしい", "スタッフが見る一覧に残しました。まだ何も消していません"),
    ("Please delete my data", "noted it for our staff. Nothing has been deleted yet"),
])
def test_an_erasure_request_is_recorded_for_staff_and_the_person_told_what_happens(
        line_only, fake_line, database, database_url, faq_dir, words, told):
    """No case thread to ask staff in: the request goes where `helpbot person requests`
    lists it (and the audit trail), and the person is told that, with the contact."""
    line = LineWebhook(line_only.test_client(), line_only)
    person = new_user_id()
    (said,) = _say(line, fake_line, person,
                   lambda token: text_event(words, user_id=person, reply_token=token))
    assert told in said and NPO_CONTACT in said
    assert _cases(database) == 0
    ((action, case),) = [(a.action, a.case_id) for a in audit_lines(database)]
    assert (action, case) == ("erase_requested", None)
    env = {"HELPBOT_DATABASE_URL": database_url, "HELPBOT_FAQ_DIR": str(faq_dir),
           **{name: None for name in SLACK_VARIABLES}}
    listed = CliRunner().invoke(main, ["person", "requests"], env=env)
    assert listed.exit_code == 0, listed.output
    assert f"no case (no staff tool)  helpbot person erase line:{person}" in listed.output
    erased = CliRunner().invoke(main, ["person", "erase", f"line:{person}", "--yes"], env=env)
    assert erased.exit_code == 0, erased.output
    after = CliRunner().invoke(main, ["person", "requests", "--json"], env=env)
    assert after.exit_code == 0 and after.output == ""  # acted on: no longer waiting


def test_danger_and_erasure_in_one_message_gets_the_lines_and_is_recorded(
        line_only, fake_line, database):
    line = LineWebhook(line_only.test_client(), line_only)
    person = new_user_id()
    said = "\n".join(_say(line, fake_line, person, lambda token: text_event(
        "死にたい。記録を消してほしいです", user_id=person, reply_token=token)))
    assert "0120-279-338" in said and phrases("ja").no_staff_here in said
    assert phrases("ja").erasure_no_staff in said
    assert [a.action for a in audit_lines(database)] == ["erase_requested"]


def test_with_slack_a_line_case_still_opens(line, fake_line, database):
    person = new_user_id()
    (told,) = _say(line, fake_line, person,
                   lambda token: text_event("人と話したい", user_id=person, reply_token=token))
    assert "スタッフにつなぎました" in told
    assert _cases(database) == 1


@pytest.mark.parametrize(("text", "said"), [
    ("I want to talk to staff", "our staff cannot talk with you here"),
    ("Tôi muốn nói chuyện với nhân viên", "không thể nói chuyện với nhân viên"),
])
def test_told_in_the_persons_language(line_only, fake_line, text, said):
    line = LineWebhook(line_only.test_client(), line_only)
    person = new_user_id()
    (told,) = _say(line, fake_line, person,
                   lambda token: text_event(text, user_id=person, reply_token=token))
    assert said in told and NPO_CONTACT in told


def test_a_case_opened_while_slack_was_set_does_not_silence_the_bot_without_it(
        line, line_only, fake_line, database):
    """A case opened before Slack was taken away is shown to nobody now: the person's next
    messages are answered by the bot, not relayed into it (and no button only says "not
    here")."""
    person = new_user_id()
    (told,) = _say(line, fake_line, person,
                   lambda token: text_event("人と話したい", user_id=person, reply_token=token))
    assert "スタッフにつなぎました" in told and _cases(database) == 1
    without = LineWebhook(line_only.test_client(), line_only)
    answer = _say(without, fake_line, person,
                  lambda token: text_event("食べ物に困っています", user_id=person,
                                           reply_token=token))
    assert answer and "食" in "\n".join(answer)
    buttons = [item["action"].get("data") for message in fake_line.replies[-1].messages
               for item in (message.get("quickReply") or {}).get("items", [])]
    assert "a=human" not in buttons
    photo = _say(without, fake_line, person, lambda token: {
        **text_event("x", user_id=person, reply_token=token),
        "message": {"type": "image", "id": "9001", "contentProvider": {"type": "line"}}})
    assert photo == [phrases("ja").ask_for_text]  # asked for words, not filed in a thread


def _write_contact(faq_dir, contact: str) -> None:
    """staff.yaml with ``contact`` (YAML lines after ``contact:``; "" for none) instead of the
    sample's contact in every language."""
    staff = faq_dir / "staff.yaml"
    edit(staff, re.sub(r"\ncontact:\n(  [^\n]*\n)+", f"\ncontact:{contact}\n",
                       staff.read_text(encoding="utf-8")))


@pytest.mark.parametrize(("text", "said"), [
    ("I want to talk to staff", "our staff cannot talk with you here"),
    ("Tôi muốn nói chuyện với nhân viên", "không thể nói chuyện với nhân viên"),
])
def test_a_contact_written_only_in_japanese_still_reaches_other_readers(
        line_only, fake_line, faq_dir, text, said):
    """A phone number is read in any language: a contact left in Japanese beats none."""
    _write_contact(faq_dir, '\n  ja: "お電話ください 03-1111-2222"')
    line = LineWebhook(line_only.test_client(), line_only)
    person = new_user_id()
    (told,) = _say(line, fake_line, person,
                   lambda token: text_event(text, user_id=person, reply_token=token))
    assert said in told and "03-1111-2222" in told


def test_easy_japanese_comes_before_japanese_for_other_readers(line_only, fake_line, faq_dir):
    _write_contact(faq_dir, '\n  ja: "お電話ください 03-1111-2222"\n'
                            '  easy: "でんわ して ください 03-1111-2222"')
    line = LineWebhook(line_only.test_client(), line_only)
    person = new_user_id()
    (told,) = _say(line, fake_line, person, lambda token: text_event(
        "I want to talk to staff", user_id=person, reply_token=token))
    assert "でんわ して ください" in told and "お電話ください" not in told


def test_without_a_contact_the_person_still_gets_the_emergency_numbers_and_the_crisis_lines(
        line_only, fake_line, faq_dir, database):
    _write_contact(faq_dir, "")
    line = LineWebhook(line_only.test_client(), line_only)
    person = new_user_id()
    (told,) = _say(line, fake_line, person, lambda token: text_event(
        "人と話したい", user_id=person, reply_token=token))
    assert told == phrases("ja").no_staff_here and "119" in told and "110" in told
    in_danger = "\n".join(_say(line, fake_line, person, lambda token: text_event(
        "死にたい", user_id=person, reply_token=token)))
    assert "0120-279-338" in in_danger and phrases("ja").no_staff_here in in_danger
    assert _cases(database) == 0
