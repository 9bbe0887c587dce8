"""The final-accounts publication (部门决算): planned here, written by the format modules."""

from __future__ import annotations

from pathlib import Path

from jixiao.core.findings import Finding
from jixiao.render.documents import Doc


def is_accounts(path: Path) -> bool:
    """Whether ``path`` holds final accounts rather than self-evaluation submissions."""
    return False


def plan_file(path: Path, *, with_findings: bool) -> tuple[Doc, list[Finding]]:
    raise NotImplementedError
