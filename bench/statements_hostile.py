"""Time the statement reader (jixiao.read.published.statements) on hostile sentences.

    python bench/statements_hostile.py

Prints seconds per input; every pattern is linear, so each stays well under a second.
"""

from __future__ import annotations

import time

from jixiao.read.published.statements.bind import changes, listed_sums, read, shares

INPUTS = {
    "40,000 digits": "1" * 40000,
    "40,000 digits and a unit": "1" * 40000 + "万元",
    "20,000 '1,'": "1," * 20000,
    "20,000 '其中' and an amount": "其中" * 20000 + "1万元",
    "20,000 open brackets": "（" * 20000 + "1万元",
    "4,000 changes in one clause": "增加1万元，增长1%，" * 4000,
    "4,000 listed shares": "其中1万元，占1%；" * 4000,
}


def main() -> None:
    for label, text in INPUTS.items():
        t0 = time.perf_counter()
        reading = read([text, text])
        for i in range(len(reading.statements)):
            list(changes(reading, i))
            list(shares(reading, i))
        list(listed_sums(reading))
        print(f"{label:<32} {len(text):>6} chars  {time.perf_counter() - t0:.3f} s")


if __name__ == "__main__":
    main()
