"""Final-accounts tables (部门决算公开表, 公开01表–公开09表) in a published document.

The nine tables are found by their titles (the 公开0N表 numbering varies by province), read
by their header labels (栏次 numbers as a fallback) into the input data of
:mod:`jixiao.model.accounts`, built into :class:`~jixiao.model.accounts.Accounts` and checked with the
standard rule set; when the document also holds the 情况说明 (一、收入支出决算总体情况说明 …),
that text is checked figure by figure against the tables.

What the document does not hold (last year's totals, each item's 年初预算 …) is simply
absent: the text check then reports those figures as unverifiable notes. A table missing
from the document is not an empty table: the rules reading it are left out. Nothing here
raises on a strange table; what cannot be read becomes a Finding naming the document's line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from jixiao.core.deadline import TimeLimitExceeded
from jixiao.core.findings import Finding, InputError, Location, Severity, finding
from jixiao.model.accounts import TABLE_IDS
from jixiao.model.document import Block, Paragraph, PublishedDocument, Table
from jixiao.model.tables import layouts, table_name, tables
from jixiao.read.published.accounts.cells import Reader
from jixiao.read.published.accounts.coded import read_coded
from jixiao.read.published.accounts.economic import read_basic, read_three_public
from jixiao.read.published.accounts.find import Source, find_tables
from jixiao.read.published.accounts.names import norm
from jixiao.read.published.accounts.sides import read_two_sided
from jixiao.read.published.flow import clean

if TYPE_CHECKING:  # the accounts checks are imported when a document has the tables
    from jixiao.check.formulas.ruleset import RuleSet
    from jixiao.model.accounts import Accounts


class AccountsRead(TypedDict, total=False):
    """What the tables gave, for other checks: the model, its year, the 情况说明's paragraph ids."""

    accounts: Accounts
    year: int | None
    explanation: set[int]


# --------------------------------------------------------------------------- the document


def _read_table(reader: Reader) -> dict[str, Any] | None:
    tid = reader.src.tid
    if tid != "basic":
        for para in reader.src.broken:
            reader.broken_row(para)
    return _READERS[tid](reader)


_READERS = {
    "summary": read_two_sided,
    "fiscal": read_two_sided,
    "income": read_coded,
    "expense": read_coded,
    "general": read_coded,
    "fund": read_coded,
    "capital": read_coded,
    "basic": read_basic,
    "three_public": read_three_public,
}
_DEPARTMENT = (
    re.compile(r"部门(?:[（(]单位[)）])?名称\s*[:：]\s*(.+)"),
    re.compile(r"(?:单位名称|编制单位|编制部门|预算单位)\s*[:：]\s*(.+)"),
)
_TITLE_DEPARTMENT = re.compile(r"^(.{2,40}?)(?:\d{4}\s*年度?)?部门决算$")
_YEAR = re.compile(r"(20\d\d)\s*年度?\s*(?:部门|单位)?决算")


def _department(doc: PublishedDocument) -> str | None:
    texts = [clean(p.text) for p in doc.paragraphs()]
    texts += [c for t in doc.tables() for r in t.rows[:3] for c in r if c]
    for pattern in _DEPARTMENT:
        for text in texts:
            m = pattern.search(text)
            if not m:
                continue
            name = re.split(r"\s+(?:金额)?单位\s*[:：]|\s{2,}|\t", m.group(1).strip())[0].strip()
            if name and not name.startswith(("万元", "元")):
                return name
    for text in texts:
        m = _TITLE_DEPARTMENT.match(text.replace(" ", ""))
        if m:
            return m.group(1)
    return None


def _year(doc: PublishedDocument) -> int | None:
    for p in doc.paragraphs():
        m = _YEAR.search(clean(p.text))
        if m:
            return int(m.group(1))
    from jixiao.read.published.flow import report_year

    return report_year(doc)


def _read_tables(
    sources: dict[str, Source],
) -> tuple[dict[str, Any], dict[tuple[str, str], int], list[Finding]]:
    data: dict[str, Any] = {}
    lines: dict[tuple[str, str], int] = {}
    findings: list[Finding] = []
    for tid, source in sources.items():
        reader = Reader(source)
        try:
            table = _read_table(reader)
        except TimeLimitExceeded:
            raise
        except Exception as exc:  # a strange table must not stop the others
            reader.unrecognised(f"读取时出错（{type(exc).__name__}）")
            table = None
        findings += reader.findings
        if table is None:
            continue
        if source.note and tid in ("general", "fund", "capital"):
            table["note"] = source.note
        data[tid] = table
        lines.update(reader.lines)
    return data, lines, findings


def check_accounts_tables(
    doc: PublishedDocument, read: AccountsRead | None = None
) -> tuple[list[str], list[Finding]]:
    """(descriptions of what was recognised, Findings) — empty lists when the document has
    no final-accounts tables. ``read``, when given, receives what other checks may compare
    with: ``accounts`` (the model), ``year``, ``explanation`` (ids of the 情况说明's
    paragraphs, which this check already compares with the tables)."""
    found = _recognise(doc)
    if found is None:
        return [], []
    descriptions, findings = list(found.descriptions), list(found.findings)
    acc = found.accounts
    if acc is None:
        return descriptions, findings
    findings += _check_tables(acc, found.present, found.sources, found.lines, doc.name)
    paragraphs = _explanation(doc, found.sources)
    if read is not None:
        read.update(AccountsRead(accounts=acc, year=found.year, explanation={id(p) for p in paragraphs}))
    if paragraphs:
        descriptions.append(f"部门决算情况说明（{_sections_named(paragraphs)}个部分）")
        if found.year is None:
            findings.append(
                finding("accounts-text-skipped", Location(file=doc.name), detail="文件中没有找到决算年度")
            )
        else:
            findings += _check_explanation(acc, paragraphs, found.present, doc.name)
    return descriptions, findings


@dataclass
class _Recognised:
    """What the tables of a document give: the tables found, what was read of them (the
    model, None when it could not be built), Findings on the reading, and row lines."""

    sources: dict[str, Source]
    descriptions: list[str]
    findings: list[Finding]
    lines: dict[tuple[str, str], int]
    accounts: Accounts | None
    present: set[str]
    year: int | None


def _recognise(doc: PublishedDocument) -> _Recognised | None:
    """The final-accounts tables of ``doc`` read into the model; None when it has none."""
    sources = find_tables(doc)
    if not sources:
        return None
    data, lines, findings = _read_tables(sources)
    read = [tid for tid in TABLE_IDS if tid in data]
    order = {id(b): k for k, b in enumerate(doc.blocks)}
    printed = sorted(sources.values(), key=lambda src: order.get(id(src.blocks[0]), 0))
    descriptions = [_describe(src, data.get(src.tid)) for src in printed]
    year = _year(doc)
    found = _Recognised(sources, descriptions, findings, lines, None, set(read), year)
    if not read:
        return found
    three = sources["three_public"].number if "three_public" in sources else ""  # numbered by layout
    data.update(
        department=_department(doc) or "（未注明部门）",
        year=year or 2000,  # without a year only the tables are checked, not the text
        unit="万元",
        layout=next((k for k, n in layouts().items() if n["three_public"] == three), "henan-2024"),
    )
    try:
        found.accounts = _accounts(data, doc.name)
    except InputError as exc:
        findings += [_relocate(f, sources, data["layout"], doc.name) for f in exc.findings]
        return found
    missing = [tid for tid in TABLE_IDS if tid not in read]
    if missing:
        findings.append(_missing(read, missing, found.accounts.layout, doc.name))
    return found


def _accounts(data: dict[str, Any], name: str) -> Accounts:
    from jixiao.read.accounts.reader import from_data

    return from_data(data, name)


def _describe(source: Source, table: dict[str, Any] | None) -> str:
    if table is None:
        return f"{source.display}（未能读取）"
    if not any(table.get(k) for k in ("rows", "total", "items", "classes", "budget", "actual")):
        return f"{source.display}（{'本表无数据' if source.note else '空表'}）"
    shape = tables()[source.tid].shape
    if shape == "economic":
        return f"{source.display}（{len(table.get('items', {}))}个经济分类科目）"
    if shape == "two_sided":
        return f"{source.display}（{len(table.get('classes', {}))}个功能分类类级科目）"
    if shape == "three_public":
        return f"{source.display}（预算数、决算数）"
    return f"{source.display}（{len(table.get('rows', []))}个功能分类科目）"


def _missing(read: list[str], missing: list[str], layout: str, name: str) -> Finding:
    return finding(
        "accounts-tables-missing",
        Location(file=name),
        found=len(read),
        missing="、".join(table_name(t, layout) for t in missing),
    )


# --------------------------------------------------------------------------- checks


_TABLE_REF = re.compile(r"\b(summary|income|expense|fiscal|general|basic|fund|capital|three_public)\[")


def _rules(present: set[str]) -> RuleSet:
    """The standard rules, less those reading a table the document does not have."""
    from jixiao.check.formulas.ruleset import RuleSet, builtin_rules

    rules = builtin_rules()
    if present >= set(TABLE_IDS):
        return rules
    keep = []
    for rule in rules.rules:
        spec = rule.spec
        each = spec.each if isinstance(spec.each, tuple) else (spec.each or "",)
        if set(_TABLE_REF.findall(" ".join((spec.left, spec.right, *each)))) <= present:
            keep.append(rule)
    return RuleSet(tuple(keep))


def _check_tables(
    acc: Accounts, present: set[str], sources: dict[str, Source], lines: dict[tuple[str, str], int], name: str
) -> list[Finding]:
    from jixiao.check.accounts.checks import check

    try:
        report = check(acc, rules=_rules(present), file=name, lines=lines)
    except TimeLimitExceeded:
        raise
    except Exception as exc:  # the accounts checks should not fail; never let them stop the audit
        return [finding("internal-error", Location(file=name), rule="部门决算表审核", detail=repr(exc))]
    out = []
    for f in report.findings:
        if f.code == "accounts-empty-table" and not _table_of(f, acc.layout, present):
            continue  # a table the document does not have is not an empty table
        out.append(_relocate(f, sources, acc.layout, name))
    return out


def _table_of(f: Finding, layout: str, present: set[str]) -> str | None:
    for tid in present:
        if f.location.table == table_name(tid, layout):
            return tid
    return None


def _relocate(f: Finding, sources: dict[str, Source], layout: str, name: str) -> Finding:
    """The Finding with the document's name, and its table as the document prints it."""
    loc = f.location
    update: dict[str, Any] = {"file": name}
    for tid, source in sources.items():
        if loc.table and loc.table == table_name(tid, layout):
            update["table"] = source.label
            if loc.line is None:
                update["line"] = source.line
            if loc.page is None:
                update["page"] = source.page
            break
    return f.model_copy(update={"location": loc.model_copy(update=update)})


# --------------------------------------------------------------------------- 情况说明

_SECTION = re.compile(r"^(十三|十二|十一|十|九|八|七|六|五|四|三|二|一)、([^，。；：、（）\d]{2,30}?说明)")
_END = re.compile(r"^(?:第[一二三四五六七八九十]+部分|名词解释|附件|附表)")
#: the tables the sentences of each section read
_SECTION_TABLES = {
    "一": {"summary"},
    "二": {"income"},
    "三": {"expense"},
    "四": {"fiscal"},
    "五": {"general"},
    "六": {"basic", "general"},
    "七": {"fund"},
    "八": {"capital"},
    "九": {"three_public"},
    "十三": {"general"},
}


def _explanation(doc: PublishedDocument, sources: dict[str, Source] | None = None) -> list[Paragraph]:
    """The paragraphs of the 情况说明: from the heading 一、收入支出决算总体情况说明 (the one
    followed by text, not the table of contents) to the next part (第四部分, 名词解释 …) or a
    final-accounts table; [] when the document has no such text."""
    blocks = doc.blocks
    tables = {id(b) for s in (sources or {}).values() for b in s.blocks}
    start = next(
        (
            k
            for k, b in enumerate(blocks)
            if isinstance(b, Paragraph) and _section_of(b) == "一" and _has_body(blocks, k)
        ),
        None,
    )
    if start is None:
        return []
    out: list[Paragraph] = []
    for block in blocks[start:]:
        if isinstance(block, Table):
            if id(block) in tables:
                break
            continue
        if _END.match(clean(block.text)):
            break
        out.append(block)
    return out if _sections_named(out) >= 2 else []


def _section_of(p: Paragraph) -> str | None:
    m = _SECTION.match(norm(clean(p.text)))
    return m.group(1) if m else None


def _has_body(blocks: Sequence[Block], k: int) -> bool:
    for block in blocks[k + 1 : k + 4]:
        if isinstance(block, Table):
            return False
        if _section_of(block):
            return False
        if re.search(r"\d", block.text):
            return True
    return False


def _sections_named(paragraphs: list[Paragraph]) -> int:
    return len({s for p in paragraphs if (s := _section_of(p))})


def _check_explanation(
    acc: Accounts, paragraphs: list[Paragraph], present: set[str], name: str
) -> list[Finding]:
    from jixiao.check.accounts.explanation import check_text

    text = "\n".join(" ".join(clean(p.text).split()) for p in paragraphs)
    sections: list[str | None] = []
    current: str | None = None
    for p in paragraphs:
        current = _section_of(p) or current
        sections.append(current)
    try:
        missing: dict[int, str] = {}
        found = check_text(acc, text, file=name, missing=missing)
    except TimeLimitExceeded:
        raise
    except Exception as exc:  # never let the text check stop the audit
        return [finding("internal-error", Location(file=name), rule="情况说明核对", detail=repr(exc))]
    out: list[tuple[Finding, str | None]] = []  # each with the datum it cannot be checked for
    for f in found:
        loc = f.location.model_copy(update={"file": name})
        index = (f.location.line or 0) - 1
        if 0 <= index < len(paragraphs):
            para = paragraphs[index]
            loc = loc.model_copy(update={"line": para.line, "page": para.page})
            needs = _SECTION_TABLES.get(sections[index] or "", set())
            if f.severity is not Severity.note and not needs <= present:
                continue  # the table this sentence speaks of is not in the document
        out.append((f.model_copy(update={"location": loc}), missing.get(id(f))))
    return _merge_unverifiable(out)


def _merge_unverifiable(findings: list[tuple[Finding, str | None]]) -> list[Finding]:
    """One unverifiable note per sentence and missing datum, listing its figures."""
    groups: dict[tuple[Any, ...], list[Finding]] = {}
    out: list[Finding | tuple[Any, ...]] = []
    for f, what in findings:
        if what is None:
            out.append(f)
            continue
        key = (f.location.line, f.location.quote, what)
        if key not in groups:
            groups[key] = []
            out.append(key)
        groups[key].append(f)
    merged: list[Finding] = []
    for item in out:
        if isinstance(item, Finding):
            merged.append(item)
            continue
        group = groups[item]
        if len(group) == 1:
            merged.append(group[0])
            continue
        printed = "、".join(f.printed or "" for f in group)
        merged.append(finding("accounts-text-unverifiable", group[0].location, printed=printed, what=item[2]))
    return merged
