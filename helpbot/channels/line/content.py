"""What a person sent on LINE, from the content API (``api-data.line.me``,
``GET /v2/bot/message/{id}/content``) through the SDK's MessagingApiBlob."""

from __future__ import annotations

import logging
from typing import Any

from urllib3.exceptions import HTTPError

from helpbot.cases.media import FetchedMedia, MediaRelay
from helpbot.config import Settings
from helpbot.errors import DeliveryError, MediaUnavailableError

logger = logging.getLogger(__name__)

TIMEOUT = 20.0


class LineContent:
    """The MediaFetcher for LINE (cases/media.py)."""

    def __init__(self, *, access_token: str, data_base_url: str) -> None:
        self._access_token = access_token
        self._host = data_base_url
        self._api: Any = None

    def fetch(self, message_id: str, *, limit: int) -> FetchedMedia:
        # The SDK is imported on first use: an app without media never loads this client.
        from linebot.v3.messaging import ApiClient, ApiException, Configuration, MessagingApiBlob

        if self._api is None:
            configuration = Configuration(host=self._host, access_token=self._access_token)
            configuration.retries = 1
            self._api = MessagingApiBlob(ApiClient(configuration))
        try:
            response = self._api.get_message_content_with_http_info(
                message_id, _request_timeout=TIMEOUT)
        except ApiException as error:
            status = error.status or 0
            if status in (404, 410):
                raise MediaUnavailableError("LINE no longer keeps it (it expired)") from None
            if 400 <= status < 500 and status != 429:
                raise MediaUnavailableError(f"LINE refused it ({status})") from None
            raise DeliveryError(f"LINE's content API answered {status}", status=status) from None
        except (HTTPError, OSError) as error:
            raise DeliveryError(f"LINE's content API unreachable: {type(error).__name__}") from None
        data = bytes(response.data or b"")
        if len(data) > limit:
            raise MediaUnavailableError(f"over the {limit // (1024 * 1024)} MB limit")
        headers = response.headers or {}
        content_type = str(headers.get("Content-Type") or headers.get("content-type")
                           or "application/octet-stream")
        return FetchedMedia(data=data, content_type=content_type)


def media_relay(settings: Settings) -> MediaRelay:
    """What people send during a case, fetched from LINE when LINE is configured."""
    keys = settings.line_keys
    fetcher = (LineContent(access_token=keys.access_token,
                           data_base_url=settings.line_content_base_url)
               if keys is not None else None)
    return MediaRelay(fetcher)
