"""Audit a published document: read it, recognise what it states, check every claim.

Each checker runs on its own; one that fails becomes an ``internal-error`` Finding naming
it, and the others still run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from jixiao.check.published import against_accounts, claims, consistency, fundrows
from jixiao.check.published.final_accounts import AccountsRead, check_accounts_tables
from jixiao.check.published.report import AuditReport
from jixiao.core.deadline import TimeLimitExceeded, time_limit
from jixiao.core.findings import Finding, InputError, Location, finding, sort_findings
from jixiao.core.numbers import NumberFormatError, parse_measure, plain
from jixiao.model.document import PublishedDocument
from jixiao.model.framework import NATIONAL_GRADES, Framework, GradeBand
from jixiao.model.submission import Submission
from jixiao.read.published import read_document, scoretables
from jixiao.read.published.flow import Sentence, report_year, sentences
from jixiao.read.submission import figures_from
from jixiao.score.engine import Scorer
from jixiao.score.results import IndicatorResult

Check = Callable[[], Iterable[Finding]]

#: The audit's checks: stable name, Chinese label, what it checks. ``--only`` / ``--skip``
#: take either the name or the label. The order is the order they run in.
CHECKS: tuple[tuple[str, str, str], ...] = (
    ("accounts-tables", "部门决算表", "九张公开表的表内、表间关系，及情况说明与表中数字是否一致"),
    ("shares", "占比", "“占…%”与所列金额之比"),
    ("completion", "完成预算比例", "“完成预算的…%”与执行数、预算数之比"),
    ("rates", "比率", "执行率等比率与其分子分母"),
    ("changes", "增减", "增减额、增减率与本年数、上年数"),
    ("sums", "合计", "“共计”“其中”的各项之和"),
    ("table-sums", "表内合计", "年度资金总额与其中各行、表中一行与其下“其中”各行、自评表总分与分值"),
    ("budget-identity", "预算调整", "年初预算、调整数与调整后预算"),
    ("years", "年度", "文中年份与报告年度"),
    ("numbering", "序号", "标题序号是否连续"),
    ("conflicts", "前后一致", "同一数量在文中多处所列是否相同"),
    ("text-vs-accounts", "正文与决算表", "正文所述本年收入、支出合计与同一文件的部门决算表是否一致"),
    ("score-claims", "文中得分", "正文所述总分、等级与各项得分"),
    ("sideways-tables", "横排得分表", "横向排列的得分表的合计"),
    ("score-tables", "自评表", "绩效自评表按计分规则复核得分、合计、总分与等级"),
    ("text-vs-tables", "正文与表格", "正文所述一级指标分值、得分与自评表是否一致"),
)


def check_names(only: Iterable[str] = (), skip: Iterable[str] = ()) -> set[str]:
    """The names of the checks to run: all, or those ``only`` names, minus ``skip``.
    Each entry may be a name or a Chinese label; an unknown one raises InputError."""
    by_key = {key: name for name, label, _ in CHECKS for key in (name, label)}
    only, skip = list(only), list(skip)
    unknown = [n for n in [*only, *skip] if n not in by_key]
    if unknown:  # a mistyped --only would otherwise silently check nothing
        known = "、".join(name for name, _, _ in CHECKS)
        raise InputError(
            [
                finding("invalid-value", None, value=n, what="审核项", hint=f"（可用的有：{known}）")
                for n in unknown
            ]
        )
    chosen = {by_key[n] for n in only} if only else {name for name, _, _ in CHECKS}
    return chosen - {by_key[n] for n in skip}


def audit_file(
    path: Path, *, only: Iterable[str] = (), skip: Iterable[str] = ()
) -> tuple[AuditReport, PublishedDocument]:
    """Read ``path`` (txt/md/docx/pdf/xlsx) and audit it; InputError when unreadable or
    when ``only``/``skip`` name an unknown check."""
    selected = check_names(only, skip)
    with time_limit(str(path), action="审核"):  # reading and every check: one document's time
        doc = read_document(path)
        return audit_document(doc, selected), doc


def audit_document(doc: PublishedDocument, selected: set[str] | None = None) -> AuditReport:
    """Audit ``doc`` with the checks named in ``selected`` (all when None)."""
    name = doc.name
    sents = list(sentences(doc))
    known = claims.known_quantities(sents)
    year = report_year(doc)

    def per_sentence(check: Callable[[Sentence], Iterable[Finding]]) -> Check:
        return lambda: (f for s in sents for f in check(s))

    recognised: list[str] = []

    accounts_read: AccountsRead = {}

    def accounts() -> Iterable[Finding]:
        described, found = check_accounts_tables(doc, accounts_read)
        recognised.extend(described)
        return found

    # The final-accounts check goes first: where it and a sentence check report the same
    # printed figure, its finding (which knows the table) is the one kept.
    checks: dict[str, Check] = {
        "accounts-tables": accounts,
        "shares": per_sentence(lambda s: claims.check_shares(s, name, known)),
        "completion": per_sentence(lambda s: claims.check_completion(s, name)),
        "rates": per_sentence(lambda s: claims.check_rates(s, name, known)),
        "changes": per_sentence(lambda s: claims.check_changes(s, name, known)),
        "sums": per_sentence(lambda s: claims.check_sums(s, name)),
        "table-sums": lambda: fundrows.check(doc, name),
        "budget-identity": per_sentence(lambda s: claims.check_budget_identity(s, name, known)),
        "years": lambda: consistency.check_years(sents, year, name),
        "numbering": lambda: consistency.check_numbering(doc, name),
        "conflicts": lambda: consistency.check_conflicts(sents, name),
        "text-vs-accounts": lambda: against_accounts.check(sents, known, accounts_read, name),
        "score-claims": lambda: consistency.check_score_claims(sents, name, grades()),
        "sideways-tables": lambda: scoretables.sideways_tables(doc, name),
    }
    level_sums: dict[str, tuple[Decimal | None, Decimal | None]] = {}
    scored: list[ScoredTables] = []

    def read_tables() -> ScoredTables:
        if not scored:
            scored.append(score_tables(doc))
        return scored[0]

    def grades() -> tuple[GradeBand, ...] | None:
        """The grade bands of the document's self-evaluation tables (national ones when it
        has none); None when its tables follow frameworks with different bands."""
        try:
            bands = {fw.grades for fw in read_tables()[3]}
        except Exception:  # the tables' own check reports the failure
            return None
        if not bands:
            return NATIONAL_GRADES
        return bands.pop() if len(bands) == 1 else None

    def tables() -> Iterable[Finding]:
        described, found, sums, _ = read_tables()
        recognised.extend(described)
        level_sums.update(sums)
        return found

    checks["score-tables"] = tables
    checks["text-vs-tables"] = lambda: _text_against_tables(sents, level_sums, name)
    labels = {name: label for name, label, _ in CHECKS}
    found: list[Finding] = list(doc.notes)
    for check_name, check in checks.items():
        if selected is not None and check_name not in selected:
            continue
        label = labels[check_name]
        try:
            found.extend(check())
        except TimeLimitExceeded:  # the document's time is up: no further check runs
            raise
        except Exception as exc:  # a failing check must not stop the others
            found.append(finding("internal-error", Location(file=name), rule=label, detail=repr(exc)))
    return AuditReport(
        file=name,
        kind=doc.kind,
        pages=doc.pages,
        year=year,
        paragraphs=sum(1 for _ in doc.paragraphs()),
        tables=sum(1 for _ in doc.tables()),
        sentences=len(sents),
        recognised=tuple(recognised),
        findings=tuple(sort_findings(_unique(found))),
    )


def _text_against_tables(
    sents: list[Sentence], levels: dict[str, tuple[Decimal | None, Decimal | None]], name: str
) -> Iterable[Finding]:
    """A level-1 weight or score the text states must be the one its table shows."""
    for level, (weight, score, sentence) in consistency.level_score_claims(sents).items():
        table_weight, table_score = levels.get(level, (None, None))
        for what, said, table, other in (
            ("分值", weight, table_weight, "自评表所列分值"),
            ("得分", score, table_score, "自评表各项得分之和"),
        ):
            if table is not None and table != said:
                yield finding(
                    "claim-conflict",
                    sentence.location(name, level),
                    printed=plain(said),
                    expected=plain(table),
                    what=f"{level}{what}",
                    other=other,
                )


def _unique(findings: list[Finding]) -> list[Finding]:
    """Each problem once: the same finding twice, or two errors on the same printed figure
    of the same line (two checks that caught one slip), keep the first."""
    seen: set[tuple[object, ...]] = set()
    figures: set[tuple[object, ...]] = set()
    out = []
    for f in findings:
        key = (f.code, f.location.page, f.location.line, f.location.quote, f.printed, f.expected)
        figure = (
            (f.location.page, f.location.line, f.printed)
            if f.severity.value == "error" and f.printed
            else None
        )
        if key in seen or (figure is not None and figure in figures):
            continue
        seen.add(key)
        if figure is not None:
            figures.add(figure)
        out.append(f)
    return out


#: What ``score_tables`` finds: descriptions, Findings, level-1 sums, the frameworks.
ScoredTables = tuple[
    list[str], list[Finding], dict[str, tuple[Decimal | None, Decimal | None]], list[Framework]
]


def score_tables(doc: PublishedDocument) -> ScoredTables:
    """Recognise the self-evaluation tables of ``doc`` and score them as published.

    Returns what was recognised, the Findings, the level-1 weights and printed scores
    (sum of their items) of the tables, for comparison with the text, and the framework of
    each table recognised.
    """
    name = doc.name
    recognised: list[scoretables.Recognised] = []
    for table, row, header in scoretables.indicator_tables(doc):
        recognised.append(scoretables.recognise_row_table(doc, table, row, header))
    for first, last in scoretables.broken_tables(doc):
        found = scoretables.recognise_broken(doc, first, last)
        if found is not None:
            recognised.append(found)
    for table, row, cols in scoretables.summary_tables(doc):
        recognised.extend(scoretables.recognise_summary(doc, table, row, cols))
    descriptions: list[str] = []
    findings: list[Finding] = []
    level_sums: dict[str, tuple[Decimal | None, Decimal | None]] = {}
    for item in recognised:
        descriptions.append(item.description)
        try:
            data = dict(item.data)
            data["figures"] = figures_from(data.get("figures") or {})
            sub = Submission.model_validate(data)
        except (ValidationError, NumberFormatError) as exc:
            findings.append(
                finding("table-not-scored", Location(file=name), detail=f"{item.description}：{exc}")
            )
            continue
        if any(e.weight is None for e in sub.indicators if "/" in e.path) and not all(
            e.score_rate is not None for e in sub.indicators if e.path != "预算执行情况"
        ):
            findings += _sums_only(sub, item, name)
            continue
        ev = Scorer(item.framework).evaluate(sub, file=name)
        findings += [
            f.model_copy(update={"location": f.location.merged(table=item.description)})
            for f in ev.findings
            if f.code != "unverifiable-score"
        ]
        for level in ev.indicators:
            level_sums[level.name] = (level.weight, stated_sum(level))
    return descriptions, findings, level_sums, [item.framework for item in recognised]


def stated_sum(level: IndicatorResult) -> Decimal | None:
    from jixiao.score.stated import value_of

    return value_of(level)


def _sums_only(sub: Submission, item: scoretables.Recognised, name: str) -> list[Finding]:
    """A table without level-3 weights: only its sums can be checked."""
    out = [
        finding(
            "table-not-scored",
            Location(file=name, table=item.description),
            detail=f"{item.description}未列三级指标分值，只能核对合计，无法逐项按规则复核得分",
        )
    ]
    scores: dict[str, Decimal] = {}
    for e in sub.indicators:
        if e.score is None:
            continue
        try:
            value = parse_measure(e.score).value
        except NumberFormatError:
            continue
        if value is not None:
            level = e.path.split("/")[0]
            scores[level] = scores.get(level, Decimal(0)) + value
    for spec in item.framework.indicators:
        got = scores.get(spec.name)
        if got is not None and spec.weight is not None and got > spec.weight:
            out.append(
                finding(
                    "score-above-weight",
                    Location(file=name, table=item.description, indicator=spec.name),
                    printed=plain(got),
                    expected=plain(spec.weight),
                )
            )
    if sub.stated.total is not None:
        printed = parse_measure(sub.stated.total).value
        summed = sum(scores.values(), Decimal(0))
        if printed is not None and summed != printed:
            out.append(
                finding(
                    "total-mismatch",
                    Location(file=name, line=sub.stated.line, table=item.description, indicator="（总分）"),
                    printed=plain(printed),
                    expected=plain(summed),
                    what="总分",
                )
            )
    return out
