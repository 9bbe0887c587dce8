"""Property tests: a consistent set of accounts (built from random detail, each printed
figure rounded, so with real rounding tails) gives no error; changing one printed figure
gives at least one; writing and reading back gives the same accounts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jixiao import api
from jixiao.core.findings import Severity
from jixiao.derive.accounts.build import build_accounts
from jixiao.model.accounts import TABLE_IDS, Accounts
from jixiao.model.classification import economic_catalog, economic_classes, function_catalog
from jixiao.read.accounts.reader import from_data

ITEMS = [c for c in function_catalog().names if len(c) == 7]
#: the 款 of 公开06表 (the 类 of basic expenditure); those tied to the “三公” table are left to
#: the “三公” figures (see build_accounts)
ECONOMIC = [
    c
    for cls in economic_classes()
    for c in economic_catalog().children(cls)
    if c not in ("30212", "30217", "30231", "31013")
]
UNIT = Decimal("0.0001")  # detail in 元-like precision; printed figures are rounded to 0.01


def _amount(high: int, low: int = 0) -> st.SearchStrategy[Decimal]:
    return st.integers(low, high).map(lambda n: n * UNIT)


@st.composite
def accounts(draw: st.DrawFn) -> Accounts:
    codes = draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=10, unique=True))
    # every item spends something (a department with no spending at all has empty tables)
    items = {c: (draw(_amount(5_000_000, 1)), draw(_amount(2_000_000))) for c in codes}
    basic_units = int(sum(b for b, _ in items.values()) / UNIT)
    econ_codes = draw(st.lists(st.sampled_from(ECONOMIC), min_size=1, max_size=12, unique=True))
    cuts = sorted(
        draw(
            st.lists(st.integers(0, basic_units), min_size=len(econ_codes) - 1, max_size=len(econ_codes) - 1)
        )
    )
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, basic_units], strict=True)]
    economic = {c: p * UNIT for c, p in zip(econ_codes, parts, strict=True) if p}
    if not economic and basic_units:
        economic = {econ_codes[0]: basic_units * UNIT}
    actual = {"vehicle_running": draw(_amount(100_000)), "reception": draw(_amount(50_000))}
    budget = {k: v + draw(_amount(10_000)) for k, v in actual.items()}
    opening = draw(_amount(500_000))
    return build_accounts(
        department="测试单位",
        year=2024,
        items=items,
        economic=economic,
        three_public_budget=budget,
        three_public_actual=actual,
        opening=opening,
        closing=opening + draw(_amount(500_000)),
        initial_budget={c: b + p for c, (b, p) in items.items()},
    )


def _errors(acc: Accounts) -> list[Any]:
    return [f for f in api.check_accounts(acc).findings if f.severity is Severity.error]


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(accounts())
def test_consistent_accounts_have_no_error(acc):
    assert _errors(acc) == []


def _printed_paths(data: Any, path: tuple = ()) -> list[tuple]:
    """Paths of every printed amount of the nine tables in ``model_dump()`` data."""
    out = []
    if isinstance(data, dict):
        for k, v in data.items():
            out += _printed_paths(v, (*path, k))
    elif isinstance(data, list | tuple):
        for i, v in enumerate(data):
            out += _printed_paths(v, (*path, i))
    elif isinstance(data, Decimal):
        out.append(path)
    return out


def _set(data: Any, path: tuple, value: Decimal) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _get(data: Any, path: tuple) -> Any:
    for key in path:
        data = data[key]
    return data


@SETTINGS
@given(
    acc=accounts(),
    pick=st.integers(0, 10_000),
    delta=st.integers(100, 50_000).map(lambda n: n * Decimal("0.01")),
)
def test_changing_one_printed_figure_gives_an_error(acc, pick, delta):
    data = acc.model_dump()
    paths = [p for t in TABLE_IDS for p in _printed_paths(data[t], (t,))]
    path = paths[pick % len(paths)]
    _set(data, path, _get(data, path) + delta)
    changed = from_data(data)
    assert _errors(changed), f"{'.'.join(map(str, path))} + {delta} went unnoticed"


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(acc=accounts())
def test_excel_and_yaml_round_trip(tmp_path_factory, acc):
    folder = tmp_path_factory.mktemp("round")
    for name in ("决算.xlsx", "决算.yaml"):
        path = folder / name
        api.write_accounts(acc, path)
        assert api.load_accounts(path).accounts == acc


@settings(max_examples=400, deadline=None)
@given(st.from_regex(r"\A\s?0{0,20}[0-9]{1,20}(\.[0-9]{1,24})?\s?\Z"))
# the bounds themselves: 24 and 25 significant digits, magnitude 1e15 and 1e16, 1e-15 and 1e-16
@example("1.12345678901234567890123")
@example("1.123456789012345678901234")
@example("1234567890123456")
@example("12345678901234567")
@example("0.000000000000001")
@example("0.0000000000000001")
def test_an_amount_written_as_digits_reads_as_the_general_parser_reads_it(text: str) -> None:
    # Plain digits are read by a shortcut; it must give the value, or refuse with the message,
    # that the parser of every other writing gives.
    from pydantic_core import PydanticCustomError

    from jixiao.core.numbers import NumberFormatError, parse_measure
    from jixiao.model.accounts import _amount

    try:
        expected: object = parse_measure(text.strip()).value
    except NumberFormatError as exc:
        expected = str(exc)
    try:
        got: object = _amount(text)
    except PydanticCustomError as exc:
        got = str(exc)
    assert (got, str(got)) == (expected, str(expected))
