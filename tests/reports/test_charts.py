"""The charts, drawn by pygal: each bar and point is its table's figure, in Spanish, in the
Okabe-Ito colours, and the SVG is an image with no script and nothing from elsewhere, so the
page keeps its strict CSP."""

import re
from base64 import b64decode
from xml.etree import ElementTree

import pytest

from reports.charts import PALETTE, Chart, bar_chart, hbar_chart, line_chart
from reports.sections import SECTIONS, Reads
from reports.selectors import Period
from service_levels.selectors import response_targets
from tests.conftest import ALL_DATABASES
from tests.reports.conftest import END, START

SVG = "{http://www.w3.org/2000/svg}"
DATA_URI = "data:image/svg+xml;base64,"


def svg_of(chart: Chart) -> str:
    assert chart.src.startswith(DATA_URI)
    return b64decode(chart.src.removeprefix(DATA_URI)).decode()


def tree(chart: Chart) -> ElementTree.Element:
    return ElementTree.fromstring(svg_of(chart))  # noqa: S314 (our own SVG)


def texts(chart: Chart, group_class: str) -> list[str]:
    groups = tree(chart).iter(f"{SVG}g")
    return [
        t.text or "" for g in groups if g.get("class") == group_class for t in g.iter(f"{SVG}text")
    ]


def drawn(chart: Chart) -> dict[tuple[str, str], str]:
    """(x label, series) → the value written on each bar and point the SVG draws."""
    names = texts(chart, "legends")
    marks = {}
    for series in tree(chart).iter(f"{SVG}g"):
        if number := re.search(r"\bserie-(\d+)\b", series.get("class", "")):
            for mark in series.iter(f"{SVG}g"):
                if mark.get("class") in ("bar", "dots"):
                    desc = {d.get("class"): d.text or "" for d in mark.iter(f"{SVG}desc")}
                    marks[desc["x_label"], names[int(number[1])]] = desc["value"]
    return marks


def test_bars_are_their_figures_with_their_spanish_names():
    chart = bar_chart(
        title="Estado de cierre por semana",
        description="Barras por semana.",
        groups=["14-09", "21-09"],
        series=["Cerrado / resuelto", "Cerrado con problema"],
        values=[[4, 2], [0, 1]],
    )
    assert drawn(chart) == {
        ("14-09", "Cerrado / resuelto"): "4",
        ("14-09", "Cerrado con problema"): "2",
        ("21-09", "Cerrado / resuelto"): "0",
        ("21-09", "Cerrado con problema"): "1",
    }
    assert "<title>Estado de cierre por semana</title>" in svg_of(chart)
    assert chart.description == "Barras por semana."
    # Counts: whole numbers on the axis, not 0,2 … 0,8.
    one = bar_chart(title="t", description="d", groups=["a"], series=["x"], values=[[1]])
    assert texts(one, "axis y always_show") == ["0", "1"]


def test_a_year_of_weeks_writes_fourteen_of_them():
    weeks = [f"semana {n}" for n in range(52)]
    chart = bar_chart(title="t", description="d", groups=weeks, series=["x"], values=[[1]] * 52)
    written = texts(chart, "axis x")
    assert len(written) == 14 and set(written) < set(weeks)
    assert len(drawn(chart)) == 52


def test_a_line_skips_weeks_without_figures_decimals_have_a_comma_and_targets_are_dashed():
    chart = line_chart(
        title="Resolución por semana (horas hábiles)",
        description="d",
        groups=["a", "b", "c"],
        series=[("Mediana", [1.5, None, 3.0])],
        targets=[("Objetivo · Soporte", 4.0)],
    )
    assert drawn(chart) == {("a", "Mediana"): "1,5", ("c", "Mediana"): "3"}  # no target dots
    assert texts(chart, "legends") == ["Mediana", "Objetivo · Soporte"]
    assert ".series.serie-1{stroke-width:2;stroke-dasharray:6,4}" in svg_of(chart)
    assert "stroke-dasharray" not in svg_of(chart).split(".series.serie-1")[0]


def test_in_a_single_week_the_target_is_a_dot():
    chart = line_chart(
        title="t", description="d", groups=["a"], series=[("Mediana", [1.0])], targets=[("O", 4.0)]
    )
    assert drawn(chart) == {("a", "Mediana"): "1", ("a", "O"): "4"}


def test_horizontal_bars_put_the_first_on_top_and_count_in_whole_numbers():
    chart = hbar_chart(
        title="t", description="d", labels=["Primera", "Segunda"], values=[1.0, 0.0], series="n"
    )
    assert drawn(chart) == {("Primera", "n"): "1", ("Segunda", "n"): "0"}
    assert texts(chart, "axis x always_show") == ["0", "1"]  # whole numbers: counts
    bars = {
        mark.find(f"{SVG}desc[@class='x_label']").text: float(mark.find(f"{SVG}rect").get("y"))
        for mark in tree(chart).iter(f"{SVG}g")
        if mark.get("class") == "bar"
    }
    assert bars["Primera"] < bars["Segunda"]


def test_a_long_name_is_cut_where_the_reader_sees_it_is():
    name = "Centro Médico Veterinario Integral de Especialidades y Urgencias del Sur Austral"
    chart = hbar_chart(
        title="t", description="d", labels=[name, "Corta"], values=[1, 2], series="n"
    )
    assert drawn(chart) == {(f"{name[:39]}…", "n"): "1", ("Corta", "n"): "2"}


def test_a_chart_without_figures_says_so_in_spanish():
    chart = hbar_chart(title="t", description="d", labels=[], values=[], series="n")
    assert texts(chart, "plot text-overlay") == ["Sin datos en el periodo."]


def test_the_series_are_in_the_okabe_ito_colours():
    chart = bar_chart(
        title="t", description="d", groups=["a"], series=["x", "y", "z"], values=[[1, 2, 3]]
    )
    for index, colour in enumerate(PALETTE[:3]):
        assert f".color-{index},.color-{index} a:visited{{stroke:{colour};fill:{colour}}}" in (
            svg_of(chart)
        )


def test_the_svg_has_no_script_and_nothing_from_elsewhere():
    for chart in (
        bar_chart(title="t", description="d", groups=["a"], series=["x"], values=[[1]]),
        line_chart(title="t", description="d", groups=["a"], series=[("x", [1])], targets=[]),
        hbar_chart(title="t", description="d", labels=["a"], values=[1], series="x"),
    ):
        svg = svg_of(chart)
        assert "<script" not in svg
        assert "<!--" not in svg and "<?xml-stylesheet" not in svg
        # Nor what only that script would read: the tooltip and the places it would show.
        assert "tooltip-overlay" not in svg and '<desc class="x ' not in svg
        for word in ("href", "url(", "@import", "//"):
            assert word not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


@pytest.mark.django_db(databases=ALL_DATABASES)
@pytest.mark.parametrize("key", list(SECTIONS))
def test_the_charts_draw_the_tables_figures(report_data, key):
    section = SECTIONS[key](Reads(Period(START, END, None), response_targets()))
    headers, rows = section.table.headers, section.table.rows
    for chart in section.charts:
        marks = drawn(chart)
        assert marks
        for (group, series), value in marks.items():
            row = next(r for r in rows if r[0] == group or r[0] == f"Semana del {group}-2026")
            if key == "tiempos":
                kind = "Primera respuesta" if chart.title.startswith("Primera") else "Resolución"
                word = "mediana" if series == "Mediana" else "percentil 90"
                column = next(i for i, h in enumerate(headers) if h.startswith(kind) and word in h)
            else:
                column = headers.index(series)
            assert float(row[column].replace(",", ".")) == float(value.replace(",", "."))


@pytest.mark.django_db(databases=ALL_DATABASES)
def test_the_target_lines_are_the_areas_targets(report_data):
    from service_levels.models import ResponseTarget

    reads = Reads(Period(START, END, "comercial"), response_targets())
    assert "Objetivo · Comercial" in texts(SECTIONS["tiempos"](reads).charts[0], "legends")
    ResponseTarget.objects.filter(area="comercial").delete()
    reads = Reads(Period(START, END, "comercial"), response_targets())
    for chart in SECTIONS["tiempos"](reads).charts:
        assert texts(chart, "legends") == ["Mediana", "Percentil 90"]


@pytest.mark.django_db(databases=ALL_DATABASES)
def test_the_page_shows_each_chart_as_an_image_with_its_text_within_the_csp(report_data, desk):
    response = desk.get("/admin/informes/", {"desde": START.isoformat(), "hasta": END.isoformat()})
    html = response.content.decode()
    images = re.findall(r'<img src="(data:image/svg\+xml;base64,[^"]+)" alt="([^"]+)">', html)
    assert len(images) == len(SECTIONS) + 1  # two line charts for the times
    assert images[0][1] == (
        "Tickets creados y cerrados por semana. Barras por semana: tickets creados y cerrados "
        "de cada área."
    )
    csp = response["Content-Security-Policy"]
    assert "img-src 'self' data:" in csp and "unsafe-inline" not in csp
    content = "".join(
        re.findall(r"<section class=\"module reports-section.*?</section>", html, re.S)
    )
    assert "<svg" not in content and "<style" not in content and " style=" not in content
