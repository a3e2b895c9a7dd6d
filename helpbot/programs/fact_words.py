"""The facts' words in English, beside the Japanese of ``facts.py``: each fact's label (「わかった
こと」, 「答えを変える」), its question and its answer buttons, keyed as in ``faq/texts.yaml``'s
``finder`` section:

- ``<fact>.label`` and ``<fact>.question``;
- ``<fact>.<value>``: an answer button (or a need), by the value stored, e.g. ``age.17`` is the
  button 「10代」 (stored as 17) and ``household.alone`` is 「ひとり」. Yes/no facts share the
  finder's ``yes`` and ``no``.

Other languages (and やさしい日本語) are written in ``faq/texts.yaml``; a test checks that this
table has every key of ``facts.py`` and no other.
"""

from __future__ import annotations

from helpbot.programs.facts import FACTS, FactKind

FACT_EN: dict[str, str] = {
    "age.label": "Age", "age.question": "How old are you?",
    "age.17": "Under 20", "age.30": "20-39", "age.50": "40-64", "age.70": "65 or older",
    "children.label": "Children", "children.question": "How many children live with you?",
    "children.0": "None", "children.1": "1", "children.2": "2", "children.3": "3 or more",
    "youngest_child_age.label": "Youngest child's age",
    "youngest_child_age.question": "How old is your youngest child?",
    "youngest_child_age.3": "Not in school yet", "youngest_child_age.9": "Elementary school",
    "youngest_child_age.13": "Junior high school", "youngest_child_age.16": "High school age",
    "youngest_child_age.20": "19 or older",
    "household.label": "Household", "household.question": "Who do you live with?",
    "household.single_parent": "Single parent & kids", "household.couple": "Spouse or partner",
    "household.alone": "Alone", "household.with_elderly": "Elderly family",
    "household.with_disabled": "Disabled family",
    "employment.label": "Work", "employment.question": "What is your work situation now?",
    "employment.employed": "Working", "employment.lost_job": "Lost my job",
    "employment.self_employed": "Self-employed", "employment.unable_to_work": "Too ill to work",
    "employment.student": "Student", "employment.not_working": "Not working",
    "months_since_job_loss.label": "Since losing job",
    "months_since_job_loss.question": "How long ago did you lose your job?",
    "months_since_job_loss.1": "Within a month", "months_since_job_loss.6": "Within 6 months",
    "months_since_job_loss.12": "Within a year", "months_since_job_loss.30": "Over 2 years ago",
    "income.label": "Income", "income.question": "How much does your household earn?",
    "income.none": "Almost nothing", "income.very_low": "Too little to live",
    "income.low": "Low", "income.middle": "Average", "income.high": "High",
    "savings.label": "Savings", "savings.question": "Do you have savings?",
    "savings.none": "None", "savings.little": "Under 1 month's cost",
    "savings.some": "More than that",
    "employment_insurance.label": "Employment insurance",
    "employment_insurance.question": "Did you have employment insurance at your last job?",
    "pregnant.label": "Pregnant", "pregnant.question": "Are you pregnant now?",
    "illness.label": "Illness or injury",
    "illness.question": "Are you being treated for an illness or injury?",
    "disability.label": "Disability", "disability.question": "Does anyone have a disability?",
    "disability.self": "Me", "disability.child": "My child", "disability.family": "Other family",
    "disability.none": "No one",
    "health_insurance.label": "Health insurance",
    "health_insurance.question": "Which health insurance do you have?",
    "health_insurance.national": "National (kokuho)", "health_insurance.employee": "Through work",
    "health_insurance.none": "None / expired",
    "nationality.label": "Nationality",
    "nationality.japanese": "Japanese", "nationality.foreign": "Not Japanese",
    "residence_status.label": "Residence status",
    "residence_status.question": "What is your residence status?",
    "residence_status.permanent": "Permanent/spouse etc", "residence_status.resident":
    "Work/study/trainee", "residence_status.short_stay": "Short-term stay",
    "residence_status.none": "None / expired",
    "dv.label": "Violence at home",
    "student_loan.label": "Student loan",
    "prefecture.label": "Prefecture",
    "needs.label": "Needs help with",
    "needs.housing": "Housing / rent", "needs.money": "Money", "needs.food": "Food",
    "needs.medical": "Medical bills", "needs.debt": "Debt", "needs.work": "Work",
    "needs.school": "School costs", "needs.violence": "Violence",
    "needs.childcare": "Raising children", "needs.pension": "Pension",
    "needs.insurance": "Insurance premiums", "needs.legal": "Legal advice",
    "needs.loan": "Repaying student loans", "needs.consult": "Where to get advice",
    "needs.shelter": "A place for tonight", "needs.care": "Nursing care",
    "needs.foreign": "Procedures for foreigners",
}


def fact_words() -> dict[str, tuple[str, str]]:
    """Every fact's catalogue key with its built-in words: (Japanese, English)."""
    words: dict[str, tuple[str, str]] = {}
    for fact in FACTS:
        pairs = [("label", fact.label)]
        if fact.question:
            pairs.append(("question", fact.question))
        if fact.kind is not FactKind.FLAG:
            pairs += [(str(value), label) for value, label in (*fact.options, *fact.value_labels)]
        for part, japanese in pairs:
            key = f"{fact.key}.{part}"
            words[key] = (japanese, FACT_EN.get(key, japanese))
    return words


def button_keys() -> frozenset[str]:
    """The keys shown on a button (LINE: at most 20 characters): the answers to a question,
    and the labels of the facts 「答えを変える」 offers."""
    keys = set()
    for fact in FACTS:
        if fact.question and fact.options:
            keys.add(f"{fact.key}.label")
            if fact.kind is not FactKind.FLAG:
                keys |= {f"{fact.key}.{value}" for value, _label in fact.options}
    return frozenset(keys)
