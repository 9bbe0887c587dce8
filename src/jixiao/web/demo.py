"""`jixiao serve --demo`: the bundled examples as a working system — the finance bureaus,
the departments, their self-evaluations and final accounts, and a user for every role."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from jixiao import api
from jixiao.web import workflow
from jixiao.web.models import Member, Organisation, Submission

PASSWORD = "jixiao-demo"

#: (user name, display name, organisation, role)
USERS = [
    ("tianbao", "王填报", "新乡市科学技术协会", Member.Role.FILLER),
    ("fuzeren", "李负责", "新乡市科学技术协会", Member.Role.HEAD),
    ("shenhe", "赵审核", "新乡市财政局", Member.Role.REVIEWER),
    ("guanli", "钱管理", "河南省财政厅", Member.Role.ADMIN),
    ("xy-tianbao", "孙填报", "襄阳市科学技术协会", Member.Role.FILLER),
    ("xy-shenhe", "周审核", "襄阳市财政局", Member.Role.REVIEWER),
]

#: a draft entered by the department itself (origin: entry): every score computed
DRAFT = {
    "department": "新乡市科学技术协会",
    "project": "科普工作经费",
    "year": 2025,
    "framework": "national-2020-project",
    "figures": {"budget_total": "30", "spent": "26.6"},
    "indicators": [
        {"path": "产出指标/数量指标/培训人次", "weight": "25", "target": "≥1000人次", "actual": "900人次"},
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


#: the 出错说明 the demo department wrote for the errors found in its published tables, by
#: Finding code: the figures were transcribed as published, so each error is explained rather
#: than corrected
EXPLANATIONS = {
    "score-mismatch": "该得分按公开的自评表转录。原表按“分值×完成值”计分，未与指标值相比；"
    "已知悉计分口径，下一年度自评按规则计分。",
    "total-mismatch": "小计按公开的自评表转录，与各项得分之和不一致系原表合计笔误，以各项得分为准。",
    "total-differs": "总分按公开的自评表转录；与复核总分的差异来自上列各项得分的计算口径，已在各项说明。",
    "score-as-percent": "原表得分栏按得分率填写（100%），折算为分数即 100 分。",
}


def explain(sub: Submission) -> dict[str, str]:
    """The department's 出错说明 of each error of ``sub``; an error without one is a gap in
    the demo, refused here rather than shown as an approved submission with an unexplained
    error."""
    out = {}
    for f in sub.findings:
        if f.get("severity") != "error":
            continue
        text = EXPLANATIONS.get(str(f.get("code")))
        if text is None:
            raise ValueError(f"demo: no explanation for error {f.get('code')} of {sub}")
        out[str(f["key"])] = text
    return out


def _example(name: str) -> Path:
    return Path(str(resources.files("jixiao.examples").joinpath(name)))


def _org(name: str, kind: str, parent: Organisation | None) -> Organisation:
    org, _ = Organisation.objects.get_or_create(name=name, defaults={"kind": kind, "parent": parent})
    return org


@transaction.atomic
def load() -> bool:
    """Load the demo once; False when it is there already."""
    if Organisation.objects.filter(name="河南省财政厅").exists():
        return False
    K = Organisation.Kind
    henan = _org("河南省财政厅", K.PROVINCE, None)
    xinxiang = _org("新乡市财政局", K.CITY, henan)
    _org("获嘉县财政局", K.COUNTY, xinxiang)
    xx = _org("新乡市科学技术协会", K.DEPARTMENT, xinxiang)
    hubei = _org("湖北省财政厅", K.PROVINCE, None)
    xiangyang = _org("襄阳市财政局", K.CITY, hubei)
    xy = _org("襄阳市科学技术协会", K.DEPARTMENT, xiangyang)

    def add(dept: Organisation, data: Any, state: str = Submission.State.DRAFT) -> None:
        project = str(data.get("project") or "")
        kind = Submission.Kind.PROJECT if project else Submission.Kind.DEPARTMENT
        sub = workflow.create(dept, int(data["year"]), kind, data, project=project)
        if state != Submission.State.DRAFT:  # submitted: every error explained, as the workflow asks
            sub.explanations = explain(sub)
        sub.state = state
        sub.save(update_fields=["state", "explanations"])

    approved = Submission.State.APPROVED
    add(xx, api.read_data(_example("score-000-xinxiang-2021-department.yaml")), approved)
    add(xx, api.read_data(_example("score-001-xinxiang-2024-department.yaml")))
    batch = api.read_data(_example("score-001-xinxiang-2024-projects.yaml"))
    assert isinstance(batch, dict)
    shared = {k: v for k, v in batch.items() if k not in ("submissions", "title")}
    for item in batch["submissions"]:
        add(xx, {**shared, **item}, Submission.State.SUBMITTED)
    add(xx, DRAFT)
    add(xy, api.read_data(_example("score-002-xiangyang-2021-department.yaml")), Submission.State.SUBMITTED)
    accounts = api.read_data(_example("accounts-001-xinxiang-2024.yaml"))
    assert isinstance(accounts, dict)
    accounts[workflow.ACCOUNTS_TEXT] = _example("accounts-001-explanation.txt").read_text(encoding="utf-8")
    workflow.create(xx, int(accounts["year"]), Submission.Kind.ACCOUNTS, accounts)

    User = get_user_model()
    for username, display, org_name, role in USERS:
        user = User.objects.create_user(username, password=PASSWORD, first_name=display)
        Member.objects.create(user=user, organisation=Organisation.objects.get(name=org_name), role=role)
    return True
