"""What a person sends during a case reaches its Slack thread: images fetched from the fake
LINE content API and uploaded with files.uploadV2 (fake Slack), locations as address and map
link, a clear note when something cannot be fetched; outside a case, a request for words."""

from __future__ import annotations

import logging

from sqlalchemy import select

from helpbot.cases.media import MAX_MEDIA_BYTES
from helpbot.storage.models import Message
from tests.conftest import SLACK_CHANNEL
from tests.fakes.line_webhooks import image_event, location_event, new_user_id
from tests.test_cases_slack import _case, _say

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40 + b"\xff\xd9"


def _send(line, fake_line, event) -> None:
    assert line.post(event).status_code == 200
    line.settle()


def _image(fake_line, person, *, content: bytes | None = JPEG):
    event = image_event(user_id=person, reply_token=fake_line.issue_reply_token(user_id=person))
    if content is not None:
        fake_line.add_content(event["message"]["id"], content, "image/jpeg")
    return event


def test_an_image_reaches_the_case_thread(line, fake_line, fake_slack, database):
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    case = _case(database)
    before = len(fake_line.sent_texts(user_id=person))
    event = _image(fake_line, person)
    _send(line, fake_line, event)
    (upload,) = fake_slack.uploads
    assert upload.data == JPEG
    assert (upload.channel, upload.thread_ts) == (SLACK_CHANNEL, case.slack_ts)
    assert upload.initial_comment == "👤 (画像 / image)"
    assert upload.filename == f"image-{event['message']['id']}.jpg"
    assert len(fake_line.sent_texts(user_id=person)) == before, "the bot stays quiet"
    content_calls = [r for r in fake_line.requests if r.path.endswith("/content")]
    assert [r.path for r in content_calls] == [f"/v2/bot/message/{event['message']['id']}/content"]
    assert fake_line.violations == [] and fake_slack.violations == []


def test_what_cannot_be_fetched_becomes_a_note(line, fake_line, fake_slack, database):
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    case = _case(database)
    _send(line, fake_line, _image(fake_line, person, content=None))  # LINE answers 404
    big = _image(fake_line, person, content=None)
    big["message"] = {"type": "file", "id": big["message"]["id"], "fileName": "通知書.pdf",
                      "fileSize": MAX_MEDIA_BYTES + 1}
    _send(line, fake_line, big)
    notes = [m.text for m in fake_slack.thread(SLACK_CHANNEL, case.slack_ts)]
    assert notes[-2] == ("👤 (画像 / image) — 取得できませんでした / could not be fetched: "
                         "LINE no longer keeps it (it expired)")
    assert "👤 (ファイル / file)" in notes[-1] and "over the 20 MB limit" in notes[-1]
    assert fake_slack.uploads == []
    assert not [r for r in fake_line.requests if big["message"]["id"] in r.path], "not fetched"


def test_a_location_goes_as_address_and_map_link(line, fake_line, fake_slack, database):
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    case = _case(database)
    _send(line, fake_line, location_event(
        user_id=person, reply_token=fake_line.issue_reply_token(user_id=person)))
    last = fake_slack.thread(SLACK_CHANNEL, case.slack_ts)[-1].text
    assert last.splitlines() == [
        "👤 📍 東京駅 日本、〒100-0005 東京都千代田区丸の内１丁目",
        "https://www.google.com/maps/search/?api=1&query=35.681236%2C139.767125",
    ]


def test_outside_a_case_the_person_is_asked_for_words(line, fake_line, fake_slack):
    person = new_user_id()
    _send(line, fake_line, _image(fake_line, person))
    (asked,) = fake_line.sent_texts(user_id=person)
    assert "文字" in asked or "ことば" in asked or "言葉" in asked
    assert fake_slack.uploads == [] and fake_slack.messages() == []


def test_a_photo_sent_before_the_case_opens_is_kept_for_it(line, fake_line, fake_slack,
                                                           database, clock):
    person = new_user_id()
    event = _image(fake_line, person)
    _send(line, fake_line, event)
    assert "文字" in fake_line.sent_texts(user_id=person)[0], "asked for words first"
    clock.advance(minutes=3)
    _say(line, fake_line, person, "役所から届いた手紙のことで人と話したい")
    case = _case(database)
    (upload,) = fake_slack.uploads
    assert upload.data == JPEG and upload.thread_ts == case.slack_ts
    with database.session() as session:
        kept = session.scalars(select(Message.extra).where(Message.kind == "image")).one()
    assert kept == {"attachment": {"message_id": event["message"]["id"], "file_name": "",
                                   "size": None, "external_url": "", "title": "",
                                   "address": "", "latitude": None, "longitude": None}}


def test_the_address_of_a_photo_kept_outside_line_stays_out_of_the_logs(
        line, fake_line, fake_slack, database, caplog):
    """A photo kept by another provider comes as a link to it: the thread may show it to the
    case worker, the logs never (whoever has the link sees the photo)."""
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    event = _image(fake_line, person, content=None)
    event["message"]["contentProvider"] = {
        "type": "external", "originalContentUrl": "https://photos.example.org/zqxphoto.jpg"}
    with caplog.at_level(logging.DEBUG):
        _send(line, fake_line, event)
    case = _case(database)
    assert any("zqxphoto" in m.text for m in fake_slack.thread(SLACK_CHANNEL, case.slack_ts))
    assert "zqxphoto" not in caplog.text
