"""Importing many workbooks at once, as a background job with a result per file."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from jixiao.web.models import Job, Submission


def _workbook(client: Any, sub: Submission, **info: Any) -> bytes:
    """The submission's workbook as downloaded, with fields of 填报信息 changed."""
    content = b"".join(client.get(reverse("excel", kwargs={"pk": sub.pk})).streaming_content)
    wb = load_workbook(io.BytesIO(content))
    for row in wb["填报信息"].iter_rows():
        if row[1].value in info:
            row[2].value = info[row[1].value]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _zip(**members: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return out.getvalue()


def _import(client: Any, *files: tuple[str, bytes]) -> Job:
    response = client.post(reverse("import_upload"), {"files": [SimpleUploadedFile(n, c) for n, c in files]})
    assert response.status_code == 302, response.content.decode()[:500]
    job = Job.objects.filter(kind=Job.Kind.IMPORT).latest("id")
    assert response["Location"] == reverse("job", kwargs={"pk": job.pk})
    return job


def test_several_files_and_a_zip_each_get_a_result(world: Any, login: Any) -> None:
    client = login("officer")
    new_year = _workbook(client, world.sub, year=2024)
    again = _workbook(client, world.sub, year=2023)
    archive = _zip(**{"a/2023.xlsx": again, "说明.txt": "文字".encode(), "坏.xlsx": b"PK\x03\x04broken"})
    job = _import(client, ("2024年.xlsx", new_year), ("打包.zip", archive))
    job.refresh_from_db()
    assert job.state == "done", job.message
    results = {r["name"]: r for r in job.result["files"]}
    assert set(results) == {"2024年.xlsx", "打包.zip/a/2023.xlsx", "打包.zip/说明.txt", "打包.zip/坏.xlsx"}
    assert results["2024年.xlsx"]["ok"]
    assert results["2024年.xlsx"]["message"].startswith("已新建")
    assert results["打包.zip/a/2023.xlsx"]["ok"]
    assert not results["打包.zip/说明.txt"]["ok"]
    assert not results["打包.zip/坏.xlsx"]["ok"]
    years = set(Submission.objects.filter(department=world.dept).values_list("year", flat=True))
    assert years == {2023, 2024, 2025}
    created = Submission.objects.get(pk=results["2024年.xlsx"]["submission"])
    assert created.total == world.sub.total
    # the job page lists every file with its result and link
    page = client.get(reverse("job", kwargs={"pk": job.pk})).content.decode()
    assert "打包.zip/坏.xlsx" in page
    assert reverse("submission", kwargs={"pk": created.pk}) in page
    assert "导入 2 个，未导入 2 个" in page


def test_an_existing_draft_is_updated_and_a_submitted_one_is_never_overwritten(
    world: Any, login: Any
) -> None:
    client = login("officer")
    content = _workbook(client, world.sub)
    job = _import(client, ("x.xlsx", content))
    job.refresh_from_db()
    assert job.result["files"][0]["message"].startswith("已更新"), job.result
    Submission.objects.filter(pk=world.sub.pk).update(state="submitted")
    job = _import(client, ("x.xlsx", content))
    job.refresh_from_db()
    assert not job.result["files"][0]["ok"]
    assert "不能覆盖" in job.result["files"][0]["message"]


def test_a_department_cannot_import_into_another(world: Any, login: Any) -> None:
    content = _workbook(login("officer"), world.sub)
    job = _import(login("outsider"), ("x.xlsx", content))
    job.refresh_from_db()
    assert "不是本部门" in job.result["files"][0]["message"]
    assert (
        not Submission.objects.filter(department=world.other_dept, year=2025, project=world.sub.project)
        .exclude(pk=world.other_sub.pk)
        .exists()
    )


def test_an_admin_imports_for_departments_of_the_bureau_only(world: Any, login: Any) -> None:
    officer = login("officer")
    ours = _workbook(officer, world.sub, year=2022)
    theirs = _workbook(officer, world.sub, year=2022, department="乙部门")
    job = _import(login("admin"), ("ours.xlsx", ours), ("theirs.xlsx", theirs))
    job.refresh_from_db()
    results = {r["name"]: r for r in job.result["files"]}
    assert results["ours.xlsx"]["ok"], results
    assert "找不到部门“乙部门”" in results["theirs.xlsx"]["message"]
    assert not Submission.objects.filter(department=world.other_dept, year=2022).exists()


def test_a_reviewer_does_not_import_and_a_bad_upload_is_refused_whole(world: Any, login: Any) -> None:
    assert login("reviewer").post(reverse("import_upload"), {}).status_code == 404
    client = login("officer")
    response = client.post(
        reverse("import_upload"), {"files": [SimpleUploadedFile("a.pdf", b"%PDF-1.4")]}, follow=True
    )
    assert "不支持的文件类型" in response.content.decode()
    assert not Job.objects.exists()
