"""The Informes page's sections: each one a table (the figures, also its CSV) and its charts,
built from reports/selectors.py. Table cells are the text shown and downloaded; the charts get
the same figures as numbers."""

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import selectors
from reports.charts import Chart, bar_chart, hbar_chart, line_chart
from reports.selectors import AGE_BUCKETS, CLOSED_STATES_ORDER, Period
from service_levels.selectors import Targets
from tickets.export import BOM, SEPARATOR, neutralized
from tickets.states import label_of

NO_DURATIONS = selectors.Durations(count=0, median=None, p90=None, with_target=0, within=0)


@dataclass
class Reads:
    """One request's period and targets, and the figures two sections share, read once."""

    period: Period
    targets: dict[str, Targets]

    @cached_property
    def closed(self) -> dict[tuple[date, str, str], int]:
        return selectors.closed_by_week(self.period)


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]

    def as_csv(self) -> str:
        """Descargar CSV, as the clinics' history is downloaded (tickets/export.py): UTF-8 with a
        byte order mark, ``;`` between cells, no cell read as a formula."""
        buffer = io.StringIO()
        buffer.write(BOM)
        writer = csv.writer(buffer, delimiter=SEPARATOR)
        writer.writerow([neutralized(cell) for cell in self.headers])
        writer.writerows([neutralized(cell) for cell in row] for row in self.rows)
        return buffer.getvalue()


@dataclass
class Section:
    key: str  # the anchor and the CSV's name
    title: str
    table: Table
    charts: list[Chart] = field(default_factory=list)
    note: str = ""


def decimal(value: float | None) -> str:
    """One decimal, as a spreadsheet in Spanish reads it (``12,5``); "" for no value."""
    # Rounded first: number_format cuts the digits of a float (66,66… would read 66,6).
    return "" if value is None else number_format(round(value, 1), decimal_pos=1)


def hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 1)


def week_label(week: date) -> str:
    return _("Semana del %(day)s") % {"day": week.strftime("%d-%m-%Y")}


def short_week(week: date) -> str:
    return week.strftime("%d-%m")


def month_label(month: date) -> str:
    return date_format(month, r"F \d\e Y")


def count_rows(
    labels: list[str], values: Sequence[Sequence[float]], *, total: bool
) -> list[list[str]]:
    """A table's rows: each label, its counts as text, then their total if ``total``."""
    return [
        [label, *(str(int(v)) for v in row), *([str(int(sum(row)))] if total else [])]
        for label, row in zip(labels, values, strict=True)
    ]


def volume(reads: Reads) -> Section:
    period = reads.period
    created, closed = selectors.created_by_week(period), reads.closed
    series = [
        text % {"area": label_of(area)}
        for area in period.areas
        for text in (_("Creados · %(area)s"), _("Cerrados · %(area)s"))
    ]
    values = []
    for week in period.weeks:
        row: list[float] = []
        for area in period.areas:
            row.append(created.get((week, area), 0))
            row.append(sum(closed.get((week, area, state), 0) for state in CLOSED_STATES_ORDER))
        values.append(row)
    weeks = [week_label(week) for week in period.weeks]
    table = Table([_("Semana"), *series], count_rows(weeks, values, total=False))
    chart = bar_chart(
        title=_("Tickets creados y cerrados por semana"),
        description=_("Barras por semana: tickets creados y cerrados de cada área."),
        groups=[short_week(week) for week in period.weeks],
        series=series,
        values=values,
    )
    return Section("volumen", _("Tickets creados y cerrados por semana"), table, [chart])


def times(reads: Reads) -> Section:
    period, targets = reads.period, reads.targets
    headers = [_("Semana")]
    columns: list[list[str]] = [[week_label(week)] for week in period.weeks]
    charts = []
    for kind, name in (
        (selectors.FIRST_RESPONSE, _("Primera respuesta")),
        (selectors.RESOLUTION, _("Resolución")),
    ):
        figures = selectors.durations_by_week(period, kind)
        headers += [
            _("%(kind)s: tickets") % {"kind": name},
            _("%(kind)s: mediana (horas hábiles)") % {"kind": name},
            _("%(kind)s: percentil 90 (horas hábiles)") % {"kind": name},
            _("%(kind)s: dentro del objetivo (%%)") % {"kind": name},
        ]
        per_week = [figures.get(week, NO_DURATIONS) for week in period.weeks]
        medians = [hours(stats.median) for stats in per_week]
        p90s = [hours(stats.p90) for stats in per_week]
        for row, stats, median, p90 in zip(columns, per_week, medians, p90s, strict=True):
            row += [str(stats.count), decimal(median), decimal(p90), decimal(stats.share)]
        target_lines = [
            (
                _("Objetivo · %(area)s") % {"area": label_of(area)},
                hours(getattr(targets[area], kind).total_seconds()) or 0.0,
            )
            for area in period.areas
            if area in targets
        ]
        charts.append(
            line_chart(
                title=_("%(kind)s por semana (horas hábiles)") % {"kind": name},
                description=_(
                    "Líneas por semana: mediana y percentil 90 en horas hábiles; en trazos, "
                    "el objetivo de cada área."
                ),
                groups=[short_week(week) for week in period.weeks],
                series=[(_("Mediana"), medians), (_("Percentil 90"), p90s)],
                targets=target_lines,
            )
        )
    note = _(
        "En horas hábiles (lunes a viernes, 9:00 a 18:00, sin feriados), por semana de la "
        "primera respuesta o del primer cierre. Dentro del objetivo: respondido o cerrado "
        "a más tardar en el vencimiento que tenía el ticket."
    )
    title = _("Tiempo de primera respuesta y de resolución")
    return Section("tiempos", title, Table(headers, columns), charts, note)


def closings(reads: Reads) -> Section:
    period, closed = reads.period, reads.closed
    series = [label_of(state) for state in CLOSED_STATES_ORDER]
    values = [
        [
            sum(closed.get((week, area, state), 0) for area in period.areas)
            for state in CLOSED_STATES_ORDER
        ]
        for week in period.weeks
    ]
    weeks = [week_label(week) for week in period.weeks]
    table = Table([_("Semana"), *series, _("Total")], count_rows(weeks, values, total=True))
    chart = bar_chart(
        title=_("Estado de cierre por semana"),
        description=_("Barras por semana: tickets cerrados en cada estado."),
        groups=[short_week(week) for week in period.weeks],
        series=series,
        values=[[float(v) for v in row] for row in values],
    )
    return Section("cierres", _("Estado de cierre por semana"), table, [chart])


def feedback(reads: Reads) -> Section:
    period = reads.period
    rates = selectors.feedback_by_month(period)
    rows, values = [], []
    for month in period.months:
        rate = rates.get(month)
        answers, solved = (rate.answers, rate.solved) if rate else (0, 0)
        share = decimal(rate.share if rate else None)
        values.append([float(solved), float(answers - solved)])
        rows.append([month_label(month), str(answers), str(solved), str(answers - solved), share])
    series = [_("Sí, quedó resuelto"), _("No, sigue el problema")]
    chart = bar_chart(
        title=_("¿Se resolvió su problema? por mes"),
        description=_("Barras por mes: respuestas «Sí» y «No» de las clínicas."),
        groups=[month_label(month) for month in period.months],
        series=series,
        values=values,
    )
    table = Table([_("Mes"), _("Respuestas"), *series, _("Porcentaje «Sí»")], rows)
    return Section("respuestas", _("¿Se resolvió su problema? por mes"), table, [chart])


def clinics(reads: Reads) -> Section:
    period = reads.period
    top = selectors.top_clinics(period)
    by_area = [] if period.area else period.areas  # one area: no column per area
    rows = [
        [clinic.name, str(clinic.total), *(str(clinic.by_area[area]) for area in by_area)]
        for clinic in top
    ]
    chart = hbar_chart(
        title=_("Las 10 clínicas con más tickets"),
        description=_("Barras por clínica: tickets creados en el periodo."),
        labels=[clinic.name for clinic in top],
        values=[float(clinic.total) for clinic in top],
        series=_("Tickets"),
    )
    table = Table([_("Clínica"), _("Tickets"), *(label_of(area) for area in by_area)], rows)
    return Section("clinicas", _("Las 10 clínicas con más tickets"), table, [chart])


AGE_LABELS = {
    "lt_1": gettext_lazy("< 1 día"),
    "1_3": gettext_lazy("1-3 días"),
    "3_7": gettext_lazy("3-7 días"),
    "7_30": gettext_lazy("7-30 días"),
    "gt_30": gettext_lazy("> 30 días"),
}


def backlog(reads: Reads) -> Section:
    period = reads.period
    ages = selectors.backlog_ages(area=period.area)
    series = [label_of(area) for area in period.areas]
    groups = [str(AGE_LABELS[key]) for _days, key in AGE_BUCKETS]
    values = [
        [float(ages.get((key, area), 0)) for area in period.areas] for _days, key in AGE_BUCKETS
    ]
    chart = bar_chart(
        title=_("Antigüedad de los tickets abiertos"),
        description=_("Barras por antigüedad: tickets abiertos o en proceso hoy, por área."),
        groups=groups,
        series=series,
        values=values,
    )
    table = Table([_("Antigüedad"), *series, _("Total")], count_rows(groups, values, total=True))
    note = _("Tickets abiertos o en proceso hoy, sea cual sea el periodo elegido.")
    return Section("pendientes", _("Antigüedad de los tickets abiertos"), table, [chart], note)


SECTIONS: dict[str, Callable[[Reads], Section]] = {
    "volumen": volume,
    "tiempos": times,
    "cierres": closings,
    "respuestas": feedback,
    "clinicas": clinics,
    "pendientes": backlog,
}
