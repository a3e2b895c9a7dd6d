"""LINE content is streamed with a limit: a body larger than the limit is refused without
being read whole (a 512 MB worker would otherwise die on a long video, and again on every
retry of the event)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from helpbot.channels.line.content import LineContent
from helpbot.errors import DeliveryError, MediaUnavailableError

MiB = 1024 * 1024


@contextmanager
def content_server(reply) -> Iterator[tuple[str, dict[str, int]]]:
    """A stand-in for api-data.line.me whose answer ``reply(handler, sent)`` writes."""
    sent = {"bytes": 0, "requests": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            sent["requests"] += 1
            # the client may stop reading: what the limit is for
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                reply(self, sent)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", sent
    finally:
        server.shutdown()
        server.server_close()


def _endless(handler, sent, *, declare: int | None) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "video/mp4")
    if declare is not None:
        handler.send_header("Content-Length", str(declare))
    handler.end_headers()
    block = b"\0" * (64 * 1024)
    for _ in range(1600):  # up to 100 MiB, unless the client stops reading
        handler.wfile.write(block)
        sent["bytes"] += len(block)


def test_a_declared_size_over_the_limit_is_refused_before_reading():
    with content_server(lambda h, s: _endless(h, s, declare=10 * 1024 * MiB)) as (url, sent):
        fetcher = LineContent(access_token="t", data_base_url=url)
        with pytest.raises(MediaUnavailableError, match="over the 1 MB limit"):
            fetcher.fetch("m1", limit=1 * MiB)
    assert sent["requests"] == 1
    assert sent["bytes"] < 16 * MiB, "the body was not read"


def test_an_undeclared_body_is_read_only_up_to_the_limit():
    with content_server(lambda h, s: _endless(h, s, declare=None)) as (url, sent):
        fetcher = LineContent(access_token="t", data_base_url=url)
        with pytest.raises(MediaUnavailableError, match="over the 2 MB limit"):
            fetcher.fetch("m2", limit=2 * MiB)
    assert sent["bytes"] < 32 * MiB, "stopped near the limit, not after 100 MiB"


def test_a_body_within_the_limit_arrives_whole_with_its_type():
    body = bytes(range(256)) * 4096  # 1 MiB

    def reply(handler, sent):
        assert handler.path == "/v2/bot/message/m%2F3/content"
        assert handler.headers["Authorization"] == "Bearer t"
        handler.send_response(200)
        handler.send_header("Content-Type", "image/jpeg")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    with content_server(reply) as (url, _sent):
        fetched = LineContent(access_token="t", data_base_url=url).fetch("m/3", limit=2 * MiB)
    assert fetched.data == body and fetched.content_type == "image/jpeg"


@pytest.mark.parametrize(("status", "error", "words"), [
    (404, MediaUnavailableError, "no longer keeps it"),
    (410, MediaUnavailableError, "no longer keeps it"),
    (403, MediaUnavailableError, r"refused it \(403\)"),
    (429, DeliveryError, "answered 429"),
    (503, DeliveryError, "answered 503"),
])
def test_what_line_answers_instead(status, error, words):
    def reply(handler, sent):
        handler.send_response(status)
        handler.send_header("Content-Length", "2")
        handler.end_headers()
        handler.wfile.write(b"{}")

    with content_server(reply) as (url, _sent), pytest.raises(error, match=words):
        LineContent(access_token="t", data_base_url=url).fetch("m4", limit=MiB)


def test_line_unreachable_is_a_delivery_error():
    with content_server(lambda h, s: None) as (url, _sent):
        pass  # the server is gone: nothing listens on its port now
    with pytest.raises(DeliveryError, match="unreachable"):
        LineContent(access_token="t", data_base_url=url).fetch("m5", limit=MiB)


def test_a_body_that_trickles_in_is_given_up_at_the_deadline(monkeypatch):
    from helpbot.channels.line import content

    monkeypatch.setattr(content, "BODY_SECONDS", 0.5)

    def reply(handler, sent):
        handler.send_response(200)
        handler.send_header("Content-Length", str(MiB))
        handler.end_headers()
        for _ in range(200):  # 64 KB every 0.1 s: each read is quick, the whole is not
            handler.wfile.write(b"\0" * (64 * 1024))
            handler.wfile.flush()
            time.sleep(0.1)

    with content_server(reply) as (url, _sent), pytest.raises(DeliveryError, match="took over"):
        LineContent(access_token="t", data_base_url=url).fetch("m6", limit=2 * MiB)
