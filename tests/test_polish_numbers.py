"""Amounts typed the Polish way ("904 150,00") are read exactly; anything else is refused."""
from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from regionet.platform.ui.fields import parse_polish_decimal

amounts = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False,
                      allow_infinity=False)


@given(amounts, st.sampled_from(["\u00a0", " ", "\u202f", ""]))
def test_any_amount_written_with_thousands_spaces_and_a_comma_reads_back_exactly(amount, space):
    written = format_decimal(amount, format="#,##0.00", locale="pl").replace("\u00a0", space)
    assert parse_polish_decimal(written) == amount


@pytest.mark.parametrize("text", ["", "abc", "-5", "12,345", "1,2,3", "904 150,00 zł", "1e5", "١٢"])
def test_text_that_is_not_an_amount_is_refused(text):
    with pytest.raises(ValueError):
        parse_polish_decimal(text)


def test_hours_take_one_decimal_place():
    assert parse_polish_decimal("7,5", places=1) == Decimal("7.5")
    with pytest.raises(ValueError):
        parse_polish_decimal("7,25", places=1)
