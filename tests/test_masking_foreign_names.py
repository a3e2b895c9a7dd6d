"""A name a foreign resident gives in their own language stays out of Slack and the logs, typed
with or without capitals and accents; the words around it, and messages that give no name,
are kept as written."""

from __future__ import annotations

import pytest

from helpbot.cases.masking import mask_personal_data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my name is Taro Yamada, hello", "my name is [名前], hello"),
        ("my name is maria santos and i need food", "my name is [名前] and i need food"),
        ("Hi, my name's John. I lost my job", "Hi, my name's [名前]. I lost my job"),
        ("Name: Maria Santos", "Name: [名前]"),
        ("Me llamo María González, tengo 3 hijos", "Me llamo [名前], tengo 3 hijos"),
        ("me llamo maria de la cruz", "me llamo [名前]"),
        ("Meu nome é João da Silva e preciso de ajuda", "Meu nome é [名前] e preciso de ajuda"),
        ("Tên tôi là Nguyễn Văn An, tôi cần giúp đỡ", "Tên tôi là [名前], tôi cần giúp đỡ"),
        ("ten toi la nguyen thi lan toi can giup", "ten toi la [名前] toi can giup"),
        ("Em tên Lan, em đang mang thai", "Em tên [名前], em đang mang thai"),
        ("Ako si Maria Santos, taga Cavite po ako", "Ako si [名前], taga Cavite po ako"),
        ("Ang pangalan ko ay Jose Reyes. Kailangan ko ng tulong",
         "Ang pangalan ko ay [名前]. Kailangan ko ng tulong"),
        ("Nama saya Siti Aminah dari Indonesia", "Nama saya [名前] dari Indonesia"),
        ("我叫王芳，我需要帮助", "我叫[名前]，我需要帮助"),
        ("我的名字是李明今年30岁", "我的名字是[名前]今年30岁"),
        ("제 이름은 김민수입니다. 도와주세요", "제 이름은 [名前]입니다. 도와주세요"),
        ("मेरो नाम राम बहादुर हो। मलाई मद्दत चाहिन्छ", "मेरो नाम [名前] हो। मलाई मद्दत चाहिन्छ"),
        # "ho" (is) also spells the surname Hồ: it goes with the name
        ("mero naam ram bahadur ho, malai madat chahiyo", "mero naam [名前], malai madat chahiyo"),
        ("Je m'appelle Awa Diallo et j'ai faim", "Je m'appelle [名前] et j'ai faim"),
        # words that are also names do not end one (Minh, Nam, Hồ typed "ho", May, Dan)
        ("Tên tôi là Trần Minh Tuấn", "Tên tôi là [名前]"),
        ("Tên tôi là Nguyễn Văn Nam, tôi cần giúp", "Tên tôi là [名前], tôi cần giúp"),
        ("ten toi la ho thi mai", "ten toi la [名前]"),
        ("Ako si May Santos", "Ako si [名前]"),
        ("Nama saya Dan Wijaya", "Nama saya [名前]"),
        # long names, and names in their own script after English words
        ("Me llamo María José García de la Cruz y necesito ayuda",
         "Me llamo [名前] y necesito ayuda"),
        ("My name is MARIA JOSE GARCIA DE LA CRUZ", "My name is [名前]"),
        ("我叫欧阳娜娜", "我叫[名前]"),
        ("제 이름은 김민수라고해요", "제 이름은 [名前]라고해요"),
        ("My name is 王芳", "My name is [名前]"),
        ("my name is 김민수 and I need help", "my name is [名前] and I need help"),
    ],
)
def test_a_name_given_in_another_language_is_masked(text: str, expected: str) -> None:
    assert mask_personal_data(text, names=False) == expected


@pytest.mark.parametrize(
    "text",
    [
        "my name is not important, please help",
        "I need help with my name change",
        "the name is on the card",
        "call me when you can",
        "I am called by the school every day about my son",  # a passive, not a name
        "I'm called every night by my ex",
        "em không có tiền",
        "我没有钱吃饭",
        "이름이 뭐예요?",
        "No tengo dinero para comida",
        "Wala akong pera pambili ng pagkain",
    ],
)
def test_a_message_that_gives_no_name_is_kept(text: str) -> None:
    assert mask_personal_data(text, names=False) == text


def test_a_long_run_after_the_words_stays_linear() -> None:
    text = "my name is " + "x " * 50_000
    assert mask_personal_data(text, names=False).startswith("my name is [名前] x x")
