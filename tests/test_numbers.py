"""Every way the seeds write a target or an actual value is understood or refused."""

from decimal import Decimal

import pytest

from jixiao.core.numbers import (
    Comparator,
    NumberFormatError,
    Rounding,
    RoundingMode,
    parse_measure,
    percent_text,
    round_half_up,
    to_decimal,
)


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator"),
    [
        ("90%", "0.9", "%", None),
        ("≥90%", "0.9", "%", Comparator.at_least),
        ("≧90%", "0.9", "%", Comparator.at_least),
        ("90％", "0.9", "%", None),
        ("≦10%", "0.1", "%", Comparator.at_most),
        ("≤10%", "0.1", "%", Comparator.at_most),
        ("100%以上", "1", "%", Comparator.at_least),
        ("90%以上", "0.9", "%", Comparator.at_least),
        ("90%及以上", "0.9", "%", Comparator.at_least),
        ("不低于95%", "0.95", "%", Comparator.at_least),
        ("1411.9万元", "1411.9", "万元", None),
        ("7个", "7", "个", None),
        ("49人", "49", "人", None),
        ("＝100%", "1", "%", Comparator.equal),
        ("1,234.5", "1234.5", "", None),
        ("≦5万元以内", "5", "万元", Comparator.at_most),
        ("0", "0", "", None),
        ("８．５", "8.5", "", None),
    ],
)
def test_written_numbers_are_understood(text, value, unit, comparator):
    m = parse_measure(text)
    assert m.value == Decimal(value)
    assert m.unit == unit
    assert m.comparator == comparator
    assert m.text == text


@pytest.mark.parametrize("text", ["达标", "提升", "相关", "项目持续开展", "已完成"])
def test_words_are_text_not_numbers(text):
    m = parse_measure(text)
    assert m.value is None
    assert not m.is_number


@pytest.mark.parametrize("text", ["1.2.3", "9O%", "≥", "≥达标", "12..5%", "3 5"])
def test_malformed_numbers_are_refused_in_chinese(text):
    with pytest.raises(NumberFormatError) as info:
        parse_measure(text)
    assert text.replace(" ", "") in str(info.value).replace(" ", "") or "数" in str(info.value)


def test_to_decimal_never_uses_float_digits():
    assert to_decimal("0.1") + to_decimal("0.2") == Decimal("0.3")
    with pytest.raises(NumberFormatError):
        to_decimal("达标")
    with pytest.raises(NumberFormatError):
        to_decimal(True)


def test_half_up_rounding_and_settings():
    assert round_half_up(Decimal("2.675")) == Decimal("2.68")  # float would give 2.67
    assert round_half_up(Decimal("0.125"), 2) == Decimal("0.13")
    assert Rounding(places=0).apply(Decimal("8.6")) == Decimal(9)
    assert Rounding(places=0, mode=RoundingMode.down).apply(Decimal("8.6")) == Decimal(8)
    assert percent_text(Decimal("0.88532")) == "88.53%"
