"""What the command line itself says: help, usage errors, --version, demo and the notes
policy shared by score, check and audit. A user meets no English from the framework."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import pytest
import typer
from tests.conftest import EXAMPLES
from typer.testing import CliRunner

from jixiao.cli.main import app

runner = CliRunner()
SEEDS = Path(__file__).resolve().parent / "data" / "seeds"

#: Words the CLI framework prints in English unless they are put into Chinese.
ENGLISH = (
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "Show this message",
    "[OPTIONS]",
    "COMMAND [ARGS]",
    "required",
    "No such",
    "Missing",
    "Error",
    "Try '",
    "Invalid value",
    "requires an argument",
    "unexpected extra",
)


def run(*args: object) -> typer.testing.Result:
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"}, prog_name="jixiao")
    assert "Traceback" not in result.output
    return result


def _commands(group, prefix=()):
    """Every command path of the app, sub-groups included."""
    for name, cmd in group.commands.items():
        yield (*prefix, name)
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, (*prefix, name))


def _all_paths():
    return [(), *_commands(typer.main.get_command(app))]


@pytest.mark.parametrize("path", _all_paths(), ids=lambda p: " ".join(p) or "jixiao")
def test_every_help_page_is_chinese_with_no_python_type_names(path):
    result = run(*path, "--help")
    assert result.exit_code == 0, result.output
    for word in ENGLISH:
        assert word not in result.output, (word, result.output)
    assert not re.search(r"<(list\[|str>|int>|path>|Path>)|\{\w+\}", result.output), result.output
    assert not re.search(r"\b(int|float) range\b|\bx[<>]=?", result.output), result.output
    assert "用法：jixiao" in result.output
    assert "显示本帮助并退出" in result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["score", "--bogus"], "没有选项 --bogus"),
        (["score"], "缺少参数“文件”"),
        (["scor", "x.yaml"], "没有命令“scor”。是否应为 'score'？"),
        (["check", "x.yaml", "--rules"], "选项“--rules”后面需要一个值"),
        (["explain", "a.yaml", "b.yaml"], "多余的参数：b.yaml"),
        (["render", "a.yaml", "--jobs", "x", "--out", "o"], "“--jobs（-j）”的值无效：应为整数"),
        (["frameworks", "show"], "缺少参数“指标体系ID”"),
    ],
)
def test_usage_errors_are_chinese(args, expected):
    result = run(*args)
    assert result.exit_code == 2
    for word in ENGLISH:
        assert word not in result.output, (word, result.output)
    assert expected in result.output, result.output


def test_a_usage_error_shows_the_usage_line_and_where_help_is():
    result = run("score", "--bogus")
    assert "用法：jixiao score [选项] 文件" in result.output
    assert "运行“jixiao score --help”查看帮助。" in result.output


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert re.fullmatch(r"jixiao \S+\n", result.output), result.output


def test_demo_is_a_short_summary_without_install_paths():
    result = run("demo")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) < 80, len(lines)
    assert str(EXAMPLES) not in result.output.replace("\n", "")
    assert "site-packages" not in result.output
    assert "汇总" in result.output
    assert "examples/score-000-xinxiang-2021-department.yaml" in result.output.replace("\n", "")


NOTE_LINE = re.compile(r"另有 (\d+) 条提示，加 --notes 查看。")


def _notes_policy(args: list[object], note_marker: str) -> None:
    hidden = run(*args)
    match = NOTE_LINE.search(hidden.output)
    assert match, hidden.output
    assert note_marker not in hidden.output
    shown = run(*args, "--notes")
    assert not NOTE_LINE.search(shown.output)
    assert shown.output.count(note_marker) >= int(match.group(1))


def test_score_hides_notes_behind_the_notes_option_like_check_and_audit():
    _notes_policy(["score", EXAMPLES / "score-001-xinxiang-2024-department.yaml"], "[提示]")


def test_check_follows_the_same_notes_policy():
    _notes_policy(["check", EXAMPLES / "accounts-001-xinxiang-2024.yaml"], "[提示]")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds are in tests/data/seeds")
def test_audit_follows_the_same_notes_policy():
    (seed,) = SEEDS.glob("002_*.txt")
    _notes_policy(["audit", seed], "│ 提示")


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Input should be greater than or equal to 1", "应不小于 1"),
        ("Path 'a.yaml' does not exist.", "“a.yaml”不存在。"),
        ("'x' is not one of 'pdf', 'docx'.", "“x”不是可用的值之一：'pdf', 'docx'。"),
        ("Got unexpected extra argument (b.yaml)", "多余的参数：b.yaml"),
    ],
)
def test_framework_sentences_other_commands_may_meet_are_translated(english, chinese):
    from jixiao.cli.zh import translate

    assert translate(english) == chinese


def test_a_command_rendered_with_rich_speaks_chinese_too():
    sub = typer.Typer(rich_markup_mode="rich")

    @sub.command()
    def go(
        file: Annotated[Path, typer.Argument(help="文件。")],
        n: Annotated[int, typer.Option(help="个数。")] = 1,
    ) -> None:
        """试验命令。"""

    @sub.command()
    def other() -> None:
        """另一个。"""

    for args in (["go", "--help"], ["go"], ["go", "x", "--bogus"], ["go", "x", "--n", "q"]):
        result = runner.invoke(sub, args, prog_name="t", env={"COLUMNS": "100"})
        assert "Traceback" not in result.output
        for word in ENGLISH:
            assert word not in result.output, (word, result.output)
        assert "用法：t go [选项] 文件" in result.output
