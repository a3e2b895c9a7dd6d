"""From a worker's answer to an FAQ entry: 「FAQに追加」 in a case thread (signed requests to the
fake Slack), a draft in faq/drafts/, then `helpbot faq drafts`, `check` and `approve`."""

from __future__ import annotations

import json

import yaml
from click.testing import CliRunner

from helpbot.cli import main
from helpbot.knowledge.loader import load_dir
from tests.conftest import SLACK_CHANNEL, SLACK_SECRET
from tests.fakes.line_webhooks import new_user_id
from tests.fakes.slack_requests import message_shortcut, new_ts, view_submission
from tests.test_cases_slack import _case, _say, _worker_writes

WORKER = "UWORKER01"
ANSWER = "住居確保給付金が使えるかもしれません。市の自立相談支援窓口で申し込めます。"


def _open_shortcut(slack, fake_slack, case, text: str, *, from_bot: bool = False):
    response = slack.send(message_shortcut(
        "faq_add", user_id=WORKER, user_name="sato", channel_id=SLACK_CHANNEL,
        message_text=text, message_ts=new_ts(), thread_ts=case.slack_ts, from_bot=from_bot,
        signing_secret=SLACK_SECRET,
    ))
    assert response.status_code == 200
    slack.settle()
    return fake_slack.views[-1].view


def _save(slack, view, *, question: str, answer: str, category: str | None):
    values = {"question": {"question": question}, "answer": {"answer": answer}}
    if category is not None:
        values["category"] = {"category": {"type": "static_select", "selected_option": {
            "text": {"type": "plain_text", "text": category}, "value": category}}}
    response = slack.send(view_submission(
        "faq_draft", values, user_id=WORKER, user_name="sato",
        private_metadata=view["private_metadata"], signing_secret=SLACK_SECRET,
    ))
    assert response.status_code == 200
    slack.settle()
    return response


def _cli(faq_dir, *args):
    return CliRunner().invoke(main, ["faq", *args, "--dir", str(faq_dir)])


def test_a_workers_answer_becomes_a_draft_and_then_an_entry(
    line, slack, fake_line, fake_slack, database, faq_dir
):
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    _say(line, fake_line, person, "家賃が払えません。電話は090-1234-5678です")
    case = _case(database)
    _worker_writes(slack, case, f"{ANSWER}\n// 3か月滞納")

    view = _open_shortcut(slack, fake_slack, case, f"{ANSWER}\n// 3か月滞納")
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    question = blocks["question"]["element"]["initial_value"]
    assert question == "家賃が払えません。電話は[電話番号]です", "masked"
    assert blocks["answer"]["element"]["initial_value"] == ANSWER, "note lines left out"
    options = [o["value"] for o in blocks["category"]["element"]["options"]]
    assert "住まい" in options
    assert fake_slack.violations == []

    saved = _save(slack, view, question="家賃が払えないときは？", answer=ANSWER, category="住まい")
    answer = json.loads(saved.get_data(as_text=True))
    assert answer["response_action"] == "update"
    (draft_file,) = (faq_dir / "drafts").glob("*.yaml")
    draft_id = draft_file.stem
    assert draft_id in json.dumps(answer, ensure_ascii=False)
    text = draft_file.read_text(encoding="utf-8")
    assert text.startswith("# 「FAQに追加」 from case #1 by sato")
    (entry,) = yaml.safe_load(text)
    assert entry == {"id": draft_id, "question": "家賃が払えないときは？", "answer": ANSWER,
                     "category": "住まい"}
    assert "090" not in text
    # Not knowledge yet.
    kb, _ = load_dir(faq_dir)
    assert draft_id not in kb.by_id()

    listed = _cli(faq_dir, "drafts")
    assert f"{draft_id}  [住まい]  家賃が払えないときは？" in listed.output
    checked = _cli(faq_dir, "check")
    assert checked.exit_code == 0 and "1 draft(s), 0 problem(s)" in checked.output

    approved = _cli(faq_dir, "approve", draft_id)
    assert approved.exit_code == 0, approved.output
    assert "housing.yaml" in approved.output
    assert not draft_file.exists()
    kb, problems = load_dir(faq_dir)
    assert problems == []
    assert kb.by_id()[draft_id].answer.strip() == ANSWER
    assert kb.by_id()[draft_id].source.startswith("faq/housing.yaml:")
    assert "# 住まいのこと" in (faq_dir / "housing.yaml").read_text(encoding="utf-8"), "kept"


def test_faq_check_reports_a_broken_draft_with_file_and_line(faq_dir):
    drafts = faq_dir / "drafts"
    drafts.mkdir()
    (drafts / "faq-20261201-010000.yaml").write_text(
        "- id: faq-20261201-010000\n  question: 質問\n  anser: 答え\n", encoding="utf-8")
    (drafts / "faq-20261201-020000.yaml").write_text(
        "- id: about-hours\n  question: 質問\n  answer: 答え\n", encoding="utf-8")
    result = _cli(faq_dir, "check")
    assert result.exit_code == 1
    assert "faq/drafts/faq-20261201-010000.yaml:3:" in result.output
    assert "faq/drafts/faq-20261201-020000.yaml:1:" in result.output  # the id is taken
    refused = _cli(faq_dir, "approve", "faq-20261201-010000")
    assert refused.exit_code == 1 and "fix the draft first" in refused.output
    assert (drafts / "faq-20261201-010000.yaml").exists()
    missing = _cli(faq_dir, "approve", "faq-nope")
    assert missing.exit_code == 1 and "faq drafts" in missing.output


def test_the_shortcut_on_the_persons_line_and_outside_a_case(
    line, slack, fake_line, fake_slack, database
):
    person = new_user_id()
    _say(line, fake_line, person, "人と話したい")
    case = _case(database)
    view = _open_shortcut(slack, fake_slack, case, "👤 仕事が見つかりません", from_bot=True)
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks["question"]["element"]["initial_value"] == "仕事が見つかりません"
    assert "initial_value" not in blocks["answer"]["element"]
    # An empty answer is refused inside the modal.
    refused = _save(slack, view, question="q", answer="  ", category=None)
    assert json.loads(refused.get_data(as_text=True))["response_action"] == "errors"

    before = len(fake_slack.views)
    case.slack_ts = "1700000000.000001"  # a thread that is no case
    _open_shortcut(slack, fake_slack, case, "hello")
    assert len(fake_slack.views) == before
    assert "相談スレッド" in fake_slack.ephemerals[-1].text


def test_a_malformed_draft_form_is_refused_not_a_server_error(slack, faq_dir):
    malformed = (
        {"question": {"question": {"type": "plain_text_input", "value": ["a", "list"]}},
         "answer": {"answer": "an answer"}},
        {"answer": {"answer": {"type": "plain_text_input", "value": 7}}},
        {},
    )
    for values in malformed:
        response = slack.send(view_submission("faq_draft", values, user_id=WORKER,
                                              signing_secret=SLACK_SECRET))
        assert response.status_code == 200
        assert json.loads(response.get_data(as_text=True))["response_action"] == "errors"
    assert not (faq_dir / "drafts").exists()
