"""Cards as a LINE Flex Message carousel: one bubble per card, its buttons in the footer.

``altText`` (what notifications and old clients show) carries the same content in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from linebot.v3.messaging import (
    FlexBox,
    FlexBubble,
    FlexButton,
    FlexCarousel,
    FlexComponent,
    FlexMessage,
    FlexText,
    PostbackAction,
    URIAction,
)

from helpbot.core.messages import Card, CardButton

MAX_BUBBLES = 12  # LINE's limit for a carousel
MAX_ALT_TEXT = 1500  # LINE's limit for altText
MAX_BUTTON_LABEL = 20
MAX_LINE_TEXT = 300  # one text component; the full text is in altText and the chat text


def alt_text(cards: Sequence[Card]) -> str:
    """The cards in plain words, cut at a line break to LINE's 1,500 characters."""
    text = "\n\n".join(
        f"{index}. {card.title}\n" + "\n".join(card.lines)
        for index, card in enumerate(cards, start=1)
    )
    if len(text) <= MAX_ALT_TEXT:
        return text
    cut = text.rfind("\n", 0, MAX_ALT_TEXT - 1)
    return text[: cut if cut > 0 else MAX_ALT_TEXT - 1] + "…"


def _button(button: CardButton) -> FlexButton:
    label = button.label[:MAX_BUTTON_LABEL]
    if button.uri:
        action = URIAction(label=label, uri=button.uri)
    else:
        action = PostbackAction(label=label, data=button.postback[:300], displayText=label)
    return FlexButton(action=action, style="link", height="sm")


def _bubble(card: Card) -> FlexBubble:
    body: list[FlexComponent] = [
        FlexText(text=card.title[:MAX_LINE_TEXT], weight="bold", size="md", wrap=True)]
    body += [FlexText(text=line[:MAX_LINE_TEXT], size="sm", wrap=True, margin="md")
             for line in card.lines if line]
    footer = None
    if card.buttons:
        footer = FlexBox(layout="vertical", spacing="sm",
                         contents=[_button(button) for button in card.buttons])
    return FlexBubble(body=FlexBox(layout="vertical", contents=body), footer=footer)


def carousel_message(cards: Sequence[Card], quick: dict[str, Any] | None) -> dict[str, Any]:
    """The carousel as LINE's JSON object (the SDK's models build it: cards are rare), with
    ``quick`` (a quick reply object, see ``replies.py``) if given."""
    shown = list(cards)[:MAX_BUBBLES]
    message = FlexMessage(altText=alt_text(shown),
                          contents=FlexCarousel(contents=[_bubble(card) for card in shown]))
    body: dict[str, Any] = message.to_dict()
    if quick is not None:
        body["quickReply"] = quick
    return body
