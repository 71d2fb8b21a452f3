"""The charts' geometry: where each bar, line, tick and label goes, as numbers. The markup is
in templates/admin/reports/ (SVG drawn on the server, readable without JavaScript)."""

import math
from dataclasses import dataclass, field

WIDTH = 760
HEIGHT = 280
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 36, 44
# Colours that read apart for the common colour blindnesses (Okabe-Ito), on white.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9")
MAX_X_LABELS = 14


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: float
    color: str
    group: str
    series: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class LegendItem:
    x: float
    color: str
    name: str
    dashed: bool = False


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    group: str


@dataclass(frozen=True)
class Line:
    name: str
    color: str
    points: str  # "x,y x,y ..." for <polyline points>
    markers: list[Point]
    dashed: bool = False


@dataclass
class Chart:
    title: str
    description: str
    unit: str = ""
    id: str = ""  # the SVG's id, unique on the page (reports/sections.py sets it)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    right: float = WIDTH - RIGHT
    bottom: float = HEIGHT - BOTTOM
    y_ticks: list[Label] = field(default_factory=list)
    x_labels: list[Label] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten not below ``value`` (1 for nothing)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover (the loop always returns)


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def axis_ceiling(top_value: float, *, counts: bool) -> float:
    """The axis' top: a round number; for counts, a multiple of 4 (the ticks are whole)."""
    if counts:
        return 4 * max(1, math.ceil(nice_ceiling(top_value / 4)))
    return nice_ceiling(top_value)


def _frame(
    chart: Chart, groups: list[str], names: list[str], top_value: float, *, counts: bool = False
) -> float:
    """Ticks, x labels and legend; returns the y scale (pixels per unit)."""
    ceiling = axis_ceiling(top_value, counts=counts)
    height = chart.bottom - chart.top
    for i in range(5):
        value = ceiling * i / 4
        chart.y_ticks.append(Label(chart.left - 6, chart.bottom - height * i / 4, _number(value)))
    band = (chart.right - chart.left) / max(len(groups), 1)
    every = max(1, math.ceil(len(groups) / MAX_X_LABELS))
    for index, group in enumerate(groups):
        if index % every == 0:
            chart.x_labels.append(
                Label(chart.left + band * (index + 0.5), chart.bottom + 16, group)
            )
    for index, name in enumerate(names):
        chart.legend.append(
            LegendItem(chart.left + index * 170, PALETTE[index % len(PALETTE)], name)
        )
    return height / ceiling


def bar_chart(
    *,
    title: str,
    description: str,
    groups: list[str],
    series: list[str],
    values: list[list[float]],
    unit: str = "",
) -> Chart:
    """Grouped bars of counts: ``values[g][s]`` is series ``s`` in group ``g`` (e.g. a week)."""
    chart = Chart(title, description, unit)
    top_value = max((value for row in values for value in row), default=0)
    scale = _frame(chart, groups, series, top_value, counts=True)
    band = (chart.right - chart.left) / max(len(groups), 1)
    width = band * 0.8 / max(len(series), 1)
    for g, group in enumerate(groups):
        for s, name in enumerate(series):
            value = values[g][s]
            height = value * scale
            chart.bars.append(
                Bar(
                    x=round(chart.left + band * g + band * 0.1 + width * s, 2),
                    y=round(chart.bottom - height, 2),
                    width=round(width, 2),
                    height=round(height, 2),
                    value=value,
                    color=PALETTE[s % len(PALETTE)],
                    group=group,
                    series=name,
                )
            )
    return chart


def line_chart(
    *,
    title: str,
    description: str,
    groups: list[str],
    series: list[tuple[str, list[float | None]]],
    targets: list[tuple[str, float]],
    unit: str = "",
) -> Chart:
    """Lines over groups (None: no value that week, the line skips it) and horizontal dashed
    target lines."""
    chart = Chart(title, description, unit)
    known = [value for _name, values in series for value in values if value is not None]
    top_value = max([*known, *(value for _name, value in targets)], default=0)
    names = [name for name, _values in series] + [name for name, _value in targets]
    scale = _frame(chart, groups, names, top_value)
    band = (chart.right - chart.left) / max(len(groups), 1)
    for s, (name, values) in enumerate(series):
        markers = [
            Point(
                round(chart.left + band * (g + 0.5), 2),
                round(chart.bottom - value * scale, 2),
                value,
                groups[g],
            )
            for g, value in enumerate(values)
            if value is not None
        ]
        points = " ".join(f"{p.x},{p.y}" for p in markers)
        chart.lines.append(Line(name, PALETTE[s % len(PALETTE)], points, markers))
    for t, (name, value) in enumerate(targets):
        y = round(chart.bottom - value * scale, 2)
        color = PALETTE[(len(series) + t) % len(PALETTE)]
        chart.lines.append(
            Line(name, color, f"{chart.left},{y} {chart.right},{y}", [], dashed=True)
        )
    for index in range(len(series), len(names)):
        item = chart.legend[index]
        chart.legend[index] = LegendItem(item.x, item.color, item.name, dashed=True)
    return chart


def hbar_chart(
    *, title: str, description: str, labels: list[str], values: list[float], series: str
) -> Chart:
    """One bar per row (e.g. a clinic), labels on the left."""
    row = 24
    chart = Chart(title, description, height=TOP + row * max(len(labels), 1) + 28)
    chart.left = 260
    chart.right = WIDTH - 32  # room for the last tick's number
    chart.bottom = chart.height - 28
    ceiling = axis_ceiling(max(values, default=0), counts=True)
    scale = (chart.right - chart.left) / ceiling
    for i in range(5):
        value = ceiling * i / 4
        chart.x_labels.append(
            Label(
                chart.left + (chart.right - chart.left) * i / 4, chart.bottom + 16, _number(value)
            )
        )
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = chart.top + row * index
        chart.y_ticks.append(Label(chart.left - 6, y + row * 0.65, label[:40]))
        chart.bars.append(
            Bar(
                x=chart.left,
                y=y + 3,
                width=round(value * scale, 2),
                height=row - 6,
                value=value,
                color=PALETTE[0],
                group=label,
                series=series,
            )
        )
    chart.legend.append(LegendItem(chart.left, PALETTE[0], series))
    return chart
