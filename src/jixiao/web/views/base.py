"""Shared pieces of the views: the template context, the home page, error pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader

from jixiao.web.access import member_of


def context(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    member = getattr(user, "member", None) if user is not None and user.is_authenticated else None
    return {"member": member}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    member = member_of(request)
    return redirect("review" if member.is_bureau else "submissions")


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # no request context: the database may be what failed
    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403.html", {"csrf": True}, status=403)
