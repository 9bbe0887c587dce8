"""A quick, fixed-seed subset of bench/fuzz.py: no traceback and no hang on any case."""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

import pytest
from tests.hostile.helpers import REPO

QUICK = {
    "submission-yaml": 50,
    "submission-json": 50,
    "submission-xlsx": 20,
    "accounts-yaml": 15,
    "accounts-json": 15,
    "accounts-xlsx": 15,
    "framework": 20,
    "rules": 15,
    "word-template": 8,
    "audit-txt": 15,
    "audit-docx": 10,
    "audit-xlsx": 10,
    "audit-pdf": 8,
}


def _fuzz():
    spec = importlib.util.spec_from_file_location("jixiao_bench_fuzz", REPO / "bench" / "fuzz.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fuzzed():
    """The harness and its readers, built once (their seeds are rendered from the examples)."""
    fuzz = _fuzz()
    with tempfile.TemporaryDirectory(prefix="jixiao-fuzz-") as tmp:
        work = Path(tmp)
        yield fuzz, fuzz.readers(work, sorted(QUICK)), work


@pytest.mark.parametrize("name", sorted(QUICK))
def test_quick_fuzz_has_no_traceback_and_no_hang(fuzzed, name: str) -> None:
    fuzz, readers, work = fuzzed
    reader = readers[name]
    if not reader.seeds:  # PDF seeds need the fonts and pango that rendering PDF uses
        pytest.skip(f"no seed for {name}")
    tally = fuzz.run_reader(reader, QUICK[name], 20261130, 30.0, 2048, 100, work)
    assert tally.cases == QUICK[name]
    assert tally.tracebacks == 0, tally.examples
    assert tally.hangs == 0, tally.examples
    assert tally.peak_mb < 500, tally.peak_mb


def test_the_watchdog_kills_a_worker_stuck_in_c_code_and_goes_on() -> None:
    """A case that the worker's own timer cannot stop (its signal blocked, as in C code that
    never returns to Python): the parent kills the worker, counts a hang, and goes on."""
    import signal
    import time

    fuzz = _fuzz()

    def stuck(path: Path) -> None:
        if path.read_bytes() == b"stuck":
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGPROF})
            end = time.monotonic() + 60
            while time.monotonic() < end:  # busy: CPU time runs
                pass

    def mutate(raw: bytes, rng) -> bytes:
        return b"stuck" if rng.random() < 0.25 else b"fine"

    reader = fuzz.Reader("watchdog", ".txt", [b"seed"], mutate, stuck)
    stuck_cases = [i for i in range(8) if fuzz._case_input(reader, 3, i) == b"stuck"]
    assert stuck_cases  # the seed gives at least one
    with tempfile.TemporaryDirectory(prefix="jixiao-fuzz-") as tmp:
        tally = fuzz.run_reader(reader, 8, 3, 0.5, 2048, 8, Path(tmp))
    assert tally.cases == 8
    assert tally.hangs == len(stuck_cases)
    assert tally.accepted == 8 - len(stuck_cases)
    assert tally.tracebacks == 0


def test_cases_are_reproducible() -> None:
    fuzz = _fuzz()
    with tempfile.TemporaryDirectory(prefix="jixiao-fuzz-") as tmp:
        reader = fuzz.readers(Path(tmp), ["submission-yaml"])["submission-yaml"]
        first = [fuzz._case_input(reader, 11, i) for i in range(20)]
        again = [fuzz._case_input(reader, 11, i) for i in range(20)]
        other = [fuzz._case_input(reader, 12, i) for i in range(20)]
    assert first == again
    assert first != other
