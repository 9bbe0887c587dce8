"""Background jobs seen from the page: documents of a submission, audits of published
reports, their progress and their files."""

from __future__ import annotations

import re
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from jixiao.web import imports as import_rules
from jixiao.web import tasks, uploads
from jixiao.web.access import _get_job_for_user, _get_submission_for_user, jobs, member_of, user_of
from jixiao.web.models import Job

AUDIT_TYPES = (".pdf", ".docx", ".xlsx", ".txt", ".md")


@login_required
@require_POST
def render_documents(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _get_submission_for_user(request, pk)
    job = Job.objects.create(
        kind=Job.Kind.RENDER, organisation=sub.department, submission=sub, user=user_of(request)
    )
    tasks.render_job.enqueue(job.pk)
    return redirect("job", pk=job.pk)


@login_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    j = _get_job_for_user(request, pk)
    template = "web/_job.html" if request.headers.get("HX-Request") else "web/job.html"
    return render(request, template, {"job": j})


_SAFE = re.compile(r"^[\w\u4e00-\u9fff（）()·\-. /]+$")


@login_required
def job_file(request: HttpRequest, pk: int, name: str) -> HttpResponseBase:
    j = _get_job_for_user(request, pk)
    if name not in j.files or not _SAFE.match(name) or ".." in name:
        raise Http404
    base = tasks.job_dir(j) / ("out" if j.kind == Job.Kind.RENDER else "")
    path = (base / name).resolve()
    if not path.is_file() or base.resolve() not in path.parents:
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=Path(name).name)


@login_required
def audits(request: HttpRequest) -> HttpResponse:
    member = member_of(request)
    history = jobs(member).filter(kind=Job.Kind.AUDIT).select_related("user")[:100]
    return render(request, "web/audits.html", {"history": history, "types": "、".join(AUDIT_TYPES)})


@login_required
@require_POST
def audit_upload(request: HttpRequest) -> HttpResponse:
    member = member_of(request)
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, "请选择要审核的文件。")
        return redirect("audits")
    j = Job.objects.create(
        kind=Job.Kind.AUDIT,
        organisation=member.organisation,
        user=user_of(request),
        source_name=(file.name or "")[:255],
    )
    try:
        uploads.accept(file, AUDIT_TYPES, tasks.job_dir(j) / "upload")
    except uploads.Rejected as exc:
        j.delete()
        messages.error(request, str(exc))
        return redirect("audits")
    tasks.audit_job.enqueue(j.pk)
    return redirect("job", pk=j.pk)


@login_required
@xframe_options_sameorigin
@csp_replace({"style-src": [SELF, UNSAFE_INLINE], "script-src": [NONE], "frame-ancestors": [SELF]})  # type: ignore[arg-type]
def audit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The audited text with each finding marked (shown in a frame of the job page)."""
    j = _get_job_for_user(request, pk)
    path = tasks.job_dir(j) / "audit.html"
    if j.kind != Job.Kind.AUDIT or not path.is_file():
        raise Http404
    return HttpResponse(path.read_text(encoding="utf-8"), content_type="text/html; charset=utf-8")


@login_required
def imports(request: HttpRequest) -> HttpResponse:
    member = member_of(request)
    history = jobs(member).filter(kind=Job.Kind.IMPORT).select_related("user")[:50]
    return render(
        request,
        "web/imports.html",
        {"history": history, "allowed": import_rules.can_import(member), "max_files": import_rules.MAX_FILES},
    )


@login_required
@require_POST
def import_upload(request: HttpRequest) -> HttpResponse:
    """Several workbooks or a zip of them, stored with a new job that imports them."""
    member = member_of(request)
    if not import_rules.can_import(member):
        raise Http404("无导入权限")
    files = request.FILES.getlist("files")
    if not files:
        messages.error(request, "请选择要导入的 Excel 工作簿或 zip 压缩包。")
        return redirect("imports")
    if len(files) > import_rules.MAX_FILES:
        messages.error(request, f"一次最多导入 {import_rules.MAX_FILES} 个文件，请分批导入。")
        return redirect("imports")
    names = "、".join(Path(f.name or "").name for f in files[:3]) + ("等" if len(files) > 3 else "")
    j = Job.objects.create(
        kind=Job.Kind.IMPORT, organisation=member.organisation, user=user_of(request), source_name=names[:255]
    )
    uploaded = []
    try:
        for i, f in enumerate(files):
            stored = uploads.accept(f, (".xlsx", ".zip"), tasks.job_dir(j) / "in" / f"{i:04d}")
            uploaded.append((Path(f.name or "").name, str(stored.relative_to(tasks.job_dir(j)))))
    except uploads.Rejected as exc:
        j.delete()
        messages.error(request, f"“{Path(f.name or '').name}”：{exc}未导入任何文件。")
        return redirect("imports")
    Job.objects.filter(pk=j.pk).update(result={"uploaded": uploaded})
    tasks.import_job.enqueue(j.pk)
    return redirect("job", pk=j.pk)
