"""A backlog of messages is encoded in one pass, and every person gets the answer they would
get alone (``EventRunner._prepare`` → ``ConversationService.prepare`` →
``HybridMatcher.prepare``)."""

from __future__ import annotations

import numpy as np

from helpbot.knowledge.loader import load_dir
from helpbot.matching import build_matcher
from tests.conftest import SAMPLE_FAQ
from tests.fakes.line_webhooks import new_user_id, text_event

# Messages as people write them: kanji, English, a kana-only one (the encoder reads it in the
# entries' spelling, found only by its own ranking), Vietnamese, one with a danger sign.
MESSAGES = [
    "今日食べるものがありません",
    "家賃が払えなくて困っています",
    "how can I get food today?",
    "こどものいりょうひ たすけて",
    "Tôi cần tìm chỗ ở tối nay",
    "子どもが熱を出した、夜でも行ける病院は？",
    "もう死にたい",
]


def _answers(fake_line, users: list[str]) -> list[list[str]]:
    return [fake_line.sent_texts(user_id=user) for user in users]


def test_a_backlog_answered_together_gets_what_each_message_gets_alone(line, fake_line):
    alone = []
    for text in MESSAGES:  # one by one: each claim holds one event
        user = new_user_id()
        token = fake_line.issue_reply_token(user_id=user)
        line.post(text_event(text, user_id=user, reply_token=token))
        line.settle()
        alone.append(user)
    together = [new_user_id() for _ in MESSAGES]
    line.post(*(
        text_event(text, user_id=user, reply_token=fake_line.issue_reply_token(user_id=user))
        for text, user in zip(MESSAGES, together, strict=True)
    ))
    line.settle()  # one claim of the whole backlog: prepared together, then each turn
    assert all(_answers(fake_line, alone))
    assert _answers(fake_line, together) == _answers(fake_line, alone)
    assert fake_line.violations == []


class _CountingModel:
    """The packaged encoder, counting its forward passes (a spy on a third-party model)."""

    def __init__(self, model) -> None:
        self.model = model
        self.passes = 0

    def encode(self, texts):
        self.passes += 1
        return self.model.encode(texts)


def test_prepare_encodes_the_batch_in_few_passes_and_ranks_as_alone():
    kb, problems = load_dir(SAMPLE_FAQ)
    assert problems == []
    matcher = build_matcher(kb, semantic=True)
    encoder, _ = matcher.sentence_space()
    texts = [t for t in MESSAGES if t != "こどものいりょうひ たすけて"]
    alone = {t: [(c.entry.id, c.score) for c in matcher.rank(t, limit=5)] for t in texts}
    single = {t: encoder.encode_query(t) for t in texts}

    fresh = build_matcher(kb, semantic=True)
    fresh_encoder, _ = fresh.sentence_space()
    assert fresh_encoder is encoder  # one encoder per process: forget what it has seen
    encoder._recent.clear()
    spy = _CountingModel(encoder._get_model())
    encoder._model = spy
    try:
        fresh.prepare([*texts, "こどものいりょうひ たすけて"])
        prepared = spy.passes
        assert 1 <= prepared < len(texts)  # a few messages per pass of the encoder
        batched = {t: fresh_encoder.encode_query(t) for t in texts}
        ranked = {t: [(c.entry.id, c.score) for c in fresh.rank(t, limit=5)] for t in texts}
        assert spy.passes == prepared  # ranking found every vector ready
    finally:
        encoder._model = spy.model
    for text in texts:
        assert float(np.dot(batched[text], single[text])) > 0.99999
    assert ranked == alone


def test_an_event_that_breaks_translation_does_not_hold_back_the_batch(line, fake_line):
    """The batch's pass before the turns never stops it: each turn meets its own error."""
    odd = text_event("こんにちは", user_id=new_user_id())
    odd["postback"] = "x"  # a text event with a postback that is not an object
    person = new_user_id()
    danger = text_event("もう死にたい", user_id=person,
                        reply_token=fake_line.issue_reply_token(user_id=person))
    other = new_user_id()
    food = text_event("今日食べるものがありません", user_id=other,
                      reply_token=fake_line.issue_reply_token(user_id=other))
    assert line.post(odd, danger, food).status_code == 200
    line.settle()
    assert fake_line.sent_texts(user_id=person), "the person in danger got nothing"
    assert fake_line.sent_texts(user_id=other)
