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
        ("mero naam ram bahadur ho, malai madat chahiyo",
         "mero naam [名前] ho, malai madat chahiyo"),
        ("Je m'appelle Awa Diallo et j'ai faim", "Je m'appelle [名前] et j'ai faim"),
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
