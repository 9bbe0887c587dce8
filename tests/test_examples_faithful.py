"""Every example is a transcription: each number in its data is printed in the seed it names
(“seed NNN” in its header), or is derived in its own header from numbers that are. A value
the document does not print (an inferred weight, a guessed target) has no place in it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES

SEEDS = Path(__file__).resolve().parent / "data" / "seeds"
NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds are in tests/data/seeds")


def _numbers(text: str) -> set[str]:
    return {_plain(n) for n in NUMBER.findall(text.replace(",", ""))}


def _plain(number: str) -> str:
    return number.rstrip("0").rstrip(".") if "." in number else number


def _examples() -> list[Path]:
    return sorted(p for p in EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("example", _examples(), ids=lambda p: p.name)
def test_every_number_of_an_example_is_printed_in_its_seed(example):
    text = example.read_text(encoding="utf-8")
    header = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    seeds = re.findall(r"seed (\d{3})", header)
    assert seeds, "the header names the seed it transcribes"
    printed = set()
    for seed in seeds:
        (path,) = SEEDS.glob(f"{seed}_*.txt")
        printed |= _numbers(path.read_text(encoding="utf-8"))
    derived = _numbers(header)
    unprinted = []
    for number, line in enumerate(text.splitlines(), 1):
        data = line.split("#")[0]
        if re.match(r"\s*(year|source|department|title|project|path):", data):
            continue
        data = re.sub(r"path: [^,}]*", "", data)  # names may hold digits (2021年项目总个数)
        data = re.sub(r'code: "\d+"|"\d{3,7}":', "", data)  # classification codes
        for value in NUMBER.findall(data):
            if _plain(value) not in printed and _plain(value) not in derived:
                unprinted.append((number, value, line.strip()))
    assert not unprinted, unprinted


def _row_values(entry: dict) -> list[str]:
    values = []
    for key in ("weight", "target", "actual", "score", "score_rate"):
        if entry.get(key) is not None:
            values += [_plain(n) for n in NUMBER.findall(str(entry[key]))]
    return values


def _entries(data: dict) -> list[dict]:
    subs = data.get("submissions") or [data]
    return [e for s in subs for e in s.get("indicators", [])]


def _printed_beside(seed: str, name: str, values: list[str]) -> bool:
    """Whether some place where the seed prints ``name`` is followed, within its row (or its
    column, for a table printed across), by every one of ``values``."""
    pattern = re.compile(r"\s*".join(map(re.escape, name)))
    for match in pattern.finditer(seed):
        window = seed[match.end() : match.end() + 300]
        found = {_plain(n) for n in NUMBER.findall(window.replace(",", ""))}
        if set(values) <= found:
            return True
    return False


@pytest.mark.parametrize(
    "example", [p for p in _examples() if p.name.startswith("score-")], ids=lambda p: p.name
)
def test_every_row_prints_its_own_weight_target_actual_and_score(example):
    import yaml

    text = example.read_text(encoding="utf-8")
    (seed,) = re.findall(r"seed (\d{3})", text.split("\n\n")[0])[:1] or [None]
    (path,) = SEEDS.glob(f"{seed}_*.txt")
    seed_text = path.read_text(encoding="utf-8")
    unprinted = []
    for entry in _entries(yaml.safe_load(text)):
        name = entry["path"].split("/")[-1]
        values = _row_values(entry)
        if values and not _printed_beside(seed_text, name, values):
            unprinted.append((entry["path"], values))
    assert not unprinted, unprinted
