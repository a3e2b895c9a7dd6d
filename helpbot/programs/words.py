"""Facts from a person's own words: 「シングルマザーで子ども2人」 → household, children.

The text is folded first (NFKC, katakana to hiragana, no spaces), so 「シングルマザー」,
「しんぐるまざー」 and 「ｼﾝｸﾞﾙﾏｻﾞｰ」 read the same; a short list of key phrases also matches
with one slip (「しんぐるまざ」). Only what the words say is taken: nothing is guessed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from rapidfuzz import fuzz

from helpbot.programs.word_phrases import FUZZY, NEEDS, PHRASES

_NEGATION = re.compile(r"(は|も|が|を)?(して|し|あり|い)?(い|ま)?(ない|ません|なし)")
_KANJI_NUMBERS = str.maketrans("一二三四五六七八九", "123456789")


def fold(text: str) -> str:
    """NFKC, lower case, katakana as hiragana, no spaces, kanji digits 一〜九 as digits."""
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in folded)
    folded = re.sub(r"\s+", "", folded)
    return folded.translate(_KANJI_NUMBERS)


_CHILD = r"(子|こども|子ども|子供|息子|むすこ|娘|むすめ|長男|長女|次男|次女)"
_GRADES: tuple[tuple[str, int], ...] = (
    (r"赤ちゃん|あかちゃん|乳児|(?<!\d)0歳|生まれたばかり|新生児", 0),
    (r"保育園|保育所|幼稚園|ようちえん|未就学|こども園", 4),
    (r"小学(校)?(\d)年|小(\d)", -1),  # computed from the grade
    (r"小学生|小学校", 9),
    (r"中学(校)?(\d)年|中(\d)", -2),
    (r"中学生|中学校", 13),
    (r"高校生|高校に|高校の(お金|学費|授業料|入学)|高(\d)", 16),
    (r"大学生の" + _CHILD + "|専門学校の" + _CHILD, 20),
)
_PREFECTURES = (
    "北海道", "青森", "岩手", "宮城", "秋田", "山形", "福島", "茨城", "栃木", "群馬",
    "埼玉", "千葉", "東京", "神奈川", "新潟", "富山", "石川", "福井", "山梨", "長野",
    "岐阜", "静岡", "愛知", "三重", "滋賀", "京都", "大阪", "兵庫", "奈良", "和歌山",
    "鳥取", "島根", "岡山", "広島", "山口", "徳島", "香川", "愛媛", "高知", "福岡",
    "佐賀", "長崎", "熊本", "大分", "宮崎", "鹿児島", "沖縄",
)


# Words people also type in kana: a pattern with the kanji matches the kana too.
_KANA = {
    "仕事": "しごと", "家賃": "やちん", "会社": "かいしゃ", "貯金": "ちょきん",
    "収入": "しゅうにゅう", "給料": "きゅうりょう", "暴力": "ぼうりょく", "借金": "しゃっきん",
    "病院": "びょういん", "生活": "せいかつ", "離婚": "りこん", "妊娠": "にんしん",
    "年金": "ねんきん", "失業": "しつぎょう", "解雇": "かいこ", "退職": "たいしょく",
    "保険": "ほけん", "学費": "がくひ", "入院": "にゅういん", "介護": "かいご", "無職": "むしょく",
    "辞め": "やめ", "受け": "うけ", "払": "はら", "夫": "おっと", "旦那": "だんな", "働": "はたら",
}


@cache
def _pattern(pattern: str) -> re.Pattern[str]:
    """A pattern folded like the text, so 「クビ」 in a pattern meets 「くび」 in a message."""
    for kanji, kana in _KANA.items():
        pattern = pattern.replace(kanji, f"(?:{kanji}|{kana})")
    return re.compile(fold(pattern))


def facts_from_words(text: str) -> dict[str, Any]:
    """The facts the person's words state; nothing for what they do not say."""
    folded = fold(text)
    facts: dict[str, Any] = {}
    for key, value, pattern in PHRASES:
        found = _pattern(pattern).search(folded) if key not in facts else None
        if found is not None:
            # 「妊娠はしていません」「病気はありません」: a yes/no fact said the other way.
            denied = value is True and _NEGATION.match(folded, found.end())
            facts[key] = False if denied else value
    for phrase, key, value in FUZZY:
        if key not in facts and len(folded) >= len(phrase) - 1 and fuzz.partial_ratio(
                phrase, folded) >= 85:
            facts[key] = value
    if facts.get("employment") == "student" and _pattern(
            _CHILD + r"(が|は|も)?(大学生|学生|短大生|専門学校)").search(folded):
        del facts["employment"]  # 「息子が大学生です」: the child studies, not the writer
        facts.setdefault("youngest_child_age", 20)
    _numbers(folded, facts)
    _prefecture(folded, facts)
    needs = tuple(need for need, pattern in NEEDS if _pattern(pattern).search(folded)
                  and not (need == "childcare" and facts.get("children") == 0))
    if needs:
        facts["needs"] = needs
    return facts


def _numbers(folded: str, facts: dict[str, Any]) -> None:
    count = _pattern(_CHILD + r"(が|は)?(\d{1,2})(人|にん|り)|(\d{1,2})人の" + _CHILD
                     + r"|子(\d)人|(\d{1,2})(kids|children)").search(folded)
    spelled = _pattern(_CHILD + r"(が|は)?(ひとり|ふたり|さんにん|よにん)").search(folded)
    if count:
        facts["children"] = int(next(g for g in count.groups() if g and g.isdigit()))
    elif spelled:
        facts["children"] = ("ひとり", "ふたり", "さんにん", "よにん").index(spelled.group(3)) + 1
    elif _pattern(r"息子と娘|娘と息子|兄弟|姉妹|子どもたち|子供たち|こどもたち").search(folded):
        facts["children"] = 2
    elif _pattern(_CHILD + r"(が|は|も)?(い|居)(ない|ません|なくて)|子なし|子どもなし|nokids|"
                  r"nochildren").search(folded):
        facts["children"] = 0
    by_child = _pattern(_CHILD + r"(?:は|が|の)?(\d{1,2})歳")
    ages = [int(m.group(2)) for m in by_child.finditer(folded)]
    ages += [int(m.group(1)) for m in _pattern(r"(\d{1,2})歳の" + _CHILD).finditer(folded)]
    ages += _grade_ages(folded)
    if ages:
        facts["youngest_child_age"] = min(ages)
    own = re.search(r"(?<![\d子供もはが])(\d{2})(歳|さい|才)(です|で|の(私|わたし|女|男|母|父|"
                    r"しんぐる|独身|ひとり)|になる|、|。|,|\.|!|$|無職|男|女|yearsold)"
                    r"|(?:i'm|iam)(\d{2})", folded)
    decade = _pattern(r"(\d)0代").search(folded)
    own_age = int(own.group(1) or own.group(5)) if own else None
    if own_age is not None and own_age not in ages:
        facts["age"] = own_age
    elif decade:
        facts["age"] = int(decade.group(1)) * 10 + 5
    elif _pattern(r"(私|わたし|自分)(は|も)?高齢|高齢者です|年金暮らし|年金生活|老人です|"
                  r"おばあちゃんです|おじいちゃんです").search(folded):
        facts["age"] = 70
    lost = _months_ago(folded)
    if lost is not None and facts.get("employment") == "lost_job":
        facts["months_since_job_loss"] = lost
    _income_amount(folded, facts)


def _grade_ages(folded: str) -> list[int]:
    ages = []
    for pattern, age in _GRADES:
        for match in _pattern(pattern).finditer(folded):
            near = folded[max(0, match.start() - 8):match.end() + 8]
            if not re.search(_CHILD + "|の子|うちの", near) and age != 0:
                continue
            digits = [g for g in match.groups() if g and g.isdigit()]
            if age == -1:
                ages.append(6 + int(digits[0]) if digits else 9)
            elif age == -2:
                ages.append(12 + int(digits[0]) if digits else 13)
            else:
                ages.append(15 + int(digits[0]) if digits and age == 16 else age)
    return ages


def _months_ago(folded: str) -> int | None:
    if not re.search(r"くび|首|クビ|解雇|失業|やめ|辞め|退職|切ら|倒産|雇い止め|なくし|失っ|"
                     r"fired|lost", folded):
        return None
    table = (
        (r"(\d{1,2})(か|ヶ|ケ|カ|箇|ヵ)?月前", None),
        (r"(\d{1,2})年前", 12),
        (r"(昨日|きのう|今日|きょう|先週|せんしゅう|今週|最近|さいきん|こないだ|この間|"
         r"今月|こんげつ)", 0),
        (r"(先月|せんげつ|last month)", 1),
        (r"(先々月|2か月前)", 2),
        (r"(半年前|はんとしまえ)", 6),
        (r"(去年|きょねん|昨年)", 12),
        (r"(おととし|一昨年)", 24),
    )
    for pattern, months in table:
        match = _pattern(pattern).search(folded)
        if match:
            if months is None:
                return int(match.group(1))
            if pattern.startswith(r"(\d"):
                return int(match.group(1)) * months
            return months
    return None


def _income_amount(folded: str, facts: dict[str, Any]) -> None:
    yearly = _pattern(r"年収(は)?(\d{2,4})万").search(folded)
    monthly = _pattern(r"(月収|手取り|給料|収入)(は|が)?(月)?(\d{1,3})万").search(folded)
    if yearly:
        amount = int(yearly.group(2))
        bands = ((100, "very_low"), (250, "low"), (500, "middle"))
    elif monthly:
        amount = int(monthly.group(4))
        bands = ((9, "very_low"), (20, "low"), (40, "middle"))
    else:
        return
    facts["income"] = next((band for limit, band in bands if amount <= limit), "high")


def _prefecture(folded: str, facts: dict[str, Any]) -> None:
    for name in _PREFECTURES:
        if _pattern(name + r"(都|道|府|県)?(に|で|の|在住|住|から)").search(folded):
            suffix = "" if name == "北海道" else "都" if name == "東京" else "府" if name in {
                "大阪", "京都"} else "県"
            facts["prefecture"] = name + suffix
            return
