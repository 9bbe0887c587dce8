"""Generate consistent reports — every number holds together — and copies with one number
changed, to measure what `jixiao audit` catches and that it raises nothing on good ones.

A report is a list of blocks in the neutral form of :mod:`tests.audit.docgen`, so the
same report can be written as text, Word, PDF or Excel. Each number that takes part in a
check is recorded as a :class:`Spot` (block, cell, the text) so a mutation can change it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

CENT = Decimal("0.01")


def r2(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def pct(num: Decimal, den: Decimal) -> str:
    return f"{r2(num / den * 100)}"


@dataclass(frozen=True)
class Spot:
    """A number of the report that a check depends on: in block ``block`` (and table cell
    ``cell`` = (row, column)), the text ``text``."""

    block: int
    text: str
    cell: tuple[int, int] | None = None


@dataclass
class Report:
    blocks: list[Any] = field(default_factory=list)
    spots: list[Spot] = field(default_factory=list)

    def p(self, text: str, *numbers: str) -> None:
        self.blocks.append(("p", text))
        for n in numbers:
            assert text.count(n) >= 1, (n, text)
            self.spots.append(Spot(len(self.blocks) - 1, n))

    def table(self, title: str, rows: list[list[str]], spots: list[tuple[int, int]]) -> None:
        self.blocks.append(("table", title, rows))
        for r, c in spots:
            self.spots.append(Spot(len(self.blocks) - 1, rows[r][c], (r, c)))


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def generate(seed: int) -> Report:
    """A consistent report: shares, a change on last year, completion of budgets, an
    execution rate, a total of listed amounts, a score table and the text's scores."""
    rng = random.Random(seed)
    year = rng.randint(2019, 2025)
    rep = Report()
    rep.p(f"{year}年度某某单位部门整体绩效自评报告")
    rep.p("一、收入支出决算总体情况说明")
    total = _money(rng, 300, 5000)
    change = _money(rng, 5, 200)
    up = rng.random() < 0.5
    previous = total - change if up else total + change
    words = ("增加", "增长") if up else ("减少", "下降")
    y = pct(change, previous)
    rep.p(
        f"{year}年度收、支总计均为{total}万元。与上年度相比，收、支总计各{words[0]}{change}万元，{words[1]}{y}%。",
        f"{change}万元",
        f"{y}%",
    )
    rep.p("二、收入决算情况说明")
    fiscal = r2(total * Decimal(rng.randint(70, 99)) / 100)
    other = total - fiscal
    pf, po = pct(fiscal, total), pct(other, total)
    rep.p(
        f"{year}年度收入合计{total}万元，其中：财政拨款收入{fiscal}万元，占{pf}%；其他收入{other}万元，占{po}%。",
        f"合计{total}",
        f"{fiscal}万元",
        f"占{pf}%",
        f"{other}万元",
        f"占{po}%",
    )
    rep.p("三、一般公共预算财政拨款支出决算具体情况")
    for i in range(1, 4):
        budget = _money(rng, 10, 400)
        spent = r2(budget * Decimal(rng.randint(60, 140)) / 100)
        p = pct(spent, budget)
        rep.p(
            f"{i}. 某某支出（类）某某事务（款）第{i}项（项）。年初预算为{budget}万元，支出决算为{spent}万元，"
            f"完成年初预算的{p}%。",
            f"{budget}万元",
            f"{spent}万元",
            f"{p}%",
        )
    rep.p("四、部门资金情况分析")
    plan = _money(rng, 300, 5000)
    initial = r2(plan * Decimal(rng.randint(70, 95)) / 100)
    added = plan - initial
    rep.p(
        f"我单位{year}年年初预算资金{initial}万元；经年中调整，增加预算资金{added}万元；全年预算资金总额{plan}万元。",
        f"{initial}万元",
        f"{added}万元",
    )
    done = r2(plan * Decimal(rng.randint(60, 100)) / 100)
    rate = pct(done, plan)
    rep.p(
        f"我单位全年预算资金总额{plan}万元。全年实际执行数为{done}万元，预算执行率为{rate}%。",
        f"{plan}万元",
        f"{done}万元",
        f"{rate}%",
    )
    parts = [_money(rng, 1, 80) for _ in range(3)]
    listed = "，".join(f"{name}经费{v}万元" for name, v in zip(("培训", "宣传", "维护"), parts, strict=True))
    rep.p(f"项目经费为{listed}，共计{sum(parts)}万元。", *[f"{v}万元" for v in parts], f"共计{sum(parts)}")
    _score_table(rep, rng, year)
    return rep


def _score_table(rep: Report, rng: random.Random, year: int) -> None:
    rep.p("五、绩效指标完成情况")
    header = ["一级指标", "二级指标", "三级指标", "指标值", "完成值", "分值", "得分"]
    rows = [header]
    spots: list[tuple[int, int]] = []
    level_scores: dict[str, Decimal] = {}
    layout = (
        ("产出指标", "数量指标", 60, 3),
        ("效益指标", "社会效益指标", 30, 2),
        ("满意度指标", "服务对象满意度指标", 10, 1),
    )
    for l1, l2, weight, n in layout:
        weights = [Decimal(weight // n)] * n
        weights[-1] += Decimal(weight) - sum(weights)
        level = Decimal(0)
        for k, w in enumerate(weights):
            target = rng.randint(50, 500)
            met = rng.random() < 0.6
            actual = rng.randint(target, target * 2) if met else rng.randint(1, target - 1)
            score = w if met else r2(w * actual / target)
            level += score
            rows.append(
                [
                    l1 if k == 0 else "",
                    l2 if k == 0 else "",
                    f"{l2[:2]}项{k + 1}",
                    f"≥{target}个",
                    f"{actual}个",
                    str(w),
                    str(score),
                ]
            )
            r = len(rows) - 1
            spots += [(r, 5), (r, 6)]
            if not met:
                spots += [(r, 3), (r, 4)]
        level_scores[l1] = level
    total = sum(level_scores.values())
    rows.append(["总分", "", "", "", "", "100", str(total)])
    spots.append((len(rows) - 1, 6))
    rep.table("表1 绩效指标完成情况", rows, spots)
    pairs = "；".join(f"{l1}{w}分，得分{level_scores[l1]}分" for l1, _, w, _ in layout)
    rep.p(
        f"总分值100分，自评得分{total}分。其中{pairs}。",
        f"自评得分{total}分",
        *[f"{l1}{w}分" for l1, _, w, _ in layout],
        *[f"得分{level_scores[l1]}分" for l1, _, _, _ in layout],
    )


def mutate(rep: Report, spot: Spot, rng: random.Random) -> tuple[list[Any], str]:
    """The report's blocks with one digit of ``spot``'s number changed (a typing slip)."""
    digits = [i for i, ch in enumerate(spot.text) if ch.isdigit()]
    i = rng.choice(digits)
    old = spot.text[i]
    new_digit = rng.choice([d for d in "0123456789" if d != old and not (d == "0" and i == digits[0])])
    new_text = spot.text[:i] + new_digit + spot.text[i + 1 :]
    blocks = [list(b) if b[0] == "table" else b for b in rep.blocks]
    block = rep.blocks[spot.block]
    if spot.cell is None:
        blocks[spot.block] = ("p", block[1].replace(spot.text, new_text, 1))
    else:
        r, c = spot.cell
        rows = [list(row) for row in block[2]]
        rows[r][c] = new_text
        blocks[spot.block] = ("table", block[1], rows)
    return [tuple(b) for b in blocks], new_text


def as_text(blocks: list[Any]) -> str:
    """The blocks as a plain-text report (tables tab-separated), as copied out of Word."""
    lines: list[str] = []
    for b in blocks:
        if b[0] == "p":
            lines.append(b[1])
        elif b[0] == "table":
            lines.append(b[1])
            lines += ["\t".join(row) for row in b[2]]
        lines.append("")
    return "\n".join(lines)


def write_text(blocks: list[Any], path: Path) -> Path:
    path.write_text(as_text(blocks), encoding="utf-8")
    return path
