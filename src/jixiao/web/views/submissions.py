"""A department's pages: its submissions, the editing grid, explanations, submitting,
comments and Excel."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jixiao.web import excel as excel_io
from jixiao.web import grid, tasks, uploads, workflow
from jixiao.web.access import (
    _get_submission_for_user,
    can_edit,
    can_review,
    can_submit,
    member_of,
    submissions,
    user_of,
)
from jixiao.web.models import HEAVY, Comment, Submission
from jixiao.web.templatetags.web_tags import HISTORY_FIELDS


@login_required
def index(request: HttpRequest) -> HttpResponse:
    member = member_of(request)
    if member.is_bureau:
        return redirect("review")
    subs = list(submissions(member).defer(*HEAVY).order_by("-year", "kind", "project"))
    if any(s.stale for s in subs):
        tasks.schedule_rederive()
    return render(request, "web/submissions.html", {"subs": subs})


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def _page(
    request: HttpRequest,
    sub: Submission,
    *,
    data: dict[str, Any] | None = None,
    derived: workflow.DerivedResult | None = None,
) -> dict[str, Any]:
    member = member_of(request)
    data = sub.data if data is None else data
    if derived is None:
        derived = workflow.stored(sub) if data is sub.data else workflow.derive(sub.kind, data)
    comments = list(sub.comments.select_related("author"))
    ctx: dict[str, Any] = {
        "sub": sub,
        "editable": can_edit(member, sub),
        "can_submit": can_submit(member, sub),
        "reviewer": can_review(member, sub),
        "findings": derived.findings,
        "explanations": sub.explanations,
        "comments": comments,
        "history": sub.changes.values_list(*HISTORY_FIELDS)[:200],
        "since_return": workflow.changes_since_return(sub) if sub.returned_at else [],
        "jobs": sub.jobs.all()[:5],
    }
    if sub.kind == Submission.Kind.ACCOUNTS:
        ctx["sections"] = grid.accounts_sections(data)
        where = grid.attach_comments(ctx["sections"], comments)
        for c in comments:  # a cell comment names its table, row and column
            c.where = where.get(c.target, c.target)
        ctx["generated"] = derived.explanation
        ctx["own_text"] = data.get(workflow.ACCOUNTS_TEXT, "")
    else:
        for c in comments:
            c.where = c.target
        ctx["rows"] = grid.indicator_rows(derived.evaluation, data)
        ctx["figures"] = grid.figure_rows(data)
        ctx["result"] = derived
        ctx["evaluation"] = derived.evaluation or {}
    return ctx


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _get_submission_for_user(request, pk)
    return render(request, "web/submission.html", _page(request, sub))


def _form_data(sub: Submission, request: HttpRequest) -> dict[str, Any]:
    if sub.kind == Submission.Kind.ACCOUNTS:
        return grid.accounts_from_form(sub.data, request.POST)
    return grid.indicators_from_form(sub.data, request.POST)


@login_required
@require_POST
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The scores, totals, grade and Findings of what is typed now (nothing is saved)."""
    sub = _get_submission_for_user(request, pk)
    if not can_edit(member_of(request), sub):
        return HttpResponseBadRequest("这份申报当前不能修改。")
    data = _form_data(sub, request)
    derived = workflow.derive(sub.kind, data)
    # what the result's templates show: no comments, history or jobs (read on every keystroke)
    ctx: dict[str, Any] = {
        "sub": sub,
        "editable": True,
        "findings": derived.findings,
        "explanations": sub.explanations,
    }
    if sub.kind == Submission.Kind.ACCOUNTS:
        ctx["generated"] = derived.explanation
    else:
        ctx["rows"] = grid.indicator_rows(derived.evaluation, data)
        ctx["result"] = derived
        ctx["evaluation"] = derived.evaluation or {}
    template = "web/_accounts_result.html" if sub.kind == Submission.Kind.ACCOUNTS else "web/_result.html"
    return render(request, template, ctx)


@login_required
@require_POST
def save(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _get_submission_for_user(request, pk)
    if not can_edit(member_of(request), sub):
        messages.error(request, "这份申报当前不能修改。")
        return redirect("submission", pk=sub.pk)
    try:
        workflow.save_data(sub, user_of(request), _form_data(sub, request), _version(request))
    except workflow.Refused as exc:
        messages.error(request, str(exc))
        ctx = _page(request, sub, data=_form_data(sub, request))
        ctx["stale"] = True
        return render(request, "web/submission.html", ctx, status=409)
    messages.success(request, "已保存。")
    return redirect("submission", pk=sub.pk)


@login_required
@require_POST
def explain(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _get_submission_for_user(request, pk)
    if not can_edit(member_of(request), sub):
        messages.error(request, "这份申报当前不能修改。")
        return redirect("submission", pk=sub.pk)
    given = {k[2:]: v for k, v in request.POST.items() if k.startswith("x:") and isinstance(v, str)}
    try:
        workflow.save_explanations(sub, user_of(request), given, _version(request))
        messages.success(request, "出错说明已保存。")
    except workflow.Refused as exc:
        messages.error(request, str(exc))
    return redirect("submission", pk=sub.pk)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _get_submission_for_user(request, pk)
    if not can_submit(member_of(request), sub):
        messages.error(request, "您不能提交这份申报。")
        return redirect("submission", pk=sub.pk)
    try:
        workflow.move(sub, user_of(request), "submit")
        messages.success(request, "已提交财政部门审核。")
    except workflow.Refused as exc:
        messages.error(request, str(exc))
    return redirect("submission", pk=sub.pk)


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _get_submission_for_user(request, pk)
    text = request.POST.get("text", "").strip()
    target = request.POST.get("target", "").strip()
    if not text:
        messages.error(request, "意见不能为空。")
    elif target and target not in _targets(sub):
        messages.error(request, "意见针对的指标或单元格不存在，请重新选择。")
    else:
        Comment.objects.create(submission=sub, author=user_of(request), text=text[:5000], target=target)
        messages.success(request, "意见已添加。")
    return redirect("submission", pk=sub.pk)


def _targets(sub: Submission) -> set[str]:
    """What a comment may be on: an indicator of the table, or a cell or a table of the
    final accounts."""
    if sub.kind == Submission.Kind.ACCOUNTS:
        sections = grid.accounts_sections(sub.data)
        return {c["target"] for c in grid.accounts_cells(sections)} | {str(s["title"]) for s in sections}
    rows = grid.indicator_rows(workflow.stored(sub).evaluation, sub.data)
    return {str(r["path"]) for r in rows if r["leaf"]}


@login_required
def excel(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The submission as the Excel workbook the CLI writes: the self-evaluation table
    (``jixiao template --framework``) or the nine final-accounts tables."""
    sub = _get_submission_for_user(request, pk)
    try:
        path = excel_io.workbook(sub)
    except workflow.Refused as exc:
        messages.error(request, str(exc))
        return redirect("submission", pk=sub.pk)
    return FileResponse(path.open("rb"), as_attachment=True, filename=excel_io.file_name(sub))


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill the submission from an uploaded Excel workbook (the same templates). A file that
    cannot be used changes nothing; its message names the sheet and the cell."""
    sub = _get_submission_for_user(request, pk)
    if not can_edit(member_of(request), sub):
        messages.error(request, "这份申报当前不能导入。")
        return redirect("submission", pk=sub.pk)
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, "请选择要上传的 Excel 文件。")
        return redirect("submission", pk=sub.pk)
    name = Path(file.name or "").name
    folder = Path(tempfile.mkdtemp(prefix="jixiao-upload-"))
    try:
        path = uploads.accept(file, (".xlsx",), folder / "upload")
        data = excel_io.data_from_upload(sub, path, name)
        workflow.save_data(sub, user_of(request), data, _version(request))
    except (uploads.Rejected, workflow.Refused) as exc:
        messages.error(request, str(exc))
        return redirect("submission", pk=sub.pk)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    messages.success(request, f"已从“{name}”导入。")
    return redirect("submission", pk=sub.pk)
