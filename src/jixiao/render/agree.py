"""One figure per quantity across a set of documents.

A quantity can reach the documents twice: a project's score is printed in the final
accounts' 情况说明 (第三部分 十三, as the department typed it) and recomputed from the
project's own self-evaluation (附件 项目支出自评汇总表). The documents always show the
recomputed figure; the printed one, when it differs, becomes a ``figure-replaced``
Finding, listed in the reviewer's copy beside the recomputed one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from jixiao.core.findings import Finding, Location, finding
from jixiao.model.accounts import Accounts, ProjectResult
from jixiao.render.context import Pair
from jixiao.render.fmt import score

#: Characters that differ between two spellings of one project name (dashes, quotes, spaces).
_NOISE = re.compile(r"[\s\-—–－_“”\"'‘’「」《》()（）·]")


def _key(name: str) -> str:
    return _NOISE.sub("", name)


def _match(project: ProjectResult, pairs: Sequence[Pair]) -> Pair | None:
    """The project evaluation of ``project``: same name but for dashes and quotes; else one
    name contains the other; else the only project with the same budget and spending."""
    key = _key(project.name)
    named = [p for p in pairs if _key(p.submission.project or "") == key]
    if len(named) == 1:
        return named[0]
    named = [
        p
        for p in pairs
        if p.submission.project and (key in _key(p.submission.project) or _key(p.submission.project) in key)
    ]
    if len(named) == 1:
        return named[0]
    if project.budget is None or project.actual is None:
        return None
    same = [
        p
        for p in pairs
        if p.submission.figures.get("budget_total") == project.budget
        and p.submission.figures.get("spent") == project.actual
    ]
    return same[0] if len(same) == 1 else None


def project_scores(acc: Accounts, pairs: Sequence[Pair], file: str | None) -> tuple[Accounts, list[Finding]]:
    """``acc`` with section 十三's project scores replaced by the recomputed totals of the
    matching project evaluations, and a Finding for each printed score that differed."""
    performance = acc.narrative.performance
    if not pairs or not performance.projects:
        return acc, []
    found: list[Finding] = []
    projects = []
    for project in performance.projects:
        pair = _match(project, pairs)
        total = pair.evaluation.total if pair else None
        if total is None or (project.score is not None and project.score == total):
            projects.append(project)
            continue
        if project.score is not None:
            found.append(
                finding(
                    "figure-replaced",
                    Location(file=file, table="情况说明 十三", row=project.name),
                    where="部门决算情况说明（十三）",
                    what=f"项目“{project.name}”自评得分",
                    basis=f"项目自评（{pair.file}）" if pair and pair.file else "项目自评",
                    printed=score(project.score),
                    expected=score(total),
                )
            )
        projects.append(project.model_copy(update={"score": Decimal(total)}))
    new_performance = performance.model_copy(update={"projects": tuple(projects)})
    narrative = acc.narrative.model_copy(update={"performance": new_performance})
    return acc.model_copy(update={"narrative": narrative}), found
