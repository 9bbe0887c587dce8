"""`jixiao serve --demo`: the bundled examples as a working system — the finance bureaus,
the departments, their self-evaluations and final accounts, and a user for every role."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction

from jixiao import api
from jixiao.web import workflow
from jixiao.web.models import Member, Organisation, Submission

PASSWORD = "jixiao-demo"


def _spec() -> dict[str, Any]:
    """The demo's organisations, users and submissions (examples/demo/demo.yaml)."""
    path = resources.files("jixiao.examples").joinpath("demo").joinpath("demo.yaml")
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


#: (user name, display name, organisation, role)
USERS = [(u["username"], u["name"], u["organisation"], Member.Role(u["role"])) for u in _spec()["users"]]


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
    spec = _spec()
    organisations = spec["organisations"]
    if Organisation.objects.filter(name=organisations[0]["name"]).exists():
        return False
    orgs: dict[str, Organisation] = {}
    for item in organisations:
        parent = orgs[item["parent"]] if item.get("parent") else None
        orgs[item["name"]] = _org(item["name"], Organisation.Kind(item["kind"]), parent)

    def add(dept: Organisation, data: Any, state: str) -> None:
        project = str(data.get("project") or "")
        kind = Submission.Kind.PROJECT if project else Submission.Kind.DEPARTMENT
        sub = workflow.create(dept, int(data["year"]), kind, data, project=project)
        if state != Submission.State.DRAFT:  # submitted: every error explained, as the workflow asks
            sub.explanations = explain(sub)
        sub.state = state
        sub.save(update_fields=["state", "explanations"])

    for item in spec["submissions"]:
        dept = orgs[item["organisation"]]
        if "accounts" in item:
            accounts = api.read_data(_example(item["accounts"]))
            assert isinstance(accounts, dict)
            accounts[workflow.ACCOUNTS_TEXT] = _example(item["text"]).read_text(encoding="utf-8")
            workflow.create(dept, int(accounts["year"]), Submission.Kind.ACCOUNTS, accounts)
            continue
        state = Submission.State(item.get("state", "draft"))
        data = item["data"] if "data" in item else api.read_data(_example(item["file"]))
        assert isinstance(data, dict)
        if "submissions" in data:  # a batch: one submission per project
            shared = {k: v for k, v in data.items() if k not in ("submissions", "title")}
            for one in data["submissions"]:
                add(dept, {**shared, **one}, state)
        else:
            add(dept, data, state)

    User = get_user_model()
    for username, display, org_name, role in USERS:
        user = User.objects.create_user(username, password=PASSWORD, first_name=display)
        Member.objects.create(user=user, organisation=orgs[org_name], role=role)
    return True
