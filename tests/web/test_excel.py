"""Excel both ways in the web: the self-evaluation table and the final accounts downloaded
as the CLI writes them, edited, and uploaded back; an unusable file changes nothing and its
message names the sheet and the cell."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from jixiao import api
from jixiao.web import workflow
from jixiao.web.models import Change, Submission

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "examples"


def _download(client: Any, sub: Submission) -> bytes:
    response = client.get(reverse("excel", kwargs={"pk": sub.pk}))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _upload(client: Any, sub: Submission, content: bytes, name: str = "自评表.xlsx") -> str:
    sub.refresh_from_db()
    response = client.post(
        reverse("upload", kwargs={"pk": sub.pk}),
        {"version": str(sub.version), "file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    return "".join(m.message for m in response.context["messages"])


def _edit(content: bytes, indicator: str, column: str, value: Any, sheet: int = 0) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    ws = wb.worksheets[sheet]
    head = next(r for r in ws.iter_rows() if any(c.value == "三级指标" for c in r))
    names = {"完成值": ("完成值", "实际完成值"), "指标值": ("指标值", "年度指标值")}.get(column, (column,))
    col = next(c.column for c in head if c.value in names)
    row = next(r for r in ws.iter_rows(min_row=head[0].row + 1) if any(c.value == indicator for c in r))
    ws.cell(row[0].row, col).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_self_evaluation_round_trips_unchanged(world: Any, login: Any) -> None:
    client = login("officer")
    content = _download(client, world.sub)
    wb = load_workbook(io.BytesIO(content))
    assert "填报信息" in wb.sheetnames
    before = world.sub.data["indicators"]
    assert _upload(client, world.sub, content) == "已从“自评表.xlsx”导入。"
    total = world.sub.total
    world.sub.refresh_from_db()
    assert world.sub.total == total
    # every value typed before is there still (the table may show more, e.g. a tier's wording)
    after = {e["path"]: e for e in world.sub.data["indicators"]}
    for entry in before:
        assert entry.items() <= after[entry["path"]].items()
    # the same file the CLI reads (jixiao score X.xlsx)
    path = Path(tempfile.mkdtemp()) / "自评表.xlsx"
    path.write_bytes(content)
    assert api.score_file(path)[0].total == world.sub.total


def test_an_edited_workbook_is_scored_and_its_changes_recorded(world: Any, login: Any) -> None:
    client = login("officer")
    content = _edit(_download(client, world.sub), "培训人次", "完成值", "500人次")
    assert _upload(client, world.sub, content).startswith("已从")
    world.sub.refresh_from_db()
    assert str(world.sub.total) == "83.37"
    change = Change.objects.get(submission=world.sub, field="指标[产出指标/数量指标/培训人次]·完成值")
    assert (change.old, change.new, change.user.username) == ("1200人次", "500人次", "officer")


def test_an_unreadable_cell_is_named_and_nothing_is_saved(world: Any, login: Any) -> None:
    client = login("officer")
    content = _edit(_download(client, world.sub), "培训人次", "得分", "二十分")
    before = (world.sub.version, world.sub.data)
    message = _upload(client, world.sub, content)
    assert "无法读取" in message
    assert "工作表“" in message
    assert "单元格" in message
    assert "二十分" in message
    assert "/tmp" not in message  # the user's file name, never the server's path
    world.sub.refresh_from_db()
    assert (world.sub.version, world.sub.data) == before


def test_a_workbook_of_another_year_is_refused_naming_the_cell(world: Any, login: Any) -> None:
    client = login("officer")
    wb = load_workbook(io.BytesIO(_download(client, world.sub)))
    info = wb["填报信息"]
    row = next(r for r in info.iter_rows() if r[1].value == "year")
    row[2].value = 2019
    out = io.BytesIO()
    wb.save(out)
    message = _upload(client, world.sub, out.getvalue())
    assert f"单元格 C{row[2].row}" in message
    assert "2019" in message
    world.sub.refresh_from_db()
    assert world.sub.version == 1


def test_a_file_that_is_not_a_workbook_is_refused(world: Any, login: Any) -> None:
    client = login("officer")
    message = _upload(client, world.sub, "不是表格".encode() * 10)
    assert "不是Excel（.xlsx）格式" in message
    world.sub.refresh_from_db()
    assert world.sub.version == 1


def test_blank_fields_of_the_information_sheet_come_from_the_submission(world: Any, login: Any) -> None:
    """As in a blank `jixiao template --framework` workbook: no department, year or project
    typed in; the submission knows them."""
    client = login("officer")
    wb = load_workbook(io.BytesIO(_edit(_download(client, world.sub), "培训人次", "完成值", "600人次")))
    info = wb["填报信息"]
    for row in info.iter_rows():
        if row[1].value in ("department", "year", "project"):
            row[2].value = None
    out = io.BytesIO()
    wb.save(out)
    assert _upload(client, world.sub, out.getvalue()).startswith("已从")
    world.sub.refresh_from_db()
    entry = next(e for e in world.sub.data["indicators"] if e["path"].endswith("培训人次"))
    assert entry["actual"] == "600人次"
    assert world.sub.data["department"] == "甲部门"
    # what the workbook does not carry is kept
    assert any(e.get("tier") == "achieved" for e in world.sub.data["indicators"])


def test_accounts_of_another_year_are_refused(world: Any, login: Any) -> None:
    accounts = api.read_data(EXAMPLES / "accounts-001-xinxiang-2024.yaml")
    assert isinstance(accounts, dict)
    acc = workflow.create(world.dept, 2025, Submission.Kind.ACCOUNTS, {**accounts, "year": 2025})
    client = login("officer")
    content = _download(client, acc)
    assert _upload(client, acc, content, "决算.xlsx") == "已从“决算.xlsx”导入。"
    other = workflow.create(world.dept, 2023, Submission.Kind.ACCOUNTS, {**accounts, "year": 2023})
    message = _upload(client, other, content, "决算.xlsx")
    assert "2025" in message
    assert "不符" in message
