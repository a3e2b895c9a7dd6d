"""Every system text, button label and reply template of the sample faq/texts.yaml is there in
every language helpbot promises (core.texts.CATALOGUE_LANGUAGES), so a Spanish, Tagalog,
Nepali, Indonesian or Burmese speaker never gets English or Japanese from the bot's own words. The
few texts that are never said in some language are listed in EXEMPT, each with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpbot.conversation.buttons import LABEL_LIMIT
from helpbot.core.texts import (
    CATALOGUE_LANGUAGES,
    TEXT_NAMES,
    builtin_text,
    phrases,
    text_language,
    use_catalogue,
)
from helpbot.knowledge.loader import load_dir
from helpbot.programs.finder_words import builtin_words, finder_buttons

FAQ = Path(__file__).parent.parent / "faq"
FOREIGN = frozenset(CATALOGUE_LANGUAGES) - {"ja", "easy", "en"}
PROMISED = {"ja", "easy", "en", "zh", "ko", "vi", "pt", "es", "tl", "ne", "id", "my"}
# (section, key) -> the languages it is never said in, and why.
EXEMPT: dict[tuple[str, str], frozenset[str]] = {
    # said above a Japanese answer to someone who reads another language
    ("texts", "in_easy_japanese"): frozenset({"ja", "easy"}),
    # said right after the person asked for やさしい日本語 (language.switch_confirmation):
    # their language is "easy" by then, whatever they wrote before
    ("texts", "easy_on"): FOREIGN,
    # the category itself is its Japanese label
    ("categories", "*"): frozenset({"ja"}),
    # built-in Japanese is empty: these notes are not said to Japanese readers
    ("finder", "in_japanese"): frozenset({"ja"}),
    ("finder", "office_note"): frozenset({"ja"}),
}
BUTTON_TEXTS = ("talk_to_staff", "remind_me", "satisfaction_good", "satisfaction_ok",
                "satisfaction_bad")


def _exempt(section: str, key: str) -> frozenset[str]:
    return EXEMPT.get((section, key), EXEMPT.get((section, "*"), frozenset()))


@pytest.fixture(scope="module")
def catalogue():
    kb, problems = load_dir(FAQ)
    assert problems == []  # placeholders kept, finder labels within LINE's limit
    assert kb.texts is not None
    use_catalogue(kb.texts)
    yield kb
    use_catalogue(None)


def test_the_promised_languages_are_the_catalogue_languages():
    assert set(CATALOGUE_LANGUAGES) == PROMISED


def test_every_system_text_is_served_in_every_promised_language(catalogue):
    missing = [
        (name, language)
        for name in TEXT_NAMES
        for language in CATALOGUE_LANGUAGES
        if language not in _exempt("texts", name)
        and text_language(name, language) != language
    ]
    assert missing == []


def test_the_catalogue_writes_every_text_out_for_staff_to_edit(catalogue):
    """A text only built in is invisible to staff: each one is in texts.yaml."""
    assert set(TEXT_NAMES) - set(catalogue.texts.texts) == set()


@pytest.mark.parametrize("section", ["categories", "finder"])
def test_every_topic_label_and_finder_word_has_every_promised_language(catalogue, section):
    written = getattr(catalogue.texts, section)
    keys = catalogue.categories() if section == "categories" else builtin_words()
    missing = [
        (key, language)
        for key in keys
        for language in CATALOGUE_LANGUAGES
        if language not in _exempt(section, key) and language not in written.get(key, {})
    ]
    assert missing == []


def test_exempt_texts_are_the_ones_the_code_never_says_in_those_languages():
    """The Japanese finder notes are empty in the built-in words, and in_easy_japanese has no
    Japanese built in: the exemptions above follow the code, not a gap in the file."""
    assert builtin_words()["in_japanese"][0] == "" == builtin_words()["office_note"][0]
    assert builtin_text("in_easy_japanese", "ja") == ""


@pytest.mark.parametrize("language", sorted(CATALOGUE_LANGUAGES))
def test_button_labels_fit_on_a_line_button(catalogue, language):
    words = phrases(language)
    labels = [getattr(words, name) for name in BUTTON_TEXTS]
    labels += [catalogue.texts.categories[c].get(language, c) for c in catalogue.categories()]
    labels += [catalogue.texts.finder[k][language] for k in finder_buttons()
               if language in catalogue.texts.finder.get(k, {})]
    too_long = [label for label in labels if len(label.encode("utf-16-le")) // 2 > LABEL_LIMIT]
    assert too_long == []
