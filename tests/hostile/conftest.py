"""Hostile input: fixtures shared by the regression tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.hostile.helpers import SIMPLE


@pytest.fixture
def simple(tmp_path: Path):
    """Write SIMPLE with textual replacements applied: simple(("a", "b"), name=...)."""

    def _make(*changes: tuple[str, str], name: str = "s.yaml", text: str = SIMPLE) -> Path:
        for old, new in changes:
            assert old in text, old
            text = text.replace(old, new, 1)
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _make
