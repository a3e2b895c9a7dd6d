"""Post and update cases in the NPO's Slack channel through slack_sdk's WebClient."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from helpbot.cases.ports import CaseView, StaffRef
from helpbot.channels.slack.blocks import case_blocks, summary_text
from helpbot.errors import DeliveryError, RateLimitedError


def call_slack(method: Callable[..., Any], **kwargs: Any) -> Any:
    """Call Slack; turn its failures into DeliveryError (429 into RateLimitedError)."""
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
        raise DeliveryError(f"Slack answered {status}: {code}", status=status) from error
    except (SlackClientError, OSError) as error:
        raise DeliveryError(f"Slack unreachable: {type(error).__name__}") from error


class SlackNotifier:
    """The StaffNotifier for Slack: one message per case, its thread for the conversation."""

    def __init__(self, client: WebClient, channel: str) -> None:
        self._client = client
        self._channel = channel

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
