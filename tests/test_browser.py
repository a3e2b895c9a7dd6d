"""A person opens the playground in a real browser, asks, and sees an answer."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from tests.servers import running_gunicorn

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# What a root user in a container needs, and no calls home (the network is closed).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WITHOUT_PLATFORMS = {
    "LINE_CHANNEL_SECRET": "",
    "LINE_CHANNEL_ACCESS_TOKEN": "",
    "SLACK_SIGNING_SECRET": "",
    "SLACK_BOT_TOKEN": "",
    "SLACK_ESCALATION_CHANNEL": "",
}

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def playground(database_url, faq_dir) -> Iterator[tuple[str, Any]]:
    """The real gunicorn without LINE or Slack, and headless Chromium: (base URL, browser)."""
    if not shutil.which("chromium"):
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser test: .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    env = {
        "HELPBOT_DATABASE_URL": database_url,
        "HELPBOT_FAQ_DIR": str(faq_dir),
        **WITHOUT_PLATFORMS,
    }
    with running_gunicorn(env) as base_url, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield base_url, browser
        finally:
            browser.close()


def test_playground_answers_a_food_question(playground, tmp_path):
    base_url, browser = playground
    page = browser.new_page()
    urls: list[str] = []
    console_errors: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base_url}/")
    # The greeting arrives first, with topic buttons.
    page.locator(".msg.bot").first.wait_for(timeout=15000)
    # The session is an HttpOnly, SameSite=Strict cookie: not in URLs, not readable by scripts.
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "helpbot_web_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie") == ""
    page.fill("#text", "食べ物に困っています")
    page.click("#send")
    page.locator(".msg.me", has_text="食べ物に困っています").wait_for(timeout=15000)
    page.locator(".msg.bot").nth(1).wait_for(timeout=15000)  # no eval: the CSP forbids it
    answer = page.locator(".msg.bot").nth(1).inner_text()
    assert answer.strip()
    buttons = page.locator(".quick button")
    # Either a direct food answer, or "did you mean" with a food entry to tap.
    if "もしかして" in answer:
        buttons.first.click()
        page.locator(".msg.bot").nth(2).wait_for(timeout=15000)
        answer = page.locator(".msg.bot").nth(2).inner_text()
    assert any(word in answer for word in ("食", "フード", "ごはん"))
    page.screenshot(path=str(tmp_path / "playground.png"))
    assert any("/api/playground/messages" in url for url in urls)
    assert not [url for url in urls if cookie["value"] in url or "session=" in url]
    # Nothing the page needs is refused by the Content-Security-Policy.
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors


def test_playground_staff_pane_plays_both_sides(playground, tmp_path):
    base_url, browser = playground
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{base_url}/")
    page.locator(".msg.bot").first.wait_for(timeout=15000)
    assert page.locator("#staff").is_visible()
    page.fill("#text", "人と話したい")
    page.click("#send")
    case = page.locator(".case").first
    case.wait_for(timeout=15000)
    assert "Case #" in case.inner_text()
    case.locator("button.claim").click()
    page.locator(".msg.bot", has_text="担当").wait_for(timeout=15000)
    page.locator(".case textarea.reply").fill("担当の佐藤です。今どこにいますか？")
    page.locator(".case button.send-reply").click()
    page.locator(".msg.staffmsg", has_text="担当の佐藤です").wait_for(timeout=15000)
    page.locator(".case button.resolve").click()
    page.locator(".msg.bot", has_text="終わり").wait_for(timeout=15000)
    page.locator(".quick button", has_text="よかった").click()
    page.locator(".msg.bot", has_text="教えてくれて").wait_for(timeout=15000)
    page.screenshot(path=str(tmp_path / "staff-pane.png"))
    if os.environ.get("HELPBOT_SCREENSHOTS"):
        page.screenshot(path=os.environ["HELPBOT_SCREENSHOTS"] + "/staff-pane.png")
