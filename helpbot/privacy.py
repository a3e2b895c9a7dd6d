"""Personal data never reaches the logs in plain text: user ids become short pseudonyms."""

from __future__ import annotations

import hashlib
import hmac


class Pseudonymizer:
    """A keyed hash, so a log reader can follow one person without learning who they are."""

    def __init__(self, key: str) -> None:
        self._key = key.encode()

    def __call__(self, user_id: str) -> str:
        digest = hmac.new(self._key, user_id.encode(), hashlib.sha256).hexdigest()
        return "u-" + digest[:10]
