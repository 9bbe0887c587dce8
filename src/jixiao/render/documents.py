"""Which documents a set of submissions gives, and the context each one is written from.

From a file of submissions (a department, its projects, several years) jixiao writes:

=================  =========================================  ==================
kind               document                                   formats
=================  =========================================  ==================
self-table         部门整体支出绩效自评表 (layout by framework)  xlsx, docx
report             部门整体支出绩效自评报告 (outline by framework) docx, pdf, html
project-table      项目支出绩效自评表, one per project           xlsx, docx
project-summary    部门（单位）项目支出自评汇总表                  xlsx, docx
=================  =========================================  ==================

The final-accounts publication (部门决算) is planned by :mod:`jixiao.render.accounts_doc`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from jixiao.core.findings import Finding, Location, finding
from jixiao.frameworks.catalog import Catalog
from jixiao.model.accounts import Accounts
from jixiao.model.selfeval_tables import Notes, selfeval_layout, selfeval_tables
from jixiao.render import charts as chart_mod
from jixiao.render.context import Charts, Pair, base, funds, project_lines, project_totals
from jixiao.render.layout import Outline, layouts, outlines

#: The kinds of document (the module table, and ``accounts``: the 部门决算 publication).
Kind = Literal["self-table", "report", "project-table", "project-summary", "accounts"]

FORMATS: Mapping[Kind, tuple[str, ...]] = {
    "self-table": ("xlsx", "docx"),
    "report": ("docx", "pdf", "html"),
    "project-table": ("xlsx", "docx"),
    "project-summary": ("xlsx", "docx"),
    "accounts": ("xlsx", "docx", "pdf", "html"),
}


@dataclass(frozen=True)
class Publication:
    """What the 部门决算 is written from: the checked accounts (section 十三's project scores
    recomputed), the department's own texts and project evaluations of that year, and the
    Findings of reading and checking the accounts."""

    accounts: Accounts
    summary: Mapping[str, str]
    projects: tuple[Pair, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Doc:
    """One document to write, in one or more formats.

    Attributes:
        kind: see the module table.
        title: its Chinese title.
        stem: the output file name without suffix.
        template: the Word template's name (``templates/NAME.docx``).
        layout: ``tree``/``execution-block``/``project`` for tables; the outline id for reports.
        pair: the submission and evaluation it is made of (none for a summary).
        projects: the department's project evaluations (reports and summaries).
        history: the department's evaluations of every year given (trend chart).
        outline: the report outline.
        publication: what the 部门决算 is written from (kind ``accounts`` only).
        findings: Findings about this document (missing texts), shown with ``--with-findings``.
    """

    kind: Kind
    title: str
    stem: str
    template: str
    layout: str
    pair: Pair | None = None
    projects: tuple[Pair, ...] = ()
    history: tuple[Pair, ...] = ()
    outline: Outline | None = None
    publication: Publication | None = None
    findings: tuple[Finding, ...] = ()

    @property
    def formats(self) -> tuple[str, ...]:
        return FORMATS[self.kind]

    @property
    def department(self) -> str:
        if self.pair is not None:
            return self.pair.submission.department
        if self.projects:
            return self.projects[0].submission.department
        return self.publication.accounts.department if self.publication else ""

    @property
    def year(self) -> int:
        if self.pair is not None:
            return self.pair.submission.year
        if self.projects:
            return self.projects[0].submission.year
        return self.publication.accounts.year if self.publication else 0


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_name(text: str, limit: int = 60) -> str:
    """A file-name part: no path separators or characters Windows refuses; at most ``limit``."""
    cleaned = _UNSAFE.sub("_", text).strip(" ._")
    return cleaned[:limit] or "未命名"


def plan(pairs: Sequence[Pair], catalog: Catalog, *, outline: str | None = None) -> list[Doc]:
    """The documents of a file's submissions, in reading order."""
    departments = [p for p in pairs if _kind(p, catalog) == "department"]
    projects = [p for p in pairs if _kind(p, catalog) == "project"]
    by_unit: dict[tuple[str, int], list[Pair]] = {}
    for p in projects:
        by_unit.setdefault((p.submission.department, p.submission.year), []).append(p)
    docs: list[Doc] = []
    for pair in departments:
        sub, ev = pair.submission, pair.evaluation
        choice = layouts().choose(ev.framework_id, "department")
        own = tuple(by_unit.get((sub.department, sub.year), ()))
        history = tuple(
            p
            for p in departments
            if p.submission.department == sub.department and p.submission.year <= sub.year
        )
        stem = f"{sub.year}年度{safe_name(sub.department)}"
        docs.append(
            Doc(
                kind="self-table",
                title=selfeval_layout(choice.table).title,
                stem=f"{stem}部门整体支出绩效自评表",
                template=f"self-table-{choice.table}",
                layout=choice.table,
                pair=pair,
            )
        )
        chosen = outlines()[outline or choice.outline or "xinxiang-2024"]
        docs.append(
            Doc(
                kind="report",
                title="部门整体支出绩效自评报告",
                stem=f"{stem}部门整体支出绩效自评报告",
                template=f"report-{chosen.id}",
                layout=chosen.id,
                pair=pair,
                projects=own,
                history=history,
                outline=chosen,
                findings=tuple(missing_texts(chosen, pair)),
            )
        )
    for (dept, year), group in by_unit.items():
        stem = f"{year}年度{safe_name(dept)}"
        for i, pair in enumerate(group, start=1):
            name = safe_name(pair.submission.project or "", 40)
            docs.append(
                Doc(
                    kind="project-table",
                    title=selfeval_layout("project").title,
                    stem=f"{stem}项目支出绩效自评表-{i:02d}-{name}",
                    template="project-table",
                    layout="project",
                    pair=pair,
                )
            )
        docs.append(
            Doc(
                kind="project-summary",
                title=selfeval_layout("project-summary").title,
                stem=f"{stem}项目支出自评汇总表",
                template="project-summary",
                layout="project-summary",
                projects=tuple(group),
            )
        )
    return docs


def _kind(pair: Pair, catalog: Catalog) -> str:
    fw = catalog.get(pair.evaluation.framework_id)
    if fw is not None:
        return fw.kind
    return "project" if pair.submission.project else "department"


def missing_texts(outline: Outline, pair: Pair) -> list[Finding]:
    """A ``text-missing`` note for each text the outline needs and the submission lacks."""
    summary = pair.submission.summary
    out = []
    seen: set[str] = set()
    for _, section in outline.walk():
        for block in section.blocks:
            keys = block.field or ()
            if not keys or block.optional or block.default is not None or keys[0] in seen:
                continue
            if not any(summary.get(k, "").strip() for k in keys):
                seen.add(keys[0])
                where = Location(file=pair.file, field=f"summary.{keys[0]}")
                out.append(finding("text-missing", where, key=keys[0]))
    return out


def build_context(doc: Doc, *, with_findings: bool, want_charts: bool) -> dict[str, Any]:
    """The template context of ``doc`` (charts drawn only when a format shows them)."""
    if (pub := doc.publication) is not None:
        from jixiao.render import accounts_doc

        return accounts_doc.context(doc, pub, with_findings=with_findings, want_charts=want_charts)
    drawn = Charts(draw_charts(doc) if want_charts else {})
    if doc.pair is not None:
        ctx = base(
            doc.pair,
            with_findings=with_findings,
            charts=drawn,
            projects=doc.projects,
            extra_findings=doc.findings,
        )
    else:
        ctx = summary_context(doc, with_findings=with_findings)
    if doc.kind == "self-table":
        ctx["table_notes"] = table_notes(doc.layout)
        ctx["tasks"] = tasks(ctx["text_or"]("主要任务"))
    ctx["projects"] = lines = project_lines(doc.projects)
    return ctx | project_totals(lines)


def table_notes(layout: str) -> Notes:
    """The notes of a self-evaluation table layout (``selfeval_tables.yaml``); none for others."""
    found = selfeval_tables().layouts.get(layout)
    return found.notes if found is not None else Notes()


@dataclass(frozen=True)
class Task:
    """One row of 年度主要任务 (seed 000): 任务名称 and 主要内容."""

    name: str
    content: str


def tasks(text: str) -> list[Task]:
    """年度主要任务 from the summary text, one task a line, "名称：内容" (a line without a
    colon is a task named by itself)."""
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        name, sep, content = line.partition("：")
        out.append(Task(name.strip(), content.strip()) if sep else Task(line, ""))
    return out


def summary_context(doc: Doc, *, with_findings: bool) -> dict[str, Any]:
    found = [f for p in doc.projects for f in p.evaluation.findings] if with_findings else []
    return {
        "department": doc.department,
        "year": doc.year,
        "with_findings": with_findings,
        "findings": found,
        "charts": {},
    }


def draw_charts(doc: Doc) -> dict[str, bytes]:
    """The charts of a self-evaluation document: level-1 scores, budget structure, trend."""
    if doc.pair is None:
        return {}
    ev = doc.pair.evaluation
    out: dict[str, bytes] = {}
    level1 = chart_mod.level1_scores(ev)
    if level1:
        out["level1"] = level1
    f = funds(doc.pair.submission, ev)
    basic, project = (
        (f.spent_basic, f.spent_project) if f.spent_basic is not None else (f.budget_basic, f.budget_project)
    )
    if basic is not None or project is not None:
        title = "支出结构" if f.spent_basic is not None else "预算结构"
        budget = chart_mod.structure(
            title, [("基本支出", basic or Decimal(0)), ("项目支出", project or Decimal(0))]
        )
        if budget:
            out["budget"] = budget
    points = [(p.submission.year, p.evaluation.total) for p in doc.history if p.evaluation.total is not None]
    if len({y for y, _ in points}) >= 2:
        trend = chart_mod.trend("历年自评总分", points)
        if trend:
            out["trend"] = trend
    return out
