"""The rich menu endpoints of the fake LINE Messaging API (``FakeLineApi`` routes to them).

Checked like the message endpoints: LINE's OpenAPI document (``RichMenuRequest``), the SDK's
models (``RichMenuRequest.from_dict`` and a concrete ``Action`` per area), and LINE's documented
limits the two do not encode:

* size: width 800–2500, height at least 250, width / height at least 1.45; 1–20 areas, each
  inside the menu; ``name`` (≤ 300) and ``chatBarText`` (1–14) given; action labels ≤ 20,
  ``displayText`` and message ``text`` ≤ 300, postback ``data`` ≤ 300;
* the image: ``Content-Type`` image/jpeg or image/png, at most 1 MB, exactly the menu's size,
  uploaded once per menu;
* a menu becomes the default only once it has its image (LINE answers 400 before).

State: created menus (``menus``), their images (``images``) and the default
(``default_menu_id``), for tests to inspect.
"""

from __future__ import annotations

import io
import re
import uuid
from typing import Any

from . import contracts
from .http_server import JsonResponse

RICHMENU_PREFIX = "/v2/bot/richmenu"
DEFAULT_PATH = "/v2/bot/user/all/richmenu"
MAX_IMAGE_BYTES = 1024 * 1024
MAX_AREAS = 20
MAX_CHAT_BAR_TEXT = 14
MAX_NAME = 300
MAX_ACTION_LABEL = 20
MAX_DISPLAY_TEXT = 300
_ID_PATH = re.compile(r"^/v2/bot/richmenu/([^/]+)$")
_CONTENT_PATH = re.compile(r"^/v2/bot/richmenu/([^/]+)/content$")
_DEFAULT_ID_PATH = re.compile(r"^/v2/bot/user/all/richmenu/([^/]+)$")


class RichMenuViolationError(Exception):
    """The request breaks LINE's contract (the fake answers 400 and records it)."""

    def __init__(self, details: list[contracts.SchemaError]) -> None:
        super().__init__(details)
        self.details = details


class FakeRichMenus:
    """What LINE keeps about rich menus, and the checks of each call."""

    def __init__(self, contract: contracts.OpenApiContract | None) -> None:
        self.contract = contract
        self.menus: dict[str, dict[str, Any]] = {}
        self.images: dict[str, tuple[str, bytes]] = {}  # menu id -> (content type, bytes)
        self.default_menu_id: str | None = None

    def handles(self, path: str) -> bool:
        return path.startswith((RICHMENU_PREFIX, DEFAULT_PATH))

    def dispatch(  # noqa: PLR0911 - one return per endpoint reads best here
        self, method: str, path: str, headers: dict[str, str], raw: bytes, body: Any
    ) -> JsonResponse | None:
        """Answer a rich menu call, or None when the path is not one of them."""
        if method == "POST" and path in (RICHMENU_PREFIX, RICHMENU_PREFIX + "/validate"):
            self._check_request(method, path, headers, body)
            if path.endswith("/validate"):
                return JsonResponse(200, {})
            menu_id = f"richmenu-{uuid.uuid4().hex}"
            self.menus[menu_id] = {"richMenuId": menu_id, **body}
            return JsonResponse(200, {"richMenuId": menu_id})
        if method == "GET" and path == RICHMENU_PREFIX + "/list":
            return JsonResponse(200, {"richmenus": list(self.menus.values())})
        content = _CONTENT_PATH.match(path)
        if content and method == "POST":
            return self._upload(content.group(1), headers, raw)
        by_id = _ID_PATH.match(path)
        if by_id and method in ("GET", "DELETE"):
            return self._menu(method, by_id.group(1))
        default_id = _DEFAULT_ID_PATH.match(path)
        if default_id and method == "POST":
            return self._set_default(default_id.group(1))
        if path == DEFAULT_PATH and method == "GET":
            if self.default_menu_id is None:
                return JsonResponse(404, {"message": "no default richmenu"})
            return JsonResponse(200, {"richMenuId": self.default_menu_id})
        if path == DEFAULT_PATH and method == "DELETE":
            self.default_menu_id = None
            return JsonResponse(200, {})
        return None

    # -- endpoints ----------------------------------------------------------------------------
    def _upload(self, menu_id: str, headers: dict[str, str], raw: bytes) -> JsonResponse:
        menu = self.menus.get(menu_id)
        if menu is None:
            return JsonResponse(404, {"message": "Not found"})
        if menu_id in self.images:
            return JsonResponse(400, {"message": "An image has already been uploaded to the "
                                                 "richmenu"})
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        errors = check_image(content_type, raw, menu["size"])
        if errors:
            raise RichMenuViolationError(errors)
        self.images[menu_id] = (content_type, raw)
        return JsonResponse(200, {})

    def _menu(self, method: str, menu_id: str) -> JsonResponse:
        if menu_id not in self.menus:
            return JsonResponse(404, {"message": "Not found"})
        if method == "GET":
            return JsonResponse(200, dict(self.menus[menu_id]))
        del self.menus[menu_id]
        self.images.pop(menu_id, None)
        if self.default_menu_id == menu_id:
            self.default_menu_id = None
        return JsonResponse(200, {})

    def _set_default(self, menu_id: str) -> JsonResponse:
        if menu_id not in self.menus:
            return JsonResponse(404, {"message": "richmenu not found"})
        if menu_id not in self.images:
            return JsonResponse(400, {"message": "must upload richmenu image before applying it "
                                                 "to user"})
        self.default_menu_id = menu_id
        return JsonResponse(200, {})

    # -- checks -------------------------------------------------------------------------------
    def _check_request(self, method: str, path: str, headers: dict[str, str], body: Any) -> None:
        if not headers.get("content-type", "").startswith("application/json"):
            raise RichMenuViolationError(
                [contracts.SchemaError("Content-Type", "must be application/json")])
        if not isinstance(body, dict):
            raise RichMenuViolationError(
                [contracts.SchemaError("", "The request body could not be parsed as JSON")])
        details: list[contracts.SchemaError] = []
        if self.contract is not None:
            details += [contracts.SchemaError(d.property, f"[openapi] {d.message}")
                        for d in self.contract.validate_request_body(method, path, body)]
        details += [contracts.SchemaError(d.property, f"[sdk] {d.message}")
                    for d in check_with_sdk(body)]
        details += [contracts.SchemaError(d.property, f"[limits] {d.message}")
                    for d in check_limits(body)]
        if details:
            raise RichMenuViolationError(details)


def check_with_sdk(body: dict[str, Any]) -> list[contracts.SchemaError]:
    """Parse with line-bot-sdk's models: the request, and each area's action as a real type."""
    from linebot.v3.messaging import Action, RichMenuRequest

    errors: list[contracts.SchemaError] = []
    try:
        RichMenuRequest.from_dict(body)
    except Exception as exc:  # pydantic ValidationError, KeyError, TypeError, ValueError
        errors.append(contracts.SchemaError("", f"RichMenuRequest.from_dict: {_one_line(exc)}"))
    areas = body.get("areas")
    for i, area in enumerate(areas if isinstance(areas, list) else []):
        action = area.get("action") if isinstance(area, dict) else None
        try:
            parsed = Action.from_dict(action)
        except Exception as exc:
            errors.append(contracts.SchemaError(f"areas[{i}].action",
                                                f"Action.from_dict: {_one_line(exc)}"))
            continue
        if type(parsed) is Action or not isinstance(parsed, Action):
            errors.append(contracts.SchemaError(f"areas[{i}].action", "not a concrete action"))
    return errors


def check_limits(body: dict[str, Any]) -> list[contracts.SchemaError]:
    """LINE's documented rich menu limits that the OpenAPI document and the SDK do not hold."""
    errors: list[contracts.SchemaError] = []
    for key in ("size", "selected", "name", "chatBarText", "areas"):
        if key not in body:
            errors.append(contracts.SchemaError(key, "must be specified"))
    size = body.get("size") if isinstance(body.get("size"), dict) else {}
    width, height = size.get("width", 0), size.get("height", 0)
    if not (800 <= width <= 2500 and height >= 250 and width / max(height, 1) >= 1.45):
        errors.append(contracts.SchemaError(
            "size", f"width 800-2500, height >= 250, width/height >= 1.45 (got {width}x{height})"))
    name, chat_bar = body.get("name"), body.get("chatBarText")
    if not isinstance(name, str) or not 1 <= len(name) <= MAX_NAME:
        errors.append(contracts.SchemaError("name", f"length must be 1 to {MAX_NAME}"))
    if not isinstance(chat_bar, str) or not 1 <= len(chat_bar) <= MAX_CHAT_BAR_TEXT:
        errors.append(contracts.SchemaError("chatBarText",
                                            f"length must be 1 to {MAX_CHAT_BAR_TEXT}"))
    areas = body.get("areas")
    if not isinstance(areas, list) or not 1 <= len(areas) <= MAX_AREAS:
        errors.append(contracts.SchemaError("areas", f"must hold 1 to {MAX_AREAS} areas"))
        return errors
    for i, area in enumerate(areas):
        bounds = area.get("bounds", {}) if isinstance(area, dict) else {}
        x, y = bounds.get("x", -1), bounds.get("y", -1)
        w, h = bounds.get("width", 0), bounds.get("height", 0)
        if x < 0 or y < 0 or w < 1 or h < 1 or x + w > width or y + h > height:
            errors.append(contracts.SchemaError(f"areas[{i}].bounds",
                                                f"must lie inside the {width}x{height} menu"))
        action = area.get("action", {}) if isinstance(area, dict) else {}
        label = action.get("label")
        if label is not None and len(label) > MAX_ACTION_LABEL:
            errors.append(contracts.SchemaError(f"areas[{i}].action.label",
                                                f"length must be <= {MAX_ACTION_LABEL}"))
        for key in ("displayText", "text", "data"):
            value = action.get(key)
            if isinstance(value, str) and not 1 <= len(value) <= MAX_DISPLAY_TEXT:
                errors.append(contracts.SchemaError(f"areas[{i}].action.{key}",
                                                    f"length must be 1 to {MAX_DISPLAY_TEXT}"))
    return errors


def check_image(content_type: str, raw: bytes, size: dict[str, int]) -> list[contracts.SchemaError]:
    """The uploaded image: PNG or JPEG, at most 1 MB, exactly the menu's size."""
    from PIL import Image, UnidentifiedImageError

    errors: list[contracts.SchemaError] = []
    if content_type not in ("image/png", "image/jpeg"):
        errors.append(contracts.SchemaError("Content-Type",
                                            f"must be image/png or image/jpeg: {content_type!r}"))
    if len(raw) > MAX_IMAGE_BYTES:
        errors.append(contracts.SchemaError("body", f"{len(raw)} bytes, more than 1 MB"))
    try:
        with Image.open(io.BytesIO(raw)) as image:
            kind, dimensions = image.format, image.size
    except (UnidentifiedImageError, OSError):
        return [*errors, contracts.SchemaError("body", "not a PNG or JPEG image")]
    if f"image/{(kind or '').lower()}" != content_type:
        errors.append(contracts.SchemaError("body", f"a {kind} image sent as {content_type}"))
    if dimensions != (size["width"], size["height"]):
        errors.append(contracts.SchemaError(
            "body", f"the image is {dimensions[0]}x{dimensions[1]}, the menu "
                    f"{size['width']}x{size['height']}"))
    return errors


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:300]}"
