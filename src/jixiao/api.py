"""The public entry point of jixiao: what the CLI and the web application call.

Everything here returns values (models and Findings) and prints nothing. Other modules
are internal and may change.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from jixiao.core.findings import (
    Finding,
    InputError,
    Location,
    Severity,
    catalogue,
    finding,
    has_errors,
)
from jixiao.frameworks.catalog import Catalog, builtin
from jixiao.model.framework import Framework
from jixiao.model.submission import Submission
from jixiao.read.submission import read_submissions
from jixiao.score.aggregate import aggregate, weighted_total
from jixiao.score.engine import Scorer
from jixiao.score.results import Evaluation

__all__ = [
    "Catalog",
    "Evaluation",
    "Finding",
    "Framework",
    "InputError",
    "Severity",
    "Submission",
    "aggregate",
    "catalog",
    "has_errors",
    "input_errors",
    "load_submissions",
    "score",
    "score_file",
    "weighted_total",
]


def catalog(extra: Iterable[Path] = ()) -> Catalog:
    """The built-in frameworks, plus the user's framework files ``extra``."""
    base = builtin()
    extra = list(extra)
    return base.with_files(extra) if extra else base


def load_submissions(path: Path) -> list[Submission]:
    """Read a submission file; raises InputError with Chinese Findings when it cannot."""
    return read_submissions(path)[0]


def score(
    submission: Submission, *, frameworks: Catalog | None = None, file: str | None = None
) -> Evaluation:
    """Score one submission. An unknown framework raises InputError."""
    frameworks = frameworks or builtin()
    fw = frameworks.get(submission.framework)
    if fw is None:
        raise InputError(
            [
                finding(
                    "unknown-framework",
                    None if file is None else Location(file=file),
                    name=submission.framework,
                    available="、".join(frameworks.ids()),
                )
            ]
        )
    return Scorer(fw).evaluate(submission, file=file)


def score_file(path: Path, *, frameworks: Catalog | None = None) -> list[Evaluation]:
    """Read and score every submission in ``path``."""
    subs = load_submissions(path)
    return [score(s, frameworks=frameworks, file=str(path)) for s in subs]


def input_errors(findings: Iterable[Finding]) -> list[Finding]:
    """Error Findings that mean the input itself is unusable (codes of the read stage)."""
    stage = _input_codes()
    return [f for f in findings if f.severity is Severity.error and f.code in stage]


def _input_codes() -> frozenset[str]:
    return frozenset(c for c, spec in catalogue().items() if spec.stage == "input")
