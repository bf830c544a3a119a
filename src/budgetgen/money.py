"""Money arithmetic: Decimal only, explicit half-up rounding to 0.01 万元."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

Unit = Literal["万元", "元"]

ZERO = Decimal("0")
CENT = Decimal("0.01")
YUAN_PER_WAN = Decimal("10000")


def round_half_up(value: Decimal, step: Decimal = CENT) -> Decimal:
    return value.quantize(step, rounding=ROUND_HALF_UP)


def to_wan(exact: Decimal, unit: Unit) -> Decimal:
    """The printed 万元 figure for an exact amount held in the input unit.

    With 万元 input every leaf already has at most two decimals, so sums of
    leaves are exact and this is only a normalisation; with 元 input this is
    where each printed cell gets rounded from its exact value.
    """
    if unit == "元":
        exact = exact / YUAN_PER_WAN
    return round_half_up(exact)


def total(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def decimal_places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def format_amount(value: Decimal | None) -> str:
    """Two decimals, no thousands separator, blank for zero or missing (SPEC §2)."""
    if value is None or value == ZERO:
        return ""
    return f"{round_half_up(value):.2f}"


def format_text_amount(value: Decimal) -> str:
    """Narrative amounts always print two decimals, zero included (0.00万元)."""
    return f"{round_half_up(value):.2f}"


AMOUNT_STYLES = ("two_decimals", "trimmed")


def format_sentence_amount(value: Decimal, style: str = "two_decimals", zero: str = "") -> str:
    """An amount in a sentence: two decimals (25.00) or trimmed (25, 28.7), from the same figure
    rounded to the cent; `zero` replaces a zero amount when a set writes one (e.g. "0")."""
    printed = round_half_up(value)
    if printed == ZERO and zero:
        return zero
    text = f"{printed:.2f}"
    return _trim(text) if style == "trimmed" else text


def format_percent(ratio: Decimal, decimals: int = 2, style: str = "two_decimals") -> str:
    """A ratio as a percentage, rounded once to `decimals` places (0.125 → 12.50%)."""
    step = Decimal(1).scaleb(-decimals)
    text = f"{(ratio * 100).quantize(step, rounding=ROUND_HALF_UP):.{decimals}f}"
    return (_trim(text) if style == "trimmed" else text) + "%"


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---------------------------------------------------------------- printed units

PrintUnit = Literal["万元", "元"]
PRINT_UNITS: tuple[PrintUnit, ...] = ("万元", "元")


def in_print_unit(exact: Decimal, input_unit: Unit, print_unit: PrintUnit, decimals: int = 2) -> Decimal:
    """The printed figure of an exact amount: converted exactly to the printed unit, then rounded
    once, half-up, to `decimals` places. 万元 input printed in 元 is exact; 元 input printed in 万元
    rounds as `to_wan` does, so a 万元 table prints the statement's own figures."""
    if input_unit != print_unit:
        exact = exact / YUAN_PER_WAN if print_unit == "万元" else exact * YUAN_PER_WAN
    return round_half_up(exact, Decimal(1).scaleb(-decimals))


def format_number(printed: Decimal, decimals: int = 2, thousands: bool = False, zero: str = "") -> str:
    """A printed figure as text: `zero` for a zero (blank, "0.00", "0" …), else with `decimals`
    places and, if asked, thousands separators (96,282,213.44)."""
    if printed == ZERO:
        return zero
    return f"{printed:,.{decimals}f}" if thousands else f"{printed:.{decimals}f}"
