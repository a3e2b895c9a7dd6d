"""Requests for a human, matched on the same folded text as the danger signs.

Crisis detection itself lives in :mod:`helpbot.crisis`.
"""

from __future__ import annotations

from helpbot.crisis.text import fold


def asks_for_human(text: str, phrases: tuple[str, ...]) -> bool:
    """True when the message asks for a person, in any of the staff-listed phrasings."""
    folded = fold(text)
    return any(fold(phrase) and fold(phrase) in folded for phrase in phrases)
