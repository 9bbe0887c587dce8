"""The 管理员's pages: the organisation tree under the admin's own bureau (new bureaus and
departments), and its users with their roles (new users, another role, a new password,
disabling a log-in). Everything outside the admin's subtree is a 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jixiao.web.access import member_of, organisations
from jixiao.web.models import Member, Organisation

K = Organisation.Kind
R = Member.Role
#: a child sits lower than its parent: province > city > county > department
RANK = {K.PROVINCE: 0, K.CITY: 1, K.COUNTY: 2, K.DEPARTMENT: 3}
BUREAU_ROLES = (R.REVIEWER, R.ADMIN)
DEPARTMENT_ROLES = (R.FILLER, R.HEAD)


def _admin(request: HttpRequest) -> Member:
    member = member_of(request)
    if member.role != R.ADMIN:
        raise Http404("仅管理员可见")
    return member


class OrganisationForm(forms.Form):
    name = forms.CharField(label="名称", max_length=200)
    kind = forms.ChoiceField(label="类别", choices=K.choices)
    parent = forms.ModelChoiceField(label="上级单位", queryset=Organisation.objects.none())

    def __init__(self, *args: Any, scope: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = scope.exclude(kind=K.DEPARTMENT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parent, kind, name = data.get("parent"), data.get("kind"), (data.get("name") or "").strip()
        if parent is not None and kind and RANK[kind] <= RANK[parent.kind]:
            raise ValidationError(
                f"“{parent.get_kind_display()}”之下不能新建“{K(kind).label}”：下级单位的层级应低于上级。"
            )
        if name and Organisation.objects.filter(name=name).exists():
            raise ValidationError(f"已有名为“{name}”的单位（导入的工作簿按名称找部门，名称须唯一）。")
        data["name"] = name
        return data


class UserForm(forms.Form):
    username = forms.RegexField(
        label="用户名",
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": "用户名只能包含字母、数字和 @ . + - _。"},
    )
    first_name = forms.CharField(label="姓名", max_length=150)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, strip=False)
    organisation = forms.ModelChoiceField(label="所属单位", queryset=Organisation.objects.none())
    role = forms.ChoiceField(label="角色", choices=R.choices)

    def __init__(self, *args: Any, scope: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = self.fields["organisation"]
        assert isinstance(org, forms.ModelChoiceField)
        org.queryset = scope

    def clean_username(self) -> str:
        name = str(self.cleaned_data["username"])
        if get_user_model().objects.filter(username=name).exists():
            raise ValidationError(f"用户名“{name}”已被使用。")
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_role(data.get("organisation"), data.get("role"))
        password = data.get("password")
        if password:
            user = get_user_model()(username=data.get("username", ""), first_name=data.get("first_name", ""))
            try:
                validate_password(password, user)
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


def _check_role(org: Organisation | None, role: str | None) -> None:
    if org is None or not role:
        return
    allowed = DEPARTMENT_ROLES if org.kind == K.DEPARTMENT else BUREAU_ROLES
    if role not in allowed:
        names = "、".join(R(r).label for r in allowed)
        raise ValidationError(f"“{org.name}”是{org.get_kind_display()}，其用户的角色只能是{names}。")


def _tree(scope: Any, root: Organisation) -> list[dict[str, Any]]:
    members: dict[int, list[Member]] = {}
    for m in Member.objects.filter(organisation__in=scope).select_related("user").order_by("user__username"):
        members.setdefault(m.organisation_id, []).append(m)
    base = root.path.count("/")
    return [
        {"org": o, "depth": min(o.path.count("/") - base, 4), "members": members.get(o.pk, [])}
        for o in scope.order_by("path")
    ]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    scope = organisations(admin)
    return render(
        request,
        "web/manage.html",
        {
            "tree": _tree(scope, admin.organisation),
            "org_form": OrganisationForm(scope=scope),
            "user_form": UserForm(scope=scope),
            "roles": R.choices,
        },
    )


def _invalid(request: HttpRequest, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for e in errors:
            messages.error(request, f"{label}：{e}" if label else str(e))


@login_required
@require_POST
def create_organisation(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    form = OrganisationForm(request.POST, scope=organisations(admin))
    if not form.is_valid():
        _invalid(request, form)
        return redirect("manage")
    org = Organisation.objects.create(
        name=form.cleaned_data["name"], kind=form.cleaned_data["kind"], parent=form.cleaned_data["parent"]
    )
    messages.success(request, f"已新建{org.get_kind_display()}“{org.name}”。")
    return redirect("manage")


@login_required
@require_POST
def create_user(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    form = UserForm(request.POST, scope=organisations(admin))
    if not form.is_valid():
        _invalid(request, form)
        return redirect("manage")
    d = form.cleaned_data
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            d["username"], password=d["password"], first_name=d["first_name"]
        )
        Member.objects.create(user=user, organisation=d["organisation"], role=d["role"])
    messages.success(
        request, f"已新建用户“{d['username']}”（{d['organisation'].name} · {R(d['role']).label}）。"
    )
    return redirect("manage")


@login_required
@require_POST
def update_user(request: HttpRequest, pk: int) -> HttpResponse:
    """Another role, a new password, or a log-in disabled / enabled again."""
    admin = _admin(request)
    member = get_object_or_404(
        Member.objects.select_related("user", "organisation").filter(organisation__in=organisations(admin)),
        pk=pk,
    )
    user = member.user
    action = request.POST.get("action", "")
    if member.pk == admin.pk and action in ("disable", "role"):
        messages.error(request, "不能停用自己的账户或更改自己的角色。")
        return redirect("manage")
    if action == "role":
        role = request.POST.get("role", "")
        try:
            if role not in R.values:
                raise ValidationError("未知的角色。")
            _check_role(member.organisation, role)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("manage")
        Member.objects.filter(pk=member.pk).update(role=role)
        messages.success(request, f"“{user.get_username()}”的角色已改为{R(role).label}。")
    elif action == "password":
        password = request.POST.get("password", "")
        try:
            validate_password(password, user)
        except ValidationError as exc:
            messages.error(request, "新密码：" + "；".join(exc.messages))
            return redirect("manage")
        user.set_password(password)
        user.save(update_fields=["password"])
        messages.success(request, f"“{user.get_username()}”的密码已重置。")
    elif action in ("disable", "enable"):
        user.is_active = action == "enable"
        user.save(update_fields=["is_active"])
        messages.success(request, f"“{user.get_username()}”已{'启用' if user.is_active else '停用'}。")
    else:
        messages.error(request, "未知的操作。")
    return redirect("manage")
