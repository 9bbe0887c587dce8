"""Stored results carry what derived them (jixiao.web.stamp). After an upgrade that changes
the rules, a framework or the scoring, a result derived before it is never shown as if it
were current: one submission's page derives it again; lists, the export and the charts
mark it 待重算 and the background job (or ``jixiao rederive``) derives it again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from jixiao.web import stamp, tasks, workflow
from jixiao.web.models import Submission

OLD = "jixiao 0.0.1+0000000000000000"
#: what an older version stored: a total, grade and error count the current rules do not give
OLD_RESULT = {"total": Decimal("71.00"), "grade": "中", "errors": 0, "warnings": 7, "findings": []}


@pytest.fixture(autouse=True)
def _schedule_at_once() -> None:
    """Each test starts as a fresh process: its first stale row queues the job."""
    tasks._scheduled["at"] = -1e9


def _stored_by(sub: Submission, by: str, **values: Any) -> None:
    Submission.objects.filter(pk=sub.pk).update(derived_by=by, **{**OLD_RESULT, **values})


def _upgrade(monkeypatch: Any, to: str = "jixiao 9.9.9+ffffffffffffffff") -> str:
    """As if a newer jixiao (other rules or frameworks) were serving now."""
    monkeypatch.setattr(stamp, "current", lambda: to)
    return to


def test_a_saved_result_carries_the_current_stamp(world: Any) -> None:
    world.sub.refresh_from_db()
    assert world.sub.derived_by == stamp.current()
    assert not world.sub.stale


@pytest.mark.parametrize("by_now", [True, False])
def test_one_submissions_page_derives_a_stale_result_again(world: Any, login: Any, by_now: bool) -> None:
    _stored_by(world.sub, stamp.current() if by_now else OLD)
    page = login("reviewer").get(reverse("submission", kwargs={"pk": world.sub.pk})).content.decode()
    world.sub.refresh_from_db()
    if by_now:  # derived by this version: shown as stored, nothing scored
        assert 'id="total">71.00<' in page
        assert world.sub.total == Decimal("71.00")
        return
    assert "71.00" not in page
    assert 'id="total">95.87<' in page
    assert world.sub.total == Decimal("95.87")
    assert world.sub.derived_by == stamp.current()
    assert world.sub.version == 1  # re-deriving is not an edit


def _reviewer_list(login: Any) -> str:
    return str(login("reviewer").get(reverse("review")).content.decode())


def test_an_upgrade_marks_the_lists_and_the_background_job_derives_again(
    world: Any, login: Any, monkeypatch: Any
) -> None:
    _stored_by(world.sub, stamp.current())
    assert "71.00" in _reviewer_list(login)
    new = _upgrade(monkeypatch)
    # the tests run jobs at once: the job the first list queued has run when it returns
    calls = []
    monkeypatch.setattr(tasks, "schedule_rederive", lambda **kw: calls.append(kw) or False)
    page = _reviewer_list(login)
    assert "待重算" in page
    assert "71.00" not in page
    assert calls  # the list asked for the background job
    department = login("reviewer").get(reverse("department", kwargs={"pk": world.dept.pk})).content.decode()
    assert "待重算" in department
    assert "71.00" not in department
    own = login("officer").get(reverse("submissions")).content.decode()
    assert "待重算" in own
    assert "71.00" not in own

    monkeypatch.undo()
    _upgrade(monkeypatch, new)
    tasks._scheduled["at"] = -1e9
    _reviewer_list(login)  # queues (and, in the tests, runs) the job
    world.sub.refresh_from_db()
    assert world.sub.derived_by == new
    assert world.sub.total == Decimal("95.87")
    page = _reviewer_list(login)
    assert "待重算" not in page
    assert "95.87" in page


def test_the_export_never_writes_a_stale_number(
    world: Any, login: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    _stored_by(world.sub, OLD)
    monkeypatch.setattr(tasks, "schedule_rederive", lambda **kw: False)
    response = login("reviewer").get(reverse("export"))
    path = tmp_path / "list.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    row = next(r for r in rows if r[0] == world.dept.name)
    assert row[5] == "待重算"
    assert "71.00" not in [str(v) for r in rows for v in r]


def test_the_charts_leave_a_stale_result_out_and_say_so(world: Any, login: Any, monkeypatch: Any) -> None:
    _stored_by(world.sub, OLD)
    monkeypatch.setattr(tasks, "schedule_rederive", lambda **kw: False)
    client = login("reviewer")
    data = client.get(reverse("chart_data")).json()
    assert sum(data["counts"]) == 0
    assert data["ranking"] == []
    assert data["pending"] == 1
    assert "1 份申报的结果待重算" in client.get(reverse("charts")).content.decode()


def test_submitting_counts_the_errors_found_now(world: Any, login: Any) -> None:
    """An older version found no error in this data; the current one does: submitting is
    refused until it is fixed or explained."""
    data = json.loads(json.dumps(world.sub.data))
    data["indicators"][0]["score"] = "20"  # a stated score the rule does not give
    assert workflow.derive(world.sub.kind, data).errors == 1
    Submission.objects.filter(pk=world.sub.pk).update(data=data)
    _stored_by(world.sub, OLD)
    response = login("officer").post(reverse("submit", kwargs={"pk": world.sub.pk}), follow=True)
    assert "不能提交" in response.content.decode()
    world.sub.refresh_from_db()
    assert world.sub.state == "draft"
    assert world.sub.errors == 1


def test_the_shares_of_the_background_job_derive_each_stale_row_once(world: Any) -> None:
    """n task workers each take one share (ids i modulo n): together every stale row, each
    by one share only."""
    from jixiao.web import workflow as wf

    subs = [world.sub, world.other_sub]
    subs += [
        wf.create(world.dept, 2020 + k, Submission.Kind.PROJECT, dict(world.sub.data), project=f"项目{k}")
        for k in range(5)
    ]
    for sub in subs:
        _stored_by(sub, OLD)
    counts = [wf.rederive_stale(part=(i, 3)) for i in range(3)]
    assert sum(counts) == len(subs)
    assert all(c > 0 for c in counts)  # 7 consecutive ids fall into all three shares
    assert not wf.stale().exists()
    assert wf.rederive_stale(part=(0, 3)) == 0


def test_the_background_job_is_queued_in_shares(world: Any, settings: Any, monkeypatch: Any) -> None:
    settings.REDERIVE_SHARES = 3
    queued: list[tuple[int, int]] = []

    class Task:  # the real one is a frozen dataclass
        module_path = tasks.rederive_job.module_path

        def enqueue(self, *args: int) -> None:
            queued.append(args)

    monkeypatch.setattr(tasks, "rederive_job", Task())
    _stored_by(world.sub, OLD)
    assert tasks.schedule_rederive(now=True)
    assert queued == [(0, 3), (1, 3), (2, 3)]


def test_rederive_command_derives_every_stale_result(world: Any) -> None:
    from typer.testing import CliRunner

    from jixiao.cli.main import app

    _stored_by(world.sub, OLD)
    _stored_by(world.other_sub, stamp.current())
    result = CliRunner().invoke(app, ["rederive"])
    assert result.exit_code == 0, result.output
    assert "重算 1 份申报" in result.output
    world.sub.refresh_from_db()
    world.other_sub.refresh_from_db()
    assert (world.sub.total, world.sub.derived_by) == (Decimal("95.87"), stamp.current())
    assert world.other_sub.total == Decimal("71.00")  # current: left as stored
    again = CliRunner().invoke(app, ["rederive"])
    assert "无需重算" in again.output
    every = CliRunner().invoke(app, ["rederive", "--all"])
    assert "重算 2 份申报" in every.output
    world.other_sub.refresh_from_db()
    assert world.other_sub.total == Decimal("95.87")


def test_the_stamp_changes_with_any_rule_or_framework_file() -> None:
    files = list(stamp.sources())
    names = [n for n, _ in files]
    assert any(n.startswith("jixiao.frameworks/data/") and n.endswith(".yaml") for n in names)
    assert any(n.startswith("jixiao.check.formulas/rulesets/") for n in names)
    assert "jixiao.score/rules.py" in names
    base = stamp.compute("1.0", files)
    assert stamp.compute("1.0", files) == base
    assert stamp.compute("1.1", files) != base
    for i in (0, len(files) // 2, len(files) - 1):
        changed = [*files[:i], (files[i][0], files[i][1] + b"\n"), *files[i + 1 :]]
        assert stamp.compute("1.0", changed) != base, files[i][0]
    assert len(stamp.current()) <= Submission._meta.get_field("derived_by").max_length  # type: ignore[operator]


_PROBE = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "jixiao.web.settings"
import django
django.setup()
from importlib import resources
from jixiao import api
from jixiao.web import workflow
sys.path.insert(0, sys.argv[1])
from conftest import DRAFT
workflow.derive("project", DRAFT)
workflow.derive("department", {**DRAFT, "framework": "xinxiang-2024-department"})
ex = resources.files("jixiao.examples")
accounts = api.read_data(ex / "accounts-001-xinxiang-2024.yaml")
accounts["explanation_text"] = (ex / "accounts-001-explanation.txt").read_text(encoding="utf-8")
workflow.derive("accounts", accounts)
print(json.dumps(sorted(m for m in sys.modules if m == "jixiao" or m.startswith("jixiao."))))
"""


def test_every_module_that_derives_a_result_is_in_the_stamp() -> None:
    """Derive every kind in a fresh process: each jixiao module it loads is covered."""
    env = {**os.environ, "JIXIAO_DATA_DIR": os.environ["JIXIAO_DATA_DIR"]}
    env.pop("JIXIAO_DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    loaded = json.loads(out.strip().splitlines()[-1])
    uncovered = [
        m
        for m in loaded
        if m not in stamp.NOT_DERIVING and not any(m == d or m.startswith(d + ".") for d in stamp.DERIVERS)
    ]
    assert uncovered == []
