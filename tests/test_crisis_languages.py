"""Crisis words in the languages the sentence encoder does not know (Vietnamese, Indonesian,
Nepali in Devanagari and in Latin letters, Tagalog, Burmese): only the word lists catch them.
Thai, which the encoder knows, has word lists too (written without spaces: substrings)."""

from __future__ import annotations

import pytest

from helpbot.crisis.detector import reply_language
from helpbot.crisis.meaning import MeaningLayer
from helpbot.crisis.resources import resources_text
from helpbot.crisis.text import fold, latin_words
from helpbot.knowledge.loader import load_dir
from helpbot.matching.language import detect, is_burmese, is_thai
from tests.conftest import SAMPLE_FAQ


def test_nepali_spellings_and_invisible_joiners_fold_together():
    assert fold("बाँच्न मन छैन") == fold("बांच्न मन छैन")  # candrabindu / anusvara
    assert fold("दिँदैन") == fold("दिदैन")
    assert fold("पीडा") == fold("पिडा") and fold("दूध") == fold("दुध")  # long / short vowels
    assert fold("गर्\u200dयो") == fold("गर्यो")  # the joiner of र्‍
    assert latin_words("mu\u200bon chet") == " muon chet "


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("toi mun chet qua", "suicide"),  # Vietnamese texting, no accents
        ("e ko muốn sống nữa", "suicide"),
        ("ck em đánh em suốt", "violence"),
        ("cong ty ko tra luong 3 thang", "trafficking"),
        ("công ty thu hộ chiếu rồi ko cho ra ngoài", "trafficking"),
        ("Aku pgn mati aja", "suicide"),  # Indonesian short forms
        ("gw udah ga kuat hidup", "suicide"),
        ("paspor dipegang perusahaan, gaji gak dibayar", "trafficking"),
        ("udah 3 hari ga makan", "no_food"),
        ("malai marna man xa", "suicide"),  # romanized Nepali, x for छ
        ("bachna man xaina", "suicide"),
        ("logneley kutxa malai", "violence"),
        ("talab pako chaina 3 mahina dekhi", "trafficking"),
        ("sutne thau xaina", "no_shelter"),
        ("मलाई बांच्न मन छैन", "suicide"),  # Devanagari, another spelling
        ("म मरिदिन्छु", "suicide"),
        ("gusto ko na lang mamatay", "suicide"),  # Tagalog / Taglish
        ("pagod na ko, gusto q na mamatay", "suicide"),
        ("sinapak ako ng asawa ko", "violence"),
        ("hawak ng agency ang passport ko", "trafficking"),
        ("ကျွန်တော် သေချင်တယ်", "suicide"),  # Burmese
        ("ယောက်ျားက ရိုက်တယ်", "violence"),
        ("ပတ်စပို့ပြန်မပေးဘူး", "trafficking"),
        ("အိပ်စရာနေရာမရှိဘူး", "no_shelter"),
        ("သတိလစ်သွားတယ်", "medical"),
        ("ผมอยากตายยยย", "suicide"),  # Thai: no spaces, endings and repeated letters vary
        ("เพื่อนบอกว่าจะฆ่าตัวตายคืนนี้", "suicide"),
        ("โดนผัวตบทุกวันค่ะ", "violence"),
        ("หัวหน้าบังคับให้มีอะไรด้วย", "sexual_violence"),
        ("แฟนเก่ามาดักรอหน้าห้องทุกคืน", "stalking"),
        ("นายจ้างยึดพาสปอร์ตไว้ ไม่ยอมคืน", "trafficking"),
        ("ไม่ได้เงินเดือนมา 3 เดือนแล้วครับ", "trafficking"),
        ("นายหน้าบอกว่าติดหนี้นายหน้า ต้องขายตัวใช้หนี้", "trafficking"),
        ("พ่อเลี้ยงตีหนูทุกวัน", "child"),
        ("คืนนี้ไม่มีที่นอนค่ะ", "no_shelter"),
        ("ไม่ได้กินข้าวมา 3 วันแล้ว", "no_food"),
        ("ลูกหายใจไม่ออก ช่วยด้วย", "medical"),
        ("แฟนเก่าแอบติดGPSที่รถฉัน", "stalking"),  # Thai with Latin letters, found as Thai
        ("Malam ini aku ga punya tempat tidur", "no_shelter"),
    ],
)
def test_the_word_lists_find_what_people_write(words_only, text, category):
    hit = words_only.detect(text)
    assert hit is not None and hit.category == category, (text, hit)


@pytest.mark.parametrize(
    "text",
    [
        "Tôi muốn gia hạn hộ chiếu",
        "phải đợi mấy ngày mới có kết quả",  # đợi, not đói
        "vợ ơi tối nay ăn gì",  # not vỡ ối
        "uống thuốc sau bữa ăn",  # not thuốc sâu
        "Bộ đánh giá năng lực tiếng Nhật",
        "Thèm phở muốn chết, gần đây có quán nào ngon không?",
        "saya ga sadar kalau visa sudah habis",
        "rumah saya dijual, pindah alamat",
        "Di asrama gak ada makanan halal, beli di mana ya?",
        "mero passport renew garna kaha jane?",
        "kotha ma pani futyo",
        "Pwede ba ang bakasyon na walang sweldo?",
        "namatay sa atake sa puso ang tatay ko",
        "ပတ်စပို့ သက်တမ်းတိုးချင်ပါတယ်",
        "သေချာပါတယ်",  # "sure": သေချ, not သေချင်
        "พาสปอร์ตจะหมดอายุ ต่ออายุที่ไหนคะ",  # Thai
        "ควรเก็บพาสปอร์ตไว้ที่ไหนดี",  # keeping one's own passport, not "taken"
        "สามีตีกอล์ฟทุกวันหยุด",  # golf, not hitting
        "ส้มตำร้านนี้อร่อยจะตาย",  # happy hyperbole
        "ยังไม่ได้เงินเดือนเดือนนี้ จ่ายค่าเช่าช้าได้ไหม",  # payday not yet come
        "ห้องใหม่ยังไม่มีที่นอน ซื้อที่ไหนดี",  # ที่นอน: a mattress
        # a Thai expression with Latin letters (แอบติดGPS) is Thai text, not the word "gps"
        "My phone's GPS is not working",
        "スマホのGPSが動かない",
        # Indonesian tempat tidur is also a bed to buy
        "Saya mau beli tempat tidur bekas untuk anak",
        "Anak saya ga punya tempat tidur bayi, ada bantuan?",
    ],
)
def test_everyday_words_near_them_do_not_fire(words_only, text):
    assert words_only.detect(text) is None, text


def test_burmese_gets_burmese_lines_and_no_encoder_guess(words_only):
    text = "ကျွန်တော် သေချင်တယ်"
    assert is_burmese(text) and not is_burmese("toi muon chet")
    assert reply_language(text) == "my"
    assert not MeaningLayer.applies_to(text)  # the encoder does not know Burmese
    kb, _ = load_dir(SAMPLE_FAQ)
    assert kb.crisis is not None
    lines = resources_text(kb.crisis, category="suicide", language="my", local=None)
    assert "အရေးအကြီးဆုံး" in lines and "0570-783-556" in lines


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("Tôi sẽ trả tiền từ từ được không?", False),  # từ từ: slowly, its marks typed
        ("Từ từ thôi, không sao đâu", False),
        ("Tôi muốn tự tử", True),
        ("toi se tu tu", True),  # typed without marks: tu tu may be tự tử, so it fires
        ("tôi muốn tu tu", True),  # marks on some words only: the bare ones agree with any
        ("Chồng tôi đánh tôi mỗi đêm", True),
        # the old spelling puts the tone on another vowel: doạ = dọa, it is the same word
        ("Bạn trai cũ đe doạ tôi", True),
        ("Chồng tôi doạ giết tôi", True),
        ("quero morrer, sofro violéncia", True),  # a misplaced Portuguese accent still counts
    ],
)
def test_vietnamese_marks_typed_must_agree_with_the_expressions(words_only, text, fires):
    """An expression is matched on its letters, so a message typed without marks is read both
    ways; where the message has Vietnamese marks and so does the expression, they must agree
    (từ từ "slowly" is not tự tử "suicide"). Other languages' accents are not compared."""
    assert (words_only.detect(text) is not None) is fires, text


def test_marked_words_split_as_the_plain_words_do():
    from helpbot.crisis.text import marked_words

    text = "Tôi  muốn—CHẾTTTT!! đi"
    assert len(marked_words(text)) == latin_words(text).count(" ") - 1
    assert marked_words(text) == ["tôi", "muốn", "chếtt", "đi"]


def test_thai_gets_thai_lines_and_the_encoder():
    text = "ผมอยากตาย"
    assert detect(text) == "en"  # no helpbot texts in Thai: English, as for other scripts
    assert is_thai(text) and not is_thai("toi muon chet") and not is_thai("ကျွန်တော် သေချင်တယ်")
    assert reply_language(text) == "th"
    assert reply_language("タイ語で: ผมอยากตาย") == "ja"  # kana: Japanese as before
    assert MeaningLayer.applies_to(text)  # the encoder knows Thai
    kb, _ = load_dir(SAMPLE_FAQ)
    assert kb.crisis is not None
    lines = resources_text(kb.crisis, category="trafficking", language="th", local=None)
    assert "ความปลอดภัยของคุณสำคัญที่สุด" in lines and "110" in lines
    assert all(hotline.names.get("th") for hotline in kb.crisis.hotlines.values())
