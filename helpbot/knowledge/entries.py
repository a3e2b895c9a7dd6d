"""What staff write in ``faq/``: FAQ entries and support programs, as plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from helpbot.knowledge.problem_texts import japanese_hint, japanese_message

if TYPE_CHECKING:
    from helpbot.core.texts import TextCatalogue
    from helpbot.knowledge.crisis_file import CrisisRules
    from helpbot.knowledge.policies import StaffPolicy
    from helpbot.programs.records import ProgramRecord


class EntryKind(StrEnum):
    FAQ = "faq"
    PROGRAM = "program"


@dataclass(frozen=True, slots=True)
class Contact:
    phone: str | None = None
    url: str | None = None
    address: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """One answerable entry: an FAQ or a support program.

    A support program is answered like an FAQ entry: ``question`` is its name (plus
    alternates), ``answer`` is rendered from its fields when the file gives none.
    """

    id: str
    kind: EntryKind
    question: str
    answer: str
    alternates: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    category: str | None = None
    language: str = "ja"
    source: str = ""  # "faq/food.yaml:12", for error messages and staff tools
    # Support-program fields (None / empty for plain FAQ entries).
    name: str | None = None
    summary: str | None = None
    eligibility: str | None = None
    area: str | None = None
    how_to_apply: str | None = None
    contact: Contact = field(default_factory=Contact)
    hours: str | None = None
    last_checked: dt.date | None = None
    deadline: dt.date | None = None
    # HSDS service status: "active", "inactive" or "defunct"; only active entries are offered.
    status: str = "active"
    area_code: str | None = None  # 全国地方公共団体コード, when the file gives one
    # Columns of an open-data CSV that helpbot has no field for, kept as written.
    extra: tuple[tuple[str, str], ...] = ()
    # The structured record (HSDS fields, conditions) the program finder reads.
    program: ProgramRecord | None = None
    # Translations of the answer, ("en", "...") pairs from answer_en, answer_easy, ...
    translations: tuple[tuple[str, str], ...] = ()
    # Translations of the question, ("en", "...") pairs from question_en, question_easy, ...
    question_translations: tuple[tuple[str, str], ...] = ()

    def phrasings(self) -> tuple[str, ...]:
        """The question and every alternate phrasing, for matching."""
        return (self.question, *self.alternates)

    def answer_in(self, language: str | None) -> str | None:
        """The answer written for ``language`` ("easy": やさしい日本語), None without one."""
        if language is None or language == self.language:
            return self.answer
        return dict(self.translations).get(language)

    def question_in(self, language: str | None) -> str | None:
        """The question written for ``language`` ("easy": やさしい日本語), None without one."""
        if language is None or language == self.language:
            return self.question
        return dict(self.question_translations).get(language)


@dataclass(frozen=True, slots=True)
class Problem:
    """A mistake in a knowledge file, told to staff with file, line and a hint."""

    file: str
    line: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        """``file:line: 日本語 / English (hint: ヒント / hint)`` for staff and developers."""
        text = f"{self.file}:{self.line}: {self.bilingual_message()}"
        return f"{text} (hint: {self.bilingual_hint()})" if self.hint else text

    def bilingual_message(self) -> str:
        japanese = japanese_message(self.message)
        return f"{japanese} / {self.message}" if japanese else self.message

    def bilingual_hint(self) -> str:
        japanese = japanese_hint(self.hint) if self.hint else None
        return f"{japanese} / {self.hint}" if japanese else self.hint


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """Every entry loaded from one ``faq/`` folder, in file order."""

    entries: tuple[Entry, ...]
    synonyms: tuple[tuple[str, ...], ...] = ()
    # From crisis.yaml and staff.yaml; None when the folder has no such file.
    crisis: CrisisRules | None = None
    staff: StaffPolicy | None = None
    # Things staff should know that do not stop the files from being used (a Shift_JIS file
    # that was converted, open-data columns kept as they are), told by `helpbot faq check`.
    notices: tuple[Problem, ...] = ()
    # From texts.yaml: {text name: {language: text}}, and category labels the same way.
    texts: TextCatalogue | None = None

    def by_id(self) -> dict[str, Entry]:
        return {entry.id: entry for entry in self.entries}

    def categories(self) -> list[str]:
        """Categories ordered by how many entries they hold, most first."""
        counts: dict[str, int] = {}
        for entry in self.entries:
            if entry.category:
                counts[entry.category] = counts.get(entry.category, 0) + 1
        return sorted(counts, key=lambda c: (-counts[c], c))
