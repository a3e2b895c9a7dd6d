"""Set up the LINE rich menu: create it, upload its image, make it everyone's default.

Through line-bot-sdk v3's ``MessagingApi`` (create, list, delete, set default) and
``MessagingApiBlob`` (the image, on LINE's data host ``api-data.line.me``:
``LINE_API_DATA_BASE_URL``). The menu's name
carries a hash of its buttons and image, so ``apply`` is repeatable: the same menu already at
LINE is only made the default again, and helpbot's older menus are deleted after the new one
is the default (people never see no menu at all).

The buttons send what the conversation already answers (``ACTION_POSTBACKS``): the staff
handoff, the topic list, the crisis lines, 「制度をさがす」 (a postback: a foreign resident's
language is not taken from its Japanese label), or a text.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field

from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessageAction,
    MessagingApi,
    MessagingApiBlob,
    PostbackAction,
    RichMenuArea,
    RichMenuBounds,
    RichMenuRequest,
    RichMenuSize,
    URIAction,
)
from urllib3.exceptions import HTTPError as TransportError

from helpbot.channels.line.richmenu_image import button_boxes
from helpbot.conversation.handoff import HUMAN_POSTBACK
from helpbot.core.messages import CRISIS_POSTBACK, PROGRAMS_POSTBACK, TOPICS_POSTBACK
from helpbot.errors import DeliveryError
from helpbot.knowledge.richmenu_file import MenuButton, RichMenuSpec

logger = logging.getLogger(__name__)

NAME_PREFIX = "helpbot "
ACTION_POSTBACKS = {"staff": HUMAN_POSTBACK, "topics": TOPICS_POSTBACK, "crisis": CRISIS_POSTBACK,
                    "programs": PROGRAMS_POSTBACK}
TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class AppliedMenu:
    """What ``apply`` did at LINE."""

    rich_menu_id: str
    name: str
    created: bool  # False: the same menu was already there
    deleted: tuple[str, ...] = field(default=())  # helpbot's older menus, removed


def menu_request(spec: RichMenuSpec, *, name: str) -> RichMenuRequest:
    """The rich menu object LINE takes: size, chat bar text and one area per button."""
    width, height = spec.pixels
    areas = [
        RichMenuArea(bounds=RichMenuBounds(x=x, y=y, width=w, height=h), action=_action(button))
        for button, (x, y, w, h) in zip(spec.buttons, button_boxes(spec), strict=True)
    ]
    return RichMenuRequest(size=RichMenuSize(width=width, height=height), selected=True,
                           name=name, chat_bar_text=spec.chat_bar_text, areas=areas)


def menu_name(spec: RichMenuSpec, image: bytes) -> str:
    """``helpbot <hash>``: the same buttons and image always give the same name."""
    digest = hashlib.sha256()
    digest.update(json.dumps(menu_request(spec, name="").to_dict(), sort_keys=True).encode())
    digest.update(image)
    return NAME_PREFIX + digest.hexdigest()[:16]


def apply_rich_menu(
    spec: RichMenuSpec, image: bytes, *, access_token: str, base_url: str, data_base_url: str
) -> AppliedMenu:
    """Make this menu the default at LINE (creating and uploading it unless it is there)."""
    name = menu_name(spec, image)
    # Two clients: with a host configured, the SDK sends every call there, and LINE serves
    # images only on its data host.
    api_config = Configuration(host=base_url, access_token=access_token)
    data_config = Configuration(host=data_base_url, access_token=access_token)
    try:
        with ApiClient(api_config) as api_client, ApiClient(data_config) as data_client:
            api, blob = MessagingApi(api_client), MessagingApiBlob(data_client)
            existing = api.get_rich_menu_list(_request_timeout=TIMEOUT).richmenus
            same = next((menu for menu in existing if menu.name == name), None)
            if same is not None:
                menu_id, created = same.rich_menu_id, False
            else:
                request = menu_request(spec, name=name)
                api.validate_rich_menu_object(request, _request_timeout=TIMEOUT)
                menu_id = api.create_rich_menu(request, _request_timeout=TIMEOUT).rich_menu_id
                created = True
                blob.set_rich_menu_image(menu_id, image, _headers={"Content-Type": "image/png"},
                                         _request_timeout=TIMEOUT)
            api.set_default_rich_menu(menu_id, _request_timeout=TIMEOUT)
            older = [menu.rich_menu_id for menu in existing
                     if menu.name.startswith(NAME_PREFIX) and menu.rich_menu_id != menu_id]
            for old_id in older:
                api.delete_rich_menu(old_id, _request_timeout=TIMEOUT)
    except ApiException as error:
        raise DeliveryError(
            f"LINE refused the rich menu ({error.status}): {_line_message(error)}. Check the "
            "channel access token (LINE_CHANNEL_ACCESS_TOKEN) and faq/richmenu.yaml.",
            status=error.status,
        ) from None
    except TransportError as error:
        raise DeliveryError(f"Could not reach LINE ({base_url}): {error}. Check the network "
                            "and LINE_API_BASE_URL / LINE_API_DATA_BASE_URL.") from None
    logger.info("rich menu %s is the default (%s; %d older removed)", menu_id,
                "created" if created else "already there", len(older))
    return AppliedMenu(rich_menu_id=menu_id, name=name, created=created, deleted=tuple(older))


def _action(button: MenuButton) -> PostbackAction | MessageAction | URIAction:
    if button.action == "text":
        return MessageAction(label=button.label, text=button.text or button.label)
    if button.action == "url":
        return URIAction(label=button.label, uri=button.url or "")
    return PostbackAction(label=button.label, data=ACTION_POSTBACKS[button.action],
                          display_text=button.label)


def _line_message(error: ApiException) -> str:
    try:
        body = json.loads(error.body or "{}")
    except (TypeError, ValueError):
        return str(error.reason or "")
    details = "; ".join(str(d.get("message", "")) for d in body.get("details", []) if d)
    return str(body.get("message", "")) + (f" ({details})" if details else "")
