"""The web chat over real HTTP (gunicorn as in the Procfile): the access log and a burst."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from helpbot.channels.web.limits import TOO_MANY
from helpbot.channels.web.session import COOKIE
from tests.servers import running_gunicorn
from tests.test_browser import WITHOUT_PLATFORMS

pytestmark = [pytest.mark.slow]
WORKERS = 2
BURST = 320


def _call(opener, url: str, body: dict | None = None, cookie: str | None = None):
    request = urllib.request.Request(
        url,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json",
                 **({"Cookie": f"{COOKIE}={cookie}"} if cookie else {})},
    )
    try:
        # generous: the first request of each gunicorn worker loads the knowledge (matcher,
        # crisis detector), which takes seconds on a busy 2-core machine
        with opener.open(request, timeout=90) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def test_no_session_id_in_the_access_log_and_a_burst_is_held(database_url, faq_dir, tmp_path):
    log = tmp_path / "gunicorn.log"
    env = {"HELPBOT_DATABASE_URL": database_url, "HELPBOT_FAQ_DIR": str(faq_dir),
           **WITHOUT_PLATFORMS, "HELPBOT_WEB_CHAT_LIMITS": "on"}
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with running_gunicorn(env, workers=WORKERS, log_to=log) as base_url:
        api = f"{base_url}/api/playground"
        assert _call(opener, f"{api}/messages", {"event": "follow"})[0] == 200
        (cookie,) = [c for c in jar if c.name == COOKIE]
        assert _call(opener, f"{api}/messages", {"text": "人と話したい"})[0] == 200
        status, cases = _call(opener, f"{api}/cases")
        assert status == 200 and len(cases["cases"]) == 1
        number = cases["cases"][0]["number"]
        assert _call(opener, f"{api}/cases/{number}/claim", {})[0] == 200
        status, later = _call(opener, f"{api}/messages?after=0")
        assert status == 200 and len(later["messages"]) >= 3

        plain = urllib.request.build_opener()
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(
                lambda i: _call(plain, f"{api}/messages", {"text": f"連投 {i}"}, cookie.value),
                range(BURST),
            ))
        seconds = time.monotonic() - started
    statuses = Counter(status for status, _ in results)
    print(f"\nburst of {BURST} POSTs, one session, {WORKERS} gunicorn workers, 8 threads: "
          f"{dict(statuses)} in {seconds:.1f} s")
    assert set(statuses) <= {200, 429}, statuses
    # 20/minute per session, counted in each worker's memory (the session had 2 messages).
    assert statuses[200] <= 20 * WORKERS and statuses[429] >= BURST - 20 * WORKERS
    assert all(body["error"] == TOO_MANY for status, body in results if status == 429)

    access = log.read_text()
    assert access.count("/api/playground/messages") >= 3, "the access log is on"
    assert cookie.value not in access


def _memory_kib(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value)
    return fields


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_matcher_is_built_once_before_the_fork_and_served_by_every_worker(
    database_url, faq_dir, tmp_path
):
    """The Procfile's config: with the web chat on, gunicorn's master builds the matcher and
    both workers serve that build (their pages stay shared) instead of building their own."""
    log = tmp_path / "gunicorn.log"
    env = {"HELPBOT_DATABASE_URL": database_url, "HELPBOT_FAQ_DIR": str(faq_dir),
           **WITHOUT_PLATFORMS}
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    with running_gunicorn(env, workers=WORKERS, log_to=log,
                          config="python:helpbot.cli.gunicorn_conf") as base_url:
        api = f"{base_url}/api/playground"
        for _ in range(4):  # both workers answer (any of them may take each request)
            status, body = _call(opener, f"{api}/messages", {"text": "家賃が払えない"})
            assert status == 200, body
        output = log.read_text()
        pids = [int(p) for p in re.findall(r"Booting worker with pid: (\d+)", output)]
        memory = [_memory_kib(pid) for pid in pids]
    assert output.count("matcher built before forking the workers") == 1
    assert len(memory) == WORKERS
    # Measured: 51-54 MiB private and 157 MiB shared per worker with the shared build; 205-206
    # MiB private and 3 MiB shared when each worker builds its own (without the config).
    for fields in memory:
        assert fields["Shared_Dirty"] > fields["Private_Dirty"], fields


class _ServerLog:
    """What gunicorn's arbiter gives a hook: ``server.log`` and ``server.cfg.reload``."""

    def __init__(self, *, reload: bool = False) -> None:
        self.lines: list[tuple[str, str]] = []
        self.log = self
        self.cfg = type("Cfg", (), {"reload": reload})()

    def info(self, message: str, *args: object) -> None:
        self.lines.append(("info", message % args))

    def warning(self, message: str, *args: object) -> None:
        self.lines.append(("warning", message % args))


def test_the_shared_build_is_skipped_with_the_web_chat_off_and_never_fatal(
    monkeypatch, tmp_path
):
    from helpbot.cli import gunicorn_conf
    from helpbot.knowledge import snapshot

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HELPBOT_WEB_CHAT", "off")
    assert gunicorn_conf.share_matcher(_ServerLog()) is False
    assert snapshot._prebuilt is None

    monkeypatch.setenv("HELPBOT_WEB_CHAT", "on")
    monkeypatch.setenv("HELPBOT_FAQ_DIR", str(tmp_path / "missing"))
    server = _ServerLog()
    gunicorn_conf.when_ready(server)  # a missing faq/ folder: logged, not raised
    assert [level for level, _ in server.lines] == ["warning"]
    assert "each builds its own" in server.lines[0][1]
    assert snapshot._prebuilt is None


def test_nothing_is_shared_with_reload_and_a_hup_warns_that_code_stays(monkeypatch, tmp_path):
    from helpbot.cli import gunicorn_conf
    from helpbot.knowledge import snapshot

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HELPBOT_WEB_CHAT", "on")
    gunicorn_conf.when_ready(_ServerLog(reload=True))  # --reload: workers import the code
    assert snapshot._prebuilt is None

    import helpbot.app  # noqa: F401 - what a master that shared the matcher has imported

    server = _ServerLog()
    gunicorn_conf.on_reload(server)
    assert [level for level, _ in server.lines] == ["warning"]
    assert "restart gunicorn" in server.lines[0][1]


def test_a_worker_imports_no_library_its_master_did_not_share(tmp_path, faq_dir, database_url):
    """With the web chat off, the master imports what each worker's app needs, so a worker
    adds only helpbot's own code (and the standard library) on top of the shared pages."""
    probe = (
        "import sys\n"
        "from helpbot.cli import gunicorn_conf\n"
        "class Log:\n"
        "    def info(self, *args): pass\n"
        "assert gunicorn_conf.share_matcher(Log()) is False\n"
        "before = set(sys.modules)\n"
        "from helpbot.app import create_app\n"
        "create_app()\n"
        "print(sorted(m for m in set(sys.modules) - before if m.split('.')[0] != 'helpbot'\n"
        "             and m.split('.')[0] not in sys.stdlib_module_names))\n"
    )
    env = {**os.environ, **WITHOUT_PLATFORMS, "HELPBOT_DATABASE_URL": database_url,
           "HELPBOT_FAQ_DIR": str(faq_dir), "HELPBOT_WEB_CHAT": "off",
           "LINE_CHANNEL_SECRET": "secret", "LINE_CHANNEL_ACCESS_TOKEN": "token"}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                          text=True, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
