"""``jixiao --version``: the installed version, read from the package metadata."""

from __future__ import annotations

from importlib import metadata
from typing import Annotated

import typer


def installed_version() -> str:
    try:
        return metadata.version("jixiao")
    except metadata.PackageNotFoundError:  # running from a source tree that was never installed
        return "未安装（源代码）"


def _show(value: bool) -> None:
    if value:
        typer.echo(f"jixiao {installed_version()}")
        raise typer.Exit(0)


def register(app: typer.Typer) -> None:
    """Add ``--version`` to the top-level command."""

    @app.callback()
    def top(
        version: Annotated[
            bool,
            typer.Option("--version", help="显示版本号并退出。", callback=_show, is_eager=True),
        ] = False,
    ) -> None:
        """jixiao（绩效）：绩效自评计分、部门决算校验与公开报告审核。"""
