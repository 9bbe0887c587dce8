"""`jixiao audit` on many documents and with checks chosen by name: the summary (terminal,
JSON, workbook), the exit codes, --only/--skip/--list-checks, and the page of a Finding."""

from __future__ import annotations

import json

import openpyxl
import pytest
from tests.audit import docgen, reportgen
from typer.testing import CliRunner

from jixiao.check.published.audit import CHECKS
from jixiao.cli.main import app

runner = CliRunner()

WRONG = """2024年度某某局部门决算情况说明
2024年度支出合计741.64万元，其中：基本支出599.20万元，占80.79%；项目支出142.44万元，占19.12%。
"""
TWO_WRONG = """2023年度=HYPERLINK("x")中心部门决算情况说明
2023年度支出合计741.64万元，其中：基本支出599.20万元，占80.97%；项目支出142.44万元，占19.12%。
"""


def run(*args):
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def folder(tmp_path):
    """Three reports (one right, two with wrong shares) and an unreadable file, in a
    folder and a subfolder; a lock file and a hidden file that are not reports."""
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    reportgen.write_text(reportgen.generate(3).blocks, tmp_path / "docs" / "good.txt")
    (tmp_path / "docs" / "wrong.txt").write_text(WRONG, encoding="utf-8")
    (tmp_path / "docs" / "sub" / "two.md").write_text(TWO_WRONG, encoding="utf-8")
    (tmp_path / "docs" / "sub" / "broken.docx").write_bytes(b"not a zip")
    (tmp_path / "docs" / "~$wrong.docx").write_bytes(b"lock")
    (tmp_path / "docs" / ".hidden.txt").write_text(WRONG, encoding="utf-8")
    return tmp_path / "docs"


def test_a_folder_is_summarised_one_row_per_document_most_errors_first(folder, tmp_path):
    out = tmp_path / "汇总.xlsx"
    result = run("audit", folder, "--summary", out, "--jobs", "2")
    assert result.exit_code == 1, result.output  # error findings in some documents
    assert "审核汇总（4 个文件）" in result.output
    sheet = openpyxl.load_workbook(out).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["文件", "单位", "年度", "类型", "错误", "警告", "提示", "最严重的问题"]
    by_file = {r[0].rsplit("/", 1)[-1]: r for r in rows[1:]}
    assert set(by_file) == {"good.txt", "wrong.txt", "two.md", "broken.docx"}
    assert [r[4] for r in rows[1:]] == sorted((r[4] for r in rows[1:]), reverse=True)
    two = by_file["two.md"]
    assert two[1:4] == ['=HYPERLINK("x")中心', "2023", "部门决算"]
    assert two[4] == 2
    wrong = by_file["wrong.txt"]
    assert wrong[1:5] == ["某某局", "2024", "部门决算", 1]
    assert "19.12%" in wrong[7]
    assert "（第2行）" in wrong[7]
    assert by_file["good.txt"][4] == 0
    assert by_file["broken.docx"][7].startswith("无法读取")
    # text is never a formula: every text cell is a string
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            assert cell.value is None or isinstance(cell.value, (str, int)), cell.coordinate


def test_json_for_several_documents_lists_each_in_summary_order(folder):
    result = run("audit", folder / "wrong.txt", folder / "sub", "--json", "--jobs", "1")
    assert result.exit_code == 1
    items = json.loads(result.output)
    assert [i["file"].rsplit("/", 1)[-1] for i in items] == ["two.md", "broken.docx", "wrong.txt"]
    assert items[0]["department"] == '=HYPERLINK("x")中心'
    assert items[0]["document_kind"] == "部门决算"
    assert items[1]["input_errors"][0]["code"] == "unreadable-document"


def test_only_unreadable_documents_exit_2(tmp_path):
    (tmp_path / "a.docx").write_bytes(b"x")
    (tmp_path / "b.pdf").write_bytes(b"x")
    result = run("audit", tmp_path)
    assert result.exit_code == 2
    assert result.output.count("无法读取") == 2


def test_an_empty_folder_is_refused(tmp_path):
    result = run("audit", tmp_path)
    assert result.exit_code == 2
    assert "没有找到可审核的文件" in result.output


def test_only_and_skip_choose_checks_by_name_or_label(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(WRONG, encoding="utf-8")
    assert run("audit", path).exit_code == 1
    assert run("audit", path, "--skip", "shares").exit_code == 0
    assert run("audit", path, "--skip", "占比").exit_code == 0
    assert run("audit", path, "--only", "changes", "--only", "sums").exit_code == 0
    only = json.loads(run("audit", path, "--only", "shares", "--json").output)
    assert [f["code"] for f in only["findings"] if f["severity"] == "error"] == ["percent-mismatch"]
    wrong = run("audit", path, "--only", "share")
    assert wrong.exit_code == 2
    assert "“share”不是有效的审核项" in wrong.output


def test_list_checks_names_every_check():
    result = run("audit", "--list-checks")
    assert result.exit_code == 0
    for name, label, _ in CHECKS:
        assert name in result.output
        assert label in result.output
    assert len({name for name, _, _ in CHECKS}) == len(CHECKS)


def test_a_pdf_finding_names_its_page_in_every_output(tmp_path):
    if not docgen.pdf_available():
        pytest.skip("WeasyPrint or the CJK font is not installed")
    filler = "本部门围绕年度重点工作任务，加强预算管理，提高资金使用效益，各项工作有序推进。" * 6
    blocks = [("p", "2024年度某某局部门决算情况说明")] + [("p", filler)] * 8
    blocks.append(("p", WRONG.splitlines()[1]))
    path = docgen.write_pdf(blocks, tmp_path / "paged.pdf")
    data = json.loads(run("audit", path, "--json").output)
    (f,) = [f for f in data["findings"] if f["severity"] == "error"]
    page = f["location"]["page"]
    assert page is not None
    assert page >= 2
    line = f["location"]["line"]
    terminal = run("audit", path)
    assert f"第{page}页第{line}行" in terminal.output
    html = tmp_path / "paged.html"
    run("audit", path, "--html", html)
    text = html.read_text(encoding="utf-8")
    assert f'href="#p{page}l{line}"' in text
    assert f'id="p{page}l{line}"' in text
