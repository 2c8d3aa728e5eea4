"""Tests for dla.agendas.importing: pasted DLA documents, text files and .docx files."""

from __future__ import annotations

import io
import os
import random
import zipfile
from dataclasses import asdict
from datetime import date
from xml.sax.saxutils import escape

import pytest

from dla.agendas.importing import (
    DocumentError,
    ParsedDocument,
    clean_text,
    docx_text,
    parse_document,
)
from tests.examples import example

MSG_EMPTY = "De tekst is leeg. Plak de leeragenda in het tekstvak."
MSG_NO_QUESTIONS = (
    "We vonden geen leervragen. Een vraag begint met een letter of cijfer, zoals \u2018A.\u2019 "
    "of \u20181.\u2019."
)
MSG_UNREADABLE = (
    "Dit bestand kunnen we niet lezen. Sla het op als tekst (UTF-8) of als Word-bestand (.docx)."
)
MSG_NOT_DOCX = "Dit is geen Word-bestand (.docx)."
MSG_DOCX_TOO_BIG = "Dit Word-bestand is te groot of beschadigd."

STEM = "Hoe kan ik als regisseur het plan van aanpak uitvoeren, terwijl\u2026.."


def load(name: str) -> ParsedDocument:
    """Parse one example file."""
    return parse_document(example(name).read_text(encoding="utf-8"))


QUESTION = "Hoe kan ik X bereiken, terwijl Y mij tegenhoudt in het werk?"


# --- gvs-dla-versie-1.txt ----------------------------------------------------------------------


def test_versie_1_metadata() -> None:
    doc = load("gvs-dla-versie-1.txt")
    assert doc.title == ""
    assert doc.version_label == "1"
    assert doc.document_date == date(2020, 2, 24)
    assert doc.context_line == "Naar aanleiding van de werksessie op 21 januari 2020"
    assert doc.session_date == date(2020, 1, 21)
    assert doc.recipient == doc.sender == doc.reference == ""
    assert doc.distribution == "regio"
    assert doc.distribution_note == ""
    assert doc.ambition == ""
    assert doc.themes == []
    assert doc.groups == [""]
    assert doc.warnings == []


def test_versie_1_questions() -> None:
    doc = load("gvs-dla-versie-1.txt")
    assert [q.label for q in doc.questions] == ["A", "B", "C", "D", "E"]
    assert [q.line for q in doc.questions] == [5, 6, 7, 8, 9]
    for q in doc.questions:
        assert q.group == 0
        assert q.shared_stem == ""
        assert q.text == q.full_text == q.parsed.text
        assert q.subquestions == []
        assert q.parsed.person == "we"
        assert q.parsed.role_phrase == ""
        assert q.parsed.annotation == ""
        assert q.parsed.tag == ""
        assert q.parsed.hints == ()
    c = doc.questions[2].parsed
    assert "(zijnde de procesregisseur)" in c.goal
    assert c.goal.endswith("stabiele veiligheid (zijnde de procesregisseur)")
    assert (
        c.barrier
        == "de betrokken organisaties momenteel verantwoordelijk zijn op verschillende momenten"
    )
    b = doc.questions[1]
    assert "\u2018regie\u2019" in b.full_text


# --- gvs-dla-versie-1-uit-pdf.txt --------------------------------------------------------------


def _without_lines(doc: ParsedDocument) -> dict:
    data = asdict(doc)
    for item in data["questions"]:
        item.pop("line")
    return data


def test_pdf_text_equals_clean_text() -> None:
    clean = load("gvs-dla-versie-1.txt")
    pdf = load("gvs-dla-versie-1-uit-pdf.txt")
    assert _without_lines(pdf) == _without_lines(clean)
    assert [q.full_text for q in pdf.questions] == [q.full_text for q in clean.questions]
    assert [q.parsed for q in pdf.questions] == [q.parsed for q in clean.questions]
    joined = " ".join(q.full_text for q in pdf.questions)
    for word in ("organisaties", "verschillend", "procesregisseur", "momenten", "verschillende"):
        assert word in joined
    for broken in ("organi-", "pro-", "mo-", "ver-"):
        assert broken not in joined
    assert [q.line for q in pdf.questions] == [5, 8, 11, 17, 20]


def test_pdf_bytes_with_crlf_equal_clean_text() -> None:
    raw = example("gvs-dla-versie-1-uit-pdf.txt").read_bytes().replace(b"\n", b"\r\n")
    doc = parse_document(clean_text(raw))
    assert _without_lines(doc) == _without_lines(load("gvs-dla-versie-1.txt"))


# --- gvs-dla-memo-2020-01-31.txt ---------------------------------------------------------------


def test_memo_metadata() -> None:
    doc = load("gvs-dla-memo-2020-01-31.txt")
    assert doc.title == (
        "Dynamische Leeragenda Geweld hoort nergens thuis; Verbeteren lokale samenwerking en "
        "effectieve verbinding zorg en veiligheid"
    )
    assert doc.recipient == "UO/ Taskforce huiselijk geweld en kindermishandeling"
    assert doc.sender == "[projectleider]"
    assert doc.document_date == date(2020, 1, 31)
    assert doc.distribution == "beperkt"
    assert doc.distribution_note == "Nee beperkt (leden werksessie zorg en veiligheid)"
    assert doc.reference == "20.0000558"
    assert doc.version_label == ""
    assert doc.context_line == ""
    assert doc.session_date is None
    assert doc.themes == []
    assert doc.warnings == []


def test_memo_ambition_and_heading_with_question_mark() -> None:
    doc = load("gvs-dla-memo-2020-01-31.txt")
    assert doc.ambition == (
        "Gezien vanuit de inwoners die het betreft kunnen we deze ambitie kortweg verwoorden "
        "als: integrale aanpak van meervoudige problematiek, zodat gezinnen/huishoudens niet "
        "langer zelf regie hoeven voeren."
    )
    assert "terwijl" not in doc.ambition
    for q in doc.questions:
        assert "(hoe komen we tot?)" not in q.full_text
        assert "Gezien vanuit" not in q.full_text


def test_memo_groups_and_labels() -> None:
    doc = load("gvs-dla-memo-2020-01-31.txt")
    assert doc.groups == [
        "Leervragen ten aanzien van ambitie",
        "Leervragen ten aanzien van vervolgstappen",
    ]
    assert len(doc.questions) == 6
    keys = [(q.group, q.label) for q in doc.questions]
    assert keys == [(0, "1"), (0, "2"), (0, "3"), (0, "4"), (1, "1"), (1, "2")]
    assert len(set(keys)) == 6
    assert all(q.parsed.person == "we" for q in doc.questions)


def test_memo_ambitie_1_kept_verbatim() -> None:
    ambitie_1 = load("gvs-dla-memo-2020-01-31.txt").questions[0]
    assert ambitie_1.full_text.endswith(
        ", terwijl er nu verschillende werkwijzen en verwachtingen?"
    )
    assert ambitie_1.parsed.barrier == "er nu verschillende werkwijzen en verwachtingen"
    assert ambitie_1.parsed.goal == (
        "Hoe komen we tot een gedeeld beeld van procesregie "
        "(die overzicht houdt en daarvoor het aanspreekpunt voor het gezin)"
    )


def test_memo_ambitie_3_keeps_bracket_in_barrier() -> None:
    ambitie_3 = load("gvs-dla-memo-2020-01-31.txt").questions[2]
    assert ambitie_3.parsed.barrier == (
        "de verschillende domeinen (Jeugd, OOV en Wmo) ieder hun eigen regisseurs en plannen hebben"
    )
    assert ambitie_3.parsed.annotation == ""


# --- gvs-dla-projectleider-2020-07-10.txt ------------------------------------------------------


def test_projectleider_metadata() -> None:
    doc = load("gvs-dla-projectleider-2020-07-10.txt")
    assert doc.document_date == date(2020, 7, 10)
    assert doc.version_label == ""
    assert doc.title == ""
    assert doc.context_line == ""
    assert doc.session_date is None
    assert doc.groups == [""]
    assert doc.warnings == []


def test_projectleider_near_duplicates_stay_separate() -> None:
    doc = load("gvs-dla-projectleider-2020-07-10.txt")
    assert [q.label for q in doc.questions] == list("ABCDEFG")
    assert len({q.full_text for q in doc.questions}) == 7
    for q in doc.questions:
        assert q.parsed.person == "ik"
        assert q.parsed.role_phrase == ""
    a, b, c, d, e, f, g = (q.parsed for q in doc.questions)
    same = "deze op verschillende lagen, gemeenten en mensen worden uitgevoerd"
    assert a.barrier == b.barrier == same
    assert a.goal != b.goal
    assert e.barrier == f.barrier == "alle betrokkenen volle agenda\u2019s hebben"
    assert e.goal != f.goal
    assert "mandaat" in d.barrier and "lokaal" in g.barrier
    assert d.text != g.text


# --- voorbeeld-gedeelde-stam.txt ---------------------------------------------------------------


def test_shared_stem_metadata() -> None:
    doc = load("voorbeeld-gedeelde-stam.txt")
    assert doc.title == (
        "Dynamische Leeragenda regisseurs \u2013 persoonsgerichte aanpak (fictief voorbeeld)"
    )
    assert doc.version_label == "3"
    assert doc.document_date == date(2024, 3, 14)
    assert doc.context_line == "Naar aanleiding van de reflectiesessie op 7 maart 2024"
    assert doc.session_date == date(2024, 3, 7)
    assert doc.themes == ["Doorzettingsmacht", "Informatiedeling"]
    assert doc.groups == [""]
    assert doc.warnings == []


def test_shared_stem_questions() -> None:
    doc = load("voorbeeld-gedeelde-stam.txt")
    assert [q.label for q in doc.questions] == list("ABCDE")
    a, b, c, d, e = doc.questions
    for q in (a, b, c):
        assert q.shared_stem == STEM
        assert q.text.startswith("\u2026 ")
        assert q.full_text.startswith(
            "Hoe kan ik als regisseur het plan van aanpak uitvoeren, terwijl "
        )
        assert q.parsed.goal == "Hoe kan ik als regisseur het plan van aanpak uitvoeren"
    assert a.text == "\u2026 ik geen doorzettingsmacht heb over de betrokken organisaties?"
    assert a.full_text == (
        "Hoe kan ik als regisseur het plan van aanpak uitvoeren, "
        "terwijl ik geen doorzettingsmacht heb over de betrokken organisaties?"
    )
    assert b.parsed.annotation == "taartpunt"
    assert b.parsed.barrier == (
        "partners hun eigen deel van de taak oppakken en het geheel uit het oog verliezen"
    )
    assert "(taartpunt)" in b.text
    assert c.parsed.barrier == "de wachttijd voor begeleid wonen langer is dan een half jaar"
    assert d.shared_stem == ""
    assert d.parsed.tag == "gereconstrueerd"
    assert d.parsed.barrier == "de criteria voor opschaling verschillend worden uitgelegd"
    assert d.subquestions == [
        "Hoe maken we de escalatieladder bekend bij alle partners?",
        "Hoe weten we of opschaling op tijd gebeurde?",
    ]
    assert e.shared_stem == ""
    assert e.line == 17
    assert e.full_text == (
        "Hoe kan ik als manager informatie laten delen, "
        "terwijl professionals niet weten wat de privacyregels toestaan?"
    )
    assert e.parsed.role_phrase == "als manager"
    assert all(not q.subquestions for q in (a, b, c, e))


# --- Smaller rules -----------------------------------------------------------------------------


def test_real_hyphens_stay_and_line_break_hyphens_join() -> None:
    text = (
        "A. Hoe werken we samen met het Zorg- en Veiligheidshuis, terwijl de organi-\n"
        "\n"
        "saties wet-\n"
        "en regelgeving anders lezen en de ICR-\n"
        "regisseur niet mee kan doen?\n"
    )
    doc = parse_document(text)
    assert doc.questions[0].full_text == (
        "Hoe werken we samen met het Zorg- en Veiligheidshuis, terwijl de organisaties "
        "wet- en regelgeving anders lezen en de ICR-regisseur niet mee kan doen?"
    )


def test_label_styles_and_colon_free_memo_rows() -> None:
    text = (
        "Datum 31 januari 2020\n"
        "Aan: Taskforce\n"
        "Verspreiden: regio\n"
        "Thema's:\n"
        "- Regie\n"
        "* Privacy\n"
        "\n"
        "A) Hoe kan ik X bereiken, terwijl Y mij tegenhoudt in het werk?\n"
        "B) Hoe kan ik Z bereiken, terwijl Q mij tegenhoudt in het werk?\n"
    )
    doc = parse_document(text)
    assert doc.document_date == date(2020, 1, 31)
    assert doc.recipient == "Taskforce"
    assert doc.distribution == "regio"
    assert doc.distribution_note == "regio"
    assert doc.themes == ["Regie", "Privacy"]
    assert [q.label for q in doc.questions] == ["A", "B"]


def test_distribution_nee_is_restricted() -> None:
    doc = parse_document("Verspreiden\tNee\n1) " + QUESTION)
    assert doc.distribution == "beperkt"
    assert doc.questions[0].label == "1"


def test_context_date_never_replaces_document_date() -> None:
    doc = parse_document("Naar aanleiding van het interview op 03-03-2021:\nA. " + QUESTION + "\n")
    assert doc.session_date == date(2021, 3, 3)
    assert doc.document_date is None


def test_numbering_gap_and_unknown_line_warn() -> None:
    text = (
        "Versie: 1\n"
        "\n"
        "Dit is een losse opmerking van de schrijver. Zomaar een zin.\n"
        "\n"
        "A. " + QUESTION + "\n"
        "C. " + "Hoe kan ik nog iets, terwijl er iets anders misgaat in de keten?" + "\n"
    )
    doc = parse_document(text)
    assert len(doc.questions) == 2
    assert any("na vraag A vraag C" in warning for warning in doc.warnings)
    assert any(warning.startswith("Regel 3 ") for warning in doc.warnings)


def test_ellipsis_without_stem_warns_and_label_only_line_works() -> None:
    doc = parse_document("A.\n\u2026 ik geen tijd heb?\n")
    assert doc.questions[0].text == "\u2026 ik geen tijd heb?"
    assert doc.questions[0].full_text == doc.questions[0].text
    assert any("gedeelde beginzin" in warning for warning in doc.warnings)


def test_unlabelled_question_is_reported_not_imported() -> None:
    text = "Hoe kan ik dit doen, terwijl dat niet lukt?\n\nA. " + QUESTION + "\n"
    doc = parse_document(text)
    assert len(doc.questions) == 1
    assert any("geen letter of cijfer" in warning for warning in doc.warnings)


def test_nbsp_trailing_spaces_and_typographic_apostrophe_theme() -> None:
    text = (
        "Thema\u2019s:\n\u2022\u00a0Regie   \n\nA.\u00a0Hoe kan ik\u00a0X, terwijl Y niet werkt?  "
    )
    doc = parse_document(text)
    assert doc.themes == ["Regie"]
    assert doc.questions[0].full_text == "Hoe kan ik X, terwijl Y niet werkt?"


def test_sub_audience_headings_without_colon_start_groups() -> None:
    text = (
        "Dynamische Leeragenda professionals\n"
        "\n"
        "Professionals in opleiding\n"
        "Datum: 01-02-2020\n"
        "A. " + QUESTION + "\n"
        "\n"
        "Professionals die al werken\n"
        "Datum: 01-03-2020\n"
        "A. " + QUESTION + "\n"
    )
    doc = parse_document(text)
    assert doc.title == "Dynamische Leeragenda professionals"
    assert doc.groups == ["Professionals in opleiding", "Professionals die al werken"]
    assert [(q.group, q.label) for q in doc.questions] == [(0, "A"), (1, "A")]
    assert doc.document_date == date(2020, 2, 1)
    assert any("meer dan één keer" in warning for warning in doc.warnings)


def test_unfinished_question_does_not_swallow_a_new_paragraph() -> None:
    text = (
        "A. Hoe kan ik X, terwijl Y zonder vraagteken\n"
        "\n"
        "Doorkijkje. In de volgende fase gaan we verder.\n"
        "B. Hoe kan ik Z, terwijl de\n"
        "\n"
        "Gemeente Hilversum niet wil?\n"
    )
    a, b = parse_document(text).questions
    assert a.full_text == "Hoe kan ik X, terwijl Y zonder vraagteken"
    assert a.parsed.hints  # the missing "?" is reported by parse_question
    assert b.full_text == "Hoe kan ik Z, terwijl de Gemeente Hilversum niet wil?"


# --- Errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\t\n  ", "\u00a0\r\n"])
def test_empty_text_is_refused(text: str) -> None:
    with pytest.raises(DocumentError) as info:
        parse_document(text)
    assert info.value.message == MSG_EMPTY


def test_no_questions_is_refused() -> None:
    with pytest.raises(DocumentError) as info:
        parse_document("Versie: 1\nDatum: 24-02-2020\nEen gewone zin zonder vraag.")
    assert info.value.message == MSG_NO_QUESTIONS


def test_too_many_questions_is_refused() -> None:
    text = "\n".join(f"{n}. " + QUESTION for n in range(1, 502))
    with pytest.raises(DocumentError) as info:
        parse_document(text)
    assert "500" in info.value.message


def test_too_long_text_is_refused() -> None:
    with pytest.raises(DocumentError) as info:
        parse_document("A. " + QUESTION + "\n" + "x" * 200_001)
    assert "200.000" in info.value.message


def test_document_error_is_value_error() -> None:
    error = DocumentError("Iets")
    assert isinstance(error, ValueError)
    assert error.message == "Iets" == str(error)


# --- clean_text --------------------------------------------------------------------------------


def test_clean_text_crlf_and_cp1252() -> None:
    text = "A. Hoe kan ik \u2018regie\u2019 voeren\u2026, terwijl het niet lukt?\r\nB. Tweede  \r\n"
    assert clean_text(text.encode("cp1252")) == (
        "A. Hoe kan ik \u2018regie\u2019 voeren\u2026, terwijl het niet lukt?\nB. Tweede\n"
    )
    assert clean_text(text.encode("utf-8")) == clean_text(text.encode("cp1252"))


def test_clean_text_utf8_bom_and_utf16_bom() -> None:
    text = "Datum: 24-02-2020\nA. Hoe zorg ik dat één ding lukt, terwijl het niet lukt?"
    assert clean_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert clean_text(text.encode("utf-16")) == text  # with BOM
    assert clean_text(b"\xfe\xff" + text.encode("utf-16-be")) == text


def test_clean_text_keeps_quotes_ellipsis_hyphens_and_replaces_nbsp() -> None:
    raw = "Zorg- en\u00a0Veiligheidshuis \u2018x\u2019 agenda\u2019s \u2026  \rvolgende"
    assert (
        clean_text(raw) == "Zorg- en Veiligheidshuis \u2018x\u2019 agenda\u2019s \u2026\nvolgende"
    )


@pytest.mark.parametrize(
    "junk",
    [
        bytes(random.Random(7).getrandbits(8) for _ in range(4000)) + b"\x00",
        bytes(range(1, 9)) * 200,
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 50,
    ],
)
def test_clean_text_refuses_binary_junk(junk: bytes) -> None:
    with pytest.raises(DocumentError) as info:
        clean_text(junk)
    assert info.value.message == MSG_UNREADABLE


# --- DOCX --------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)


def w_p(*runs: str, num_id: str | None = None) -> str:
    """A w:p with one w:r/w:t per run, optionally in Word list ``num_id``."""
    props = ""
    if num_id is not None:
        props = f'<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>'
    body = "".join(f'<w:r><w:t xml:space="preserve">{escape(run)}</w:t></w:r>' for run in runs)
    return f"<w:p>{props}{body}</w:p>"


def w_table(rows: list[list[str]]) -> str:
    cells = "".join(
        "<w:tr>" + "".join(f"<w:tc>{w_p(cell)}</w:tc>" for cell in row) + "</w:tr>" for row in rows
    )
    return f"<w:tbl>{cells}</w:tbl>"


def make_docx(body: str, extra: dict[str, bytes] | None = None) -> bytes:
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}<w:sectPr/></w:body></w:document>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_docx_paragraphs_and_table_rows() -> None:
    body = (
        w_p("Dynamische Leeragenda ", "proef")
        + w_table([["Aan", "Taskforce"], ["Datum", "31 januari 2020"]])
        + w_p()
        + w_p("Leervragen:")
        + w_p("A. Hoe kan ik \u2018regie\u2019 voeren, ", "terwijl het niet lukt?")
    )
    text = docx_text(make_docx(body))
    assert text == (
        "Dynamische Leeragenda proef\n"
        "Aan\tTaskforce\n"
        "Datum\t31 januari 2020\n"
        "\n"
        "Leervragen:\n"
        "A. Hoe kan ik \u2018regie\u2019 voeren, terwijl het niet lukt?"
    )
    doc = parse_document(text)
    assert doc.title == "Dynamische Leeragenda proef"
    assert doc.recipient == "Taskforce"
    assert doc.document_date == date(2020, 1, 31)
    assert doc.groups == ["Leervragen"]
    assert doc.questions[0].parsed.barrier == "het niet lukt"


def test_docx_memo_gives_same_result_as_text() -> None:
    lines = example("gvs-dla-memo-2020-01-31.txt").read_text(encoding="utf-8").split("\n")
    body = ""
    rows: list[list[str]] = []
    for line in lines:
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        if rows:
            body += w_table(rows)
            rows = []
        body += w_p(line) if line else w_p()
    doc = parse_document(docx_text(make_docx(body)))
    assert _without_lines(doc) == _without_lines(load("gvs-dla-memo-2020-01-31.txt"))


def test_docx_list_numbering_gets_letters_per_list() -> None:
    body = (
        w_p("Hoe kan ik X, terwijl Y?", num_id="1")
        + w_p("Hoe kan ik Z, terwijl Q?", num_id="1")
        + w_p("C. Hoe kan ik R, terwijl S?", num_id="1")
        + w_p("Tweede lijst:")
        + w_p("Hoe kan ik T, terwijl U?", num_id="2")
    )
    assert docx_text(make_docx(body)).split("\n") == [
        "A. Hoe kan ik X, terwijl Y?",
        "B. Hoe kan ik Z, terwijl Q?",
        "C. Hoe kan ik R, terwijl S?",
        "Tweede lijst:",
        "A. Hoe kan ik T, terwijl U?",
    ]


def test_docx_list_numbering_uses_numbering_formats() -> None:
    numbering = (
        f'<w:numbering xmlns:w="{W_NS}">'
        '<w:abstractNum w:abstractNumId="10"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/>'
        "</w:lvl></w:abstractNum>"
        '<w:abstractNum w:abstractNumId="11"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/>'
        "</w:lvl></w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="11"/></w:num>'
        "</w:numbering>"
    ).encode()
    body = (
        w_p("Thema\u2019s:")
        + w_p("Regie", num_id="2")
        + w_p()
        + w_p("Hoe kan ik X, terwijl Y niet werkt?", num_id="1")
        + w_p("Hoe kan ik Z, terwijl Q niet werkt?", num_id="1")
    )
    text = docx_text(make_docx(body, {"word/numbering.xml": numbering}))
    assert text.split("\n") == [
        "Thema\u2019s:",
        "\u2022 Regie",
        "",
        "1. Hoe kan ik X, terwijl Y niet werkt?",
        "2. Hoe kan ik Z, terwijl Q niet werkt?",
    ]
    doc = parse_document(text)
    assert doc.themes == ["Regie"]
    assert [q.label for q in doc.questions] == ["1", "2"]


def test_docx_zip_bomb_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", b"\x00" * (30 * 1024 * 1024))
    with pytest.raises(DocumentError) as info:
        docx_text(buffer.getvalue())
    assert info.value.message == MSG_DOCX_TOO_BIG


def test_docx_high_compression_ratio_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", b" " * (2 * 1024 * 1024))
    with pytest.raises(DocumentError) as info:
        docx_text(buffer.getvalue())
    assert info.value.message == MSG_DOCX_TOO_BIG


@pytest.mark.parametrize("data", [os.urandom(2000), b"", b"Hallo, dit is tekst."])
def test_docx_random_bytes_are_refused(data: bytes) -> None:
    with pytest.raises(DocumentError) as info:
        docx_text(data)
    assert info.value.message == MSG_NOT_DOCX


def test_docx_zip_without_document_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hallo")
    with pytest.raises(DocumentError) as info:
        docx_text(buffer.getvalue())
    assert info.value.message == MSG_NOT_DOCX
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
    with pytest.raises(DocumentError) as info:
        docx_text(buffer.getvalue())
    assert info.value.message.startswith("Dit is geen Word-bestand")
    assert "xml" not in info.value.message


def test_docx_with_entities_or_broken_xml_is_refused() -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    for document in (laughs, "<w:document"):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", CONTENT_TYPES)
            archive.writestr("word/document.xml", document)
        with pytest.raises(DocumentError) as info:
            docx_text(buffer.getvalue())
        assert info.value.message == MSG_DOCX_TOO_BIG


# --- Robustness and speed ----------------------------------------------------------------------

FUZZ_PIECES = [
    "A. ",
    "B) ",
    "1. ",
    "i. ",
    "ii) ",
    "Hoe kan ik ",
    ", terwijl",
    "terwijl\u2026..",
    "\u2026 ",
    "...",
    "?",
    "? (taartpunt)",
    " [gereconstrueerd]",
    "(",
    ")",
    "[",
    "]",
    ":",
    "Thema's:",
    "\u2022 ",
    "- ",
    "Datum: ",
    "31 januari 2020",
    "31-02-2020",
    "99-99-9999",
    "Versie 2",
    "Aan\t",
    "Verspreiden\tNee",
    "Naar aanleiding van ",
    "organi-",
    "\u00ad",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    " ",
    "\u00a0",
    "\x00",
    "\ufeff",
    "\u2028",
    "Zorg- en ",
    "woord ",
    "\ud800",
    "\u017fept",
    "\u212aenmerk:",
]


def _random_text(rng: random.Random) -> str:
    parts: list[str] = []
    for _ in range(rng.randint(0, 60)):
        roll = rng.random()
        if roll < 0.6:
            parts.append(rng.choice(FUZZ_PIECES))
        elif roll < 0.8:
            parts.append(chr(rng.randint(0, 0x10FFFF)))
        else:
            parts.append("".join(chr(rng.randint(32, 0x2FF)) for _ in range(rng.randint(1, 12))))
    return "".join(parts)


def test_fuzz_parse_document_only_raises_document_error() -> None:
    rng = random.Random(20240314)
    parsed = 0
    for _ in range(1500):
        text = _random_text(rng)
        try:
            doc = parse_document(text)
        except DocumentError as error:
            assert error.message
            continue
        parsed += 1
        assert isinstance(doc, ParsedDocument)
        assert doc.groups and doc.questions
        assert all(0 <= q.group < len(doc.groups) for q in doc.questions)
    assert parsed > 0


def test_fuzz_clean_text_and_docx_only_raise_document_error() -> None:
    rng = random.Random(31)
    for _ in range(300):
        data = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 300)))
        for function in (clean_text, docx_text):
            try:
                function(data)
            except DocumentError:
                pass


def test_thirty_numbered_questions_parse() -> None:
    # Speed is measured by benchmarks/imports.py, not here.
    lines = ["Versie: 1", "Datum: 24-02-2020", "Naar aanleiding van de werksessie:", ""]
    for n in range(30):
        lines.append(
            f"{n + 1}. Hoe kunnen we als netwerk onderwerp {n} goed regelen en de "
            "samenwerking verbeteren, terwijl de betrokken organisaties een verschillend beeld "
            "hebben van de situatie?"
        )
    text = "\n".join(lines)
    parsed = parse_document(text)
    assert [q.label for q in parsed.questions] == [str(n) for n in range(1, 31)]
    assert all(q.parsed.barrier.startswith("de betrokken organisaties") for q in parsed.questions)
