"""The 管理员's pages: organisations and users within the admin's own bureau tree only."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from jixiao.web.models import Member, Organisation


def _logs_in(client: Any, username: str, password: str) -> bool:
    client.logout()
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def _messages(response: Any) -> str:
    return "".join(m.message for m in response.context["messages"])


@pytest.mark.parametrize("user", ["officer", "head", "reviewer", "outside_reviewer"])
def test_only_an_admin_reaches_the_pages(world: Any, login: Any, user: str) -> None:
    client = login(user)
    assert client.get(reverse("manage")).status_code == 404
    assert client.post(reverse("manage_org"), {"name": "x", "kind": "department"}).status_code == 404
    member = Member.objects.get(user=world.users["officer"])
    assert (
        client.post(reverse("manage_user", kwargs={"pk": member.pk}), {"action": "disable"}).status_code
        == 404
    )


def test_the_tree_shows_the_admins_subtree_with_its_users(world: Any, login: Any) -> None:
    page = login("admin").get(reverse("manage")).content.decode()
    for name in ("某省财政厅", "某市财政局", "某县财政局", "甲部门", "丙部门", "officer", "填报人"):
        assert name in page
    assert "乙部门" not in page
    assert "outsider" not in page


def test_an_admin_creates_a_department_and_its_user_who_can_log_in(
    world: Any, login: Any, client: Any
) -> None:
    admin = login("admin")
    response = admin.post(
        reverse("manage_org"),
        {"name": "丁部门", "kind": "department", "parent": world.county.pk},
        follow=True,
    )
    assert "已新建预算部门“丁部门”" in _messages(response)
    dept = Organisation.objects.get(name="丁部门")
    assert dept.path == f"{world.county.path}{dept.pk}/"
    response = admin.post(
        reverse("manage_users"),
        {
            "username": "ding",
            "first_name": "丁填报",
            "password": "a-long-pass-1234",
            "organisation": dept.pk,
            "role": "filler",
        },
        follow=True,
    )
    assert "已新建用户“ding”" in _messages(response)
    assert _logs_in(client, "ding", "a-long-pass-1234")
    assert client.get(reverse("submissions")).status_code == 200


def test_wrong_input_is_refused_in_chinese(world: Any, login: Any) -> None:
    admin = login("admin")
    cases = [
        (
            reverse("manage_org"),
            {"name": "某乡", "kind": "city", "parent": world.county.pk},
            "层级应低于上级",
        ),
        (
            reverse("manage_org"),
            {"name": "甲部门", "kind": "department", "parent": world.city.pk},
            "已有名为",
        ),
        # a parent outside the admin's tree is not a choice
        (
            reverse("manage_org"),
            {"name": "戊", "kind": "department", "parent": world.other_bureau.pk},
            "上级单位",
        ),
        (
            reverse("manage_users"),
            {
                "username": "x1",
                "first_name": "x",
                "password": "a-long-pass-1234",
                "organisation": world.dept.pk,
                "role": "reviewer",
            },
            "角色只能是填报人、部门负责人",
        ),
        (
            reverse("manage_users"),
            {
                "username": "x2",
                "first_name": "x",
                "password": "123",
                "organisation": world.dept.pk,
                "role": "filler",
            },
            "初始密码",
        ),
        (
            reverse("manage_users"),
            {
                "username": "officer",
                "first_name": "x",
                "password": "a-long-pass-1234",
                "organisation": world.dept.pk,
                "role": "filler",
            },
            "已被使用",
        ),
    ]
    for url, form, expected in cases:
        text = _messages(admin.post(url, form, follow=True))
        assert expected in text, (form, text)
    assert not Organisation.objects.filter(name__in=["某乡", "戊"]).exists()
    assert not get_user_model().objects.filter(username__in=["x1", "x2"]).exists()


def test_role_password_and_disabling(world: Any, login: Any, client: Any) -> None:
    admin = login("admin")
    member = Member.objects.get(user=world.users["officer"])
    url = reverse("manage_user", kwargs={"pk": member.pk})
    admin.post(url, {"action": "role", "role": "head"})
    member.refresh_from_db()
    assert member.role == "head"
    assert "只能是" in _messages(admin.post(url, {"action": "role", "role": "reviewer"}, follow=True))
    admin.post(url, {"action": "password", "password": "another-pass-5678"})
    admin.post(url, {"action": "disable"})
    assert not _logs_in(client, "officer", "another-pass-5678")
    login("admin").post(url, {"action": "enable"})
    assert _logs_in(client, "officer", "another-pass-5678")
    # another bureau's user: 404
    other = Member.objects.get(user=world.users["outsider"])
    response = login("admin").post(reverse("manage_user", kwargs={"pk": other.pk}), {"action": "disable"})
    assert response.status_code == 404
    own = Member.objects.get(user=world.users["admin"])
    text = _messages(
        login("admin").post(reverse("manage_user", kwargs={"pk": own.pk}), {"action": "disable"}, follow=True)
    )
    assert "不能停用自己" in text
