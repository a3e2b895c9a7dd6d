"""What a person sent on LINE, from the content API (``api-data.line.me``,
``GET /v2/bot/message/{id}/content``) through the SDK's MessagingApiBlob."""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import quote

from urllib3 import Retry, Timeout
from urllib3.exceptions import HTTPError

from helpbot.cases.media import FetchedMedia, MediaRelay
from helpbot.config import Settings
from helpbot.errors import DeliveryError, MediaUnavailableError

logger = logging.getLogger(__name__)

TIMEOUT = 20.0
BODY_SECONDS = 120.0  # a whole body, at most (20 MB on a slow line)
CHUNK = 64 * 1024


class LineContent:
    """The MediaFetcher for LINE (cases/media.py).

    The SDK's ``MessagingApiBlob.get_message_content`` reads the whole body into memory before
    its size can be seen, even with ``_preload_content=False`` (its ``ApiResponse`` reads
    ``raw_data``). A video of a few hundred MB would then take a 512 MB worker down, and the
    event's retries would take it down again. So this one call goes through the SDK client's
    own connection pool with the same URL and headers, and streams: a ``Content-Length`` over
    the limit is refused before anything is read, and a body is read only up to the limit."""

    def __init__(self, *, access_token: str, data_base_url: str) -> None:
        self._access_token = access_token
        self._host = data_base_url
        self._client: Any = None

    def _pool(self) -> Any:
        # The SDK is imported on first use: an app without media never loads this client.
        if self._client is None:
            from linebot.v3.messaging import ApiClient, Configuration

            configuration = Configuration(host=self._host, access_token=self._access_token)
            self._client = ApiClient(configuration)
        return self._client

    def fetch(self, message_id: str, *, limit: int) -> FetchedMedia:
        client = self._pool()
        url = f"{self._host}/v2/bot/message/{quote(message_id, safe='')}/content"
        headers = {"Authorization": f"Bearer {self._access_token}",
                   "User-Agent": client.user_agent}
        try:
            response = client.rest_client.pool_manager.request(
                "GET", url, headers=headers, preload_content=False,
                timeout=Timeout(total=TIMEOUT),
                retries=Retry(total=1, redirect=0, status=0, raise_on_status=False,
                              respect_retry_after_header=False),
            )
        except (HTTPError, OSError) as error:
            raise DeliveryError(f"LINE's content API unreachable: {type(error).__name__}") from None
        try:
            data = _read_within(response, limit, deadline=time.monotonic() + BODY_SECONDS)
        except BaseException:
            response.close()  # unread bytes on the connection: never back into the pool
            raise
        finally:
            response.release_conn()
        content_type = response.headers.get("Content-Type") or "application/octet-stream"
        return FetchedMedia(data=data, content_type=str(content_type))


def _read_within(response: Any, limit: int, *, deadline: float) -> bytes:
    """The body of a 2xx answer, refused without reading past ``limit`` bytes or ``deadline``
    (a socket timeout bounds each read, not a body that trickles in)."""
    status = int(response.status)
    if status in (404, 410):
        raise MediaUnavailableError("LINE no longer keeps it (it expired)")
    if 400 <= status < 500 and status != 429:
        raise MediaUnavailableError(f"LINE refused it ({status})")
    if not 200 <= status < 300:
        raise DeliveryError(f"LINE's content API answered {status}", status=status)
    too_big = MediaUnavailableError(f"over the {limit // (1024 * 1024)} MB limit")
    declared = response.headers.get("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise too_big
    parts: list[bytes] = []
    size = 0
    try:
        for chunk in response.stream(CHUNK):
            size += len(chunk)
            if size > limit:
                raise too_big
            if time.monotonic() > deadline:
                raise DeliveryError(f"LINE's content API took over {BODY_SECONDS:g} s")
            parts.append(chunk)
    except (HTTPError, OSError) as error:
        raise DeliveryError(f"LINE's content API broke off: {type(error).__name__}") from None
    return b"".join(parts)


def media_relay(settings: Settings) -> MediaRelay:
    """What people send during a case, fetched from LINE when LINE is configured."""
    keys = settings.line_keys
    fetcher = (LineContent(access_token=keys.access_token,
                           data_base_url=settings.line_content_base_url)
               if keys is not None else None)
    return MediaRelay(fetcher)
