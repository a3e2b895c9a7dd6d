"""Taps on the bot's buttons, routed by their action through one table."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from helpbot.cases.states import CaseReason
from helpbot.conversation.answers import Answers
from helpbot.conversation.buttons import category_buttons
from helpbot.conversation.handoff import Handoff, crisis_lines
from helpbot.conversation.turn import Outcome, TurnContext
from helpbot.core.messages import Reply, parse_postback, row_id
from helpbot.core.texts import phrases
from helpbot.matching.base import Decision

if TYPE_CHECKING:
    from helpbot.cases.service import CaseService

logger = logging.getLogger(__name__)

# An action's handler: the outcome, or None when the button's target is gone.
Action = Callable[[TurnContext, dict[str, str]], Outcome | None]


class Postbacks:
    """One handler per button action (``a=`` in the postback data)."""

    def __init__(
        self, *, answers: Answers, handoff: Handoff | None, cases: CaseService | None
    ) -> None:
        self._answers = answers
        self._handoff = handoff
        self._cases = cases
        self._actions: dict[str, Action] = {
            "answer": self._answer,
            "remind": self._remind,
            "category": self._category,
            "topics": self._topics,  # the rich menu's 「よくある質問」
            "crisis": self._crisis_lines,  # the rich menu's 「緊急のとき」
            "human": self._human,
            "csat": self._satisfaction,
        }

    def handle(self, ctx: TurnContext) -> Outcome:
        data = parse_postback(ctx.incoming.postback)
        action = self._actions.get(data.get("a", ""))
        outcome = action(ctx, data) if action is not None else None
        if outcome is not None:
            return outcome
        # A button from an older knowledge base, or data we never sent.
        logger.info("postback with unknown target; answering with the topic list")
        return Outcome(
            replies=[
                Reply(
                    text=phrases(ctx.contact.language).fallback,
                    quick_replies=category_buttons(ctx.shown, ctx.contact.language),
                )
            ]
        )

    def _answer(self, ctx: TurnContext, data: dict[str, str]) -> Outcome | None:
        entry = ctx.shown.by_id().get(data.get("id", ""))
        if entry is None:
            return None
        ctx.reset_misses()
        return Outcome(
            replies=[self._answers.answer(ctx, entry)], decision=Decision.ANSWER,
            entry_id=entry.id,
        )

    def _remind(self, ctx: TurnContext, data: dict[str, str]) -> Outcome | None:
        reminders = self._answers.reminders
        entry = ctx.shown.by_id().get(data.get("id", ""))
        if reminders is None or entry is None or entry.deadline is None:
            return None
        reply = self._answers.remind_before_deadline(ctx, entry, reminders, entry.deadline)
        return Outcome(replies=[reply])

    def _category(self, ctx: TurnContext, data: dict[str, str]) -> Outcome | None:
        return Outcome(replies=[self._answers.category(ctx, data.get("c", ""))])

    def _topics(self, ctx: TurnContext, data: dict[str, str]) -> Outcome | None:
        buttons = category_buttons(ctx.shown, ctx.contact.language)
        text = phrases(ctx.contact.language).topics_intro
        return Outcome(replies=[Reply(text=text, quick_replies=buttons)])

    def _crisis_lines(self, ctx: TurnContext, data: dict[str, str]) -> Outcome | None:
        """Every line crisis.yaml lists, and the staff button. No case is opened: a tap is not
        a message about danger (words are, and open one)."""
        reply = Reply(
            text=crisis_lines(ctx, category=None, language=ctx.contact.language, tapped=True),
            quick_replies=self._answers.with_staff((), ctx),
        )
        return Outcome(replies=[reply])

    def _human(self, ctx: TurnContext, data: dict[str, str]) -> Outcome | None:
        if self._handoff is None:
            return None
        return self._handoff.hand_over(
            ctx, reason=CaseReason.ASKED, topic=self._handoff.topic(ctx)
        )

    def _satisfaction(self, ctx: TurnContext, data: dict[str, str]) -> Outcome | None:
        if self._cases is None:
            return None
        case_id, score = row_id(data.get("case")), row_id(data.get("v"))
        if case_id is None or score is None:
            return None  # not a button we sent: answered with the topic list
        if not self._cases.record_satisfaction(ctx.session, ctx.contact, case_id, score,
                                               now=ctx.now):
            return None
        return Outcome(replies=[Reply(text=phrases(ctx.contact.language).satisfaction_thanks)])
