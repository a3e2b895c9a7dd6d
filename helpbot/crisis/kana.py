"""Messages written in kana alone, read back into kanji for the learned layer.

The sentence encoder's vector for 「おっとに たたかれた。いま といれに かくれてる」 is noise, so
the meaning and learned layers leave kana-only messages to the word lists, and on the third
crisis set those found 26 of 34 (the simple Japanese of people who cannot write kanji yet:
technical trainees, children, elderly people). Read back with the kana lexicon matching uses
(:class:`helpbot.matching.kana.KanaLexicon`), built from the words of ``crisis.yaml``'s example
sentences, its ``not_crisis`` phrases and the everyday messages shipped with helpbot, the same
message is 「夫に 叩かれた。今トイレに 隠れてる」, which the encoder can place.

A message read back this way is judged by the learned layer only, at ``KANA_THRESHOLD``: the
lowest threshold (of 0.96, 0.975, 0.99, 0.995) at which the 499 LocalgovFAQ dev questions,
spelt in hiragana with one slip, gained at most one alarm (6, 3, 1 and 1 more); the third set
then found 29 of its 34 kana-only crises (docs/benchmarks.md).
"""

from __future__ import annotations

import functools
import re

from helpbot.matching.kana import KanaLexicon, has_kanji
from helpbot.matching.tokenize import Analyzer

KANA_THRESHOLD = 0.99
_KANA = re.compile(r"[\u3040-\u30ff]")


@functools.lru_cache(maxsize=2)
def kana_lexicon(texts: tuple[str, ...]) -> KanaLexicon:
    """The readings of the words of the Japanese ``texts`` (built when a crisis.yaml is loaded,
    kept while it is unchanged). Texts without kana are left out: Sudachi reads the Chinese
    example 「我想死」 as Japanese, and its 想死 (そうし) spelt 「そうしたらいい」
    「想死たらいい」."""
    analyzer = Analyzer()
    analyses = analyzer.analyze_many([(text, True) for text in texts if _KANA.search(text)])
    return KanaLexicon(item for analysis in analyses for item in analysis.lexicon)


def read_back(lexicon: KanaLexicon, text: str) -> str | None:
    """The kana-only message with the words the lexicon knows spelt in kanji, or None when
    it knows none of them."""
    spelt = lexicon.read(text[:500]).text
    return spelt if has_kanji(spelt) else None
