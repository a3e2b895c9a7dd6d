"""The person's language: noticed on every message, remembered, and used for every reply.

- Each text message updates ``contact.language`` (one detector for the product:
  :mod:`helpbot.matching.language`); a message too short to tell keeps the earlier one.
- 「やさしい日本語で」 or 「ひらがなで」 switches the person to やさしい日本語: remembered in
  ``contacts.easy_japanese`` (shown in the case view); while it is on, a Japanese message
  makes the language ``"easy"``, so every text of the catalogue (``faq/texts.yaml``) and every
  answer with an ``answer_easy`` comes in its easy form. 「ふつうの日本語で」 switches back.
- An answer is sent in the person's language when the entry has it (``answer_en``, …);
  otherwise in やさしい日本語 (or the Japanese answer) under one line in their language that
  says so, and the staff button is offered.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from helpbot.core.texts import phrases
from helpbot.knowledge.entries import Entry
from helpbot.matching.language import detect, is_foreign
from helpbot.storage.models import Contact

EASY = "easy"
_PLAIN_ON = "わかりました。これから ふつうの 日本語で こたえます。"
_EASY_REQUESTS = re.compile(
    r"(やさしい|優しい|易しい|かんたんな|簡単な)(日本語|にほんご|ニホンゴ)|ひらがなで|ひらがなに|"
    r"easy japanese|simple japanese"
)
_PLAIN_REQUESTS = re.compile(r"(ふつうの|普通の)(日本語|にほんご)")
_NOISE = re.compile(r"[\s、。！？!?,.・「」『』（）()ー〜~]+")
_LEFTOVER = re.compile(r"(で|に|でお願い|でおねがい|でたのむ|で話して|ではなして|にして|please)+")


def spoken(contact: Contact, detected: str) -> str:
    """The language to answer in: the detected one, or やさしい日本語 for Japanese when the
    person asked for it."""
    return EASY if detected == "ja" and contact.easy_japanese else detected


def _request_only(text: str, pattern: re.Pattern[str]) -> bool:
    """True when the message is the request and (almost) nothing else."""
    rest = _NOISE.sub("", pattern.sub("", text))
    rest = _LEFTOVER.sub("", rest).replace("します", "").replace("ください", "")
    return len(rest) <= 2


@dataclass(frozen=True, slots=True)
class Switch:
    """A change of the person's reply language asked for in a message."""

    easy: bool
    request_only: bool  # the message said nothing else: confirm the switch and stop


def note_language(contact: Contact, text: str) -> Switch | None:
    """Update the contact's language from a message; return the switch it asks for, if any."""
    folded = unicodedata.normalize("NFKC", text).lower()
    switch: Switch | None = None
    if _EASY_REQUESTS.search(folded):
        contact.easy_japanese = True
        switch = Switch(easy=True, request_only=_request_only(folded, _EASY_REQUESTS))
    elif _PLAIN_REQUESTS.search(folded):
        contact.easy_japanese = False
        switch = Switch(easy=False, request_only=_request_only(folded, _PLAIN_REQUESTS))
    language = "ja" if switch is not None else detect(text)
    if language is not None:
        spoken_now = spoken(contact, language)
        if contact.language != spoken_now:  # not assigned again: no ORM flush for nothing
            contact.language = spoken_now
    return switch


def switch_confirmation(switch: Switch, contact: Contact) -> str:
    """What the bot says when the person switched (in the language just chosen)."""
    return phrases(contact.language).easy_on if switch.easy else _PLAIN_ON


def answer_for(entry: Entry, contact: Contact) -> tuple[str, bool]:
    """The answer text for this person, and whether to offer staff (no translation)."""
    language = contact.language or "ja"
    if not is_foreign(language):
        easy = entry.answer_in(EASY) if language == EASY else None
        return easy or entry.answer, False
    own = entry.answer_in(language)
    if own is not None:
        return own, False
    easy = entry.answer_in(EASY)
    if easy is None and entry.language not in ("ja", EASY):
        return entry.answer, True  # an English entry: no "here it is in Japanese" note
    note = phrases(language).in_easy_japanese
    fallback = easy or entry.answer
    return (f"{note}\n\n{fallback}" if note else fallback), True
