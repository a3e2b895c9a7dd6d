"""Mask personal data before a message goes to the staff channel or the logs.

A case worker needs to know what the person needs, not their phone number or address; those
stay in helpbot's database. Masked: e-mail addresses, phone numbers (Japanese and
international), postcodes and street addresses, My Number (12 digits with a valid check
digit), card numbers (13-19 digits passing Luhn), bank account numbers, other long numbers,
birthdates, a name the person gives (「名前は〇〇です」, 「〇〇と申します」, and in nine other
languages "my name is", 「Me llamo」, 「Tên tôi là」: ``cases/foreign_names.py``), and,
where this process has Sudachi loaded, the person names Sudachi tags and the words around
confirm (「田中花子です」, 「夫の佐藤が」, 「田中さん」: see ``cases/names.py``). Place names stay.
Where a person's text is stored, those names are kept with it (:func:`with_names`), so a process
without Sudachi (the web process, redrawing a case after a Slack button) masks them too.

Numbers the NPO publishes in ``faq/`` (hotlines, its own phone, numbers in answers) stay
visible: pass them as ``public`` (see :func:`public_numbers`). Only the personal data itself is
replaced; the text around it is kept exactly as written (matching runs on an NFKC-folded
copy, replacements are made in the original).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from helpbot.cases.foreign_names import find_foreign_names
from helpbot.cases.names import find_names, names_available
from helpbot.cases.pii_rules import (
    ADDRESS,
    ADDRESS_ANCHOR,
    ADDRESS_REACH,
    BIRTHDATE_AFTER,
    BIRTHDATE_BEFORE,
    EMAIL,
    GENERIC_NUMBER,
    NAME_AFTER_LABEL,
    NAME_BEFORE_MOSHIMASU,
    NOT_A_NAME,
    NUMBER,
    classify_number,
)
from helpbot.knowledge.entries import KnowledgeBase

MAX_DIGITS = 19  # the longest personal number (a card)
NAMES_KEY = "names"  # messages.extra: [start, end] of each person name in the stored text
NameSpans = Sequence[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    label: str


def _folded(text: str) -> tuple[str, list[int]]:
    """NFKC-folded text and, for each folded character, the index of its original one."""
    parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char)
        parts.append(folded)
        origin.extend([index] * len(folded))
    return "".join(parts), origin


def digits_of(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isascii() and c.isdigit())


def public_numbers(texts: Iterable[str]) -> frozenset[str]:
    """The digits of every phone-like number in ``texts`` (what the NPO itself publishes)."""
    found: set[str] = set()
    for text in texts:
        folded, _ = _folded(text)
        for match in NUMBER.finditer(folded):
            digits = digits_of(match.group())
            if len(digits) >= 3:
                found.add(digits)
    return frozenset(found)


def find_personal_data(
    text: str, *, public: Collection[str] = (), names: bool | None = None,
    known_names: NameSpans | None = None,
) -> list[Span]:
    """Where the personal data is in ``text`` (indices into the original text).

    ``names``: also the person names Sudachi finds (:mod:`.names`); by default where this
    process has Sudachi loaded, the label rules alone elsewhere. ``known_names``: the names
    found when the text was stored (:func:`stored_names`), used instead of looking again."""
    folded, origin = _folded(text)
    found: list[Span] = []

    def add(start: int, end: int, label: str) -> None:
        if start < end:
            found.append(Span(origin[start], origin[end - 1] + 1, label))

    for match in EMAIL.finditer(folded):
        add(match.start(), match.end(), "[メール]")
    for anchor in ADDRESS_ANCHOR.finditer(folded):
        window = (max(0, anchor.start() - ADDRESS_REACH), min(len(folded), anchor.end() + 20))
        for match in ADDRESS.finditer(folded, *window):
            add(match.start("place"), match.end("place"), "[住所]")
    for pattern in (BIRTHDATE_BEFORE, BIRTHDATE_AFTER):
        for match in pattern.finditer(folded):
            add(match.start("date"), match.end("date"), "[生年月日]")
    for pattern in (NAME_AFTER_LABEL, NAME_BEFORE_MOSHIMASU):
        for match in pattern.finditer(folded):
            if NOT_A_NAME.search(match.group("name")) is None:
                add(match.start("name"), match.end("name"), "[名前]")
    for start, end in find_foreign_names(folded):
        add(start, end, "[名前]")
    if known_names is None and (names if names is not None else names_available()):
        known_names = _names_in(folded, origin)
    found.extend(Span(start, end, "[名前]") for start, end in known_names or ())
    for match in NUMBER.finditer(folded):
        for start, end, label in _numbers_in(match.group(), public=public, offset=match.start(),
                                             folded=folded):
            add(start, end, label)
    return _without_overlaps(found)


def _numbers_in(
    raw: str, *, public: Collection[str], offset: int, folded: str
) -> Iterable[tuple[int, int, str]]:
    """Split a run of digit groups into the longest pieces that are personal data.

    「090-1234-5678 3日」 masks the phone number and keeps 「3日」; a public number is kept.
    A piece holds at most ``MAX_DIGITS`` digits (a card number), so long runs stay fast.
    """
    groups = [(m.start(), m.end()) for m in re.finditer(r"\d+", raw)]
    first = 0
    while first < len(groups):
        start = 0 if first == 0 else groups[first][0]  # the first keeps its "+" or "("
        last, digits_count = first, groups[first][1] - groups[first][0]
        while last + 1 < len(groups):
            more = groups[last + 1][1] - groups[last + 1][0]
            if digits_count + more > MAX_DIGITS:
                break
            last, digits_count = last + 1, digits_count + more
        before = folded[max(0, offset + start - 12):offset + start]
        found: tuple[int, str | None] | None = None
        for index in range(last, first - 1, -1):
            piece = raw[start:groups[index][1]]
            digits = digits_of(piece)
            if digits in public:
                found = (index, None)
                break
            label = classify_number(piece, digits, before=before)
            if label == GENERIC_NUMBER:  # a long number: unless a shorter piece says more
                found = found or (index, label)
            elif label is not None:
                found = (index, label)
                break
        if found is None:
            first += 1
            continue
        index, label = found
        if label is not None:
            yield offset + start, offset + groups[index][1], label
        first = index + 1


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """Keep the earliest, then longest span where two overlap."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if kept and span.start < kept[-1].end:
            if span.end > kept[-1].end and kept[-1].label == "[住所]":
                kept[-1] = Span(kept[-1].start, span.end, kept[-1].label)
            continue
        kept.append(span)
    return kept


def mask_personal_data(
    text: str, *, public: Collection[str] = (), names: bool | None = None,
    known_names: NameSpans | None = None,
) -> str:
    """The text with personal data replaced by labels such as [電話番号]; the rest untouched."""
    pieces: list[str] = []
    at = 0
    for span in find_personal_data(text, public=public, names=names, known_names=known_names):
        pieces.append(text[at:span.start])
        pieces.append(span.label)
        at = span.end
    pieces.append(text[at:])
    return "".join(pieces)


def name_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) in ``text`` itself of each person name (found on the folded copy, as
    masking finds them: 「ﾏﾘｱです」)."""
    return _names_in(*_folded(text))


def _names_in(folded: str, origin: list[int]) -> list[tuple[int, int]]:
    """Sudachi's person names in the folded text, as offsets into the original."""
    return [(origin[start], origin[end - 1] + 1) for start, end in find_names(folded)]


def with_names(extra: dict[str, Any] | None, text: str) -> dict[str, Any] | None:
    """A person's message's ``extra`` with the names in ``text``, found where this process has
    Sudachi (the worker, the web chat): any process masks them later from the row, without
    Sudachi. Unchanged where Sudachi is not loaded or no name is found (masked as before)."""
    spans = name_spans(text) if text and names_available() else []
    return {**(extra or {}), NAMES_KEY: [list(span) for span in spans]} if spans else extra


def stored_names(extra: Mapping[str, Any] | None, text: str) -> list[tuple[int, int]] | None:
    """The names kept with a message by :func:`with_names`; None when it has none (an older
    row, or one stored without Sudachi). A pair that does not fit ``text`` is left out."""
    kept = (extra or {}).get(NAMES_KEY)
    if not isinstance(kept, list):
        return None
    return [
        (pair[0], pair[1]) for pair in kept
        if isinstance(pair, list) and len(pair) == 2
        and all(isinstance(at, int) for at in pair) and 0 <= pair[0] < pair[1] <= len(text)
    ]


class Mask(Protocol):
    """What masks a text for case workers; ``known_names``: those stored with it."""

    def __call__(self, text: str, *, known_names: NameSpans | None = None) -> str: ...


class Masker:
    """``mask_personal_data`` with the NPO's public numbers, read when needed (they change)."""

    def __init__(self, public: Callable[[], Collection[str]] = frozenset) -> None:
        self._public = public

    def __call__(self, text: str, *, known_names: NameSpans | None = None) -> str:
        return mask_personal_data(text, public=self._public(), known_names=known_names)


# Masking without the NPO's public numbers (tools that have no knowledge loaded).
NO_PUBLIC_NUMBERS = Masker()


def texts_the_npo_publishes(kb: KnowledgeBase) -> Iterable[str]:
    """Every text in ``faq/`` that may carry a public number: hotlines, contact, answers."""
    if kb.crisis is not None:
        for hotline in kb.crisis.hotlines.values():
            if hotline.number:
                yield hotline.number
            yield from hotline.names.values()
        yield from kb.crisis.resources.values()
        yield from kb.crisis.intro.values()
        yield from kb.crisis.closing.values()
    if kb.staff is not None:
        yield from kb.staff.contact.values()
    for entry in kb.entries:
        yield entry.answer
        for text in (entry.contact.phone, entry.hours, entry.how_to_apply, entry.summary):
            if text:
                yield text


class KnowledgeMasker(Masker):
    """Masks with the public numbers of the knowledge being served, recomputed when it changes."""

    def __init__(self, knowledge: Callable[[], KnowledgeBase]) -> None:
        self._knowledge = knowledge
        self._seen: KnowledgeBase | None = None
        self._numbers: frozenset[str] = frozenset()
        super().__init__(self._current_numbers)

    def _current_numbers(self) -> frozenset[str]:
        kb = self._knowledge()
        if kb is not self._seen:
            self._numbers = public_numbers(texts_the_npo_publishes(kb))
            self._seen = kb
        return self._numbers
