"""Money as integer minor units plus an ISO currency code. Never a float."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision

AMOUNT_PATTERN = re.compile(r"\d+(\.\d+)?")
CURRENCIES = ("CNY", "USD", "EUR", "HKD", "SGD", "JPY", "GBP")


def minor_unit_factor(currency: str) -> int:
    return 10 ** get_currency_precision(currency)


@dataclass(frozen=True, slots=True)
class Money:
    amount_minor: int
    currency: str

    @classmethod
    def parse(cls, text: str, currency: str) -> Money:
        """Parse a human amount such as "8000" or "8,000.50"; raises ValueError when it is not one."""
        cleaned = (text or "").replace(",", "").replace("，", "").strip()
        if not AMOUNT_PATTERN.fullmatch(cleaned) or len(cleaned) > 15:
            raise ValueError(text)
        try:
            value = Decimal(cleaned)
        except InvalidOperation as exc:
            raise ValueError(text) from exc
        if not value.is_finite() or value < 0:
            raise ValueError(text)
        factor = minor_unit_factor(currency)
        minor = value * factor
        if minor != minor.to_integral_value():
            raise ValueError(text)
        return cls(int(minor), currency)

    @property
    def decimal(self) -> Decimal:
        return (Decimal(self.amount_minor) / minor_unit_factor(self.currency)).quantize(
            Decimal(1) / minor_unit_factor(self.currency), rounding=ROUND_HALF_UP
        )

    def plain(self) -> str:
        """The amount as typed in a form, without grouping ("8000" or "8000.50")."""
        value = self.decimal
        return str(value.to_integral_value()) if value == value.to_integral_value() else str(value)

    def format(self, locale: str) -> str:
        return format_currency(self.decimal, self.currency, locale=locale)
