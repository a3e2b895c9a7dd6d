"""Post and update cases in the NPO's Slack channel through slack_sdk's WebClient."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from helpbot.cases.ports import CaseView, StaffRef, ThreadErasure
from helpbot.channels.slack.blocks import case_blocks, summary_text
from helpbot.errors import DeliveryError, RateLimitedError

# Slack's answers to files.delete for a file that is not there (any more): nothing to delete.
FILE_GONE = frozenset({"file_not_found", "file_deleted"})


def call_slack(method: Callable[..., Any], *, tolerate: Collection[str] = (),
               **kwargs: Any) -> Any:
    """Call Slack; turn its failures into DeliveryError (429 into RateLimitedError).

    An ``ok: false`` answer whose error is in ``tolerate`` is returned as ``{"ok": False,
    "error": code}`` instead.
    """
    try:
        return method(**kwargs)
    except SlackApiError as error:
        status = error.response.status_code
        if status == 429:
            retry_after = error.response.headers.get("Retry-After")
            try:
                seconds = float(retry_after) if retry_after is not None else None
            except ValueError:
                seconds = None
            raise RateLimitedError("Slack answered 429", retry_after=seconds) from error
        code = error.response.get("error", "unknown") if error.response.data else "unknown"
        if status == 200 and code in tolerate:
            return {"ok": False, "error": code}
        raise DeliveryError(f"Slack answered {status}: {code}", status=status) from error
    except (SlackClientError, OSError) as error:
        raise DeliveryError(f"Slack unreachable: {type(error).__name__}") from error


class SlackNotifier:
    """The StaffNotifier for Slack: one message per case, its thread for the conversation."""

    def __init__(self, client: WebClient, channel: str) -> None:
        self._client = client
        self._channel = channel

    def shows(self, person_channel: str) -> bool:
        """Every channel's cases are posted to the case channel."""
        return True

    def post_case(self, view: CaseView) -> StaffRef:
        response = call_slack(
            self._client.chat_postMessage,
            channel=self._channel,
            text=summary_text(view),
            blocks=case_blocks(view),
            unfurl_links=False,
        )
        return StaffRef(channel=response["channel"], ts=response["ts"])

    def update_case(self, ref: StaffRef, view: CaseView) -> None:
        call_slack(
            self._client.chat_update,
            channel=ref.channel,
            ts=ref.ts,
            text=summary_text(view),
            blocks=case_blocks(view),
        )

    def post_in_thread(self, ref: StaffRef, text: str, *, mention_channel: bool) -> None:
        call_slack(
            self._client.chat_postMessage,
            channel=ref.channel,
            thread_ts=ref.ts,
            text=("<!channel> " if mention_channel else "") + text,
            unfurl_links=False,
        )

    def post_notice(self, text: str) -> None:
        call_slack(self._client.chat_postMessage, channel=self._channel, text=text)

    def redact_thread(self, ref: StaffRef, notice: str) -> ThreadErasure:
        """Replace the app's messages in a case's thread by ``notice`` and delete the files they
        carry (the photos and documents the person sent).

        chat.update leaves a message's files in Slack, so each file in the thread is deleted
        with files.delete first; one already gone counts as deleted, one Slack does not let the
        app delete (a worker's) as ``files_left``. The app may change only its own messages; a
        worker's replies are counted as ``left`` for staff to delete by hand.
        """
        redacted = left = files_deleted = files_left = 0
        cursor: str | None = None
        while True:
            page = call_slack(self._client.conversations_replies, channel=ref.channel, ts=ref.ts,
                         limit=200, **({"cursor": cursor} if cursor else {}))
            for message in page.get("messages", []):
                ts = message.get("ts")
                if ts == ref.ts or not isinstance(ts, str):
                    continue  # the case message itself is redrawn from the erased case
                # Every file is tried: a bot's upload may come back without ``bot_id``, and
                # Slack refuses (cant_delete_file) the files of a worker that the app cannot delete.
                for file_id in _files_of(message):
                    answer = call_slack(self._client.files_delete, file=file_id,
                                        tolerate=FILE_GONE | {"cant_delete_file"})
                    if answer.get("error") == "cant_delete_file":
                        files_left += 1
                    else:
                        files_deleted += 1
                if not message.get("bot_id"):
                    left += 1
                    continue
                if message.get("text") != notice:
                    call_slack(self._client.chat_update, channel=ref.channel, ts=ts, text=notice)
                redacted += 1
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if cursor is None:
                return ThreadErasure(redacted=redacted, left=left, files_deleted=files_deleted,
                                     files_left=files_left)

    def upload_in_thread(self, ref: StaffRef, *, file_name: str, data: bytes,
                         comment: str) -> None:
        """A file into the case's thread with files.uploadV2 (getUploadURLExternal, the upload,
        completeUploadExternal)."""
        call_slack(self._client.files_upload_v2, channel=ref.channel, thread_ts=ref.ts,
              file=data, filename=file_name, title=file_name, initial_comment=comment)

    def upload_to_channel(self, *, file_name: str, data: bytes, comment: str) -> None:
        """A file (the weekly digest's chart) into the staff channel."""
        call_slack(self._client.files_upload_v2, channel=self._channel, file=data,
              filename=file_name, title=file_name, initial_comment=comment)


def _files_of(message: dict[str, Any]) -> list[str]:
    """Ids of the files a message still shows (a deleted one is a ``tombstone``)."""
    return [str(f["id"]) for f in message.get("files") or ()
            if isinstance(f, dict) and f.get("id") and f.get("mode") != "tombstone"]
