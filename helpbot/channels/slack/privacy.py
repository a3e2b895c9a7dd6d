"""``/helpbot export 12`` and ``/helpbot erase 12``: a confirmation dialog, then the action.

``/helpbot original 12`` shows the case's recent messages unmasked, to the worker who asked
only (the command's ephemeral answer), and writes an audit row.

Only in the case channel (its members see the cases anyway). The export goes to the worker
who asked, as a private file in their direct messages with the app (files.uploadV2); it is
unmasked, so the dialog says so. Both are written to the audit trail with the worker's id.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from helpbot.errors import PersonNotFoundError
from helpbot.personal_data.service import PersonalData, erasure_summary

logger = logging.getLogger(__name__)

PRIVACY_CALLBACK = "privacy_confirm"
COMMAND = re.compile(r"^\s*(export|erase|original)\s+#?([0-9]{1,9})\s*$", re.IGNORECASE)
_METADATA = re.compile(r"(export|erase):([0-9]{1,9})")

_EXPLAIN = {
    "export": (
        "Export everything helpbot stores about the person of case #{n}: messages, cases, "
        "follow-ups. It is sent to you alone as a private file, *unmasked*: keep it safe and "
        "delete it when the request is answered.",
        "Export",
    ),
    "erase": (
        "Erase everything helpbot stores about the person of case #{n}, at their request: "
        "their messages and the case's texts are removed, their user id too, open cases are "
        "closed and scheduled messages cancelled. helpbot's messages in the case thread are "
        "replaced by 「記録は本人の希望で削除されました」. *This cannot be undone.*",
        "Erase",
    ),
}


def confirmation(action: str, case_number: int) -> dict[str, Any]:
    text, submit = _EXPLAIN[action]
    return {
        "type": "modal",
        "callback_id": PRIVACY_CALLBACK,
        "private_metadata": f"{action}:{case_number}",
        "title": {"type": "plain_text", "text": f"{submit} · case #{case_number}"[:24]},
        "submit": {"type": "plain_text", "text": submit},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": text.format(n=case_number)}}
        ],
    }


class PrivacyCommands:
    def __init__(self, *, personal_data: PersonalData, escalation_channel: str) -> None:
        self._data = personal_data
        self._channel = escalation_channel

    def on_command(self, ack: Ack, command: dict[str, Any], client: WebClient,
                   match: re.Match[str]) -> None:
        """Open the confirmation dialog; nothing happens before it is confirmed."""
        if command.get("channel_id") != self._channel:
            ack("Export and erase work only in the case channel.")
            return
        action, number = match.group(1).lower(), int(match.group(2))
        try:
            if action == "original":  # the unmasked words, to this worker only, audited
                user_id = str(command.get("user_id", ""))
                ack(self._data.original_messages(number, actor=user_id)[:3000])
                return
            self._data.person_of_case(number)
        except PersonNotFoundError as why:
            ack(f"Case #{number}: {why}.")
            return
        ack()
        client.views_open(trigger_id=command["trigger_id"], view=confirmation(action, number))

    def on_confirm(self, ack: Ack, body: dict[str, Any], view: dict[str, Any],
                   client: WebClient) -> None:
        found = _METADATA.fullmatch(str(view.get("private_metadata", "")))
        user_id = str((body.get("user") or {}).get("id", ""))
        if found is None or not user_id:
            ack(response_action="errors", errors={"": "This dialog is malformed."})
            return
        ack()
        action, number = found.group(1), int(found.group(2))
        try:
            if action == "export":
                self._export(client, user_id, number)
            else:
                report = self._data.erase_case(number, actor=user_id)
                self._tell(client, user_id, erasure_summary(report))
        except PersonNotFoundError as why:
            self._tell(client, user_id, f"Case #{number}: {why}.")

    def _export(self, client: WebClient, user_id: str, number: int) -> None:
        record = self._data.export_case(number, actor=user_id)
        content = json.dumps(record, ensure_ascii=False, indent=2)
        try:
            direct = client.conversations_open(users=user_id)["channel"]["id"]
            client.files_upload_v2(
                channel=direct, content=content, filename=f"helpbot-case-{number}-export.json",
                title=f"helpbot export, case #{number}",
                initial_comment=f"The export you asked for (case #{number}). Unmasked: keep it "
                "safe, delete it when the request is answered.",
            )
        except (SlackApiError, SlackClientError, OSError) as error:
            logger.warning("the export of case %s was not sent: %s", number, type(error).__name__)

    @staticmethod
    def _tell(client: WebClient, user_id: str, text: str) -> None:
        try:
            direct = client.conversations_open(users=user_id)["channel"]["id"]
            client.chat_postMessage(channel=direct, text=text)
        except (SlackApiError, SlackClientError, OSError) as error:
            logger.warning("could not tell the worker the outcome: %s", type(error).__name__)
