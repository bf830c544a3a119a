"""Numbering styles of Chinese official documents: 一、 （一） 1、 1. 一是."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"

STYLES = ("chinese", "paren_chinese", "arabic_comma", "arabic_dot", "paren_arabic", "yishi", "none")


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一 (up to 99, enough for rows and sections)."""
    if not 0 < number < 100:
        raise ValueError(number)
    tens, ones = divmod(number, 10)
    text = ("" if tens == 1 else _DIGITS[tens]) + "十" if tens else ""
    return text + (_DIGITS[ones] if ones else "")


def number_label(style: str, number: int) -> str:
    """The label printed before item `number` in `style` (unknown styles fall back to 1、)."""
    if style == "chinese":
        return f"{chinese_numeral(number)}、"
    if style == "paren_chinese":
        return f"（{chinese_numeral(number)}）"
    if style == "arabic_dot":
        return f"{number}."
    if style == "paren_arabic":
        return f"（{number}）"
    if style == "yishi":
        return f"{chinese_numeral(number)}是"
    if style == "none":
        return ""
    return f"{number}、"
