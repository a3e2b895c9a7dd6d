"""The program finder's words: what was understood, a question, results, 「窓口で見せる」."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

from helpbot.core.messages import Card, CardButton, QuickReply, Reply
from helpbot.programs.facts import FACTS_BY_KEY, describe_facts
from helpbot.programs.finder import Finding, Question

ASK_SITUATION = (
    "あなたに合う支援制度をさがします。いまの状況を、ふだんの言葉で教えてください。\n"
    "例:「シングルマザーで子ども2人、パートの収入が少ない」「先月仕事をなくして家賃が払えない」\n"
    "答えたくないことは、書かなくて大丈夫です。"
)
CLEARED = "制度さがしの答えを消しました。また「制度をさがす」と送ると、最初から始められます。"
NOTHING_YET = "まだ答えがありません。「制度をさがす」と送ると始められます。"
NO_PROGRAMS = ("合う制度を見つけられませんでした。住んでいる市区町村の「自立相談支援機関」なら、"
               "どんなこまりごとでも相談できます。スタッフにも相談できます。")
_PHONE = re.compile(r"0\d{1,4}-?\d{1,4}-?\d{3,4}")


def postback(action: str, **values: str) -> str:
    return urlencode({"a": action, **values})


def understood(facts: dict[str, Any]) -> str:
    lines = describe_facts(facts)
    if not lines:
        return "まだ、くわしいことはわかっていません。いくつか聞かせてください。"
    return "わかったこと:\n" + "\n".join(lines)


def question_reply(question: Question, *, intro: str = "") -> Reply:
    buttons = tuple(
        QuickReply(label=label, postback=postback("pf", f=question.fact, v=str(value)),
                   display_text=label)
        for value, label in question.options
    )
    text = f"{intro}\n\n{question.text}" if intro else question.text
    return Reply(text=text, quick_replies=buttons)


def _phone(program: Any) -> str | None:
    match = _PHONE.search(program.phone or program.where_to_go or "")
    return match.group(0).replace("-", "") if match else None


def results_reply(finding: Finding, *, area: str | None) -> Reply:
    """The best programs as text (why, what to bring, where, still unknown) and as cards."""
    if not finding.matches:
        return Reply(text=NO_PROGRAMS, quick_replies=_after_buttons())
    parts = [understood(finding.facts), "", "あなたに合いそうな制度:"]
    cards = []
    for index, match in enumerate(finding.matches, start=1):
        program = match.program
        where = program.where_to_go or program.application_process or ""
        if area and program.level == "municipal":
            where = f"{where}（{area}に住んでいる人は{area}の窓口）"
        unknown = "、".join(FACTS_BY_KEY[k].label for k in match.unknown if k in FACTS_BY_KEY)
        lines = [f"合う理由: {'、'.join(match.why) or '相談できます'}"]
        if program.required_documents:
            lines.append(f"持っていくもの: {'、'.join(program.required_documents)}")
        if where:
            lines.append(f"行く所: {where}")
        if unknown:
            lines.append(f"まだわからないこと: {unknown}")
        parts.append(f"\n{index}. {program.name}\n" + "\n".join(lines))
        buttons = []
        phone = _phone(program)
        if phone:
            buttons.append(CardButton("電話する", uri=f"tel:{phone}"))
        if program.url:
            buttons.append(CardButton("公式ページ", uri=program.url))
        buttons.append(CardButton("窓口で見せる", postback=postback("pshow")))
        cards.append(Card(program.name, tuple(lines), tuple(buttons)))
    parts.append("\n情報は変わることがあります。申し込む前に窓口で確かめてください。")
    return Reply(text="\n".join(parts), quick_replies=_after_buttons(), cards=tuple(cards))


def _after_buttons() -> tuple[QuickReply, ...]:
    return (
        QuickReply("窓口で見せる", postback("pshow"), "窓口で見せる"),
        QuickReply("答えを変える", postback("pchange"), "答えを変える"),
        QuickReply("答えを消す", postback("pclear"), "答えを消す"),
    )


def change_reply(facts: dict[str, Any]) -> Reply:
    keys = [k for k, v in facts.items() if k in FACTS_BY_KEY and FACTS_BY_KEY[k].question
            and FACTS_BY_KEY[k].options]
    if not keys:
        return Reply(text=NOTHING_YET)
    buttons = tuple(
        QuickReply(FACTS_BY_KEY[k].label[:20], postback("pre", f=k), FACTS_BY_KEY[k].label)
        for k in keys[:12]
    )
    return Reply(text="どの答えを変えますか。\n" + "\n".join(describe_facts(facts)),
                 quick_replies=buttons)


def show_at_office(finding: Finding, *, today: dt.date, organisation: str) -> Reply:
    """A note to show at the municipal office: programs, documents, the person's own facts."""
    if not finding.matches:
        return Reply(text=NOTHING_YET)
    lines = ["【窓口で見せるメモ】", "相談したい制度:"]
    documents: list[str] = []
    for match in finding.matches[:3]:
        program = match.program
        where = f"（{program.where_to_go}）" if program.where_to_go else ""
        lines.append(f"・{program.name}{where}")
        documents += [d for d in program.required_documents if d not in documents]
    lines += ["持っていくもの:", *(f"・{d}" for d in documents[:10])]
    lines += ["わたしの状況（本人が話したこと）:", *describe_facts(finding.facts)]
    lines.append(f"{today.year}年{today.month}月{today.day}日 {organisation}のLINEで作成")
    return Reply(text="\n".join(lines), quick_replies=_after_buttons())
