"""Importing many workbooks at once (several files or a zip of them), run as a background
job: each self-evaluation table (自评表.xlsx) or final-accounts workbook (部门决算) becomes or
updates the submission of its department, year and project. Every file gets its own result;
one bad file does not stop the others, and a submission already submitted or approved is
never overwritten.

A department's staff import into their own department; a 管理员 imports for the
departments under the bureau, found by the name the workbook gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jixiao import api
from jixiao.web import excel, workflow
from jixiao.web.access import organisations
from jixiao.web.models import Change, Member, Organisation, Submission

#: the most files one import takes (a zip's members included)
MAX_FILES = 300


class Skipped(Exception):
    """A file that is not imported; the message (Chinese) says why."""


def can_import(member: Member) -> bool:
    return member.role in (Member.Role.FILLER, Member.Role.HEAD, Member.Role.ADMIN)


def import_file(path: Path, name: str, member: Member, user: Any) -> dict[str, Any]:
    """Import one workbook; the result names the file, says what was done, and links the
    submission."""
    try:
        sub, created = _import(path, name, member, user)
    except Skipped as exc:
        return {"name": name, "ok": False, "message": str(exc), "submission": None}
    except workflow.Refused as exc:
        return {"name": name, "ok": False, "message": str(exc), "submission": None}
    what = "已新建" if created else "已更新"
    return {"name": name, "ok": True, "message": f"{what}：{sub}", "submission": sub.pk}


def _import(path: Path, name: str, member: Member, user: Any) -> tuple[Submission, bool]:
    own = None if member.is_bureau else member.organisation
    if api.is_self_evaluation_workbook(path):
        defaults: dict[str, object] = {"department": own.name} if own is not None else {}
        try:
            read = api.load_self_evaluation_data(path, defaults=defaults)
        except api.InputError as exc:
            raise Skipped("无法读取：" + excel.describe(exc.findings, "")) from None
        data = excel.merge_self_evaluation({}, read.data)
        project = str(data.get("project") or "")
        kind = Submission.Kind.PROJECT if project else Submission.Kind.DEPARTMENT
        where = f"工作表“{read.info_sheet}”单元格 {read.cells.get('department', '')}"
    else:
        try:
            loaded = api.load_accounts(path)
        except api.InputError as exc:
            raise Skipped(
                "既不是自评表（缺少“填报信息”工作表），也无法按部门决算读取："
                + excel.describe(exc.findings, "", limit=3)
            ) from None
        data = api.accounts_data(loaded.accounts)
        project, kind, where = "", Submission.Kind.ACCOUNTS, "工作簿"
    department = _department(member, str(data.get("department") or ""), where)
    try:
        year = int(str(data.get("year")))
    except ValueError:
        raise Skipped(f"年度“{data.get('year')}”无法识别。") from None
    existing = Submission.objects.filter(department=department, year=year, kind=kind, project=project).first()
    if existing is None:
        sub = workflow.create(department, year, kind, data, project=project)
        Change.objects.create(submission=sub, user=user, field="导入", new=name)
        return sub, True
    if existing.state not in (Submission.State.DRAFT, Submission.State.RETURNED):
        raise Skipped(f"{existing}当前为“{existing.get_state_display()}”，不能覆盖，未导入。")
    if kind == Submission.Kind.ACCOUNTS:
        merged = {**existing.data, **data}
    else:
        merged = excel.merge_self_evaluation(existing.data, data)
    workflow.save_data(existing, user, merged, existing.version)
    return existing, False


def _department(member: Member, name: str, where: str) -> Organisation:
    if not member.is_bureau:
        own = member.organisation
        if name and name != own.name:
            raise Skipped(f"{where}的部门“{name}”不是本部门“{own.name}”，未导入。")
        return own
    if not name:
        raise Skipped(f"{where}未填写部门名称。")
    found = organisations(member).filter(kind=Organisation.Kind.DEPARTMENT, name=name).first()
    if found is None:
        raise Skipped(f"找不到部门“{name}”（须为{member.organisation.name}所辖的预算部门）。")
    return found
