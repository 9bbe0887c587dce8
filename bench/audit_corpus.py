"""Measure `jixiao audit` on the corpus of real published documents (tests/data/corpus).

    python bench/audit_corpus.py [--brief]

Prints, per document, the real discrepancies found (by an error) out of those expected,
those found only as a warning or note, false errors (errors matching no expected
discrepancy), errors on figures listed as must-not-flag, and the count of warnings; then
the totals and the ratchet kept in tests/data/corpus/baseline.yaml. The goal: at least 90%
found and at most one false error in ten documents.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.corpus import measure  # noqa: E402 - the harness lives with the tests


def main() -> None:
    t0 = time.perf_counter()
    results = measure.measure()
    elapsed = time.perf_counter() - t0
    print(measure.table(results, details="--brief" not in sys.argv))
    base = measure.baseline()
    print(f"baseline: found >= {base['found']}, false errors <= {base['false_errors']}")
    print(f"audited in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
