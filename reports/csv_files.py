"""Descargar CSV: a report's table as the clinics' history is downloaded (tickets/export.py):
UTF-8 with a byte order mark, ``;`` between cells, no cell read as a formula."""

import csv
import io

from reports.sections import Table
from tickets.export import BOM, SEPARATOR, neutralized


def table_csv(table: Table) -> str:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=SEPARATOR)
    writer.writerow([neutralized(cell) for cell in table.headers])
    writer.writerows([neutralized(cell) for cell in row] for row in table.rows)
    return buffer.getvalue()
