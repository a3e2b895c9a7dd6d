"""The yardstick for ``helpbot bench webhook``: a bare Flask app that only checks the signature.

``POST /webhooks/line`` verifies ``X-Line-Signature`` (base64 HMAC-SHA256 of the raw body with
``LINE_CHANNEL_SECRET``) and answers 200; nothing is parsed, stored or processed. Served by
gunicorn with helpbot's command line: ``gunicorn ... 'benchmarks.bare_app:create_app()'``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from flask import Flask, Response, request


def create_app(channel_secret: str | None = None) -> Flask:
    secret = (channel_secret or os.environ["LINE_CHANNEL_SECRET"]).encode()
    app = Flask(__name__)

    @app.post("/webhooks/line")
    def webhook() -> Response:
        body = request.get_data(cache=False)
        signature = request.headers.get("X-Line-Signature", "")
        expected = base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest()).decode()
        if not signature or not hmac.compare_digest(expected, signature):
            return Response('{"error":"bad signature"}', 400, mimetype="application/json")
        return Response("{}", 200, mimetype="application/json")

    @app.get("/healthz")
    def health() -> Response:
        return Response('{"status":"ok"}', 200, mimetype="application/json")

    return app
