"""``faq/richmenu.yaml``: the LINE rich menu's buttons, labels and colours, edited by staff.

``helpbot line richmenu apply`` draws the menu image from this file (no designer needed) and
sets it up at LINE. It is not knowledge: the loader skips it, and a mistake here never touches
the bot's answers; ``apply`` reports it with file and line like any other check.

    chat_bar_text: メニュー          # under the chat, at most 14 characters
    size: compact                    # compact: 2500x843, one row; full: 2500x1686, two rows
    background: "#FFFFFF"            # colours in quotes: '#' alone starts a YAML comment
    font: /path/to/a/japanese.ttf    # optional; else a Japanese font Debian installs
    buttons:
      - label: スタッフに相談
        action: staff                # staff | topics | crisis | programs | text | url
        color: "#2E7D32"
        text_color: "#FFFFFF"
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from helpbot.knowledge.entries import Problem
from helpbot.knowledge.yaml_files import (
    LineDict,
    LineList,
    key_line,
    parse_yaml,
    settings_problems,
    unknown_fields,
)

RICHMENU_FILES = frozenset({"richmenu.yaml", "richmenu.yml"})
MENU_FIELDS = ("chat_bar_text", "size", "background", "font", "buttons")
BUTTON_FIELDS = ("label", "action", "text", "url", "color", "text_color")
ACTIONS = ("staff", "topics", "crisis", "programs", "text", "url")
SIZES = {"compact": (2500, 843), "full": (2500, 1686)}
MAX_BUTTONS = 6
MAX_CHAT_BAR_TEXT = 14  # LINE's limit
MAX_LABEL = 20  # LINE's limit for an action label
_COLOR = re.compile(r"#?([0-9A-Fa-f]{6})")
_COLOR_HINT = 'write it in quotes like "#2E7D32"'


@dataclass(frozen=True, slots=True)
class MenuButton:
    """One tappable area: what it says, what it does, its colours."""

    label: str
    action: str  # one of ACTIONS
    color: str  # "#RRGGBB"
    text_color: str
    text: str | None = None  # for action "text": what the person sends
    url: str | None = None  # for action "url"


@dataclass(frozen=True, slots=True)
class RichMenuSpec:
    """The whole menu as staff wrote it."""

    chat_bar_text: str
    size: str
    background: str
    buttons: tuple[MenuButton, ...]
    font: str | None = None

    @property
    def pixels(self) -> tuple[int, int]:
        return SIZES[self.size]

    @property
    def rows(self) -> int:
        return 1 if self.size == "compact" else 2


def read_richmenu(text: str, file: str) -> tuple[RichMenuSpec | None, list[Problem]]:
    """Read the menu file; None and the problems (with lines) when anything is wrong."""
    data, problems = parse_yaml(text, file)
    if problems or data is None:
        return None, problems or [Problem(file, 1, "the rich menu file is empty",
                                          "start from the sample faq/richmenu.yaml")]
    if not isinstance(data, LineDict):
        return None, [Problem(file, 1, "richmenu.yaml should be a set of fields like 'buttons:'")]
    problems.extend(settings_problems(data, file, texts=("label", "text", "chat_bar_text")))
    problems.extend(unknown_fields(data, MENU_FIELDS, file))
    chat_bar = _text(data, "chat_bar_text", file, problems) or "メニュー"
    if len(chat_bar) > MAX_CHAT_BAR_TEXT:
        problems.append(Problem(file, key_line(data, "chat_bar_text"),
                                f"'chat_bar_text' is longer than {MAX_CHAT_BAR_TEXT} characters",
                                "make it shorter, like メニュー"))
    size = (_text(data, "size", file, problems) or "compact").lower()
    if size not in SIZES:
        problems.append(Problem(file, key_line(data, "size"), f"unknown size {size!r}",
                                "use compact (one row) or full (two rows)"))
        size = "compact"
    background = _color(data, "background", "#FFFFFF", file, problems)
    buttons = _buttons(data, file, problems)
    if problems:
        return None, problems
    return RichMenuSpec(chat_bar_text=chat_bar, size=size, background=background,
                        buttons=buttons, font=_text(data, "font", file, problems)), []


def _buttons(data: LineDict, file: str, problems: list[Problem]) -> tuple[MenuButton, ...]:
    raw = data.get("buttons")
    line = key_line(data, "buttons")
    if not isinstance(raw, LineList) or not 1 <= len(raw) <= MAX_BUTTONS:
        problems.append(Problem(file, line, f"'buttons' must list 1 to {MAX_BUTTONS} buttons",
                                "buttons:\n  - label: スタッフに相談\n    action: staff"))
        return ()
    buttons: list[MenuButton] = []
    for position, item in enumerate(raw):
        item_line = raw.item_lines[position] if raw.item_lines else line
        if not isinstance(item, LineDict):
            problems.append(Problem(file, item_line, "a button must have fields like 'label:'",
                                    "- label: スタッフに相談\n  action: staff"))
            continue
        button = _button(item, file, problems)
        if button is not None:
            buttons.append(button)
    return tuple(buttons)


def _button(item: LineDict, file: str, problems: list[Problem]) -> MenuButton | None:
    before = len(problems)
    problems.extend(unknown_fields(item, BUTTON_FIELDS, file))
    label = _text(item, "label", file, problems)
    if label is None:
        problems.append(Problem(file, item.line, "missing 'label'", "write what the button says"))
    elif len(label) > MAX_LABEL:
        problems.append(Problem(file, key_line(item, "label"),
                                f"'label' is longer than {MAX_LABEL} characters",
                                "make it shorter"))
    action = (_text(item, "action", file, problems) or "").lower()
    if action not in ACTIONS:
        problems.append(Problem(file, key_line(item, "action"), f"unknown action {action!r}",
                                f"use one of: {', '.join(ACTIONS)}"))
    url = _text(item, "url", file, problems)
    if action == "url" and not (url or "").startswith("https://"):
        problems.append(Problem(file, key_line(item, "url"), "an 'url' button needs a url",
                                "url: https://..."))
    color = _color(item, "color", "#2E7D32", file, problems)
    text_color = _color(item, "text_color", "#FFFFFF", file, problems)
    if len(problems) > before or label is None:
        return None
    text = _text(item, "text", file, problems) or (label if action == "text" else None)
    return MenuButton(label=label, action=action, color=color, text_color=text_color,
                      text=text, url=url)


def _text(data: LineDict, key: str, file: str, problems: list[Problem]) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(Problem(file, key_line(data, key), f"'{key}' must be text",
                                "write it on one line"))
        return None
    return value.strip() or None


def _color(data: LineDict, key: str, default: str, file: str, problems: list[Problem]) -> str:
    if key not in data:
        return default
    value = data.get(key)
    match = _COLOR.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        shown = "nothing (a '#' without quotes starts a comment)" if value is None else repr(value)
        problems.append(Problem(file, key_line(data, key), f"'{key}' is not a colour: {shown}",
                                _COLOR_HINT))
        return default
    return f"#{match.group(1).upper()}"
