"""Finding support programs in the conversation (LINE and web chat alike).

```
 「制度をさがす」 ─▶ describe ──their words──▶ asking ──answer (quick reply)──▶ asking …
                                               │ no useful question, or 4 asked
                                               ▼
                                             done: results (+ cards), 「窓口で見せる」,
                                                   「答えを変える」 (one answer, no restart),
                                                   「答えを消す」
```

The answers live in ``program_answers`` (one row per person), so the case worker sees them
in the case view and the person can change one later. The service routes here first for a
text while this flow waits for words, and for the ``p…`` postbacks.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from helpbot.conversation.program_replies import (
    change_reply,
    question_reply,
    results_reply,
    show_at_office,
    text_reply,
    understood,
)
from helpbot.conversation.turn import Outcome, TurnContext
from helpbot.core.messages import Reply
from helpbot.matching.language import is_foreign
from helpbot.programs.facts import DECLINED, FACTS_BY_KEY, UNKNOWN, coerce
from helpbot.programs.finder import Finding, Question, find_programs
from helpbot.programs.finder_words import FinderWords
from helpbot.programs.records import ProgramRecord
from helpbot.programs.words import facts_from_words, fold
from helpbot.storage.models import ProgramAnswers
from helpbot.storage.program_answers import answers_for, clear_answers, save_answers

ACTIONS = frozenset({"pfind", "pf", "pre", "pshow", "pchange", "pclear"})
# 「制度をさがす」 as people write it: matched anywhere in the folded text (no spaces, lower
# case), since the finder reads the rest of a Japanese message for the person's situation.
# (and "find (support) programs", which names the finder itself).
_START = re.compile(fold(r"(制度|せいど)を?(さがす|探す|探し|さがし|しらべ|調べ)|使える制度|"
                         r"支援制度|制度さがし|find(support)?programs?"))
# The ``start`` button's other words (faq/texts.yaml, finder.start) start it only when they
# are most of the message ("I want to find benefits", "Tôi muốn tìm hỗ trợ"): a question that
# holds them ("where can I find benefits for rent", "tìm hỗ trợ tiền thuê nhà vì mất việc") is
# a question, and the finder cannot read the rest of it.
_START_SHORT = re.compile(fold(r"findsupport|findbenefits|查找支援|지원제도|tìmhỗtrợ|"
                               r"buscarapoios|buscarayudas|maghanapngtulong|सहायताखोज्नुहोस्"))
_LETTERS = re.compile(r"\w")
_JST = dt.timezone(dt.timedelta(hours=9))
# How long the flow waits for the person's words before a text is an ordinary question again.
WAITING = dt.timedelta(hours=1)


def _records(ctx: TurnContext) -> list[ProgramRecord]:
    return [entry.program for entry in ctx.kb.entries if entry.program is not None]


def _today(ctx: TurnContext) -> dt.date:
    zone = ctx.kb.staff.zone if ctx.kb.staff is not None else _JST
    return ctx.now.astimezone(zone).date()


def _starts(text: str) -> bool:
    folded = fold(text)
    if _START.search(folded):
        return True
    short = _START_SHORT.search(folded)
    return short is not None and 2 * len(short.group()) >= len(_LETTERS.findall(folded))


def _reads_their_words(ctx: TurnContext) -> bool:
    """Whether the finder can read the person's own account (Japanese, やさしい日本語 and
    some English: ``programs/words.py``); others go straight to the questions, whose buttons
    are in their language."""
    return not is_foreign(ctx.contact.language) or ctx.contact.language == "en"


def _words(ctx: TurnContext) -> FinderWords:
    return FinderWords(ctx.contact.language)


def _area(ctx: TurnContext) -> str | None:
    staff = ctx.kb.staff
    return getattr(staff, "area_label", None) if staff is not None else None


class ProgramFinderFlow:
    """The conversation around :func:`helpbot.programs.finder.find_programs`."""

    def takes_text(self, ctx: TurnContext, text: str) -> bool:
        """Whether a text belongs to this flow: 「制度をさがす」, or words we asked for."""
        if _starts(text):
            return True
        row = answers_for(ctx.session, ctx.contact.id)
        if row is None or ctx.now - row.updated_at > WAITING:
            return False  # an old, unfinished search does not swallow a new question
        if row.stage == "describe":
            return True
        said = facts_from_words(text)
        return row.stage == "asking" and bool(set(said) - {"needs"})

    def on_text(self, ctx: TurnContext, text: str) -> Outcome:
        row = answers_for(ctx.session, ctx.contact.id)
        if _starts(text) and (row is None or row.stage == "done"):
            extracted = facts_from_words(text)
            if len(extracted) <= 1:  # just 「制度をさがす」: ask for their situation
                return self._begin(ctx)
        facts = dict(row.facts) if row is not None and row.stage != "done" else {}
        asked = list(row.asked) if row is not None and row.stage != "done" else []
        words = f"{row.text} {text}" if row is not None and row.stage != "done" else text
        facts.update(facts_from_words(text))
        return self._advance(ctx, facts, asked, words, first=True)

    def on_postback(self, ctx: TurnContext, data: dict[str, str]) -> Outcome:
        action = data.get("a", "")
        if action == "pfind":
            return self._begin(ctx)
        if action == "pclear":
            clear_answers(ctx.session, ctx.contact.id)
            return Outcome(replies=[text_reply(_words(ctx), "cleared")])
        row = answers_for(ctx.session, ctx.contact.id)
        if row is None:
            return Outcome(replies=[text_reply(_words(ctx), "nothing_yet")])
        if action == "pf":
            return self._answer(ctx, dict(row.facts), list(row.asked), row.text, data)
        return Outcome(replies=[self._about_answers(ctx, action, data, row)])

    def _begin(self, ctx: TurnContext) -> Outcome:
        """A new search: ask for the person's situation in their words, or (in a language the
        finder cannot read) straight to the first question."""
        if not _reads_their_words(ctx):
            return self._advance(ctx, {}, [], "", first=True)
        self._save(ctx, {}, [], "describe", "")
        return Outcome(replies=[text_reply(_words(ctx), "ask_situation")])

    def _about_answers(self, ctx: TurnContext, action: str, data: dict[str, str],
                       row: ProgramAnswers) -> Reply:
        """Change one answer, show the note for the office, or the results again."""
        facts = dict(row.facts)
        words = _words(ctx)
        if action == "pchange":
            return change_reply(facts, words)
        if action == "pre" and data.get("f") in FACTS_BY_KEY:
            fact = FACTS_BY_KEY[data["f"]]
            options = (*fact.options, (UNKNOWN, "わからない"), (DECLINED, "答えたくない"))
            return question_reply(Question(fact.key, fact.question, options), words)
        finding = self._find(ctx, facts, list(row.asked), row.text, questions=False)
        if action == "pshow":  # the note stays Japanese: it is for the office's staff
            return show_at_office(finding, words, today=_today(ctx), organisation="支援団体")
        return results_reply(finding, words, area=_area(ctx))

    def _answer(self, ctx: TurnContext, facts: dict[str, Any], asked: list[str], text: str,
                data: dict[str, str]) -> Outcome:
        key = data.get("f", "")
        try:
            facts[key] = coerce(key, data.get("v", ""))
        except ValueError:
            finding = self._find(ctx, facts, asked, text, questions=False)
            return Outcome(replies=[results_reply(finding, _words(ctx), area=_area(ctx))])
        if key not in asked:
            asked.append(key)
        return self._advance(ctx, facts, asked, text, first=False)

    def _advance(self, ctx: TurnContext, facts: dict[str, Any], asked: list[str], text: str,
                 *, first: bool) -> Outcome:
        finding = self._find(ctx, facts, asked, text, questions=True)
        question = finding.next_question
        if question is not None:
            self._save(ctx, facts, [*asked], "asking", text)
            words = _words(ctx)
            intro = understood(facts, words) if first else ""
            return Outcome(replies=[question_reply(question, words, intro=intro)])
        self._save(ctx, facts, asked, "done", text)
        return Outcome(replies=[results_reply(finding, _words(ctx), area=_area(ctx))])

    def _find(self, ctx: TurnContext, facts: dict[str, Any], asked: list[str], text: str, *,
              questions: bool) -> Finding:
        return find_programs(_records(ctx), facts, today=_today(ctx), asked=asked, text=text,
                             max_questions=4 if questions else 0)

    def _save(self, ctx: TurnContext, facts: dict[str, Any], asked: list[str], stage: str,
              text: str) -> None:
        stored = {k: list(v) if isinstance(v, tuple) else v for k, v in facts.items()}
        save_answers(ctx.session, ctx.contact.id, facts=stored, asked=asked, stage=stage,
                     text=text, now=ctx.now)
