"""The whole journey in a real browser (Debian's chromium driven by Playwright) against a
live server on loopback: a department fills in, explains and submits; the bureau returns,
the department corrects and resubmits; the bureau approves; the PDF is downloaded. On
the way: the self-evaluation table downloaded as Excel, edited and uploaded (and a file that
is not a workbook refused), a comment on one cell of the final accounts, the 管理员's page
and a batch import.

Screenshots of the main pages go to JIXIAO_SCREENSHOTS (a temporary folder by default)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from jixiao import api
from jixiao.web import workflow
from jixiao.web.models import Submission

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "examples"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


@pytest.fixture
def browser(monkeypatch: Any) -> Any:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; the ORM calls here are
    # plain test set-up, not async code
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("JIXIAO_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-9")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/(submissions|review)/"))


@pytest.mark.django_db(transaction=True)
def test_journey(live_server: Any, world: Any, browser: Any, shots: Path, tmp_path: Path) -> None:  # noqa: PLR0915 - one journey, step by step
    data = api.read_data(EXAMPLES / "score-000-xinxiang-2021-department.yaml")
    assert isinstance(data, dict)
    sub = workflow.create(
        world.dept, 2025, Submission.Kind.DEPARTMENT, {**data, "department": "甲部门", "year": 2025}
    )
    accounts = api.read_data(EXAMPLES / "accounts-001-xinxiang-2024.yaml")
    assert isinstance(accounts, dict)
    acc = workflow.create(world.dept, 2024, Submission.Kind.ACCOUNTS, {**accounts, "department": "甲部门"})
    from playwright.sync_api import expect

    base = live_server.url
    errors: list[str] = []

    # --- 填报人: fills the table and sees the score change without a reload
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _log_in(page, base, "officer")
    page.screenshot(path=shots / "01-submissions.png", full_page=True)
    page.goto(f"{base}/s/{sub.pk}/")
    assert page.inner_text("#total") == "96.18"
    page.fill("input[aria-label='学会工作目标1实现率 完成值']", "95%")
    page.fill("input[aria-label='学会工作目标1实现率 填报得分']", "5")
    expect(page.locator("#total")).to_have_text("97.50")  # selectors only: the CSP forbids eval
    row_score = page.locator("tr", has=page.locator("input[aria-label='学会工作目标1实现率 完成值']"))
    assert "5.00" in row_score.inner_text()
    page.screenshot(path=shots / "02-editing.png", full_page=True)
    page.click("#save")
    page.wait_for_selector(".messages .success")

    # --- the self-evaluation table as Excel: downloaded, edited, uploaded; the score follows
    with page.expect_download() as dl:
        page.click("#download-excel")
    book = tmp_path / "自评表.xlsx"
    dl.value.save_as(book)
    _set_cell(book, "学会工作目标1实现率", "完成值", "50%")
    _set_cell(book, "学会工作目标1实现率", "得分", None)
    expected = api.score_file(book)[0].total  # what `jixiao score 自评表.xlsx` gives
    assert str(expected) != "97.50"
    not_a_book = tmp_path / "伪装.xlsx"
    not_a_book.write_text("这不是工作簿", encoding="utf-8")
    page.set_input_files("#upload-file", str(not_a_book))
    page.click("#upload")
    page.wait_for_selector(".messages .error")
    assert "不是Excel（.xlsx）格式" in page.inner_text(".messages")
    assert page.inner_text("#total") == "97.50"  # nothing saved was lost
    page.set_input_files("#upload-file", str(book))
    page.click("#upload")
    page.wait_for_selector("text=已从“自评表.xlsx”导入")
    assert page.inner_text("#total") == str(expected)
    page.screenshot(path=shots / "02b-excel-uploaded.png", full_page=True)

    # --- uploads an Excel file (the 部门决算 template, downloaded and sent back)
    page.goto(f"{base}/s/{acc.pk}/")
    with page.expect_download() as dl:
        page.click("text=下载 Excel")
    workbook = tmp_path / "决算.xlsx"
    dl.value.save_as(workbook)
    page.set_input_files("#upload-file", str(workbook))
    page.click("#upload")
    page.wait_for_selector("text=已从“决算.xlsx”导入")
    page.screenshot(path=shots / "03-accounts.png", full_page=True)

    # --- submits, and is refused while an error is unexplained
    page.goto(f"{base}/s/{sub.pk}/")
    page.click("#submit")
    page.wait_for_selector(".messages .error")
    assert "不能提交" in page.inner_text(".messages")
    boxes = page.locator("textarea[name^='x:']")
    assert boxes.count() >= 1
    for i in range(boxes.count()):
        boxes.nth(i).fill("所列数据以正式公开文本为准")
    page.click("#save-explanations")
    page.wait_for_selector("text=出错说明已保存")
    page.click("#submit")
    page.wait_for_selector("text=已提交财政部门审核")
    sub.refresh_from_db()
    assert sub.state == "submitted"

    # --- 财政审核人 returns it with a comment
    reviewer = browser.new_page(viewport={"width": 1400, "height": 1000})
    _log_in(reviewer, base, "reviewer")
    reviewer.screenshot(path=shots / "04-review-list.png", full_page=True)
    # a comment on one cell of the final accounts: a click on the cell chooses it
    reviewer.goto(f"{base}/s/{acc.pk}/")
    cell = reviewer.locator("td[data-target^='income.rows.']").first
    target = cell.get_attribute("data-target")
    cell.click()
    assert reviewer.locator("#comment-target").input_value() == target
    reviewer.fill("#comment-text", "该科目收入请与批复核对")
    reviewer.click("#comment-add")
    reviewer.wait_for_selector("text=意见已添加")
    page.goto(f"{base}/s/{acc.pk}/")
    assert page.locator(f"td.has-comment[data-target='{target}']").count() == 1
    assert "该科目收入请与批复核对" in page.inner_text(".cell-notes")
    page.locator(".cell-notes").scroll_into_view_if_needed()
    page.screenshot(path=shots / "03b-cell-comment.png")
    reviewer.goto(f"{base}/s/{sub.pk}/")
    assert "出错说明：所列数据以正式公开文本为准" in reviewer.content()
    reviewer.fill("#return-comment", "效益指标小计请核对")
    reviewer.click("#return")
    reviewer.wait_for_selector("text=已退回")

    # --- corrected and resubmitted
    page.goto(f"{base}/s/{sub.pk}/")
    assert "效益指标小计请核对" in page.content()
    page.fill("input[aria-label='社会效益 填报得分']", "8")
    page.wait_for_timeout(500)
    page.click("#save")
    page.wait_for_selector("text=已保存")
    page.click("#submit")
    page.wait_for_selector("text=已提交财政部门审核")

    # --- approved, after seeing what changed since the return
    reviewer.goto(f"{base}/s/{sub.pk}/")
    assert "自上次退回以来的修改" in reviewer.content()
    reviewer.screenshot(path=shots / "05-review-detail.png", full_page=True)
    reviewer.click("#approve")
    reviewer.wait_for_selector("text=已审核通过")
    sub.refresh_from_db()
    assert sub.state == "approved"
    reviewer.goto(f"{base}/review/charts/")
    reviewer.wait_for_timeout(1500)
    reviewer.screenshot(path=shots / "06-charts.png", full_page=True)

    # --- the PDF, one click away, made in the background
    page.goto(f"{base}/s/{sub.pk}/")
    page.click("#render", timeout=180_000)  # the test runs the job inside the request
    page.wait_for_selector("a[href$='.pdf']", timeout=120_000)
    page.screenshot(path=shots / "07-documents.png", full_page=True)
    with page.expect_download() as dl:
        page.click("a[href$='.pdf']")
    pdf = tmp_path / "report.pdf"
    dl.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    # --- the 管理员's page and the import page
    admin = browser.new_page(viewport={"width": 1400, "height": 1000})
    _log_in(admin, base, "admin")
    admin.goto(f"{base}/manage/")
    admin.screenshot(path=shots / "08-manage.png", full_page=True)
    page.goto(f"{base}/import/")
    page.set_input_files("#import-files", [str(book)])
    page.click("#import-submit")
    page.wait_for_selector(".import-results")
    page.screenshot(path=shots / "09-import.png", full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors


def _set_cell(path: Path, indicator: str, column: str, value: Any) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.worksheets[0]
    head = next(r for r in ws.iter_rows() if any(c.value == "三级指标" for c in r))
    col = next(c.column for c in head if c.value == column)
    row = next(r for r in ws.iter_rows(min_row=head[0].row + 1) if any(c.value == indicator for c in r))
    ws.cell(row[0].row, col).value = value
    wb.save(path)
