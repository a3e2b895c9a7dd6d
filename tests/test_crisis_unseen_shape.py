"""tests/data/crisis_unseen.yaml, the fourth independent crisis set: its shape only.

Checks that the file is well formed (sizes, fields, categories, no repeated line). It says
nothing about how well the detector does on it; that is measured elsewhere.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

PATH = Path(__file__).parent / "data" / "crisis_unseen.yaml"
CATEGORIES = {
    "suicide",
    "violence",
    "sexual_violence",
    "stalking",
    "trafficking",
    "child",
    "no_shelter",
    "no_food",
    "medical",
}
STYLES = {
    "direct",
    "indirect",
    "dialect",
    "slang",
    "typo",
    "hiragana",
    "halfwidth",
    "emoji",
    "long",
    "third_party",
    "negation",
    "short",
    "simple",
    "lang",
    "unaccented",
    "romanized",
}
EVERYDAY_STYLES = STYLES | {"faq", "hyperbole", "media", "past", "lookalike"}
LANGS = {"ja", "vi", "id", "ne", "tl", "my", "zh", "en", "pt", "es", "ko", "th"}


@pytest.fixture(scope="module")
def data() -> dict[str, list[dict[str, str]]]:
    return yaml.safe_load(PATH.read_text(encoding="utf-8"))


def test_two_lists_of_the_planned_size(data: dict[str, list[dict[str, str]]]) -> None:
    assert set(data) == {"crisis", "everyday"}
    assert len(data["crisis"]) >= 450
    assert len(data["everyday"]) >= 400


def test_every_item_has_text_style_and_lang(data: dict[str, list[dict[str, str]]]) -> None:
    for name, styles in (("crisis", STYLES), ("everyday", EVERYDAY_STYLES)):
        for item in data[name]:
            keys = {"text", "style", "lang"} | ({"category"} if name == "crisis" else set())
            assert set(item) == keys, item
            assert isinstance(item["text"], str) and item["text"].strip(), item
            assert item["style"] in styles, item
            assert item["lang"] in LANGS, item


def test_every_crisis_item_has_a_known_category(data: dict[str, list[dict[str, str]]]) -> None:
    counts = Counter(item["category"] for item in data["crisis"])
    assert set(counts) == CATEGORIES
    assert min(counts.values()) >= 20, counts


def test_japanese_is_about_half_of_each_list(data: dict[str, list[dict[str, str]]]) -> None:
    for name in ("crisis", "everyday"):
        share = sum(item["lang"] == "ja" for item in data[name]) / len(data[name])
        assert 0.45 <= share <= 0.65, (name, share)


def test_no_text_appears_twice(data: dict[str, list[dict[str, str]]]) -> None:
    texts = [
        unicodedata.normalize("NFKC", item["text"]).strip().casefold()
        for name in ("crisis", "everyday")
        for item in data[name]
    ]
    repeated = [text for text, n in Counter(texts).items() if n > 1]
    assert not repeated, repeated
