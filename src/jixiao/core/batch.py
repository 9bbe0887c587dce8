"""Process settings for a run over many inputs (``jixiao score``/``check`` on a folder, a
task worker, the benches).

Checking a department's final accounts allocates some 650 records (each rule instance's
outcome, the Findings) that live until its report is dropped. With Python's default
collector threshold (700 allocations) the young generation is scanned several times per
department, and every older collection walks all the modules, catalogs and compiled rule
plans loaded before: a quarter of the checking time, with nothing to collect. Inside
:func:`many_inputs` what was loaded before is moved out of the collector's way
(``gc.freeze``) and the young generation is collected every 10,000 allocations. Cycles are
still collected; memory stays flat (bench/scale.py prints it).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Allocations between two collections of the young generation inside :func:`many_inputs`.
YOUNG_THRESHOLD = 10_000


@contextmanager
def many_inputs() -> Iterator[None]:
    """Tune the garbage collector for a loop over many inputs; restored on exit."""
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()
