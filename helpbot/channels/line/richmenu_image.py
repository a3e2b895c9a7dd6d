"""Draw the rich menu image from ``faq/richmenu.yaml``: coloured buttons with their labels.

LINE wants a PNG or JPEG of exactly the menu's size (2500x843 or 2500x1686) under 1 MB; flat
colours and text compress to a few tens of kilobytes as PNG. Pillow draws it. Japanese labels
need a Japanese font: ``font:`` in the file, else the first one found of those Debian's
``fonts-ipafont-gothic``, ``fonts-noto-cjk`` and ``fonts-takao-gothic`` install. None is
shipped with helpbot (a CJK font is 4–20 MB); a font without the labels' characters is refused
with the characters named, never drawn as empty boxes.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import TYPE_CHECKING

from helpbot.errors import ConfigError

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

    from helpbot.knowledge.richmenu_file import RichMenuSpec

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/takao-gothic/TakaoPGothic.ttf",
)
MAX_IMAGE_BYTES = 1024 * 1024  # LINE's limit
GAP = 12  # pixels between buttons, in the background colour
_NOT_A_CHARACTER = "\U0010fffd"  # no font has it: what a missing glyph looks like


def find_font(configured: str | None, candidates: tuple[str, ...] = FONT_CANDIDATES) -> Path:
    """The font to draw with: the configured one, else the first Japanese font installed."""
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise ConfigError(f"The font {configured!r} in richmenu.yaml does not exist. "
                              "Fix the path, or remove 'font:' to use an installed one.")
        return path
    for candidate in candidates:
        if Path(candidate).is_file():
            return Path(candidate)
    raise ConfigError(
        "No Japanese font found for the rich menu image. Install one (Debian: apt-get install "
        "fonts-ipafont-gothic), or write 'font: /path/to/font.ttf' in faq/richmenu.yaml."
    )


def button_boxes(spec: RichMenuSpec) -> list[tuple[int, int, int, int]]:
    """Each button's tappable area as (x, y, width, height), row by row, covering the image."""
    width, height = spec.pixels
    rows = min(spec.rows, len(spec.buttons))
    columns = math.ceil(len(spec.buttons) / rows)
    boxes = []
    for index in range(len(spec.buttons)):
        row, column = divmod(index, columns)
        in_row = min(columns, len(spec.buttons) - row * columns)
        left, right = width * column // in_row, width * (column + 1) // in_row
        top, bottom = height * row // rows, height * (row + 1) // rows
        boxes.append((left, top, right - left, bottom - top))
    return boxes


def missing_characters(font: FreeTypeFont, text: str) -> list[str]:
    """The characters of ``text`` the font has no glyph for (drawn as its 'missing' box)."""
    missing_box = _glyph(font, _NOT_A_CHARACTER)
    return [ch for ch in dict.fromkeys(text)
            if not ch.isspace() and _glyph(font, ch) == missing_box]


def render_menu(spec: RichMenuSpec, *, font_path: Path) -> bytes:
    """The menu as PNG bytes, exactly ``spec.pixels`` big."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = spec.pixels
    image = Image.new("RGB", (width, height), spec.background)
    draw = ImageDraw.Draw(image)
    probe = ImageFont.truetype(str(font_path), 40)
    missing = missing_characters(probe, "".join(b.label for b in spec.buttons))
    if missing:
        raise ConfigError(
            f"The font {font_path} has no {''.join(missing)!r}: the labels would show empty "
            "boxes. Use a Japanese font ('font:' in faq/richmenu.yaml, or apt-get install "
            "fonts-ipafont-gothic)."
        )
    boxes = button_boxes(spec)
    # One size for every label (the size the longest one fits at), so the menu looks even.
    size = min(_fitting_size(font_path, button.label, width=int(w * 0.84), height=int(h * 0.3))
               for button, (_x, _y, w, h) in zip(spec.buttons, boxes, strict=True))
    font = ImageFont.truetype(str(font_path), size)
    for button, (x, y, w, h) in zip(spec.buttons, boxes, strict=True):
        draw.rectangle((x + GAP // 2, y + GAP // 2, x + w - GAP // 2 - 1, y + h - GAP // 2 - 1),
                       fill=button.color)
        draw.text((x + w / 2, y + h / 2), button.label, font=font, fill=button.text_color,
                  anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    data = out.getvalue()
    if len(data) > MAX_IMAGE_BYTES:
        raise ConfigError(f"The rich menu image is {len(data)} bytes; LINE takes at most 1 MB.")
    return data


def _fitting_size(font_path: Path, text: str, *, width: int, height: int) -> int:
    """The largest size (at most ``height`` pixels) at which ``text`` fits in ``width``."""
    from PIL import ImageFont

    size = max(height, 12)
    while size > 12:
        left, _top, right, _bottom = ImageFont.truetype(str(font_path), size).getbbox(text)
        if right - left <= width:
            return size
        size = int(size * 0.92)
    return 12


def _glyph(font: FreeTypeFont, character: str) -> bytes:
    from PIL import Image, ImageDraw

    left, top, right, bottom = font.getbbox(character)
    canvas = Image.new("L", (max(right - left, 1) + 2, max(bottom - top, 1) + 2))
    ImageDraw.Draw(canvas).text((1 - left, 1 - top), character, font=font, fill=255)
    return canvas.size[0].to_bytes(4, "big") + canvas.tobytes()
