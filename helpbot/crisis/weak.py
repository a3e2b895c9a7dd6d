"""The weak-sign layer of crisis detection: signs that count only together.

Some words are a danger sign only beside others. 「ロープ買ってきた」 is moving house, and
「もういいよね」 is a shrug; together they are a person who has prepared. A category's ``weak``
patterns in ``crisis.yaml`` (written like ``patterns``: words in order, any inflection) are a
sign only when the message also shows distress (a word or emoji of ``distress``: ばいばい, 😭,
もう無理) or holds another of the same category's weak patterns (「片付けも終わった」 and
「猫の引き取り先」: affairs put in order; 「休みがない」 and 「お金もらえない」: forced labour).
"""

from __future__ import annotations

from collections.abc import Iterator

from helpbot.crisis.patterns import Patterns
from helpbot.crisis.text import Analysis, Morphology, fold
from helpbot.knowledge.crisis_file import CrisisRules


class WeakSigns:
    """The categories' weak patterns and the distress words that make one of them count."""

    def __init__(self, rules: CrisisRules, morphology: Morphology) -> None:
        self._patterns = Patterns(rules, morphology, weak=True)
        self._distress = tuple(k for d in rules.distress if (k := fold(d)))

    def find(self, analysis: Analysis | None, kept: list[bool], words: str, folded: str
             ) -> Iterator[tuple[str, str]]:
        """(category, why) for each category whose weak patterns count in the message: its
        ``analysis`` (Japanese, ``kept`` words only), its Latin ``words``, its ``folded`` text."""
        found: dict[str, list[str]] = {}
        if analysis is not None:
            for category, written in self._patterns.in_analysis(analysis, kept):
                found.setdefault(category, []).append(written)
        if words and self._patterns.has_latin:
            for category, written in self._patterns.in_latin(words.split()):
                found.setdefault(category, []).append(written)
        if not found:
            return
        distress = next((word for word in self._distress if word in folded), None)
        for category, written in found.items():
            kinds = list(dict.fromkeys(written))
            if len(kinds) >= 2:
                yield category, " & ".join(kinds[:2])
            elif distress is not None:
                yield category, f"{kinds[0]} & 「{distress}」"
