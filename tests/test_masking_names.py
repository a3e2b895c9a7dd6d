"""Person names Sudachi finds are masked as [名前]; crisis words, programs and places are not."""

from __future__ import annotations

import pytest

from helpbot.cases.masking import (
    NAMES_KEY,
    mask_personal_data,
    name_spans,
    stored_names,
    with_names,
)
from helpbot.cases.names import find_names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a surname alone, naming oneself
        ("高橋です。子どもが熱を出して病院に行けません",
         "[名前]です。子どもが熱を出して病院に行けません"),
        # surname and given name, with nothing to introduce them
        ("伊藤恵美子です。生活保護の申請をしたい", "[名前]です。生活保護の申請をしたい"),
        ("元夫の中村拓也がアパートの前で待ち伏せしてる",
         "元夫の[名前]がアパートの前で待ち伏せしてる"),
        ("渡辺優子って言います。住むところがない", "[名前]って言います。住むところがない"),
        # honorifics and titles
        ("小林さんに紹介されて連絡しました", "[名前]さんに紹介されて連絡しました"),
        ("上司の斎藤さんにパワハラされてる", "上司の[名前]さんにパワハラされてる"),
        ("斎藤部長に毎日怒鳴られる", "[名前]部長に毎日怒鳴られる"),
        # a surname of one kanji, with an honorific after it
        ("林さんに相談したら、ここを教えてもらった",
         "[名前]さんに相談したら、ここを教えてもらった"),
        ("森先生が話を聞いてくれた", "[名前]先生が話を聞いてくれた"),
        ("息子の翔太くんが学校に行けなくなりました",
         "息子の[名前]くんが学校に行けなくなりました"),
        # a child's given name in hiragana, after the relative
        ("長女のゆいが熱をだした", "長女の[名前]が熱をだした"),
        ("彼氏のけんとが殴ってくる", "彼氏の[名前]が殴ってくる"),
        # a kana name Sudachi does not know, between a relative and ちゃん / くん
        ("娘のひなちゃんのミルク代がない", "娘の[名前]ちゃんのミルク代がない"),
        ("息子のたろうくんが熱", "息子の[名前]くんが熱"),
        ("息子のゆうとくんの給食費", "息子の[名前]くんの給食費"),  # Sudachi: ゆう|と|くん
        # a foreign name in katakana; the folded copy reads a half-width one
        ("マリアです。ビザの更新について", "[名前]です。ビザの更新について"),
        ("ﾏﾘｱです。ビザの更新について", "[名前]です。ビザの更新について"),
        # the label rules and the names together, every other piece of data still masked
        ("名前は佐藤健一です。電話は090-1234-5678", "名前は[名前]です。電話は[電話番号]"),
        ("夫の佐藤健一が怒鳴る\n娘のまりあは寝てる", "夫の[名前]が怒鳴る\n娘の[名前]は寝てる"),
    ],
)
def test_names_sudachi_finds_are_masked(text: str, expected: str) -> None:
    assert mask_personal_data(text, names=True) == expected


@pytest.mark.parametrize(
    "text",
    [
        # crisis words and program names
        "もう死にたい。夫に殴られて顔が腫れてる",
        "児童手当と児童扶養手当はいつ振り込まれますか",
        "生活保護を受けたいけど、住居確保給付金とどっちがいい？",
        "ひとり親で就学援助のことを聞きたい。社会福祉協議会に行けばいい？",
        "殺すって言われた。警察に行くべき？",
        # places are not people: the town helps the case worker
        "新宿区に住んでいます。家賃が払えません",
        "大阪から来ました。今夜泊まるところがない",
        "横浜の駅で寝ています",
        # informal text where Sudachi tags a piece of a word as a name
        "きゅうりょうがでない。しゃちょう パスポート かえさない",
        "ごはんたべてない みっか",
        "ｷｮｳ ﾈﾙﾄｺﾛ ﾅｲ",
        "マイナ保険証ってつくらないとだめ？",
        "くすり全部のんら",
        # roles before an honorific are not names
        "大家さんに出ていけと言われた", "お医者さんに行くお金がない",
        # western Japan's negative, not an honorific: 許さん = 許さない
        "妹にプリン食べられた。許さん",
        # a name-like tag with nothing saying it is a person
        "映画で節子が死ぬところを見て泣いた",
        # other languages: Sudachi's names there are words
        "我不想活了，今晚就结束吧",
        "may i ask what time the food bank opens? last night i slept outside",
    ],
)
def test_words_a_case_worker_needs_are_not_masked(text: str) -> None:
    assert mask_personal_data(text, names=True) == text


def test_spans_point_into_the_original_text() -> None:
    text = "ＡＢＣ　田中花子さん"
    (start, end), = find_names(text)
    assert text[start:end] == "田中花子"


def test_the_label_rules_alone_without_sudachi() -> None:
    assert mask_personal_data("田中花子です", names=False) == "田中花子です"
    assert mask_personal_data("名前は田中花子です", names=False) == "名前は[名前]です"


def test_a_web_process_without_the_web_chat_masks_with_labels_and_loads_no_sudachi(
    web_process_probe,
):
    probe = (
        "import sys; from helpbot.app import create_app; app = create_app(); "
        "mask = app.extensions['helpbot'].cases.outbox.mask; "
        "print(mask('名前は田中花子です'), mask('田中花子です'), 'sudachipy' in sys.modules)"
    )
    assert web_process_probe(probe) == "名前は[名前]です 田中花子です False"


def test_a_process_with_sudachi_loaded_masks_names_by_default() -> None:
    find_names("山田です")  # loads the dictionary, as the worker's matcher does
    assert mask_personal_data("山田です。家賃が払えません") == "[名前]です。家賃が払えません"


def test_a_message_longer_than_sudachi_takes_is_masked_in_pieces() -> None:
    # Sudachi refuses more than 49,149 bytes at once; no sentence end in the last 20,000
    text = "家賃が払えません。" * 3_000 + "田中さんに相談したい" + "あ" * 20_000 + "。山田です"
    masked = mask_personal_data(text, names=True)
    assert masked == text.replace("田中", "[名前]").replace("山田", "[名前]")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("㈱の田中さんに電話した", "田中"),  # ㈱ folds to three characters: (株)
        ("ＡＢＣ　田中花子さん", "田中花子"),
        ("ﾏﾘｱです。ビザの更新について", "ﾏﾘｱ"),
    ],
)
def test_names_kept_with_a_message_point_into_the_text_as_stored(text: str, name: str) -> None:
    find_names("山田です")  # the worker has Sudachi loaded when it stores a message
    extra = with_names({"attachment": None}, text)
    assert extra is not None and extra["attachment"] is None
    (start, end), = stored_names(extra, text) or []
    assert text[start:end] == name == text[slice(*name_spans(text)[0])]


def test_a_process_without_sudachi_masks_the_names_kept_with_the_text() -> None:
    text = "高橋です。夫の中村拓也が来る。名前は佐藤です"
    kept = stored_names({NAMES_KEY: [[0, 2], [7, 11]]}, text)
    assert mask_personal_data(text, names=False, known_names=kept) == (
        "[名前]です。夫の[名前]が来る。名前は[名前]です"  # the label rules still apply
    )


def test_a_message_with_no_names_found_keeps_its_extra() -> None:
    find_names("山田です")
    assert with_names(None, "家賃が払えません") is None
    assert with_names(None, "") is None


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (None, None),  # a row stored before names were kept, or without Sudachi
        ({"attachment": {}}, None),
        ({NAMES_KEY: []}, []),
        ({NAMES_KEY: [[0, 2], [3, 99], [2, 1], ["a", "b"], [1], [0.5, 2]]}, [(0, 2)]),
        ({NAMES_KEY: "0-2"}, None),
    ],
)
def test_only_names_that_fit_the_text_are_read_back(extra, expected) -> None:
    assert stored_names(extra, "高橋です") == expected
