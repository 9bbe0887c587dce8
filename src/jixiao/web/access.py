"""Who sees what. Every view fetches its objects through these helpers, so another
organisation's id is a 404 (never a 403 that would confirm it exists)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from jixiao.web.models import Job, Member, Organisation, Submission


def member_of(request: HttpRequest) -> Member:
    """The signed-in user's membership; a user with none sees nothing (404)."""
    user = request.user
    member: Member | None = getattr(user, "member", None) if user.is_authenticated else None
    if member is None:
        raise Http404("没有所属单位")
    return member


def user_of(request: HttpRequest) -> User:
    """The signed-in user (the views that call this require a log-in)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404("未登录")
    return user


def organisations(member: Member) -> QuerySet[Organisation]:
    """The organisations a member may see: a department its own; a bureau itself and
    everything under it, sub-bureaus included."""
    org = member.organisation
    if member.is_bureau:
        return Organisation.objects.filter(path__startswith=org.path)
    return Organisation.objects.filter(pk=org.pk)


def submissions(member: Member) -> QuerySet[Submission]:
    org = member.organisation
    qs = Submission.objects.select_related("department")
    if member.is_bureau:
        return qs.filter(department__path__startswith=org.path)
    return qs.filter(department=org)


def jobs(member: Member) -> QuerySet[Job]:
    org = member.organisation
    if member.is_bureau:
        return Job.objects.filter(organisation__path__startswith=org.path)
    return Job.objects.filter(organisation=org)


def _get_submission_for_user(request: HttpRequest, pk: int) -> Submission:
    return get_object_or_404(submissions(member_of(request)), pk=pk)


def _get_department_for_user(request: HttpRequest, pk: int) -> Organisation:
    qs = organisations(member_of(request)).filter(kind=Organisation.Kind.DEPARTMENT)
    return get_object_or_404(qs, pk=pk)


def _get_job_for_user(request: HttpRequest, pk: int) -> Job:
    return get_object_or_404(jobs(member_of(request)).select_related("submission"), pk=pk)


def can_edit(member: Member, sub: Submission) -> bool:
    """Department staff edit a draft or a returned submission of their own department."""
    return (
        not member.is_bureau
        and sub.department_id == member.organisation_id
        and sub.state in (Submission.State.DRAFT, Submission.State.RETURNED)
    )


def can_submit(member: Member, sub: Submission) -> bool:
    return can_edit(member, sub) and member.role in (Member.Role.FILLER, Member.Role.HEAD)


def can_review(member: Member, sub: Submission) -> bool:
    return member.is_bureau and sub.department.path.startswith(member.organisation.path)
