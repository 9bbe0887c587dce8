"""The collector settings of a run over many inputs are set inside it and restored after."""

from __future__ import annotations

import gc

import pytest

from jixiao.core.batch import YOUNG_THRESHOLD, many_inputs


def test_many_inputs_tunes_the_collector_and_restores_it() -> None:
    before = gc.get_threshold()
    with many_inputs():
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_many_inputs_restores_the_collector_after_an_error() -> None:
    before = gc.get_threshold()
    with pytest.raises(ValueError, match="x"), many_inputs():
        raise ValueError("x")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
