"""Chinese for the command-line framework's own words: usage lines, help headings, the help
option, parameter types and every usage error ("No such option", "Missing argument" ...).

typer ships its own copy of click whose messages are plain English strings, so there is no
message catalogue to hook; instead the few places that produce them are wrapped once, by
:func:`install`, before the command runs. Every command gets it, whoever adds it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import IO, Any

import typer.core
from rich.cells import cell_len
from typer import _click

#: Whole texts typer itself passes through gettext (help headings and help extras).
_WORDS = {
    "Arguments": "参数",
    "Options": "选项",
    "Commands": "命令",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "Aborted!": "已中止。",
    "Missing command.": "缺少命令。",
    "Show this message and exit.": "显示本帮助并退出。",
}

#: Usage-line placeholders.
_PIECES = {
    "[OPTIONS]": "[选项]",
    "COMMAND [ARGS]...": "命令 [参数]...",
    "[ARGS]...": "[参数]...",
}

#: Parameter names as the usage line and errors show them (the Python name otherwise).
_NAMES = {
    "file": "文件",
    "files": "文件",
    "folder": "目录",
    "directory": "目录",
    "out": "输出目录",
    "framework_id": "指标体系ID",
    "target": "目标文件",
    "path": "路径",
}

#: Type labels in help: <path>, <list[Path]>, <str> ...
_TYPES = {
    "path": "路径",
    "Path": "路径",
    "file": "文件",
    "directory": "目录",
    "str": "文字",
    "int": "整数",
    "int range": "整数",
    "float range": "数值",
    "float": "数值",
    "Decimal": "数值",
    "bool": "是/否",
    "datetime": "日期时间",
}


def _no_such_command(match: re.Match[str]) -> str:
    text = f"没有命令“{match.group(1)}”。"
    if match.group(2):
        text += f"是否应为 {match.group(2)}？"
    return text


def _invalid_value(match: re.Match[str]) -> str:
    """ "Invalid value for '--jobs' / '-j': " -> "选项 --jobs（-j）的值无效："."""
    names = [n.strip(" '\"") for n in match.group(1).split(" / ")]
    shown = names[0] + (f"（{'、'.join(names[1:])}）" if len(names) > 1 else "")
    return f"“{shown}”的值无效："


#: Usage errors, in the order tried; each English sentence becomes a Chinese one.
_ERRORS: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"No such option: (\S+)", r"没有选项 \1"),
        (r"\(Possible options: (.*)\)", r"（可用的选项：\1）"),
        (r"No such command '(.+?)'\.(?: Did you mean (.+?)\?)?", _no_such_command),
        (r"Missing argument '(.+?)'\.", r"缺少参数“\1”。"),
        (r"Missing option '(.+?)'\.", r"缺少选项“\1”。"),
        (r"Missing (argument|option|parameter)\b\.?", r"缺少参数。"),
        (r"Missing parameter: (\S+)", r"缺少参数“\1”"),
        (r"Invalid value for (.+?): ", _invalid_value),
        (r"Invalid value: ", r"值无效："),
        (r"Option '(.+?)' requires an argument\.", r"选项“\1”后面需要一个值。"),
        (r"Option '(.+?)' requires (\d+) arguments\.", r"选项“\1”后面需要 \2 个值。"),
        (r"Option '(.+?)' does not take a value\.", r"选项“\1”不带值。"),
        (r"Argument '(.+?)' takes (\d+) values\.", r"参数“\1”需要 \2 个值。"),
        (r"Got unexpected extra argument\(s\) \((.*)\)", r"多余的参数：\1"),
        (r"Got unexpected extra arguments? \((.*)\)", r"多余的参数：\1"),
        (r"Could not open file '(.+?)': ", r"无法打开文件“\1”："),
        (r"'(.+?)' is not a valid (integer|float|boolean)\.?", r"“\1”不是有效的数值。"),
        (r"'(.+?)' is not one of (.+?)\.", r"“\1”不是可用的值之一：\2。"),
        (r"'(.+?)' is not (.+?)\.", r"“\1”不是 \2。"),
        (r"(?:File|Path|Directory) '(.+?)' does not exist\.", r"“\1”不存在。"),
        (r"(?:File|Path) '(.+?)' is a directory\.", r"“\1”是目录，不是文件。"),
        (r"(?:Directory|Path) '(.+?)' is a file\.", r"“\1”是文件，不是目录。"),
        (r"(?:File|Path|Directory) '(.+?)' is not readable\.", r"“\1”无法读取。"),
        (r"(?:File|Path|Directory) '(.+?)' is not writable\.", r"“\1”无法写入。"),
        (r"unknown error", r"未知错误"),
        (r"Input should be a valid integer(?:, unable to parse string as an integer)?", r"应为整数"),
        (r"Input should be a valid number(?:, unable to parse string as a number)?", r"应为数字"),
        (r"Input should be a valid boolean[^;\n]*", r"应为 是 或 否"),
        (r"Input should be greater than or equal to (\S+)", r"应不小于 \1"),
        (r"Input should be less than or equal to (\S+)", r"应不大于 \1"),
        (r"Input should be greater than (\S+)", r"应大于 \1"),
        (r"Input should be less than (\S+)", r"应小于 \1"),
        (r"Input should be (.+)", r"应为 \1"),
        (r"Value '(.+?)' is not a valid (\w+)\.", r"“\1”不是有效的值（\2）。"),
    )
)


def translate(text: str) -> str:
    """A framework message in Chinese (text that matches no pattern is left as it is)."""
    for pattern, replacement in _ERRORS:
        text = pattern.sub(replacement, text)
    return text


def _type_label(label: str) -> str:
    """'<list[Path]>' -> '<路径，可重复>', '<path>' -> '<路径>'."""
    inner = label[1:-1] if label.startswith("<") and label.endswith(">") else label
    many = inner.startswith("list[") and inner.endswith("]")
    if many:
        inner = inner[5:-1]
    inner = _TYPES.get(inner, inner)
    return f"<{inner}，可重复>" if many else f"<{inner}>"


def _usage_show(self: _click.exceptions.UsageError, file: IO[Any] | None = None) -> None:
    """UsageError.show in Chinese: the usage line, where to find help, the error."""
    if file is None:
        file = _click._compat.get_text_stderr()
    color = None
    hint = ""
    if self.ctx is not None and self.ctx.command.get_help_option(self.ctx) is not None:
        hint = f"运行“{self.ctx.command_path} {self.ctx.help_option_names[0]}”查看帮助。\n"
    if self.ctx is not None:
        color = self.ctx.color
        _click.utils.echo(f"{self.ctx.get_usage()}\n{hint}", file=file, color=color)
    _click.utils.echo(f"错误：{translate(self.format_message())}", file=file, color=color)


def _click_show(self: _click.exceptions.ClickException, file: IO[Any] | None = None) -> None:
    if file is None:
        file = _click._compat.get_text_stderr()
    _click.utils.echo(f"错误：{translate(self.format_message())}", file=file, color=self.show_color)


def _pieces(method: Callable[..., list[str]]) -> Callable[..., list[str]]:
    @wraps(method)
    def collect(self: Any, ctx: Any) -> list[str]:
        return [_PIECES.get(p, p) for p in method(self, ctx)]

    return collect


def _help_option(method: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(method)
    def get(self: Any, ctx: Any) -> Any:
        option = method(self, ctx)
        if option is not None:
            option.help = _WORDS["Show this message and exit."]
        return option

    return get


def _write_usage(method: Callable[..., None]) -> Callable[..., None]:
    @wraps(method)
    def write(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        method(self, prog, args, "用法：" if prefix is None else prefix)

    return write


def _display_type(method: Callable[..., str]) -> Callable[..., str]:
    @wraps(method)
    def show(self: Any, ctx: Any) -> str:
        return _type_label(method(self, ctx))

    return show


def _write_heading(self: Any, heading: str) -> None:
    self.write(f"{'':>{self.current_indent}}{heading}：\n")


def _describe_range(min: float | None, max: float | None) -> str | None:
    """A number option's range in the help: '≥1', '1–65535' (the framework writes 'x>=1')."""
    if min is not None and max is not None:
        return f"{min}–{max}"
    if min is not None:
        return f"≥{min}"
    return None if max is None else f"≤{max}"


def _display_name(self: Any) -> str:
    if self.metavar is not None:
        return str(self.metavar)
    name: str = _NAMES.get(self.name, self.name)
    return name


def _usage_name(self: Any) -> str:
    """An argument in the usage line: 文件 when required, [文件] when not (typer writes {file})."""
    name = self.display_name_raw
    name = name if self.required else f"[{name}]"
    return name + ("..." if self.nargs != 1 else "")


_installed: set[str] = set()


def install() -> None:
    """Put the framework's words into Chinese (idempotent)."""
    if _installed:
        return
    _installed.add("typer")
    typer.core._ = lambda message: _WORDS.get(message, message)  # type: ignore[attr-defined]
    exceptions = _click.exceptions
    exceptions.UsageError.show = _usage_show  # type: ignore[method-assign]
    exceptions.ClickException.show = _click_show  # type: ignore[method-assign]
    for cls in (_click.core.Command, typer.core.TyperGroup):
        if "collect_usage_pieces" in vars(cls):
            cls.collect_usage_pieces = _pieces(vars(cls)["collect_usage_pieces"])  # type: ignore[method-assign]
    typer.core.describe_number_range = _describe_range  # type: ignore[attr-defined]
    command = _click.core.Command
    command.get_help_option = _help_option(command.get_help_option)  # type: ignore[method-assign]
    formatter = _click.formatting.HelpFormatter
    formatter.write_usage = _write_usage(formatter.write_usage)  # type: ignore[method-assign]
    formatter.write_heading = _write_heading  # type: ignore[method-assign]
    # Column widths in display cells, so that Chinese help text lines up.
    _click.formatting.term_len = lambda x: cell_len(_click._compat.strip_ansi(x))  # type: ignore[attr-defined]
    parameter = typer.core._TyperParameter
    parameter.display_type = _display_type(parameter.display_type)  # type: ignore[method-assign]
    parameter.display_name_raw = property(_display_name)  # type: ignore[assignment,method-assign]
    typer.core.TyperArgument._usage_display_name = _usage_name  # type: ignore[method-assign]
    _rich_words()


def _rich_words() -> None:
    """The same words where a command renders its help and errors with rich."""
    try:
        from typer import rich_utils
    except ImportError:  # pragma: no cover - rich is a dependency
        return
    rich_utils.DEPRECATED_STRING = "（已弃用）"
    rich_utils.DEFAULT_STRING = "[默认：{}]"
    rich_utils.ENVVAR_STRING = "[环境变量：{}]"
    rich_utils.REQUIRED_LONG_STRING = "[必填]"
    rich_utils.ARGUMENTS_PANEL_TITLE = "参数"
    rich_utils.OPTIONS_PANEL_TITLE = "选项"
    rich_utils.COMMANDS_PANEL_TITLE = "命令"
    rich_utils.ERRORS_PANEL_TITLE = "错误"
    rich_utils.ABORTED_TEXT = "已中止。"
    rich_utils.RICH_HELP = "运行 [blue]“{command_path} {help_option}”[/] 查看帮助。"
    original = rich_utils.rich_format_error

    def format_error(self: Any) -> None:
        self.message = translate(self.format_message())
        self.format_message = lambda: self.message
        original(self)

    rich_utils.rich_format_error = format_error
