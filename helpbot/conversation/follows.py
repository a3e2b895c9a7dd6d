"""Following and blocking the account: whether the person can be reached, said to staff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpbot.conversation.buttons import category_buttons
from helpbot.conversation.turn import Outcome, TurnContext
from helpbot.core.messages import Reply
from helpbot.core.texts import phrases

if TYPE_CHECKING:
    from helpbot.cases.service import CaseService
    from helpbot.reminders.service import Reminders


class Follows:
    """The follow and unfollow handlers of ``ConversationService``."""

    def __init__(self, *, cases: CaseService | None, reminders: Reminders | None) -> None:
        self._cases = cases
        self._reminders = reminders

    def on_follow(self, ctx: TurnContext) -> Outcome:
        """The greeting; a person who had blocked the account is back (said in their case)."""
        came_back = not ctx.contact.reachable
        ctx.contact.reachable = True
        greeting = Reply(text=phrases(ctx.contact.language).greeting,
                         quick_replies=category_buttons(ctx.shown, ctx.contact.language))
        return Outcome(replies=[greeting],
                       staff_post_ids=self._reachability_changed(ctx) if came_back else [])

    def on_unfollow(self, ctx: TurnContext) -> Outcome:
        """Blocked: nothing is sent any more, reminders are cancelled, staff are told."""
        ctx.contact.reachable = False
        if self._reminders is not None:
            self._reminders.cancel_for_contact(ctx.session, ctx.contact.id)
        return Outcome(replies=[], staff_post_ids=self._reachability_changed(ctx))

    def _reachability_changed(self, ctx: TurnContext) -> list[int]:
        if self._cases is None:
            return []
        return self._cases.reachability_changed(ctx.session, ctx.contact, now=ctx.now)
