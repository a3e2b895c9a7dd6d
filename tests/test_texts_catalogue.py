"""faq/texts.yaml and answer_<language> / question_<language> fields: what `helpbot faq check`
says about them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from helpbot.cli.faq import faq
from helpbot.conversation.buttons import LABEL_LIMIT
from helpbot.core.texts import TextCatalogue, phrases, use_catalogue
from helpbot.knowledge.loader import load_dir

ENTRY = "- id: a\n  question: 質問\n  answer: 答え\n"
QUESTION = "- id: a\n  question: 家賃が払えません\n  answer: 答え\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "faq"
    path.mkdir()
    return path


@pytest.fixture(autouse=True)
def _builtin_words():
    yield
    use_catalogue(None)


def _check(folder: Path) -> list[str]:
    result = CliRunner().invoke(faq, ["check", str(folder)])
    assert result.exit_code == 1, result.output
    return result.output.splitlines()


def test_translations_load_and_an_unknown_language_suffix_names_file_and_line(folder):
    (folder / "a.yaml").write_text(
        ENTRY + "  answer_en: Answer\n  answer_easy: こたえ\n"
        "- id: b\n  question: 質問2\n  answer: 答え2\n  answer_fr: Réponse\n",
        encoding="utf-8",
    )
    kb, problems = load_dir(folder)
    assert len(problems) == 1
    assert [e.id for e in kb.entries] == ["a"]
    assert kb.entries[0].answer_in("en") == "Answer"
    assert kb.entries[0].answer_in("easy") == "こたえ"
    assert kb.entries[0].answer_in("vi") is None
    (line,) = [line for line in _check(folder) if "answer_fr" in line]
    assert line.startswith("faq/a.yaml:9: 「answer_fr」の言葉「fr」はわかりません")
    assert "unknown language 'fr' in 'answer_fr'" in line
    assert "answer_en" in line  # the hint lists the known suffixes


def test_translated_questions_load_beside_the_answers(folder):
    (folder / "a.yaml").write_text(
        QUESTION + "  question_en: I can't pay my rent\n  question_easy: やちんが はらえません\n"
        "  question_ne: घरभाडा तिर्न सक्दिनँ\n  answer_en: Answer\n",
        encoding="utf-8",
    )
    kb, problems = load_dir(folder)
    assert problems == []
    (entry,) = kb.entries
    assert entry.question_translations == (
        ("easy", "やちんが はらえません"), ("en", "I can't pay my rent"),
        ("ne", "घरभाडा तिर्न सक्दिनँ"),
    )
    assert entry.question_in("en") == "I can't pay my rent"
    assert entry.question_in("easy") == "やちんが はらえません"
    assert entry.question_in("ja") == entry.question_in(None) == "家賃が払えません"
    assert entry.question_in("vi") is None
    assert entry.phrasings() == ("家賃が払えません",)  # alternates stay the staff's own


def test_an_unknown_language_suffix_names_file_and_line_in_both_languages(folder):
    (folder / "a.yaml").write_text(QUESTION + "  question_fr: Je ne peux pas payer\n",
                                   encoding="utf-8")
    kb, problems = load_dir(folder)
    assert kb.entries == () and len(problems) == 1
    lines = _check(folder)
    assert lines[0].startswith(
        "faq/a.yaml:4: 「question_fr」の言葉「fr」はわかりません"
        " / unknown language 'fr' in 'question_fr' (hint: 書ける言葉: question_easy, question_en"
    )
    assert "/ known: question_easy, question_en" in lines[0]


@pytest.mark.parametrize("written", [":\n", ': ""\n', ": '   '\n", ": |\n    \n"])
@pytest.mark.parametrize(("field", "staff_word"), [("question", "質問"), ("answer", "答え")])
def test_an_empty_translation_is_reported(folder, written: str, field: str, staff_word: str):
    """Staff who wrote answer_vi expect it to be sent; left empty, the person would get the
    Japanese unnoticed. The entry is left out, the others still load."""
    other = "- id: b\n  question: 質問\n  answer: 答え\n"
    (folder / "a.yaml").write_text(QUESTION + f"  {field}_vi{written}" + other, encoding="utf-8")
    kb, problems = load_dir(folder)
    assert [e.id for e in kb.entries] == ["b"] and len(problems) == 1
    assert _check(folder)[0] == (
        f"faq/a.yaml:4: 「{field}_vi」（ベトナム語の{staff_word}）が空です / '{field}_vi' is empty "
        f"(hint: その言葉で{staff_word}を書くか、この行を消してください / "
        f"write the {field} in that language, or delete the line)"
    )


def test_a_translated_question_that_is_not_text_is_reported(folder):
    (folder / "a.yaml").write_text(QUESTION + "  question_en: [a, b]\n", encoding="utf-8")
    assert "'question_en' must be text" in _check(folder)[0]


def test_the_sample_gives_a_question_in_every_language_of_an_entrys_answers():
    kb, problems = load_dir(Path(__file__).parent.parent / "faq")
    assert problems == []
    translated = [e for e in kb.entries if e.translations]
    assert len(translated) >= 20
    for entry in translated:
        assert dict(entry.question_translations).keys() == dict(entry.translations).keys()
        for _, question in entry.question_translations:
            assert len(question) <= LABEL_LIMIT, (entry.id, question)  # a whole button label


@pytest.mark.parametrize(
    ("texts", "line_no", "needle"),
    [
        ("fallbak:\n  en: Sorry\n", 1, "unknown text 'fallbak' (hint: 「fallback」"),
        ("fallback:\n  fr: Désolé\n", 2, "unknown language 'fr'"),
        ("case_opened:\n  en: We told our staff.\n", 2, "must keep the placeholders {expected}"),
        ("fallback: Sorry\n", 1, "'fallback' must list languages"),
        ("category_intro:\n  en: About {topic}\n", 2, "must keep the placeholders {category}"),
        ("fallback:\n  en: Sorry {\n", 2, "'fallback.en' has { } the bot cannot fill"),
        # YAML keeps the last of a key written twice, silently: reported where it comes again
        ("fallback:\n  en: Sorry\nfallback:\n  en: Oops\n", 3, "'fallback' is written twice"),
        ("fallback:\n  en: Sorry\n  en: Oops\n", 3, "'en' is written twice"),
        ("categories:\n  食べ物: {en: Food, xx: Essen}\n", 2, "unknown language 'xx'"),
        # three labels, not a text: a string here would break every resolve
        ("satisfaction_labels:\n  ja: よい\n", 1, "unknown text 'satisfaction_labels'"),
        # the program finder's words (helpbot/programs/finder_words.py)
        ("finder:\n  household.question: {en: Who}\n  housahold.alone: {en: Alone}\n", 3,
         "unknown finder text 'housahold.alone'"),
        ("finder:\n  show_at_office:\n    en: Show this at the city office\n", 3,
         "'finder.show_at_office.en' is a button label longer than 20 characters (28)"),
        ("finder:\n  household.alone: {vi: Tôi sống một mình ở nhà trọ}\n", 2,
         "'finder.household.alone.vi' is a button label longer than 20"),
        ("finder:\n  area_note:\n    en: (for residents)\n", 3,
         "'finder.area_note.en' must keep the placeholders {area}"),
        ("finder:\n  start: {fr: Chercher}\n", 2, "unknown language 'fr'"),
        ("finder: Find programs\n", 1, "'finder' must be a mapping"),
        ("finder:\n  start: Find help\n", 2,
         "'finder.start' must list languages (hint: start: {ja: ..., en: ...}"),
        ("finder:\n  household.alone:\n    en: [Alone]\n", 3, "'finder.household.alone.en' must"),
        ("finder:\n  start: {en: Find}\n  start: {en: Look}\n", 3, "'start' is written twice"),
    ],
)
def test_mistakes_in_the_texts_file_are_reported_with_the_line(folder, texts, line_no, needle):
    (folder / "a.yaml").write_text(ENTRY, encoding="utf-8")
    (folder / "texts.yaml").write_text(texts, encoding="utf-8")
    lines = [line for line in _check(folder) if line.startswith("faq/texts.yaml")]
    assert lines, "the problem names the file"
    assert lines[0].startswith(f"faq/texts.yaml:{line_no}: ")
    assert needle in lines[0]


def test_the_catalogue_overrides_built_in_words_and_missing_ones_fall_back(folder):
    (folder / "texts.yaml").write_text(
        "talk_to_staff:\n  en: Ask a person\n  vi: Gặp nhân viên\n"
        "fallback:\n  easy: ごめんなさい。\n",
        encoding="utf-8",
    )
    kb, problems = load_dir(folder)
    assert problems == []
    use_catalogue(kb.texts)
    assert phrases("en").talk_to_staff == "Ask a person"
    assert phrases("vi").talk_to_staff == "Gặp nhân viên"
    assert phrases("ko").talk_to_staff == "Ask a person"  # no Korean: the English
    assert phrases("easy").fallback == "ごめんなさい。"
    assert phrases("easy").did_you_mean == phrases("ja").did_you_mean  # no easy: Japanese
    use_catalogue(TextCatalogue())
    assert phrases("en").talk_to_staff == "Talk to staff"


def test_the_sample_catalogue_covers_the_system_texts_in_seven_languages():
    kb, problems = load_dir(Path(__file__).parent.parent / "faq")
    assert problems == []
    assert kb.texts is not None
    for name in ("fallback", "did_you_mean", "talk_to_staff", "case_opened", "still_waiting",
                 "case_opened_closed", "in_easy_japanese"):
        have = set(kb.texts.texts[name])
        needed = {"easy", "en", "zh", "ko", "vi", "pt"} - ({"easy"} if name == "in_easy_japanese"
                                                           else set())
        assert needed <= have, (name, needed - have)
    for category in kb.categories():
        assert {"en", "zh", "ko", "vi", "pt", "easy"} <= set(kb.texts.categories[category])
    translated = [e for e in kb.entries if e.translations]
    assert len(translated) >= 20
    for entry in translated:
        assert {"easy", "en", "zh", "ko", "vi", "pt"} <= dict(entry.translations).keys()


def test_the_sample_catalogue_has_every_finder_word_in_ten_languages():
    from helpbot.programs.finder_words import builtin_words

    kb, problems = load_dir(Path(__file__).parent.parent / "faq")
    assert problems == []  # labels within LINE's 20 characters, placeholders kept
    assert kb.texts is not None
    for key in builtin_words():
        written = set(kb.texts.finder.get(key, {}))
        needed = {"easy", "en", "zh", "ko", "vi", "pt", "es", "tl", "ne"}
        assert needed <= written, (key, needed - written)


def test_every_fact_word_has_its_english_and_no_other_key():
    from helpbot.programs.fact_words import FACT_EN, fact_words

    assert set(FACT_EN) == set(fact_words())
