"""The finance bureau's pages: every submission under it, bulk approve/return, one
department's years side by side, charts and the Excel export of the list."""

from __future__ import annotations

import tempfile
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jixiao.web import stamp, tasks, workflow
from jixiao.web.access import (
    _get_department_for_user,
    _get_submission_for_user,
    member_of,
    submissions,
    user_of,
)
from jixiao.web.models import HEAVY, Member, Submission

SORTS = {
    "department": ("department__name", "year", "kind", "project"),
    "year": ("-year", "department__name", "kind", "project"),
    "total": ("-total", "department__name"),
    "errors": ("-errors", "-warnings", "department__name"),
    "state": ("state", "department__name"),
    "updated": ("-updated_at",),
}


def _bureau(request: HttpRequest) -> Member:
    member = member_of(request)
    if not member.is_bureau:
        raise Http404("仅财政部门可见")
    return member


def _filtered(request: HttpRequest, member: Member) -> tuple[QuerySet[Submission], dict[str, str]]:
    g = request.GET
    f = {k: g.get(k, "").strip() for k in ("state", "year", "kind", "q", "sort", "errors")}
    qs = submissions(member)
    if f["state"] in Submission.State.values:
        qs = qs.filter(state=f["state"])
    if f["kind"] in Submission.Kind.values:
        qs = qs.filter(kind=f["kind"])
    if f["year"].isdigit():
        qs = qs.filter(year=int(f["year"]))
    if f["errors"] == "1":  # a stale row may have errors now: listed, marked 待重算
        qs = qs.filter(Q(errors__gt=0) | ~Q(derived_by=stamp.current()))
    if f["q"]:
        qs = qs.filter(Q(department__name__icontains=f["q"][:100]) | Q(project__icontains=f["q"][:100]))
    qs = qs.order_by(*SORTS.get(f["sort"], SORTS["department"]))
    return qs, f


@login_required
def index(request: HttpRequest) -> HttpResponse:
    member = _bureau(request)
    qs, f = _filtered(request, member)
    page = Paginator(qs.defer(*HEAVY), 50).get_page(request.GET.get("page"))
    page.object_list = _checked(list(page.object_list))
    years = submissions(member).values_list("year", flat=True).distinct().order_by("-year")
    query = "&".join(f"{k}={v}" for k, v in f.items() if v)
    return render(
        request,
        "web/review.html",
        {
            "page": page,
            "f": f,
            "years": years,
            "states": Submission.State.choices,
            "kinds": Submission.Kind.choices,
            "query": query,
        },
    )


def _checked(rows: list[Submission]) -> list[Submission]:
    """A list shows a stale row as 待重算 (never its old numbers) and has the background
    job derive it again."""
    if any(s.stale for s in rows):
        tasks.schedule_rederive()
    return rows


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Approve, return or publish many at once; each one that cannot be moved is named."""
    member = _bureau(request)
    action = request.POST.get("action", "")
    if action not in ("approve", "return", "publish"):
        messages.error(request, "未知的操作。")
        return redirect("review")
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()][:1000]
    chosen = list(submissions(member).filter(pk__in=ids))
    if not chosen:
        messages.error(request, "请先勾选申报。")
        return redirect("review")
    done, refused = 0, []
    for sub in chosen:
        try:
            workflow.move(sub, user_of(request), action, comment=request.POST.get("comment", ""))
            done += 1
        except workflow.Refused as exc:
            refused.append(str(exc))
    if done:
        messages.success(request, f"已处理 {done} 份。")
    for text in refused[:20]:
        messages.error(request, text)
    back = str(request.POST.get("next", ""))
    return redirect(back if back.startswith("/review") else "review")


@login_required
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve, return (with a comment), reopen or publish one submission."""
    member = _bureau(request)
    sub = _get_submission_for_user(request, pk)
    action = request.POST.get("action", "")
    if action not in ("approve", "return", "reopen", "publish"):
        messages.error(request, "未知的操作。")
        return redirect("submission", pk=sub.pk)
    assert member.is_bureau
    try:
        workflow.move(sub, user_of(request), action, comment=request.POST.get("comment", ""))
        messages.success(request, f"已{workflow._LABEL[action]}。")
    except workflow.Refused as exc:
        messages.error(request, str(exc))
    return redirect("submission", pk=sub.pk)


@login_required
def department(request: HttpRequest, pk: int) -> HttpResponse:
    """One department's years side by side: totals, grades and each level-1 indicator."""
    member = member_of(request)
    dept = _get_department_for_user(request, pk)
    subs = list(submissions(member).filter(department=dept).defer(*HEAVY).order_by("kind", "project", "year"))
    years = sorted({s.year for s in subs})
    table: dict[str, dict[int, Submission]] = {}
    for s in subs:
        label = s.get_kind_display() + (f"·{s.project}" if s.project else "")
        table.setdefault(label, {})[s.year] = s
    _checked(subs)
    rows = [{"label": k, "cells": [v.get(y) for y in years]} for k, v in table.items()]
    return render(request, "web/department.html", {"dept": dept, "years": years, "rows": rows})


@login_required
def charts(request: HttpRequest) -> HttpResponse:
    member = _bureau(request)
    qs, _ = _filtered(request, member)
    pending = qs.exclude(derived_by=stamp.current()).count()
    if pending:
        tasks.schedule_rederive()
    return render(request, "web/charts.html", {"query": request.GET.urlencode(), "pending": pending})


@login_required
def chart_data(request: HttpRequest) -> JsonResponse:
    """Score distribution and ranking of the filtered list (scored submissions only; a
    stale one is left out until it is derived again, and counted as ``pending``)."""
    member = _bureau(request)
    qs, _ = _filtered(request, member)
    current = stamp.current()
    rows = qs.values_list("department__name", "project", "year", "total", "derived_by")[:5000]
    scored, pending = [], 0
    for d, p, y, t, by in rows:
        if by != current:
            pending += 1
        elif t is not None:
            scored.append((d, p, y, t))
    bands = [
        ("<60", Decimal(0), Decimal(60)),
        ("60–70", Decimal(60), Decimal(70)),
        ("70–80", Decimal(70), Decimal(80)),
        ("80–90", Decimal(80), Decimal(90)),
        ("≥90", Decimal(90), Decimal(10_000)),
    ]
    counts: Counter[str] = Counter()
    for *_, total in scored:
        if total is None:
            continue
        for label, low, high in bands:
            if low <= total < high:
                counts[label] += 1
    ranking = sorted(scored, key=lambda r: r[3] or Decimal(0), reverse=True)[:30]
    return JsonResponse(
        {
            "bands": [b[0] for b in bands],
            "counts": [counts[b[0]] for b in bands],
            "ranking": [
                {"name": f"{d}·{p}" if p else d, "year": y, "total": str(t)} for d, p, y, t in ranking
            ],
            "pending": pending,
        }
    )


#: what a list, the export and the charts show for a stale submission's results
PENDING = "待重算"


def _cell(value: Any) -> str:
    """Every cell is written as text; a leading =, +, - or @ is escaped so that no
    spreadsheet program reads it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
def export(request: HttpRequest) -> HttpResponseBase:
    from openpyxl import Workbook

    member = _bureau(request)
    qs, _ = _filtered(request, member)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "申报列表"
    ws.append(["部门", "年度", "类别", "项目", "状态", "总分", "等级", "错误", "警告"])
    pending = 0
    for s in qs.defer(*HEAVY).iterator():
        # a stale row's numbers are an older version's: written as 待重算, never as numbers
        derived = (PENDING, "", "", "") if s.stale else (s.total, s.grade, s.errors, s.warnings)
        pending += s.stale
        ws.append(
            [
                _cell(v)
                for v in (
                    s.department.name,
                    s.year,
                    s.get_kind_display(),
                    s.project,
                    s.get_state_display(),
                    *derived,
                )
            ]
        )
    if pending:
        tasks.schedule_rederive()
    for row in ws.iter_rows():
        for c in row:
            c.data_type = "s"
    path = Path(tempfile.mkdtemp()) / "list.xlsx"
    wb.save(path)
    return FileResponse(path.open("rb"), as_attachment=True, filename="申报列表.xlsx")
