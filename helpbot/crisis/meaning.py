"""The meaning layer of crisis detection: nearness to example sentences, in any language.

Each category in ``crisis.yaml`` lists ``exemplars``, whole sentences people in that danger
write. A message fires when its sentence vector (the packaged multilingual encoder that
matching uses, so the vector is already computed) is at least ``threshold`` close to an
exemplar AND closer to it, by ``margin``, than to every question of the NPO's own FAQ. The
second condition is what keeps 「離婚の手続きを知りたい」 with the FAQ and
「夫に毎日叩かれて怖い」 with the exemplars: the NPO's everyday questions are the negatives,
so the method carries over to any NPO's ``faq/``.

A long message is also scored sentence by sentence (``sentences``): one vector for a whole
question about rent and papers dilutes the one sentence at its end that says the writer is
afraid of what they will do tonight, so the nearest exemplar of any sentence counts.

Messages written in kana alone are left to the word layers: the encoder's vectors for them
are noise (see :mod:`helpbot.matching.hybrid`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from helpbot.crisis.kana import KANA_THRESHOLD, kana_lexicon, read_back
from helpbot.crisis.learned import NONE, CrisisModel, Likely, builtin_everyday, load_model
from helpbot.knowledge.crisis_file import CrisisRules
from helpbot.matching.kana import kana_only
from helpbot.matching.language import detect as detect_language
from helpbot.matching.language import is_burmese, is_foreign

if TYPE_CHECKING:  # numpy and the encoder load with the matcher, not with this module
    from helpbot.matching.semantic import SentenceEncoder

logger = logging.getLogger(__name__)

THRESHOLD = 0.6
MARGIN = 0.06
NEAR_MISS = 0.08  # this much under the threshold is a near miss, kept for staff to review
# Of the languages people write to Japanese NPOs in, these are not among the encoder's 16:
# its vectors for them are noise, so they are left to the word lists (Burmese too: is_burmese).
UNKNOWN_TO_ENCODER = frozenset({"vi", "tl", "ne", "id"})
# Where a sentence ends (full stops, ! and ?, line breaks), and where a long one's clauses do.
_SENTENCE_END = re.compile(r"(?<=[。．！？!?\n])|(?<=[.;])\s+")
_CLAUSE_END = re.compile(r"(?<=[、，])")
LONG_MESSAGE = 40  # characters; shorter messages are one sentence to the encoder
SENTENCE_MIN = 6  # characters; shorter pieces carry too little meaning to score alone
MAX_SENTENCES = 8  # the last ones are kept: danger is most often told at the end
# The learned layer does not fire on a message that is, to the encoder, one of the NPO's own
# questions or an everyday message (this near, and nearer than to any example sentence):
# 「今日食べるものがありません」 is the sample FAQ's food-today question, and the FAQ answers it
# with where to get food today.
EVERYDAY_SAME = 0.95
# Too little to read. The encoder's vector for 「ok」「k」「w」「fine」「im fine」「NPO」 lies
# where all very short strings lie, and the learned model gave them 0.94-0.98 of suicide: a
# message of fewer words than this (or, in a script written without spaces, fewer letters)
# is left to the word lists; the danger in it is too short to be said in a way they miss.
MIN_WORDS = 3
MIN_LETTERS = 3
# A short phrase (fewer than AGREE_BELOW times those minimums) needs both encoder-based views
# to agree: the learned model does not fire on one clearly nearer (by AGREE_GAP) to one of the
# NPO's questions or an everyday message than to every example sentence (「夜中にすみません」),
# and the example sentences do not fire on one the model finds more likely harmless than not
# (「包丁の研ぎ方」). Longer messages carry enough for either view alone: applied to every
# message of under 40 characters, the rule also silenced a few real crises.
AGREE_GAP = 0.1
AGREE_CHANCE = 0.5
AGREE_BELOW = 3
_LETTER = re.compile(r"[^\W\d_]")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f\u0e00-\u0e7f"
                       r"\u1000-\u109f]")  # kana, kanji, Thai, Burmese: no spaces between words


def sentences(text: str) -> list[str]:
    """The sentences of a long message, a long sentence cut at its commas, worth scoring on
    their own; nothing for a short message, which is scored whole."""
    text = text.strip()
    if len(text) < LONG_MESSAGE:
        return []
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        parts = _CLAUSE_END.split(sentence) if len(sentence) >= LONG_MESSAGE else [sentence]
        pieces += [p.strip() for p in parts if len(p.strip()) >= SENTENCE_MIN]
    return pieces[-MAX_SENTENCES:] if len(pieces) > 1 else []


def too_little(text: str, times: int = 1) -> bool:
    """Too few words (or letters, in Japanese, Chinese, Thai, Burmese) for the encoder-based
    layers to decide alone: 「ok」「k」「im fine」 (the word layers still read them); with
    ``times``, fewer than that many times the minimum."""
    if _UNSPACED.search(text):
        return len(_LETTER.findall(text)) < MIN_LETTERS * times
    return sum(1 for word in text.split() if _LETTER.search(word)) < MIN_WORDS * times


def agree(text: str, nearest: Nearest | None, likely: Likely | None, layer: str) -> bool:
    """Whether the other encoder-based view lets ``layer`` (meaning or learned) fire on this
    message: always for one longer than a short phrase or when there is no other view; for a
    short phrase, see ``AGREE_GAP`` and ``AGREE_CHANCE``."""
    if not too_little(text, AGREE_BELOW):
        return True
    if layer == "meaning":
        return likely is None or likely.probability >= AGREE_CHANCE
    return nearest is None or nearest.similarity >= nearest.faq_similarity - AGREE_GAP


@dataclass(frozen=True, slots=True)
class Nearest:
    category: str
    exemplar: str
    similarity: float
    faq_similarity: float

    @property
    def fires(self) -> bool:
        return self.similarity >= THRESHOLD and self.similarity - self.faq_similarity >= MARGIN

    @property
    def near_miss(self) -> bool:
        return not self.fires and self.similarity >= THRESHOLD - NEAR_MISS


class MeaningLayer:
    """Exemplar vectors of every category; the FAQ's phrasings, ``not_crisis`` and the everyday
    messages shipped with helpbot (``learned.builtin_everyday``) as negatives.

    Entry vectors are cached by text (see :mod:`helpbot.matching.semantic`): the FAQ's
    phrasings were embedded by the matcher already, so building this costs little.
    """

    def __init__(
        self, rules: CrisisRules, encoder: SentenceEncoder, everyday: Sequence[str]
    ) -> None:
        pairs = [(c.key, e) for c in rules.categories for e in c.exemplars]
        self._encoder = encoder
        self._categories = [key for key, _ in pairs]
        self._exemplars = [text for _, text in pairs]
        self._vectors = encoder.encode_entries(self._exemplars) if pairs else None
        negatives = [t for t in (*everyday, *rules.not_crisis, *builtin_everyday()) if t.strip()]
        self._faq = encoder.encode_entries(negatives) if negatives else None
        self._model = load_model()
        self._kana = kana_lexicon(tuple(dict.fromkeys(
            (*self._exemplars, *rules.not_crisis, *builtin_everyday())))) \
            if self._model is not None else None

    @staticmethod
    def applies_to(text: str) -> bool:
        """Not for kana alone (noise to the encoder), nor languages it was not trained on."""
        if kana_only(text) or is_burmese(text):
            return False
        return detect_language(text) not in UNKNOWN_TO_ENCODER  # Thai: "en", the encoder knows it

    def prepare(self, text: str) -> None:
        """Encode the message now (matching does this before triage in the service)."""
        if self._vectors is not None and text.strip() and self.applies_to(text):
            with self._encoder.single_thread():
                self._encoder.encode_query(text[:500])

    def nearest(self, text: str) -> Nearest | None:
        """The nearest exemplar of the whole message or, in a long one, of any sentence: a
        sentence that fires wins over the whole, else the closest of them all."""
        if self._vectors is None or not text.strip() or not self.applies_to(text):
            return None
        vectors = self._vectors
        found = [self._nearest(text[:500], vectors)]
        found += [self._nearest(s[:500], vectors) for s in sentences(text) if self.applies_to(s)]
        return max(found, key=lambda n: (n.fires, n.similarity))

    def likely(self, text: str) -> Likely | None:
        """The learned model's view (``learned.py``) of the whole message and, in a long one,
        of each sentence: the most alarming of them. A kana-only message is read back into
        kanji first, and judged more strictly (``crisis/kana.py``)."""
        model = self._model
        if model is None or not text.strip():
            return None
        if kana_only(text) and self._kana is not None:
            spelt = read_back(self._kana, text)
            if spelt is None or not self.applies_to(spelt):
                return None
            found = self._likely(model, spelt)
            return Likely(found.probability, found.category,
                          max(KANA_THRESHOLD, found.threshold), found.everyday)
        return self._likely(model, text) if self.applies_to(text) else None

    def _likely(self, model: CrisisModel, text: str) -> Likely:
        """The most alarming of the whole and its sentences; when that is alarming, again
        without the sentences that are one of the NPO's questions or an everyday message
        (「夜分にすみません。」, a closing 「よろしくお願いします。」), from the whole too."""
        foreign = is_foreign(detect_language(text))
        found = self._score(model, [text[:500], *sentences(text)], foreign)
        if found is None or not found.fires:
            return found or Likely(0.0, NONE, model.threshold)  # most messages: no more to do
        said = [s.strip() for s in _SENTENCE_END.split(text[:2000]) if s.strip()]
        rest = "".join(s for s in said if not (len(said) > 1 and self._everyday(s))) or text
        kept = [p for p in (rest[:500], *sentences(rest)) if not self._everyday(p)]
        again = self._score(model, kept, foreign) if kept else None
        # nothing left that the encoder can place: the message was the NPO's or everyday
        return again or Likely(found.probability, found.category, found.threshold, everyday=True)

    def example_of(self, text: str, category: str) -> str:
        """The example sentence of ``category`` nearest the message or one of its sentences:
        what a learned hit shows the case worker ("" when the category has none). The nearest
        example of all may belong to another category, which would only confuse."""
        rows = [i for i, c in enumerate(self._categories) if c == category]
        if self._vectors is None or not rows or not text.strip():
            return ""
        pieces = [p for p in (text[:500], *sentences(text)) if self.applies_to(p)] or [text[:500]]
        with self._encoder.single_thread():
            similarities = [self._vectors[rows] @ self._encoder.encode_query(p) for p in pieces]
        best = max(similarities, key=lambda s: float(s.max()))
        return self._exemplars[rows[int(best.argmax())]]

    def _score(self, model: CrisisModel, pieces: Sequence[str], foreign: bool) -> Likely | None:
        """The model's view of the pieces the encoder can place (None: of none of them)."""
        with self._encoder.single_thread():
            vectors = [self._encoder.encode_query(p[:500]) for p in pieces if self.applies_to(p)]
        return model.likely(vectors, foreign=foreign) if vectors else None

    def _everyday(self, piece: str) -> bool:
        if self._vectors is None:
            return False
        nearest = self._nearest(piece, self._vectors)
        return nearest.faq_similarity >= max(EVERYDAY_SAME, nearest.similarity)

    def _nearest(self, text: str, vectors: Any) -> Nearest:
        with self._encoder.single_thread():
            query = self._encoder.encode_query(text)
            similarities = vectors @ query
            faq = float((self._faq @ query).max()) if self._faq is not None else 0.0
        best = int(similarities.argmax())
        return Nearest(
            category=self._categories[best],
            exemplar=self._exemplars[best],
            similarity=float(similarities[best]),
            faq_similarity=faq,
        )
