"""Mask contact details before a message goes to the staff channel.

A case worker needs to know what the person needs, not their phone number or address; those
stay in helpbot's database. Masked: e-mail addresses, phone numbers (Japanese and
international), postal codes and street addresses (番地, 丁目, 号).
"""

from __future__ import annotations

import re
import unicodedata

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(?:\+?\d[\d\s()‐-]{8,}\d)(?!\d)")
_POSTCODE = re.compile(r"〒?\s?(?<!\d)\d{3}-\d{4}(?![\d-])")
_ADDRESS = re.compile(
    r"(?:[\u4e00-\u9fff]{1,6}(?:都|道|府|県))?[\u4e00-\u9fff\u3041-\u30ff]{1,10}(?:市|区|町|村)"
    r"[\u4e00-\u9fff\u3041-\u30ff\d]*?\d+(?:丁目|番地?|号|-\d+)+(?:[-\d]+)?"
)


def mask_personal_data(text: str) -> str:
    """The text with e-mail addresses, phone numbers, postcodes and addresses replaced."""
    text = unicodedata.normalize("NFKC", text)
    text = _EMAIL.sub("[メール]", text)
    text = _ADDRESS.sub("[住所]", text)
    text = _PHONE.sub("[電話番号]", text)
    return _POSTCODE.sub("[郵便番号]", text)
