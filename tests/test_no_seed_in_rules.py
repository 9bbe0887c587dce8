"""No seed's distinctive figures or department names in the product's code, rules and
templates: what the seeds print lives in ``src/jixiao/examples/``; elsewhere a seed may only be
named as the source of a data file (its ``source``/``sources`` entries and comments)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "jixiao"
SEEDS = ROOT / "tests" / "data" / "seeds"
SCANNED = {".py", ".yaml", ".yml", ".md", ".txt", ".html", ".js", ".json", ".csv", ".css"}
#: data transcribed from published documents, which name their source
PROVENANCE = (SRC / "frameworks" / "data", SRC / "model" / "catalogs")
#: department names printed by the seeds
NAMES = ("新乡市科学技术协会", "襄阳市科学技术协会", "香河县科学技术协会", "乐山市市中区科学技术协会")
_DECIMAL = re.compile(r"(?<![\d.])\d{1,6}\.\d{1,4}(?![\d.])")
_SOURCE_LINE = re.compile(r"^\s*(#|source:|sources:|[A-Z][A-Z0-9]*:)")


def seed_numbers() -> set[str]:
    """Decimals printed by the seeds with at least four significant digits, not round
    (837.1, 667.77, 741.64 — not 2.5 or 100.00)."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    found = set(_DECIMAL.findall(text))
    return {n for n in found if len(n.replace(".", "").lstrip("0")) >= 4 and not re.fullmatch(r"\d+\.0+", n)}


def hits(path: Path, text: str, numbers: set[str], names: tuple[str, ...] = NAMES) -> list[str]:
    """Lines of ``text`` (the file at ``path``) that hold a seed's number or name."""
    provenance = any(path.is_relative_to(d) for d in PROVENANCE)
    out = []
    for no, line in enumerate(text.splitlines(), 1):
        if provenance and _SOURCE_LINE.match(line):
            continue
        tokens = [n for n in names if n in line]
        tokens += [n for n in _DECIMAL.findall(line) if n in numbers]
        if tokens:
            out.append(f"{path.relative_to(ROOT)}:{no}: {'、'.join(tokens)}")
    return out


def product_files() -> list[Path]:
    return sorted(
        p
        for p in SRC.rglob("*")
        if p.is_file()
        and p.suffix in SCANNED
        and not p.is_relative_to(SRC / "examples")
        and "__pycache__" not in p.parts
    )


def test_the_seeds_give_distinctive_numbers():
    numbers = seed_numbers()
    assert len(numbers) > 50
    assert {"667.77", "741.64", "837.1"} <= numbers
    assert not {"100.00", "2.5", "0.5"} & numbers


def test_the_scan_finds_a_seed_figure_or_name(tmp_path):
    numbers = seed_numbers()
    rule = SRC / "check" / "formulas" / "x.yaml"
    assert hits(rule, "threshold: 667.77\n", numbers) == ["src/jixiao/check/formulas/x.yaml:1: 667.77"]
    assert hits(rule, "ok: 1667.77 and 667.771\n", numbers) == []
    assert hits(rule, "# 新乡市科学技术协会\n", numbers)
    data = SRC / "frameworks" / "data" / "x.yaml"
    assert hits(data, "source: 新乡市科学技术协会2024年度\n# 99.67% scores 741.64\n", numbers) == []
    assert hits(data, "weight: 741.64\n", numbers)


@pytest.mark.parametrize("path", product_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_seed_figure_or_name_outside_the_examples(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    assert not hits(path, text, seed_numbers()), "move it to src/jixiao/examples/ or write the rule generally"
