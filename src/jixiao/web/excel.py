"""Excel both ways for a submission: the workbook a department downloads (the same
templates the CLI writes: the self-evaluation table of ``jixiao template --framework``, the
nine final-accounts tables) and the data read back from one it uploads.

An upload never loses what was saved: what the workbook carries replaces the stored values,
everything else (texts, stated subtotals, the 情况说明) is kept, and the save goes through
the version-checked UPDATE with its history."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

from jixiao import api
from jixiao.web.models import Submission
from jixiao.web.workflow import ACCOUNTS_TEXT, Refused

#: the indicator fields a self-evaluation workbook carries (the others are kept on upload)
CARRIED = ("target", "actual", "weight", "score", "deviation_reason")


def file_name(sub: Submission) -> str:
    kind = sub.project or sub.get_kind_display()
    return f"{sub.department.name}{sub.year}年{kind}.xlsx"


def workbook(sub: Submission) -> Path:
    """The submission as the workbook the CLI writes, in a fresh temporary folder."""
    path = Path(tempfile.mkdtemp(prefix="jixiao-xlsx-")) / "book.xlsx"
    if sub.kind == Submission.Kind.ACCOUNTS:
        data = {k: v for k, v in sub.data.items() if k != ACCOUNTS_TEXT}
        try:
            accounts = api.accounts_from_data(data)
        except api.InputError:
            accounts = None  # unreadable data: the blank template to fill in
        api.write_accounts(accounts, path)
        return path
    try:
        submission = api.submissions_from_data(_with_defaults(sub, sub.data))[0]
    except api.InputError:
        submission = None
    if submission is not None:
        api.write_self_evaluation(submission, path)
        return path
    framework = str(sub.data.get("framework") or "")
    try:
        api.write_self_evaluation_template(path, framework)
    except api.InputError as exc:
        raise Refused("无法生成 Excel：" + describe(exc.findings, "")) from None
    return path


def _with_defaults(sub: Submission, data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    out.setdefault("department", sub.department.name)
    out.setdefault("year", sub.year)
    if sub.project:
        out.setdefault("project", sub.project)
    return out


def describe(findings: Any, name: str, limit: int = 5) -> str:
    """Findings of an unreadable workbook in Chinese, each naming its sheet and cell (the
    uploaded file's own name, never the server's temporary path)."""
    parts = []
    for f in list(findings)[:limit]:
        loc = f.location.model_copy(update={"file": None})
        where = loc.describe()
        parts.append(f"{where}：{f.message}" if where else f.message)
    prefix = f"“{name}”" if name else ""
    return prefix + "；".join(parts)


def data_from_upload(sub: Submission, path: Path, name: str) -> dict[str, Any]:
    """The submission's new data from the uploaded workbook at ``path`` (sent as ``name``);
    Refused with a Chinese message naming sheet and cell when it cannot be used."""
    if sub.kind == Submission.Kind.ACCOUNTS:
        return _accounts(sub, path, name)
    return _self_evaluation(sub, path, name)


def _accounts(sub: Submission, path: Path, name: str) -> dict[str, Any]:
    try:
        loaded = api.load_accounts(path)
    except api.InputError as exc:
        raise Refused("Excel 文件无法读取：" + describe(exc.findings, name)) from None
    data = api.accounts_data(loaded.accounts)
    year = data.get("year")
    if year is not None and str(year) != str(sub.year):
        raise Refused(f"“{name}”是 {year} 年的部门决算，与本申报的年度 {sub.year} 不符，未导入。")
    merged: dict[str, Any] = copy.deepcopy(sub.data)
    merged.update(data)  # the tables of the workbook; the 情况说明 and the rest are kept
    return merged


def _self_evaluation(sub: Submission, path: Path, name: str) -> dict[str, Any]:
    defaults: dict[str, object] = {"department": sub.department.name, "year": sub.year}
    if sub.project:
        defaults["project"] = sub.project
    if sub.data.get("framework"):
        defaults["framework"] = sub.data["framework"]
    try:
        read = api.load_self_evaluation_data(path, defaults=defaults)
    except api.InputError as exc:
        raise Refused("Excel 文件无法读取：" + describe(exc.findings, name)) from None
    mismatch = _mismatch(sub, read.data, read.cells, read.info_sheet)
    if mismatch:
        raise Refused(f"“{name}”{mismatch}，未导入。")
    return merge_self_evaluation(sub.data, read.data)


def _mismatch(sub: Submission, data: dict[str, Any], cells: dict[str, str], sheet: str) -> str:
    def where(key: str) -> str:
        return f"工作表“{sheet}”单元格 {cells[key]} " if key in cells else ""

    if str(data.get("year")) != str(sub.year):
        return f"{where('year')}的年度 {data.get('year')} 与本申报的年度 {sub.year} 不符"
    names = {sub.department.name, str(sub.data.get("department") or sub.department.name)}
    if str(data.get("department")) not in names:
        return f"{where('department')}的部门“{data.get('department')}”不是本申报的部门“{sub.department.name}”"
    if str(data.get("project") or "") != sub.project:
        given = data.get("project") or ""
        return f"{where('project')}的项目“{given}”不是本申报的项目“{sub.project or '（无）'}”"
    framework = str(sub.data.get("framework") or "")
    if framework and str(data.get("framework")) != framework:
        return f"{where('framework')}的指标体系“{data.get('framework')}”与本申报的“{framework}”不符"
    return ""


def merge_self_evaluation(old: dict[str, Any], read: dict[str, Any]) -> dict[str, Any]:
    """``old`` with what the workbook carries put in: each indicator's values (a cell left
    blank removes its value), the figures, the fields of 填报信息; indicators and keys the
    workbook does not carry are kept."""
    new = copy.deepcopy(old)
    for key in ("department", "year", "framework", "project", "origin"):
        if read.get(key) not in (None, ""):
            new[key] = read[key]
    figures = dict(new.get("figures") or {})
    figures.update(read.get("figures") or {})
    new["figures"] = figures
    entries = [dict(e) for e in new.get("indicators", []) if isinstance(e, dict)]
    by_path = {str(e.get("path")): e for e in entries}
    for got in read.get("indicators", []):
        entry = by_path.get(str(got["path"]))
        if entry is None:
            entry = {"path": got["path"]}
            entries.append(entry)
            by_path[entry["path"]] = entry
        for key in CARRIED:
            if got.get(key) not in (None, ""):
                entry[key] = got[key]
            else:
                entry.pop(key, None)
    new["indicators"] = entries
    return new
