"""Build the .docx corpus in this folder: learning agendas as Word really saves them.

Run from the project root: ``python tests/data/docx/make_corpus.py``. The generated files are
committed, so reading them never depends on this script; rerun it only to change the corpus.
The output is byte-for-byte reproducible (fixed zip timestamps, document properties and comment
dates), and a test checks that the committed XML parts match what ``build()`` writes.

Every document starts from python-docx's default template, which Word itself wrote: its
styles.xml has the built-in "List Number" style with ``w:numPr`` (numId 5, decimal "%1."),
"List Paragraph", "Heading 1" … and numbering.xml has the matching ``w:abstractNum`` lists.
On top of that this script writes body XML the way Word does: paragraphs with ``w:rsid*``
attributes and ``w:pPr`` (``w:pStyle``, ``w:numPr`` with ``w:ilvl``/``w:numId``), runs split at
rsid and spell-check boundaries, ``w:proofErr``, bookmarks, tracked changes, fields, content
controls and tables with ``w:tblGrid``, ``w:gridSpan``, ``w:vMerge`` and header rows. New lists
go into numbering.xml as Word adds them: an ``w:abstractNum`` (nine levels for a multi-level
list) before every ``w:num``, and ``w:num`` elements with ``w:lvlOverride``/``w:startOverride``
for "Opnieuw beginnen bij 1".

All questions are our own, written in the style of the regional networks on domestic violence
and child abuse (huiselijk geweld en kindermishandeling). No client data.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.oxml import parse_xml

HERE = Path(__file__).resolve().parent
OUT = HERE  # where the files are written; build() sets it
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
NSDECL = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:w14="{W14_NS}"'
FIXED_TIME = (2024, 3, 12, 9, 30, 0)
NBSP = "\u00a0"
SHY = "\u00ad"

# --- Runs and paragraphs -----------------------------------------------------------------------


def t(text: str) -> str:
    """A w:t element; Word writes xml:space="preserve" when the text has outer spaces."""
    space = ' xml:space="preserve"' if text != text.strip() or "  " in text else ""
    return f"<w:t{space}>{escape(text)}</w:t>"


def r(text: str, rsid: str = "", props: str = "") -> str:
    """One run. "\\n" in text becomes w:br (Shift+Enter), "\\t" becomes w:tab."""
    attrs = f' w:rsidRPr="{rsid}"' if rsid else ""
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    inner = []
    for i, line in enumerate(text.split("\n")):
        if i:
            inner.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                inner.append("<w:tab/>")
            if piece:
                inner.append(t(piece))
    return f"<w:r{attrs}>{rpr}{''.join(inner)}</w:r>"


def bold(text: str, rsid: str = "") -> str:
    return r(text, rsid, "<w:b/><w:bCs/>")


def content(parts: tuple[str, ...]) -> str:
    """Parts starting with "<" are XML already; other parts become plain runs."""
    return "".join(part if part.startswith("<") else r(part) for part in parts)


_PARA_COUNTER = [0]


def p(
    *parts: str,
    style: str = "",
    num: tuple[int, int] | None = None,
    rsid: str = "00C21A4E",
) -> str:
    """A paragraph as Word writes it: rsids, w14:paraId, w:pPr with style and numbering."""
    _PARA_COUNTER[0] += 1
    para_id = f"{0x1A2B0000 + _PARA_COUNTER[0]:08X}"
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if num is not None:
        ilvl, num_id = num
        ppr += f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
    ppr = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    return (
        f'<w:p w14:paraId="{para_id}" w14:textId="77777777" w:rsidR="{rsid}" '
        f'w:rsidRDefault="{rsid}" w:rsidP="{rsid}">{ppr}{content(parts)}</w:p>'
    )


def empty() -> str:
    return p()


def spell(word: str) -> str:
    """A word Word's spell checker flagged: w:proofErr around its run."""
    return f'<w:proofErr w:type="spellStart"/>{r(word)}<w:proofErr w:type="spellEnd"/>'


def ins(text: str, author: str = "Onderzoeker", rid: int = 1) -> str:
    """Tracked insertion: the text is part of the document."""
    return (
        f'<w:ins w:id="{rid}" w:author="{author}" w:date="2024-03-11T10:02:00Z">'
        f"{r(text, '00D7E5F2')}</w:ins>"
    )


def dele(text: str, author: str = "Onderzoeker", rid: int = 2) -> str:
    """Tracked deletion: w:delText, must not appear in what the reader imports."""
    return (
        f'<w:del w:id="{rid}" w:author="{author}" w:date="2024-03-11T10:03:00Z">'
        f'<w:r w:rsidDel="00D7E5F2"><w:delText xml:space="preserve">{escape(text)}'
        "</w:delText></w:r></w:del>"
    )


def bookmark(name: str, bid: int, *parts: str) -> str:
    return (
        f'<w:bookmarkStart w:id="{bid}" w:name="{name}"/>{content(parts)}'
        f'<w:bookmarkEnd w:id="{bid}"/>'
    )


# --- Tables ------------------------------------------------------------------------------------


def tc(*paras: str, width: int = 2000, span: int = 1, vmerge: str | None = None) -> str:
    """A table cell; every cell holds at least one paragraph (Word requires it)."""
    tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        tcpr += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        tcpr += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        tcpr += "<w:vMerge/>"
    body = "".join(paras) or p()
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{body}</w:tc>"


def cell(text: str, width: int = 2000, **kw) -> str:
    """A cell with one plain paragraph (empty text gives an empty paragraph)."""
    return tc(p(text) if text else p(), width=width, **kw)


def tr(*cells: str, header: bool = False) -> str:
    trpr = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
    return f'<w:tr w:rsidR="00A41C0D" w:rsidTr="00A41C0D">{trpr}{"".join(cells)}</w:tr>'


def tbl(widths: list[int], *rows: str, style: str = "TableGrid", borders: bool = True) -> str:
    look = (
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
    )
    no_borders = (
        ""
        if borders
        else (
            "<w:tblBorders>"
            + "".join(
                f'<w:{side} w:val="none" w:sz="0" w:space="0" w:color="auto"/>'
                for side in ("top", "left", "bottom", "right", "insideH", "insideV")
            )
            + "</w:tblBorders>"
        )
    )
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:w="0" w:type="auto"/>'
        f"{no_borders}{look}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


# --- Numbering ---------------------------------------------------------------------------------


def level(ilvl: int, fmt: str, text: str, start: int = 1, restart: int | None = None) -> str:
    """One w:lvl as Word writes it for a multi-level list."""
    indent = 720 + 360 * ilvl
    restart_xml = f'<w:lvlRestart w:val="{restart}"/>' if restart is not None else ""
    font = (
        '<w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol" w:hint="default"/></w:rPr>'
        if fmt == "bullet"
        else ""
    )
    return (
        f'<w:lvl w:ilvl="{ilvl}" w:tplc="04130019"><w:start w:val="{start}"/>'
        f'<w:numFmt w:val="{fmt}"/>{restart_xml}<w:lvlText w:val="{escape(text)}"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{indent}" w:hanging="360"/></w:pPr>'
        f"{font}</w:lvl>"
    )


DEFAULT_DEEPER = [
    ("lowerLetter", "%2."),
    ("lowerRoman", "%3."),
    ("decimal", "%4."),
    ("lowerLetter", "%5."),
    ("lowerRoman", "%6."),
    ("decimal", "%7."),
    ("lowerLetter", "%8."),
    ("lowerRoman", "%9."),
]


def abstract_num(aid: int, *levels: tuple, nsid: str = "") -> str:
    """A hybrid multi-level list with nine levels; the given ones first, Word's defaults after.

    Each given level is (fmt, lvlText), (fmt, lvlText, start) or (fmt, lvlText, start,
    lvlRestart).
    """
    given = list(levels)
    all_levels = []
    for ilvl in range(9):
        if ilvl < len(given):
            fmt, text, *rest = given[ilvl]
            start = rest[0] if rest else 1
            restart = rest[1] if len(rest) > 1 else None
        else:
            fmt, text = DEFAULT_DEEPER[ilvl - 1] if ilvl else ("decimal", "%1.")
            start, restart = 1, None
        all_levels.append(level(ilvl, fmt, text, start, restart))
    nsid = nsid or f"{0x3C5E0000 + aid:08X}"
    return (
        f'<w:abstractNum w:abstractNumId="{aid}">'
        f'<w:nsid w:val="{nsid}"/><w:multiLevelType w:val="hybridMultilevel"/>'
        f'<w:tmpl w:val="{0x0413000F + aid:08X}"/>{"".join(all_levels)}</w:abstractNum>'
    )


def num(num_id: int, aid: int, overrides: dict[int, int] | None = None) -> str:
    """A w:num; overrides {ilvl: start} become w:lvlOverride/w:startOverride (a restart)."""
    over = "".join(
        f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        for ilvl, start in (overrides or {}).items()
    )
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{aid}"/>{over}</w:num>'


# --- Documents ---------------------------------------------------------------------------------


def new_document(title: str = "") -> docx.document.Document:
    document = docx.Document()
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    props = document.core_properties
    props.author = "Projectleider"
    props.last_modified_by = "Onderzoeker"
    props.title = title
    props.comments = ""
    props.revision = 3
    props.created = datetime(2024, 3, 11, 9, 0, 0)
    props.modified = datetime(2024, 3, 12, 9, 30, 0)
    return document


def add_numbering(document, abstracts: list[str], nums: list[str]) -> None:
    """Add lists to numbering.xml: abstractNums before the first w:num, nums at the end."""
    numbering = document.part.numbering_part.element
    first_num = numbering.find(f"{{{W_NS}}}num")
    for xml in abstracts:
        element = parse_xml(xml.replace("<w:abstractNum ", f"<w:abstractNum {NSDECL} ", 1))
        first_num.addprevious(element)
    for xml in nums:
        numbering.append(parse_xml(xml.replace("<w:num ", f"<w:num {NSDECL} ", 1)))


def add_style(document, xml: str) -> None:
    styles = document.styles.element
    styles.append(parse_xml(xml.replace("<w:style ", f"<w:style {NSDECL} ", 1)))


def set_body(document, *blocks: str) -> None:
    """Put these block-level elements (paragraphs, tables, sdts) before the w:sectPr."""
    body = document.element.body
    sect = body.find(f"{{{W_NS}}}sectPr")
    xml = f"<w:body {NSDECL}>{''.join(blocks)}</w:body>"
    for child in list(parse_xml(xml)):
        sect.addprevious(child)


def save(document, name: str, rewrite: dict[str, callable] | None = None) -> bytes:
    """Save with fixed zip timestamps; ``rewrite`` maps part names to text transformations."""
    buffer = io.BytesIO()
    document.save(buffer)
    return repack(buffer.getvalue(), name, rewrite)


def repack(data: bytes, name: str, rewrite: dict | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info.filename)
            if rewrite and info.filename in rewrite:
                blob = rewrite[info.filename](blob.decode("utf-8")).encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, blob)
    result = out.getvalue()
    (OUT / name).write_bytes(result)
    return result


# --- 01: numbering from the "List Number" style only -------------------------------------------

ICR_QUESTIONS_01 = [
    "Hoe kan ik als ICR de regie over de veiligheid houden, terwijl ik via de betrokken "
    "organisaties geen actueel zicht krijg op de thuissituatie?",
    "Hoe kan ik als ICR het gezin betrekken bij het plan, terwijl ouders wantrouwig zijn "
    "tegenover hulpverlening na eerdere uithuisplaatsingen?",
    "Hoe kan ik afspraken maken met Veilig Thuis over de overdracht, terwijl de wachtlijst "
    "bij het lokale team niet korter wordt?",
    "Hoe kan ik als ICR doorzettingsmacht organiseren, terwijl ik formeel geen mandaat heb "
    "over de andere partijen?",
    "Hoe kan ik mijn werk als ICR goed doen, terwijl mijn caseload hoger is dan in de "
    "opleiding is afgesproken?",
    "Hoe kan ik de school betrekken bij het veiligheidsplan, terwijl de school alleen via "
    "de intern begeleider bereikbaar is?",
    "Hoe kan ik als ICR informatie delen met de politie, terwijl ik niet zeker weet wat de "
    "AVG toestaat?",
    "Hoe kan ik stabiele veiligheid bereiken, terwijl de partner van moeder steeds opnieuw in "
    "beeld komt en niemand hem aanspreekt?",
]


def make_01() -> None:
    document = new_document("Leeragenda ICR")
    set_body(
        document,
        p("Dynamische Leeragenda ICR Rotterdam-Rijnmond", style="Title"),
        p("Versie: 2"),
        p("Datum: 14-09-2020"),
        empty(),
        *[p(question, style="ListNumber") for question in ICR_QUESTIONS_01],
    )
    save(document, "01-stijl-lijstnummering.docx")


# --- 02: direct numbering with lettered sub-questions --------------------------------------------

QUESTIONS_02 = [
    (
        "Hoe kan ik als manager de ICR-functie een vaste plek geven in het lokale team, terwijl "
        "de formatie voor volgend jaar nog niet rond is?",
        [],
    ),
    (
        "Hoe kan ik als manager ICR’s de ruimte geven om af te wijken van de standaardwerkwijze, "
        "terwijl de organisatie stuurt op doorlooptijden?",
        [
            "Welke afwijkingen zijn nodig om een gezin stabiel veilig te krijgen?",
            "Hoe leg ik die afwijkingen uit aan de directie?",
        ],
    ),
    (
        "Hoe kunnen we als managers van elkaar leren, terwijl elke gemeente een eigen "
        "inrichting van het lokale team heeft?",
        [],
    ),
    (
        "Hoe kan ik als manager zorgen dat ketenpartners de ICR serieus nemen, terwijl de ICR "
        "geen formele positie heeft in het convenant?",
        [
            "Met welke partners maken we als eerste afspraken?",
            "Wie tekent namens de gemeente?",
            "Hoe toetsen we na een half jaar of de afspraken werken?",
        ],
    ),
    (
        "Hoe kan ik de resultaten van de ICR zichtbaar maken, terwijl de registratiesystemen "
        "geen veiligheidsuitkomsten bijhouden?",
        [],
    ),
]


def make_02() -> None:
    document = new_document("Leeragenda managers")
    add_numbering(
        document,
        [abstract_num(10, ("decimal", "%1."), ("lowerLetter", "%2)"), ("lowerRoman", "%3."))],
        [num(10, 10)],
    )
    blocks = [
        p("Leeragenda managers lokale teams Nissewaard", style="Heading1"),
        p("Datum: 3 november 2020"),
        p(
            "Naar aanleiding van de bijeenkomst met teamleiders op 27 oktober 2020:",
        ),
        empty(),
    ]
    for question, subs in QUESTIONS_02:
        blocks.append(p(question, style="ListParagraph", num=(0, 10)))
        blocks.extend(p(sub, style="ListParagraph", num=(1, 10)) for sub in subs)
    blocks.append(empty())
    set_body(document, *blocks)
    save(document, "02-directe-nummering-letters.docx")


# --- 03: roman sub-levels and a restart between two groups ------------------------------------

GROUP_03_A = [
    (
        "Hoe komen we tot één plan voor het hele gezin, terwijl jeugd, Wmo en veiligheid "
        "ieder hun eigen plan maken?",
        [
            "Welke plannen bestaan er nu per gezin?",
            "Wie beslist welk plan leidend is?",
            "Hoe houden we het plan actueel als er een nieuwe partner bijkomt?",
        ],
    ),
    (
        "Hoe zorgen we dat de procesregisseur het overzicht houdt, terwijl partners hun "
        "informatie pas delen als er een melding ligt?",
        [],
    ),
    (
        "Hoe komen we tot een gedeelde definitie van veiligheid, terwijl Veilig Thuis en het "
        "lokale team verschillende risicotaxaties gebruiken?",
        ["Welke taxatie gebruiken we in het gezamenlijke overleg?"],
    ),
]
GROUP_03_B = [
    (
        "Hoe leren we van casussen die vastlopen, terwijl er geen vast moment is om ze samen "
        "te bespreken?",
        [],
    ),
    (
        "Hoe betrekken we ervaringsdeskundigen bij de werksessies, terwijl er geen budget is "
        "voor hun inzet?",
        [
            "Wat is een passende vergoeding?",
            "Wie nodigt hen uit en begeleidt hen na afloop?",
        ],
    ),
]


def make_03() -> None:
    document = new_document("Leeragenda Gooi en Vechtstreek")
    add_numbering(
        document,
        [abstract_num(20, ("decimal", "%1."), ("lowerRoman", "%2."))],
        [num(20, 20), num(21, 20, {0: 1})],
    )
    blocks = [
        p("Dynamische Leeragenda werksessie zorg en veiligheid", style="Title"),
        p("Versie: 4"),
        p("Datum: 9 juni 2021"),
        p("Leervragen ten aanzien van de ambitie", style="Heading2"),
    ]
    for question, subs in GROUP_03_A:
        blocks.append(p(question, style="ListParagraph", num=(0, 20)))
        blocks.extend(p(sub, style="ListParagraph", num=(1, 20)) for sub in subs)
    blocks.append(p("Leervragen ten aanzien van de vervolgstappen", style="Heading2"))
    for question, subs in GROUP_03_B:
        blocks.append(p(question, style="ListParagraph", num=(0, 21)))
        blocks.extend(p(sub, style="ListParagraph", num=(1, 21)) for sub in subs)
    set_body(document, *blocks)
    save(document, "03-romeins-en-herstart.docx")


# --- 04: a table with a number column "1" and extra columns ------------------------------------

ROWS_04 = [
    (
        "1",
        "Hoe kan ik als ICR snel een veiligheidsplan maken, terwijl de wijkagent pas na twee "
        "weken terugbelt?",
        "ICR Rotterdam-Zuid",
        "loopt",
    ),
    (
        "2",
        "Hoe kunnen we als gemeente de ICR-functie structureel financieren, terwijl de "
        "GHNT-middelen na 2021 stoppen?",
        "Wethouder Rotterdam",
        "besproken in Taskforce",
    ),
    (
        "3",
        "Hoe kan ik als ICR zicht houden op de kinderen, terwijl het gezin twee keer per jaar "
        "verhuist tussen gemeenten?",
        "ICR Maassluis",
        "nieuw",
    ),
    (
        "4",
        "Hoe zorgen we voor een warme overdracht naar de ICR, terwijl Veilig Thuis en het "
        "lokale team een ander registratiesysteem hebben?",
        "Teamleider Nissewaard",
        "loopt",
    ),
    (
        "5",
        "Hoe kan ik als ICR het netwerk rond het gezin versterken, terwijl familie op afstand "
        "woont en niet wil meedoen?",
        "ICR Goeree-Overflakkee",
        "afgerond?",
    ),
]


def make_04() -> None:
    document = new_document("Leeragenda ICR’s overzicht")
    widths = [600, 4800, 2000, 1400]
    header = tr(
        *[
            tc(p(bold(text)), width=w)
            for text, w in zip(["Nr", "Leervraag", "Eigenaar", "Status"], widths, strict=True)
        ],
        header=True,
    )
    rows = [tr(*[cell(value, w) for value, w in zip(row, widths, strict=True)]) for row in ROWS_04]
    set_body(
        document,
        p("Leeragenda ICR’s Rotterdam-Rijnmond – overzicht per gemeente", style="Heading1"),
        p("Datum: 18-01-2021"),
        empty(),
        tbl(widths, header, *rows),
        empty(),
    )
    save(document, "04-tabel-nummerkolom.docx")


# --- 05: a "1." number column, a table without numbers, merged cells -----------------------------

ROWS_05_A = [
    "Hoe kan ik als professional een onveilige situatie bespreekbaar maken, terwijl ouders "
    "dreigen de hulp te stoppen?",
    "Hoe kan ik als professional de meldcode volgen, terwijl de stappen in mijn organisatie "
    "anders zijn beschreven dan bij de partner?",
    "Hoe kunnen we als professionals samen één gesprek met het gezin voeren, terwijl ieder "
    "een eigen intakeprocedure heeft?",
]
ROWS_05_B = [
    (
        "Hoe kunnen we op het juiste moment opschalen naar het Zorg- en Veiligheidshuis, "
        "terwijl de criteria voor opschaling per gemeente verschillen?",
        "Opschaling",
        "2020",
    ),
    (
        "Hoe kunnen we het casusoverleg kort houden, terwijl elke partner zijn eigen "
        "verhaal wil vertellen?",
        "Opschaling",
        "2021",
    ),
    (
        "Hoe kunnen we contextinformatie van het lokale team gebruiken in het "
        "MDA++-overleg, terwijl partners verschillende informatiesystemen gebruiken?",
        "Informatiedeling",
        "2021",
    ),
]


def make_05() -> None:
    document = new_document("Leeragenda professionals")
    widths_a = [700, 8100]
    rows_a = [
        tr(cell(f"{n}.", widths_a[0]), cell(text, widths_a[1]))
        for n, text in enumerate(ROWS_05_A, 1)
    ]
    widths_b = [5600, 1800, 1400]
    header_b = tr(
        *[
            tc(p(bold(text)), width=w)
            for text, w in zip(["Leervraag", "Thema", "Sinds"], widths_b, strict=True)
        ],
        header=True,
    )
    rows_b = []
    for index, (question, theme, since) in enumerate(ROWS_05_B):
        # The theme cell of the first two rows is merged vertically (w:vMerge).
        if index == 0:
            theme_cell = cell(theme, widths_b[1], vmerge="restart")
        elif index == 1:
            theme_cell = tc(p(), width=widths_b[1], vmerge="continue")
        else:
            theme_cell = cell(theme, widths_b[1])
        rows_b.append(tr(cell(question, widths_b[0]), theme_cell, cell(since, widths_b[2])))
    # A title row across all three columns (w:gridSpan), as people put above a table.
    span_row = tr(tc(p(bold("Leervragen netwerkniveau")), width=8800, span=3))
    set_body(
        document,
        p("Dynamische Leeragenda professionals Gooi en Vechtstreek", style="Title"),
        p("Datum: 2 december 2021"),
        p("Casusniveau", style="Heading2"),
        tbl(widths_a, *rows_a),
        empty(),
        tbl(widths_b, span_row, header_b, *rows_b),
        empty(),
    )
    save(document, "05-tabellen-varianten.docx")


# --- 06: version and date only in the heading; attendance and distribution lists ---------------

QUESTIONS_06 = [
    "Hoe kan ik als ICR het gesprek over veiligheid voeren, terwijl de tolk telkens een ander is?",
    "Hoe kan ik als ICR de voortgang bewaken, terwijl het plan van aanpak in drie systemen staat?",
    "Hoe kunnen we als ICR’s intervisie organiseren, terwijl we in vier verschillende "
    "gemeenten werken?",
    "Hoe kan ik als ICR de overgang naar het reguliere lokale team goed regelen, terwijl het "
    "gezin aan mij gehecht is geraakt?",
]


def make_06() -> None:
    document = new_document("Leeragenda ICR’s")
    add_numbering(document, [abstract_num(30, ("bullet", "\uf0b7"))], [num(30, 30), num(31, 30)])
    blocks = [
        p("Leeragenda ICR’s – versie 12 maart 2024", style="Heading1"),
        p(bold("Aanwezig:")),
        p("ICR Goeree-Overflakkee", style="ListParagraph", num=(0, 30)),
        p("ICR Nissewaard", style="ListParagraph", num=(0, 30)),
        p("ICR Maassluis", style="ListParagraph", num=(0, 30)),
        p("teamleider lokaal team Rotterdam", style="ListParagraph", num=(0, 30)),
        p("onderzoeker (verslag)", style="ListParagraph", num=(0, 30)),
        p(bold("Verspreiden:")),
        p("deelnemers werksessie", style="ListParagraph", num=(0, 31)),
        p("teamleiders van de lokale teams", style="ListParagraph", num=(0, 31)),
        empty(),
        p("Naar aanleiding van de werksessie op 5 maart 2024:"),
    ]
    blocks += [p(q, style="ListNumber") for q in QUESTIONS_06]
    set_body(document, *blocks)
    save(document, "06-kop-met-versie-en-datum.docx")


def make_06b() -> None:
    document = new_document("Leeragenda managers")
    set_body(
        document,
        p("Leeragenda managers en teamleiders", style="Title"),
        p("Versie 3 – 12-03-2024", style="Heading2"),
        p(bold("Aanwezig:"), " teamleiders Maassluis en Nissewaard, beleidsadviseur, onderzoeker"),
        p(bold("Afwezig:"), " teamleider Goeree-Overflakkee"),
        empty(),
        p(
            "A. Hoe kan ik als teamleider de ICR beschermen tegen extra casussen, terwijl de "
            "druk op het team door de wachtlijst hoog is?"
        ),
        p(
            "B. Hoe kan ik als manager het gesprek met de wethouder voorbereiden, terwijl de "
            "resultaten van de ICR pas over een jaar meetbaar zijn?"
        ),
    )
    save(document, "06b-kop-versie-nummer.docx")


# --- 07: typed labels, group headings, line breaks, nbsp, smart quotes ------------------------


def make_07() -> None:
    document = new_document("Leeragenda projectleider")
    set_body(
        document,
        p("Dynamische Leeragenda projectleider – regionale aanpak", style="Title"),
        p("Datum: 10-07-2020"),
        empty(),
        p("Leervragen casusniveau", style="Heading2"),
        p(
            "A. Hoe kan ik ‘regie’ als gedeeld begrip neerzetten, terwijl iedere partner er "
            "iets anders onder verstaat?"
        ),
        # Shift+Enter inside a question: one paragraph, a w:br between the lines.
        p(
            r("B.\tHoe kan ik de lokale teams ondersteunen bij “stabiele veiligheid”,"),
            "<w:r><w:br/></w:r>",
            r("terwijl de definitie nog per gemeente verschilt?"),
        ),
        # A non-breaking hyphen (w:noBreakHyphen), non-breaking spaces, a pasted soft hyphen.
        p(
            r("C. Hoe kan ik het MDA++"),
            "<w:r><w:noBreakHyphen/></w:r>",
            r(
                f"overleg{NBSP}laten aansluiten op het lokale veld, terwijl de agenda’s van "
                f"alle be{SHY}trokkenen vol zitten?{NBSP}(capaciteit)"
            ),
        ),
        p("Leervragen organisatieniveau", style="Heading2"),
        p(
            "A. Hoe richt ik een structuur in waarbinnen gemeenten van elkaar leren, terwijl "
            "de wethouders verschillende prioriteiten hebben? [gereconstrueerd]"
        ),
        p(
            "B. Hoe krijg ik zicht op de stand van zaken in elke gemeente, terwijl niet elke "
            "gemeente hetzelfde bijhoudt?"
        ),
    )
    save(document, "07-getypte-labels.docx")


# --- 08: a shared stem with numbered and lettered completions ---------------------------------


def make_08() -> None:
    document = new_document("Leeragenda regisseurs")
    add_numbering(document, [abstract_num(40, ("upperLetter", "%1."))], [num(40, 40)])
    stem1 = "Hoe kan ik als regisseur het plan van aanpak uitvoeren, terwijl\u2026.."
    stem2 = "Hoe kunnen we als netwerk de overgang naar nazorg regelen, terwijl\u2026"
    set_body(
        document,
        p("Dynamische Leeragenda regisseurs – persoonsgerichte aanpak", style="Title"),
        p("Versie: 2"),
        p("Datum: 21 september 2023"),
        empty(),
        p(stem1),
        p(
            "\u2026 ik geen doorzettingsmacht heb over de interventiepartners?",
            style="ListParagraph",
            num=(0, 40),
        ),
        p(
            "\u2026 ieder partner alleen zijn eigen taartpunt oppakt? (taartpunt)",
            style="ListParagraph",
            num=(0, 40),
        ),
        p(
            "\u2026 de wachttijd voor begeleid wonen langer is dan een half jaar?",
            style="ListParagraph",
            num=(0, 40),
        ),
        p(
            "Hoe kan ik als regisseur escaleren naar de stuurgroep, terwijl de "
            "escalatieladder niet bij alle partners bekend is?",
            style="ListParagraph",
            num=(0, 40),
        ),
        empty(),
        p("Nazorg", style="Heading2"),
        p(stem2),
        p("A. \u2026 de zorg na zes maanden stopt?"),
        p("B. \u2026 het gezin geen vast aanspreekpunt meer heeft?"),
    )
    save(document, "08-gedeelde-stam.docx")


# --- 09: tracked changes, split runs, fields, content controls, bullets of remarks -------------


def make_09() -> None:
    document = new_document("Leeragenda ICR’s")
    add_numbering(
        document,
        [abstract_num(50, ("upperLetter", "%1.")), abstract_num(51, ("bullet", "\uf0b7"))],
        [num(50, 50), num(51, 51)],
    )
    date_field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> CREATEDATE  \\@ "d-M-yyyy"  \\* MERGEFORMAT '
        "</w:instrText></w:r>"
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{r('7-10-2021')}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    sdt_block = (
        '<w:sdt><w:sdtPr><w:alias w:val="Leervraag"/><w:tag w:val="vraag"/>'
        '<w:id w:val="-1502584011"/></w:sdtPr><w:sdtContent>'
        + p(
            "Hoe kunnen we als ICR’s ons werk zichtbaar maken, terwijl de gemeente vooral "
            "naar aantallen casussen kijkt?",
            style="ListParagraph",
            num=(0, 50),
        )
        + "</w:sdtContent></w:sdt>"
    )
    run_sdt = (
        '<w:sdt><w:sdtPr><w:id w:val="1201"/><w:showingPlcHdr w:val="0"/></w:sdtPr>'
        f"<w:sdtContent>{r('de zorgaanbieder')}</w:sdtContent></w:sdt>"
    )
    # "wel " was moved from question B to a remark: w:moveFrom text is gone, w:moveTo stays.
    moved_from = (
        '<w:moveFromRangeStart w:id="11" w:author="Onderzoeker" w:date="2024-03-11T10:05:00Z" '
        'w:name="move1"/><w:moveFrom w:id="12" w:author="Onderzoeker" '
        'w:date="2024-03-11T10:05:00Z"><w:r><w:t xml:space="preserve">wel </w:t></w:r>'
        '</w:moveFrom><w:moveFromRangeEnd w:id="11"/>'
    )
    moved_to = (
        '<w:moveToRangeStart w:id="13" w:author="Onderzoeker" w:date="2024-03-11T10:05:00Z" '
        'w:name="move1"/><w:moveTo w:id="14" w:author="Onderzoeker" '
        'w:date="2024-03-11T10:05:00Z"><w:r><w:t xml:space="preserve">wel </w:t></w:r>'
        '</w:moveTo><w:moveToRangeEnd w:id="13"/>'
    )
    link = (
        '<w:hyperlink w:anchor="_Toc1" w:history="1">'
        '<w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t>verslag</w:t></w:r></w:hyperlink>'
    )
    set_body(
        document,
        p("Dynamische Leeragenda ICR’s – in praktijk", style="Title"),
        p("Datum: ", date_field),
        empty(),
        # A: split runs mid-word (rsid boundaries) and a spell-check mark.
        p(
            r("Hoe kan ik als I", "00B3F1A2"),
            r("CR de ", "00C4D7E9"),
            spell("casusregie"),
            r(" vasthouden, ter", "00B3F1A2"),
            r("wijl de jeugdbeschermer een ander ", "00C4D7E9"),
            r("veiligheidsdoel", "00E1A2B3"),
            r(" stelt?"),
            style="ListParagraph",
            num=(0, 50),
        ),
        # B: tracked changes: an insertion kept, a deletion dropped, a bookmark around a word.
        p(
            r("Hoe kan ik als ICR "),
            dele("snel ", rid=21),
            ins("tijdig ", rid=22),
            r("opschalen naar "),
            bookmark("opschaling", 0, "het Veiligheidshuis"),
            r(", terwijl "),
            run_sdt,
            r(" "),
            moved_from,
            r("de toestemming van ouders nodig "),
            dele("denkt te hebben", rid=23),
            ins("heeft", rid=24),
            r("?"),
            style="ListParagraph",
            num=(0, 50),
        ),
        sdt_block,
        # D: an optional hyphen (Ctrl+-, w:softHyphen) and a deleted whole clause.
        p(
            r("Hoe kan ik als ICR de gezins"),
            "<w:r><w:softHyphen/></w:r>",
            r("leden zelf laten vertellen wat er speelt, "),
            dele("terwijl er weinig tijd is, ", rid=25),
            r("terwijl het gesprek altijd via de tolk loopt?"),
            style="ListParagraph",
            num=(0, 50),
        ),
        empty(),
        p(bold("Opmerkingen uit de sessie")),
        p(
            "Zie het ",
            link,
            " van 5 oktober voor de toelichting.",
            style="ListParagraph",
            num=(0, 51),
        ),
        p(
            "Vraag C komt ",
            moved_to,
            "terug in de volgende versie.",
            style="ListParagraph",
            num=(0, 51),
        ),
        p(
            "Bespreken met de teamleiders: hoe houden we dit vol?",
            style="ListParagraph",
            num=(0, 51),
        ),
    )
    save(document, "09-wijzigingen-en-opmerkingen.docx")


# --- Dutch Word: localised style ids, inheritance through w:basedOn ---------------------------

DUTCH_STYLE_IDS = {
    "Normal": "Standaard",
    "Title": "Titel",
    "TitleChar": "TitelChar",
    "Heading1": "Kop1",
    "Heading1Char": "Kop1Char",
    "Heading2": "Kop2",
    "Heading2Char": "Kop2Char",
    "ListNumber": "Lijstnummering",
    "ListParagraph": "Lijstalinea",
    "ListBullet": "Lijstopsomteken",
    "TableGrid": "Tabelraster",
}
_STYLE_REF_RE = re.compile(
    r'(<w:(?:pStyle|basedOn|next|link|rStyle|tblStyle) w:val="|w:styleId=")([^"]+)(")'
)


def dutch_style_ids(xml: str) -> str:
    """Dutch Word localises style ids (Heading1 -> Kop1) but keeps the English w:name."""
    return _STYLE_REF_RE.sub(
        lambda m: m.group(1) + DUTCH_STYLE_IDS.get(m.group(2), m.group(2)) + m.group(3), xml
    )


DUTCH_PARTS = {
    part: dutch_style_ids
    for part in (
        "word/document.xml",
        "word/styles.xml",
        "word/stylesWithEffects.xml",
        "word/numbering.xml",
    )
}

QUESTIONS_11_A = [
    "Hoe komen we tot een gedeeld beeld van procesregie, terwijl elke gemeente een eigen "
    "invulling geeft aan de rol van regisseur?",
    "Hoe zorgen we ervoor dat gezinnen niet zelf de regie hoeven te voeren, terwijl de "
    "hulpverlening over drie domeinen is verdeeld?",
    "Hoe komen we tot één aanspreekpunt voor het gezin, terwijl de zorgaanbieders hun eigen "
    "casusregie willen houden?",
]
QUESTIONS_11_B = [
    "Hoe kunnen we als Taskforce besluiten nemen over de aanpak, terwijl de mandaten bij de "
    "acht gemeenten liggen?",
    "Hoe houden we zicht op de voortgang in de gemeenten, terwijl er geen gezamenlijke monitor is?",
]


def make_11() -> None:
    document = new_document("Leeragenda uitvoerders")
    # A house style for questions that inherits its numbering from "List Number".
    add_style(
        document,
        '<w:style w:type="paragraph" w:customStyle="1" w:styleId="DLAvraag">'
        '<w:name w:val="DLA vraag"/><w:basedOn w:val="ListNumber"/><w:qFormat/>'
        '<w:rsid w:val="004B2C1D"/><w:rPr><w:i/></w:rPr></w:style>',
    )
    blocks = [
        p("Dynamische Leeragenda uitvoerders Gooi en Vechtstreek", style="Heading1"),
        p("Datum: 9 juni 2021"),
        p("Leervragen zorg en veiligheid", style="Heading2"),
        *[p(q, style="ListNumber") for q in QUESTIONS_11_A],
        p("Leervragen Taskforce", style="Heading2"),
        # Same list (numId 5 through the style chain): Word continues with 4 and 5.
        *[p(q, style="DLAvraag") for q in QUESTIONS_11_B],
    ]
    set_body(document, *blocks)
    save(document, "11-nederlandse-word-stijlen.docx", DUTCH_PARTS)


# --- 12: numbered headings, continued numbering, upper roman ----------------------------------


def add_heading_numbering(document, num_id: int) -> None:
    """Link Heading 1 and 2 to an outline list ("1", "1.1"), as Word's multilevel list does."""
    styles = document.styles.element
    for style_id, ilvl in (("Heading1", 0), ("Heading2", 1)):
        style = styles.find(f'{{{W_NS}}}style[@{{{W_NS}}}styleId="{style_id}"]')
        ppr = style.find(f"{{{W_NS}}}pPr")
        ilvl_xml = f'<w:ilvl w:val="{ilvl}"/>' if ilvl else ""
        numpr = parse_xml(f'<w:numPr {NSDECL}>{ilvl_xml}<w:numId w:val="{num_id}"/></w:numPr>')
        # Schema order: w:numPr comes after w:keepNext and w:keepLines.
        keep = [child for child in ppr if child.tag.split("}")[1] in ("keepNext", "keepLines")]
        if keep:
            keep[-1].addnext(numpr)
        else:
            ppr.insert(0, numpr)


QUESTIONS_12 = {
    "Casusniveau": [
        "Hoe kan ik als professional de veiligheid van de kinderen bespreken, terwijl ouders "
        "het gesprek afhouden?",
        "Hoe kan ik een veiligheidsplan opstellen met het gezin, terwijl de situatie elke week "
        "verandert?",
        "Hoe kan ik de jeugdarts betrekken, terwijl zij niet aan het casusoverleg deelneemt?",
    ],
    "Organisatieniveau": [
        "Hoe kunnen we als lokaal team ruimte maken voor intensieve casussen, terwijl de "
        "instroom van nieuwe aanmeldingen blijft stijgen?",
        "Hoe kunnen we de samenwerking met Veilig Thuis vastleggen, terwijl de afspraken uit "
        "2019 niet meer kloppen?",
    ],
    "Bestuurlijk niveau": [
        "Hoe kan ik als bestuurder een goede verbinding leggen met de uitvoering, terwijl ik "
        "weinig zicht heb op wat er in de wijk gebeurt?",
        "Hoe kunnen we als gemeenten samen investeren in de aanpak, terwijl de budgetten per "
        "gemeente jaarlijks worden vastgesteld?",
    ],
}


def make_12() -> None:
    document = new_document("Leeragenda Goeree-Overflakkee")
    add_numbering(
        document,
        [
            abstract_num(80, ("decimal", "%1"), ("decimal", "%1.%2")),
            abstract_num(81, ("decimal", "%1)"), ("lowerLetter", "%2)")),
            abstract_num(82, ("upperRoman", "%1."), ("lowerLetter", "%2.")),
            abstract_num(83, ("bullet", "\uf0b7")),
        ],
        [num(80, 80), num(81, 81), num(82, 82), num(83, 83)],
    )
    add_heading_numbering(document, 80)
    cases, organisation, board = QUESTIONS_12.values()
    blocks = [
        p("Dynamische Leeragenda Goeree-Overflakkee – lokale teams", style="Title"),
        p("Versie: 1"),
        p("Datum: 1 februari 2021"),
        p("Inleiding", style="Heading1"),
        p(
            "Deze leeragenda is opgesteld na de systeemanalyse van het najaar. Hij wordt "
            "elk half jaar bijgewerkt in een werksessie."
        ),
        p("Thema’s:"),
        p("Informatiedeling", style="ListParagraph", num=(0, 83)),
        p("Doorzettingsmacht", style="ListParagraph", num=(0, 83)),
        p("Leervragen", style="Heading1"),
        p("Casusniveau", style="Heading2"),
        *[p(q, style="ListParagraph", num=(0, 81)) for q in cases],
        p("Organisatieniveau", style="Heading2"),
        # The same list continues after the heading: Word shows 4) and 5).
        *[p(q, style="ListParagraph", num=(0, 81)) for q in organisation],
        p("Bestuurlijk niveau", style="Heading2"),
        *[p(q, style="ListParagraph", num=(0, 82)) for q in board],
    ]
    set_body(document, *blocks)
    save(document, "12-genummerde-koppen-doorlopend.docx")


# --- 13: a memo with a header table and "List Number" restarted per group ---------------------

QUESTIONS_13_A = [
    "Hoe komen we tot een gedeeld beeld van regie, terwijl partners er verschillende "
    "verwachtingen bij hebben?",
    "Hoe komen we tot een gezamenlijke risicotaxatie, terwijl ieder domein zijn eigen "
    "instrument gebruikt?",
    "Hoe zorgen we voor één plan voor het gezin, terwijl de schotten tussen jeugd, Wmo en "
    "veiligheid blijven bestaan?",
    "Hoe komen we tot een overleg waarin zorg en veiligheid aan één tafel zitten, terwijl "
    "beide een eigen overlegstructuur hebben?",
]
QUESTIONS_13_B = [
    "Hoe komen we tot een werkplan voor 2021, terwijl de financiering na dit jaar nog onzeker is?",
    "Hoe kunnen we de ervaringen van gezinnen meenemen, terwijl we hen nu alleen via "
    "hulpverleners spreken?",
]


def make_13() -> None:
    document = new_document("Memo leeragenda")
    # "Opnieuw beginnen bij 1": Word adds a w:num with a startOverride for the List Number list
    # and puts it on the first paragraph of the restarted list, and the ones after it.
    add_numbering(document, [], [num(70, 7, {0: 1})])
    widths = [1800, 7000]
    header_rows = [
        ("Aan", "Taskforce huiselijk geweld en kindermishandeling"),
        ("Van", "projectleider regionale aanpak"),
        ("Datum", "4 december 2020"),
        ("Verspreiden", "Nee, beperkt (deelnemers werksessie)"),
        ("Kenmerk", "20.0104417"),
    ]
    memo = tbl(
        widths,
        *[tr(tc(p(bold(k)), width=widths[0]), cell(v, widths[1])) for k, v in header_rows],
        style="TableNormal",
        borders=False,
    )
    blocks = [
        p("Memo", style="Title"),
        memo,
        empty(),
        p("Dynamische Leeragenda zorg en veiligheid", style="Heading1"),
        p("Leervragen ten aanzien van ambitie:"),
        *[p(q, style="ListNumber") for q in QUESTIONS_13_A],
        empty(),
        p("Leervragen ten aanzien van vervolgstappen:"),
        *[p(q, style="ListNumber", num=(0, 70)) for q in QUESTIONS_13_B],
    ]
    set_body(document, *blocks)
    save(document, "13-memo-met-kopregels.docx")


# --- 14: sub-questions inside table cells, the question column found by content ---------------

ROWS_14 = [
    (
        "Informatiedeling",
        "A",
        [
            "Hoe kan ik als ICR informatie uit het strafdossier gebruiken,",
            "terwijl het OM die informatie niet met de gemeente mag delen?",
        ],
        [
            "Welke informatie mag de reclassering wel delen?",
            "Wie vraagt toestemming aan het gezin?",
        ],
        "ICR’s",
    ),
    (
        "Opschaling",
        "B",
        [
            "Hoe kan ik als ICR opschalen naar het Zorg- en Veiligheidshuis, terwijl de "
            "casus volgens de criteria nog niet complex genoeg is?"
        ],
        [],
        "ICR’s en teamleiders",
    ),
    (
        "Nazorg",
        "C",
        [
            "Hoe kan ik als ICR de casus afsluiten, terwijl ik weet dat het gezin zonder "
            "steun terugvalt?"
        ],
        ["Wat is een goede termijn voor nazorg?"],
        "ICR’s",
    ),
]


def make_14() -> None:
    document = new_document("Leeragenda ICR’s in opleiding")
    add_numbering(document, [abstract_num(90, ("lowerRoman", "%1."))], [num(90, 90)])
    widths = [1700, 700, 5000, 1400]
    header = tr(
        *[
            tc(p(bold(text)), width=w)
            for text, w in zip(["Thema", "", "Leervraag", "Wie"], widths, strict=True)
        ],
        header=True,
    )
    rows = []
    for theme, label, paragraphs, subs, who in ROWS_14:
        question_cell = tc(
            *[p(text) for text in paragraphs],
            *[p(sub, style="ListParagraph", num=(0, 90)) for sub in subs],
            width=widths[2],
        )
        rows.append(
            tr(
                cell(theme, widths[0]),
                cell(f"{label}.", widths[1]),
                question_cell,
                cell(who, widths[3]),
            )
        )
    note = tr(
        tc(
            p(
                r("Opmerking: ", props="<w:i/>"),
                r("vraag C is nieuw ten opzichte van de vorige versie.", props="<w:i/>"),
            ),
            width=sum(widths),
            span=4,
        )
    )
    set_body(
        document,
        p("Dynamische Leeragenda ICR’s in opleiding", style="Title"),
        p("Datum: 15-03-2021"),
        p("Naar aanleiding van de terugkomdag op 8 maart 2021:"),
        empty(),
        tbl(widths, header, *rows, note),
        empty(),
    )
    save(document, "14-tabel-met-deelvragen-in-cel.docx")


# --- 16: pasted from an e-mail: typed labels, typed sub-letters, Enter inside a question ------


def make_16() -> None:
    document = new_document("Leeragenda bestuurders (concept)")
    set_body(
        document,
        p("Concept leeragenda bestuurders"),
        p("Datum: 22-04-2021"),
        p("Bestuurders zijn nog niet gesproken."),
        empty(),
        p("1. Hoe kan ik als bestuurder de aanpak verankeren in het beleid,"),
        p("terwijl de coalitie volgend jaar wisselt?"),
        p("a. Welke besluiten moeten voor de verkiezingen genomen zijn?"),
        p("b. Wie bewaakt de afspraken na de wisseling?"),
        empty(),
        p(
            "2. Hoe kunnen we als bestuurders zicht houden op de resultaten, terwijl de  "
            "uitvoering  over acht gemeenten is verspreid?  "
        ),
        p(
            "3. Hoe kan ik als bestuurder ruimte geven aan professionals om af te wijken, "
            "terwijl ik verantwoording moet afleggen aan de raad?"
        ),
    )
    # A reviewer's comment on question 3: comments live in their own part, not in the text.
    third = document.paragraphs[-1]
    document.add_comment(
        third.runs, text="Is dit nog actueel na de werksessie?", author="PL", initials="PL"
    )
    fixed_date = {
        "word/comments.xml": lambda xml: re.sub(
            r'w:date="[^"]*"', 'w:date="2021-04-22T15:12:00Z"', xml
        )
    }
    save(document, "16-geplakt-uit-mail.docx", fixed_date)


# --- 15: numbering edge cases: a start value, sub-letters that never restart, numbering off ---


def make_15() -> None:
    document = new_document("Leeragenda ICR’s Maassluis")
    add_numbering(
        document,
        # Level 0 starts at 6; level 1 never restarts (w:lvlRestart 0): a, b, then c.
        [abstract_num(100, ("decimal", "%1.", 6), ("lowerLetter", "%2.", 1, 0))],
        [num(100, 100)],
    )
    set_body(
        document,
        p("Leeragenda ICR’s Maassluis – vervolg", style="Heading1"),
        p("Datum: 30-06-2021"),
        p("Vragen 1 tot en met 5 zijn besproken op 12 mei 2021. Hieronder staan de open vragen."),
        p(
            "Hoe kan ik als ICR de veiligheid blijven volgen, terwijl het gezin na de "
            "verhuizing onder een ander lokaal team valt?",
            style="ListParagraph",
            num=(0, 100),
        ),
        p("Wie draagt de casus over?", style="ListParagraph", num=(1, 100)),
        p("Wanneer sluit ik als ICR af?", style="ListParagraph", num=(1, 100)),
        # Numbering switched off for one paragraph of the list (w:numId 0): a note.
        p(
            "Toelichting: dit speelt vooral bij gezinnen met een jeugdbeschermingsmaatregel.",
            style="ListParagraph",
            num=(0, 0),
        ),
        p(
            r("Hoe kan ik als ICR met de jeugdbeschermer samenwerken,"),
            "<w:r><w:br/></w:r>",
            r("terwijl we allebei de regie willen houden?"),
            style="ListParagraph",
            num=(0, 100),
        ),
        p(
            "Hoe kunnen we als ICR’s de methode MultiFocus blijven toepassen, terwijl er "
            "geen tijd is voor intervisie?",
            style="ListParagraph",
            num=(0, 100),
        ),
        p("Wie organiseert de intervisie?", style="ListParagraph", num=(1, 100)),
    )
    save(document, "15-nummering-randgevallen.docx")


# --- 17: text pasted from a PDF: one paragraph per printed line, line-break hyphenation -------


def make_17() -> None:
    document = new_document("Leeragenda professionals in praktijk")
    lines = [
        "Dynamische Leeragenda professionals in praktijk",
        "Datum: 11-11-2021",
        "",
        "A. Hoe kan ik als professional de veiligheidsafspraken con-",
        "troleren, terwijl ik het gezin maar eens per maand zie?",
        "B. Hoe kunnen we als professionals samenwerken met het Zorg-",
        "en Veiligheidshuis, terwijl de aanmeldprocedure per regio ver-",
        "schilt?",
        "C. Hoe kan ik als professional signalen van kindermishandeling bespreken met",
        "collega’s, terwijl de privacyregels in mijn organisatie streng zijn?",
    ]
    set_body(document, *[p(line) if line else empty() for line in lines])
    save(document, "17-geplakt-uit-pdf.docx")


# --- 18: a session report: numbered meeting agenda, attendance table, actions --------------------


def make_18() -> None:
    document = new_document("Verslag werksessie ICR’s")
    add_numbering(
        document,
        [abstract_num(110, ("decimal", "%1."), ("lowerLetter", "%2."))],
        [num(110, 110), num(111, 110, {0: 1}), num(112, 110, {0: 1})],
    )
    widths = [1800, 7000]
    author_field = (
        f'<w:fldSimple w:instr=" AUTHOR  \\* MERGEFORMAT ">{r("Onderzoeker Athena")}</w:fldSimple>'
    )
    header_rows = [
        tr(cell("Datum", widths[0]), cell("23 september 2021", widths[1])),
        tr(
            cell("Aanwezig", widths[0]),
            cell(
                "ICR’s van Maassluis, Nissewaard en Rotterdam; teamleider; onderzoekers", widths[1]
            ),
        ),
        tr(cell("Afwezig", widths[0]), cell("ICR Goeree-Overflakkee", widths[1])),
        tr(cell("Verslag", widths[0]), tc(p(author_field), width=widths[1])),
    ]
    questions = [
        "Hoe kan ik als ICR de overdracht van Veilig Thuis versnellen, terwijl de eerste "
        "contacten altijd via de teamleider lopen?",
        None,  # question 2 is typed over two paragraphs, see below
        "Hoe kunnen we als ICR’s onze ervaringen vastleggen, terwijl er geen format voor is "
        "afgesproken?",
        "Hoe kan ik als ICR het netwerk van het gezin betrekken, terwijl ouders dat netwerk "
        "afschermen?",
    ]
    blocks = [
        p("Verslag werksessie ICR’s Rotterdam-Rijnmond", style="Title"),
        tbl(widths, *header_rows, style="TableNormal", borders=False),
        empty(),
        p("Agenda", style="Heading1"),
        *[
            p(item, style="ListParagraph", num=(0, 110))
            for item in (
                "Opening en kennismaking",
                "Terugblik op de vorige leeragenda",
                "Nieuwe leervragen",
                "Afspraken en rondvraag",
            )
        ],
        p("Nieuwe leervragen", style="Heading1"),
        p("Naar aanleiding van de werksessie op 23 september 2021:"),
    ]
    for question in questions:
        if question is None:
            # Enter pressed inside the question: the second part has no number of its own.
            blocks.append(
                p(
                    "Hoe kan ik als ICR de school van de kinderen betrekken bij het plan,",
                    style="ListParagraph",
                    num=(0, 111),
                )
            )
            blocks.append(
                p(
                    "terwijl de school pas na toestemming van beide ouders informatie deelt?",
                    style="ListParagraph",
                )
            )
        else:
            blocks.append(p(question, style="ListParagraph", num=(0, 111)))
    blocks += [
        p("Afspraken", style="Heading1"),
        *[
            p(item, style="ListParagraph", num=(0, 112))
            for item in (
                "De onderzoeker stuurt het verslag voor 1 oktober rond.",
                "De teamleiders bespreken vraag 2 in het MT.",
                "Volgende werksessie: 25 november 2021.",
            )
        ],
    ]
    set_body(document, *blocks)
    header = document.sections[0].header
    header.paragraphs[0].text = "Concept – niet verspreiden"
    save(document, "18-verslag-werksessie.docx")


# --- 19: an outline: numbered ambitions at level 0, lettered questions under them, a footnote ---

FOOTNOTES_XML = (
    f"<w:footnotes {NSDECL}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote>"
    '<w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
    '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
    '<w:r><w:t xml:space="preserve"> Multidisciplinaire aanpak voor gezinnen met '
    "meervoudige problematiek.</w:t></w:r></w:p></w:footnote>"
    "</w:footnotes>"
)


def add_footnotes(document) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        FOOTNOTES_XML.encode("utf-8"),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)


def make_19() -> None:
    document = new_document("Leeragenda per ambitie")
    add_numbering(
        document,
        [abstract_num(120, ("decimal", "%1."), ("lowerLetter", "%2."), ("lowerRoman", "%3."))],
        [num(120, 120)],
    )
    add_footnotes(document)
    footnote = (
        '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
        '<w:footnoteReference w:id="1"/></w:r>'
    )
    set_body(
        document,
        p("Leeragenda Gooi en Vechtstreek – per ambitie", style="Title"),
        p("Datum: 17 februari 2022"),
        empty(),
        p("Ambitie: één gezin, één plan, één regisseur", style="ListParagraph", num=(0, 120)),
        p(
            "Hoe komen we tot één regisseur per gezin, terwijl elke organisatie een eigen "
            "casusregisseur aanwijst?",
            style="ListParagraph",
            num=(1, 120),
        ),
        p("Wie wijst de regisseur aan?", style="ListParagraph", num=(2, 120)),
        p(
            "Hoe houden we het plan van het gezin actueel, terwijl partners hun deel in hun "
            "eigen systeem bijwerken?",
            style="ListParagraph",
            num=(1, 120),
        ),
        p("Ambitie: zorg en veiligheid verbonden", style="ListParagraph", num=(0, 120)),
        p(
            r("Hoe kunnen we de MDA++-aanpak"),
            footnote,
            r(" in alle gemeenten gebruiken, terwijl niet elke gemeente de capaciteit heeft?"),
            style="ListParagraph",
            num=(1, 120),
        ),
    )
    save(document, "19-overzicht-per-ambitie.docx")


# --- 10: an encrypted (password protected) document: an OLE compound file, not a zip ----------


def make_10_encrypted() -> None:
    """The first sector of a compound file, as Word writes a password-protected .docx."""
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    header[0x18:0x1A] = (0x003E).to_bytes(2, "little")  # minor version
    header[0x1A:0x1C] = (0x0003).to_bytes(2, "little")  # major version 3
    header[0x1C:0x1E] = (0xFFFE).to_bytes(2, "little")  # byte order
    header[0x1E:0x20] = (9).to_bytes(2, "little")  # sector size 2^9
    header[0x20:0x22] = (6).to_bytes(2, "little")  # mini sector size 2^6
    header[0x2C:0x30] = (1).to_bytes(4, "little")  # one FAT sector
    header[0x30:0x34] = (1).to_bytes(4, "little")  # directory starts at sector 1
    header[0x38:0x3C] = (4096).to_bytes(4, "little")
    header[0x3C:0x40] = (0xFFFFFFFE).to_bytes(4, "little")
    header[0x44:0x48] = (0xFFFFFFFE).to_bytes(4, "little")
    header[0x4C:0x50] = (0).to_bytes(4, "little")
    for offset in range(0x50, 512, 4):
        header[offset : offset + 4] = (0xFFFFFFFF).to_bytes(4, "little")
    fat = bytearray(b"\xff" * 512)
    fat[0:4] = (0xFFFFFFFD).to_bytes(4, "little")
    fat[4:8] = (0xFFFFFFFE).to_bytes(4, "little")
    directory = bytearray(512)
    name = "Root Entry".encode("utf-16-le") + b"\x00\x00"
    directory[0 : len(name)] = name
    directory[0x40:0x42] = len(name).to_bytes(2, "little")
    directory[0x42] = 5  # root storage
    directory[0x43] = 1
    for offset in (0x44, 0x48, 0x4C):
        directory[offset : offset + 4] = (0xFFFFFFFF).to_bytes(4, "little")
    for index in range(1, 4):
        entry = index * 128
        for offset in (0x44, 0x48, 0x4C):
            directory[entry + offset : entry + offset + 4] = (0xFFFFFFFF).to_bytes(4, "little")
    (OUT / "10-met-wachtwoord.docx").write_bytes(bytes(header + fat + directory))


# --- 10: files that must be refused -------------------------------------------------------------


def make_10() -> None:
    document = new_document("")
    set_body(document, empty())
    save(document, "10-leeg.docx")

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.properties.created = datetime(2024, 3, 12, 9, 30)
    sheet = workbook.active
    sheet.title = "Leervragen"
    sheet.append(["Nr", "Leervraag"])
    sheet.append([1, "Hoe kan ik als ICR X, terwijl Y?"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    fixed_modified = {
        "docProps/core.xml": lambda xml: re.sub(
            r"(<dcterms:modified[^>]*>)[^<]*", r"\g<1>2024-03-12T09:30:00Z", xml
        )
    }
    repack(buffer.getvalue(), "10-excel-hernoemd.docx", fixed_modified)

    whole = (OUT / "01-stijl-lijstnummering.docx").read_bytes()
    (OUT / "10-afgebroken.docx").write_bytes(whole[: len(whole) // 2])


MAKERS = [make_01, make_02, make_03, make_04, make_05, make_06, make_06b, make_07, make_08]
MAKERS += [
    make_09,
    make_10,
    make_10_encrypted,
    make_11,
    make_12,
    make_13,
    make_14,
    make_15,
    make_16,
]
MAKERS += [make_17, make_18, make_19]


def build(out: Path = HERE) -> list[Path]:
    """Write every corpus file to ``out`` and return their paths."""
    global OUT
    OUT = out
    try:
        for maker in MAKERS:
            _PARA_COUNTER[0] = 0
            maker()
    finally:
        OUT = HERE
    return sorted(out.glob("*.docx"))


def main() -> int:
    files = build()
    print(f"wrote {len(files)} files to {HERE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
