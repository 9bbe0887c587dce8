"""One rule for failure, shared by every command.

Exit codes: 0 no error finding; 1 error findings; 2 input that cannot be read or is not
acceptable (the message names the file, the line or cell and what to do); 3 an internal
error. On exit 3 the user reads a short Chinese message and the path of a crash report
holding the traceback; with the global ``--debug`` flag the traceback goes to the terminal
instead. Global options that raise the input limits live here too.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Annotated

import typer

from jixiao.cli.version import show as show_version
from jixiao.core import limits

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

_state = {"debug": False}


def register(app: typer.Typer) -> None:
    """Add the global options (``--debug``, ``--version`` and the limit flags) to ``app``.

    This is the app's one callback: Typer keeps only the last one registered.
    """

    @app.callback()
    def global_options(
        *,
        debug: Annotated[
            bool, typer.Option("--debug", help="内部错误时在终端显示完整的错误追踪（供开发者排查）。")
        ] = False,
        version: Annotated[
            bool,
            typer.Option("--version", help="显示版本号并退出。", callback=show_version, is_eager=True),
        ] = False,
        max_file_mb: Annotated[
            int | None,
            typer.Option(
                "--max-file-mb", min=1, help="单个输入文件的大小上限（MB，默认 20）。", show_default=False
            ),
        ] = None,
        max_rows: Annotated[
            int | None,
            typer.Option(
                "--max-rows", min=1, help="每张工作表读取的行数上限（默认 50000）。", show_default=False
            ),
        ] = None,
        max_pages: Annotated[
            int | None,
            typer.Option("--max-pages", min=1, help="PDF 读取的页数上限（默认 2000）。", show_default=False),
        ] = None,
        max_seconds: Annotated[
            int | None,
            typer.Option(
                "--max-seconds",
                min=1,
                help="处理一个文档（读取及整篇审核、计分或检查）的时间上限（秒，默认 120）。",
                show_default=False,
            ),
        ] = None,
        max_findings: Annotated[
            int | None,
            typer.Option(
                "--max-findings", min=1, help="终端每类问题最多列出的条数（默认 200）。", show_default=False
            ),
        ] = None,
    ) -> None:
        """jixiao（绩效）：绩效自评计分、部门决算校验与公开报告审核。"""
        _state["debug"] = debug
        changes: dict[str, int | float] = {}
        if max_file_mb is not None:
            changes["file_bytes"] = max_file_mb * limits.MB
        if max_rows is not None:
            changes["sheet_rows"] = max_rows
            changes["workbook_cells"] = max(limits.LIMITS.workbook_cells, max_rows * 40)
        if max_pages is not None:
            changes["pdf_pages"] = max_pages
        if max_seconds is not None:
            changes["seconds_per_document"] = float(max_seconds)
        if max_findings is not None:
            changes["findings_shown"] = max_findings
        if changes:
            limits.override(**changes)


def run(app: typer.Typer) -> None:
    """Run ``app`` under the failure rule: every unexpected exception exits 3."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover
        sys.stderr.write("已中断\n")
        sys.exit(130)
    except Exception as exc:  # the one place that turns a bug into exit 3
        sys.exit(internal_error(exc))


def internal_error(exc: BaseException) -> int:
    """Report ``exc`` as an internal error; return the exit code (3)."""
    if _state["debug"] or "--debug" in sys.argv[1:]:
        traceback.print_exception(exc, file=sys.stderr)
        return EXIT_INTERNAL
    path = write_crash_report(exc)
    where = f"错误报告已保存到 {path}" if path else "错误报告无法保存（临时目录不可写）"
    sys.stderr.write(
        f"内部错误：jixiao 未能完成这次操作（{type(exc).__name__}）。这是程序的缺陷，不是您的文件的问题；"
        f"{where}，请把它连同输入文件发给维护者。加 --debug 可在终端查看详情。\n"
    )
    return EXIT_INTERNAL


def write_crash_report(exc: BaseException) -> Path | None:
    """Write the traceback and the command line to a new file in the temp folder."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        version = package_version("jixiao")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        version = "?"
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = Path(os.environ.get("JIXIAO_CRASH_DIR") or tempfile.gettempdir())
    text = (
        f"jixiao {version} crash report\n"
        f"time: {_dt.datetime.now().isoformat()}\n"
        f"python: {platform.python_version()} {platform.platform()}\n"
        f"argv: {sys.argv!r}\n\n" + "".join(traceback.format_exception(exc))
    )
    try:
        fd, name = tempfile.mkstemp(prefix=f"jixiao-crash-{stamp}-", suffix=".txt", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as out:
            out.write(text)
    except OSError:
        return None
    return Path(name)
