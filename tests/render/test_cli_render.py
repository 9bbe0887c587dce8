"""`jixiao render` and `jixiao templates export` from the command line."""

from __future__ import annotations

from pathlib import Path

from tests.render.conftest import SEED_000, SEED_002
from typer.testing import CliRunner

from jixiao.cli.main import app

runner = CliRunner()


def flat(text: str) -> str:
    """The output without the line breaks the terminal width puts in."""
    return "".join(text.split())


def test_render_one_format(tmp_path: Path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(SEED_002), "--out", str(out), "--format", "xlsx"])
    assert result.exit_code in (0, 1), result.output
    assert sorted(p.suffix for p in out.iterdir()) == [".xlsx"]
    assert "已生成1个文件" in flat(result.output)


def test_comma_separated_formats_and_findings(tmp_path: Path):
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["render", str(SEED_000), "-o", str(out), "-f", "xlsx,docx", "--with-findings"]
    )
    # seed 000 prints scores that break its rule: error Findings, documents still written
    assert result.exit_code == 1, result.output
    assert {p.suffix for p in out.iterdir()} == {".xlsx", ".docx"}
    assert "待填写" in flat(result.output)


def test_unknown_format_is_refused_in_chinese(tmp_path: Path):
    result = runner.invoke(app, ["render", str(SEED_000), "-o", str(tmp_path), "-f", "odt"])
    assert result.exit_code == 2
    assert "不支持的输出格式“odt”" in flat(result.output)
    assert "Traceback" not in result.output


def test_missing_input_and_broken_template(tmp_path: Path):
    result = runner.invoke(app, ["render", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    broken = tmp_path / "report-xinxiang-2021.docx"
    broken.write_text("not a docx", encoding="utf-8")
    result = runner.invoke(app, ["render", str(SEED_000), "-o", str(tmp_path / "o"), "-t", str(broken)])
    assert result.exit_code == 2
    assert "report-xinxiang-2021.docx" in flat(result.output)
    assert "不是有效的Word文档" in flat(result.output)


def test_unknown_outline(tmp_path: Path):
    result = runner.invoke(app, ["render", str(SEED_000), "-o", str(tmp_path), "--outline", "beijing"])
    assert result.exit_code == 2
    assert "未知的报告提纲“beijing”" in flat(result.output)


def test_templates_export(tmp_path: Path):
    result = runner.invoke(app, ["templates", "export", str(tmp_path / "tpl")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tpl" / "report-xinxiang-2024.docx").exists()
    assert "已导出" in flat(result.output)
