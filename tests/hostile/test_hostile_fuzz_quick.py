"""A quick, fixed-seed subset of bench/fuzz.py: no traceback and no hang on any case."""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

import pytest
from tests.hostile.helpers import REPO

QUICK = {"submission-yaml": 60, "submission-json": 60, "framework": 20, "audit-txt": 15, "accounts-json": 10}


def _fuzz():
    spec = importlib.util.spec_from_file_location("jixiao_bench_fuzz", REPO / "bench" / "fuzz.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", sorted(QUICK))
def test_quick_fuzz_has_no_traceback_and_no_hang(name: str) -> None:
    fuzz = _fuzz()
    with tempfile.TemporaryDirectory(prefix="jixiao-fuzz-") as tmp:
        work = Path(tmp)
        reader = fuzz.readers(work, [name])[name]
        tally = fuzz.run_reader(reader, QUICK[name], 20261130, 30.0, 2048, 100, work)
    assert tally.cases == QUICK[name]
    assert tally.tracebacks == 0, tally.examples
    assert tally.hangs == 0, tally.examples
