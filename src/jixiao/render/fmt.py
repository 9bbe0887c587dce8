"""How numbers are written in the documents, and the Jinja environment every template uses.

The same filters serve Word (docxtpl) and HTML templates, so a number reads the same in
every format. All of them take a Decimal (or None, written as an empty cell) and never
go through ``float``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import jinja2

from jixiao.core.numbers import HUNDRED, percent_text, plain, round_half_up
from jixiao.core.templating import add_filters, sandboxed_environment


def score(value: Decimal | None) -> str:
    """Points as printed in the seeds: '97', '27.18', '3.5'."""
    return "" if value is None else plain(round_half_up(value, 2))


def money(value: Decimal | None) -> str:
    """万元 with two decimals, as the final accounts print them: '123.45', '5.00'."""
    return "" if value is None else f"{round_half_up(value, 2):f}"


def pct(value: Decimal | None) -> str:
    """A rate (fraction) as a percentage with two decimals: 0.8765 -> '87.65%'."""
    return "" if value is None else percent_text(value)


def score_fixed(value: Decimal | None) -> str:
    """Points with two decimals, for a column of scores that must read alike: '94.00', '89.82'."""
    return "" if value is None else f"{round_half_up(value, 2):f}"


def pct_short(value: Decimal | None) -> str:
    """A rate without trailing zeros, as the summary tables print it: '100%', '91.9%'."""
    if value is None:
        return ""
    return plain(round_half_up(value * HUNDRED, 2)) + "%"


def text(value: object) -> str:
    """Anything as text; None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


def cn(n: int) -> str:
    """A Chinese ordinal for headings: 1 -> 一, 12 -> 十二, 26 -> 二十六."""
    from jixiao.model.tables import chinese_number

    return chinese_number(n)


FILTERS: dict[str, Callable[..., str]] = {
    "score": score,
    "money": money,
    "pct": pct,
    "pct_short": pct_short,
    "score_fixed": score_fixed,
    "text": text,
    "cn": cn,
}


def environment(*, autoescape: bool = True, trusted: bool = False) -> jinja2.Environment:
    """A fresh Jinja environment: undefined names are errors, never silent blanks.

    It is a bounded sandbox (:mod:`jixiao.core.templating`): a user's Word template is
    input like any other and may not reach Python internals or exhaust memory. ``trusted``
    gives a plain environment with the same filters, for the package's own templates only
    (the sandbox's checks of every attribute were a tenth of a full set's time).

    Autoescaping is on for both Word and HTML: docxtpl writes the values into XML, where
    an unescaped '&' or '<' in a department's text would break the document.
    """
    if trusted:  # autoescape as asked (on by default)
        plain_env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=autoescape)
        plain_env.filters.update(FILTERS)
        return plain_env
    env = sandboxed_environment(undefined=jinja2.StrictUndefined, autoescape=autoescape)
    add_filters(env, FILTERS)
    return env
