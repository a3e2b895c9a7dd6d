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

_NEGATION = re.compile(r"(は|も|が|を)?(して|し|あり|い)?(い|ま)?(ない|ません|なし)")
_KANJI_NUMBERS = str.maketrans("一二三四五六七八九", "123456789")


def fold(text: str) -> str:
    """NFKC, lower case, katakana as hiragana, no spaces, kanji digits 一〜九 as digits."""
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in folded)
    folded = re.sub(r"\s+", "", folded)
    return folded.translate(_KANJI_NUMBERS)


# (fact, value, pattern on the folded text). Patterns are written in hiragana where people
# type kana (the folded text has no katakana).
_PHRASES: tuple[tuple[str, Any, str], ...] = (
    ("household", "single_parent",
     r"しんぐる(まざ|まま|ふぁざ|ぱぱ)|しんまま|しんぱぱ|ひとり親|一人親|ひとりおや|母子家庭|"
     r"父子家庭|ぼしかてい|女手一つ|singlemother|singleparent|singlemom|singledad|"
     r"離婚して.{0,8}(子|こども)|(夫|旦那|妻)(が|を)?(亡く|死ん|なくし).{0,12}(子|こども)|(子|こども).{0,12}しんぐる(?!ま|ふ)|しんぐる(で|です|、).{0,12}(子|こども)|(夫|旦那|妻)と別れ.{0,10}(子|こども)"),
    ("household", "alone",
     r"一人暮らし|ひとり暮らし|ひとりぐらし|一人ぐらし|独身|身寄りが(ない|無)|"
     r"単身|livealone|身寄りなし"),
    ("household", "couple", r"夫婦|共働き|(夫|旦那|妻|嫁|彼氏|彼女)と(2人|ふたり)暮らし|"
     r"(夫|旦那)(は|が).{0,10}(働|仕事|稼)|(夫|旦那|妻|嫁)の(給料|収入|稼ぎ|扶養)"),
    ("household", "with_elderly",
     r"(親|母|父|祖母|祖父)の介護|高齢の(親|母|父)|年老いた|認知症の(母|父|親)|"
     r"介護(で|が|を|して|のため)|\d{2}歳(以上)?の(母|父|親|祖母|祖父)"),
    ("employment", "lost_job",
     r"くびになっ|首になっ|くびにされ|クビ|解雇|りすとら|雇い止め|雇止め|やといどめ|失業|"
     r"仕事(を|が)?(なくし|無くし|失っ|うしなっ|なくなっ|無くなっ)|職を失|派遣切り|契約(を|が)?切ら|"
     r"会社(が|を)?(つぶれ|倒産|辞め|やめ|首)|(仕事|会社|バイト|ばいと|パート|ぱーと)を?(辞め|やめ)|"
     r"退職し|離職|lost(my|his|her|our)job|fired|laidoff|unemployed"),
    ("employment", "unable_to_work",
     r"働けな|はたらけな|仕事ができな|仕事に行けな|cannotwork|can'twork"),
    ("employment", "self_employed", r"自営|ふりーらんす|個人事業|ういーつ|うーばー|配達員|一人親方|"
     r"selfemployed|freelance"),
    ("employment", "student",
     r"大学生です|大学生で|学生です|学生で|学生(だ|なので|の身)|専門学校に通|留学生|院生|"
     r"大学に通|短大生|私は大学|imastudent|i'mastudent"),
    ("employment", "employed", r"ぱーと|ばいと|あるばいと|働いて(い|る|ま)|正社員|派遣で働|会社員|"
     r"契約社員|給料が(少な|安)|手取り|仕事はして|parttime|iwork"),
    ("employment", "not_working", r"無職|働いていな|仕事が(ない|無い|みつから|見つから)|求職中|"
     r"年金暮らし|年金生活"),
    ("income", "none",
     r"収入が?(ない|無い|ゼロ|ぜろ|0)|無収入|一文無し|所持金.{0,4}(ない|\d{1,4}円)|"
     r"noincome"),
    ("income", "very_low",
     r"生活保護を受けて|生活保護受給|生活でき(ない|なく|ません)|食べていけ(ない|ません)|"
     r"生活が成り立た"),
    ("income", "low",
     r"(収入|稼ぎ|給料|手取り)(が|も|は)?(少な|低|安)|低収入|生活が(苦し|くるし)|ぎりぎり|"
     r"住民税(が)?非課税|年金だけ|年金が少な|lowincome"),
    ("savings", "none", r"貯金(が|も|は)?(ない|無い|ゼロ|0|ぜろ|底をつ|尽き|つき)|貯金なし|"
     r"貯(金|蓄)(が|も)?(全く|まったく)?(ない|無い)|nosavings"),
    ("savings", "little", r"貯金(が|も|は)?(少し|わずか|少な)"),
    ("employment_insurance", True,
     r"雇用保険(に|は|には)?(入ってい(た|ました|る|ます)|入ってた|入ってる|加入して|あり|かけて|"
     r"もら)"),
    ("employment_insurance", False,
     r"雇用保険(に|は|には)?(入って(い)?な|入って(い)?ません|加入して(い)?(な|ません)|なし|未加入|"
     r"無い|ない|入れて)"),
    ("pregnant", True, r"妊娠|にんしん|妊婦|お腹に(赤ちゃん|子)|出産予定|もうすぐ(生まれ|産まれ)|"
     r"出産(費用|する)|pregnant"),
    ("illness", True, r"病気|びょうき|けが|怪我|入院|うつ|鬱|手術|がん|癌|通院|体調を崩|"
     r"治療中|精神科|心療内科|持病|sick|illness|injur"),
    ("disability", "child", r"(子|こども|息子|むすこ|娘|むすめ)(が|に|は)?.{0,6}(障害|障がい|発達)|"
     r"(障害|障がい)(のある|を持つ|がある)(子|こども|息子|娘)"),
    ("disability", "self", r"障害者手帳|療育手帳|私.{0,4}(障害|障がい)|(障害|障がい)があって"),
    ("health_insurance", "national", r"国保|国民健康保険|こくほ"),
    ("health_insurance", "employee", r"社会保険|社保|会社の(健康)?保険|協会けんぽ|健康保険組合"),
    ("health_insurance", "none", r"保険証(が|も)?(ない|無い|切れ|なくて)|無保険|保険に入っていな"),
    ("nationality", "foreign",
     r"外国人|外国籍|在留(カード|資格)|ビザ|びざ|留学生|技能実習|特定技能|"
     r"ベトナム|べとなむ|フィリピン|ふぃりぴん|ネパール|ねぱーる|ブラジル|ぶらじる|中国人|韓国籍|"
     r"日本語が(苦手|わから|下手)|永住|定住者|i'mfrom|iamfrom|foreigner|visa|philippin|vietnam|"
     r"nepal|brazil|indonesia|myanmar|china"),
    ("residence_status", "none",
     r"おーばーすてい|オーバーステイ|(ビザ|びざ|在留資格|在留カード)(が|は)?"
     r"(切れ|ない|無い)|仮放免|不法滞在|novisa"),
    ("residence_status", "short_stay", r"短期滞在|観光(ビザ|びざ)|touristvisa"),
    ("residence_status", "permanent",
     r"永住|定住者|日本人の配偶者|配偶者(ビザ|びざ)|特別永住|permanentresident"),
    ("residence_status", "resident",
     r"在留カード(が|は)?(ある|あり|持って)|特定技能|技能実習|就労(ビザ|びざ)|留学(ビザ|びざ)|留学生|"
     r"workvisa|studentvisa"),
    ("dv", True, r"dv|ＤＶ|暴力|殴られ|なぐられ|叩かれ|たたかれ|蹴られ|けられ|もらはら|怒鳴られ|"
     r"(夫|旦那|彼氏|パートナー|ぱーとなー|親)から逃げ|逃げてきた|hitsme|abuse"),
    ("student_loan", True, r"奨学金(を|が|の)?(返|払|かえ|返済|返還)|奨学金が返せ|jasso"),
)

_NEEDS: tuple[tuple[str, str], ...] = (
    ("housing", r"家賃|やちん|家ちん|住む(所|ところ|場所)|住まい|家が(ない|無)|"
     r"ほーむれす|野宿|路上|"
     r"ねっとかふぇ|漫画喫茶|追い出|立ち退|たちのき|部屋を借り|寝る(所|ところ|場所)|泊ま|"
     r"アパート|あぱーと|引っ越|ひっこし|rent|homeless|住宅"),
    ("money", r"お金|おかね|生活費|生活でき|金欠|給料|収入|貯金|借りたい|money|手当"),
    ("food", r"食べ物|たべもの|食料|ご飯|ごはん|食べる物|食べて(い|な)|お米|おこめ|空腹|food"),
    ("medical", r"うつ|鬱|精神科|心療内科|病院|医療費|薬|治療|通院|入院|出産|病気|びょうき|"
     r"歯医者|medical|hospital|doctor"),
    ("debt", r"借金|しゃっきん|ろーん|消費者金融|サラ金|さらきん|カードの支払|滞納|返済|debt"),
    ("work", r"仕事(を|が)?(探|さが|見つ|み つ|ない)|就職|求職|職業訓練|資格(を|が)?(取|と)|"
     r"仕事したい|働きたい|くび|解雇|失業|job|work"),
    ("school", r"学費|給食費|授業料|学用品|修学旅行|入学金|進学|塾|制服|大学|高校|school|tuition"),
    ("violence", r"dv|暴力|殴|なぐ|叩か|たたか|蹴ら|逃げ|もらはら|虐待|violence|abuse"),
    ("childcare", r"子ども|子供|こども|子育て|育児|保育|息子|娘|赤ちゃん|kids|child"),
    ("pension", r"年金|ねんきん|pension"),
    ("insurance", r"保険料|国保|国民健康保険|年金(の)?(保険料|払|未納)"),
    ("legal", r"弁護士|法律|離婚|養育費|裁判|調停|lawyer|legal"),
    ("loan", r"奨学金|しょうがくきん|scholarship|studentloan"),
    ("consult", r"相談|どこに|だれに|誰に|help"),
    ("shelter", r"今夜|今日(泊|寝)|泊ま(る|れる)(所|ところ|場所)|寝る(所|ところ|場所)|野宿|路上|"
     r"ほーむれす|住む(所|ところ|場所)が(ない|無)|家が(ない|無)|ねっとかふぇ|漫画喫茶|まんきつ|homeless"),
    ("care", r"介護|認知症|高齢の(親|母|父)|寝たきり|老老"),
    ("foreign", r"外国人|外国籍|在留|ビザ|びざ|日本語が|留学生|技能実習|i'mfrom|iamfrom|visa"),
)

# Key phrases that also match with one slip (「しんぐるまざ」, 「ひとりおやで」).
_FUZZY: tuple[tuple[str, str, Any], ...] = (
    ("しんぐるまざー", "household", "single_parent"),
    ("ひとりおや", "household", "single_parent"),
    ("ぼしかてい", "household", "single_parent"),
    ("ひとりぐらし", "household", "alone"),
    ("しつぎょう", "employment", "lost_job"),
    ("りすとら", "employment", "lost_job"),
    ("にんしんちゅう", "pregnant", True),
)

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
    for key, value, pattern in _PHRASES:
        found = _pattern(pattern).search(folded) if key not in facts else None
        if found is not None:
            # 「妊娠はしていません」「病気はありません」: a yes/no fact said the other way.
            denied = value is True and _NEGATION.match(folded, found.end())
            facts[key] = False if denied else value
    for phrase, key, value in _FUZZY:
        if key not in facts and len(folded) >= len(phrase) - 1 and fuzz.partial_ratio(
                phrase, folded) >= 85:
            facts[key] = value
    if facts.get("employment") == "student" and _pattern(
            _CHILD + r"(が|は|も)?(大学生|学生|短大生|専門学校)").search(folded):
        del facts["employment"]  # 「息子が大学生です」: the child studies, not the writer
        facts.setdefault("youngest_child_age", 20)
    _numbers(folded, facts)
    _prefecture(folded, facts)
    needs = tuple(need for need, pattern in _NEEDS if _pattern(pattern).search(folded)
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
