"""One way to show money in every language: CLDR (Babel, through django-money) for the active language.

English and Traditional Chinese pages read "HK$5,000,000.00" and "CN¥4,241,000.50", Simplified Chinese
"HK$5,000,000.00" and "¥4,241,000.50": each language names the Mainland currency one way, and amounts are
grouped the same way on every page, never "5000000.00 HKD" beside "HK$60,000,000.00".
"""

from decimal import Decimal

from djmoney.money import Money


def format_money(amount, currency: str | None = None) -> str:
    """``amount`` (a Money, or a number with its ``currency`` code) in the active language; "" for None."""
    if amount is None or amount == "":
        return ""
    if isinstance(amount, Money):
        return str(amount)
    if currency is None:
        raise ValueError("format_money needs the currency of a plain amount")
    return str(Money(Decimal(str(amount)), str(currency)))
