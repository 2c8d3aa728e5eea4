"""How Word numbers paragraphs: the paragraph styles and ``numbering.xml``, read into the
number Word draws in front of a list paragraph (that number is not stored as text).

- a paragraph's numbering comes from its own ``w:numPr`` or from its paragraph style
  (following ``w:basedOn``); ``w:numId="0"`` switches numbering off;
- ``numbering.xml`` links a ``w:num`` to an abstract definition with up to nine levels, each with
  a format (decimal, letters, roman numerals, bullet, …), a ``w:lvlText`` such as ``"%1."`` or
  ``"%2)"``, a start value and a ``w:lvlRestart`` rule;
- lists that share an abstract definition continue each other's count, unless a ``w:num``
  restarts with ``w:lvlOverride``/``w:startOverride``;
- a deeper level restarts when a higher level is used.

Also the small XML helpers (local names, attributes, on/off properties) that
``wordfile`` uses for the document itself. Pure standard library: no Flask, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element

MAX_DEPTH = 20  # style chains, nested tables

# --- XML helpers -------------------------------------------------------------------------------


def local_name(tag: object) -> str:
    """The local name of an XML tag ("{ns}p" -> "p")."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def attr_value(element: Element | None, name: str) -> str | None:
    """An attribute by local name (w:val, w:ilvl …); None when missing."""
    if element is None:
        return None
    for key, value in element.attrib.items():
        if local_name(key) == name:
            return value
    return None


def first_child(element: Element | None, name: str) -> Element | None:
    """The first child with this local name."""
    if element is None:
        return None
    for child in element:
        if local_name(child.tag) == name:
            return child
    return None


def child_val(element: Element | None, name: str) -> str | None:
    """The w:val of the child ``name``; None when the child is missing."""
    return attr_value(first_child(element, name), "val")


def to_int(value: str | None, default: int | None = None) -> int | None:
    """An integer attribute value; ``default`` when missing or not a number."""
    if value is None:
        return default
    value = value.strip()
    if re.fullmatch(r"-?[0-9]{1,6}", value):
        return int(value)
    return default


def is_on(element: Element | None) -> bool:
    """A Word on/off property: present and not switched off with w:val="0"/"false"."""
    if element is None:
        return False
    return (attr_value(element, "val") or "true").lower() not in ("0", "false", "off")


# --- Styles ------------------------------------------------------------------------------------


@dataclass
class _Style:
    style_id: str = ""
    name: str = ""
    based_on: str = ""
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None
    indent: int | None = None


def indent_of(properties: Element | None) -> int | None:
    """The left indent (twips) of a w:pPr, None when it sets none."""
    ind = first_child(properties, "ind")
    return to_int(attr_value(ind, "left") or attr_value(ind, "start"))


class Styles:
    """Paragraph styles from ``styles.xml``: numbering, outline level and name, with basedOn."""

    def __init__(self, root: Element | None) -> None:
        self.styles: dict[str, _Style] = {}
        self.default = ""
        if root is None:
            return
        for element in root:
            if local_name(element.tag) != "style" or attr_value(element, "type") not in (
                None,
                "paragraph",
            ):
                continue
            style_id = attr_value(element, "styleId") or ""
            properties = first_child(element, "pPr")
            num_pr = first_child(properties, "numPr")
            self.styles[style_id] = _Style(
                style_id=style_id,
                name=(child_val(element, "name") or "").strip().lower(),
                based_on=child_val(element, "basedOn") or "",
                num_id=child_val(num_pr, "numId"),
                ilvl=to_int(child_val(num_pr, "ilvl")),
                outline=to_int(child_val(properties, "outlineLvl")),
                indent=indent_of(properties),
            )
            if (attr_value(element, "default") or "").lower() in ("1", "true", "on"):
                self.default = style_id

    def chain(self, style_id: str) -> list[_Style]:
        """The style and the styles it is based on, nearest first (loops stop)."""
        found: list[_Style] = []
        seen: set[str] = set()
        current = style_id or self.default
        while current and current not in seen and len(found) < MAX_DEPTH:
            seen.add(current)
            style = self.styles.get(current)
            if style is None:
                break
            found.append(style)
            current = style.based_on
        return found

    def numbering(self, style_id: str) -> tuple[str | None, int | None]:
        """The (numId, ilvl) a style gives its paragraphs; the nearest setting of each wins."""
        num_id: str | None = None
        ilvl: int | None = None
        for style in self.chain(style_id):
            if num_id is None:
                num_id = style.num_id
            if ilvl is None:
                ilvl = style.ilvl
        return num_id, ilvl

    def outline(self, style_id: str) -> int | None:
        """The heading level (1-9) of a style: its outline level or a "heading N" name."""
        for style in self.chain(style_id):
            if style.outline is not None:
                return style.outline + 1 if 0 <= style.outline < 9 else None
            match = re.fullmatch(r"heading ([1-9])", style.name)
            if match:
                return int(match[1])
        return None

    def indent(self, style_id: str) -> int | None:
        """The left indent a style gives, the nearest setting wins."""
        for style in self.chain(style_id):
            if style.indent is not None:
                return style.indent
        return None

    def title(self, style_id: str) -> str:
        """ "title" or "subtitle" for Word's Title and Subtitle styles (and styles based on
        them), else ""."""
        for style in self.chain(style_id):
            if style.name in ("title", "subtitle"):
                return style.name
        return ""


# --- Numbering ---------------------------------------------------------------------------------


@dataclass
class Level:
    """One level of a list definition."""

    fmt: str = "decimal"
    text: str | None = None  # w:lvlText; None: "%<level>."
    start: int = 1
    restart: int | None = None  # w:lvlRestart; None: after any higher level
    legal: bool = False  # w:isLgl: all numbers in the label as decimals
    style: str = ""  # w:pStyle: the paragraph style that uses this level
    indent: int | None = None  # left indent of the level's paragraphs (twips)


_FALLBACK_LEVEL = Level(fmt="upperLetter")


def _read_level(element: Element) -> Level:
    fmt_element = first_child(element, "numFmt")
    if fmt_element is None:  # Word 2010 custom formats hide in mc:AlternateContent
        alternate = first_child(element, "AlternateContent")
        fmt_element = first_child(first_child(alternate, "Fallback"), "numFmt")
    return Level(
        fmt=attr_value(fmt_element, "val") or "decimal",
        text=child_val(element, "lvlText"),
        start=to_int(child_val(element, "start"), 1) or 0,
        restart=to_int(child_val(element, "lvlRestart")),
        legal=is_on(first_child(element, "isLgl")),
        style=child_val(element, "pStyle") or "",
        indent=indent_of(first_child(element, "pPr")),
    )


def _letters(n: int) -> str:
    """Word's letter numbering: A … Z, AA, BB, … (a letter repeated)."""
    if n < 1:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


_ROMAN_VALUES = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, letters in _ROMAN_VALUES:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def format_number(fmt: str, n: int) -> str:
    """A counter value in a Word number format ("lowerRoman", 4 -> "iv")."""
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)  # decimal and every format we do not draw (ordinal, cardinalText, …)


_PLACEHOLDER_RE = re.compile(r"%([1-9])")
_BULLET = "\u2022"


@dataclass
class ListItem:
    """The list number of one paragraph."""

    label: str  # as Word shows it: "3.", "b)", "ii.", "•"; "" for format "none"
    level: int  # 0 = top level
    bullet: bool
    list_id: str  # paragraphs with the same list_id count together
    indent: int | None = None  # the level's left indent (twips)
    number: str = ""  # this level's own number in the label: "b" in "b)", "2" in "1.2."


class Numbering:
    """List definitions from ``numbering.xml`` and the running counters of one document."""

    def __init__(self, root: Element | None, styles: Styles) -> None:
        self.styles = styles
        self.abstract: dict[str, dict[int, Level]] = {}
        self.style_links: dict[str, str] = {}  # abstractNumId -> numbering style it follows
        self.links: dict[str, str] = {}  # numId -> abstractNumId
        self.overrides: dict[str, dict[int, tuple[int | None, Level | None]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.known = root is not None
        for element in root if root is not None else ():
            name = local_name(element.tag)
            if name == "abstractNum":
                key = attr_value(element, "abstractNumId") or ""
                levels = {}
                for level in element:
                    if local_name(level.tag) == "lvl":
                        ilvl = to_int(attr_value(level, "ilvl"), 0) or 0
                        levels[ilvl] = _read_level(level)
                self.abstract[key] = levels
                link = child_val(element, "numStyleLink")
                if link:
                    self.style_links[key] = link
            elif name == "num":
                num_id = attr_value(element, "numId") or ""
                self.links[num_id] = child_val(element, "abstractNumId") or ""
                overrides = {}
                for override in element:
                    if local_name(override.tag) != "lvlOverride":
                        continue
                    ilvl = to_int(attr_value(override, "ilvl"), 0) or 0
                    start = to_int(child_val(override, "startOverride"))
                    level = first_child(override, "lvl")
                    overrides[ilvl] = (start, _read_level(level) if level is not None else None)
                if overrides:
                    self.overrides[num_id] = overrides

    def _abstract_id(self, num_id: str) -> str | None:
        """The abstract definition of a list, following a numbering-style link once or more."""
        abstract_id = self.links.get(num_id)
        seen: set[str] = set()
        while abstract_id in self.style_links and abstract_id not in seen:
            seen.add(abstract_id)
            linked_num, _ = self.styles.numbering(self.style_links[abstract_id])
            target = self.links.get(linked_num or "")
            if target is None:
                break
            abstract_id = target
        return abstract_id if abstract_id in self.abstract else None

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        """The level whose w:pStyle names this paragraph style or the nearest style it is
        based on."""
        levels = self.abstract.get(self._abstract_id(num_id) or "", {})
        for style in self.styles.chain(style_id):
            for ilvl, level in levels.items():
                if level.style == style.style_id:
                    return ilvl
        return None

    def _levels(self, num_id: str) -> dict[int, Level] | None:
        abstract_id = self._abstract_id(num_id)
        if abstract_id is None:
            return None
        levels = dict(self.abstract[abstract_id])
        for ilvl, (start, level) in self.overrides.get(num_id, {}).items():
            base = level or levels.get(ilvl) or Level()
            if start is not None:
                base = Level(**{**base.__dict__, "start": start})
            levels[ilvl] = base
        return levels

    def item(self, num_id: str, ilvl: int) -> ListItem | None:
        """Count one paragraph of list ``num_id`` at level ``ilvl`` and return its label.

        Lists without a definition (no numbering.xml, unknown numId) count per numId and are
        shown with capital letters.
        """
        if not num_id or num_id == "0":
            return None
        ilvl = min(max(ilvl, 0), 8)
        levels = self._levels(num_id)
        if levels is None:
            if self.known and num_id not in self.links:
                return None  # Word draws nothing for a list it has no definition of
            levels = {}
            list_id = f"num:{num_id}"
            fallback = _FALLBACK_LEVEL
        else:
            # Lists continue each other's count unless this one restarts with an override.
            list_id = f"num:{num_id}" if num_id in self.overrides else self._abstract_id(num_id)
            fallback = Level()
        level = levels.get(ilvl, fallback)
        counters = self.counters.setdefault(list_id or "", {})
        counters[ilvl] = level.start if ilvl not in counters else counters[ilvl] + 1
        for deeper in [key for key in counters if key > ilvl]:
            restart = levels.get(deeper, fallback).restart
            if restart is None or (restart != 0 and ilvl <= restart - 1):
                del counters[deeper]
        if level.fmt == "bullet":
            text = level.text or ""
            shown = text if text.strip() and text.isprintable() and text.isascii() else _BULLET
            shown = shown if len(shown) <= 3 else _BULLET
            return ListItem(shown, ilvl, True, list_id or "", level.indent)
        pattern = level.text if level.text is not None else f"%{ilvl + 1}."

        def number(at: int) -> str:
            shown_level = levels.get(at, fallback)
            value = counters.get(at, shown_level.start)
            fmt = "decimal" if level.legal and shown_level.fmt != "none" else shown_level.fmt
            return format_number(fmt, value)

        label = _PLACEHOLDER_RE.sub(lambda match: number(int(match[1]) - 1), pattern).strip()
        mine = number(ilvl) if f"%{ilvl + 1}" in pattern else ""
        return ListItem(label, ilvl, False, list_id or "", level.indent, mine)
