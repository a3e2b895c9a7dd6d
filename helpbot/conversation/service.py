"""The conversation core: one person's message in, the bot's replies out, all recorded."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from helpbot.cases.masking import with_names
from helpbot.cases.media import attachment_extra, attachment_posts
from helpbot.cases.states import CaseReason
from helpbot.conversation.answers import Answers
from helpbot.conversation.buttons import SUGGESTIONS_RANKED, category_buttons, suggestion_buttons
from helpbot.conversation.follows import Follows
from helpbot.conversation.handoff import DEFAULT_STAFF_POLICY, Handoff
from helpbot.conversation.hotlines import hotline_reply
from helpbot.conversation.language import note_language, switch_confirmation
from helpbot.conversation.postbacks import Postbacks
from helpbot.conversation.programs import ACTIONS as PROGRAM_ACTIONS
from helpbot.conversation.programs import ProgramFinderFlow
from helpbot.conversation.recovery import TurnRecovery
from helpbot.conversation.small_talk import small_talk_reply
from helpbot.conversation.turn import (
    SENT,
    Clock,
    Outcome,
    ReplySender,
    Turn,
    TurnContext,
    readable,
    utc_now,
)
from helpbot.core.messages import (
    NON_TEXT_KINDS,
    Incoming,
    MessageKind,
    Reply,
    parse_postback,
    reply_extra,
)
from helpbot.core.retry import RetryPolicy
from helpbot.core.texts import phrases
from helpbot.matching.base import Candidate, Decision, KnowledgeSource
from helpbot.matching.normalize import nfkc
from helpbot.matching.offered import offered_today, rank_offered
from helpbot.storage import history
from helpbot.storage.database import Database

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from helpbot.cases.service import CaseService
    from helpbot.reminders.service import Reminders

logger = logging.getLogger(__name__)

# Questions in a row without a direct answer before a person is handed to staff: two when
# the bot found nothing for the last; three when it offered suggestions (help offered, with
# the staff button: a second question gets its own suggestions, and a third without a tap
# gets them too, with a case opened for staff). A tapped suggestion starts the count again.
MISSES_BEFORE_HANDOFF = 2
SUGGESTIONS_BEFORE_HANDOFF = 3


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
        self._programs = ProgramFinderFlow()  # 「制度をさがす」: conversation/programs.py
        # Resending recorded turns, queueing what a platform did not take, apologising.
        self.recovery = TurnRecovery(
            database=database, knowledge=knowledge, clock=clock, cases=cases, retry=self._retry
        )
        self._answers = Answers(handoff=self._handoff, reminders=reminders)
        self._postbacks = Postbacks(answers=self._answers, handoff=self._handoff, cases=cases)
        follows = Follows(cases=cases, reminders=reminders)
        self._handlers: dict[MessageKind, Callable[[TurnContext], Outcome]] = {
            MessageKind.TEXT: self._on_text,
            MessageKind.POSTBACK: self._route_postback,
            MessageKind.FOLLOW: follows.on_follow,
            MessageKind.UNFOLLOW: follows.on_unfollow,
            **{kind: self._on_non_text for kind in NON_TEXT_KINDS},
        }

    def handle(
        self, incoming: Incoming, *, on_recorded: Callable[[Session, Turn], None] | None = None
    ) -> Turn:
        """Answer one incoming message; every row is written in one transaction.

        ``on_recorded`` runs in that transaction (a channel remembers the turn with its event,
        so that a retry resends this turn rather than answering again)."""
        incoming = readable(incoming)
        snapshot = self._knowledge.snapshot()
        now = self._clock()
        zone = (snapshot.kb.staff or DEFAULT_STAFF_POLICY).zone
        offered = offered_today(snapshot.kb, now.astimezone(zone).date())
        # Rank before the transaction: matching is the slow part of a turn, and on SQLite a
        # transaction that has written holds the one write lock the web process also needs.
        candidates = (
            rank_offered(snapshot.index, incoming.text.strip(), limit=SUGGESTIONS_RANKED,
                         withdrawn=offered.withdrawn)
            if incoming.kind is MessageKind.TEXT
            else []
        )
        # media ids, and where the names are (Sudachi): not in the transaction either
        extra = with_names(attachment_extra(incoming.attachment), incoming.text)
        with self._database.session() as session:
            contact = history.contact_for(
                session, channel=incoming.channel, user_id=incoming.user_id, now=now
            )
            conversation = history.current_conversation(session, contact, now=now)
            (inbound_id,) = history.insert_messages(session, [history.inbound_row(
                conversation.id, kind=incoming.kind, text=incoming.text or incoming.postback,
                extra=extra, now=now,
            )])
            context = TurnContext(
                incoming=incoming,
                session=session,
                contact=contact,
                conversation=conversation,
                kb=snapshot.kb,
                matcher=snapshot.index,
                now=now,
                candidates=candidates,
                inbound_id=inbound_id,
                offered=offered.kb,
            )
            outcome = self._handlers[incoming.kind](context)
            outbound_ids = history.insert_messages(session, [
                history.outbound_row(
                    conversation.id,
                    text=reply.text,
                    extra=reply_extra(reply),
                    entry_id=outcome.entry_id,
                    decision=outcome.decision,
                    score=outcome.score,
                    now=now,
                )
                for reply in outcome.replies
            ])
            turn = Turn(
                replies=outcome.replies,
                outbound_ids=outbound_ids,
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

    def prepare(self, incomings: Sequence[Incoming]) -> None:
        """A backlog's messages before their turns: what their ranking shares (the encoder's
        pass) is done once for them all; every turn is decided as it would be alone."""
        texts = [readable(i).text.strip() for i in incomings if i.kind is MessageKind.TEXT]
        self._knowledge.snapshot().index.prepare([t for t in texts if t])

    def answer(self, incoming: Incoming, send: ReplySender) -> Turn:
        """Finish a turn of a channel that answers at once (the web chat): decide, hand the
        replies to the channel's transport, record how it went, then tell case workers.

        Channels whose events are stored first use ``conversation/runner.py`` instead."""
        turn = self.handle(incoming)
        sent = send(turn, resend=False) if turn.replies else SENT
        if self.recovery.record_sending(turn, sent):
            self.deliver_staff_posts(turn)
        return turn

    def deliver_staff_posts(self, turn: Turn) -> None:
        """Send the turn's posts for case workers (after the person has their answer)."""
        if self._cases is not None and turn.staff_post_ids:
            self._cases.outbox.deliver(turn.staff_post_ids)

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
                quick_replies=category_buttons(ctx.shown, ctx.contact.language),
            )
            return Outcome(replies=[reply])
        not_matched = self._before_matching(ctx, text)
        if not_matched is not None:
            return not_matched
        candidates = ctx.candidates
        decision = ctx.matcher.bands.decide(candidates)
        best = candidates[0] if candidates else None
        if decision is Decision.ANSWER and best is not None:
            ctx.reset_misses()
            return Outcome(
                replies=[self._answers.answer(ctx, best.entry)],
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
        misses = ctx.conversation.misses_in_a_row
        suggested = decision is Decision.SUGGEST
        if self._handoff is not None and misses >= (
                SUGGESTIONS_BEFORE_HANDOFF if suggested else MISSES_BEFORE_HANDOFF):
            ctx.conversation.misses_in_a_row = 0
            topic = best.entry.question if best else None
            handoff = self._handoff.hand_over(ctx, reason=CaseReason.BOT_FAILED, topic=topic)
            # suggestions last: LINE shows quick-reply buttons only on a reply's last message
            replies = ([*handoff.replies, self._suggestions(ctx, candidates)] if suggested
                       else [Reply(text=words.fallback), *handoff.replies])
            return Outcome(
                replies=replies,
                decision=decision,
                entry_id=best.entry.id if best else None,
                score=best.score if best else None,
                staff_post_ids=handoff.staff_post_ids,
                case_id=handoff.case_id,
            )
        if suggested:
            reply = self._suggestions(ctx, candidates)
        else:
            buttons = category_buttons(ctx.shown, ctx.contact.language)
            reply = Reply(text=words.fallback, quick_replies=self._answers.with_staff(buttons, ctx))
        return Outcome(
            replies=[reply],
            decision=decision,
            entry_id=best.entry.id if best else None,
            score=best.score if best else None,
        )

    def _before_matching(self, ctx: TurnContext, text: str) -> Outcome | None:
        """The program finder's answers; crisis.yaml's lines asked for; thanks, greetings."""
        if self._programs.takes_text(ctx, text):
            return self._programs.on_text(ctx, text)
        said = hotline_reply(ctx, text) or small_talk_reply(ctx, text)
        return Outcome(replies=[said]) if said is not None else None

    def _suggestions(self, ctx: TurnContext, candidates: Sequence[Candidate]) -> Reply:
        """"Did you mean": the best entries as buttons, and the staff button."""
        buttons = suggestion_buttons(candidates, ctx.contact.language)
        return Reply(text=phrases(ctx.contact.language).did_you_mean,
                     quick_replies=self._answers.with_staff(buttons, ctx))

    def _route_postback(self, ctx: TurnContext) -> Outcome:
        data = parse_postback(ctx.incoming.postback)
        if data.get("a") in PROGRAM_ACTIONS:  # the program finder's buttons
            return self._programs.on_postback(ctx, data)
        return self._postbacks.handle(ctx)

    def _on_non_text(self, ctx: TurnContext) -> Outcome:
        if self._handoff is not None and self._handoff.staff_see(ctx):
            active = self._handoff.cases.active_case(ctx.session, ctx.contact)
            if active is not None:  # the file or place itself, into the thread (cases/media.py)
                posts = attachment_posts(ctx.session, active, ctx.incoming.kind,
                                         ctx.incoming.attachment, now=ctx.now)
                return Outcome(replies=[], staff_post_ids=posts)
        return Outcome(replies=[Reply(text=phrases(ctx.contact.language).ask_for_text)])
