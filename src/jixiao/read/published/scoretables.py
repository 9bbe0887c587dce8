"""Recognise self-evaluation score tables in a document and turn them into Submissions.

Tables are found by their headers, not by the file they come from:

* indicator tables: 一级/二级/三级指标 with target, actual, weight and score columns (merged
  cells filled down, "产出指标（40分）" read as a weight), plus the 预算执行 block
  (预算数/执行数/执行率/得分) and the 总分 row;
* the same table broken into lines by text extraction (each row ending "分值 得分");
* project summary tables (项目名称, 全年预算数, 执行数, 执行率, …得分率, 自评得分);
* level tables laid out sideways (rows 一级指标 / 权重 / 得分率 / 得分).

The framework is the built-in one whose level-1 indicators and weights the table shows;
failing that, one is built from the table itself with the national rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from jixiao.core.findings import Finding, finding
from jixiao.core.numbers import NumberFormatError, half_unit, parse_measure, percent_of, percent_text, plain
from jixiao.frameworks.catalog import Catalog, builtin
from jixiao.model.document import Paragraph, PublishedDocument, Table
from jixiao.model.framework import Framework, IndicatorSpec, RuleKind
from jixiao.model.selfeval_tables import without_note, words
from jixiao.read.published.flow import clean

#: Submission data as a table gives it, before Submission.model_validate reads it.
RawData = dict[str, Any]

_WEIGHT_IN_NAME = re.compile(r"^(.*?)\s*[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]\s*$")
_ROW_END = re.compile(r"^(.*?)(?:^|\s)(\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?%?)\s*$")


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


@dataclass
class Recognised:
    """A self-evaluation recognised in a document, ready to be scored."""

    description: str
    framework: Framework
    data: RawData
    findings: list[Finding] = field(default_factory=list)
    level_claims: dict[str, Decimal] = field(default_factory=dict)  # printed level-1 score sums


# -- vocabulary -----------------------------------------------------------------------------
@cache
def vocabulary() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Level-1, level-2 and standard level-3 names of the built-in frameworks."""
    catalog = builtin()
    l1: set[str] = {"投入指标", "过程指标", "产出指标", "效益指标", "满意度指标", "成本指标"}
    l2: set[str] = {"满意度", "数量指标", "质量指标", "时效指标", "成本指标", "社会效益", "经济效益"}
    l3: set[str] = set()
    for fw in catalog.frameworks.values():
        for s in fw.indicators:
            if s.rule is not None:
                continue  # a level-1 leaf such as 预算执行率 is a row, not a heading
            l1.add(s.name)
            for c in s.children:
                l2.add(c.name)
                l3.update(g.name for g in c.children)
    return frozenset(l1), frozenset(l2), frozenset(l3)


# -- framework matching -----------------------------------------------------------------------
def match_framework(
    level1: dict[str, Decimal | None], kind: str, *, execution: bool = False, catalog: Catalog | None = None
) -> Framework | None:
    """The built-in framework whose level-1 indicators are exactly these (with the
    execution-rate leaf when the table has its block), weights equal where known."""
    catalog = catalog or builtin()
    for fid in catalog.ids():
        fw = catalog.frameworks[fid]
        if kind and fw.kind != kind:
            continue
        names = {s.name: s.weight for s in fw.indicators}
        leaves = {s.name for s in fw.indicators if s.rule is not None and s.rule.value == "execution_rate"}
        expected = set(level1) | (leaves if execution else set())
        if set(names) != expected:
            continue
        if all(w is None or names[n] is None or w == names[n] for n, w in level1.items()):
            return fw
    return None


def adhoc_framework(level1: dict[str, Decimal | None], execution: Decimal | None) -> Framework:
    """A framework built from what the table shows, with the national rules."""
    specs = []
    if execution is not None:
        specs.append(
            IndicatorSpec(name="预算执行情况", weight=execution, fixed=True, rule=RuleKind.execution_rate)
        )
    specs += [IndicatorSpec(name=n, weight=w, open=True) for n, w in level1.items()]
    weights = [s.weight for s in specs]
    total = sum((w for w in weights if w is not None), Decimal(0)) if None not in weights else Decimal(100)
    return Framework(
        id="document-table",
        name="文件自带的指标表（按国家规则计分）",
        kind="department",
        total=total,
        indicators=tuple(specs),
    )


# -- indicator tables in rows -----------------------------------------------------------------
def _header_map(row: Sequence[str]) -> dict[str, int] | None:
    """The indicator columns a header row names (``selfeval_tables.yaml``: words.indicators),
    when it names enough of them to be an indicator table's."""
    cells = [without_note(_norm(c)) for c in row]
    found: dict[str, int] = {}
    for key, column in words("indicators").items():
        i = next((i for i, cell in enumerate(cells) if column.matches(cell)), None)
        if i is not None:
            found[key] = i
    if {"l1", "l3", "score"} <= set(found) and ("target" in found or "actual" in found):
        return found
    return None


def _execution_block(table: Table, start: int) -> tuple[RawData, Decimal | None] | None:
    """预算数(A) / 执行数(B) / 执行率 / 得分(20分*执行率) header and the row below it."""
    columns = words("execution")
    for i in range(start, min(start + 6, len(table.rows) - 1)):
        cells = [_norm(c) for c in table.rows[i]]
        col = {k: next((j for j, c in enumerate(cells) if w.matches(c)), None) for k, w in columns.items()}
        budget, spent, rate, score = col["budget"], col["spent"], col["rate"], col["score"]
        if budget is None or spent is None:
            continue
        weight = None
        for c in cells:
            m = re.search(r"[（(]?(\d+)分", c)
            if m and ("得分" in c or "预算执行" in c):
                weight = Decimal(m.group(1))
                break
        values = table.rows[i + 1]
        column = col["weight"]
        if weight is None and column is not None and column < len(values):
            weight = _decimal(values[column])  # the weight in its own column: 分值 10
        if budget >= len(values) or spent >= len(values):
            continue
        entry = {
            "path": "预算执行情况",
            "line": table.row_lines[i + 1] if i + 1 < len(table.row_lines) else table.line,
        }
        if rate is not None and rate < len(values) and values[rate]:
            entry["actual"] = values[rate]
        if score is not None and score < len(values) and values[score]:
            entry["score"] = values[score]
        figures = {"budget_total": values[budget], "spent": values[spent]}
        return {"entry": entry, "figures": figures}, weight
    return None


def indicator_tables(doc: PublishedDocument) -> Iterator[tuple[Table, int, dict[str, int]]]:
    for table in doc.tables():
        for i, row in enumerate(table.rows):
            header = _header_map(row)
            if header:
                yield table, i, header
                break


def recognise_row_table(
    doc: PublishedDocument, table: Table, head_row: int, header: dict[str, int]
) -> Recognised:
    entries: list[RawData] = []
    level1: dict[str, Decimal | None] = {}
    filled = {"l1": "", "l2": ""}
    stated_total = None
    for i in range(head_row + 1, len(table.rows)):
        row = list(table.rows[i])
        line = table.row_lines[i] if i < len(table.row_lines) else table.line
        first = _norm(next((c for c in row if c), ""))
        if first.startswith(("总分", "合计")):
            numbers = [c for c in row[1:] if re.search(r"\d", c)]
            if numbers:
                stated_total = numbers[-1]
            break

        def cell(key: str, row: list[str] = row) -> str:
            j = header.get(key)
            return row[j].strip() if j is not None and j < len(row) else ""

        for key in ("l1", "l2"):
            value = cell(key)
            if value:
                filled[key] = value
        name = cell("l3")
        if not name and cell("l1") and not cell("l2") and (cell("weight") or cell("score")):
            entries.append(_level1_row(cell("l1"), cell("weight"), cell("score"), line, level1))
            continue
        if not name or not filled["l1"]:
            continue
        l1_name, l1_weight = _split_weight(filled["l1"])
        level1.setdefault(l1_name, l1_weight)
        l2_name = _split_weight(filled["l2"])[0] if filled["l2"] else "（未列二级指标）"
        entry: RawData = {"path": "/".join(_safe(n) for n in (l1_name, l2_name, name)), "line": line}
        for key in ("target", "actual", "weight", "score"):
            value = cell(key)
            if value:
                entry[key] = value
        reason = cell("reason")
        if reason:
            entry["deviation_reason"] = reason
        entries.append(entry)
    execution = _execution_of(doc, table)
    figures: RawData = {}
    exec_weight = None
    if execution:
        block, exec_weight = execution
        entries.insert(0, block["entry"])
        figures = block["figures"]
    fw = match_framework(level1, "department") or match_framework(level1, "project")
    if fw is None or (
        execution and not any(s.rule and s.rule.value == "execution_rate" for s in fw.indicators)
    ):
        fw = adhoc_framework(level1, exec_weight)
    data = {
        "department": _department(doc),
        "year": _year(doc),
        "framework": fw.id,
        "origin": "published",
        "figures": figures,
        "indicators": entries,
        "stated": {"total": stated_total, "line": table.line} if stated_total else {},
    }
    label = table.title or f"表{table.index}"
    return Recognised(f"绩效自评表“{label}”（{len(entries)} 项指标）", fw, data)


def _level1_row(
    l1: str, weight: str, score: str, line: int | None, level1: dict[str, Decimal | None]
) -> RawData:
    """A level-1 row with its own weight and score and no indicators below it (a form
    that reports by level-1 results only, or the 预算执行情况 row): its entry; its weight
    goes into ``level1``."""
    name, named_weight = _split_weight(l1)
    level1.setdefault(name, named_weight if named_weight is not None else _decimal(weight))
    entry: RawData = {"path": _safe(name), "line": line}
    if score:
        entry["score"] = score
    return entry


def _execution_of(doc: PublishedDocument, table: Table) -> tuple[RawData, Decimal | None] | None:
    """The budget-execution block of the form: in the table, or in the table above it."""
    execution = _execution_block(table, 0)
    if execution is None:
        before = _table_before(doc, table)
        if before is not None:
            execution = _execution_block(before, 0)
    return execution


def _table_before(doc: PublishedDocument, table: Table) -> Table | None:
    """The table just above ``table`` with nothing but a short paragraph between: the
    upper part of one form that a writer (or a page break) cut in two."""
    blocks = list(doc.blocks)
    k = next((i for i, b in enumerate(blocks) if b is table), None)
    if k is None:
        return None
    for block in reversed(blocks[max(0, k - 2) : k]):
        if isinstance(block, Table):
            return block
        if len(block.text) > 40:
            return None
    return None


def _decimal(text: str) -> Decimal | None:
    """A plain number written in a cell ("10", "50.5"), else None."""
    text = _norm(text)
    return Decimal(text) if re.fullmatch(r"\d{1,4}(?:\.\d{1,4})?", text) else None


def _split_weight(text: str) -> tuple[str, Decimal | None]:
    m = _WEIGHT_IN_NAME.match(_norm(text))
    if m:
        return m.group(1), Decimal(m.group(2))
    return _norm(text), None


def _safe(name: str) -> str:
    return name.replace("/", "／").strip()


# -- the same table broken into lines -----------------------------------------------------------
#: The header of an indicator table broken into lines: 一级指标 二级指标 三级指标 in a row.
_BROKEN_HEAD = re.compile(r"\s*".join(words("indicators")[k].words[0] for k in ("l1", "l2", "l3")))
_SCORE = words("indicators")["score"].words[0]


def broken_tables(doc: PublishedDocument) -> Iterator[tuple[int, int]]:
    """(first, last) paragraph indexes of score tables that text extraction broke into lines."""
    paras = list(doc.blocks)
    i = 0
    while i < len(paras):
        block = paras[i]
        if isinstance(block, Paragraph) and _BROKEN_HEAD.search(block.text) and _SCORE in block.text:
            j = i + 1
            while j < len(paras) and isinstance(paras[j], Paragraph):
                text = clean(paras[j].text)  # type: ignore[union-attr]
                if text.startswith(("总分", "注")):
                    break
                j += 1
            yield i, j
            i = j
        i += 1


def recognise_broken(doc: PublishedDocument, first: int, last: int) -> Recognised | None:
    l1_names, l2_names, l3_names = vocabulary()
    blocks = doc.blocks
    lines: list[tuple[str, int | None]] = []
    for b in blocks[first + 1 : last + 1]:
        if isinstance(b, Paragraph):
            text = clean(b.text)
            if text and text not in ("……", "…"):
                lines.append((text, b.line))
    entries: list[RawData] = []
    stated_total = None
    level1: dict[str, Decimal | None] = {}
    l1 = l2 = ""
    buffer: list[tuple[str, int | None]] = []
    for text, line in lines:
        m = _ROW_END.match(text)
        if not m:
            buffer.append((text, line))
            continue
        body = [t for t, _ in buffer] + ([m.group(1).strip()] if m.group(1).strip() else [])
        start_line = buffer[0][1] if buffer else line
        buffer = []
        weight, score = m.group(2), m.group(3)
        if body and _norm(body[0]).startswith("总分"):
            stated_total = score
            break
        # leading headings: level-1 / level-2 names, possibly split over lines or on one line
        body, l1, l2 = _strip_headings(body, l1, l2, l1_names, l2_names, l3_names)
        if not body or not l1:
            continue
        name, target, actual = _split_row(body)
        level1.setdefault(l1, None)
        entry: RawData = {
            "path": "/".join(_safe(n) for n in (l1, l2 or "（未列二级指标）", name)),
            "weight": weight,
            "score": score,
            "line": start_line,
        }
        if target:
            entry["target"] = target
        if actual:
            entry["actual"] = actual
        if not _is_number_like(target):
            entry["rule"] = "judgement" if target and target == actual and len(target) <= 4 else "qualitative"
        entries.append(entry)
    if not entries:
        return None
    fw = (
        match_framework(level1, "department")
        or match_framework(level1, "project")
        or adhoc_framework(level1, None)
    )
    data = {
        "department": _department(doc),
        "year": _year(doc),
        "framework": fw.id,
        "origin": "published",
        "indicators": entries,
        "stated": {"total": stated_total, "line": lines[-1][1] if lines else None} if stated_total else {},
    }
    return Recognised(f"按行断开的绩效自评表（{len(entries)} 项指标）", fw, data)


def _strip_headings(
    body: list[str],
    l1: str,
    l2: str,
    *names: frozenset[str],
) -> tuple[list[str], str, str]:
    """Drop the level-1/level-2 headings a broken row starts with; return the row, l1, l2."""
    l1_names, l2_names, l3_names = names
    return _strip(body, l1, l2, l1_names, l2_names, l3_names)


def _strip(  # noqa: PLR0917 - the three vocabularies travel together
    body: list[str],
    l1: str,
    l2: str,
    l1_names: frozenset[str],
    l2_names: frozenset[str],
    l3_names: frozenset[str],
) -> tuple[list[str], str, str]:
    body = list(body)
    while body:
        head = _norm(body[0])
        tokens = body[0].split()
        if head in l1_names:
            l1, l2 = head, ""
            body.pop(0)
            continue
        if l2 and head in l3_names:
            # Under an open level 2 a standard level-3 name is a row: an empty one when
            # another level-3 name follows it (no weight, no score printed).
            nxt = body[1].split() if len(body) > 1 else []
            if nxt and _norm(nxt[0]) in l3_names:
                body.pop(0)
                continue
            break
        if head in l2_names:
            l2 = head
            body.pop(0)
            continue
        if len(tokens) == 2 and _norm(tokens[0]) in l1_names and _norm(tokens[1]) in l2_names:
            l1, l2 = _norm(tokens[0]), _norm(tokens[1])
            body.pop(0)
            continue
        if len(body) > 1 and _norm(body[0] + body[1]) in l2_names:
            l2 = _norm(body[0] + body[1])
            body = body[2:]
            continue
        break
    return body, l1, l2


def _is_number_like(text: str | None) -> bool:
    if not text:
        return False
    try:
        return parse_measure(text).is_number
    except NumberFormatError:
        return False


def _split_row(body: list[str]) -> tuple[str, str, str]:
    """Name, target and actual of a broken row: a quantitative row ends "≥95% 70%"; a yes/no
    row "相关 相关"; a qualitative row has its long texts on the lines after the name."""
    joined = " ".join(body)
    tokens = joined.split()
    for k, token in enumerate(tokens):
        if re.match(r"^[≥≧≤≦<>＜＞=＝]", token):
            return _norm("".join(tokens[:k])), token, " ".join(tokens[k + 1 :])
    if len(body) == 1 and len(tokens) >= 3:
        return _norm("".join(tokens[:-2])), tokens[-2], tokens[-1]
    name = _norm(body[0].split()[0]) if body[0].split() else ""
    rest = " ".join(body[0].split()[1:] + body[1:])
    return name, "", rest


# -- project summary tables -------------------------------------------------------------------
def summary_tables(doc: PublishedDocument) -> Iterator[tuple[Table, int, dict[str, int]]]:
    """Project summary tables, by the words of their columns (``selfeval_tables.yaml``:
    words.projects): each with its header row and columns."""
    columns = words("projects")
    for table in doc.tables():
        for i, row in enumerate(table.rows[:3]):
            cols: dict[str, int] = {}
            for j, cell in enumerate(_norm(c) for c in row):
                key = next((k for k, w in columns.items() if w.matches(cell)), None)
                if key == "level_rate":  # "产出指标得分率": the rate of that level-1 indicator
                    key = "rate:" + cell.split(columns[key].contains[0])[0]
                if key is not None:
                    cols[key] = j
            if {"name", "total"} <= set(cols) and any(k.startswith("rate:") for k in cols):
                yield table, i, cols
                break


def recognise_summary(
    doc: PublishedDocument, table: Table, head_row: int, cols: dict[str, int]
) -> Iterator[Recognised]:
    levels = {k.split(":", 1)[1]: j for k, j in cols.items() if k.startswith("rate:")}
    level1 = dict.fromkeys(levels)
    fw = match_framework({**level1}, "project") or match_framework({"预算执行率": None, **level1}, "project")
    if fw is None:
        return
    names = {s.name for s in fw.indicators}
    for i in range(head_row + 1, len(table.rows)):
        row = table.rows[i]
        line = table.row_lines[i] if i < len(table.row_lines) else table.line

        def cell(j: int | None, row: Sequence[str] = row) -> str:
            return row[j].strip() if j is not None and j < len(row) else ""

        project = cell(cols["name"])
        if not project:
            continue
        indicators: list[RawData] = []
        exec_name = next((s.name for s in fw.indicators if s.rule and s.rule.value == "execution_rate"), None)
        if exec_name and cell(cols.get("execution_rate")):
            indicators.append({"path": exec_name, "actual": cell(cols.get("execution_rate")), "line": line})
        for level, j in levels.items():
            if level in names and cell(j):
                indicators.append({"path": level, "score_rate": cell(j), "line": line})
        figures = {}
        if cell(cols.get("budget_total")) and cell(cols.get("spent")):
            figures = {"budget_total": cell(cols.get("budget_total")), "spent": cell(cols.get("spent"))}
        data = {
            "department": _department(doc),
            "project": project,
            "year": _year(doc),
            "framework": fw.id,
            "origin": "published",
            "figures": figures,
            "indicators": indicators,
            "stated": {"total": cell(cols["total"]), "line": line} if cell(cols["total"]) else {},
        }
        yield Recognised(f"项目自评汇总表中的“{project}”", fw, data)


# -- level tables laid out sideways (一级指标 / 权重 / 得分率 / 得分 rows) ---------------------------
_STATED_RATE = re.compile(r"预算执行率\s*(?:为|是|达到|达)?\s*(\d+(?:\.\d+)?)\s*[%％]")


def sideways_tables(doc: PublishedDocument, name: str) -> Iterator[Finding]:
    """Level tables laid out sideways: a score above its weight, a 得分率 that is not
    score / weight, the 合计 of weights and scores. Where a 预算执行 得分率 disagrees with
    its score and the text states the same 预算执行率, the score is the slip (and the
    合计 that counts it)."""
    stated_rates = {
        Decimal(m.group(1)) / 100 for p in doc.paragraphs() for m in _STATED_RATE.finditer(p.text)
    }
    for table in doc.tables():
        rows = {_norm(r[0]): r for r in table.rows if r}
        if not {"一级指标", "得分"} <= set(rows) or not ({"权重", "分值"} & set(rows)):
            continue
        rescored: dict[int, Decimal] = {}
        heads = rows["一级指标"]
        weights = rows.get("权重") or rows.get("分值")
        rates = rows.get("得分率")
        scores = rows["得分"]
        index = {_norm(r[0]): k for k, r in enumerate(table.rows) if r}
        for j in range(1, len(heads)):
            label = _norm(heads[j])
            w, s = _num(weights, j), _num(scores, j)
            if w is None or s is None:
                continue
            if s > w:
                yield finding(
                    "score-above-weight",
                    table.location(name, index["得分"], label),
                    printed=plain(s),
                    expected=plain(w),
                )
            if rates is not None and w:
                written = rates[j] if j < len(rates) else ""
                rate = _num(rates, j)
                if rate is not None and written and _rate_differs(rate, s, w, written):
                    if "预算执行" in label and rate in stated_rates:
                        # the text states this 预算执行率 too: the score is the slip
                        right = (w * rate).quantize(_places_of(scores[j]), ROUND_HALF_UP)
                        right = min(right, w)
                        rescored[j] = right
                        yield finding(
                            "score-mismatch",
                            table.location(name, index["得分"], label),
                            printed=plain(s),
                            expected=plain(right),
                            rule=f"预算执行率 {written.strip()}（正文所述）× 分值 {plain(w)}",
                            hint="",
                        )
                        continue
                    yield finding(
                        "score-rate-mismatch",
                        table.location(name, index["得分率"], label),
                        printed=written,
                        expected=percent_text(s / w),
                        score=plain(s),
                        weight=plain(w),
                    )
        total_col = next(
            (j for j in range(1, len(heads)) if _norm(heads[j]) in ("合计", "总计", "总分")), None
        )
        if total_col is None:
            continue
        for key, row in (("权重", weights), ("得分", scores)):
            parts = [_num(row, j) for j in range(1, len(heads)) if j != total_col]
            total = _num(row, total_col)
            if total is None or None in parts:
                continue
            summed = sum((p for p in parts if p is not None), Decimal(0))
            if key == "得分" and summed == total and rescored:
                fixed = summed + sum(
                    (v - (_num(row, j) or Decimal(0)) for j, v in rescored.items()), Decimal(0)
                )
                yield finding(
                    "total-includes-wrong-score",
                    table.location(name, index.get(key), "合计"),
                    printed=plain(total),
                    expected=plain(fixed),
                    what="得分合计",
                )
                continue
            if summed != total:
                yield finding(
                    "total-mismatch",
                    table.location(name, index.get(key), "合计"),
                    printed=plain(total),
                    expected=plain(summed),
                    what=f"{key}合计",
                )


def _num(row: Sequence[str] | None, j: int) -> Decimal | None:
    if row is None or j >= len(row):
        return None
    try:
        m = parse_measure(row[j])
    except NumberFormatError:
        return None
    return m.value


def _places_of(text: str) -> Decimal:
    """The unit of the last digit a score is written with ("9.84" -> 0.01, "28" -> 1)."""
    digits = text.strip().split(".")
    return Decimal(1).scaleb(-len(digits[1])) if len(digits) == 2 and digits[1].isdigit() else Decimal(1)


def _rate_differs(rate: Decimal, score: Decimal, weight: Decimal, written: str) -> bool:
    """Whether the written rate cannot be score / weight: the score is itself rounded as
    printed (38.49 may be 38.4875), so any rate between those of the lowest and highest
    score it may stand for is right."""
    places = len(written.split(".")[1].rstrip("%％")) if "." in written else 0
    half = half_unit(score)
    low = percent_of((score - half) / weight, places)
    high = percent_of((score + half) / weight, places)
    return not low <= percent_of(rate, places) <= high


# -- document facts ---------------------------------------------------------------------------
_DEPT = re.compile(r"(?:部门（单位）名称|单位名称|部门名称|自评单位)[：:\s]*([\u4e00-\u9fff（）()]{3,40})")


def _department(doc: PublishedDocument) -> str:
    return department_named(doc) or "（文件未写明单位）"


def department_named(doc: PublishedDocument) -> str | None:
    """The department a "单位名称：…" line or cell near the top names, if any."""
    for block in doc.blocks[:60]:
        if isinstance(block, Paragraph):
            m = _DEPT.search(clean(block.text))
            if m:
                return m.group(1)
        else:
            for row in block.rows[:4]:
                for k, cell in enumerate(row[:-1]):
                    if _norm(cell) in ("单位名称", "部门（单位）名称", "部门名称") and row[k + 1]:
                        return row[k + 1]
    return None


def _year(doc: PublishedDocument) -> int:
    from jixiao.read.published.flow import report_year

    return report_year(doc) or 2000
