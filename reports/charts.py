"""The Informes charts, drawn on the server by pygal as SVG, each shown as an <img> whose src is
a data: URI (templates/admin/reports/index.html): pygal's <style> applies inside the image alone
and images run no script, so the page's CSP (no inline style or script; images from 'self' and
data:) holds and the charts read without JavaScript. The tables have the same figures as text."""

from base64 import b64encode
from dataclasses import dataclass

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

# Colours that read apart for the common colour blindnesses (Okabe-Ito), on white.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9")
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#222222",
    foreground_strong="#222222",
    guide_stroke_color="#dddddd",
    major_guide_stroke_color="#dddddd",
    guide_stroke_dasharray="none",
    major_guide_stroke_dasharray="none",
    opacity="1",
    stroke_width="2",
    colors=PALETTE,
    font_family="system-ui, sans-serif",
    legend_font_size=12,
    label_font_size=11,
    major_label_font_size=11,
    no_data_font_size=16,
)
CONFIG = {
    "js": [],  # not pygal's tooltips, a script from another site
    "no_prefix": True,  # one chart per SVG document: its CSS needs no chart id
    "style": STYLE,
    "width": 760,
    "height": 320,
    "legend_at_bottom": True,
    "legend_at_bottom_columns": 3,
    "truncate_legend": -1,
    "truncate_label": -1,
    "x_labels_major_count": 14,  # of many weeks, 14 are written
    "show_minor_x_labels": False,
    "max_scale": 8,  # at most 8 steps on the axis of figures
    "value_formatter": lambda value: f"{value:.10g}".replace(".", ","),  # 12,5
}


@dataclass(frozen=True)
class Chart:
    title: str
    description: str  # with the title, the image's text alternative
    src: str  # data:image/svg+xml;base64,...


def _drawn(chart, description: str) -> Chart:
    svg = chart.add_xml_filter(_bare).render(no_data_text=_("Sin datos en el periodo."))
    src = f"data:image/svg+xml;base64,{b64encode(svg).decode()}"
    return Chart(chart.config.title, description, src)


def _bare(svg):
    """Without what only pygal's script reads (the script, with pygal's configuration; the
    tooltip and the places it would appear) and pygal's comments (when and where it was made)."""
    for parent in svg.iter():
        for child in list(parent):
            if (
                not isinstance(child.tag, str)
                or child.tag == "script"
                or child.get("class", "").startswith(("x ", "y ", "plot tooltip-overlay"))
            ):
                parent.remove(child)
    return svg


def bar_chart(
    *, title: str, description: str, groups: list[str], series: list[str], values: list[list[float]]
) -> Chart:
    """Grouped bars: ``values[g][s]`` is series ``s`` in group ``g`` (e.g. a week)."""
    chart = pygal.Bar(title=title, x_labels=groups, order_min=0, **CONFIG)  # whole ticks
    for s, name in enumerate(series):
        chart.add(name, [row[s] for row in values])
    return _drawn(chart, description)


def line_chart(
    *,
    title: str,
    description: str,
    groups: list[str],
    series: list[tuple[str, list[float | None]]],
    targets: list[tuple[str, float]],
) -> Chart:
    """Lines over groups (None: no value that week, the line goes on to the next) and dashed
    horizontal target lines, without dots."""
    chart = pygal.Line(title=title, x_labels=groups, include_x_axis=True, **CONFIG)
    for name, values in series:
        chart.add(name, values)
    for name, value in targets:
        dashed = {"width": 2, "dasharray": "6, 4"}
        # One week makes no line: a dot then.
        chart.add(name, [value] * len(groups), show_dots=len(groups) == 1, stroke_style=dashed)
    return _drawn(chart, description)


def hbar_chart(
    *, title: str, description: str, labels: list[str], values: list[float], series: str
) -> Chart:
    """One bar per row (e.g. a clinic), the first on top, labels on the left."""
    chart = pygal.HorizontalBar(
        title=title,
        # A long name (a clinic's may have 200 characters) cut where the reader sees it is.
        x_labels=[label if len(label) <= 40 else f"{label[:39]}…" for label in labels[::-1]],
        order_min=0,
        # Lying down, pygal's settings of x are those of the figures' axis: every tick written.
        **{**CONFIG, "height": 120 + 28 * len(labels), "show_minor_x_labels": True},
    )
    chart.add(series, values[::-1])
    return _drawn(chart, description)
