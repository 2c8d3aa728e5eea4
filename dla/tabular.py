"""Tables as files: CSV and XLSX bytes from rows (plain dicts). Pure: no Flask, no database.

Every CSV and XLSX file of the app is written here, so one rule keeps them safe: a cell
that a spreadsheet would run as a formula (``=HYPERLINK(…)`` in a question) is made inert.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from datetime import date, datetime, time
from xml.sax.saxutils import escape


def _text(value) -> str:
    return "" if value is None else str(value)


# A cell starting with one of these is read as a formula by Excel, LibreOffice or Google
# Sheets ("CSV injection"): =HYPERLINK(…) in a question would run in the reader's sheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?")


def is_formula_like(value) -> bool:
    """Text a spreadsheet would run as a formula (numbers, also negative ones, are not)."""
    return (
        isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value)
    )


def csv_cell(value) -> str:
    """The text of one CSV cell, inert in a spreadsheet: formula-like text gets a leading
    apostrophe (what a person types to enter such text by hand); the rest is kept as is."""
    text = _text(value)
    return "'" + text if is_formula_like(text) and not isinstance(value, int | float) else text


# CSV dialects: "comma" is standard CSV (RFC 4180); "excel-nl" is what Excel with Dutch
# regional settings opens in columns: a semicolon between cells, a decimal comma.
CSV_DIALECTS = ("comma", "excel-nl")


def _nl_cell(value) -> str:
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return csv_cell(value)


def to_csv(rows: Iterable[dict], columns: list[str] | None = None, dialect: str = "comma") -> bytes:
    """CSV with a header row, quoted where needed, UTF-8 with a BOM.

    ``dialect`` "comma" separates cells with a comma; "excel-nl" with a semicolon and
    writes decimal numbers with a comma (Excel with Dutch settings). The byte order mark
    lets Excel open the file with the right characters. Dates are ISO 8601. Every CSV of
    the app is written here, and every cell goes through ``csv_cell`` (no formulas).
    """
    if dialect not in CSV_DIALECTS:
        raise ValueError(f"unknown CSV dialect {dialect!r}")
    rows = list(rows) if columns is None else rows
    columns = columns or (list(rows[0]) if rows else [])
    cell = _nl_cell if dialect == "excel-nl" else csv_cell
    buffer = io.StringIO(newline="")
    writer = csv.writer(
        buffer, lineterminator="\r\n", delimiter=";" if dialect == "excel-nl" else ","
    )
    writer.writerow([csv_cell(column) for column in columns])
    for row in rows:
        writer.writerow([cell(row.get(column)) for column in columns])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
XLSX_MAX_CELL = 32_767

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
{sheets}</Types>"""
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
Target="xl/workbook.xml"/></Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<sheets>{sheets}</sheets></workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
{sheets}<Relationship Id="rIdStyles" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
Target="styles.xml"/></Relationships>"""
# Style 0: normal; style 1: bold (the header row); style 2: text that looks like a formula,
# marked "quote prefix" so that editing the cell in Excel keeps it text; style 3: a date
# (yyyy-mm-dd); style 4: a date and time (yyyy-mm-dd hh:mm).
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>\
<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
</cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>'
)


_EPOCH = date(1899, 12, 30)


def _serial(value: date) -> float | int:
    """A date (or naive date and time) as a spreadsheet serial number (1900 date system)."""
    if isinstance(value, datetime):
        midnight = datetime.combine(value.date(), time())
        fraction = (value.replace(tzinfo=None) - midnight).total_seconds() / 86400
        return (value.date() - _EPOCH).days + round(fraction, 8)
    return (value - _EPOCH).days


def _cell(value, style: str = "") -> str:
    """One cell: numbers as numbers, dates as date cells (a serial number with a date
    format), everything else as an inline string (never a formula; formula-like text also
    gets the quote-prefix style)."""
    if isinstance(value, date):
        date_style = ' s="4"' if isinstance(value, datetime) else ' s="3"'
        return f"<c{date_style}><v>{_serial(value)}</v></c>"
    if isinstance(value, bool):
        value = "ja" if value else "nee"
    if isinstance(value, int | float):
        return f"<c{style}><v>{value}</v></c>"
    if value is None or value == "":
        return "<c/>" if not style else f"<c{style}/>"
    text = _XML_ILLEGAL.sub("", str(value))[:XLSX_MAX_CELL]
    if not style and is_formula_like(text):
        style = ' s="2"'
    return f'<c{style} t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _sheet_xml(header: list[str], rows: Iterable[dict]):
    yield _SHEET_HEAD
    yield "<row>" + "".join(_cell(column, ' s="1"') for column in header) + "</row>"
    for row in rows:
        yield "<row>" + "".join(_cell(row.get(column)) for column in header) + "</row>"
    yield "</sheetData></worksheet>"


def to_xlsx(sheets: dict[str, list[dict]], columns: dict[str, list[str]] | None = None) -> bytes:
    """A workbook (Office Open XML) with one sheet per entry: bold header, frozen below it.

    Written directly as XML with inline strings, streamed into the zip: a 43,000-row
    export takes a second or two, where a general spreadsheet library takes twenty. Text is
    always stored as text, so "=..." never becomes a formula; numbers stay numbers.
    """
    columns = columns or {}
    names = list(sheets)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            _CONTENT_TYPES.format(
                sheets="".join(_SHEET_TYPE.format(n=n) for n in range(1, len(names) + 1))
            ),
        )
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr(
            "xl/workbook.xml",
            _WORKBOOK.format(
                sheets="".join(
                    f'<sheet name="{escape(name[:31])}" sheetId="{n}" r:id="rId{n}"/>'
                    for n, name in enumerate(names, start=1)
                )
            ),
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            _WORKBOOK_RELS.format(
                sheets="".join(
                    f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/'
                    f'officeDocument/2006/relationships/worksheet" '
                    f'Target="worksheets/sheet{n}.xml"/>'
                    for n in range(1, len(names) + 1)
                )
            ),
        )
        archive.writestr("xl/styles.xml", _STYLES)
        for n, name in enumerate(names, start=1):
            rows = sheets[name]
            header = columns.get(name) or (list(rows[0]) if rows else [])
            with archive.open(f"xl/worksheets/sheet{n}.xml", "w") as handle:
                for chunk in _sheet_xml(header, rows):
                    handle.write(chunk.encode("utf-8"))
    return buffer.getvalue()
