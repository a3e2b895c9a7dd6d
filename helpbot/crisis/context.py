"""What the rest of a message says about a danger word in it (the detector's guards).

- **A danger named as a subject** (「DV防止法のレポート」「虐待の研修」): a word of
  ``about_the_topic`` (講座, 研修, 法律) in the message; a rule that only names the danger
  (DV, 虐待, ストーカー: :func:`names_a_topic`) does not fire beside it.
- **Danger that is over** (「昔DVを受けていたけれど、今は落ち着いています」): a past word and
  a calm word of ``over_now``, and nothing dangerous after the calm words.
- **Laughter** (w, 笑, 😂): rules listed under ``joking`` do not fire.
- **Notes for the case worker**: a sign negated (「死にたいとは思わない」, which still fires) or
  about someone else (「友達が死にたいと言っている」).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from helpbot.crisis.lexicon import Lexicon
from helpbot.crisis.text import fold, latin_words, only_latin
from helpbot.knowledge.crisis_file import CrisisRules

_NEGATED = re.compile(
    r"(とは|なんて|と)?(思わない|おもわない|思ってない|思つてない|わけじやない|わけではない"
    r"|わけじやなくて|つもりはない)|\b(not|don'?t|never) (want|going|suicidal)"
)
_SOMEONE_ELSE = re.compile(
    r"(友達|友だち|ともだち|友人|知り合い|同僚|先輩|後輩|母|父|姉|妹|兄|弟|娘|息子|隣|彼氏|彼女"
    r"|子ども|子供|生徒|利用者)(が|は|の)|\b(my )?(friend|sister|brother|mother|mom|daughter|son"
    r"|neighbou?r|colleague)('s)? (says|said|is|wants|told)"
)
# Laughter as Japanese writers type it (死にそうw, 笑, 草), emoji, lol, kkkk, ㅋㅋ; not a word
# that ends in w (now, how).
_LAUGHING = re.compile(
    r"((?<=[\u3040-\u30ff\u4e00-\u9fff])[wｗ]+\s*$|[wｗ]{2,}\s*$|ｗ{2,}|[笑草]\s*$|\(笑\)"
    r"|😂|🤣|\blol\b|\bk{4,}\b|ㅋㅋ)",
    re.I,
)
# Words of the present that keep a "past" story watched, and a calm word that is denied.
_STILL_NOW = re.compile(r"最近|また|今日|きのう|昨日|今夜|今朝|毎日|いまも|今も|たすけて|助けて")
_DENIED = re.compile(r"^(じや|では|でも|と(は|も)?(言|い)えない|なんかじや)")
_HIRAGANA = re.compile(r"[\u3040-\u309f]")


def names_a_topic(rule: str) -> bool:
    """DV, 虐待, ストーカー, 性暴力: a word that names the danger (no hiragana), not a
    disclosure like 殴られた."""
    return _HIRAGANA.search(rule) is None and "+" not in rule


def notes(text: str) -> list[str]:
    """"negated" and "about someone else", as they apply to the message."""
    folded = fold(text) + " " + text.lower()
    found = []
    if _NEGATED.search(folded):
        found.append("negated")
    if _SOMEONE_ELSE.search(folded):
        found.append("about someone else")
    return found


@dataclass(frozen=True, slots=True)
class Context:
    """What the rest of the message says about a danger word in it."""

    topic_only: bool  # a course, a law, a report: the danger is the subject, not lived
    over_now: bool  # it happened before, and the person says they are safe now
    laughing: bool  # w, 笑, 😂: hyperbole listed under `joking` is a joke


class ContextReader:
    """The context words of one ``crisis.yaml``, and its lexicon for what follows a calm word."""

    def __init__(self, rules: CrisisRules, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        self._topic, self._past, self._calm = (
            tuple(k for w in words if (k := fold(w)))
            for words in (rules.about_the_topic, rules.over_now_past, rules.over_now_calm)
        )
        # Latin-letter past and calm words ("dulu", "sekarang aman") are whole words of the
        # message without accents, so "dati" is not read in "pagdating" and what follows the
        # calm words keeps its spaces for the Latin expressions.
        self._past_latin, self._calm_latin = (
            {fold(w): f" {latin_words(w).strip()} " for w in words if only_latin(w)}
            for words in (rules.over_now_past, rules.over_now_calm)
        )

    def read(self, text: str) -> Context:
        folded = fold(text)
        return Context(
            topic_only=any(w in folded for w in self._topic),
            over_now=self._over_now(text, folded),
            laughing=_LAUGHING.search(text) is not None,
        )

    def _over_now(self, text: str, folded: str) -> bool:
        """Danger told as past, then a calm present, and nothing dangerous after the calm words
        (「去年DVから逃げて、今は落ち着いています。手当のことを…」). A calm word denied
        (今は大丈夫じゃない) or a word of now (最近, また, 今日) keeps the message watched."""
        words = latin_words(text) if self._past_latin or self._calm_latin else ""
        if not any(self._found(w, self._past_latin, folded, words) >= 0 for w in self._past) \
                or _STILL_NOW.search(folded):
            return False
        for word in self._calm:
            at = self._found(word, self._calm_latin, folded, words)
            if at < 0:
                continue
            spaced = self._calm_latin.get(word)
            after = words[at + len(spaced) - 1 :] if spaced else folded[at + len(word) :]
            if _DENIED.match(after):
                return False
            return next(self._lexicon.matches(after), None) is None
        return False

    @staticmethod
    def _found(word: str, latin: dict[str, str], folded: str, words: str) -> int:
        """Where a past or calm word is: a Latin one among the message's words, another in
        the folded message; -1 when it is not there."""
        spaced = latin.get(word)
        return words.find(spaced) if spaced else folded.find(word)
