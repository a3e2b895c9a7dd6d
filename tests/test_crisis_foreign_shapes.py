"""Shapes of danger in foreign residents' languages that the word layers missed
(tests/data/crisis_dev6_foreign.yaml's misses, December 2026), and the near-misses that
fired: a question about what an ambulance costs, past danger told as over, food hyperbole.

The messages here are new wordings of those shapes, not the set's lines. None of them has
been reviewed by a native speaker.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # suicide: Tagalog "disappear", a Korean abbreviation, Burmese sleeping pills
        ("sana maglaho na ako, pagod na pagod na ako", "suicide"),
        ("gusto ko nang maglaho sa mundong ito", "suicide"),
        ("ㅈㅅ하려고 약 모아놨어", "suicide"),
        ("အိပ်ဆေးအများကြီးသောက်ထားတယ်", "suicide"),
        # violence: Indonesian "pukul" with a person after it (not the hour: pukul 5)
        ("pacar pukul aku sampai berdarah", "violence"),
        # a plea alone: Nepali "save me"
        ("malai bachau please", "violence"),
        ("बचाउ", "violence"),
        # an ambulance asked for, alone
        ("ambulance pls", "medical"),
        ("ambulansya po", "medical"),
        ("救护车!!", "medical"),
        # medical in romanized Nepali and Burmese
        ("buwa behosh vayo, uthnu hunna", "medical"),
        ("ရင်ဘတ်အရမ်းနာနေတယ်", "medical"),
        ("အဖေ အသက်ရှူမရတော့ဘူး", "medical"),
        # stalking in romanized Nepali
        ("euta manche office dekhi pachhyaudai aaucha", "stalking"),
        # a child alone at home
        ("chhora gharma eklai cha, ma kaam ma chu", "child"),
        ("ကလေးကို တစ်ယောက်တည်း ထားပြီး အလုပ်သွားရတယ်", "child"),
        ("để bé ở nhà một mình từ sáng, em chưa về được", "child"),
        # days without food, romanized Nepali
        ("2 din dekhi kehi nakhayeko", "no_food"),
        ("nha khong con gi de an, may dua nho doi lam", "no_food"),
    ],
)
def test_foreign_shapes_the_word_layers_missed_now_fire(words_only, text, category):
    found = words_only.detect(text)
    assert (found.category if found else None) == category, (text, found)


@pytest.mark.parametrize(
    "text",
    [
        # what an ambulance costs is a question, not an emergency
        "o Nhat goi xe cap cuu co ton tien khong",
        "请问叫救护车要不要钱",
        "구급차 비용은 누가 내나요?",
        "လူနာတင်ကား ခေါ်ရင် ပိုက်ဆံ ဘယ်လောက်လဲ",
        # danger that is over, said in the person's language
        "dulu saya pernah dipukul suami, sekarang sudah aman dan kerja di pabrik",
        "trước đây em bị chủ giữ hộ chiếu, giờ ổn rồi ạ",
        "hace años mi pareja me golpeaba, ya estoy bien y tengo trabajo",
        "작년에 사장이 여권을 뺏었는데 지금은 괜찮아요",
        "以前老板扣过我的护照，已经换了工作，想问签证续签",
        "예전에 노숙했는데 지금은 집이 있어요, 월세 지원 있나요",
        "Dulu aku pernah diusir dari asrama dan tidur di taman, sekarang sudah punya kamar sendiri",
        # food hyperbole
        "thèm lẩu quá, đói muốn chết luôn 🤤",
    ],
)
def test_foreign_near_misses_do_not_fire(detector, text):
    assert detector.detect(text) is None, text


def test_danger_after_the_calm_words_still_fires(words_only):
    # the calm words do not hide what is written after them
    found = words_only.detect("dulu dipukul suami, sekarang aman tapi suami pukul aku lagi")
    assert found is not None and found.category == "violence"


def test_latin_past_words_are_whole_words(words_only):
    # "dati" (before) is not read inside "pagdating" (on arriving): this is no past story
    found = words_only.detect("pagdating ko sa bahay binubugbog ako ng asawa ko, ok na ako ngayon")
    assert found is not None and found.category == "violence"
