"""「FAQに追加」: a message shortcut in a case thread opens a modal pre-filled with the person's
question (masked) and the worker's answer; Save writes a draft to ``faq/drafts/``.

The same modal opens from the weekly digest's 「この質問に答える」 button, pre-filled with a
gap's representative question.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from helpbot.cases.faq_source import draft_source
from helpbot.channels.slack.threads import CaseThreads
from helpbot.errors import DraftError
from helpbot.knowledge.drafts import save_draft
from helpbot.storage.database import Database

logger = logging.getLogger(__name__)

SHORTCUT = "faq_add"  # the callback id in the app manifest (「FAQに追加」)
ANSWER_GAP_ACTION = "faq_answer_gap"  # 「この質問に答える」 in the weekly digest
DRAFT_CALLBACK = "faq_draft"
MAX_INPUT = 3000
MAX_OPTIONS = 100


def _input(block_id: str, label: str, initial: str, *, multiline: bool = True) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": block_id,
                               "multiline": multiline}
    if initial:
        element["initial_value"] = initial[:MAX_INPUT]
    return {"type": "input", "block_id": block_id,
            "label": {"type": "plain_text", "text": label}, "element": element}


def draft_modal(*, question: str, answer: str, categories: list[str],
                metadata: dict[str, Any]) -> dict[str, Any]:
    """The modal: question, answer, category; Save writes a draft."""
    blocks = [
        {"type": "context", "elements": [{"type": "mrkdwn", "text": (
            "下書きとして faq/drafts/ に保存します。公開は `helpbot faq approve ID` のあとです。"
            " / Saved as a draft; it is used only after `helpbot faq approve ID`.")}]},
        _input("question", "質問 / Question", question),
        _input("answer", "答え / Answer", answer),
    ]
    if categories:
        blocks.append({
            "type": "input", "block_id": "category", "optional": True,
            "label": {"type": "plain_text", "text": "カテゴリ / Category"},
            "element": {"type": "static_select", "action_id": "category", "options": [
                {"text": {"type": "plain_text", "text": name[:75]}, "value": name[:150]}
                for name in categories[:MAX_OPTIONS]
            ]},
        })
    return {
        "type": "modal", "callback_id": DRAFT_CALLBACK,
        "title": {"type": "plain_text", "text": "FAQに追加"},
        "submit": {"type": "plain_text", "text": "下書きを保存"},
        "close": {"type": "plain_text", "text": "やめる"},
        "private_metadata": json.dumps(metadata),
        "blocks": blocks,
    }


def _saved_view(draft_id: str) -> dict[str, Any]:
    return {"type": "modal", "title": {"type": "plain_text", "text": "FAQに追加"},
            "close": {"type": "plain_text", "text": "閉じる"},
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": (
                f"下書き `{draft_id}` を保存しました。 / Draft `{draft_id}` saved: review it, "
                f"then `helpbot faq approve {draft_id}`.")}}]}


class FaqDraftListeners:
    """The shortcut, the digest's button and the modal's Save."""

    def __init__(self, *, database: Database, faq_dir: Path, categories: Callable[[], list[str]],
                 clock: Callable[[], dt.datetime]) -> None:
        self._database = database
        self._threads = CaseThreads(database)  # a Slack thread -> its case number
        self._faq_dir = faq_dir
        self._categories = categories
        self._clock = clock

    def on_shortcut(self, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        message = body.get("message") if isinstance(body.get("message"), dict) else {}
        channel = str((body.get("channel") or {}).get("id", ""))
        thread_ts = str(message.get("thread_ts") or message.get("ts") or "")
        case_id = self._threads.case_in_thread(channel=channel, thread_ts=thread_ts)
        source = None if case_id is None else draft_source(
            self._database, case_id=case_id,
            text=str(message.get("text", "")), from_bot=bool(message.get("bot_id")),
        )
        user_id = str((body.get("user") or {}).get("id", ""))
        if source is None:
            if channel and user_id:
                client.chat_postEphemeral(channel=channel, user=user_id, text=(
                    "「FAQに追加」は相談スレッドのメッセージで使えます。 / "
                    "Use it on a message in a case thread."))
            return
        client.views_open(trigger_id=body["trigger_id"], view=draft_modal(
            question=source.question, answer=source.answer, categories=self._categories(),
            metadata={"case": source.case_id},
        ))

    def on_answer_gap(self, ack: Ack, body: dict[str, Any], action: dict[str, Any],
                      client: WebClient) -> None:
        ack()
        question = str(action.get("value", ""))[:MAX_INPUT]
        client.views_open(trigger_id=body["trigger_id"], view=draft_modal(
            question=question, answer="", categories=self._categories(),
            metadata={"gap": True},
        ))

    def on_save(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        form = _draft_fields(view)
        if form is None:
            ack(response_action="errors", errors={"answer": "This form is incomplete."})
            return
        question, answer, category = form
        if not answer.strip():
            ack(response_action="errors",
                errors={"answer": "答えを書いてください / Write an answer."})
            return
        try:
            metadata = json.loads(str(view.get("private_metadata") or "{}"))
        except ValueError:
            metadata = {}
        case = metadata.get("case") if isinstance(metadata, dict) else None
        user = body.get("user") if isinstance(body.get("user"), dict) else {}
        who = str(user.get("name") or user.get("username") or user.get("id") or "?")
        origin = f"case #{case}" if isinstance(case, int) else "the weekly digest's gaps"
        now = self._clock()
        try:
            draft = save_draft(
                self._faq_dir, now=now, question=question, answer=answer, category=category,
                comment=f"「FAQに追加」 from {origin} by {who}, {now:%Y-%m-%d %H:%M} UTC",
            )
        except DraftError as why:
            ack(response_action="errors", errors={"question": str(why)[:150]})
            return
        ack(response_action="update", view=_saved_view(draft.id))
        logger.info("FAQ draft %s saved from %s", draft.id, origin)


def _draft_fields(view: dict[str, Any]) -> tuple[str, str, str] | None:
    """(question, answer, category) from the modal, or None when it is malformed."""
    try:
        values = view["state"]["values"]
        question = values["question"]["question"].get("value") or ""
        answer = values["answer"]["answer"].get("value") or ""
        selected = (values.get("category") or {}).get("category", {}).get("selected_option")
        category = (selected or {}).get("value") or ""
    except (KeyError, TypeError, AttributeError):
        return None
    if not all(isinstance(text, str) for text in (question, answer, category)):
        return None
    return question, answer, category


def register_faq_drafts(bolt: App, listeners: FaqDraftListeners) -> None:
    bolt.shortcut(SHORTCUT)(listeners.on_shortcut)
    bolt.action(ANSWER_GAP_ACTION)(listeners.on_answer_gap)
    bolt.view(DRAFT_CALLBACK)(listeners.on_save)
