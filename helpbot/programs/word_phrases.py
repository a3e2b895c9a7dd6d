"""The phrases ``programs/words.py`` looks for: facts, needs, and key phrases with a slip.

Plain data: each pattern is matched on the folded text (see ``words.fold``), so write it in
hiragana where people type kana; ``words.py`` also lets a kanji word match its kana reading.
"""

from __future__ import annotations

from typing import Any

# (fact, value, pattern on the folded text). Patterns are written in hiragana where people
# type kana (the folded text has no katakana).
PHRASES: tuple[tuple[str, Any, str], ...] = (
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

NEEDS: tuple[tuple[str, str], ...] = (
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
FUZZY: tuple[tuple[str, str, Any], ...] = (
    ("しんぐるまざー", "household", "single_parent"),
    ("ひとりおや", "household", "single_parent"),
    ("ぼしかてい", "household", "single_parent"),
    ("ひとりぐらし", "household", "alone"),
    ("しつぎょう", "employment", "lost_job"),
    ("りすとら", "employment", "lost_job"),
    ("にんしんちゅう", "pregnant", True),
)
