"""What the bot says back: an entry's answer with its buttons, a category's entries, and the
reminder a person asks for before a program's deadline."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from helpbot.cases.office import describe_date, describe_opening, reminder_time
from helpbot.conversation.buttons import entry_buttons
from helpbot.conversation.handoff import DEFAULT_STAFF_POLICY, Handoff, mentions_staff
from helpbot.conversation.language import answer_for
from helpbot.conversation.turn import TurnContext
from helpbot.core.messages import QuickReply, Reply, remind_postback
from helpbot.core.texts import category_label, phrases, text_language
from helpbot.knowledge.entries import Entry
from helpbot.knowledge.freshness import is_stale
from helpbot.matching.language import is_foreign

if TYPE_CHECKING:
    from helpbot.reminders.service import Reminders


class Answers:
    """Builds the replies that carry knowledge; the handlers decide which one is due."""

    def __init__(self, *, handoff: Handoff | None, reminders: Reminders | None) -> None:
        self._handoff = handoff
        self.reminders = reminders

    def answer(self, ctx: TurnContext, entry: Entry) -> Reply:
        """The entry's answer; a program with a deadline ahead offers a reminder, an answer
        that mentions staff offers the 「スタッフと話す」 button it points to, and one not
        checked for ``stale_after_months`` says when it was last checked."""
        policy = ctx.kb.staff or DEFAULT_STAFF_POLICY
        today = ctx.now.astimezone(policy.zone).date()
        buttons: tuple[QuickReply, ...] = ()
        if self.reminders is not None and entry.deadline is not None and entry.deadline > today:
            label = phrases(ctx.contact.language).remind_me
            buttons = (
                QuickReply(label=label, postback=remind_postback(entry.id), display_text=label),
            )
        text, untranslated = answer_for(entry, ctx.contact)
        if untranslated or mentions_staff(entry.answer):
            buttons = self.with_staff(buttons, ctx)
        if entry.last_checked and is_stale(entry, today=today, months=policy.stale_after_months):
            checked = (entry.last_checked.isoformat()
                       if text_language("stale_note", ctx.contact.language) not in ("ja", "easy")
                       else f"{entry.last_checked.year}年{entry.last_checked.month}月"
                       f"{entry.last_checked.day}日")
            text += "\n\n" + phrases(ctx.contact.language).stale_note.format(date=checked)
        return Reply(text=text, quick_replies=buttons)

    def category(self, ctx: TurnContext, category: str) -> Reply:
        """The entries of one category as buttons, in the person's language if there are any:
        written in it, or (another language than Japanese) with a question in it
        (``question_en``, …)."""
        language = ctx.contact.language
        words = phrases(language)
        entries = [e for e in ctx.shown.entries if e.category == category]
        preferred = [e for e in entries if e.language == language or (
            is_foreign(language) and language in dict(e.question_translations))] or entries
        if not preferred:
            return Reply(text=words.empty_category)
        return Reply(
            text=words.category_intro.format(
                category=category_label(category, language)
            ),
            quick_replies=entry_buttons(preferred, language),
        )

    def remind_before_deadline(
        self, ctx: TurnContext, entry: Entry, reminders: Reminders, deadline: dt.date
    ) -> Reply:
        """Schedule the person's own reminder before a deadline; say when it will come."""
        policy = ctx.kb.staff or DEFAULT_STAFF_POLICY
        words = phrases(ctx.contact.language)
        when = reminder_time(deadline=deadline, now=ctx.now, zone=policy.zone)
        if when is None:
            return Reply(text=entry.answer)
        shown = describe_date(deadline, text_language("deadline_reminder", ctx.contact.language))
        text = words.deadline_reminder.format(name=entry.name or entry.question, deadline=shown)
        row, new = reminders.schedule_for_contact(
            ctx.session,
            contact_id=ctx.contact.id,
            when=when,
            text=text,
            entry_id=entry.id,
            now=ctx.now,
        )
        local = row.due_at.astimezone(policy.zone)
        when_text = describe_opening(local, text_language("reminder_set", ctx.contact.language))
        said = words.reminder_set if new else words.reminder_already_set
        return Reply(text=said.format(when=when_text))

    def with_staff(
        self, buttons: tuple[QuickReply, ...], ctx: TurnContext
    ) -> tuple[QuickReply, ...]:
        """The buttons plus 「スタッフと話す」, when cases are on."""
        return buttons if self._handoff is None else self._handoff.with_staff(buttons, ctx)
