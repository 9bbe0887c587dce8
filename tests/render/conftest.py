"""Render the seeds' examples once per test session; the tests reopen what was written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao import api
from jixiao.render import RenderResult, Written
from jixiao.score.results import Evaluation

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "src" / "jixiao" / "examples"
SEED_000 = EXAMPLES / "score-000-xinxiang-2021-department.yaml"
SEED_001 = EXAMPLES / "score-001-xinxiang-2024-department.yaml"
SEED_001_PROJECTS = EXAMPLES / "score-001-xinxiang-2024-projects.yaml"
SEED_002 = EXAMPLES / "score-002-xiangyang-2021-department.yaml"


@dataclass(frozen=True)
class Rendered:
    """What one render wrote, and the evaluations its numbers must equal."""

    result: RenderResult
    evaluations: list[Evaluation]

    def file(self, kind: str, fmt: str, index: int = 0) -> Path:
        found = [w.path for w in self.result.files if w.kind == kind and w.format == fmt]
        return found[index]

    def files(self, kind: str, fmt: str) -> list[Written]:
        return [w for w in self.result.files if w.kind == kind and w.format == fmt]

    def evaluation(self, department: str | None = None, project: str | None = None) -> Evaluation:
        for ev in self.evaluations:
            if project is not None and ev.project == project:
                return ev
            if project is None and ev.project is None and (department is None or ev.department == department):
                return ev
        raise KeyError(department or project)


def _render(out: Path, *files: Path, **options: object) -> Rendered:
    result = api.render(list(files), out, **options)  # type: ignore[arg-type]
    evaluations = [e for f in files for e in api.score_file(f)]
    return Rendered(result, evaluations)


@pytest.fixture(scope="session")
def seed000(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """Seed 000 in every format, with the Findings appendix."""
    return _render(tmp_path_factory.mktemp("seed000"), SEED_000, with_findings=True)


@pytest.fixture(scope="session")
def seed001(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """Seed 001: the department and its eight projects, every format."""
    return _render(tmp_path_factory.mktemp("seed001"), SEED_001, SEED_001_PROJECTS)


@pytest.fixture(scope="session")
def seed002(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """Seed 002 (襄阳, 预算执行 block), Word and Excel only."""
    return _render(tmp_path_factory.mktemp("seed002"), SEED_002, formats=["xlsx", "docx"])


def dec(value: object) -> Decimal:
    """A number read back from a file (float from openpyxl, text from Word/PDF) as Decimal."""
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace(",", "")
    return Decimal(text.removesuffix("%")) / (100 if text.endswith("%") else 1)


def same(read: object, expected: Decimal | None, places: int = 2) -> bool:
    """The number read equals the model's, at the precision the document prints."""
    if expected is None:
        return read in (None, "")
    q = Decimal(1).scaleb(-places)
    return dec(read).quantize(q) == expected.quantize(q)


Check = Callable[[object, Decimal | None], bool]
