"""The staff report page in headless Chromium: sign in with a token, see numbers and charts."""

from __future__ import annotations

import json
import shutil
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from helpbot.cli import main
from tests.servers import running_gunicorn
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, WITHOUT_PLATFORMS

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def staff_site(database_url, faq_dir) -> Iterator[tuple[str, Any]]:
    if not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    env = {"HELPBOT_DATABASE_URL": database_url, "HELPBOT_FAQ_DIR": str(faq_dir),
           **WITHOUT_PLATFORMS}
    with running_gunicorn(env) as base_url, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield base_url, browser
        finally:
            browser.close()


def _chat(base_url: str, text: str, cookie: str | None) -> str | None:
    """One web chat message over HTTP, as the playground page sends it; the session cookie."""
    request = urllib.request.Request(
        f"{base_url}/api/playground/messages", data=json.dumps({"text": text}).encode(),
        headers={"Content-Type": "application/json", **({"Cookie": cookie} if cookie else {})},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        set_cookie = response.headers.get("Set-Cookie")
    return set_cookie.split(";")[0] if set_cookie else cookie


def test_staff_report_page_with_charts(staff_site, database_url, tmp_path):
    base_url, browser = staff_site
    cookie = _chat(base_url, "相談できる時間は何時から何時までですか", None)
    _chat(base_url, "zzqx vvvv 9999", cookie)
    token = CliRunner().invoke(main, ["staff", "token"],
                               env={"HELPBOT_DATABASE_URL": database_url}).stdout.split()[0]
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(f"{base_url}/staff/report")
    assert "/staff/sign-in" in page.url
    page.fill("#token", token)
    page.click("#sign-in")
    page.locator("#messages-in").wait_for(timeout=15000)
    assert page.locator("#messages-in").inner_text() == "2"
    assert page.locator("#answered").inner_text() == "1"
    assert page.locator("#fallback").inner_text() == "1"
    assert "zzqx vvvv 9999" in page.locator("#gaps").inner_text()
    images = page.locator(".charts img")
    assert images.count() == 4
    for n in range(4):
        image = images.nth(n)
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                               arg=image.element_handle(), timeout=15000)
    page.screenshot(path=str(tmp_path / "staff-report.png"), full_page=True)
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors
    # Every resource the page needs loads (the browser's own favicon guess aside).
    assert [url for url in failed if not url.endswith("/favicon.ico")] == []
