"""Charts drawn with matplotlib (Agg, no pyplot state) into PNG bytes.

The numbers are Decimal up to the drawing call, where matplotlib gets floats; the labels
printed on the chart are formatted from the Decimals, so they read as the tables do.
Every chart is drawn once per render and shared by the Word, PDF and HTML documents.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from jixiao.render.fmt import money, pct, score
from jixiao.render.fonts import chart_font
from jixiao.score.results import Evaluation

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

#: Colours of the charts (a sober blue scale that survives a grey-scale printer).
BLUE, LIGHT, GREY, DARK = "#2b5d9b", "#c9d7ea", "#8a8a8a", "#1d1d1d"
PALETTE = ("#2b5d9b", "#e0903a", "#5a9e5a", "#b5483b", "#7d62a8", "#8c6d3f", "#c7c7c7")
DPI = 150


def _figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _font(size: float = 9, bold: bool = False) -> FontProperties:
    from matplotlib.font_manager import FontProperties

    found = chart_font()
    props = FontProperties(fname=found.path) if found else FontProperties()
    props.set_size(size)
    if bold:
        props.set_weight("bold")
    return props


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def level1_scores(ev: Evaluation) -> bytes | None:
    """Score against weight for each level-1 indicator (horizontal bars)."""
    items = [(top.name, top.weight, top.score) for top in ev.indicators if top.weight is not None]
    if not items:
        return None
    fig = _figure(6.4, 0.55 * len(items) + 1.1)
    ax = fig.add_subplot()
    names = [n for n, _, _ in items][::-1]
    weights = [float(w) for _, w, _ in items][::-1]  # floats only for drawing
    scores = [float(s) if s is not None else 0.0 for _, _, s in items][::-1]
    ax.barh(names, weights, color=LIGHT, height=0.6, label="分值")
    ax.barh(names, scores, color=BLUE, height=0.36, label="得分")
    for y, (_, w, s) in enumerate(items[::-1]):
        label = f"{score(s)} / {score(w)}" if s is not None else f"— / {score(w)}"
        ax.text(float(w), y, "  " + label, va="center", fontproperties=_font(8), color=DARK)
    ax.set_yticks(range(len(names)), names, fontproperties=_font(9))
    ax.set_xlim(0, max(weights) * 1.35)
    ax.set_xlabel("分", fontproperties=_font(8), color=GREY)
    ax.set_title(
        f"各一级指标得分（总分 {score(ev.total)} / {score(ev.full_score)}）",
        fontproperties=_font(10, bold=True),
    )
    ax.legend(prop=_font(8), loc="lower right", frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", labelsize=8, colors=GREY)
    fig.tight_layout()
    return _png(fig)


def structure(title: str, parts: Sequence[tuple[str, Decimal]], unit: str = "万元") -> bytes | None:
    """A structure chart (收入/支出决算结构图): a ring of the parts with their shares."""
    parts = [(name, value) for name, value in parts if value is not None and value > 0]
    if not parts:
        return None
    whole = sum((v for _, v in parts), Decimal(0))
    fig = _figure(6.4, 3.3)
    ax = fig.add_subplot()
    wedges, _ = ax.pie(
        [float(v) for _, v in parts],  # floats only for drawing
        colors=PALETTE[: len(parts)],
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.42, "edgecolor": "white"},
    )
    labels = [f"{name}  {money(v)}{unit}（{pct(v / whole)}）" for name, v in parts]
    ax.legend(wedges, labels, prop=_font(9), loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    ax.text(0, 0, f"合计\n{money(whole)}", ha="center", va="center", fontproperties=_font(9))
    ax.set_title(title, fontproperties=_font(11, bold=True))
    ax.set_aspect("equal")
    fig.subplots_adjust(left=0.02, right=0.52, top=0.86, bottom=0.04)
    return _png(fig)


def trend(title: str, points: Sequence[tuple[int, Decimal]], unit: str = "分") -> bytes | None:
    """A value over years (two points or more), each point labelled."""
    points = sorted((y, v) for y, v in points if v is not None)
    if len(points) < 2:
        return None
    fig = _figure(6.4, 2.8)
    ax = fig.add_subplot()
    years = [str(y) for y, _ in points]
    values = [float(v) for _, v in points]  # floats only for drawing
    ax.plot(years, values, color=BLUE, marker="o", linewidth=2)
    for x, (_, v) in enumerate(points):
        ax.annotate(
            f"{score(v) if unit == '分' else money(v)}",
            (x, float(v)),
            textcoords="offset points",
            xytext=(0, 7),
            ha="center",
            fontproperties=_font(8),
        )
    ax.set_title(title, fontproperties=_font(10, bold=True))
    ax.set_ylabel(unit, fontproperties=_font(8), color=GREY)
    low, high = min(values), max(values)
    pad = max((high - low) * 0.25, abs(high) * 0.02, 1.0)
    ax.set_ylim(low - pad, high + pad)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8, colors=GREY)
    fig.tight_layout()
    return _png(fig)
