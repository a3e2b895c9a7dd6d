"""The program finder's replies: what was understood, a question, results, 「窓口で見せる」.

Every fixed word comes from :class:`FinderWords` in the person's language; the postbacks
(``a=pf&f=household&v=alone``) are the same in every language."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

from helpbot.core.messages import Card, CardButton, QuickReply, Reply
from helpbot.programs.facts import FACTS_BY_KEY, describe_facts
from helpbot.programs.finder import Finding, Match, Question
from helpbot.programs.finder_words import FinderWords

_PHONE = re.compile(r"0\d{1,4}-?\d{1,4}-?\d{3,4}")


def postback(action: str, **values: str) -> str:
    return urlencode({"a": action, **values})


def text_reply(words: FinderWords, key: str) -> Reply:
    """One of the finder's texts, with 「制度をさがす」 to start (again) where it says how."""
    start: tuple[QuickReply, ...] = ()
    if key in ("cleared", "nothing_yet"):
        label = words("start")
        start = (QuickReply(label, postback("pfind"), label),)
    return Reply(text=words(key), quick_replies=start)


def understood(facts: dict[str, Any], words: FinderWords) -> str:
    lines = words.describe(facts)
    if not lines:
        return words("understood_nothing")
    return words("understood") + "\n" + "\n".join(lines)


def question_reply(question: Question, words: FinderWords, *, intro: str = "") -> Reply:
    """A question in the person's language; the buttons' postbacks carry the stored value."""
    buttons = []
    for value, label in question.options:
        shown = words.option(question.fact, value, label)
        buttons.append(QuickReply(label=shown, display_text=shown,
                                  postback=postback("pf", f=question.fact, v=str(value))))
    text = words.say(f"{question.fact}.question", question.text)
    return Reply(text=f"{intro}\n\n{text}" if intro else text, quick_replies=tuple(buttons))


def _phone(program: Any) -> str | None:
    match = _PHONE.search(program.phone or program.where_to_go or "")
    return match.group(0).replace("-", "") if match else None


def results_reply(finding: Finding, words: FinderWords, *, area: str | None) -> Reply:
    """The best programs as text (why, what to bring, where, still unknown) and as cards: the
    labels in the person's language, the programs as the faq/ files write them."""
    if not finding.matches:
        return Reply(text=words("no_programs"), quick_replies=_after_buttons(words))
    parts = [understood(finding.facts, words), "", words("results")]
    if words("in_japanese"):
        parts.append(words("in_japanese"))
    cards = []
    for index, match in enumerate(finding.matches, start=1):
        program = match.program
        lines = _program_lines(match, finding.facts, words, area)
        parts.append(f"\n{index}. {program.name}\n" + "\n".join(lines))
        buttons = []
        phone = _phone(program)
        if phone:
            buttons.append(CardButton(words("call"), uri=f"tel:{phone}"))
        if program.url:
            buttons.append(CardButton(words("website"), uri=program.url))
        buttons.append(CardButton(words("show_at_office"), postback=postback("pshow")))
        cards.append(Card(program.name, tuple(lines), tuple(buttons)))
    parts.append("\n" + words("check_before"))
    return Reply(text="\n".join(parts), quick_replies=_after_buttons(words), cards=tuple(cards))


def _reasons(match: Match, facts: dict[str, Any], words: FinderWords) -> str:
    """Why a program fits: as the finder wrote it in Japanese, else by key in the person's
    words (a condition held by an implied fact, which has no words of its own, is left out)."""
    if (words.language or "ja") == "ja":
        return "、".join(match.why)
    reasons = [words("why_named")] if match.named else []
    reasons += [words("why_need", need=words.say(f"needs.{need}", need)) for need in match.helped]
    for key in match.held:
        if key in facts:
            reasons += [line.removeprefix("・") for line in words.describe({key: facts[key]})]
    return ("、" if words.japanese else "; ").join(reasons)


def _program_lines(match: Match, facts: dict[str, Any], words: FinderWords,
                   area: str | None) -> list[str]:
    program = match.program
    where = program.where_to_go or program.application_process or ""
    if area and program.level == "municipal":
        note = words("area_note", area=area)
        where = f"{where}{note}" if note.startswith("（") else f"{where} {note}"
    unknown = words.separator.join(words(f"{k}.label") for k in match.unknown
                                   if k in FACTS_BY_KEY)
    lines = [f"{words('why')}: {_reasons(match, facts, words) or words('can_consult')}"]
    if program.required_documents:
        lines.append(f"{words('bring')}: {'、'.join(program.required_documents)}")
    if where:
        lines.append(f"{words('where')}: {where}")
    if unknown:
        lines.append(f"{words('still_unknown')}: {unknown}")
    return lines


def _after_buttons(words: FinderWords) -> tuple[QuickReply, ...]:
    return tuple(QuickReply(words(key), postback(action), words(key)) for key, action in (
        ("show_at_office", "pshow"), ("change_answer", "pchange"), ("clear_answers", "pclear")))


def change_reply(facts: dict[str, Any], words: FinderWords) -> Reply:
    keys = [k for k, v in facts.items() if k in FACTS_BY_KEY and FACTS_BY_KEY[k].question
            and FACTS_BY_KEY[k].options]
    if not keys:
        return text_reply(words, "nothing_yet")
    buttons = tuple(
        QuickReply(words(f"{k}.label"), postback("pre", f=k), words(f"{k}.label"))
        for k in keys[:12]
    )
    return Reply(text=words("which_answer") + "\n" + "\n".join(words.describe(facts)),
                 quick_replies=buttons)


def show_at_office(finding: Finding, words: FinderWords, *, today: dt.date,
                   organisation: str) -> Reply:
    """A note to show at the municipal office: programs, documents, the person's own facts.

    The note itself stays Japanese whatever the person's language: the office's staff read
    it. Only the line above it (``office_note``) and the buttons are in the person's words."""
    if not finding.matches:
        return text_reply(words, "nothing_yet")
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
    intro = [words("office_note"), ""] if words("office_note") else []
    return Reply(text="\n".join([*intro, *lines]), quick_replies=_after_buttons(words))
