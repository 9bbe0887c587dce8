"""The public entry point of jixiao: what the CLI and the web application call.

Everything here returns values (models and Findings) and prints nothing. Other modules
are internal and may change.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.core.deadline import time_limit
from jixiao.core.fieldnames import name as field_name
from jixiao.core.findings import (
    Finding,
    InputError,
    Location,
    Severity,
    catalogue,
    finding,
    has_errors,
)
from jixiao.frameworks.catalog import Catalog, builtin
from jixiao.model.framework import Framework
from jixiao.model.submission import Submission
from jixiao.read.submission import read_submissions
from jixiao.score.aggregate import aggregate, weighted_total
from jixiao.score.engine import Scorer
from jixiao.score.results import Evaluation

if TYPE_CHECKING:  # the render and audit stacks (Jinja, docx, pdf) load only when asked for
    from jixiao.check.published.report import AuditReport
    from jixiao.model.document import PublishedDocument
    from jixiao.render import RenderResult

__all__ = [
    "Catalog",
    "Evaluation",
    "Finding",
    "Framework",
    "InputError",
    "Severity",
    "Submission",
    "aggregate",
    "audit",
    "audit_html",
    "catalog",
    "export_templates",
    "field_name",
    "has_errors",
    "input_errors",
    "is_self_evaluation_workbook",
    "load_self_evaluation_data",
    "load_submissions",
    "render",
    "score",
    "score_file",
    "score_files",
    "weighted_total",
    "write_self_evaluation",
    "write_self_evaluation_template",
]


def catalog(extra: Iterable[Path] = ()) -> Catalog:
    """The built-in frameworks, plus the user's framework files ``extra``."""
    base = builtin()
    extra = list(extra)
    return base.with_files(extra) if extra else base


def load_submissions(path: Path) -> list[Submission]:
    """Read a submission file (YAML, JSON, or a self-evaluation workbook .xlsx); raises
    InputError with Chinese Findings when it cannot."""
    if path.suffix.lower() == ".xlsx":
        from jixiao.read.self_table import read_workbook

        return read_workbook(path)
    return read_submissions(path)[0]


def write_self_evaluation_template(path: Path, framework: str, *, frameworks: Catalog | None = None) -> None:
    """A blank self-evaluation workbook (自评表.xlsx) of ``framework``, in its seed layout,
    input cells marked; ``jixiao score`` reads it back once filled in."""
    from jixiao.render.selfeval_xlsx import write_blank

    write_blank(framework, path, catalog=frameworks or builtin())


def write_self_evaluation(submission: Submission, path: Path, *, frameworks: Catalog | None = None) -> None:
    """The self-evaluation workbook (自评表.xlsx) of a filled-in submission, in the layout of
    :func:`write_self_evaluation_template`; :func:`load_self_evaluation_data` reads it back."""
    from jixiao.render.selfeval_xlsx import write_filled

    write_filled(submission, path, catalog=frameworks or builtin())


def is_self_evaluation_workbook(path: Path) -> bool:
    """Whether ``path`` is a self-evaluation workbook (it has the 填报信息 sheet), as opposed
    to a final-accounts workbook or anything else."""
    from jixiao.read.self_table import is_self_evaluation

    return is_self_evaluation(path)


def load_self_evaluation_data(path: Path, *, defaults: Mapping[str, object] | None = None) -> WorkbookData:
    """A self-evaluation workbook as plain data (the YAML shape) with the cells of its
    填报信息 fields; a field left blank there takes its value from ``defaults``. Raises
    InputError naming the sheet and the cell of what cannot be read."""
    from jixiao.read.self_table import read_workbook_data

    return read_workbook_data(path, defaults)


def score(
    submission: Submission, *, frameworks: Catalog | None = None, file: str | None = None
) -> Evaluation:
    """Score one submission. An unknown framework raises InputError."""
    frameworks = frameworks or builtin()
    fw = frameworks.get(submission.framework)
    if fw is None:
        raise InputError(
            [
                finding(
                    "unknown-framework",
                    None if file is None else Location(file=file),
                    name=submission.framework,
                    available="、".join(frameworks.ids()),
                )
            ]
        )
    return Scorer(fw).evaluate(submission, file=file)


def score_file(path: Path, *, frameworks: Catalog | None = None) -> list[Evaluation]:
    """Read and score every submission in ``path``, within the time limit of one document."""
    with time_limit(str(path), action="计分"):
        subs = load_submissions(path)
        evaluations = [score(s, frameworks=frameworks, file=str(path)) for s in subs]
        if path.suffix.lower() == ".xlsx":
            from jixiao.read.self_table import place_findings

            evaluations = [
                ev.model_copy(update={"findings": place_findings(ev.findings, path)}) for ev in evaluations
            ]
        return evaluations


#: The files a folder given to ``score`` is searched for.
SUBMISSION_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")


def score_files(
    paths: Iterable[Path], *, frameworks: Catalog | None = None
) -> Iterator[tuple[Path, list[Evaluation] | InputError]]:
    """Read and score the files ``paths`` one at a time: for each, its evaluations, or the
    InputError that says why it cannot be read. Nothing is kept from one file to the next
    (the frameworks are compiled once), so memory stays flat however many files stream by."""
    frameworks = frameworks or builtin()
    for path in paths:
        try:
            yield path, score_file(path, frameworks=frameworks)
        except InputError as exc:
            yield path, exc


def audit(
    path: Path, *, only: Iterable[str] = (), skip: Iterable[str] = ()
) -> tuple[AuditReport, PublishedDocument]:
    """Audit a published report (txt/md/docx/pdf/xlsx): every number that does not hold
    together. ``only`` / ``skip`` select checks by name or label (see
    :func:`audit_checks`). Returns the report and the document as read (for the HTML
    view)."""
    from jixiao.check.published.audit import audit_file

    return audit_file(path, only=only, skip=skip)


def audit_check_names(only: Iterable[str] = (), skip: Iterable[str] = ()) -> set[str]:
    """The names of the checks ``only`` / ``skip`` select; InputError for an unknown one."""
    from jixiao.check.published.audit import check_names

    return check_names(only, skip)


def audit_checks() -> list[tuple[str, str, str]]:
    """The audit's checks: (name, Chinese label, what it checks), in the order they run."""
    from jixiao.check.published.audit import CHECKS

    return list(CHECKS)


def audit_html(report: AuditReport, doc: PublishedDocument) -> str:
    """The audit as an HTML page: the text with each finding highlighted, and the list."""
    from jixiao.render.audit_html import render_html

    return render_html(report, doc)


def input_errors(findings: Iterable[Finding]) -> list[Finding]:
    """Error Findings that mean the input itself is unusable (codes of the read stage)."""
    stage = _input_codes()
    return [f for f in findings if f.severity is Severity.error and f.code in stage]


def _input_codes() -> frozenset[str]:
    return frozenset(c for c, spec in catalogue().items() if spec.stage == "input")


# --------------------------------------------------------------------------- documents


#: Keys that mark a YAML/JSON file as final accounts rather than a submission.
_ACCOUNTS_KEYS = frozenset({"income", "expense", "fiscal", "general", "basic", "three_public", "narrative"})


def _is_accounts(path: Path) -> bool:
    """Whether ``path`` holds final accounts (an .xlsx workbook of the nine tables, or a
    YAML/JSON file with their keys) rather than self-evaluation submissions."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from jixiao.read.self_table import is_self_evaluation

        return not is_self_evaluation(path)
    if suffix not in (".yaml", ".yml", ".json") or not path.is_file():
        return False
    try:
        data = read_data(path)
    except Exception:
        return False
    return isinstance(data, dict) and "framework" not in data and bool(_ACCOUNTS_KEYS & set(data))


def render(
    files: Path | Sequence[Path],
    out_dir: Path,
    *,
    formats: Iterable[str] | None = None,
    templates: Iterable[Path] = (),
    with_findings: bool = False,
    outline: str | None = None,
    frameworks: Catalog | None = None,
    jobs: int = 1,
) -> RenderResult:
    """Write the documents of ``files`` into ``out_dir``: 自评表, 自评报告, 项目自评表 and
    汇总表 from submission files; the 部门决算 publication from final-accounts files.

    ``formats`` limits the formats (xlsx, docx, pdf, html); ``templates`` are the user's
    edited Word templates (files or folders); ``with_findings`` adds the Findings in an
    appendix (a reviewer's copy); ``outline`` chooses the report outline; ``jobs`` > 1 writes
    the files in that many processes (this one and workers kept for the next call), 0 lets
    the render choose, the default 1 starts none. The result lists the files written and
    every Finding (of the inputs and of the render). Raises
    InputError, before writing anything, when an input, a template or an option is unusable.
    """
    from jixiao.check.accounts.checks import check_file
    from jixiao.render import RenderResult, accounts_doc, render_pairs, template_store
    from jixiao.render.context import Pair

    paths = [files] if isinstance(files, Path) else list(files)
    frameworks = frameworks or builtin()
    user_templates = template_store.load(templates)
    pairs: list[Pair] = []
    accounts = []
    found: list[Finding] = []
    for path in paths:
        if _is_accounts(path):
            checked = check_file(path)
            accounts.append(checked)
            found += checked.findings
            continue
        for sub in load_submissions(path):
            evaluation = score(sub, frameworks=frameworks, file=str(path))
            pairs.append(Pair(sub, evaluation, str(path)))
            found += evaluation.findings
    extra = [accounts_doc.plan(checked, pairs) for checked in accounts]
    result = render_pairs(
        pairs,
        out_dir,
        catalog=frameworks,
        formats=formats,
        templates=user_templates,
        with_findings=with_findings,
        outline=outline,
        extra_docs=extra,
        jobs=jobs,
    )
    return RenderResult(result.files, result.findings + tuple(found))


def export_templates(folder: Path) -> list[Path]:
    """Write the built-in document templates into ``folder`` (to edit and pass to render)."""
    from jixiao.render import template_store

    return template_store.export(folder)


# --------------------------------------------------------------------------- final accounts
# 部门决算: the nine public tables, their rules and the 情况说明 (model, derive, check, read: accounts).


def load_accounts(path: Path) -> LoadedAccounts:
    """Read final accounts (.yaml/.yml/.json/.xlsx); raises InputError with Chinese Findings."""
    from jixiao.read.accounts.reader import read_accounts

    return read_accounts(path)


def accounts_rules(
    extra: Iterable[Path] = (), *, only: Iterable[str] = (), skip: Iterable[str] = ()
) -> RuleSet:
    """The standard rule set plus the user's rule files ``extra``, selected by id or tag
    (``only``: keep these; ``skip``: leave these out). A rule file with a mistake raises
    InputError naming its line."""
    from jixiao.check.formulas.ruleset import builtin_rules, load_rules

    rules = builtin_rules()
    for path in extra:
        rules = rules + load_rules(path, reserved=rules.ids())
    only, skip = list(only), list(skip)
    names = rules.id_set | {t for r in rules.rules for t in r.spec.tags}
    unknown = [n for n in [*only, *skip] if n not in names]
    if unknown:  # a mistyped --only would otherwise silently check nothing
        raise InputError(
            [
                finding("invalid-value", None, value=n, what="规则编号或标签", hint="（没有这样的规则）")
                for n in unknown
            ]
        )
    return rules.select(only, skip)


def check_accounts(
    accounts: Accounts | LoadedAccounts,
    *,
    rules: RuleSet | None = None,
    text: str | None = None,
    text_file: str | None = None,
) -> AccountsReport:
    """Check final accounts with ``rules`` (the standard set when None); with ``text``, also
    check that 情况说明 against the tables. Returns a report; prints nothing."""
    from jixiao.check.accounts.checks import check
    from jixiao.read.accounts.reader import Loaded

    if isinstance(accounts, Loaded):
        return check(
            accounts.accounts,
            rules=rules,
            file=accounts.source,
            lines=accounts.lines,
            sheets=accounts.sheets,
            text=text,
            text_file=text_file,
            read=accounts.findings,
        )
    return check(accounts, rules=rules, text=text, text_file=text_file)


def check_accounts_file(
    path: Path,
    *,
    rules: RuleSet | None = None,
    text_path: Path | None = None,
) -> AccountsReport:
    """Read and check ``path``; ``text_path`` is the department's 情况说明 (UTF-8 text)."""
    from jixiao.read.structured import read_text

    with time_limit(str(path), action="检查"):  # reading, the rules and the 情况说明: one document's time
        loaded = load_accounts(path)
        text = read_text(text_path) if text_path is not None else None
        return check_accounts(loaded, rules=rules, text=text, text_file=str(text_path) if text_path else None)


#: The files a folder given to ``check`` is searched for.
ACCOUNTS_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")


def check_accounts_files(
    paths: Iterable[Path], *, rules: RuleSet | None = None
) -> Iterator[tuple[Path, AccountsReport | InputError]]:
    """Read and check the final-accounts files ``paths`` one at a time: for each, its
    report, or the InputError that says why it cannot be read (see :func:`score_files`)."""
    for path in paths:
        try:
            yield path, check_accounts_file(path, rules=rules)
        except InputError as exc:
            yield path, exc


def explain_accounts(accounts: Accounts) -> Explanation:
    """The 情况说明 computed from the tables, in the standard wording (sections 一 to 十三)."""
    from jixiao.derive.accounts.explain import generate

    return generate(accounts)


def write_accounts(accounts: Accounts | None, path: Path, *, layout: str = "henan-2024") -> None:
    """Write ``accounts`` to ``path`` (.xlsx laid out like the official tables, or
    .yaml/.json); with None, a blank Excel template to fill in."""
    from jixiao.read.accounts.export import write

    write(accounts, path, layout=layout)


def write_accounts_template(path: Path, *, layout: str = "henan-2024") -> None:
    """A blank workbook of the nine tables (one sheet each) plus the sheets for the 情况说明
    data, the 年初预算 and the 出错说明."""
    write_accounts(None, path, layout=layout)


if TYPE_CHECKING:  # names for the annotations above, without importing at start-up
    from jixiao.check.accounts.checks import AccountsReport
    from jixiao.check.formulas.ruleset import RuleSet
    from jixiao.derive.accounts.explain import Explanation
    from jixiao.model.accounts import Accounts
    from jixiao.read.accounts.reader import Loaded as LoadedAccounts
    from jixiao.read.self_table import WorkbookData


# --------------------------------------------------------------------------- plain data
# The web application stores each submission as plain data (the shape of the YAML files,
# decimals as strings) and calls these to score, check and serialise it.


def read_data(path: Path) -> object:
    """The plain data of a YAML/JSON file (decimals as Decimal); raises InputError."""
    from jixiao.read.structured import load

    return load(path).data


def plain(data: object) -> object:
    """``data`` with every Decimal written as text, ready for JSON (never through float)."""
    from decimal import Decimal

    if isinstance(data, Decimal):
        return format(data, "f")
    if isinstance(data, dict):
        return {str(k): plain(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [plain(v) for v in data]
    return data


def submissions_from_data(data: object, *, name: str = "表单") -> list[Submission]:
    """The submission(s) in plain data (one, or several under ``submissions:``); raises
    InputError with Chinese Findings naming the field."""
    from jixiao.read.structured import ParsedFile
    from jixiao.read.submission import submissions_from

    return submissions_from(ParsedFile(name, data, None))


def score_data(data: object, *, frameworks: Catalog | None = None, name: str = "表单") -> list[Evaluation]:
    """Score every submission in plain data (what a web form or a stored record holds)."""
    return [score(s, frameworks=frameworks, file=None) for s in submissions_from_data(data, name=name)]


def accounts_from_data(data: object, *, name: str = "表单") -> Accounts:
    """Final accounts from plain data; raises InputError with Chinese Findings."""
    from jixiao.read.accounts.reader import from_data
    from jixiao.read.structured import ParsedFile

    if not isinstance(data, dict):
        raise InputError(
            [
                finding(
                    "invalid-structure",
                    ParsedFile(name, data, None).location(),
                    detail="内容应为键值表（department 部门、year 年度、summary 收入支出决算总表 …）",
                )
            ]
        )
    return from_data(data, name)


def accounts_data(accounts: Accounts) -> dict[str, object]:
    """Final accounts as plain data (the YAML shape), e.g. after reading an Excel workbook."""
    dumped = accounts.model_dump(mode="json", exclude_none=True)
    return dumped if isinstance(dumped, dict) else {}


def findings_json(findings: Iterable[Finding]) -> list[dict[str, object]]:
    """Findings as JSON-ready dicts (the same shape as the CLI's ``--json``)."""
    return [f.model_dump(mode="json") for f in findings]


def evaluation_json(evaluation: Evaluation) -> dict[str, object]:
    """An evaluation as a JSON-ready dict (the same shape as ``jixiao score --json``)."""
    return evaluation.model_dump(mode="json")


def finding_key(f: Finding) -> str:
    """A stable key of a Finding within one submission (code and where), to keep a
    department's 出错说明 attached to it across saves."""
    loc = f.location
    parts = [f.code, loc.table or "", loc.row or "", loc.column or "", loc.indicator or "", loc.field or ""]
    return "|".join(parts)


def accounts_tables() -> dict[str, object]:
    """The layout of the nine public tables (titles, row and column labels) as plain data,
    for forms that show them."""
    from importlib import resources

    import yaml

    text = resources.files("jixiao.model").joinpath("catalogs/tables.yaml").read_text(encoding="utf-8")
    loaded = yaml.safe_load(text)
    return dict(loaded.get("tables", {})) if isinstance(loaded, dict) else {}


def figure_labels() -> dict[str, tuple[str, str]]:
    """Each known raw figure of a submission: (Chinese label, unit)."""
    from jixiao.derive.ratios import figure_labels as labels
    from jixiao.derive.ratios import figure_units as units

    u = units()
    return {k: (v, u.get(k, "")) for k, v in labels().items()}
