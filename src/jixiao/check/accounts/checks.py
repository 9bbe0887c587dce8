"""Check final accounts: the data findings (codes, names, structure), the rules, and the
department's own 情况说明 text when given. The one place the checks are put together."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.check.accounts.explanation import check_text
from jixiao.check.formulas.ruleset import Outcome, RuleSet, builtin_rules, run
from jixiao.core.findings import Finding, sort_findings
from jixiao.model import accounts_grid as gridmod
from jixiao.model.accounts import Accounts
from jixiao.read.accounts.reader import data_findings, read_accounts


@dataclass(frozen=True)
class AccountsReport:
    """The result of checking one department's accounts.

    Attributes:
        accounts: what was checked.
        findings: every Finding, errors first.
        outcomes: one per rule instance (see :class:`jixiao.check.formulas.ruleset.Outcome`).
        source: the input file, if any.
    """

    accounts: Accounts
    findings: tuple[Finding, ...]
    outcomes: tuple[Outcome, ...] = field(repr=False)
    source: str | None = None

    def outcome(self, rule: str, row: str | None = None, column: str | None = None) -> Outcome | None:
        """The outcome of ``rule`` (for ``row`` and ``column`` when it runs per row/column)."""
        for o in self.outcomes:
            if o.rule == rule and o.row == row and o.column == column:
                return o
        return None

    def statuses(self) -> Mapping[str, int]:
        """How many rule instances ended in each status."""
        return dict(Counter(o.status for o in self.outcomes))


def check(
    acc: Accounts,
    *,
    rules: RuleSet | None = None,
    file: str | None = None,
    lines: Mapping[tuple[str, str], int] | None = None,
    sheets: Mapping[str, str] | None = None,
    text: str | None = None,
    text_file: str | None = None,
    read: Sequence[Finding] = (),
) -> AccountsReport:
    """Check ``acc`` with ``rules`` (the standard set when None) and, when ``text`` is given,
    check that 情况说明 against the tables; ``read`` are the Findings of reading the file."""
    grid = gridmod.build(acc)
    findings = list(read)
    findings += data_findings(acc, file=file, lines=dict(lines or {}), grid=grid, sheets=dict(sheets or {}))
    rule_findings, outcomes = run(
        rules if rules is not None else builtin_rules(), acc, grid, file=file, lines=lines, sheets=sheets
    )
    findings += rule_findings
    if text is not None:
        findings += check_text(acc, text, file=text_file)
    return AccountsReport(acc, tuple(sort_findings(findings)), tuple(outcomes), file)


def check_file(path: Path) -> AccountsReport:
    """Read ``path`` and check it as ``jixiao check`` does; InputError when it cannot be read."""
    got = read_accounts(path)
    return check(got.accounts, file=got.source, lines=got.lines, sheets=got.sheets, read=got.findings)
