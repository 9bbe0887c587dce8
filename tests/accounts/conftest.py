"""Fixtures for the final-accounts tests: seed 001 as transcribed, read and checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao import api

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "examples"
SEED = EXAMPLES / "accounts-001-xinxiang-2024.yaml"
SEED_TEXT = EXAMPLES / "accounts-001-explanation.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_text_path() -> Path:
    return SEED_TEXT


@pytest.fixture(scope="session")
def seed():
    """Seed 001 (新乡市科学技术协会 2024年度部门决算), read from the example."""
    return api.load_accounts(SEED)


@pytest.fixture(scope="session")
def seed_report(seed):
    return api.check_accounts(seed)
