"""The program finder's own words in the person's language: built-in Japanese and English here
(and the facts' words in ``facts.py`` / ``fact_words.py``), every other language and
やさしい日本語 in ``faq/texts.yaml``'s ``finder`` section, which staff may rewrite (the same
catalogue and fallbacks as :func:`helpbot.core.texts.phrases`).

The programs themselves (names, documents, where to go, why they fit) stay as the faq/ files
write them, in Japanese, under the ``in_japanese`` line; the 「窓口で見せる」 note stays
Japanese too, for the office's staff. Postback data never depends on the language.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from helpbot.core.texts import finder_text
from helpbot.programs.fact_words import button_keys, fact_words
from helpbot.programs.facts import DECLINED, UNKNOWN, describe_facts

# name: (Japanese, English). An empty Japanese text is not said in Japanese.
FIXED: dict[str, tuple[str, str]] = {
    "start": ("制度をさがす", "Find programs"),
    "ask_situation": (
        "あなたに合う支援制度をさがします。いまの状況を、ふだんの言葉で教えてください。\n"
        "例:「シングルマザーで子ども2人、パートの収入が少ない」「先月仕事をなくして家賃が払えない」\n"
        "答えたくないことは、書かなくて大丈夫です。",
        "I will look for support programs that fit you. Tell me about your situation in your "
        "own words.\nFor example: \"I'm a single mother with 2 kids and low part-time pay\" or "
        "\"I lost my job last month and can't pay rent\".\n"
        "You don't have to write anything you'd rather not say.",
    ),
    "cleared": (
        "制度さがしの答えを消しました。また「制度をさがす」と送ると、最初から始められます。",
        "Your answers are deleted. Tap \"Find programs\" to start again.",
    ),
    "nothing_yet": (
        "まだ答えがありません。「制度をさがす」と送ると始められます。",
        "There are no answers yet. Tap \"Find programs\" to start.",
    ),
    "no_programs": (
        "合う制度を見つけられませんでした。住んでいる市区町村の「自立相談支援機関」なら、"
        "どんなこまりごとでも相談できます。スタッフにも相談できます。",
        "I could not find a program that fits. The self-reliance support center (jiritsu sodan "
        "shien kikan) of your city can help with any problem. You can also talk to our staff.",
    ),
    "understood": ("わかったこと:", "What I understood:"),
    "understood_nothing": (
        "まだ、くわしいことはわかっていません。いくつか聞かせてください。",
        "I don't know much about your situation yet. Let me ask a few questions.",
    ),
    "results": ("あなたに合いそうな制度:", "Programs that may fit you:"),
    "in_japanese": (
        "",
        "The programs' names and details are in Japanese. If they are hard to read, show them "
        "at the office or ask our staff.",
    ),
    "why": ("合う理由", "Why it fits"),
    "bring": ("持っていくもの", "What to bring"),
    "where": ("行く所", "Where to go"),
    "still_unknown": ("まだわからないこと", "Still unknown"),
    "area_note": ("（{area}に住んでいる人は{area}の窓口）",
                  "(if you live in {area}: the {area} office)"),
    "can_consult": ("相談できます", "You can ask about it"),
    "why_named": ("名前が出ました", "You mentioned it"),
    "why_need": ("{need}のこまりごとに", "Helps with: {need}"),
    "check_before": (
        "情報は変わることがあります。申し込む前に窓口で確かめてください。",
        "Information can change. Please check with the office before you apply.",
    ),
    "which_answer": ("どの答えを変えますか。", "Which answer do you want to change?"),
    "office_note": ("", "Show this note at the office. It is in Japanese for the staff there."),
    "call": ("電話する", "Call"),
    "website": ("公式ページ", "Official page"),
    "show_at_office": ("窓口で見せる", "Show at the office"),
    "change_answer": ("答えを変える", "Change an answer"),
    "clear_answers": ("答えを消す", "Delete my answers"),
    "unknown": ("わからない", "Don't know"),
    "declined": ("答えたくない", "Rather not say"),
    "yes": ("はい", "Yes"),
    "no": ("いいえ", "No"),
    "people": ("{value}人", "{value}"),
    "years_old": ("{value}歳くらい", "about {value}"),
    "months": ("{value}か月くらい", "about {value} months"),
}
_FIXED_BUTTONS = frozenset({"start", "call", "website", "show_at_office", "change_answer",
                            "clear_answers", "unknown", "declined", "yes", "no"})


@cache
def builtin_words() -> dict[str, tuple[str, str]]:
    """Every key of the ``finder`` section with its built-in (Japanese, English)."""
    return {**FIXED, **fact_words()}


@cache
def finder_buttons() -> frozenset[str]:
    """The keys shown on buttons: LINE allows 20 characters a label."""
    return _FIXED_BUTTONS | button_keys()


@dataclass(frozen=True, slots=True)
class FinderWords:
    """The finder's words for one person (``language`` as on the contact; None: Japanese)."""

    language: str | None = None

    def __call__(self, key: str, **values: Any) -> str:
        ja, en = builtin_words()[key]
        text = finder_text(key, self.language, ja=ja, en=en)
        return text.format(**values) if values else text

    def say(self, key: str, japanese: str) -> str:
        """A fact's words by its key; ``japanese`` for a key the catalogue has none for
        (a prefecture, a value staff wrote in a condition)."""
        return self(key) if key in builtin_words() else japanese

    @property
    def japanese(self) -> bool:
        return (self.language or "ja") in ("ja", "easy")

    @property
    def separator(self) -> str:
        return "、" if self.japanese or self.language == "zh" else ", "

    def describe(self, facts: dict[str, Any]) -> list[str]:
        """The person's facts, one line each, in their language."""
        return describe_facts(facts, self.say, self.separator)

    def option(self, fact: str, value: Any, label: str) -> str:
        """An answer button's label."""
        if isinstance(value, bool):
            return self("yes" if value else "no")
        if value in (UNKNOWN, DECLINED):
            return self(value)
        return self.say(f"{fact}.{value}", label)
