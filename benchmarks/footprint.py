"""``helpbot bench footprint``: memory (PSS) and CPU of the Procfile's processes under load.

As a small NPO deploys helpbot: the Procfile's ``web`` line (gunicorn, 2 workers) and its
``worker`` line (``helpbot worker``) on one host, LINE pointed at a local stand-in.

1. Both start; ``warmup`` signed text events are posted and answered (the worker has then
   loaded the matcher, the web workers have served requests).
2. ``events`` signed text events are posted (4 keep-alive connections; storing is much
   faster than answering, so a backlog forms at once) and the bench waits until LINE has a
   reply for every one. Answers per second = events / time from the first post to the last
   reply; CPU ms per event = the worker's utime+stime (``/proc/PID/stat``) over that time /
   events. (The worker is not paused while posting: a stopped worker may hold SQLite's write
   lock and stall the web process.)
3. PSS of every process (``/proc/PID/smaps_rollup``: shared pages counted once, split between
   the processes that share them): the gunicorn master and its workers, and the worker.

Targets (issue 14): web ≤ 160 MiB with the web chat off, worker ≤ 300 MiB, all ≤ 512 MiB,
worker CPU ≤ 7 ms per answered event, ≥ 150 answers/s with one worker on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shlex
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from benchmarks.harness import (
    HELPBOT_APP,
    WEBHOOK_PATH,
    LocalLineApi,
    default_faq_dir,
    describe_database,
    fresh_database,
    gunicorn_command,
    line_env,
    report_head,
    running_worker,
    signed_bodies,
    start_process,
    stop_groups,
    temporary_workdir,
    webhook_headers,
)

MIB = 1024 * 1024
TARGETS = {
    "web_mib": 160.0,
    "worker_mib": 300.0,
    "total_mib": 512.0,
    "worker_cpu_ms_per_event": 7.0,
    "answers_per_s": 150.0,  # one worker on PostgreSQL; reported, not judged, on SQLite
}
PROCFILE = Path(__file__).resolve().parent.parent / "Procfile"
_TICKS = os.sysconf("SC_CLK_TCK")


# -- /proc --------------------------------------------------------------------------------------
def pss_bytes(pid: int) -> int:
    """Proportional set size of one process (``Pss:`` of ``/proc/PID/smaps_rollup``)."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no Pss line in /proc/{pid}/smaps_rollup (Linux 4.14 or later needed)")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (``/proc/PID/stat`` fields 14 and 15)."""
    raw = Path(f"/proc/{pid}/stat").read_text()
    fields = raw[raw.rindex(")") + 2 :].split()  # the name may hold spaces and parentheses
    return (int(fields[11]) + int(fields[12])) / _TICKS


def children(pid: int) -> list[int]:
    """The direct children of ``pid`` (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            raw = (entry / "stat").read_text()
            if int(raw[raw.rindex(")") + 2 :].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


# -- the Procfile's web line --------------------------------------------------------------------
def web_command(port: int, procfile: Path = PROCFILE) -> list[str]:
    """The Procfile's ``web:`` line with ``$PORT`` on loopback and this Python's gunicorn;
    the bench's usual gunicorn line when there is no Procfile (an installed package)."""
    fallback = gunicorn_command(HELPBOT_APP, port)
    if not procfile.is_file():
        return fallback
    for line in procfile.read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == "web":
            words = shlex.split(command.replace("$PORT", str(port)))
            if words and words[0] == "gunicorn":
                words[0] = fallback[0]
            return [w.replace(f"0.0.0.0:{port}", f"127.0.0.1:{port}") for w in words]
    return fallback


def describe_web(procfile: Path = PROCFILE) -> str:
    return " ".join(["gunicorn", *web_command(0, procfile)[1:]]).replace(":0 ", ":PORT ")


@contextlib.contextmanager
def running_web(env: dict[str, str], workdir: Path) -> Iterator[tuple[int, int]]:
    """The web line in its own process group; yield (master pid, port) once it answers."""
    from benchmarks.harness import free_port

    port = free_port()
    log_path = workdir / "web.log"
    process = start_process(web_command(port), {**env, "PORT": str(port)}, log_path, cwd=workdir)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{log_path.read_text(errors='replace')}")
            if _healthy(port):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer /healthz:\n{log_path.read_text()}")
            time.sleep(0.1)
        yield process.pid, port
    finally:
        stop_groups([process])


def _healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        response.read()
        return response.status == 200
    except OSError:
        return False
    finally:
        connection.close()


# -- load ---------------------------------------------------------------------------------------
def post_all(port: int, bodies: Sequence[tuple[bytes, str]], *, connections: int = 4) -> int:
    """POST every signed body (``connections`` keep-alive clients); the number of 200s."""
    ok = [0] * connections

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            for body, signature in bodies[number::connections]:
                connection.request("POST", WEBHOOK_PATH, body, webhook_headers(signature))
                response = connection.getresponse()
                response.read()
                ok[number] += response.status == 200
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(ok)


def wait_for(condition: Callable[[], bool], *, timeout: float, poll: float = 0.005) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(poll)
    return True


def bench_texts(faq_dir: Path) -> list[str]:
    from benchmarks.webhook import bench_texts as webhook_texts

    return webhook_texts(faq_dir)


# -- the bench ----------------------------------------------------------------------------------
def run_footprint_bench(
    *,
    database_url: str | None = None,
    faq_dir: Path | None = None,
    events: int = 600,
    warmup: int = 30,
    web_chat: bool = False,
    timeout: float = 120.0,
    log: Callable[[str], None] = lambda _m: None,
) -> dict[str, Any]:
    """Start the Procfile's processes, answer ``events`` webhooks, measure; the report."""
    faq_dir = faq_dir or default_faq_dir()
    texts = bench_texts(faq_dir)
    with (
        temporary_workdir("footprint") as workdir,
        LocalLineApi() as line_api,
        fresh_database(database_url, workdir, "footprint") as db_url,
    ):
        env = {**line_env(db_url, faq_dir, line_api.base_url),
               "HELPBOT_WEB_CHAT": "1" if web_chat else "0"}
        log("footprint: starting the web and worker processes ...")
        with running_web(env, workdir) as (master, port), running_worker(env, workdir) as worker:

            def replies() -> int:
                return line_api.replies + line_api.pushes

            warm = signed_bodies(warmup, texts, seed=11)
            posted_warm = post_all(port, warm)
            if not wait_for(lambda: replies() >= posted_warm, timeout=timeout):
                raise RuntimeError(f"the worker answered {replies()} of {posted_warm} warm-up "
                                   f"events in {timeout:g} s")
            log(f"footprint: posting {events} events and waiting for the answers ...")
            load = signed_bodies(events, texts, seed=12)
            cpu_before = cpu_seconds(worker.pid)
            started = time.perf_counter()
            posted = post_all(port, load)
            post_s = time.perf_counter() - started
            target = posted_warm + posted
            answered = wait_for(lambda: replies() >= target, timeout=timeout)
            drain_s = time.perf_counter() - started
            cpu_s = cpu_seconds(worker.pid) - cpu_before
            if not answered:
                raise RuntimeError(f"the worker answered {replies() - posted_warm} of {posted} "
                                   f"events in {timeout:g} s")
            web_pids = [master, *children(master)]
            web = {str(pid): round(pss_bytes(pid) / MIB, 1) for pid in web_pids}
            worker_mib = round(pss_bytes(worker.pid) / MIB, 1)
    web_mib = round(sum(web.values()), 1)
    measured = {
        "web_mib": web_mib,
        "worker_mib": worker_mib,
        "total_mib": round(web_mib + worker_mib, 1),
        "worker_cpu_ms_per_event": round(cpu_s * 1000 / posted, 2),
        "answers_per_s": round(posted / drain_s, 1),
    }
    postgres = describe_database(database_url) == "postgresql"
    return {
        **report_head(database_url),
        "web_command": describe_web(),
        "worker_command": "helpbot worker",
        "web_chat": web_chat,
        "events": posted,
        "warmup": posted_warm,
        "post_s": round(post_s, 3),
        "drain_s": round(drain_s, 3),
        "pss_mib": {"web": web, "web_total": web_mib, "worker": worker_mib,
                    "total": measured["total_mib"]},
        **measured,
        "targets": {
            name: {"target": limit, "measured": measured[name],
                   "holds": _holds(name, measured[name], limit, postgres=postgres,
                                   web_chat=web_chat)}
            for name, limit in TARGETS.items()
        },
    }


def _holds(name: str, value: float, limit: float, *, postgres: bool,
           web_chat: bool) -> bool | None:
    """Whether a target holds; None where the issue sets none (SQLite answers/s, web chat on)."""
    if name == "answers_per_s":
        return value >= limit if postgres else None
    if name == "web_mib" and web_chat:
        return None
    return value <= limit


def format_report(report: dict[str, Any]) -> str:
    lines = [
        f"{report['database']}, {report['cpus']} CPUs, web chat "
        f"{'on' if report['web_chat'] else 'off'}, {report['events']} events",
        f"web:    {report['web_command']}",
        f"worker: {report['worker_command']}",
        "PSS MiB: web " + " + ".join(f"{v:g}" for v in report["pss_mib"]["web"].values())
        + f" = {report['pss_mib']['web_total']:g}, worker {report['pss_mib']['worker']:g}, "
        f"total {report['pss_mib']['total']:g}",
    ]
    for name, row in report["targets"].items():
        verdict = {True: "holds", False: "MISSED", None: "(no target here)"}[row["holds"]]
        lines.append(f"  {name:<24} {row['measured']:>8g}  target {row['target']:g}  {verdict}")
    return "\n".join(lines)
