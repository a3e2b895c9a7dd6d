"""The conversation core: one person's message in, the bot's replies out, all recorded."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from helpbot.cases.office import describe_date, describe_opening, reminder_time
from helpbot.cases.states import CaseReason
from helpbot.conversation.buttons import (
    MAX_SUGGESTIONS,
    category_buttons,
    entry_buttons,
    suggestion_buttons,
)
from helpbot.conversation.handoff import DEFAULT_STAFF_POLICY, Handoff, mentions_staff
from helpbot.conversation.language import answer_for, note_language, switch_confirmation
from helpbot.conversation.recovery import TurnRecovery
from helpbot.conversation.turn import (
    Clock,
    Outcome,
    Turn,
    TurnContext,
    utc_now,
)
from helpbot.core.messages import (
    NON_TEXT_KINDS,
    Incoming,
    MessageKind,
    QuickReply,
    Reply,
    parse_postback,
    remind_postback,
    reply_extra,
)
from helpbot.core.retry import RetryPolicy
from helpbot.core.texts import category_label, phrases
from helpbot.knowledge.entries import Entry
from helpbot.matching.base import Decision, KnowledgeSource
from helpbot.matching.normalize import nfkc
from helpbot.storage import history
from helpbot.storage.database import Database
from helpbot.storage.models import DeliveryStatus

if TYPE_CHECKING:
    import datetime as dt

    from sqlalchemy.orm import Session

    from helpbot.cases.service import CaseService
    from helpbot.reminders.service import Reminders

logger = logging.getLogger(__name__)

# Questions in a row without a direct answer before a person is handed to staff.
MISSES_BEFORE_HANDOFF = 2


class ConversationService:
    """Routes each kind of message to its handler, records everything, returns replies."""

    def __init__(
        self,
        *,
        database: Database,
        knowledge: KnowledgeSource,
        clock: Clock = utc_now,
        cases: CaseService | None = None,
        retry: RetryPolicy | None = None,
        reminders: Reminders | None = None,
    ) -> None:
        self._database = database
        self._knowledge = knowledge
        self._clock = clock
        self._cases = cases
        # The rules for handing people to case workers, when cases are on.
        self._handoff = Handoff(cases) if cases is not None else None
        self._retry = retry or RetryPolicy()
        self._reminders = reminders
        # Resending recorded turns, queueing what a platform did not take, apologising.
        self.recovery = TurnRecovery(
            database=database, knowledge=knowledge, clock=clock, cases=cases, retry=self._retry
        )
        self._handlers: dict[MessageKind, Callable[[TurnContext], Outcome]] = {
            MessageKind.TEXT: self._on_text,
            MessageKind.POSTBACK: self._on_postback,
            MessageKind.FOLLOW: self._on_follow,
            MessageKind.UNFOLLOW: self._on_unfollow,
            **{kind: self._on_non_text for kind in NON_TEXT_KINDS},
        }

    def handle(
        self, incoming: Incoming, *, on_recorded: Callable[[Session, Turn], None] | None = None
    ) -> Turn:
        """Answer one incoming message; every row is written in one transaction.

        ``on_recorded`` runs in that transaction (a channel remembers the turn with its event,
        so that a retry resends this turn rather than answering again)."""
        snapshot = self._knowledge.snapshot()
        now = self._clock()
        # Rank before the transaction: matching is the slow part of a turn, and on SQLite a
        # transaction that has written holds the one write lock the web process also needs.
        candidates = (
            snapshot.index.rank(incoming.text.strip(), limit=MAX_SUGGESTIONS)
            if incoming.kind is MessageKind.TEXT
            else []
        )
        with self._database.session() as session:
            contact = history.contact_for(
                session, channel=incoming.channel, user_id=incoming.user_id, now=now
            )
            conversation = history.current_conversation(session, contact, now=now)
            inbound = history.add_inbound(
                session,
                conversation,
                kind=incoming.kind,
                text=incoming.text or incoming.postback,
                now=now,
            )
            session.flush()
            context = TurnContext(
                incoming=incoming,
                session=session,
                contact=contact,
                conversation=conversation,
                kb=snapshot.kb,
                matcher=snapshot.index,
                now=now,
                candidates=candidates,
                inbound_id=inbound.id,
            )
            outcome = self._handlers[incoming.kind](context)
            rows = [
                history.add_outbound(
                    session,
                    conversation,
                    text=reply.text,
                    extra=reply_extra(reply),
                    entry_id=outcome.entry_id,
                    decision=outcome.decision,
                    score=outcome.score,
                    now=now,
                )
                for reply in outcome.replies
            ]
            session.flush()
            turn = Turn(
                replies=outcome.replies,
                outbound_ids=[row.id for row in rows],
                decision=outcome.decision,
                entry_id=outcome.entry_id,
                staff_post_ids=outcome.staff_post_ids,
                contact_id=contact.id,
                crisis=outcome.crisis,
                case_id=outcome.case_id,
            )
            if on_recorded is not None:
                on_recorded(session, turn)
            return turn

    def deliver_staff_posts(self, turn: Turn) -> None:
        """Send the turn's posts for case workers (after the person has their answer)."""
        if self._cases is not None and turn.staff_post_ids:
            self._cases.outbox.deliver(turn.staff_post_ids)

    def record_delivery(
        self, outbound_ids: list[int], *, status: DeliveryStatus, error: str | None = None
    ) -> None:
        with self._database.session() as session:
            history.mark_delivery(session, outbound_ids, status=status, error=error)

    # -- handlers, one per kind of message -------------------------------------------

    def _on_text(self, ctx: TurnContext) -> Outcome:
        text = ctx.incoming.text.strip()
        switch = note_language(ctx.contact, text)
        if self._handoff is not None:
            handed_over = self._handoff.triage(ctx, text)
            if handed_over is not None:
                return handed_over
        if switch is not None and switch.request_only:
            reply = Reply(
                text=switch_confirmation(switch, ctx.contact),
                quick_replies=category_buttons(ctx.kb, ctx.contact.language),
            )
            return Outcome(replies=[reply])
        candidates = ctx.candidates
        decision = ctx.matcher.bands.decide(candidates)
        best = candidates[0] if candidates else None
        if decision is Decision.ANSWER and best is not None:
            ctx.conversation.misses_in_a_row = 0
            return Outcome(
                replies=[self._answer(ctx, best.entry)],
                decision=decision,
                entry_id=best.entry.id,
                score=best.score,
            )
        ctx.conversation.misses_in_a_row += 1
        history.record_unanswered(
            ctx.session,
            contact=ctx.contact,
            text=text,
            normalized_text=nfkc(text),
            decision=decision,
            best_entry_id=best.entry.id if best else None,
            best_score=best.score if best else None,
            now=ctx.now,
        )
        words = phrases(ctx.contact.language)
        if self._handoff is not None and ctx.conversation.misses_in_a_row >= MISSES_BEFORE_HANDOFF:
            ctx.conversation.misses_in_a_row = 0
            topic = best.entry.question if best else None
            handoff = self._handoff.hand_over(ctx, reason=CaseReason.BOT_FAILED, topic=topic)
            return Outcome(
                replies=[Reply(text=words.fallback), *handoff.replies],
                decision=decision,
                entry_id=best.entry.id if best else None,
                score=best.score if best else None,
                staff_post_ids=handoff.staff_post_ids,
                case_id=handoff.case_id,
            )
        if decision is Decision.SUGGEST:
            buttons = suggestion_buttons(candidates)
            reply = Reply(text=words.did_you_mean, quick_replies=self._with_staff(buttons, ctx))
        else:
            buttons = category_buttons(ctx.kb, ctx.contact.language)
            reply = Reply(text=words.fallback, quick_replies=self._with_staff(buttons, ctx))
        return Outcome(
            replies=[reply],
            decision=decision,
            entry_id=best.entry.id if best else None,
            score=best.score if best else None,
        )

    def _on_postback(self, ctx: TurnContext) -> Outcome:
        data = parse_postback(ctx.incoming.postback)
        action = data.get("a")
        words = phrases(ctx.contact.language)
        if action == "answer":
            entry = ctx.kb.by_id().get(data.get("id", ""))
            if entry is not None:
                ctx.conversation.misses_in_a_row = 0
                return Outcome(
                    replies=[self._answer(ctx, entry)],
                    decision=Decision.ANSWER,
                    entry_id=entry.id,
                )
        elif action == "remind" and self._reminders is not None:
            entry = ctx.kb.by_id().get(data.get("id", ""))
            if entry is not None and entry.deadline is not None:
                reply = self._remind_before_deadline(ctx, entry, self._reminders, entry.deadline)
                return Outcome(replies=[reply])
        elif action == "category":
            return Outcome(replies=[self._category_reply(ctx, data.get("c", ""))])
        elif action == "human" and self._handoff is not None:
            return self._handoff.hand_over(
                ctx, reason=CaseReason.ASKED, topic=self._handoff.topic(ctx)
            )
        elif action == "csat" and self._cases is not None:
            try:
                case_id, score = int(data.get("case", "")), int(data.get("v", ""))
            except ValueError:
                case_id, score = 0, 0
            if self._cases.record_satisfaction(ctx.session, ctx.contact, case_id, score):
                return Outcome(replies=[Reply(text=words.satisfaction_thanks)])
        # A button from an older knowledge base, or data we never sent.
        logger.info("postback with unknown target; answering with the topic list")
        return Outcome(
            replies=[
                Reply(
                    text=words.fallback,
                    quick_replies=category_buttons(ctx.kb, ctx.contact.language),
                )
            ]
        )

    def _category_reply(self, ctx: TurnContext, category: str) -> Reply:
        words = phrases(ctx.contact.language)
        entries: list[Entry] = [e for e in ctx.kb.entries if e.category == category]
        preferred = [e for e in entries if e.language == ctx.contact.language] or entries
        if not preferred:
            return Reply(text=words.empty_category)
        return Reply(
            text=words.category_intro.format(
                category=category_label(category, ctx.contact.language)
            ),
            quick_replies=entry_buttons(preferred),
        )

    def _on_follow(self, ctx: TurnContext) -> Outcome:
        ctx.contact.reachable = True
        words = phrases(ctx.contact.language)
        return Outcome(
            replies=[
                Reply(
                    text=words.greeting,
                    quick_replies=category_buttons(ctx.kb, ctx.contact.language),
                )
            ]
        )

    def _on_unfollow(self, ctx: TurnContext) -> Outcome:
        ctx.contact.reachable = False
        if self._reminders is not None:
            self._reminders.cancel_for_contact(ctx.session, ctx.contact.id)
        return Outcome(replies=[])

    def _with_staff(
        self, buttons: tuple[QuickReply, ...], ctx: TurnContext
    ) -> tuple[QuickReply, ...]:
        return buttons if self._handoff is None else self._handoff.with_staff(buttons, ctx)

    # -- answers and the person's own reminders ---------------------------------------------

    def _answer(self, ctx: TurnContext, entry: Entry) -> Reply:
        """The entry's answer; a program with a deadline ahead offers a reminder, and an
        answer that mentions staff offers the 「スタッフと話す」 button it points to."""
        policy = ctx.kb.staff or DEFAULT_STAFF_POLICY
        today = ctx.now.astimezone(policy.zone).date()
        buttons: tuple[QuickReply, ...] = ()
        if self._reminders is not None and entry.deadline is not None and entry.deadline > today:
            label = phrases(ctx.contact.language).remind_me
            buttons = (
                QuickReply(label=label, postback=remind_postback(entry.id), display_text=label),
            )
        text, untranslated = answer_for(entry, ctx.contact)
        if untranslated or mentions_staff(entry.answer):
            buttons = self._with_staff(buttons, ctx)
        return Reply(text=text, quick_replies=buttons)

    def _remind_before_deadline(
        self, ctx: TurnContext, entry: Entry, reminders: Reminders, deadline: dt.date
    ) -> Reply:
        policy = ctx.kb.staff or DEFAULT_STAFF_POLICY
        words = phrases(ctx.contact.language)
        when = reminder_time(deadline=deadline, now=ctx.now, zone=policy.zone)
        if when is None:
            return Reply(text=entry.answer)
        shown = describe_date(deadline, ctx.contact.language)
        text = words.deadline_reminder.format(name=entry.name or entry.question, deadline=shown)
        row = reminders.schedule_for_contact(
            ctx.session,
            contact_id=ctx.contact.id,
            when=when,
            text=text,
            entry_id=entry.id,
            now=ctx.now,
        )
        local = row.due_at.astimezone(policy.zone)
        when_text = describe_opening(local, ctx.contact.language)
        return Reply(text=words.reminder_set.format(when=when_text))

    def _on_non_text(self, ctx: TurnContext) -> Outcome:
        if self._cases is not None:
            active = self._cases.active_case(ctx.session, ctx.contact)
            if active is not None:
                note = f"({ctx.incoming.kind})"
                posts = self._cases.relay_from_person(ctx.session, active, note, now=ctx.now)
                return Outcome(replies=[], staff_post_ids=posts)
        return Outcome(replies=[Reply(text=phrases(ctx.contact.language).ask_for_text)])
