"""The few formulas budget exports and finance staff write, evaluated exactly when a workbook was
saved without their results (by a program that does not calculate): SUM of ranges and cells, + and −
chains, numbers, parentheses, and references to cells of any sheet of the workbook. Tokens come from
openpyxl's own formula tokenizer; arithmetic is Decimal, so amounts stay exact to the 分.

Why not a formula engine: `formulas` and `pycel` evaluate in binary floating point (money would be
rounded twice), pull in numpy and an old networkx, and pycel is still a beta. What an export writes
is this small subset; anything else is refused with the cell named, as before.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from openpyxl.formula import Tokenizer
from openpyxl.formula.tokenizer import Token
from openpyxl.utils.cell import range_boundaries

from .workbook import CellError, Sheet

MAX_DEPTH = 50  # formulas that refer to formulas, this deep at most (and never in a circle)


class Refused(Exception):
    """A formula this evaluator does not take: the reason, in Chinese."""


def evaluate(sheet: Sheet, formula: str, seen: frozenset = frozenset()) -> Decimal:
    tokens = [t for t in Tokenizer(formula).items if t.type != Token.WSPACE]
    parser = _Parser(sheet, tokens, seen)
    value = parser.expression()
    if parser.position != len(tokens):
        raise Refused(f"公式「{formula[:40]}」含有不支持的写法")
    return value


class _Parser:
    def __init__(self, sheet: Sheet, tokens: list[Token], seen: frozenset) -> None:
        self.sheet, self.tokens, self.position, self.seen = sheet, tokens, 0, seen

    def peek(self) -> Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise Refused("公式不完整")
        self.position += 1
        return token

    def expression(self) -> Decimal:
        value = self.term()
        while (token := self.peek()) is not None and token.type == Token.OP_IN and token.value in "+-":
            self.take()
            value = value + self.term() if token.value == "+" else value - self.term()
        return value

    def term(self) -> Decimal:
        token = self.take()
        if token.type == Token.OP_PRE and token.value in "+-":
            value = self.term()
            return -value if token.value == "-" else value
        if token.type == Token.OPERAND and token.subtype == Token.NUMBER:
            return Decimal(token.value)
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            cells = self.cells(token.value)
            if len(cells) != 1:
                raise Refused(f"区域 {token.value} 只能在 SUM( ) 中使用")
            return cells[0]
        if token.type == Token.PAREN and token.subtype == Token.OPEN:
            value = self.expression()
            if self.take().value != ")":
                raise Refused("括号不成对")
            return value
        if token.type == Token.FUNC and token.subtype == Token.OPEN and token.value.upper() == "SUM(":
            return self.sum()
        raise Refused(f"不支持「{token.value}」（只计算 SUM、加减、数字和单元格引用）")

    def sum(self) -> Decimal:
        total = Decimal(0)
        while True:
            token = self.peek()
            if token is not None and token.type == Token.FUNC and token.subtype == Token.CLOSE:
                self.take()
                return total
            if token is not None and token.type == Token.OPERAND and token.subtype == Token.RANGE:
                self.take()
                total += sum(self.cells(token.value), Decimal(0))
            else:
                total += self.expression()
            separator = self.peek()
            if separator is not None and separator.type == Token.SEP:
                self.take()

    def cells(self, reference: str) -> list[Decimal]:
        sheet, area = self.sheet, reference
        if "!" in reference:
            name, area = reference.rsplit("!", 1)
            name = name.strip("'").replace("''", "'")
            sheet = next((s for s in self.sheet.book if s.name == name), None)
            if sheet is None:
                raise Refused(f"公式引用的工作表「{name}」不在工作簿中（或是隐藏的）")
        min_col, min_row, max_col, max_row = range_boundaries(area.replace("$", ""))
        return [
            self.cell(sheet, row, column)
            for row in range(min_row, (max_row or min_row) + 1)
            for column in range(min_col, (max_col or min_col) + 1)
        ]

    def cell(self, sheet: Sheet, row: int, column: int) -> Decimal:
        if (sheet.name, row, column) in self.seen or len(self.seen) > MAX_DEPTH:
            raise Refused("公式循环引用，或引用层次过深")
        formula = sheet.uncalculated.get((row, column))
        if formula is not None:
            return evaluate(sheet, formula, self.seen | {(sheet.name, row, column)})
        value = sheet.value(row, column)
        if value is None or value == "":
            return Decimal(0)
        if isinstance(value, bool) or isinstance(value, (CellError, datetime.date, datetime.time, str)):
            raise Refused(f"公式引用的单元格 {sheet.name}!{_name(row, column)} 不是数字（{str(value)[:20]}）")
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _name(row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column)}{row}"
