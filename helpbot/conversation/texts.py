"""What the bot says in its own words, in plain Japanese and plain English."""

from __future__ import annotations

import re
from dataclasses import dataclass

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> str | None:
    """'ja' or 'en' by the script the person wrote in; None when it says nothing."""
    if _JAPANESE.search(text):
        return "ja"
    if len(_LATIN.findall(text)) >= 2:
        return "en"
    return None


@dataclass(frozen=True, slots=True)
class Phrases:
    greeting: str
    fallback: str
    did_you_mean: str
    ask_for_text: str
    category_intro: str
    empty_category: str
    sorry_error: str
    more_follows: str


PHRASES: dict[str, Phrases] = {
    "ja": Phrases(
        greeting=(
            "友だち追加ありがとうございます。\n"
            "食べ物、住まい、お金、生活保護、病院、仕事などの困りごとについて、"
            "ここで質問できます。24時間、いつでも大丈夫です。\n"
            "下のボタンを押すか、困っていることをそのまま書いてください。"
        ),
        fallback=(
            "ごめんなさい、うまく答えを見つけられませんでした。\n"
            "食べ物、住まい、お金、生活保護、病院、仕事などについて答えられます。"
            "短い言葉で、もう一度書いてみてください。下のボタンからも選べます。"
        ),
        did_you_mean="もしかして、この中にありますか？ 当てはまるものを押してください。",
        ask_for_text=(
            "メッセージありがとうございます。スタンプや写真、位置情報などは読み取れません。"
            "困っていることを文字で書いてください。"
        ),
        category_intro="「{category}」についての質問です。知りたいものを押してください。",
        empty_category="その分類の質問は今ありません。困っていることを文字で書いてください。",
        sorry_error=(
            "ごめんなさい、いま答えを出せませんでした。少し待ってから、もう一度送ってください。"
        ),
        more_follows="（続きがあります）",
    ),
    "en": Phrases(
        greeting=(
            "Thank you for adding us. You can ask here about food, housing, money, welfare, "
            "health care and work, any time of day.\n"
            "Tap a button below, or just write what is troubling you."
        ),
        fallback=(
            "Sorry, I could not find an answer to that. I can help with food, housing, money, "
            "welfare, health care and work. Please try again in a few words, "
            "or pick a topic below."
        ),
        did_you_mean="Did you mean one of these? Tap the one that fits.",
        ask_for_text=(
            "Thank you for your message. I cannot read stickers, photos or locations. "
            "Please write what you need in words."
        ),
        category_intro="Questions about \"{category}\". Tap the one you want to know.",
        empty_category="There are no questions in that topic yet. Please write what you need.",
        sorry_error="Sorry, I could not answer just now. Please send your message again soon.",
        more_follows="(continued)",
    ),
}


def phrases(language: str) -> Phrases:
    return PHRASES.get(language, PHRASES["ja"])
