"""The charts' geometry: bars and points are where their figures say."""

import pytest

from reports.charts import axis_ceiling, bar_chart, hbar_chart, line_chart, nice_ceiling


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 1), (0.3, 0.5), (1, 1), (7, 10), (12, 20), (22.4, 25), (1370, 2000)]
)
def test_the_axis_ends_on_a_round_number(value, ceiling):
    assert nice_ceiling(value) == ceiling


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 4), (1, 4), (4, 4), (7, 8), (9, 12), (30, 40), (1370, 2000)]
)
def test_an_axis_of_counts_has_whole_ticks(value, ceiling):
    assert axis_ceiling(value, counts=True) == ceiling
    assert ceiling % 4 == 0


def test_bar_heights_are_proportional_and_start_at_the_axis():
    chart = bar_chart(
        title="t", description="d", groups=["a", "b"], series=["x", "y"], values=[[4, 2], [0, 1]]
    )
    bars = {(bar.group, bar.series): bar for bar in chart.bars}
    assert bars["a", "x"].height == pytest.approx(2 * bars["a", "y"].height)
    assert bars["b", "x"].height == 0
    for bar in chart.bars:
        assert bar.y + bar.height == pytest.approx(chart.bottom)
        assert chart.left <= bar.x < bar.x + bar.width <= chart.right
    assert [tick.text for tick in chart.y_ticks] == ["0", "1", "2", "3", "4"]


def test_a_line_skips_weeks_without_figures_and_targets_are_dashed():
    chart = line_chart(
        title="t",
        description="d",
        groups=["a", "b", "c"],
        series=[("Mediana", [1.0, None, 3.0])],
        targets=[("Objetivo", 4.0)],
    )
    median, target = chart.lines
    assert [p.group for p in median.markers] == ["a", "c"]
    assert median.points.count(",") == 2
    assert target.dashed and not target.markers
    assert chart.legend[1].dashed


def test_horizontal_bars_are_as_long_as_their_figure():
    chart = hbar_chart(title="t", description="d", labels=["A", "B"], values=[8.0, 2.0], series="n")
    assert chart.bars[0].width == pytest.approx(4 * chart.bars[1].width, abs=0.02)
