"""A person who writes in an open case and waits 10 minutes is told the message arrived. In
office hours: "a little longer". At night, at the weekend or on a holiday: when staff are back,
in the person's language and date form, so they do not wait up for a reply that comes in the
morning (injected clock; the worker's job as `helpbot worker` runs it)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fakes.line_webhooks import new_user_id, text_event

JST = dt.timezone(dt.timedelta(hours=9))


def _say(line, fake_line, user: str, text: str) -> None:
    token = fake_line.issue_reply_token(user_id=user)
    assert line.post(text_event(text, user_id=user, reply_token=token)).status_code == 200
    line.settle()


def _notice_after_waiting(line, fake_line, clock, *, first: str, then: str) -> str:
    person = new_user_id()
    _say(line, fake_line, person, first)
    _say(line, fake_line, person, then)
    before = len(fake_line.sent_texts(user_id=person))
    clock.advance(minutes=11)
    line.settle()
    texts = fake_line.sent_texts(user_id=person)
    assert len(texts) == before + 1, texts
    return texts[-1]


def test_in_office_hours_the_person_is_asked_to_wait_a_little(line, fake_line, clock):
    clock.now = dt.datetime(2026, 12, 1, 10, 0, tzinfo=JST).astimezone(dt.UTC)  # Tuesday
    told = _notice_after_waiting(line, fake_line, clock, first="人と話したい", then="まだですか")
    assert "もう少し待ってください" in told and "対応時間の外" not in told


@pytest.mark.parametrize(("local", "back"), [
    (dt.datetime(2026, 12, 1, 23, 0, tzinfo=JST), "12月2日（水）09:00"),   # a weeknight
    (dt.datetime(2026, 12, 6, 14, 0, tzinfo=JST), "12月7日（月）09:00"),   # Sunday (closed)
    (dt.datetime(2026, 11, 23, 11, 0, tzinfo=JST), "11月24日（火）09:00"),  # 勤労感謝の日
])
def test_out_of_hours_the_person_is_told_when_staff_are_back(line, fake_line, clock, local,
                                                              back):
    clock.now = local.astimezone(dt.UTC)
    told = _notice_after_waiting(line, fake_line, clock, first="人と話したい", then="まだですか")
    assert "届いています" in told and back in told, told
    assert "もう少し待ってください" not in told and "110" in told


def test_the_notice_is_in_the_persons_language_and_date_form(line, fake_line, clock):
    clock.now = dt.datetime(2026, 12, 1, 23, 0, tzinfo=JST).astimezone(dt.UTC)
    told = _notice_after_waiting(line, fake_line, clock, first="Quiero hablar con el personal",
                                 then="¿Hay alguien ahí? Necesito ayuda, por favor")
    assert "Ahora estamos cerrados" in told and "2/12" in told, told
    assert not any("\u3040" <= c <= "\u30ff" for c in told), told  # no Japanese mixed in
