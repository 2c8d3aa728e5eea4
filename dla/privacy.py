"""Warnings for free text that looks like personal data of clients or families.

Learning questions are about the *system*, never about people. These checks only warn: they
never block saving. They favour few false alarms on ordinary agenda text (dates, years, version
numbers, reference numbers) over catching every possible form.

All patterns are anchored on character-class boundaries and use bounded repetition, so the
scan stays linear in the length of the text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from dla.dates import MONTH_ABBREVIATIONS, MONTHS

REMINDER = "Schrijf geen persoonsgegevens van cliënten of gezinnen op."

MESSAGES: dict[str, str] = {
    "bsn": f"Dit lijkt op een BSN (burgerservicenummer). {REMINDER}",
    "email": f"Dit lijkt op een e-mailadres. {REMINDER}",
    "telefoon": f"Dit lijkt op een telefoonnummer. {REMINDER}",
    "postcode_huisnummer": f"Dit lijkt op een adres (postcode en huisnummer). {REMINDER}",
    "geboortedatum": f"Dit lijkt op een geboortedatum. {REMINDER}",
}


@dataclass(frozen=True)
class PiiFinding:
    """One fragment of text that looks like personal data."""

    kind: str
    text: str
    message: str


# --- BSN ---------------------------------------------------------------------------------------

# Nine digits, plain or in groups 3-3-3 / 4-2-3 with one kind of separator (dot or space).
# Not part of a longer run of digits, also not of a dotted one like 1.111.222.333.
_BSN = re.compile(
    r"(?<!\w)(?<!\d\.)"
    r"(?:\d{3}(?P<sep1>[. ]?)\d{3}(?P=sep1)\d{3}|\d{4}(?P<sep2>[. ]?)\d{2}(?P=sep2)\d{3})"
    r"(?!\w)(?!\.\d)"
)


def _passes_elfproef(digits: str) -> bool:
    """The Dutch 11-test for a 9-digit BSN."""
    if len(digits) != 9 or not digits.isdigit() or set(digits) == {"0"}:
        return False
    total = sum(weight * int(d) for weight, d in zip(range(9, 1, -1), digits[:8], strict=True))
    total -= int(digits[8])
    return total % 11 == 0


# --- E-mail ------------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])"
    r"[A-Za-z0-9._%+\-]{1,64}@(?:[A-Za-z0-9\-]{1,63}\.){1,10}[A-Za-z]{2,24}"
    r"(?![A-Za-z0-9\-])"
)

# --- Phone numbers -----------------------------------------------------------------------------

_PHONE_PREFIX = r"(?:(?:\+|00)31[ \-]?(?:\(0\)[ \-]?)?|0)"
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    # mobile: 06 + 8 digits, e.g. 06-12345678, 06 1234 5678, +31 6 12345678
    rf"{_PHONE_PREFIX}6[ \-]?\d{{2}}(?:[ \-]?\d{{2}}){{3}}"
    r"|"
    # landline: area code of 2 digits + 7 digits, e.g. 020 123 4567, 035-6212345, (020) 1234567
    rf"(?:{_PHONE_PREFIX}|\(0)[1-57-9]\d\)?[ \-]?\d{{3}}[ \-]?\d{{2}}[ \-]?\d{{2}}"
    r"|"
    # landline: area code of 3 digits + 6 digits, e.g. 0345-123456, 0345 12 34 56
    rf"(?:{_PHONE_PREFIX}|\(0)[1-57-9]\d{{2}}\)?[ \-]?"
    r"(?:\d{3}[ \-]?\d{3}|\d{2}[ \-]?\d{2}[ \-]?\d{2})"
    r")(?!\w)"
)

# --- Postcode and house number -----------------------------------------------------------------

_POSTCODE = re.compile(r"(?<!\w)[1-9]\d{3} ?(?!S[ADS])[A-Z]{2}(?![A-Za-z])")
# A house number right after the postcode: "1234 AB 12", "1234AB 12a", "1234 AB, 12-2".
_NUMBER_AFTER = re.compile(
    r"[ \t]{0,3},?[ \t]{0,3}\d{1,5}(?:[ \-]?[A-Za-z](?![A-Za-z])|-\d{1,4})?(?!\w)"
)
# A street and house number right before the postcode: "Kerkstraat 12, ", "Dorpsweg 3a\n".
_STREET_BEFORE = re.compile(
    r"(?<!\w)[^\W\d_]{2,40}\.?[ \t]{1,3}\d{1,5}(?:[ \-]?[A-Za-z]|-\d{1,4})?"
    r"[ \t]{0,3},?\s{0,3}\Z"
)
_STREET_WINDOW = 60

# --- Date of birth -----------------------------------------------------------------------------

_MONTHS = "|".join(dict.fromkeys([*MONTHS, *MONTH_ABBREVIATIONS, "sept"]))
_DATE = re.compile(
    r"(?<![\w.\-/])(?:"
    r"(?P<d1>\d{1,2})(?P<sep>[\-/.])(?P<m1>\d{1,2})(?P=sep)(?P<y1>\d{4}|\d{2})"
    r"|"
    rf"(?P<d2>\d{{1,2}})\s{{1,3}}(?P<m2>{_MONTHS})\.?\s{{1,3}}(?P<y2>\d{{4}})"
    r")(?![\w\-/])(?!\.\d)",
    re.IGNORECASE,
)
_BIRTH_CUE = re.compile(
    r"(?<![^\W\d_])(?:geboren|geboorte[a-z]*|gebdat(?:um)?|geb)(?![^\W\d_])", re.IGNORECASE
)
_CUE_WINDOW = 60  # characters before the date to look at
_CUE_WORDS = 4  # how many words before the date may hold the cue


def _valid_date(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12


def _has_birth_cue(text: str, start: int) -> bool:
    """True when a birth cue ("geboren", "geb.", "*", ...) comes just before position start."""
    before = text[max(0, start - _CUE_WINDOW) : start]
    before = before.rsplit("\n", 1)[-1]
    if before.endswith("*") and not before.endswith("**"):  # "*12-03-2012", not **bold**
        return True
    words = before.split()[-_CUE_WORDS:]
    return any(_BIRTH_CUE.search(word) for word in words)


# --- Collecting --------------------------------------------------------------------------------

_Span = tuple[int, int, str]


def _bsn_spans(text: str) -> list[_Span]:
    spans = []
    for match in _BSN.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if _passes_elfproef(digits):
            spans.append((match.start(), match.end(), "bsn"))
    return spans


def _postcode_spans(text: str) -> list[_Span]:
    spans = []
    for match in _POSTCODE.finditer(text):
        start, end = match.span()
        after = _NUMBER_AFTER.match(text, end)
        if after:
            spans.append((start, after.end(), "postcode_huisnummer"))
            continue
        window_start = max(0, start - _STREET_WINDOW)
        before = _STREET_BEFORE.search(text[window_start:start])
        if before:
            spans.append((window_start + before.start(), end, "postcode_huisnummer"))
    return spans


def _birth_date_spans(text: str) -> list[_Span]:
    spans = []
    for match in _DATE.finditer(text):
        day = int(match["d1"] or match["d2"])
        month = int(match["m1"]) if match["m1"] else 1  # a month name is always valid
        if not _valid_date(day, month):
            continue
        if _has_birth_cue(text, match.start()):
            spans.append((match.start(), match.end(), "geboortedatum"))
    return spans


def find_personal_data(text: str) -> list[PiiFinding]:
    """Fragments of text that look like personal data, in order of appearance.

    Overlapping matches keep the one that starts first (the longer one on a tie). The same
    fragment of the same kind is reported once.
    """
    if not text:
        return []
    spans: list[_Span] = []
    spans += _bsn_spans(text)
    spans += [(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
    spans += [(m.start(), m.end(), "telefoon") for m in _PHONE.finditer(text)]
    spans += _postcode_spans(text)
    spans += _birth_date_spans(text)
    spans.sort(key=lambda span: (span[0], -span[1]))

    findings: list[PiiFinding] = []
    seen: set[tuple[str, str]] = set()
    taken_until = 0
    for start, end, kind in spans:
        if start < taken_until:
            continue
        taken_until = end
        fragment = text[start:end]
        if (kind, fragment) in seen:
            continue
        seen.add((kind, fragment))
        findings.append(PiiFinding(kind=kind, text=fragment, message=MESSAGES[kind]))
    return findings


@functools.lru_cache(maxsize=4096)
def pii_warnings(text: str) -> tuple[str, ...]:
    """The distinct warning messages for text, in order of first appearance, for display.

    Kept for the 4,096 texts asked last (the result depends on the text alone): every
    question of a concept version is checked on each view of it."""
    messages: list[str] = []
    for finding in find_personal_data(text):
        if finding.message not in messages:
            messages.append(finding.message)
    return tuple(messages)
