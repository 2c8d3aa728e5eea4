"""REFI-QDA exchange files: a project (.qdpx) and its codebook alone (.qdc).

Pure, like ``writers``: the export document in, file bytes out. ATLAS.ti, NVivo, MAXQDA and
QualCoder import these (QDA-XML 1.0, ``urn:QDA-XML:project:1.0``, www.qdasoftware.org).

- **Sources**: one text source per version, the version as it reads (the layout of the DOCX
  and the printable page), written UTF-8 to ``sources/<guid>.txt`` and referenced as
  ``plainTextPath="internal://<guid>.txt"``.
- **Variables** per source: region, agenda, level, audience, version number, document date,
  origin, distribution (and status).
- **Codebook**: the system analysis (region > system aspect > aspect × actor group > item),
  the transition kinds, *hardnekkig*, and the themes of the versions.
- **Codings**: a ``PlainTextSelection`` over each question's text (positions count Unicode
  characters of the source text, from 0, the end position exclusive: ``text[start:end]`` is
  the question) coded with the items linked to its thread, its transition, and *hardnekkig*
  when its thread is persistent.

GUIDs are UUID 5 values derived from the database ids, so exporting the same data again
gives the same GUIDs (a tool can recognise a source or code it imported before).
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from dla.agendas.models import DROP_REASONS, TRANSITIONS
from dla.exports.writers import PUBLISHED, item_code, layout, region_persistence

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "DLA-werkplaats"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/dla-werkplaats/refi-qda")
_NAMESPACE_BYTES = _NAMESPACE.bytes

# Document variables of every source: name, REFI-QDA type, description.
VARIABLES = (
    ("regio", "Text", "Region (regio) of the learning agenda."),
    ("agenda", "Text", "Title of the learning agenda."),
    ("niveau", "Text", "Level: operationeel, tactisch, strategisch or netwerk."),
    ("doelgroep", "Text", "Audience of the agenda (free text)."),
    ("versienummer", "Integer", "Sequence number of the version within its agenda."),
    ("versiedatum", "Date", "Document date of the version (absent when unknown)."),
    ("herkomst", "Text", "Origin of the version: werksessie, gereconstrueerd or gezamenlijk."),
    ("verspreiding", "Text", "Distribution: regio (whole region) or beperkt (restricted)."),
    ("status", "Text", "Status of the version: concept or vastgesteld (published)."),
)


def guid(kind: str, key) -> str:
    """A stable GUID for one thing of the export: the same data gives the same GUID.

    ``uuid.uuid5(_NAMESPACE, f"{kind}:{key}")`` written out (three times faster; an export
    makes one per question, coding and source).
    """
    digest = hashlib.sha1(_NAMESPACE_BYTES + f"{kind}:{key}".encode()).hexdigest()
    variant = "89ab"[int(digest[16], 16) & 0x3]
    return f"{digest[:8]}-{digest[8:12]}-5{digest[13:16]}-{variant}{digest[17:20]}-{digest[20:32]}"


def _attr(value) -> str:
    return quoteattr(_clean(str(value)))


def _text(value: str) -> str:
    return escape(_clean(value))


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value: str) -> str:
    """XML 1.0 allows no control characters other than tab, newline and carriage return."""
    return _XML_ILLEGAL.sub("", value) if value else ""


# --- codebook ----------------------------------------------------------------------------------


class _Code:
    __slots__ = ("guid", "name", "description", "codable", "children")

    def __init__(self, key: str, name: str, description: str = "", codable: bool = True):
        self.guid = guid("code", key)
        self.name = name
        self.description = description
        self.codable = codable
        self.children: list[_Code] = []

    def add(self, child: _Code) -> _Code:
        self.children.append(child)
        return child

    def xml(self) -> Iterator[str]:
        yield (
            f'<Code guid="{self.guid}" name={_attr(self.name)} '
            f'isCodable="{"true" if self.codable else "false"}">'
        )
        if self.description:
            yield f"<Description>{_text(self.description)}</Description>"
        for child in self.children:
            yield from child.xml()
        yield "</Code>"


def _codebook(document: dict) -> tuple[list[_Code], dict[int, str], dict[str, str], str]:
    """The codes, and the GUIDs codings refer to: per item id, per transition kind, and
    the GUID of *hardnekkig*."""
    roots: list[_Code] = []
    item_codes: dict[int, str] = {}
    analysis = _Code(
        "systeemanalyse",
        "Systeemanalyse",
        "Items of the system analysis (barrières and kansen) by region, system aspect and "
        "actor group.",
        False,
    )
    for region in document["regions"]:
        items = region.get("barrier_items", [])
        if not items:
            continue
        headings = {h["id"]: h for h in region.get("matrix_headings", [])}
        region_code = analysis.add(
            _Code(f"region:{region['id']}", region["name"], "System analysis of the region.", False)
        )
        aspects: dict[int | None, _Code] = {}
        cells: dict[tuple, _Code] = {}
        for item in items:
            aspect_id, actor_id = item["aspect_id"], item["actor_id"]
            aspect = aspects.get(aspect_id)
            if aspect is None:
                name = headings[aspect_id]["name"] if aspect_id in headings else "Zonder aspect"
                aspect = aspects[aspect_id] = region_code.add(
                    _Code(
                        f"aspect:{region['id']}:{aspect_id}",
                        name,
                        "Systeemaspect (system aspect): a row of the system analysis matrix.",
                    )
                )
            cell = cells.get((aspect_id, actor_id))
            if cell is None:
                actor = headings[actor_id]["name"] if actor_id in headings else "Zonder actorgroep"
                cell = cells[(aspect_id, actor_id)] = aspect.add(
                    _Code(
                        f"cell:{region['id']}:{aspect_id}:{actor_id}",
                        f"{aspect.name} × {actor}",
                        f"Actorgroep (actor group) {actor} within system aspect {aspect.name}.",
                    )
                )
            code = cell.add(
                _Code(
                    f"item:{item['id']}",
                    f"{item_code(item)} {item['description']}"[:200],
                    f"{'Barrière' if item['kind'] == 'barriere' else 'Kans'} "
                    f"({item['status']}): {item['description']}",
                )
            )
            item_codes[item["id"]] = code.guid
    if analysis.children:
        roots.append(analysis)
    transitions = _Code(
        "overgangen",
        "Overgangen",
        "What happened to a question when the next version was made (its transition).",
        False,
    )
    kind_codes = {}
    for kind, label in TRANSITIONS.items():
        kind_codes[kind] = transitions.add(_Code(f"transition:{kind}", label, kind)).guid
    roots.append(transitions)
    persistent = _Code(
        "hardnekkig",
        "Hardnekkig",
        "Persistent question: its longest run of published versions reaches the region's "
        "threshold, or it is still open and older than the region's month threshold.",
    )
    roots.append(persistent)
    themes = _Code("themas", "Thema's", "Themes named in the versions.", False)
    seen = set()
    for region in document["regions"]:
        for agenda in region["agendas"]:
            for version in agenda["versions"]:
                for line in (version.get("themes") or "").splitlines():
                    theme = line.strip()
                    if theme and theme not in seen:
                        seen.add(theme)
                        themes.add(_Code(f"theme:{theme}", theme))
    if themes.children:
        roots.append(themes)
    return roots, item_codes, kind_codes, persistent.guid


def codebook_xml(document: dict) -> bytes:
    """The codebook alone (.qdc): ``CodeBook`` in the codebook namespace of QDA-XML."""
    roots, _items, _kinds, _persistent = _codebook(document)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<CodeBook xmlns="{CODEBOOK_NS}" origin="{ORIGIN}"><Codes>',
    ]
    for code in roots:
        parts.extend(code.xml())
    parts.append("</Codes></CodeBook>\n")
    return "".join(parts).encode("utf-8")


# --- sources -----------------------------------------------------------------------------------


def source_text(version: dict, agenda: dict, region: dict) -> tuple[str, list[tuple]]:
    """The text of one version as it reads, and per question (wording, start, end): the
    character positions of its text (``text[start:end] == wording["text"]``)."""
    version_doc = {**version, "agenda_title": agenda["title"], "region_name": region["name"]}
    parts: list[str] = []
    spans = []
    offset = 0
    for kind, line, wording in layout(version_doc):
        if kind == "question":
            start = offset + len(line) - len(wording["text"])
            spans.append((wording, start, start + len(wording["text"])))
        parts.append(line)
        offset += len(line) + 1
    return "\n".join(parts) + "\n", spans


def _variables_xml() -> Iterator[str]:
    yield "<Variables>"
    for name, kind, description in VARIABLES:
        yield (
            f'<Variable guid="{guid("variable", name)}" name="{name}" typeOfVariable="{kind}">'
            f"<Description>{_text(description)}</Description></Variable>"
        )
    yield "</Variables>"


def _value(name: str, kind: str, value) -> str:
    if value is None or value == "":
        return ""
    return (
        f'<VariableValue><VariableRef targetGUID="{guid("variable", name)}"/>'
        f"<{kind}Value>{_text(str(value))}</{kind}Value></VariableValue>"
    )


def _source_values(region: dict, agenda: dict, version: dict) -> str:
    values = {
        "regio": region["name"],
        "agenda": agenda["title"],
        "niveau": agenda["level"],
        "doelgroep": agenda["audience"],
        "versienummer": version["number"],
        "versiedatum": version["document_date"],
        "herkomst": version["origin"],
        "verspreiding": version["distribution"],
        "status": version["status"],
    }
    return "".join(_value(name, kind, values[name]) for name, kind, _d in VARIABLES)


def source_name(agenda: dict, version: dict) -> str:
    label = version.get("label") or ""
    label = f" ({label})" if label and label != str(version["number"]) else ""
    return f"{agenda['title']} – versie {version['number']}{label}"


def _selection(wording, start, end, codes: list[str], note: str) -> str:
    parts = [
        f'<PlainTextSelection guid="{guid("selection", wording["id"])}" '
        f"name={_attr(wording['label'] + '. ' + wording['text'][:60])} "
        f'startPosition="{start}" endPosition="{end}">'
    ]
    if note:
        parts.append(f"<Description>{_text(note)}</Description>")
    for code in codes:
        coding = guid("coding", f"{wording['id']}:{code}")
        parts.append(f'<Coding guid="{coding}"><CodeRef targetGUID="{code}"/></Coding>')
    parts.append("</PlainTextSelection>")
    return "".join(parts)


def _note(transition: dict | None) -> str:
    if not transition:
        return ""
    parts = [TRANSITIONS.get(transition["kind"], transition["kind"])]
    if transition.get("reason"):
        parts.append(DROP_REASONS.get(transition["reason"], transition["reason"]))
    if transition.get("note"):
        parts.append(transition["note"])
    return "Overgang: " + "; ".join(parts)


# --- project -----------------------------------------------------------------------------------


def project(document: dict, *, today: date | None = None) -> bytes:
    """The .qdpx file: ``project.qde`` and one ``sources/<guid>.txt`` per version."""
    roots, item_codes, kind_codes, persistent = _codebook(document)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        sources = []
        for name, text, source_xml in _sources(document, item_codes, kind_codes, persistent, today):
            archive.writestr(name, text.encode("utf-8"))
            sources.append(source_xml)
        with archive.open("project.qde", "w") as handle:
            for chunk in _project_xml(document, roots, sources):
                handle.write(chunk.encode("utf-8"))
    return buffer.getvalue()


def _project_xml(document: dict, roots: list[_Code], sources: list[str]) -> Iterator[str]:
    user = guid("user", ORIGIN)
    regions = ", ".join(r["name"] for r in document["regions"]) or ORIGIN
    yield '<?xml version="1.0" encoding="utf-8"?>\n'
    yield (
        f'<Project xmlns="{PROJECT_NS}" name={_attr("DLA " + regions)} origin="{ORIGIN}" '
        f'creatingUserGUID="{user}" creationDateTime="{document["exported_at"]}">'
    )
    yield f'<Users><User guid="{user}" name="{ORIGIN}" id="dla"/></Users>'
    yield "<CodeBook><Codes>"
    for code in roots:
        yield from code.xml()
    yield "</Codes></CodeBook>"
    yield from _variables_xml()
    if sources:
        yield "<Sources>"
        yield from sources
        yield "</Sources>"
    yield "</Project>\n"


def _sources(document, item_codes, kind_codes, persistent, today):
    """Per version: its file name in the zip, its text and its ``TextSource`` element."""
    for region in document["regions"]:
        figures = region_persistence(region, today=today)
        items_of: dict[int, set[int]] = defaultdict(set)
        for link in region.get("barrier_links", []):
            if link["item_id"] in item_codes:
                items_of[link["thread_id"]].add(link["item_id"])
        status_of = {v["id"]: v["status"] for a in region["agendas"] for v in a["versions"]}
        for agenda in region["agendas"]:
            for version in sorted(agenda["versions"], key=lambda v: v["number"]):
                source_guid = guid("source", version["id"])
                text, spans = source_text(version, agenda, region)
                parts = [
                    f'<TextSource guid="{source_guid}" name={_attr(source_name(agenda, version))} '
                    f'plainTextPath="internal://{source_guid}.txt">'
                ]
                for wording, start, end in spans:
                    codes = [item_codes[i] for i in sorted(items_of.get(wording["thread_id"], ()))]
                    transition = wording["transition"]
                    if transition and transition["kind"] in kind_codes:
                        codes.append(kind_codes[transition["kind"]])
                    figure = figures.get(wording["thread_id"])
                    if figure is not None and figure.hardnekkig:
                        codes.append(persistent)
                    note = _note(transition)
                    if transition and status_of.get(transition["version_id"]) != PUBLISHED:
                        note += " (in een concept)"
                    parts.append(_selection(wording, start, end, codes, note))
                parts.append(_source_values(region, agenda, version))
                parts.append("</TextSource>")
                yield f"sources/{source_guid}.txt", text, "".join(parts)
