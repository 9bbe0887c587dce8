"""Charts: drawn with a CJK font into PNG; a missing font is a warning, not a failure."""

from __future__ import annotations

import io
from decimal import Decimal

from PIL import Image
from tests.render.conftest import Rendered

from jixiao.render import charts, fonts


def _png_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "PNG"
        return im.size


def test_cjk_font_is_found():
    found = fonts.chart_font()
    assert found is not None
    assert "CJK" in found.family
    assert fonts.font_findings() == []


def test_level1_structure_and_trend(seed000: Rendered):
    ev = seed000.evaluation()
    width, height = _png_size(charts.level1_scores(ev))
    assert width > 500
    assert height > 100
    assert _png_size(
        charts.structure("支出决算结构图", [("基本支出", Decimal("599.20")), ("项目支出", Decimal("142.44"))])
    )
    assert charts.structure("空", [("基本支出", Decimal(0))]) is None
    assert charts.trend("历年总分", [(2021, Decimal("96.18"))]) is None  # one year: no trend
    assert _png_size(charts.trend("历年总分", [(2021, Decimal("96.18")), (2022, Decimal("97"))]))


def test_missing_font_gives_a_warning(monkeypatch):
    monkeypatch.setattr(fonts, "chart_font", lambda: None)
    (warning,) = fonts.font_findings()
    assert warning.code == "font-missing"
    assert warning.severity.value == "warning"


def test_trend_chart_when_several_years_are_given(tmp_path):
    from jixiao import api

    text = "department: 某单位\nyear: {year}\nframework: xiangyang-2021-department\n"
    text += "figures: {{budget_total: 100, spent: {spent}}}\n"
    text += "indicators:\n  - {{path: 产出指标/数量指标/项目数, weight: 40, target: 10个, actual: {n}个}}\n"
    files = []
    for year, spent, n in ((2022, 90, 8), (2023, 95, 10)):
        path = tmp_path / f"{year}.yaml"
        path.write_text(text.format(year=year, spent=spent, n=n), encoding="utf-8")
        files.append(path)
    result = api.render(files, tmp_path / "out", formats=["html"])
    reports = sorted(w.path for w in result.files if w.kind == "report")
    latest = reports[-1].read_text(encoding="utf-8")
    assert latest.count("data:image/png") >= 2  # level-1 scores and the trend over the years
