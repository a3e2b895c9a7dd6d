"""A person who asks for one of crisis.yaml's phone lines gets it: its name, number and hours.

- By name: 「いのちの電話の番号教えて」, "Yorisoi Hotline number?", 「DV相談ナビ」. A line's
  name is each of its ``name:`` texts up to the first bracket or comma (いのちの電話（10時〜22時）
  -> いのちの電話), compared without width, case, spaces or accents.
- By topic: a word for a phone line (電話, 番号, hotline, số điện thoại …) with a word of a
  crisis category's ``name`` (自殺・自傷 -> 自殺, 自傷): that category's ``call`` lines.

Danger is looked for first (conversation/handoff.py); this comes after it, before matching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from helpbot.conversation.handoff import DEFAULT_STAFF_POLICY
from helpbot.conversation.turn import TurnContext
from helpbot.core.messages import Reply
from helpbot.crisis.resources import hotline_lines
from helpbot.crisis.text import fold
from helpbot.knowledge.crisis_file import CrisisRules
from helpbot.matching.accents import plain

# Words that ask for a phone line, in the languages of the catalogue.
PHONE_WORDS = (
    "電話", "でんわ", "番号", "ばんごう", "ダイヤル", "ホットライン", "連絡先", "相談窓口",
    "phone", "number", "hotline", "helpline", "call", "contact", "电话", "号码", "热线",
    "전화", "번호", "dienthoai", "sodienthoai", "telefone", "telefono", "numero", "telepono",
    "फोन", "नम्बर", "nomor", "telepon",
)
MIN_NAME = 4  # folded characters: shorter names (警察, 110) are words of everyday questions
_NAME_END = re.compile(r"[（(,、，:：]")


def _folded(text: str) -> str:
    return plain(fold(text))


@dataclass(frozen=True, slots=True)
class _Folded:
    """One crisis.yaml's names and topics, folded once (not on every message)."""

    rules: CrisisRules
    names: dict[str, str]  # folded name -> hotline id, from every language's name
    topics: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]  # (folded topics, call)


_last: list[_Folded] = []  # the knowledge version served now, by identity


def _folded_rules(rules: CrisisRules) -> _Folded:
    last = _last[0] if _last else None  # one read: another thread may replace it
    if last is not None and last.rules is rules:
        return last
    names: dict[str, str] = {}
    for key, hotline in rules.hotlines.items():
        for text in hotline.names.values():
            name = _folded(_NAME_END.split(text, maxsplit=1)[0])
            if len(name) >= MIN_NAME:
                names.setdefault(name, key)
    topics = tuple(
        (tuple(t for w in re.split(r"[・/、,]", category.name) if len(t := _folded(w)) >= 2),
         category.call)
        for category in rules.categories
    )
    entry = _Folded(rules, names, topics)
    _last[:] = [entry]
    return entry


@cache
def _phone_words() -> tuple[str, ...]:
    return tuple(_folded(word) for word in PHONE_WORDS)


def asked_lines(rules: CrisisRules, text: str) -> tuple[str, ...]:
    """The hotlines ``text`` asks for, by name or by topic; () for any other message."""
    folded = _folded(text)
    known = _folded_rules(rules)
    asks_for_a_phone = any(word in folded for word in _phone_words())
    said = {name: key for name, key in known.names.items() if name in folded}
    # a name with a word for a phone, or (almost) alone: "police" in "where is the police
    # station" is not a request for the line
    if said and (asks_for_a_phone or len(folded) - max(map(len, said)) <= MIN_NAME):
        return tuple(dict.fromkeys(said.values()))
    if not asks_for_a_phone:
        return ()
    for topics, call in known.topics:
        if any(t in folded for t in topics):
            return call
    return ()


def hotline_reply(ctx: TurnContext, text: str) -> Reply | None:
    """The lines asked for, in the person's language, those open now first; None if none."""
    rules = ctx.kb.crisis
    calls = asked_lines(rules, text) if rules is not None else ()
    if not calls or rules is None:
        return None
    local = ctx.now.astimezone((ctx.kb.staff or DEFAULT_STAFF_POLICY).zone)
    lines = hotline_lines(rules, calls, ctx.contact.language or "ja", local)
    return Reply(text=lines) if lines else None
