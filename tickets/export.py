"""Descargar historial: the clinic's history as a CSV that opens as it is in a spreadsheet:
UTF-8 with a byte order mark (so that Excel reads the accents), ``;`` between cells (a Spanish
spreadsheet's separator), written one page of rows at a time (one page of memory, not the file).
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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


# Each column's header and its cell for a row.
COLUMNS: list[tuple[Promise, Callable[[ExportRow], str]]] = [
    (_("Código"), lambda row: row.code),
    (_("Fecha de creación"), lambda row: local_datetime(row.created_at)),
    (_("Área"), lambda row: row.area_label),
    (_("Estado"), lambda row: row.state_label),
    (_("Solicitante"), lambda row: row.requester_name),
    (_("Detalle"), lambda row: row.detail),
    (_("Última respuesta del equipo"), lambda row: row.latest_response_text or ""),
    (_("Fecha de la última respuesta"), lambda row: local_datetime(row.latest_response_at)),
]


def csv_chunks(pages: Iterable[list[ExportRow]]) -> Iterator[str]:
    """The file's text: the mark and the header, then one piece per page of rows."""
    yield BOM + _lines([[str(header) for header, _cell in COLUMNS]])
    for page in pages:
        yield _lines([cell(row) for _header, cell in COLUMNS] for row in page)


def _lines(rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=SEPARATOR)
    writer.writerows([neutralized(cell) for cell in row] for row in rows)
    return buffer.getvalue()
