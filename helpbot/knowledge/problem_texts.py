"""Check messages in Japanese for staff, beside the English kept for developers.

Problems are built in English where they are found (records, yaml_files, loader, csv_files,
policies); this table gives each one a Japanese sentence, so ``helpbot faq check`` prints
``faq/food.yaml:12: 「answer」（答え）がありません / missing 'answer' (hint: …)``. A message
with no row here is shown in English only.
"""

from __future__ import annotations

import re

from helpbot.programs.problem_texts import PROGRAM_HINTS, PROGRAM_MESSAGES

# What staff call each field (the field names themselves stay as written in the files).
FIELD_NAMES = {
    "id": "ID", "question": "質問", "answer": "答え", "alternates": "別の言い方",
    "keywords": "キーワード", "category": "分類", "language": "言葉", "name": "名前",
    "type": "種類", "last_checked": "情報を確かめた日", "deadline": "締め切り",
    "contact": "連絡先", "hours": "時間", "status": "状態", "url": "ページ", "area": "地域",
    "stale_after_months": "古いとみなす月数", "label": "ボタンの文字",
    "chat_bar_text": "メニューの文字", "deadline_warning_days": "締め切り前に知らせる日数",
    "holidays": "休みの日", "categories": "分類の一覧",
}


# For answer_en, question_easy, ...: 「question_en」（英語の質問）.
_LANGUAGE_NAMES = {
    "easy": "やさしい日本語", "en": "英語", "zh": "中国語", "ko": "韓国語", "vi": "ベトナム語",
    "pt": "ポルトガル語", "es": "スペイン語", "tl": "タガログ語", "ne": "ネパール語",
    "id": "インドネシア語", "my": "ミャンマー語",
}


def _field(key: str) -> str:
    base, _, language = key.partition("_")
    name = FIELD_NAMES.get(key)
    if name is None and base in ("question", "answer") and language in _LANGUAGE_NAMES:
        name = f"{_LANGUAGE_NAMES[language]}の{FIELD_NAMES[base]}"
    return f"「{key}」（{name}）" if name else f"「{key}」"


_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), japanese)
    for pattern, japanese in (
        (r"missing '(?P<key>[\w.]+)'", "{key}がありません"),
        (r"unknown language '(?P<value>[^']*)' in '(?P<key>[^']+)'",
         "{key}の言葉「{value}」はわかりません"),
        (r"unknown text '(?P<value>[^']*)'", "文言「{value}」はありません"),
        (r"unknown finder text '(?P<value>[^']*)'", "制度さがしの文言「{value}」はありません"),
        (r"'(?P<key>[\w.]+)' is a button label longer than (?P<n>\d+) characters \((?P<m>\d+)\)",
         "{key}はボタンの文字です。{n}文字までにしてください（いま{m}文字）"),
        (r"unknown language '(?P<value>[^']*)'", "言葉「{value}」はわかりません"),
        (r"'(?P<value>[^']*)' must keep the placeholders (?P<names>.*)",
         "「{value}」には {names} を残してください"),
        (r"'(?P<value>[^']*)' has \{ \} the bot cannot fill",
         "「{value}」に {{ }} は書けません（この文言には差しこむものがありません）"),
        (r"'(?P<key>[^']+)' is written twice", "{key}が2回書かれています"),
        (r"'(?P<key>[\w.]+)' must list languages",
         "{key}は言葉ごとに（ja: …, en: …）書いてください"),
        (r"unknown field '(?P<key>[^']+)'.*", "{key}という項目はありません"),
        (r"'done_by' needs '(?P<key>\w+)'", "done_by には {key} が必要です"),
        (r"'done_by: (?P<key>\w+)' must be a list of words",
         "done_by の {key} は言葉の並び（[a, b]）で書いてください"),
        (r"'done_by: instead_of' names an unknown category '(?P<value>[^']*)'",
         "done_by の instead_of にある種類「{value}」は categories にありません"),
        (r"category '(?P<value>[^']+)' re-files itself in 'done_by: instead_of'",
         "種類「{value}」の done_by の instead_of に、その種類自身の id が書かれています"),
        (r"'(?P<key>[\w.]+)' must be text", "{key}は文字で書いてください"),
        (r"'(?P<key>[\w.-]+)' is empty", "{key}が空です"),
        (r"'(?P<key>[\w.]+)' must be a list of texts",
         "{key}は言葉の並び（[a, b]）で書いてください"),
        (r"'(?P<key>[\w.]+)' must be a list", "{key}は並び（- で始まる行）で書いてください"),
        (r"'(?P<key>[\w.]+)' is not a valid date: (?P<value>.*)",
         "{key}の日付 {value} が読めません"),
        (r"bad date (?P<value>.*)", "日付 {value} が読めません"),
        (r"unknown type (?P<value>.*)", "種類（type）{value} はありません"),
        (r"unknown status (?P<value>.*)", "状態（status）{value} はありません"),
        (r"unknown action (?P<value>.*)", "ボタンの動き（action）{value} はありません"),
        (r"unknown size (?P<value>.*)", "大きさ（size）{value} はありません"),
        (r"'(?P<key>[\w.]+)' is longer than (?P<n>\d+) characters",
         "{key}が長すぎます（{n}文字まで）"),
        (r"'(?P<key>[\w.]+)' is not a colour: .*", "{key}の色が読めません"),
        (r"'buttons' must list 1 to (?P<n>\d+) buttons", "ボタン（buttons）は1から{n}個までです"),
        (r"'(?P<key>[\w.]+)' must be a whole number of (?P<unit>\w+)",
         "{key}は数字で書いてください"),
        (r"last checked on (?P<date>\S+), more than (?P<months>\d+) months ago",
         "情報を最後に確かめたのは {date} で、{months}か月以上前です"),
        (r"last_checked (?P<date>\S+) is in the future \(today is (?P<today>\S+)\)",
         "情報を確かめた日（last_checked）{date} が先の日付です（今日は {today}）"),
        (r"the deadline (?P<date>\S+) has passed; people no longer see this entry",
         "締め切り {date} を過ぎたので、この項目はもう案内していません"),
        (r"the deadline (?P<date>\S+) is in (?P<days>\d+) day\(s\)",
         "締め切り {date} まであと{days}日です"),
        (r"the file was Shift_JIS; it was read as Shift_JIS \(cp932\)",
         "ファイルが Shift_JIS だったので、Shift_JIS として読みました"),
        (r"this file is not read: only .yaml, .yml and .csv files are",
         "このファイルは読んでいません（読むのは .yaml .yml .csv のファイルだけです）"),
        (r"the file has no entries \(it is empty or has only comments\)",
         "このファイルには質問がありません（空か、メモ（#）だけです）"),
        (r"this looks like a copy of (?P<value>\S+); only the file named .*",
         "このファイルは {value} の写しのようです。{value} として読むのは、{value} という名前の"
         "ファイルだけです"),
        (r"this settings file was removed or renamed; the built-in settings are used .*",
         "この設定ファイルが消されたか、名前が変わりました。もどすまで、組み込みの設定"
         "（危険のサインと電話番号、対応時間など）を使います"),
        (r"columns kept as they are: (?P<value>.*)",
         "次の列はそのまま残しました（ボットは使いません）: {value}"),
        (r"duplicate id '(?P<id>[^']*)' \(first used at (?P<first>[^)]*)\)",
         "ID「{id}」はもう使われています（最初は {first}）"),
        (r"unknown category '(?P<value>[^']*)'",
         "分類「{value}」は staff.yaml の categories にありません"),
        (r"'(?P<key>[\w.-]+)' was cut at ' #': .*",
         "{key}の文は「 #」のところで切れています（YAML では「 #」から後ろはメモになり、"
         "ボットに届きません）"),
        (r"field '(?P<key>[^']+)' is written twice", "{key}が2回書かれています"),
        (r"this list item is indented too far.*",
         "この「- 」の字下げが深すぎて、上の行の文につながっています"),
        (r"this item is not an entry", "この項目は質問の形（- id: ...）になっていません"),
        (r"the file should be a list of entries",
         "ファイルは質問の並び（- id: ...）にしてください"),
        (r"YAML syntax error: .*", "書き方のまちがいがあります（YAML）"),
        (r"YAML error: .*", "書き方のまちがいがあります（YAML）"),
        (r"the file is not UTF-8.*", "ファイルの文字コードが UTF-8 ではありません"),
        (r"cannot read the file: .*", "ファイルが読めません"),
        (r"a synonym group must be a list of words", "同じ意味の言葉は [ ] の中に並べてください"),
        (r"a synonym group needs two or more words", "同じ意味の言葉は2つ以上書いてください"),
        (r"the synonyms file should be a list of groups",
         "synonyms.yaml は言葉のグループの並びにしてください"),
        (r"this row has more cells than the header", "この行は見出しより列が多すぎます"),
        (r"unknown column '(?P<value>[^']*)' in the header",
         "見出しに知らない列「{value}」があります"),
        (r"the header has no .* column", "見出し（1行目）に必要な列がありません"),
        (r"the CSV file has no rows \(it is empty or has only the header\)",
         "CSV ファイルに質問の行がありません（空か、見出しの行だけです）"),
        (r"a '\"' in this row does not pair up \(the row runs to line (?P<n>\d+)\)",
         "この行の「\"」が対になっていません（この行が {n} 行目までつながっています）"),
        (r"a '\"' in this row does not pair up", "この行の「\"」が対になっていません"),
        (r"CSV error: .*", "CSV の書き方のまちがいがあります"),
        (r"unknown weekday (?P<value>.*)", "曜日 {value} が読めません"),
        (r"cannot read hours (?P<value>.*)", "時間 {value} が読めません"),
        (r"unknown time zone (?P<value>.*)", "タイムゾーン {value} が読めません"),
        (r"cannot read public_holidays (?P<value>.*)",
         "祝日（public_holidays）{value} が読めません"),
        (r"hotline '(?P<id>[^']+)' has hours that cannot be read: (?P<value>.*)",
         "電話「{id}」の時間（hours）{value} が読めません"),
        (r"hotline '(?P<id>[^']+)' has a number people cannot dial: (?P<value>.*)",
         "電話「{id}」の番号（number）{value} は、かけられる電話番号の形ではありません"),
        (r"'contact.phone' is not a phone number people can dial: (?P<value>.*)",
         "連絡先の電話（contact.phone）{value} は、かけられる電話番号の形ではありません"),
        (r"category '(?P<id>[^']+)' calls an unknown hotline '(?P<value>[^']*)'",
         "種類「{id}」の call にある電話「{value}」は hotlines にありません"),
        (r"hotline '(?P<id>[^']+)' needs a Japanese name",
         "電話「{id}」に日本語の名前（name の ja）がありません"),
        (r"hotline '(?P<id>[^']+)' has days that cannot be read: (?P<value>.*)",
         "電話「{id}」の曜日（days）{value} が読めません"),
        (r"hotline '(?P<id>[^']+)' has public_holidays that cannot be read: (?P<value>.*)",
         "電話「{id}」の祝日（public_holidays）{value} が読めません"),
        (r"no contact in staff\.yaml: .*",
         "staff.yaml に連絡先（contact）がありません。Slack なしで LINE だけを使うと、"
         "スタッフと話したい人や記録を消してほしい人に、人と連絡をとる方法を伝えられません"),
    )
)

_HINTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), japanese)
    for pattern, japanese in (
        (r"did you mean '(?P<key>[^']+)'\?(?P<rest>.*)", "「{key}」のまちがいではありませんか？"),
        (r"write the question people ask", "よく聞かれる質問の文を書いてください"),
        (r"name another category's id", "ほかの種類の id を書いてください"),
        (r"known ids: (?P<value>.*)", "書ける id: {value}"),
        (r"write the reply the bot should send", "ボットが送る返事を書いてください"),
        (r"known: (?P<value>(?:answer|question)_easy, .*)",
         "書ける言葉: {value}（easy はやさしい日本語）"),
        (r"write the question in that language, or delete the line",
         "その言葉で質問を書くか、この行を消してください"),
        (r"write the answer in that language, or delete the line",
         "その言葉で答えを書くか、この行を消してください"),
        (r"write the question in that language, or clear the cell",
         "その言葉で質問を書くか、セルを空にしてください（スペースも消します）"),
        (r"write the answer in that language, or clear the cell",
         "その言葉で答えを書くか、セルを空にしてください（スペースも消します）"),
        (r"write the name of the program", "制度の名前を書いてください"),
        (r"write it in quotes like \"#2E7D32\"",
         "\"#2E7D32\" のように \"\" でかこんで書いてください"),
        (r"use compact \(one row\) or full \(two rows\)",
         "compact（1段）か full（2段）を書いてください"),
        (r"use active, inactive \(paused\) or defunct \(ended\)",
         "active（受付中）、inactive（休止中）、defunct（終了）のどれかを書いてください"),
        (r"check the information, then write today's date in last_checked",
         "情報を確かめてから、last_checked を今日の日付にしてください"),
        (r"write the day the information was checked \(today or earlier\), like (?P<value>\S+)",
         "情報を確かめた日（今日かそれより前）を {value} のように書いてください"),
        (r"if it was saved empty by mistake, undo and save it again with its entries",
         "まちがえて空のまま保存したときは、元にもどして質問のある内容で保存してください"),
        (r"if it was saved empty by mistake, .*",
         "まちがえて空のまま保存したときは、行のある表をもう一度保存してください。"
         "このファイルの質問を全部やめるときは、ファイルごと消してください"),
        (r"update the deadline, or mark the entry 'status: inactive'",
         "新しい締め切りを書くか、「status: inactive」にしてください"),
        (r"to use it, save it as (?P<value>\S+) \(a spreadsheet as 'CSV UTF-8'\); .*",
         "使うなら {value} という名前で保存してください（表は「CSV UTF-8」で）。"
         "読ませないなら、名前を _ で始めてください"),
        (r"to keep it, start its name with _ \((?P<name>.+)\); "
         r"to use it, name it (?P<value>\S+)",
         "とっておくなら名前を _ で始めてください（{name}）。使うなら名前を {value} に"
         "してください"),
        (r"a cell in quotes must end with '\"' before the next comma; .*",
         "\"...\" でかこんだセルは、次の「,」の前に「\"」で閉じます。文の中の「\"」は2つ重ねて"
         "書きます（例: \"彼は\"\"大丈夫\"\"と言った\"）"),
        (r"save it as UTF-8 to silence this notice.*",
         "UTF-8 で保存すると、このお知らせは出なくなります（Excel では「CSV UTF-8」）"),
        (r"rename a column to one helpbot knows to use it.*",
         "使いたい列は、helpbot が知っている名前に変えてください（faq/README.md）"),
        (r"add a short, unique id like .*",
         "ほかと重ならない短いIDを書いてください（例: food-bank）"),
        (r"give this entry a different id.*", "ほかで使っていないIDに変えてください"),
        (r'write them like "10:00-22:00" .*',
         '"10:00-22:00" のように書いてください（"22:00-06:00" は夜中の0時をまたぎます）。'
         "いつでもつながる電話には hours を書きません"),
        (r"write them like 09:00-18:00 .*",
         "09:00-18:00（または 9:00〜18:00）のように書いてください。休みの日は closed（休み）"),
        (r"write closed \(休み\) or open \(営業\)",
         "closed（休み）か open（営業）を書いてください"),
        (r"write contact: per language .*",
         "contact: に電話番号などを言葉ごとに書いてください（ja: …）。電話番号はどの言葉の人にも"
         "読めるので、ja だけでも全員に伝えます"),
        (r"use mon, tue, wed, thu, fri, sat, sun .*",
         "mon, tue, wed, thu, fri, sat, sun（または 月, 火, 水, 木, 金, 土, 日）で書いてください"),
        (r"write days: weekdays \(平日\), or a list like .*",
         "days: weekdays（平日）か、[mon, tue, wed] のように曜日を並べて書いてください"),
        (r"write it like 110, #8008 or 0120-279-338 \(or null for a place to go\)",
         "110、#8008、0120-279-338 のように半角の数字とハイフンで書いてください"
         "（電話のない窓口は null）"),
        (r"write it like 0120-000-123 or 03-1234-5678",
         "0120-000-123 や 03-1234-5678 のように、番号を先に書いてください"),
        (r"write it as (?P<value>\S+)", "{value} のように書いてください"),
        (r"write (the date|it) like 2026-04-01", "2026-04-01 のように書いてください"),
        (r"line up '- ' with the item above it",
         "「- 」を上の行の「- 」と同じ位置にそろえてください"),
        (r"keep only one of them", "どちらか1つだけにしてください"),
        (r"keep only one of them \(the last one would be used\)",
         "どちらか1つだけにしてください（このままだと、後に書いた方だけが使われます）"),
        (r"write it, in quotes when it starts with # .*",
         "書いてください（#8008 のように # で始まるときは \"#8008\" と \"\" でかこみます）。"
         "ないときは null と書くか、この行を消してください"),
        (r"write them like 09:00-18:00, or closed",
         "09:00-18:00 のように半角で書いてください（休みの日は closed）"),
        (r"start each entry with '- id: \.\.\.'.*",
         "質問は「- id: ...」で始めて、項目はその下に字下げして書きます"),
        (r"indent with spaces, not tabs", "字下げは半角スペースで（タブは使えません）"),
        (r"this line is indented with a full-width space; .*",
         "この行の字下げに全角スペースがあります。半角スペースにしてください"),
        (r"'：' is full-width: .*",
         "「：」が全角です。半角の「:」と半角スペースにしてください（例: question: ...）"),
        (r"put a half-width space after ':'.*",
         "「:」のあとに半角スペースを1つ入れてください（例: question: ...）"),
        (r"put a half-width space after '-'.*",
         "「-」のあとに半角スペースを1つ入れてください（例: - 日曜に食べ物もらえる所）"),
        (r'put the whole text in quotes, like .*',
         "文全体を \"...\" でかこんでください（例: question: \"今日食べるもの #2がありません\"）"),
        (r"put text that contains .* in quotes.*", "「: 」がある文は \"...\" でかこんでください"),
        (r"check the indentation.*", "字下げを確かめてください（同じ質問の項目は同じ位置に）"),
        (r"every field needs a colon.*", "項目名のあとに「:」が必要です（例: answer: ...）"),
        (r"a quote is not closed", "かこみの \" が閉じていません"),
        (r"compare with an entry that works.*",
         "うまく動いている質問か、faq/README.md の例とくらべてください"),
        (r"save the file as UTF-8.*", "UTF-8 で保存してください（Excel では「CSV UTF-8」）"),
        (r"use one of: (?P<value>.*) \(or add it .*",
         "次の中から選んでください: {value}（新しい分類は staff.yaml の categories に足します）"),
        (r"write field names in English: '(?P<key>[^']+)'", "項目名は英語で書きます: 「{key}」"),
        (r"this field is for support programs.*",
         "この項目は支援制度用です。「type: program」を足してください"),
    )
)


def _translate(
    text: str, table: tuple[tuple[re.Pattern[str], str], ...], *, fields: bool
) -> str | None:
    for pattern, japanese in table:
        match = pattern.fullmatch(text)
        if match is not None:
            values = match.groupdict()
            if fields and "key" in values:
                values["key"] = _field(values["key"])
            return japanese.format(**values)
    return None


def japanese_message(message: str) -> str | None:
    """The Japanese for an English check message, or None when there is none."""
    return (_translate(message, _MESSAGES, fields=True)
            or _translate(message, PROGRAM_MESSAGES, fields=False))


def japanese_hint(hint: str) -> str | None:
    """The Japanese for an English hint, or None when there is none."""
    return _translate(hint, _HINTS, fields=False) or _translate(hint, PROGRAM_HINTS, fields=False)
