"""The fake Slack's files: files.uploadV2 shares them in a message, files.delete removes them.

Driven through the real slack_sdk WebClient over real HTTP, like tests/test_fake_slack_api.py.
"""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.fakes.slack_api import FakeSlackApi

CHANNEL = "C0CASES01"


@pytest.fixture
def client(fake_slack: FakeSlackApi) -> WebClient:
    return WebClient(token=fake_slack.bot_token, base_url=fake_slack.api_url)


def _replies(client: WebClient, parent: str) -> list[dict]:
    return client.conversations_replies(channel=CHANNEL, ts=parent)["messages"][1:]


def _delete_error(client: WebClient, file_id: str) -> str:
    with pytest.raises(SlackApiError) as info:
        client.files_delete(file=file_id)
    return info.value.response["error"]


def test_an_upload_into_a_thread_is_a_message_of_the_app_with_its_files(
        fake_slack: FakeSlackApi, client: WebClient) -> None:
    parent = client.chat_postMessage(channel=CHANNEL, text="case #1")["ts"]
    client.files_upload_v2(channel=CHANNEL, thread_ts=parent, file=b"\xff\xd8photo",
                           filename="image-1.jpg", title="image-1.jpg", initial_comment="a photo")
    (upload,) = fake_slack.uploads
    (shared,) = _replies(client, parent)
    assert shared["text"] == "a photo" and shared["bot_id"] == fake_slack.bot_id
    assert shared["user"] == fake_slack.bot_user_id and shared["thread_ts"] == parent
    assert [(f["id"], f["name"]) for f in shared["files"]] == [(upload.file_id, "image-1.jpg")]
    assert fake_slack.has_file(upload.file_id)
    client.files_upload_v2(file=b"no channel", filename="alone.txt")  # not shared: no message
    assert len(fake_slack.messages()) == 2 and len(fake_slack.uploads) == 2
    assert fake_slack.violations == []


def test_files_delete_leaves_a_tombstone(fake_slack: FakeSlackApi, client: WebClient) -> None:
    parent = client.chat_postMessage(channel=CHANNEL, text="case #1")["ts"]
    client.files_upload_v2(channel=CHANNEL, thread_ts=parent, file=b"%PDF-1.7",
                           filename="letter.pdf", initial_comment="a file")
    (upload,) = fake_slack.uploads
    assert client.files_delete(file=upload.file_id)["ok"]
    assert not fake_slack.has_file(upload.file_id) and fake_slack.deleted_files == [upload.file_id]
    (shared,) = _replies(client, parent)
    assert shared["files"] == [{"id": upload.file_id, "mode": "tombstone"}]
    assert shared["text"] == "a file", "the message stays"
    assert _delete_error(client, upload.file_id) == "file_deleted"
    assert _delete_error(client, "F0NOSUCH01") == "file_not_found"
    assert fake_slack.violations == []


def test_a_file_a_person_attached_is_theirs(fake_slack: FakeSlackApi, client: WebClient) -> None:
    parent = client.chat_postMessage(channel=CHANNEL, text="case #1")["ts"]
    fake_slack.add_message(CHANNEL, "the form", user="U0HUMAN01", thread_ts=parent,
                     files=["form.pdf"])
    (attached,) = _replies(client, parent)
    assert "bot_id" not in attached and attached["user"] == "U0HUMAN01"
    (file,) = attached["files"]
    assert file["name"] == "form.pdf" and fake_slack.has_file(file["id"])
    assert _delete_error(client, file["id"]) == "cant_delete_file"
    assert fake_slack.has_file(file["id"])
