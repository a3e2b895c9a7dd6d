"""The matcher's contract: ranked candidates with scores, and the three answer bands."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from helpbot.knowledge.entries import Entry, KnowledgeBase


@dataclass(frozen=True, slots=True)
class Candidate:
    entry: Entry
    score: float  # 0..100, higher is better; comparable to the band thresholds


class Decision(StrEnum):
    ANSWER = "answer"
    SUGGEST = "suggest"
    FALLBACK = "fallback"


@dataclass(frozen=True, slots=True)
class Bands:
    """Score thresholds: >= answer -> direct answer; >= suggest -> "did you mean"."""

    answer: float
    suggest: float

    def decide(self, candidates: Sequence[Candidate]) -> Decision:
        if not candidates or candidates[0].score < self.suggest:
            return Decision.FALLBACK
        if candidates[0].score >= self.answer:
            return Decision.ANSWER
        return Decision.SUGGEST


class Matcher(Protocol):
    """Ranks knowledge entries for a message. Built once per knowledge base."""

    bands: Bands

    def rank(self, text: str, *, limit: int = 10) -> list[Candidate]: ...

    def prepare(self, texts: Sequence[str]) -> None:
        """Messages about to be ranked, all at once (work shared between them may be done
        now); ranking is the same with or without it."""


class KnowledgeSnapshot(Protocol):
    """One knowledge version and its matcher (what the knowledge store serves)."""

    @property
    def kb(self) -> KnowledgeBase: ...
    @property
    def index(self) -> Matcher: ...


class KnowledgeSource(Protocol):
    def snapshot(self) -> KnowledgeSnapshot: ...
