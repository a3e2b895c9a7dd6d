"""The weak-sign layer of crisis detection: signs that count only together.

Some words are a danger sign only beside others. 「ロープ買ってきた」 is moving house, and
「もういいよね」 is a shrug; together they are a person who has prepared. A category's ``weak``
patterns in ``crisis.yaml`` (written like ``patterns``: words in order, any inflection) are a
sign only when the message also shows distress (a word or emoji of ``distress``: ばいばい, 😭,
もう無理) or holds another of the same category's weak patterns over other words
(「片付けも終わった」 and 「猫の引き取り先」: affairs put in order; 「休みがない」 and
「お金もらえない」: forced labour). Two patterns that read the same words are one sign.
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
        placed: list[tuple[str, str, str, tuple[int, ...]]] = []  # reading: ja or latin
        if analysis is not None:
            placed += [(c, w, "ja", at)
                       for c, w, at in self._patterns.placed_in_analysis(analysis, kept)]
        if words and self._patterns.has_latin:
            placed += [(c, w, "latin", at)
                       for c, w, at in self._patterns.placed_in_latin(words.split())]
        found: dict[str, list[tuple[str, frozenset[tuple[str, int]]]]] = {}
        for category, written, reading, at in placed:
            found.setdefault(category, []).append(
                (written, frozenset((reading, i) for i in at)))
        if not found:
            return
        distress = next((word for word in self._distress if word in folded), None)
        for category, signs in found.items():
            pair = _two_apart(signs)
            if pair is not None:
                yield category, f"{pair[0]} & {pair[1]}"
            elif distress is not None:
                yield category, f"{signs[0][0]} & 「{distress}」"


def _two_apart(signs: list[tuple[str, frozenset[tuple[str, int]]]]) -> tuple[str, str] | None:
    """Two different patterns over different words: two pieces of evidence, not one phrase
    two patterns read (「急に倒れて」 is one collapse, not a collapse and a fall)."""
    for index, (written, where) in enumerate(signs):
        for other, elsewhere in signs[index + 1:]:
            if other != written and not where & elsewhere:
                return written, other
    return None
