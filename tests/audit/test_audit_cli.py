"""`jixiao audit` as a user runs it: exit codes, JSON, the HTML page, bad files."""

import base64
import io
import json

import pytest
from tests.audit import docgen, reportgen
from typer.testing import CliRunner

from jixiao.cli.main import app

runner = CliRunner()

WRONG = """2024年度某单位部门决算情况说明
2024年度支出合计741.64万元，其中：基本支出599.20万元，占80.79%；项目支出142.44万元，占19.12%。
"""


def run(*args):
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "160"})
    assert "Traceback" not in result.output
    return result


def test_a_wrong_share_is_an_error_with_its_line_and_figures(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(WRONG, encoding="utf-8")
    result = run("audit", path)
    assert result.exit_code == 1
    assert "19.12%" in result.output
    assert "19.21%" in result.output  # 142.44 / 741.64
    data = json.loads(run("audit", path, "--json").output)
    (f,) = [f for f in data["findings"] if f["severity"] == "error"]
    assert (f["code"], f["printed"], f["expected"], f["location"]["line"]) == (
        "percent-mismatch",
        "19.12%",
        "19.21%",
        2,
    )


def test_a_consistent_report_exits_0(tmp_path):
    path = reportgen.write_text(reportgen.generate(3).blocks, tmp_path / "good.txt")
    result = run("audit", path)
    assert result.exit_code == 0, result.output


def test_html_marks_the_finding_in_the_text(tmp_path):
    path = tmp_path / "r.md"
    path.write_text(WRONG, encoding="utf-8")
    out = tmp_path / "r.html"
    run("audit", path, "--html", out)
    page = out.read_text(encoding="utf-8")
    assert '<mark class="error"' in page
    assert "19.12%" in page
    assert "错误 1" in page


def test_empty_and_unknown_files_are_refused_in_chinese(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n \n", encoding="utf-8")
    result = run("audit", empty)
    assert result.exit_code == 2
    assert "没有可读取的文字或表格" in result.output
    other = tmp_path / "a.odt"
    other.write_bytes(b"x")
    result = run("audit", other)
    assert result.exit_code == 2
    assert "无法识别的文件格式" in result.output
    missing = run("audit", tmp_path / "nope.pdf")
    assert missing.exit_code == 2
    assert "找不到文件" in missing.output


def test_scanned_pages_among_text_pages_are_reported(tmp_path):
    if not docgen.pdf_available():
        pytest.skip("WeasyPrint or the CJK font is not installed")
    from PIL import Image
    from weasyprint import HTML

    png = io.BytesIO()
    Image.new("RGB", (400, 300), "gray").save(png, format="PNG")
    image = base64.b64encode(png.getvalue()).decode()
    page = (
        f"<html><body style='font-family: \"{docgen.FONT}\"'>"
        "<p>2024年度收入合计100.00万元，其中：财政拨款收入100.00万元，占100.00%。</p>"
        f"<p style='page-break-before: always'><img src='data:image/png;base64,{image}'></p>"
        "</body></html>"
    )
    path = tmp_path / "mixed.pdf"
    HTML(string=page).write_pdf(path)
    result = run("audit", path)
    assert "第 2 页" in result.output
    assert "未能审核" in result.output
