"""A department's own totals stated in the text against its final-accounts tables.

The 情况说明 is checked figure by figure by ``check/accounts``; a document holds other text too
(a performance report, a 绩效自评 section) that restates the year's totals: "全年实际执行数为
512.40万元" is the 本年支出合计 of the 收入支出决算总表. Such a figure is compared only when it
is certainly the department's total: its sentence opens with department-level figures
named by bare names ("全年预算数…，全年执行数…"; a project or an item named before it ends
the run), it is of the tables' year, and its value is none of the totals the tables give
for that quantity (all funds or 财政拨款 only) within the rounding of either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.check.published.final_accounts import AccountsRead
from jixiao.core.findings import Finding, finding
from jixiao.core.numbers import plain, rounding_interval
from jixiao.read.published import synonyms
from jixiao.read.published.flow import Sentence
from jixiao.read.published.statements.bind import Reading, canonical
from jixiao.read.published.statements.parse import Role

#: Bare names of the department's totals: spending, income, and budget figures that may
#: open the same sentence (synonyms.yaml, ``accounts_totals``).
_TOTALS = {kind: frozenset(labels) for kind, labels in synonyms.groups("accounts_totals")}
_SPENT, _INCOME = _TOTALS["spent"], _TOTALS["income"]
_NAMES = _SPENT | _INCOME | _TOTALS["budget"]
_YEAR = re.compile(r"(20\d\d)\s*年")
_YUAN = Decimal(10000)


def check(sentences: list[Sentence], known: Reading, read: AccountsRead, name: str) -> Iterator[Finding]:
    acc = read.get("accounts")
    year = read.get("year")
    if acc is None or year is None:
        return
    explanation = read.get("explanation") or set()
    totals = {
        "spent": [
            ("收入支出决算总表“本年支出合计”", acc.summary.expense_total),
            ("财政拨款收入支出决算总表“本年支出合计”", acc.fiscal.expense_total.total),
        ],
        "income": [
            ("收入支出决算总表“本年收入合计”", acc.summary.income_total),
            ("财政拨款收入支出决算总表“本年收入合计”", acc.fiscal.income_total),
        ],
    }
    for s in sentences:
        if id(s.paragraph) in explanation:
            continue
        index = known.index_of(s)
        if index is None:
            continue
        st = known.statements[index]
        for f in (f for c in st.clauses for f in c.figures):
            if not f.is_money:
                continue
            label = canonical(f.label)
            if label not in _NAMES or f.role is Role.previous or f.aside:
                break  # the run of the department's own figures ends
            if any(int(y) != year for y in _YEAR.findall(f.label)):
                break
            kind = "spent" if label in _SPENT else "income" if label in _INCOME else None
            if kind is None:
                continue
            tables = [(where, v) for where, v in totals[kind] if v is not None]
            if not tables or any(_same(f.wan, v) or _same(f.wan, v, scale=_YUAN) for _, v in tables):
                continue  # the same amount, or the same in 元 (tables printed in 元: not comparable)
            if known.unit not in (None, "万元"):
                continue
            where, value = tables[0]
            start, end = st.source(f.start), st.source(f.end)
            yield finding(
                "claim-conflict",
                s.location(name, s.text[start:end], start),
                printed=s.text[start:end],
                expected=f"{plain(value)}万元",
                what=label,
                other=where,
            )


def _same(stated: Decimal, table: Decimal, scale: Decimal = Decimal(1)) -> bool:
    """Whether a figure (times ``scale``) and a table cell can be one amount, each as
    rounded as printed."""
    low, high = (scale * v for v in rounding_interval(stated))
    t_low, t_high = rounding_interval(table)
    return not (high < t_low or t_high < low)
