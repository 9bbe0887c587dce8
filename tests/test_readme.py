"""The README's examples run as shown and show what the README says they show."""

from __future__ import annotations

import re
import shlex

import pytest
from tests.conftest import REPO
from typer.testing import CliRunner

from jixiao.cli.main import app

README = (REPO / "README.md").read_text(encoding="utf-8")
runner = CliRunner()


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def _submission_example() -> str:
    (text,) = [b for b in _blocks("yaml") if "indicators:" in b and "framework:" in b]
    return text


def _run(args: list[str]):
    result = runner.invoke(app, args, env={"COLUMNS": "200"}, prog_name="jixiao")
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def in_folder_with_the_example(tmp_path, monkeypatch):
    (tmp_path / "申报文件.yaml").write_text(_submission_example(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_submission_example_scores_as_the_readme_says(in_folder_with_the_example):
    result = _run(["score", "申报文件.yaml"])
    assert result.exit_code == 0, result.output
    said = README[README.index("把它存为") :].split("\n\n")[0]
    for shown in re.findall(r"`([^`]*\d[^`]*)`", said):
        if not shown.startswith("jixiao") and not shown.startswith("total"):
            assert shown in result.output, (shown, result.output)
    assert "88.67%（算得）" in result.output
    assert "8.87" in result.output
    assert "总分 95.87 / 100" in result.output
    assert "未发现问题" in result.output


def test_changing_the_total_gives_the_error_the_readme_quotes(in_folder_with_the_example):
    path = in_folder_with_the_example / "申报文件.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("total: 95.87", "total: 95"), encoding="utf-8")
    result = _run(["score", "申报文件.yaml"])
    assert result.exit_code == 1
    (quoted,) = re.findall(r"错误“([^”]+)”", README[README.index("把 `total` 改成") :].split("\n")[0])
    assert quoted in result.output


def _usage_lines() -> list[list[str]]:
    block = next(b for b in _blocks("bash") if "jixiao score 申报文件.yaml" in b)
    lines = []
    for line in block.splitlines():
        command = line.split("#")[0].strip()
        if command.startswith("jixiao ") and "我省指标体系" not in command:
            lines.append(shlex.split(command)[1:])
    return lines


@pytest.mark.parametrize("args", _usage_lines(), ids=" ".join)
def test_every_usage_line_runs(in_folder_with_the_example, args):
    result = _run(args)
    assert result.exit_code == 0, result.output
    assert result.output.strip()
