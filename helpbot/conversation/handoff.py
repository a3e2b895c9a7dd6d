"""Handing a person to case workers: danger first, an open case next, then a request."""

from __future__ import annotations

import logging
from dataclasses import replace

from helpbot.cases.office import is_open, staff_back
from helpbot.cases.outbox import PostKind, add_post
from helpbot.cases.service import CaseService
from helpbot.cases.states import CaseReason, Urgency
from helpbot.cases.triage import asks_for_human
from helpbot.conversation.buttons import MAX_QUICK_REPLIES
from helpbot.conversation.language import spoken
from helpbot.conversation.turn import Outcome, TurnContext
from helpbot.core.messages import QuickReply, Reply
from helpbot.core.texts import PHRASES, phrases, text_language
from helpbot.crisis.detector import Assessment, CrisisHit, snapshot_detector
from helpbot.crisis.resources import resources_text
from helpbot.crisis.review import record_near_miss
from helpbot.knowledge.policies import StaffPolicy
from helpbot.personal_data.requests import STAFF_NOTE as ERASURE_NOTE
from helpbot.personal_data.requests import TOPIC as ERASURE_TOPIC
from helpbot.personal_data.requests import asks_for_erasure, record_request
from helpbot.personal_data.requests import reply_for as erasure_reply
from helpbot.storage import history

logger = logging.getLogger(__name__)

HUMAN_POSTBACK = "a=human"
DEFAULT_STAFF_POLICY = StaffPolicy()
# Words that tell a person to reach staff: an answer holding one offers the staff button.
STAFF_WORDS = ("スタッフ", "相談員", "支援員", "担当者", "staff", "caseworker", "case worker")


def crisis_lines(ctx: TurnContext, *, category: str | None, language: str,
                 tapped: bool = False) -> str:
    """The lines to call for ``category`` (None: every line of crisis.yaml) in ``language``,
    those open at this turn's time in the NPO's time zone first; the built-in words for urgent
    help when there is no crisis.yaml. ``tapped``: for the 「緊急のとき」 button, which opens
    no case, so the words never say staff were told."""
    rules = ctx.kb.crisis
    local = ctx.now.astimezone((ctx.kb.staff or DEFAULT_STAFF_POLICY).zone)
    words = phrases(language)
    intro = None
    if tapped:
        intro = (rules.tap_intro if rules and rules.tap_intro
                 else {language: words.crisis_tap_intro})
    lines = (resources_text(rules, category=category, language=language, local=local,
                            intro=intro) if rules else "")
    return lines or (words.crisis_tap_intro if tapped else words.urgent_help)


def staff_words(by_language: dict[str, str], language: str) -> str | None:
    """staff.yaml's words (``expected_reply``, ``contact``) in ``language``, the language of
    the sentence they go into (やさしい日本語 takes the Japanese); None when not written."""
    if language == "easy":
        return by_language.get("easy") or by_language.get("ja")
    return by_language.get(language)


def contact_words(contact: dict[str, str], language: str) -> str | None:
    """staff.yaml's ``contact``, a line of its own, for a reader of ``language``: in it when
    written, else in やさしい日本語 or Japanese, English, any language written (a phone
    number is read in every language); None when staff wrote no contact."""
    if not contact:
        return None
    order = (staff_words(contact, language), contact.get("easy"), contact.get("ja"),
             contact.get("en"), *contact.values())
    return next((words for words in order if words), None)


def _with_contact(ctx: TurnContext, name: str) -> Reply:
    """The text ``name`` (where staff cannot talk with the person), then staff.yaml's contact
    in the language that text is served in, or another (``contact_words``)."""
    policy = ctx.kb.staff or DEFAULT_STAFF_POLICY
    language = ctx.contact.language
    said = getattr(phrases(language), name)
    reach_us = contact_words(policy.contact, text_language(name, language))
    return Reply(text="\n".join(t for t in (said, reach_us) if t))


def mentions_staff(text: str) -> bool:
    """Whether an answer mentions staff (or the staff button's label, in any language)."""
    folded = text.casefold()
    labels = (words.talk_to_staff.casefold() for words in PHRASES.values())
    return any(word in folded for word in STAFF_WORDS) or any(lab in folded for lab in labels)


class Handoff:
    """The conversation's side of cases: when to open one and what to tell the person."""

    def __init__(self, cases: CaseService) -> None:
        self.cases = cases

    def assess(self, ctx: TurnContext, text: str) -> Assessment | None:
        detector = snapshot_detector(ctx.kb, ctx.matcher)
        return detector.assess(text) if detector is not None else None

    def triage(self, ctx: TurnContext, text: str) -> Outcome | None:
        """Danger first, then an open case, then a request for a human; None: the bot answers."""
        cases = self.cases
        words = phrases(ctx.contact.language)
        assessment = self.assess(ctx, text)
        hit = assessment.hit if assessment is not None else None
        if hit is not None:  # danger first; a request to erase in the same words is kept too
            turn = self._crisis_turn(ctx, text, hit)
            return self.erasure_request(ctx, text, after=turn) if asks_for_erasure(text) else turn
        if assessment is not None and assessment.near_miss and assessment.nearest is not None:
            record_near_miss(ctx.session, assessment.nearest, ctx.inbound_id, now=ctx.now)
        if asks_for_erasure(text):  # explained, and staff asked to confirm: nothing erased yet
            return self.erasure_request(ctx, text)
        # A case no staff tool shows (opened on LINE before Slack was taken away, or before
        # cases stopped opening there) is not relayed to: nobody reads it, the bot answers.
        active, resolved = (cases.active_or_resolved(ctx.session, ctx.contact, now=ctx.now)
                            if self.staff_see(ctx) else (None, None))
        if active is not None:
            # A person talking with a case worker is not answered by the bot.
            return Outcome(
                replies=[],
                staff_post_ids=cases.relay_from_person(ctx.session, active, text, now=ctx.now),
            )
        if resolved is not None:
            posts = cases.reopen(ctx.session, resolved, now=ctx.now)
            posts += cases.relay_from_person(ctx.session, resolved, text, now=ctx.now)
            return Outcome(replies=[Reply(text=words.case_relayed)], staff_post_ids=posts)
        policy = ctx.kb.staff or DEFAULT_STAFF_POLICY
        if asks_for_human(text, policy.handoff_phrases):
            return self.hand_over(ctx, reason=CaseReason.ASKED, topic=self.topic(ctx))
        return None

    def _crisis_turn(self, ctx: TurnContext, text: str, hit: CrisisHit) -> Outcome:
        """Resources at once, in the person's language, and an urgent case (or a raised one)."""
        if hit.language != "ja":
            ctx.contact.language = hit.language
        # a person who asked for やさしい日本語 gets the crisis lines in it too
        language = spoken(ctx.contact, hit.language)
        if not self.staff_see(ctx):
            return self._crisis_without_staff(ctx, hit, language)
        logger.warning("crisis triage fired (%s, %s)", hit.category, hit.layer)
        cases = self.cases
        active = cases.active_case(ctx.session, ctx.contact)
        posts = cases.relay_from_person(ctx.session, active, text, now=ctx.now) if active else []
        opened = cases.open_case(
            ctx.session,
            ctx.contact,
            reason=CaseReason.CRISIS,
            urgency=Urgency.URGENT,
            topic=hit.name,
            crisis_category=hit.category,
            crisis_why=hit.why,
            now=ctx.now,
        )
        replies = [Reply(text=crisis_lines(ctx, category=hit.category, language=language))]
        if opened.is_new:
            replies.append(self.what_happens_next(ctx))
        return Outcome(
            replies=replies,
            staff_post_ids=[*posts, *opened.post_ids],
            crisis=hit,
            case_id=opened.case.id,
        )

    def staff_see(self, ctx: TurnContext) -> bool:
        """Whether a case of this person would reach case workers (not LINE without Slack)."""
        return self.cases.outbox.shows(ctx.contact.channel)

    def _crisis_without_staff(self, ctx: TurnContext, hit: CrisisHit, language: str
                              ) -> Outcome:
        """Danger where no staff tool shows cases: the lines to call, the NPO's contact, and
        no case (it would promise a reply nobody sends, and silence the bot)."""
        logger.warning("crisis triage fired (%s, %s) but no staff tool shows this channel's "
                       "cases: the person got the lines and the contact, no case opened",
                       hit.category, hit.layer)
        lines = crisis_lines(ctx, category=hit.category, language=language, tapped=True)
        return Outcome(replies=[Reply(text=lines), self.no_staff_here(ctx)], crisis=hit)

    def no_staff_here(self, ctx: TurnContext) -> Reply:
        """Said instead of "staff will reply" where no staff tool shows the person's cases."""
        return _with_contact(ctx, "no_staff_here")

    def erasure_request(self, ctx: TurnContext, text: str, *, after: Outcome | None = None
                        ) -> Outcome:
        """The person asks to erase their records: explained, recorded, and staff asked on a
        case (where no staff tool shows one: listed by `helpbot person requests`)."""
        cases = self.cases
        if not self.staff_see(ctx):
            return self._erasure_without_staff(ctx, after)
        if after is None or after.case_id is None:
            active = cases.active_case(ctx.session, ctx.contact)
            relayed = (cases.relay_from_person(ctx.session, active, text, now=ctx.now)
                       if active else [])
            opened = cases.open_case(ctx.session, ctx.contact, reason=CaseReason.ASKED,
                                     urgency=Urgency.NORMAL, topic=ERASURE_TOPIC,
                                     crisis_category=None, now=ctx.now)
            after = Outcome(replies=[], staff_post_ids=[*relayed, *opened.post_ids],
                            case_id=opened.case.id)
        case = cases.active_case(ctx.session, ctx.contact)
        if case is None or case.id != after.case_id:
            return after
        note = add_post(ctx.session, case_id=case.id, kind=PostKind.THREAD,
                        text=ERASURE_NOTE.format(case=case.id), now=ctx.now)
        record_request(ctx.session, contact_id=case.contact_id, case_id=case.id, now=ctx.now)
        reply = Reply(text=erasure_reply(ctx.contact.language))
        return replace(after, replies=[*after.replies, reply],
                       staff_post_ids=[*after.staff_post_ids, note.id])

    def _erasure_without_staff(self, ctx: TurnContext, after: Outcome | None) -> Outcome:
        """No thread to ask staff in: the request is recorded for `helpbot person requests`,
        and the person told so, with staff.yaml's contact."""
        record_request(ctx.session, contact_id=ctx.contact.id, case_id=None, now=ctx.now)
        logger.warning("an erasure request was recorded on a channel no staff tool shows: "
                       "`helpbot person requests` lists it")
        reply = _with_contact(ctx, "erasure_no_staff")
        return replace(after, replies=[*after.replies, reply]) if after else Outcome(
            replies=[reply])

    def hand_over(self, ctx: TurnContext, *, reason: CaseReason, topic: str | None) -> Outcome:
        if not self.staff_see(ctx):
            logger.warning("a case (%s) would open on a channel no staff tool shows: the "
                           "person was told so, with the contact; no case opened", reason)
            return Outcome(replies=[self.no_staff_here(ctx)])
        opened = self.cases.open_case(
            ctx.session,
            ctx.contact,
            reason=reason,
            urgency=Urgency.NORMAL,
            topic=topic,
            crisis_category=None,
            now=ctx.now,
        )
        replies = (
            [self.what_happens_next(ctx)]
            if opened.is_new
            else [Reply(text=phrases(ctx.contact.language).case_relayed)]
        )
        return Outcome(replies=replies, staff_post_ids=opened.post_ids, case_id=opened.case.id)

    def what_happens_next(self, ctx: TurnContext) -> Reply:
        policy = ctx.kb.staff or DEFAULT_STAFF_POLICY
        language = ctx.contact.language
        words = phrases(language)
        if is_open(policy, ctx.now):
            # staff.yaml's words only in the sentence's own language, never mixed in
            expected = staff_words(policy.expected_reply, text_language("case_opened", language))
            if not expected:
                return Reply(text=words.case_opened_soon)
            return Reply(text=words.case_opened.format(expected=expected))
        when = staff_back(policy, ctx.now, "case_opened_closed", language) or "-"
        return Reply(text=words.case_opened_closed.format(when=when))

    def topic(self, ctx: TurnContext) -> str | None:
        """The bot's best guess of what the person needs, from their recent words."""
        recent = " ".join(
            m.text
            for m in history.recent_messages(ctx.session, ctx.conversation.id, limit=4)
            if m.direction == "in" and m.kind == "text"
        )
        candidates = ctx.matcher.rank(recent, limit=1) if recent.strip() else []
        if not candidates:
            return None
        entry = candidates[0].entry
        return f"{entry.category or '-'}: {entry.question}"

    def with_staff(
        self, buttons: tuple[QuickReply, ...], ctx: TurnContext
    ) -> tuple[QuickReply, ...]:
        label = phrases(ctx.contact.language).talk_to_staff
        if any(button.postback == HUMAN_POSTBACK for button in buttons) \
                or not self.staff_see(ctx):  # no button that can only say "not here"
            return buttons
        return (
            *buttons[: MAX_QUICK_REPLIES - 1],
            QuickReply(label=label, postback=HUMAN_POSTBACK, display_text=label),
        )
