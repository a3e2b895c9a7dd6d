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
MAX_CATEGORY_BUTTONS = 4
MAX_QUICK_REPLIES = 13
LABEL_LIMIT = 20


def label(text: str) -> str:
    """A button label within LINE's 20 characters."""
    text = " ".join(text.split())
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1] + "…"


def entry_buttons(entries: list[Entry], language: str | None = None) -> tuple[QuickReply, ...]:
    """A button per entry, with its question in ``language`` (``question_en``, …;
    "easy": ``question_easy``) when the entry has one, else as written."""
    buttons = []
    for e in entries[:MAX_QUICK_REPLIES]:
        question = e.question_in(language) or e.question
        buttons.append(QuickReply(
            label=label(question), postback=answer_postback(e.id), display_text=question[:300]
        ))
    return tuple(buttons)


def suggestion_buttons(
    candidates: Sequence[Candidate], language: str | None = None
) -> tuple[QuickReply, ...]:
    return entry_buttons([c.entry for c in candidates[:MAX_SUGGESTIONS]], language)


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
