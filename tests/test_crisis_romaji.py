"""Japanese typed in romaji (no Japanese keyboard on the phone): read as kana, answered in
Japanese; other Latin-script languages and everyday romaji are left alone."""

from __future__ import annotations

import pytest

from helpbot.crisis.romaji import kana_view


@pytest.mark.parametrize(
    ("text", "kana"),
    [
        ("mou shinitai", "もう しにたい"),
        ("moo sinitai", "もお しにたい"),  # kunrei si, a long vowel as oo
        ("Mō shinitai", "もう しにたい"),  # Hepburn's macron
        ("jisatu sitai", "じさつ したい"),  # tu, si
        ("otto ni nagurareru", "おっと に なぐられる"),  # double consonant
        ("konnichiwa", "こんにちわ"),  # nn before a vowel: ん + に
        ("kon'ya", "こんや"),
        ("shimbun", "しんぶん"),  # m before b
        ("otto kara DV wo ukete imasu", "おっと から DV を うけて います"),  # capitals kept
    ],
)
def test_romaji_is_spelt_in_kana(text, kana):
    assert kana_view(text) == kana


@pytest.mark.parametrize(
    "text",
    [
        "I want to die",  # want is no romaji word
        "help me please",
        "me quiero morir",
        "ako ay pagod na",
        "gusto ko na mamatay",
        "aku mau mati saja",  # every word in kana syllables, but sure Indonesian (0.99)
        "死にたい mou",  # Japanese script: the other layers read it
        "ok",
    ],
)
def test_other_latin_text_is_not_romaji(text):
    assert kana_view(text) is None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("mou shinitai", "suicide"),
        ("shinitai desu", "suicide"),
        ("jisatsu shitai", "suicide"),
        ("kiete shimaitai", "suicide"),
        ("tasukete korosareru", "violence"),
        ("otto ni nagurareru", "violence"),
        ("nerutokoro ga nai", "no_shelter"),
    ],
)
def test_romaji_crises_fire_with_japanese_lines(detector, text, category):
    hit = detector.detect(text)
    assert hit is not None and hit.category == category
    assert hit.language == "ja" and "written in romaji" in hit.notes


@pytest.mark.parametrize(
    "text",
    [
        "arigatou",  # the encoder alone called this a suicide sign (0.99)
        "konbanwa",
        "arigatou gozaimasu",
        "yachin ga haraenai",  # rent: a question for the FAQ, not a crisis
        "ashita no yotei wo oshiete kudasai",
        "Thank you so much for your help",
        "Where can I renew my visa?",
        "Salamat po sa tulong ninyo",
        "Gracias, hasta mañana",
        "Necesito ayuda con el alquiler",
    ],
)
def test_everyday_romaji_and_other_languages_do_not_fire(detector, text):
    assert detector.detect(text) is None


def test_english_written_in_kana_syllables_keeps_its_words(detector):
    hit = detector.detect("I wanna die")  # passes as romaji, found by the English words
    assert hit is not None and hit.category == "suicide" and hit.language == "en"
