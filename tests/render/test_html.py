"""HTML: one self-contained page per report, the same numbers as the model."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tests.render.conftest import Rendered, same

from jixiao.render import sentences


class _Cells(HTMLParser):
    """The text of every table cell, table by table."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.tables:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_report_html_is_self_contained(seed001: Rendered):
    html = seed001.file("report", "html").read_text(encoding="utf-8")
    assert "<style>" in html
    assert "@page" in html
    assert 'src="data:image/png;base64,' in html  # charts inline
    assert not re.search(r'(src|href)="(?!data:)', html)  # nothing fetched from elsewhere


def test_report_html_numbers(seed001: Rendered):
    ev = seed001.evaluation()
    html = seed001.file("report", "html").read_text(encoding="utf-8")
    for sentence in sentences.grade_summary(ev):
        assert sentence in html
    parser = _Cells()
    parser.feed(html)
    table = next(t for t in parser.tables if t and t[0][:1] == ["一级指标"] and len(t) == 4)
    for i, top in enumerate(ev.indicators, start=1):
        assert same(table[3][i], top.score)
    assert same(table[3][-1], ev.total)


def test_department_text_is_escaped(tmp_path):
    from jixiao import api

    src = tmp_path / "s.yaml"
    src.write_text(
        "department: 测试<单位>&\nyear: 2024\nframework: xinxiang-2024-department\n"
        'summary: {工作开展情况: "<script>alert(1)</script>"}\n',
        encoding="utf-8",
    )
    result = api.render(src, tmp_path / "out", formats=["html", "docx"])
    html = next(w.path for w in result.files if w.format == "html").read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "测试&lt;单位&gt;&amp;" in html
