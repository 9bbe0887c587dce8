"""The web tests: Django configured from the environment like the product, on a temporary
data folder; JIXIAO_TEST_DATABASE_URL selects PostgreSQL (SQLite otherwise).

Named users as in the product's roles: ``officer`` (填报人) and ``head`` (部门负责人) of
department A, ``reviewer`` of the city bureau over A, ``county_reviewer`` of a county bureau
under that city, ``outsider`` (填报人 of department B under another bureau) and
``outside_reviewer`` of that other bureau."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from typing import Any

import pytest

os.environ["JIXIAO_DATA_DIR"] = tempfile.mkdtemp(prefix="jixiao-test-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
# the live server's thread must not keep its connection (PostgreSQL refuses to drop the test
# database while one is open)
os.environ["JIXIAO_DB_CONN_MAX_AGE"] = "0"
if os.environ.get("JIXIAO_TEST_DATABASE_URL"):
    os.environ["JIXIAO_DATABASE_URL"] = os.environ["JIXIAO_TEST_DATABASE_URL"]
else:
    os.environ.pop("JIXIAO_DATABASE_URL", None)

import django

django.setup()  # the test modules import the models at collection

PASSWORD = "pw-for-tests-9"

DRAFT: dict[str, Any] = {
    "department": "甲部门",
    "year": 2025,
    "framework": "national-2020-project",
    "project": "科普工作经费",
    "figures": {"budget_total": "30", "spent": "26.6"},
    "indicators": [
        {"path": "产出指标/数量指标/培训人次", "weight": "25", "target": "≥1000人次", "actual": "1200人次"},
        {"path": "产出指标/成本指标/人均成本", "weight": "25", "target": "≤200元", "actual": "180元"},
        {
            "path": "效益指标/社会效益指标/群众知晓度",
            "weight": "30",
            "rule": "qualitative",
            "tier": "achieved",
            "score": "27",
        },
        {"path": "满意度指标/服务对象满意度指标/满意度", "weight": "10", "target": "≥90%", "actual": "96%"},
    ],
}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    """Jobs run inside the request in tests (a worker process runs them in production)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.AXES_ENABLED = True


@dataclass
class World:
    city: Any
    county: Any
    dept: Any
    county_dept: Any
    other_bureau: Any
    other_dept: Any
    sub: Any
    other_sub: Any
    users: dict[str, Any]


@pytest.fixture
def world(db: Any) -> World:
    from django.contrib.auth import get_user_model

    from jixiao.web import workflow
    from jixiao.web.models import Member, Organisation, Submission

    K = Organisation.Kind
    province = Organisation.objects.create(name="某省财政厅", kind=K.PROVINCE)
    city = Organisation.objects.create(name="某市财政局", kind=K.CITY, parent=province)
    county = Organisation.objects.create(name="某县财政局", kind=K.COUNTY, parent=city)
    dept = Organisation.objects.create(name="甲部门", kind=K.DEPARTMENT, parent=city)
    county_dept = Organisation.objects.create(name="丙部门", kind=K.DEPARTMENT, parent=county)
    other_bureau = Organisation.objects.create(name="另一市财政局", kind=K.CITY)
    other_dept = Organisation.objects.create(name="乙部门", kind=K.DEPARTMENT, parent=other_bureau)
    for o in (province, city, county, dept, county_dept, other_bureau, other_dept):
        o.refresh_from_db()
    sub = workflow.create(dept, 2025, Submission.Kind.PROJECT, DRAFT, project="科普工作经费")
    other_sub = workflow.create(
        other_dept, 2025, Submission.Kind.PROJECT, {**DRAFT, "department": "乙部门"}, project="科普工作经费"
    )
    User = get_user_model()
    users = {}
    for name, org, role in [
        ("officer", dept, Member.Role.FILLER),
        ("head", dept, Member.Role.HEAD),
        ("reviewer", city, Member.Role.REVIEWER),
        ("county_reviewer", county, Member.Role.REVIEWER),
        ("admin", province, Member.Role.ADMIN),
        ("outsider", other_dept, Member.Role.FILLER),
        ("outside_reviewer", other_bureau, Member.Role.REVIEWER),
    ]:
        user = User.objects.create_user(name, password=PASSWORD, first_name=name)
        Member.objects.create(user=user, organisation=org, role=role)
        users[name] = user
    return World(city, county, dept, county_dept, other_bureau, other_dept, sub, other_sub, users)


@pytest.fixture
def login(client: Any, world: World) -> Any:
    def as_user(name: str) -> Any:
        client.force_login(world.users[name], backend="jixiao.web.auth.MemberBackend")
        return client

    return as_user
