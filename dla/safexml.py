"""Parsing XML that came from outside (the parts of an uploaded .docx).

``defusedxml`` refuses every document type declaration, so no entity is ever expanded
(no "billion laughs", no external files), whatever the encoding: a UTF-16 part with a DTD
is refused like a UTF-8 one. The standard library parser is used underneath.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring


class UnsafeXML(ValueError):
    """The bytes are no well-formed XML, or they declare a DTD or entities."""


def safe_xml_parse(data: bytes) -> Element:
    """The root element of ``data``; :class:`UnsafeXML` for a DTD, an entity declaration,
    an external reference or broken XML."""
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise UnsafeXML(
            f"XML with a DTD or entities is refused ({type(error).__name__})."
        ) from None
    except (ParseError, ValueError) as error:
        raise UnsafeXML(f"Not well-formed XML: {error}") from None
