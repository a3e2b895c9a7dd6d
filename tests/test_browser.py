"""A person opens the playground in a real browser, asks, and sees an answer."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.servers import ROOT, running_gunicorn

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
    assert "相談 #" in case.inner_text()
    case.locator("button.claim").click()
    page.locator(".msg.bot", has_text="担当").wait_for(timeout=15000)
    page.locator(".case textarea.reply").fill("担当の佐藤です。今どこにいますか？")
    page.locator(".case button.send-reply").click()
    page.locator(".msg.staffmsg", has_text="担当の佐藤です").wait_for(timeout=15000)
    page.locator(".case button.resolve").click()
    page.locator(".msg.bot", has_text="終わり").wait_for(timeout=15000)
    page.locator(".quick button", has_text="よかった").click()
    page.locator(".msg.bot", has_text="教えてくれて").wait_for(timeout=15000)
    # As in a Slack thread, the worker can follow up on the resolved case: it reopens, theirs.
    hint = case.locator(".reopen-hint")
    hint.wait_for(timeout=15000)
    assert "再開" in hint.inner_text() and "あなたが担当" in hint.inner_text()
    assert case.locator("button.resolve").count() == 0
    reply = case.locator("textarea.reply")
    assert reply.get_attribute("aria-describedby") == hint.get_attribute("id")
    reply.fill("その後いかがですか？")
    reply.press("Tab")  # by keyboard: to the send button, and Enter
    page.keyboard.press("Enter")
    page.locator(".msg.staffmsg", has_text="その後いかがですか").wait_for(timeout=15000)
    case.get_by_text("対応中（担当: あなた）").wait_for(timeout=15000)
    assert case.locator(".reopen-hint").count() == 0
    assert case.locator("button.resolve").is_visible()
    # The redraw gives the keyboard focus back to the send button.
    assert case.locator("button.send-reply").evaluate("e => e === document.activeElement")
    page.screenshot(path=str(tmp_path / "staff-pane.png"))
    if os.environ.get("HELPBOT_SCREENSHOTS"):
        page.screenshot(path=os.environ["HELPBOT_SCREENSHOTS"] + "/staff-pane.png")


PHONE = {"width": 390, "height": 844}
# axe-core from the npm registry: .ci/run installs it (npm install axe-core).
AXE_JS = Path(os.environ.get("HELPBOT_AXE_JS") or ROOT / "node_modules/axe-core/axe.min.js")


def _contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two computed CSS colours like 'rgb(6, 122, 54)'."""
    def luminance(css: str) -> float:
        parts = [int(p) for p in css[css.index("(") + 1 : css.index(")")].split(",")[:3]]
        linear = [c / 3294.6 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in parts]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _phone_page(browser: Any, base_url: str, **options: Any) -> Any:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, **options)
    page = context.new_page()
    page.goto(f"{base_url}/")
    page.locator(".msg.bot").first.wait_for(timeout=15000)
    page.locator(".quick button").first.wait_for(timeout=15000)
    return page


def test_on_a_phone_the_chat_fits_and_the_staff_pane_can_be_found(playground, tmp_path):
    base_url, browser = playground
    page = _phone_page(browser, base_url)
    header = page.locator("header").bounding_box()
    assert header["height"] <= 80
    send = page.locator("#send").bounding_box()
    assert send["y"] + send["height"] <= PHONE["height"]  # not cut off at the bottom
    assert send["x"] + send["width"] <= PHONE["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    heights = [b.bounding_box()["height"] for b in page.locator(".quick button").all()]
    assert heights and min(heights) >= 44
    assert page.locator("#send").bounding_box()["height"] >= 44
    # White on the green of the send button and of the person's bubbles: WCAG AA.
    style = page.locator("#send").evaluate(
        "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
    assert _contrast(*style) >= 4.5
    # The staff pane starts below the fold; a link in the header says it is there.
    assert page.locator("#staff").bounding_box()["y"] >= PHONE["height"] - 1
    link = page.locator("#staff-link")
    assert link.is_visible() and "スタッフ" in link.inner_text()
    box = link.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"] and box["height"] >= 44
    link.click()
    page.wait_for_timeout(300)
    staff = page.locator("#staff").bounding_box()
    assert staff["y"] < PHONE["height"] / 2
    page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)


def test_the_staff_pane_is_japanese_and_keeps_keyboard_focus(playground):
    base_url, browser = playground
    page = _phone_page(browser, base_url)
    page.fill("#text", "人と話したい")
    page.click("#send")
    case = page.locator(".case").first
    case.wait_for(timeout=15000)
    pane = page.locator("#staff").inner_text()
    assert "相談 #" in pane and "担当する" in pane and "終了する" in pane
    for english in ("Case #", "Claim", "Resolve", "Send reply", "waited", "Staff pane"):
        assert english not in pane
    claim = case.locator("button.claim")
    claim.focus()
    # The person writes again: the pane redraws with the new message, focus stays put.
    response = page.context.request.post(
        f"{base_url}/api/playground/messages", data={"text": "まだですか"})
    assert response.ok
    page.locator(".case .recent", has_text="まだですか").wait_for(timeout=15000)
    page.wait_for_timeout(2500)  # one more poll
    assert page.locator(".case button.claim").evaluate("e => e === document.activeElement")


def test_axe_finds_nothing_serious_on_the_phone_chat_and_staff_pane(playground):
    if not AXE_JS.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the axe check: .ci/run installs axe-core ({AXE_JS})")
        pytest.skip(f"axe-core is not installed ({AXE_JS}): npm install --no-save axe-core")
    base_url, browser = playground
    # The page's Content-Security-Policy would refuse the injected axe script.
    page = _phone_page(browser, base_url, bypass_csp=True)
    page.fill("#text", "人と話したい")
    page.click("#send")
    case = page.locator(".case").first
    case.wait_for(timeout=15000)
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    _assert_axe_finds_nothing_serious(page)
    # A resolved case keeps its reply box, with the hint that a reply reopens it.
    case.locator("button.resolve").click()
    case.locator(".reopen-hint").wait_for(timeout=15000)
    _assert_axe_finds_nothing_serious(page)


def _assert_axe_finds_nothing_serious(page: Any) -> None:
    result = page.evaluate("async () => await axe.run(document)")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], "\n".join(serious)
    assert result["passes"]  # axe really ran
