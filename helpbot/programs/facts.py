"""The facts about a person that program conditions speak of, and how to ask for each.

A fact's value is an int, a bool, a text from the fact's ``choices``, or one of two
answers that are always allowed: ``unknown`` (「わからない」) and ``declined`` (「答えたくない」).
Neither of those ever rules a program out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

UNKNOWN = "unknown"
DECLINED = "declined"
NOT_ANSWERED = frozenset({UNKNOWN, DECLINED})


class FactKind(StrEnum):
    NUMBER = "number"
    FLAG = "flag"
    CHOICE = "choice"


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact: its kind, allowed values, and the question with quick-reply options."""

    key: str
    kind: FactKind
    label: str  # Japanese, shown in "what I understood"
    question: str = ""
    # (value, label) pairs for the quick replies; the value is what is stored.
    options: tuple[tuple[Any, str], ...] = ()
    choices: tuple[str, ...] = ()
    value_labels: tuple[tuple[str, str], ...] = ()

    def describe(self, value: Any) -> str:
        """The value in plain Japanese (「ひとり親」, 「3か月前」)."""
        if value == UNKNOWN:
            return "わからない"
        if value == DECLINED:
            return "答えたくない"
        if self.kind is FactKind.FLAG:
            return "はい" if value else "いいえ"
        labels = dict(self.value_labels) or {str(v): text for v, text in self.options}
        return labels.get(str(value), str(value))


_YES_NO = ((True, "はい"), (False, "いいえ"))
HOUSEHOLDS = ("single_parent", "couple", "alone", "with_elderly", "with_disabled")
EMPLOYMENTS = ("employed", "lost_job", "self_employed", "unable_to_work", "student", "not_working")
INCOMES = ("none", "very_low", "low", "middle", "high")
SAVINGS = ("none", "little", "some")
NEEDS = (
    "housing", "money", "food", "medical", "debt", "work", "school", "violence", "childcare",
    "pension", "insurance", "legal", "loan", "consult", "shelter", "care", "foreign",
)

FACTS: tuple[Fact, ...] = (
    Fact("age", FactKind.NUMBER, "年齢", "あなたの年齢を教えてください。",
         ((17, "10代"), (30, "20〜39歳"), (50, "40〜64歳"), (70, "65歳以上"))),
    Fact("children", FactKind.NUMBER, "子どもの数", "いっしょに暮らす子どもは何人ですか。",
         ((0, "いない"), (1, "1人"), (2, "2人"), (3, "3人以上"))),
    Fact("youngest_child_age", FactKind.NUMBER, "いちばん下の子の年齢",
         "いちばん下のお子さんは何歳ですか。",
         ((3, "小学校の前"), (9, "小学生"), (13, "中学生"), (16, "高校生くらい"),
          (20, "19歳以上"))),
    Fact("household", FactKind.CHOICE, "世帯", "だれと暮らしていますか。",
         (("single_parent", "ひとり親と子ども"), ("couple", "夫婦・パートナー"),
          ("alone", "ひとり"), ("with_elderly", "高齢の家族と"),
          ("with_disabled", "障害のある家族と")),
         HOUSEHOLDS),
    Fact("employment", FactKind.CHOICE, "仕事", "いまのお仕事の状況は？",
         (("employed", "働いている"), ("lost_job", "仕事をなくした"),
          ("self_employed", "自営業・フリー"), ("unable_to_work", "病気などで働けない"),
          ("student", "学生"), ("not_working", "働いていない")),
         EMPLOYMENTS),
    Fact("months_since_job_loss", FactKind.NUMBER, "仕事をなくしてから",
         "仕事をなくしたのは、どのくらい前ですか。",
         ((1, "1か月以内"), (6, "半年以内"), (12, "1年以内"), (30, "2年より前"))),
    Fact("income", FactKind.CHOICE, "収入（世帯の人数にくらべて）",
         "世帯の収入は、どのくらいですか。",
         (("none", "ほとんどない"), ("very_low", "生活できないほど少ない"),
          ("low", "少ない"), ("middle", "ふつう"), ("high", "多い")),
         INCOMES),
    Fact("savings", FactKind.CHOICE, "貯金", "貯金はありますか。",
         (("none", "ない"), ("little", "1か月分より少ない"), ("some", "それより多い")),
         SAVINGS),
    Fact("employment_insurance", FactKind.FLAG, "雇用保険に入っていた",
         "前の仕事で雇用保険に入っていましたか。", _YES_NO),
    Fact("pregnant", FactKind.FLAG, "妊娠中", "いま妊娠していますか。", _YES_NO),
    Fact("illness", FactKind.FLAG, "病気・けが", "病気やけがで、治療中ですか。", _YES_NO),
    Fact("disability", FactKind.CHOICE, "障害", "障害のある方はいますか。",
         (("self", "自分"), ("child", "子ども"), ("family", "ほかの家族"), ("none", "いない")),
         ("self", "child", "family", "none")),
    Fact("health_insurance", FactKind.CHOICE, "健康保険", "健康保険は、どれですか。",
         (("national", "国民健康保険"), ("employee", "会社の保険"), ("none", "ない・切れた")),
         ("national", "employee", "none")),
    Fact("nationality", FactKind.CHOICE, "国籍", "",
         (("japanese", "日本"), ("foreign", "日本以外")), ("japanese", "foreign")),
    Fact("residence_status", FactKind.CHOICE, "在留資格", "在留資格は、どれですか。",
         (("permanent", "永住・定住・日本人の配偶者など"), ("resident", "仕事・留学・実習など"),
          ("short_stay", "短期滞在"), ("none", "ない・切れた")),
         ("permanent", "resident", "short_stay", "none")),
    Fact("dv", FactKind.FLAG, "家族などからの暴力", "", _YES_NO),
    Fact("student_loan", FactKind.FLAG, "奨学金を返している", "", _YES_NO),
    Fact("prefecture", FactKind.CHOICE, "住んでいる都道府県"),
    Fact("needs", FactKind.CHOICE, "こまっていること", "", (), NEEDS, (
        ("housing", "住まい・家賃"), ("money", "お金"), ("food", "食べ物"), ("medical", "医療費"),
        ("debt", "借金"), ("work", "仕事"), ("school", "学校のお金"), ("violence", "暴力"),
        ("childcare", "子育て"), ("pension", "年金"), ("insurance", "保険料"),
        ("legal", "法律の相談"), ("loan", "奨学金の返済"), ("consult", "相談先"),
        ("shelter", "今夜いる場所"), ("care", "介護"), ("foreign", "外国籍の人の手続き"))),
)
FACTS_BY_KEY = {fact.key: fact for fact in FACTS}


def coerce(key: str, raw: Any) -> Any:
    """A fact value from text or YAML (``--fact children=2``); ValueError says what is allowed."""
    fact = FACTS_BY_KEY.get(key)
    if fact is None:
        raise ValueError(f"unknown fact '{key}' (known facts: {', '.join(FACTS_BY_KEY)})")
    if isinstance(raw, str) and raw.strip().lower() in NOT_ANSWERED:
        return raw.strip().lower()
    if key == "needs":
        values = raw if isinstance(raw, list | tuple) else str(raw).split(",")
        needs = tuple(str(v).strip() for v in values if str(v).strip())
        wrong = [need for need in needs if need not in NEEDS]
        if wrong:
            raise ValueError(f"unknown need {wrong[0]!r} (use one of: {', '.join(NEEDS)})")
        return needs
    if fact.kind is FactKind.NUMBER:
        return _number(key, raw)
    if fact.kind is FactKind.FLAG:
        return _flag(key, raw)
    text = str(raw).strip()
    if fact.choices and text not in fact.choices:
        raise ValueError(f"'{key}' must be one of: {', '.join(fact.choices)}")
    return text


def _number(key: str, raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError(f"'{key}' is a number")
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValueError(f"'{key}' is a number, like {key}=2") from None
    if not 0 <= value <= 130:
        raise ValueError(f"'{key}' must be between 0 and 130")
    return value


def _flag(key: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"true", "yes", "1", "はい"}:
        return True
    if text in {"false", "no", "0", "いいえ"}:
        return False
    raise ValueError(f"'{key}' is yes or no, like {key}=true")


def known(facts: dict[str, Any], key: str) -> bool:
    """Whether a fact has a real value (not missing, unknown or declined)."""
    value = facts.get(key)
    return value is not None and not (isinstance(value, str) and value in NOT_ANSWERED)


def japanese(_key: str, text: str) -> str:
    """The words as facts.py writes them (the ``say`` of :func:`describe_facts`)."""
    return text


def describe_facts(facts: dict[str, Any], say: Callable[[str, str], str] = japanese,
                   separator: str = "、") -> list[str]:
    """The person's stated facts in plain Japanese, one per line (answers left out).

    ``say(key, japanese)`` gives the words in another language (keys as in
    ``programs/finder_words.py``: ``household.label``, ``household.alone``, ``yes``, …)."""
    lines = []
    for key, value in facts.items():
        fact = FACTS_BY_KEY.get(key)
        if fact is None or (isinstance(value, str) and value in NOT_ANSWERED):
            continue
        if key == "needs":
            labels = dict(fact.value_labels)
            text = separator.join(say(f"needs.{v}", labels.get(v, v)) for v in value)
        elif key == "children":
            text = say("people", "{value}人").format(value=value)
        elif key in {"age", "youngest_child_age"}:
            text = say("years_old", "{value}歳くらい").format(value=value)
        elif key == "months_since_job_loss":
            text = say("months", "{value}か月くらい").format(value=value)
        elif fact.kind is FactKind.FLAG:
            text = say("yes" if value else "no", fact.describe(value))
        else:
            text = say(f"{key}.{value}", fact.describe(value))
        lines.append(f"・{say(f'{key}.label', fact.label)}: {text}")
    return lines
