"""Check final accounts: the data findings (codes, names, structure), the rules, and the
department's own 情况说明 text when given. The one place the checks are put together."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from jixiao.check.accounts.explanation import check_text
from jixiao.check.formulas.ruleset import Outcome, Record, RuleSet, builtin_rules, run
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
        records: one per rule instance, as the engine records it (see
            :data:`jixiao.check.formulas.ruleset.Record`); :attr:`outcomes` reads them.
        source: the input file, if any.
    """

    accounts: Accounts
    findings: tuple[Finding, ...]
    records: tuple[Record, ...] = field(repr=False)
    source: str | None = None

    @cached_property
    def outcomes(self) -> tuple[Outcome, ...]:
        """One per rule instance (see :class:`jixiao.check.formulas.ruleset.Outcome`), read
        from the records when first asked for."""
        return tuple(map(Outcome._make, self.records))

    def outcome(self, rule: str, row: str | None = None, column: str | None = None) -> Outcome | None:
        """The outcome of ``rule`` (for ``row`` and ``column`` when it runs per row/column)."""
        for r in self.records:
            if r[0] == rule and r[1] == row and r[2] == column:
                return Outcome._make(r)
        return None

    def statuses(self) -> Mapping[str, int]:
        """How many rule instances ended in each status."""
        return dict(Counter(r[3] for r in self.records))


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
    rule_findings, records = run(
        rules if rules is not None else builtin_rules(), acc, grid, file=file, lines=lines, sheets=sheets
    )
    findings += rule_findings
    if text is not None:
        findings += check_text(acc, text, file=text_file)
    return AccountsReport(acc, tuple(sort_findings(findings)), tuple(records), file)


def check_file(path: Path) -> AccountsReport:
    """Read ``path`` and check it as ``jixiao check`` does; InputError when it cannot be read."""
    got = read_accounts(path)
    return check(got.accounts, file=got.source, lines=got.lines, sheets=got.sheets, read=got.findings)
