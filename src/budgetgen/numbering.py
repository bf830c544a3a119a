"""Numbering styles of Chinese official documents: 一、 （一） 1、 1. 一是."""

from __future__ import annotations

from typing import Literal, get_args

_DIGITS = "零一二三四五六七八九"

NumberingStyle = Literal["chinese", "paren_chinese", "arabic_comma", "arabic_dot", "paren_arabic", "yishi", "none"]
STYLES: tuple[str, ...] = get_args(NumberingStyle)


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 101 → 一百零一, 110 → 一百一十, 12345 → 一万二千三百四十五."""
    if not 0 < number < 10**8:
        raise ValueError(f"cannot number item {number}")
    high, low = divmod(number, 10000)
    if not high:
        return _below_ten_thousand(low, leading=True)
    text = _below_ten_thousand(high, leading=True) + "万"
    if low:
        text += ("零" if low < 1000 else "") + _below_ten_thousand(low, leading=False)
    return text


def _below_ten_thousand(number: int, leading: bool) -> str:
    text, pending_zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, value)
        if digit == 0:
            pending_zero = bool(text)
            continue
        if pending_zero:
            text += "零"
            pending_zero = False
        # 十一 alone, but 一百一十 inside a larger number
        text += ("" if digit == 1 and unit == "十" and not text and leading else _DIGITS[digit]) + unit
    return text


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
