"""Test fakes built from real parts (HTTP servers, LINE's OpenAPI documents, the SDK's models).

* :class:`FakeLineApi` — fake LINE Messaging API server (reply/push/profile/bot info).
* :mod:`tests.fakes.line_webhooks` — builders of signed webhook requests shaped like LINE's.
* :mod:`tests.fakes.contracts` — validation against LINE's official OpenAPI documents.
"""

from .line_api import Delivery, FakeLineApi, Push, RecordedRequest, Reply

__all__ = ["Delivery", "FakeLineApi", "Push", "RecordedRequest", "Reply"]
