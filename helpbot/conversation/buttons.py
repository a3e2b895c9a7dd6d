"""Quick reply buttons: suggestions, topics, a program's reminder, a human."""

from __future__ import annotations

from collections.abc import Sequence

from helpbot.core.messages import (
    QuickReply,
    answer_postback,
    category_postback,
)
from helpbot.core.texts import category_label
from helpbot.knowledge.entries import Entry, KnowledgeBase
from helpbot.matching.base import Candidate

# 3 to 5 quick replies a person can take in at a glance: four entries or topics, then staff
MAX_SUGGESTIONS = 4
# ranked for a "did you mean": one more than shown, for an entry whose button would read the
# same as a better one's (a program written in English and its Japanese twin, both
# "Hidamari Food Pantry" to an English speaker)
SUGGESTIONS_RANKED = MAX_SUGGESTIONS + 1
MAX_CATEGORY_BUTTONS = 4
MAX_QUICK_REPLIES = 13
LABEL_LIMIT = 20


def label(text: str) -> str:
    """A button label within LINE's 20 characters."""
    text = " ".join(text.split())
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1] + "…"


def entry_buttons(
    entries: Sequence[Entry], language: str | None = None, *, limit: int = MAX_QUICK_REPLIES
) -> tuple[QuickReply, ...]:
    """A button per entry, with its question in ``language`` (``question_en``, …;
    "easy": ``question_easy``) when the entry has one, else as written. An entry whose button
    would read the same as an earlier one's is left out: two alike buttons cannot be told apart."""
    buttons: list[QuickReply] = []
    shown: set[str] = set()
    for e in entries:
        if len(buttons) == limit:
            break
        question = e.question_in(language) or e.question
        text = label(question)
        if text.casefold() in shown:
            continue
        shown.add(text.casefold())
        buttons.append(QuickReply(
            label=text, postback=answer_postback(e.id), display_text=question[:300]
        ))
    return tuple(buttons)


def suggestion_buttons(
    candidates: Sequence[Candidate], language: str | None = None
) -> tuple[QuickReply, ...]:
    """Up to :data:`MAX_SUGGESTIONS` buttons for the best of ``candidates``, all different."""
    return entry_buttons([c.entry for c in candidates], language, limit=MAX_SUGGESTIONS)


def topics(kb: KnowledgeBase) -> list[str]:
    """Categories that hold entries: those ``staff.yaml`` lists first, in its order."""
    held = kb.categories()
    named = [c for c in (kb.staff.categories if kb.staff is not None else ()) if c in held]
    return named + [c for c in held if c not in named]


def category_buttons(kb: KnowledgeBase, language: str | None) -> tuple[QuickReply, ...]:
    """Buttons for the first topics, labelled in the person's language (``faq/texts.yaml``):
    every person is offered the same ones. The order is the NPO's own (``categories`` in
    ``faq/staff.yaml``: food and housing before "about us"), then the categories with most
    entries."""
    buttons = []
    for category in topics(kb)[:MAX_CATEGORY_BUTTONS]:
        shown = category_label(category, language)
        buttons.append(
            QuickReply(label=label(shown), postback=category_postback(category), display_text=shown)
        )
    return tuple(buttons)
