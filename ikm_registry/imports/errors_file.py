"""The rows of an uploaded file that failed, as XLSX with their original row number and an error column,
for staff to fix and upload again (the importer ignores both extra columns)."""

import io

from django.utils.translation import gettext as _

from ikm_registry.imports.reader import open_table
from ikm_registry.imports.writers import write_xlsx

ROW_COLUMN = "baris_asal"
ERROR_COLUMN = "galat"


def failed_rows_xlsx(fileobj, name: str, errors: dict[int, list[str]]) -> bytes:
    table = open_table(fileobj, name)
    headers = [h for h in table.headers]
    width = len(headers)

    def rows():
        for number, values in table.rows:
            messages = errors.get(number)
            if messages:
                cells = list(values[:width]) + [None] * (width - len(values))
                yield [*cells, number, "; ".join(messages)]

    buffer = io.BytesIO()
    write_xlsx(buffer, [*headers, ROW_COLUMN, ERROR_COLUMN], rows(), title=_("Baris bermasalah")[:31])
    return buffer.getvalue()
