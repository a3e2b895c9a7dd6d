"""Japanese for the check messages of program records (knowledge/problem_texts.py asks here
for any message its own table does not know)."""

from __future__ import annotations

import re

PROGRAM_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), japanese)
    for pattern, japanese in (
        (r"unknown condition '(?P<value>[^']*)'",
         "条件（conditions）に「{value}」という項目はありません"),
        (r"condition '(?P<value>[^']*)' must be a range",
         "条件「{value}」は範囲（min と max）で書いてください"),
        (r"condition '(?P<value>[^']*)' must be true or false",
         "条件「{value}」は true（はい）か false（いいえ）で書いてください"),
        (r"condition '(?P<value>[^']*)' has an unknown value (?P<other>.*)",
         "条件「{value}」の値 {other} は使えません"),
        (r"condition '(?P<value>[^']*)': .*", "条件「{value}」の数が読めません"),
        (r"'(?P<value>\w+)' must be a mapping of facts",
         "「{value}」は「項目: 値」の形で書いてください"),
        (r"'any_of' must be a list of condition groups",
         "「any_of」は条件のまとまりの並び（- で始まる行）で書いてください"),
        (r"'(?P<value>\w+)' is not a condition", "「{value}」は条件（conditions）には書けません"),
        (r"unknown status (?P<value>.*)", "状態（status）{value} はありません"),
        (r"unknown level (?P<value>.*)", "実施する所（level）{value} はありません"),
        (r"unknown need (?P<value>.*) in 'helps_with'",
         "「helps_with」の {value} は使えません"),
        (r"'url' is not a web address: (?P<value>.*)",
         "url {value} がウェブのアドレスではありません"),
        (r"each of 'service_areas' needs .*",
         "service_areas（地域）は都道府県・市区町村・コードで書いてください"),
        (r"area code (?P<value>.*) is not a JIS code",
         "地域コード {value} が全国地方公共団体コードではありません"),
        (r"'area' in staff.yaml needs .*",
         "staff.yaml の area（団体の地域）は都道府県で書いてください"),
    )
)

PROGRAM_HINTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), japanese)
    for pattern, japanese in (
        (r"write it like: (?P<value>.*)", "{value} のように書いてください"),
        (r"use one of: (?P<value>.*)", "次の中から選んでください: {value}"),
        (r"use some of: (?P<value>.*)", "次の中から選んでください: {value}"),
        (r"known facts: (?P<value>.*)", "使える項目: {value}"),
        (r"see faq/README.md, 'conditions'",
         "faq/README.md の「条件（conditions）」を見てください"),
        (r"use whole numbers", "整数で書いてください"),
        (r"write what the program helps with under helps_with:",
         "何のこまりごとに役立つかは helps_with に書いてください"),
        (r"write the area under service_areas:", "地域は service_areas に書いてください"),
        (r"write the whole address, starting with https://",
         "https:// から始まるアドレスを全部書いてください"),
        (r"use the 6-digit .*", "6けたの全国地方公共団体コード（都道府県は2けた）を使ってください"),
        (r"write it on one line", "1行で書いてください"),
    )
)
