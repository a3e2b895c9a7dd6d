"""Sign in with Slack (OpenID Connect) and file uploads (``files.uploadV2``) for the fake.

- ``GET /openid/connect/authorize``: the browser's visit to Slack; the fake answers as the user
  set with :meth:`sign_in_as` (302 back to ``redirect_uri`` with ``code`` and ``state``), or a
  page saying nobody is signed in.
- ``openid.connect.token`` (HTTP Basic client id and secret, ``code``, ``redirect_uri``) and
  ``openid.connect.userInfo`` (``Authorization: Bearer`` the user token it gave).
- ``files.getUploadURLExternal`` -> ``POST /upload/<file id>`` (raw bytes) ->
  ``files.completeUploadExternal`` (``channel_id``, ``thread_ts``, ``initial_comment``): what
  slack_sdk's ``files_upload_v2`` does; each upload is kept in ``uploads``. With a channel, one
  message of the app's (``bot_id``, ``initial_comment`` as its text) shares the files: in
  ``conversations.replies`` it carries ``files`` (``[{"id", "name", "title", "user"}]``).
- ``files.delete`` (``file``): the uploader deletes a file (``cant_delete_file`` for another
  user's, ``file_deleted`` the second time, ``file_not_found`` for an unknown id); messages
  that shared it keep ``{"id": ..., "mode": "tombstone"}`` in its place, as Slack shows
  "This file was deleted". :meth:`OpenIdAndFiles.has_file` tells whether a file is still there.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from .http_server import JsonResponse

# Slack's limit for one file is 1 GB; the fake refuses more than this so tests can hit a limit.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Upload:
    """A file shared by ``files.completeUploadExternal``."""

    file_id: str
    filename: str
    title: str
    data: bytes
    channel: str | None
    thread_ts: str | None
    initial_comment: str | None


class OpenIdAndFiles:
    """Mixed into ``FakeSlackApi``: state and endpoints; the host holds ``_lock``."""

    team_id: str
    bot_user_id: str
    _users: dict[str, dict[str, Any]]
    _messages: list[Any]  # the host's SlackMessage list

    def _share_files(self, channel: str, thread_ts: str | None, text: str,
                     files: list[dict[str, Any]]) -> None:
        raise NotImplementedError  # the host posts the message

    def _init_extras(self) -> None:
        self.oidc_client_id = "1111.2222"
        self.oidc_client_secret = "oidc-client-secret"
        self._browser_user: str | None = None
        self._codes: dict[str, tuple[str, str]] = {}  # code -> (user id, redirect_uri)
        self._user_tokens: dict[str, str] = {}  # xoxp token -> user id
        self._pending_uploads: dict[str, dict[str, Any]] = {}
        self.uploads: list[Upload] = []
        self._file_owners: dict[str, str] = {}  # file id -> the user who shared it
        self._deleted_files: list[str] = []

    def has_file(self, file_id: str) -> bool:
        """The file was shared and is not deleted."""
        with self._lock:  # type: ignore[attr-defined]
            return file_id in self._file_owners and file_id not in self._deleted_files

    @property
    def deleted_files(self) -> list[str]:
        """Ids of files deleted with files.delete, in order."""
        with self._lock:  # type: ignore[attr-defined]
            return list(self._deleted_files)

    def _new_file(self, name: str, *, owner: str, file_id: str | None = None,
                  title: str | None = None) -> dict[str, Any]:
        """Register a shared file; what a message shows of it."""
        file_id = file_id or "F" + secrets.token_hex(5).upper()
        self._file_owners[file_id] = owner
        return {"id": file_id, "name": name, "title": title or name, "user": owner}

    def sign_in_as(self, user_id: str | None) -> None:
        """The user signed in to Slack in the browser (None: nobody)."""
        self._browser_user = user_id

    # -- the browser's visit ------------------------------------------------------------------
    def _authorize(self, query: str) -> JsonResponse:
        params = dict(parse_qsl(query))
        problems = []
        if params.get("response_type") != "code":
            problems.append("response_type must be code")
        if "openid" not in params.get("scope", "").split():
            problems.append("scope must include openid")
        if params.get("client_id") != self.oidc_client_id:
            problems.append("unknown client_id")
        redirect = params.get("redirect_uri", "")
        if not redirect.startswith(("http://", "https://")):
            problems.append("redirect_uri must be an absolute URL")
        if problems or self._browser_user is None:
            return JsonResponse(400, {"ok": False, "error": "; ".join(problems) or "not_signed_in"})
        code = secrets.token_hex(8)
        self._codes[code] = (self._browser_user, redirect)
        query_out = urlencode({"code": code, "state": params.get("state", "")})
        separator = "&" if urlsplit(redirect).query else "?"
        return JsonResponse(302, {"ok": True}, {"Location": f"{redirect}{separator}{query_out}"})

    # -- the server's calls -------------------------------------------------------------------
    def _openid(self, api_method: str, headers: dict[str, str],
                params: dict[str, Any]) -> JsonResponse:
        if api_method == "openid.connect.token":
            return self._openid_token(headers, params)
        return self._openid_user_info(headers)

    def _openid_token(self, headers: dict[str, str], params: dict[str, Any]) -> JsonResponse:
        auth = headers.get("authorization", "")
        client = ""
        if auth.startswith("Basic "):
            client = base64.b64decode(auth[6:]).decode("utf-8", "replace")
        else:
            client = f"{params.get('client_id', '')}:{params.get('client_secret', '')}"
        if client != f"{self.oidc_client_id}:{self.oidc_client_secret}":
            return JsonResponse(200, {"ok": False, "error": "invalid_client_id"})
        found = self._codes.pop(str(params.get("code", "")), None)
        if found is None:
            return JsonResponse(200, {"ok": False, "error": "invalid_code"})
        user_id, redirect = found
        if params.get("redirect_uri") != redirect:
            return JsonResponse(200, {"ok": False, "error": "bad_redirect_uri"})
        token = "xoxp-" + secrets.token_hex(8)
        self._user_tokens[token] = user_id
        return JsonResponse(200, {"ok": True, "access_token": token, "token_type": "Bearer",
                                  "id_token": "not-checked-by-helpbot"})

    def _openid_user_info(self, headers: dict[str, str]) -> JsonResponse:
        auth = headers.get("authorization", "")
        user_id = self._user_tokens.get(auth[7:] if auth.startswith("Bearer ") else "")
        user = self._users.get(user_id or "")
        if user is None:
            return JsonResponse(200, {"ok": False, "error": "invalid_auth"})
        return JsonResponse(200, {
            "ok": True, "sub": user["id"], "https://slack.com/user_id": user["id"],
            "https://slack.com/team_id": user["team_id"], "name": user["real_name"],
            "given_name": user["profile"]["display_name"],
        })

    def _get_upload_url(self, params: dict[str, Any]) -> JsonResponse:
        filename = params.get("filename")
        try:
            length = int(params.get("length", ""))
        except ValueError:
            length = -1
        if not filename or length < 1:
            return JsonResponse(200, {"ok": False, "error": "invalid_arguments"})
        if length > MAX_UPLOAD_BYTES:
            return JsonResponse(200, {"ok": False, "error": "file_too_large"})
        file_id = "F" + secrets.token_hex(5).upper()
        self._pending_uploads[file_id] = {"filename": filename, "length": length, "data": None}
        base = getattr(self, "base_url")  # noqa: B009 - the host's property
        return JsonResponse(200, {"ok": True, "file_id": file_id,
                                  "upload_url": f"{base}/upload/{file_id}"})

    def _receive_upload(self, path: str, raw: bytes) -> JsonResponse:
        pending = self._pending_uploads.get(path.rsplit("/", 1)[-1])
        if pending is None:
            return JsonResponse(404, {"ok": False, "error": "unknown upload"})
        if len(raw) != pending["length"]:
            return JsonResponse(400, {"ok": False, "error": "length differs from the announced"})
        pending["data"] = raw
        return JsonResponse(200, {"ok": True})

    def _complete_upload(self, params: dict[str, Any]) -> JsonResponse:
        files = params.get("files", "[]")
        if isinstance(files, str):  # a form field; the JSON body's is already a list
            try:
                files = json.loads(files)
            except ValueError:
                files = None
        if not isinstance(files, list) or not files:
            return JsonResponse(200, {"ok": False, "error": "invalid_arguments"})
        shared, in_message = [], []
        for item in files:
            pending = self._pending_uploads.pop(str(item.get("id")), None)
            if pending is None or pending["data"] is None:
                return JsonResponse(200, {"ok": False, "error": "file_not_found"})
            upload = Upload(
                file_id=str(item["id"]), filename=pending["filename"],
                title=str(item.get("title") or pending["filename"]), data=pending["data"],
                channel=params.get("channel_id") or None,
                thread_ts=params.get("thread_ts") or None,
                initial_comment=params.get("initial_comment") or None,
            )
            self.uploads.append(upload)
            shared.append({"id": upload.file_id, "name": upload.filename,
                           "title": upload.title, "size": len(upload.data)})
            in_message.append(self._new_file(upload.filename, owner=self.bot_user_id,
                                             file_id=upload.file_id, title=upload.title))
        if upload.channel is not None:
            self._share_files(upload.channel, upload.thread_ts, upload.initial_comment or "",
                              in_message)
        return JsonResponse(200, {"ok": True, "files": shared})

    def _delete_file(self, params: dict[str, Any]) -> JsonResponse:
        file_id = str(params.get("file", ""))
        owner = self._file_owners.get(file_id)
        error = ("file_not_found" if owner is None
                 else "file_deleted" if file_id in self._deleted_files
                 else "cant_delete_file" if owner != self.bot_user_id else None)
        if error is not None:
            return JsonResponse(200, {"ok": False, "error": error})
        self._deleted_files.append(file_id)
        for index, message in enumerate(self._messages):
            if any(f.get("id") == file_id for f in message.files or ()):
                self._messages[index] = replace(message, files=[
                    {"id": file_id, "mode": "tombstone"} if f.get("id") == file_id else f
                    for f in message.files])
        return JsonResponse(200, {"ok": True})
