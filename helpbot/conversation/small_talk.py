"""Thanks, closings and greetings ("ありがとう", "obrigado", "こんばんは", "xin chào"): a short
kind reply in the person's language, and for a greeting an invitation to write what they need.
Such a message is not a question: it is not counted as one the bot could not answer, opens
no case and is not matched against the entries (where 「こんばんは」 could look like an entry).

The words are in ``data/small_talk.yaml``, by language. A message is small talk only when
nothing is left of it once those words are taken out (「ありがとう、でも家賃が…」 is a question).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from helpbot.conversation.buttons import category_buttons
from helpbot.conversation.turn import TurnContext
from helpbot.core.messages import Reply
from helpbot.core.texts import phrases
from helpbot.matching.accents import plain

DATA_FILE = Path(__file__).with_name("data") / "small_talk.yaml"
THANKS, GREETING, ALSO = "thanks", "greetings", "also"
ANY = "any"  # words of no one language (ok, 👍): the reply stays in the person's language
_NOT_WORD = re.compile(r"[^\w\U0001F300-\U0001FAFF\u2600-\u27bf]+")  # emoji kept as words
_REPEATS = re.compile(r"(.)\1{2,}")
_LATIN = re.compile(r"[a-z]")


@dataclass(frozen=True, slots=True)
class Phrase:
    pattern: re.Pattern[str]
    kind: str  # THANKS, GREETING or ALSO
    language: str


def normalised(text: str) -> str:
    """Lower case, no accents, no marks or long-vowel signs, repeats cut to one, words apart
    by single spaces (ありがとーー!! -> ありがと, THANKS!!! -> thanks)."""
    text = plain(unicodedata.normalize("NFKC", text).lower()).replace("ー", "").replace("_", " ")
    text = _REPEATS.sub(r"\1", text)
    return " " + " ".join(_NOT_WORD.sub(" ", text).split()) + " "


def _compile(phrase: str) -> re.Pattern[str]:
    words = normalised(phrase).split()
    if _LATIN.search(phrase.lower()):  # whole words only: "hi" is not in "this"
        return re.compile(r"(?<= )" + r" +".join(map(re.escape, words)) + r"(?= )")
    return re.compile(r" *".join(re.escape(c) for c in "".join(words)))


@cache
def _phrases() -> tuple[Phrase, ...]:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    found = [
        Phrase(_compile(str(word)), kind, language)
        for language, kinds in data.items()
        for kind, words in (kinds or {}).items()
        for word in words or ()
        if normalised(str(word)).strip()
    ]
    # longest first: ありがとうございました before ありがとう
    return tuple(sorted(found, key=lambda p: -len(p.pattern.pattern)))


@cache
def _any_phrase() -> re.Pattern[str]:
    """One pattern that finds any of the words: a message without one (most questions) is
    ruled out with one search instead of one per word (about 300)."""
    return re.compile("|".join(f"(?:{p.pattern.pattern})" for p in _phrases()))


@dataclass(frozen=True, slots=True)
class Courtesy:
    kind: str  # THANKS or GREETING
    languages: frozenset[str]  # the languages of the words said (ANY not among them)


def courtesy(text: str) -> Courtesy | None:
    """What ``text`` is when it is only thanks, a closing or a greeting; None otherwise."""
    rest = normalised(text)
    if not rest.strip() or _any_phrase().search(rest) is None:
        return None
    said: list[Phrase] = []
    for phrase in _phrases():
        rest, count = phrase.pattern.subn(" ", rest)
        if count:
            said.append(phrase)
            rest = " " + " ".join(rest.split()) + " "
    kinds = {p.kind for p in said}
    if rest.strip() or not kinds - {ALSO}:
        return None
    return Courtesy(kind=THANKS if THANKS in kinds else GREETING,
                    languages=frozenset(p.language for p in said
                                        if p.language != ANY and p.kind != ALSO))


def small_talk_reply(ctx: TurnContext, text: str) -> Reply | None:
    """The kind reply to thanks or a greeting, in the person's language (the language of the
    words said, when the detector read them as another: 谢谢 is Chinese); None for a question."""
    said = courtesy(text)
    if said is None:
        return None
    language = ctx.contact.language or "ja"
    own = {language, "ja"} if language == "easy" else {language}
    if len(said.languages) == 1 and not said.languages & own:
        ctx.contact.language = language = next(iter(said.languages))
    words = phrases(language)
    if said.kind == THANKS:
        return Reply(text=words.thanks_reply)
    return Reply(text=words.greeting_reply, quick_replies=category_buttons(ctx.shown, language))
