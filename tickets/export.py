"""Descargar historial: the clinic's history as a CSV that opens as it is in a spreadsheet.

UTF-8 with a byte order mark (so that Excel reads the accents), ``;`` between cells (the
separator of a spreadsheet set up in Spanish), dates as the portal writes them. Written one
page of rows at a time (tickets/selectors.py ``ticket_export_pages``), so that a clinic with
50,000 tickets costs a worker one page of memory, not the whole file.
"""

import csv
import io
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from tickets.sql import ExportRow
from vetsync_support.dates import local_datetime

BOM = "\ufeff"
SEPARATOR = ";"
# A cell starting with one of these is read by a spreadsheet as a formula (OWASP, "CSV
# Injection"); a single quote in front makes it plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralized(value: str) -> str:
    """The cell's text, never a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def header() -> list[str]:
    return [
        _("Código"),
        _("Fecha de creación"),
        _("Área"),
        _("Estado"),
        _("Solicitante"),
        _("Detalle"),
        _("Última respuesta del equipo"),
        _("Fecha de la última respuesta"),
    ]


def cells(row: ExportRow) -> list[str]:
    return [
        row.code,
        local_datetime(row.created_at),
        row.area_label,
        row.state_label,
        row.requester_name,
        row.detail,
        row.latest_response_text or "",
        local_datetime(row.latest_response_at),
    ]


def csv_chunks(pages: Iterable[list[ExportRow]]) -> Iterator[str]:
    """The file's text: the mark and the header, then one piece per page of rows."""
    yield BOM + _lines([header()])
    for page in pages:
        yield _lines(cells(row) for row in page)


def _lines(rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=SEPARATOR)
    writer.writerows([neutralized(cell) for cell in row] for row in rows)
    return buffer.getvalue()
