"""Text for places that take ASCII only: OpenCV's drawn labels, an SMS gateway's plain text."""

from __future__ import annotations

import unicodedata


def ascii_text(text: str) -> str:
    """"Đường Bà Triệu" → "Duong Ba Trieu" (the accents dropped, anything else outside ASCII too)."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c) and ord(c) < 128)
