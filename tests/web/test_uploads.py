"""Uploads are judged before any reader sees them: size, real type, zip bombs."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jixiao import api
from jixiao.web import workflow
from jixiao.web.models import Job, Submission

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "examples"


@pytest.fixture
def accounts(world: Any) -> Submission:
    data = api.read_data(EXAMPLES / "accounts-001-xinxiang-2024.yaml")
    assert isinstance(data, dict)
    text = (EXAMPLES / "accounts-001-explanation.txt").read_text(encoding="utf-8")
    data = {**data, "department": "甲部门", workflow.ACCOUNTS_TEXT: text}
    return workflow.create(world.dept, 2024, Submission.Kind.ACCOUNTS, data)


def _upload(client: Any, sub: Submission, name: str, content: bytes) -> str:
    response = client.post(
        reverse("upload", kwargs={"pk": sub.pk}),
        {"version": sub.version, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    return response.content.decode()


def _bomb() -> bytes:
    """A zip with the parts of a workbook and one part that unpacks a thousandfold."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    return buf.getvalue()


def test_excel_round_trip_fills_the_tables(
    world: Any, login: Any, accounts: Submission, tmp_path: Path
) -> None:
    client = login("officer")
    response = client.get(reverse("excel", kwargs={"pk": accounts.pk}))
    workbook = b"".join(response.streaming_content)
    assert workbook.startswith(b"PK")
    path = tmp_path / "in.xlsx"
    path.write_bytes(workbook)
    loaded = api.load_accounts(path)
    assert str(loaded.accounts.summary.income_total) == "741.64"
    # change one figure in the workbook, upload it, and see it stored and checked
    from openpyxl import load_workbook

    wb = load_workbook(path)
    changed = False
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if not changed and str(cell.value) in ("187.4", "187.40"):
                    cell.value = 190.4
                    changed = True
    assert changed
    wb.save(path)
    page = _upload(client, accounts, "决算.xlsx", path.read_bytes())
    assert "已从“决算.xlsx”导入" in page
    accounts.refresh_from_db()
    assert accounts.version == 2
    assert accounts.errors > 0  # 行政运行 no longer adds up
    assert accounts.data["explanation_text"]  # the department's text is kept


def test_text_posing_as_xlsx_is_refused(world: Any, login: Any, accounts: Submission) -> None:
    page = _upload(login("officer"), accounts, "决算.xlsx", b"department: x\n")
    assert "扩展名与实际内容不符" in page
    accounts.refresh_from_db()
    assert accounts.version == 1


def test_zip_bomb_posing_as_xlsx_is_refused(world: Any, login: Any, accounts: Submission) -> None:
    page = _upload(login("officer"), accounts, "决算.xlsx", _bomb())
    assert "压缩炸弹" in page
    accounts.refresh_from_db()
    assert accounts.version == 1


def test_oversized_upload_is_refused(world: Any, login: Any, accounts: Submission, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1024
    page = _upload(login("officer"), accounts, "决算.xlsx", b"PK\x03\x04" + b"x" * 4000)
    assert "文件太大" in page


def test_wrong_extension_is_refused(world: Any, login: Any, accounts: Submission) -> None:
    page = _upload(login("officer"), accounts, "决算.exe", b"MZ")
    assert "不支持的文件类型" in page


def test_audit_of_a_text_report_marks_findings(world: Any, login: Any) -> None:
    text = (EXAMPLES / "accounts-001-explanation.txt").read_bytes()
    client = login("reviewer")
    response = client.post(reverse("audit_upload"), {"file": SimpleUploadedFile("情况说明.txt", text)})
    job = Job.objects.get(kind=Job.Kind.AUDIT)
    assert response["Location"] == reverse("job", kwargs={"pk": job.pk})
    assert job.state == "done", job.message
    assert job.organisation_id == world.city.pk
    view = client.get(reverse("audit_view", kwargs={"pk": job.pk}))
    assert view.status_code == 200
    assert "script-src 'none'" in view["Content-Security-Policy"]
    assert "情况说明" in client.get(reverse("audits")).content.decode()


def test_audit_refuses_a_fake_pdf(world: Any, login: Any) -> None:
    client = login("reviewer")
    response = client.post(
        reverse("audit_upload"), {"file": SimpleUploadedFile("报告.pdf", b"<html>")}, follow=True
    )
    assert "扩展名与实际内容不符" in response.content.decode()
    assert not Job.objects.exists()
