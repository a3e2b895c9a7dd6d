"""Hiragana-only messages over the LINE webhook: the medical-cost entry of the sample faq/ is
offered (answered, or among the "did you mean" quick replies) to a person who writes without
kanji, with or without a slip, and the suggestions are 3 to 5 quick replies."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from tests.fakes.line_webhooks import new_user_id, text_event

# The sample's medical-cost entries: free or low-cost care, and (since the sample holds the
# national programs) the municipal help with children's medical costs, 子ども医療費助成.
MEDICAL_COST = {"medical-muryou-teigaku", "program-muryou-teigaku", "program-kodomo-iryo"}


def _offered(fake_line, user: str) -> tuple[set[str], list[dict], list[str]]:
    """Entry ids answered or offered as quick replies to ``user``, the items, the texts."""
    (reply,) = [r for r in fake_line.replies if r.user_id == user]
    items = [item for m in reply.messages for item in m.get("quickReply", {}).get("items", [])]
    offered = set()
    for item in items:
        data = parse_qs(item["action"].get("data", ""))
        if data.get("a") == ["answer"]:
            offered.update(data.get("id", []))
    return offered, items, fake_line.sent_texts(user_id=user)


def _answer_of(entry_id: str) -> str:
    from helpbot.knowledge.loader import load_dir
    from tests.conftest import SAMPLE_FAQ

    kb, _ = load_dir(SAMPLE_FAQ)
    return kb.by_id()[entry_id].answer


@pytest.mark.parametrize(
    "message",
    [
        "こどものいりょうひ たすけて",
        "いりょうひ はらえない",
        "ｲﾘｮｳﾋ ﾊﾗｴﾅｲ",  # half-width katakana
    ],
)
def test_kana_message_is_offered_the_medical_cost_entry(line, fake_line, message):
    user = new_user_id()
    token = fake_line.issue_reply_token(user_id=user)
    assert line.post(text_event(message, user_id=user, reply_token=token)).status_code == 200
    line.settle()
    offered, items, texts = _offered(fake_line, user)
    answered = {e for e in MEDICAL_COST if any(t == _answer_of(e) for t in texts)}
    assert offered & MEDICAL_COST or answered, (message, offered, texts)
    if offered:  # "did you mean": 3 to 5 quick replies, the staff button included
        assert 3 <= len(items) <= 5, items
    assert fake_line.violations == []
