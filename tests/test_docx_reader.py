"""Unit tests for dla.agendas.wordfile (Word's list numbers, runs, tables) and the Word import.

Each test builds a small .docx by hand, part by part, so the XML says exactly what Word writes
and the expected label is what Word shows for it.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from dla.agendas import wordfile, wordnumbering
from dla.agendas.importing import DocumentError, parse_document, parse_docx, read_upload
from tests.examples import example

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def p(text: str = "", *, style: str = "", num: tuple[int, int] | None = None, ppr: str = "") -> str:
    """A paragraph; ``num`` is (numId, ilvl) set on the paragraph itself."""
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None:
        props += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    props += ppr
    run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
    return f"<w:p><w:pPr>{props}</w:pPr>{run}</w:p>"


def lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{escape(text)}"/>{extra}</w:lvl>'
    )


def abstract(aid: int, *levels: str) -> str:
    return f'<w:abstractNum w:abstractNumId="{aid}">{"".join(levels)}</w:abstractNum>'


def num(num_id: int, aid: int, overrides: str = "") -> str:
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{aid}"/>{overrides}</w:num>'


def start_override(ilvl: int, start: int) -> str:
    return f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'


def style(style_id: str, *, name: str = "", based_on: str = "", ppr: str = "") -> str:
    name = name or style_id
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f"{based}<w:pPr>{ppr}</w:pPr></w:style>"
    )


def docx(body: str, numbering: str | None = None, styles: str | None = None) -> bytes:
    """A .docx with these body, numbering and styles contents."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="{W}"><w:body>{body}<w:sectPr/></w:body></w:document>',
        )
        if numbering is not None:
            archive.writestr(
                "word/numbering.xml", f'<w:numbering xmlns:w="{W}">{numbering}</w:numbering>'
            )
        if styles is not None:
            archive.writestr("word/styles.xml", f'<w:styles xmlns:w="{W}">{styles}</w:styles>')
    return buffer.getvalue()


def shown(data: bytes) -> list[str]:
    """Each paragraph's text as Word shows it, list number included."""
    return [
        block.shown for block in wordfile.read_docx(data) if isinstance(block, wordfile.Paragraph)
    ]


# --- Number formats ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "n", "expected"),
    [
        ("decimal", 12, "12"),
        ("lowerLetter", 2, "b"),
        ("upperLetter", 26, "Z"),
        ("upperLetter", 27, "AA"),  # Word repeats the letter: AA, BB, …
        ("lowerLetter", 28, "bb"),
        ("lowerRoman", 4, "iv"),
        ("upperRoman", 14, "XIV"),
        ("decimalZero", 7, "07"),
        ("none", 3, ""),
        ("ordinalText", 3, "3"),  # formats we do not spell out fall back to digits
    ],
)
def test_number_formats(fmt, n, expected):
    assert wordnumbering.format_number(fmt, n) == expected


def test_level_text_formats_and_start_value():
    numbering = abstract(
        1,
        lvl(0, "decimal", "%1.", start=3),
        lvl(1, "lowerLetter", "%2)"),
        lvl(2, "lowerRoman", "(%3)"),
    ) + num(1, 1)
    body = (
        p("een", num=(1, 0))
        + p("twee", num=(1, 1))
        + p("drie", num=(1, 1))
        + p("vier", num=(1, 2))
        + p("vijf", num=(1, 0))
        + p("zes", num=(1, 1))
    )
    assert shown(docx(body, numbering)) == [
        "3. een",
        "a) twee",
        "b) drie",
        "(i) vier",
        "4. vijf",
        "a) zes",  # a deeper level restarts after a higher one
    ]


def test_multilevel_text_and_legal_numbering():
    numbering = abstract(
        1,
        lvl(0, "upperRoman", "%1."),
        lvl(1, "decimal", "%1.%2."),
        lvl(2, "decimal", "%1.%2.%3", extra="<w:isLgl/>"),
    ) + num(1, 1)
    body = p("a", num=(1, 0)) + p("b", num=(1, 1)) + p("c", num=(1, 1)) + p("d", num=(1, 2))
    assert shown(docx(body, numbering)) == ["I. a", "I.1. b", "I.2. c", "1.2.1 d"]


def test_lists_of_one_definition_continue_unless_restarted():
    numbering = (
        abstract(1, lvl(0, "decimal", "%1."))
        + num(1, 1)
        + num(2, 1)  # "Continue numbering": the same definition, no override
        + num(3, 1, start_override(0, 1))  # "Restart at 1"
        + num(4, 1, start_override(0, 10))  # "Set numbering value: 10"
    )
    body = (
        p("a", num=(1, 0))
        + p("b", num=(1, 0))
        + p("c", num=(2, 0))
        + p("d", num=(3, 0))
        + p("e", num=(3, 0))
        + p("f", num=(4, 0))
    )
    assert shown(docx(body, numbering)) == ["1. a", "2. b", "3. c", "1. d", "2. e", "10. f"]


def test_level_override_replaces_the_level_definition():
    override = (
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="2"/>'
        f"{lvl(0, 'upperLetter', '%1)')}</w:lvlOverride>"
    )
    numbering = abstract(1, lvl(0, "decimal", "%1.")) + num(1, 1, override)
    assert shown(docx(p("x", num=(1, 0)) + p("y", num=(1, 0)), numbering)) == ["B) x", "C) y"]


def test_level_restart_zero_keeps_counting_across_higher_levels():
    numbering = abstract(
        1,
        lvl(0, "decimal", "%1."),
        lvl(1, "lowerLetter", "%2.", extra='<w:lvlRestart w:val="0"/>'),
    ) + num(1, 1)
    body = p("a", num=(1, 0)) + p("b", num=(1, 1)) + p("c", num=(1, 0)) + p("d", num=(1, 1))
    assert shown(docx(body, numbering)) == ["1. a", "a. b", "2. c", "b. d"]


def test_numbering_from_a_style_and_its_base_style():
    numbering = abstract(
        1,
        lvl(0, "decimal", "%1.", extra='<w:pStyle w:val="Lijstnummer"/>'),
        lvl(1, "lowerLetter", "%2.", extra='<w:pStyle w:val="Lijstnummer2"/>'),
    ) + num(7, 1)
    styles = (
        style("Normal", name="Normal")
        # The style names the list only; the level comes from the level's w:pStyle.
        + style("Lijstnummer", name="List Number", ppr='<w:numPr><w:numId w:val="7"/></w:numPr>')
        + style("Lijstnummer2", name="List Number 2", based_on="Lijstnummer")
        + style("Eigen", based_on="Lijstnummer2")  # a custom style two steps down the chain
    )
    body = (
        p("een", style="Lijstnummer")
        + p("sub", style="Lijstnummer2")
        + p("eigen", style="Eigen")
        + p("twee", style="Lijstnummer")
        + '<w:p><w:pPr><w:pStyle w:val="Lijstnummer"/><w:numPr><w:numId w:val="0"/></w:numPr>'
        "</w:pPr><w:r><w:t>zonder nummer</w:t></w:r></w:p>"
    )
    assert shown(docx(body, numbering, styles)) == [
        "1. een",
        "a. sub",
        "b. eigen",
        "2. twee",
        "zonder nummer",  # w:numId 0 switches the style's numbering off
    ]


def test_style_chains_that_loop_do_not_hang():
    styles = style("A", based_on="B") + style("B", based_on="A")
    assert shown(docx(p("tekst", style="A"), "", styles)) == ["tekst"]


def test_unknown_list_shows_no_number_when_definitions_exist():
    numbering = abstract(1, lvl(0, "decimal", "%1.")) + num(1, 1)
    assert shown(docx(p("x", num=(9, 0)), numbering)) == ["x"]


def test_bullets_are_marked_as_bullets():
    numbering = abstract(1, lvl(0, "bullet", "\uf0b7")) + num(1, 1)
    blocks = wordfile.read_docx(docx(p("Regie", num=(1, 0)), numbering))
    assert blocks[0].item.bullet and blocks[0].shown == "\u2022 Regie"


# --- Runs --------------------------------------------------------------------------------------


def run(text: str, props: str = "") -> str:
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def test_runs_tracked_changes_breaks_tabs_and_hidden_text():
    body = (
        "<w:p>"
        + run("Hoe kan ik als I")
        + run("CR ")
        + '<w:del w:id="1"><w:r><w:delText>snel </w:delText></w:r></w:del>'
        + '<w:ins w:id="2">'
        + run("tijdig ")
        + "</w:ins>"
        + run("verborgen ", "<w:vanish/>")
        + run("opschalen,")
        + "<w:r><w:br/></w:r>"
        + run("terwijl\u00a0het")
        + "<w:r><w:tab/></w:r>"
        + run("niet kan?")
        + "</w:p>"
    )
    assert shown(docx(body)) == [
        "Hoe kan ik als ICR tijdig opschalen,\nterwijl\u00a0het\tniet kan?"
    ]


def test_a_deleted_paragraph_mark_joins_two_paragraphs():
    body = (
        '<w:p><w:pPr><w:rPr><w:del w:id="3"/></w:rPr></w:pPr>'
        + run("Hoe kan ik X, ")
        + "</w:p><w:p>"
        + run("terwijl Y?")
        + "</w:p>"
    )
    assert shown(docx(body)) == ["Hoe kan ik X, terwijl Y?"]


def test_a_deleted_paragraph_mark_in_a_list_does_not_count():
    numbering = abstract(1, lvl(0, "decimal", "%1.")) + num(1, 1)
    deleted_mark = (
        '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
        '<w:rPr><w:del w:id="4"/></w:rPr></w:pPr>' + run("een ") + "</w:p>"
    )
    body = deleted_mark + p("twee", num=(1, 0)) + p("drie", num=(1, 0))
    assert shown(docx(body, numbering)) == ["1. een twee", "2. drie"]


# --- Tables ------------------------------------------------------------------------------------


def tc(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{p(text)}</w:tc>"


def tr(*cells: str) -> str:
    return f"<w:tr>{''.join(cells)}</w:tr>"


def test_table_number_column_question_column_and_extra_columns():
    body = (
        p("Leeragenda wethouders", style="Titel")
        + "<w:tbl>"
        + tr(tc("Nr"), tc("Leervraag"), tc("Wie"))
        + tr(
            tc("1"),
            tc("Hoe kan ik X regelen, terwijl Y ontbreekt?"),
            tc("Wethouder Rotterdam", '<w:vMerge w:val="restart"/>'),
        )
        + tr(tc("2"), tc("Hoe kan ik Z regelen, terwijl Q ontbreekt?"), tc("", "<w:vMerge/>"))
        + tr(tc("3"), tc("Hoe kan ik R regelen, terwijl S ontbreekt?"), tc(""))
        + "</w:tbl>"
    )
    styles = style("Titel", name="Title")
    doc = parse_docx(docx(body, None, styles))
    assert doc.title == "Leeragenda wethouders"
    assert [(q.label, q.full_text, q.extra) for q in doc.questions] == [
        ("1", "Hoe kan ik X regelen, terwijl Y ontbreekt?", [("Wie", "Wethouder Rotterdam")]),
        # A vertically merged cell holds for both rows.
        ("2", "Hoe kan ik Z regelen, terwijl Q ontbreekt?", [("Wie", "Wethouder Rotterdam")]),
        ("3", "Hoe kan ik R regelen, terwijl S ontbreekt?", []),
    ]
    assert doc.questions[0].parsed.barrier == "Y ontbreekt"
    assert doc.warnings == []


def test_table_question_column_is_found_by_content_and_merged_cells_repeat():
    body = (
        "<w:tbl>"
        + tr(tc("Thema", '<w:vMerge w:val="restart"/>'), tc("Hoe kan ik A, terwijl B?"))
        + tr(tc("", "<w:vMerge/>"), tc("Hoe kan ik C, terwijl D?"))
        + tr(tc("Ander thema"), tc("E. Hoe kan ik E, terwijl F?"))
        + "</w:tbl>"
    )
    doc = parse_docx(docx(body))
    assert [(q.label, q.full_text, q.extra) for q in doc.questions] == [
        ("1", "Hoe kan ik A, terwijl B?", [("", "Thema")]),
        ("2", "Hoe kan ik C, terwijl D?", [("", "Thema")]),
        ("E", "Hoe kan ik E, terwijl F?", [("", "Ander thema")]),
    ]


def test_a_table_without_questions_is_read_as_text_with_a_warning():
    body = (
        "<w:tbl>" + tr(tc("Planning"), tc("maart")) + "</w:tbl>" + p("A. Hoe kan ik X, terwijl Y?")
    )
    doc = parse_docx(docx(body))
    assert "Tabel 1: geen kolom met vragen gevonden" in doc.warnings[0]
    assert [q.label for q in doc.questions] == ["A"]


# --- The import: lists, headings, metadata -----------------------------------------------------


def test_top_level_items_that_are_no_questions_become_groups():
    numbering = abstract(1, lvl(0, "decimal", "%1."), lvl(1, "lowerLetter", "%2.")) + num(1, 1)
    body = (
        p("Ambitie", num=(1, 0))
        + p("Hoe kan ik A, terwijl B?", num=(1, 1))
        + p("Hoe kan ik C, terwijl D?", num=(1, 1))
        + p("Vervolgstappen", num=(1, 0))
        + p("Hoe kan ik E, terwijl F?", num=(1, 1))
    )
    doc = parse_docx(docx(body, numbering))
    assert doc.groups == ["Ambitie", "Vervolgstappen"]
    assert [(doc.groups[q.group], q.label) for q in doc.questions] == [
        ("Ambitie", "a"),
        ("Ambitie", "b"),
        ("Vervolgstappen", "a"),
    ]
    assert doc.warnings == []


def test_sub_questions_from_a_deeper_level_and_from_an_indented_list():
    numbering = (
        abstract(1, lvl(0, "decimal", "%1."), lvl(1, "lowerRoman", "%2."))
        + abstract(2, lvl(0, "bullet", "o", extra='<w:pPr><w:ind w:left="1080"/></w:pPr>'))
        + num(1, 1)
        + num(2, 2)
    )
    body = (
        p("Hoe kan ik A, terwijl B?", num=(1, 0))
        + p("Hoe controleer ik A?", num=(1, 1))
        + p("Hoe kan ik C, terwijl D?", num=(1, 0))
        + p("Welke partners doen mee?", num=(2, 0))  # another list, indented further
        + p("Een opmerking bij de lijst", num=(2, 0))  # a bullet that is no question
    )
    doc = parse_docx(docx(body, numbering))
    assert [(q.label, q.subquestions) for q in doc.questions] == [
        ("1", ["Hoe controleer ik A?"]),
        ("2", ["Welke partners doen mee?"]),
    ]


def test_headings_give_title_version_date_and_groups_and_attendance_is_metadata():
    styles = style("Kop1", name="heading 1") + style("Kop2", name="heading 2")
    numbering = (
        abstract(1, lvl(0, "decimal", "%1.")) + abstract(2, lvl(0, "bullet", "-")) + num(1, 1)
    ) + num(2, 2)
    body = (
        p("Leeragenda uitvoerders \u2013 versie 12 maart 2024", style="Kop1")
        + p("Aanwezig:")
        + p("ICR Nissewaard", num=(2, 0))
        + p("ICR Maassluis", num=(2, 0))
        + p("Leervragen", style="Kop2")
        + p("Hoe kan ik A, terwijl B?", num=(1, 0))
    )
    doc = parse_docx(docx(body, numbering, styles))
    assert (doc.title, doc.version_label, doc.document_date) == (
        "Leeragenda uitvoerders",
        "",
        date(2024, 3, 12),
    )
    assert doc.extra_meta == [("Aanwezig", "ICR Nissewaard, ICR Maassluis")]
    assert doc.groups == ["Leervragen"]
    assert [q.label for q in doc.questions] == ["1"]


@pytest.mark.parametrize(
    ("text", "label", "day"),
    [
        ("Versie 3 \u2013 12-03-2024", "3", date(2024, 3, 12)),
        ("Versie 2, 31 januari 2020", "2", date(2020, 1, 31)),
        ("Versie van 12 maart 2024", "", date(2024, 3, 12)),
        ("Versie: 4 (9 juni 2021)", "4", date(2021, 6, 9)),
    ],
)
def test_version_lines_in_pasted_text(text, label, day):
    doc = parse_document(f"Leeragenda\n\n{text}\n\nA. Hoe kan ik X, terwijl Y?")
    assert (doc.version_label, doc.document_date) == (label, day)
    assert doc.groups == [""]


def test_attendance_list_in_pasted_text_is_no_group():
    doc = parse_document(
        "Leeragenda\n\nAanwezig:\n- Jan\n- Piet\n\nA. Hoe kan ik X, terwijl Y?\n"
        "B. Hoe kan ik Z zonder vraagteken, terwijl Q."
    )
    assert doc.groups == [""]
    assert doc.extra_meta == [("Aanwezig", "Jan, Piet")]
    assert any("Vraag B" in w and "geen vraagteken" in w for w in doc.warnings)


def test_word_labels_with_text_and_bulleted_sub_questions_of_the_same_list():
    numbering = abstract(1, lvl(0, "decimal", "Vraag %1:"), lvl(1, "bullet", "o")) + num(1, 1)
    body = (
        p("Leeragenda")
        + p("Hieronder staan de vragen uit de sessie.")
        + p("Hoe kan ik A, terwijl B?", num=(1, 0))
        + p("Hoe controleer ik A?", num=(1, 1))
        + p("Hoe kan ik C, terwijl D?", num=(1, 0))
    )
    doc = parse_docx(docx(body, numbering))
    assert doc.title == "Leeragenda"  # the sentence after it is no part of the title
    assert [(q.label, q.subquestions) for q in doc.questions] == [
        ("1", ["Hoe controleer ik A?"]),
        ("2", []),
    ]


def test_a_one_column_table_of_questions():
    body = (
        "<w:tbl>"
        + tr(tc("Leervragen"))
        + tr(tc("Hoe kan ik A, terwijl B?"))
        + tr(tc("Hoe kan ik C, terwijl D?"))
        + "</w:tbl>"
    )
    doc = parse_docx(docx(body))
    assert [(q.label, q.full_text) for q in doc.questions] == [
        ("1", "Hoe kan ik A, terwijl B?"),
        ("2", "Hoe kan ik C, terwijl D?"),
    ]


def test_a_numbered_list_without_questions_is_left_out_with_one_warning():
    numbering = abstract(1, lvl(0, "decimal", "%1.")) + num(1, 1) + num(2, 1, start_override(0, 1))
    body = (
        p("Agenda", style="Kop1")
        + p("Opening", num=(1, 0))
        + p("Rondvraag", num=(1, 0))
        + p("Leervragen", style="Kop1")
        + p("Hoe kan ik A, terwijl B?", num=(2, 0))
    )
    doc = parse_docx(docx(body, numbering, style("Kop1", name="heading 1")))
    assert doc.groups == ["Leervragen"]
    assert [(q.label, q.full_text) for q in doc.questions] == [("1", "Hoe kan ik A, terwijl B?")]
    # "Regel" counts Word's paragraphs: the list starts at the second one.
    assert doc.warnings == [
        "Regel 2 en verder: een genummerde lijst zonder leervragen (\u2018Opening\u2019 \u2026) "
        "hebben we overgeslagen."
    ]
    assert doc.questions[0].line == 5


def test_subtitle_joins_the_title_and_whole_questions_without_a_number_are_kept():
    styles = style("Titel", name="Title") + style("Ondertitel", name="Subtitle")
    body = (
        p("Dynamische Leeragenda", style="Titel")
        + p("ICR\u2019s Rotterdam-Rijnmond", style="Ondertitel")
        + p("Versie 2 \u2013 14-09-2020", style="Ondertitel")
        + p("Hoe kan ik A regelen, terwijl B ontbreekt?")
        + p("Hoe kan ik C regelen, terwijl D ontbreekt?")
        + p("Een zin met terwijl erin is nog geen vraag.")
    )
    doc = parse_docx(docx(body, None, styles))
    assert doc.title == "Dynamische Leeragenda ICR\u2019s Rotterdam-Rijnmond"
    assert (doc.version_label, doc.document_date) == ("2", date(2020, 9, 14))
    assert [(q.label, q.full_text) for q in doc.questions] == [
        ("1", "Hoe kan ik A regelen, terwijl B ontbreekt?"),
        ("2", "Hoe kan ik C regelen, terwijl D ontbreekt?"),
    ]
    assert doc.warnings[:2] == [
        "Regel 4 is een vraag zonder letter of cijfer. We hebben haar \u20181\u2019 genoemd. "
        "Klopt dat?",
        "Regel 5 is een vraag zonder letter of cijfer. We hebben haar \u20182\u2019 genoemd. "
        "Klopt dat?",
    ]


# --- Refusals ----------------------------------------------------------------------------------


def zipped(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def refusal(data: bytes, name: str = "agenda.docx") -> str:
    with pytest.raises(DocumentError) as caught:
        read_upload(name, data)
    return caught.value.message


def test_refusals_say_what_the_file_is():
    assert "geen tekst" in refusal(docx(p() + p("  ")))
    excel = zipped(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "xl/workbook.xml": "<workbook/>",
            "_rels/.rels": (
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                'relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/'
                'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                "</Relationships>"
            ),
        }
    )
    assert "Excel" in refusal(excel)
    assert ".doc" in refusal(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 600, "oud.doc")
    assert "beschadigd" in refusal(docx(p("Hoe?"))[:300])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_dtd_is_refused_in_any_encoding(encoding):
    document = (
        f'<?xml version="1.0" encoding="{encoding}"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body>'
        "</w:document>"
    ).encode(encoding)
    data = zipped({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": document})
    assert "beschadigd" in refusal(data)


def test_a_word_file_renamed_to_txt_is_still_read():
    data = docx(p("A. Hoe kan ik X, terwijl Y?"))
    assert [q.label for q in read_upload("agenda.txt", data).questions] == ["A"]


# --- The examples as Word files ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "gvs-dla-versie-1.txt",
        "gvs-dla-memo-2020-01-31.txt",
        "gvs-dla-projectleider-2020-07-10.txt",
        "voorbeeld-gedeelde-stam.txt",
    ],
)
def test_an_example_typed_in_word_reads_like_the_pasted_text(name):
    """One paragraph per line, TAB-separated lines as a table (the memo header)."""
    lines = example(name).read_text(encoding="utf-8").split("\n")
    body = ""
    rows: list[list[str]] = []
    for line in lines:
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            body += "<w:tbl>" + "".join(tr(*(tc(cell) for cell in row)) for row in rows)
            body += "</w:tbl>"
            rows = []
        body += p(line)
    from_word = parse_docx(docx(body))
    from_text = parse_document("\n".join(lines))
    for question in (*from_word.questions, *from_text.questions):
        question.line = 0
    assert from_word == from_text


# --- The preview ---------------------------------------------------------------------------------

CORPUS = Path(__file__).resolve().parent / "data" / "docx"


@pytest.fixture
def leader_region(app, client):
    from dla.extensions import db
    from tests.factories import log_in, make_region, make_user

    with app.app_context():
        region = make_region("Rijnmond")
        user = make_user("pl@rijnmond.test", region=region, role="projectleider")
        db.session.commit()
        log_in(client, user)
        return region.id


def test_preview_shows_header_lines_and_warnings_it_does_not_save(client, leader_region):
    with (CORPUS / "18-verslag-werksessie.docx").open("rb") as handle:
        response = client.post(
            f"/regios/{leader_region}/importeren",
            data={"bestand": (handle, "verslag.docx"), "titel": "ICR", "niveau": "operationeel"},
            content_type="multipart/form-data",
        )
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "4 vragen in 1 groep" in page
    assert "Ook in het document, maar dit wordt niet opgeslagen:" in page
    assert "<dt>Afwezig</dt><dd>ICR Goeree-Overflakkee</dd>" in page
    assert "een genummerde lijst zonder leervragen" in page
    # What the preview only shows is no form field, so confirming cannot save it.
    assert 'value="ICR Goeree-Overflakkee"' not in page
