"""``jixiao --version``: the installed version, read from the package metadata."""

from __future__ import annotations

from importlib import metadata

import typer


def installed_version() -> str:
    try:
        return metadata.version("jixiao")
    except metadata.PackageNotFoundError:  # running from a source tree that was never installed
        return "未安装（源代码）"


def show(value: bool) -> None:
    """The ``--version`` option's callback (the option is declared with the global options
    in :mod:`jixiao.cli.failure`: a Typer app has one callback, and a second would replace
    the first)."""
    if value:
        typer.echo(f"jixiao {installed_version()}")
        raise typer.Exit(0)
