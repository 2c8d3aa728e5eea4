"""Password policy: length, well-known passwords and personal details.

The policy follows current advice (NIST SP 800-63B, NCSC): a minimum length and a check against
known passwords, no rules about symbols or capitals.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

MIN_LENGTH = 12
MAX_LENGTH = 200
MIN_PERSONAL_PART = 4  # shorter e-mail local parts or names are not checked
MIN_SEQUENCE_CORE = 6  # a run this long, followed by only digits/punctuation, is too simple

TOO_SHORT = f"Kies een wachtwoord van minstens {MIN_LENGTH} tekens."
TOO_LONG = f"Kies een wachtwoord van hoogstens {MAX_LENGTH} tekens."
TOO_COMMON = "Dit wachtwoord is te bekend. Kies een ander wachtwoord."
PERSONAL = "Gebruik niet uw naam of e-mailadres in het wachtwoord."

# Rows and runs that people type as a "sequence". Checked forwards and backwards, with wrap-around
# (so "123456789012" counts).
_SEQUENCES = (
    "0123456789",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiopasdfghjklzxcvbnm",
    "azertyuiopqsdfghjklmwxcvbn",
    "qwertzuiopasdfghjklyxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "qazwsxedcrfvtgbyhnujmikolp",
    "1234567890qwertyuiopasdfghjklzxcvbnm",
)

_TRAILING_JUNK = re.compile(r"[\d\W_]+$")
_LEADING_JUNK = re.compile(r"^[\d\W_]+")
_TRAILING_PUNCTUATION = re.compile(r"[\W_]+$")
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "3": "e", "$": "s", "5": "s", "7": "t"})
_PARTS = re.compile(r"[\W_\d]+")


@cache
def common_passwords() -> frozenset[str]:
    """The list of well-known passwords (lowercase), read once from common_passwords.txt."""
    text = resources.files(__package__).joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def _unleet(word: str) -> set[str]:
    """Leetspeak undone; "1" and "!" may stand for "i" or "l", so both are tried."""
    base = word.translate(_LEET)
    return {base.replace("1", letter).replace("!", letter) for letter in "il"}


def _variants(password: str) -> set[str]:
    """The password as typed and with digits/punctuation at the ends and leetspeak removed."""
    lowered = password.casefold()
    trimmed = _TRAILING_JUNK.sub("", lowered)
    both_ends = _LEADING_JUNK.sub("", trimmed)
    found = {lowered, trimmed, both_ends}
    for word in (lowered, trimmed, both_ends):
        for plain in _unleet(word):
            found |= {plain, _TRAILING_JUNK.sub("", plain)}
    found.discard("")
    return found


def _is_sequence(word: str) -> bool:
    """True for one repeated character, a repeated short block or a keyboard/alphabet run."""
    if len(word) < 3:
        return False
    if len(set(word)) == 1:
        return True
    for size in range(2, len(word) // 2 + 1):  # "abcabcabcabc", "welkomwelkom"
        if len(word) % size == 0 and word[:size] * (len(word) // size) == word:
            return True
    for run in _SEQUENCES:
        repeats = len(word) // len(run) + 2
        if word in run * repeats or word in run[::-1] * repeats:
            return True
    return False


def _is_common(password: str) -> bool:
    lowered = password.casefold()
    trimmed = _TRAILING_JUNK.sub("", lowered)
    if _is_sequence(lowered) or _is_sequence(_TRAILING_PUNCTUATION.sub("", lowered)):
        return True
    if len(trimmed) >= MIN_SEQUENCE_CORE and _is_sequence(trimmed):  # "abcdefgh2024"
        return True
    known = common_passwords()
    return any(variant in known for variant in _variants(password))


def _personal_parts(email: str, name: str) -> set[str]:
    """Pieces of the e-mail local part and the name that a password must not contain."""
    parts: set[str] = set()
    local = email.split("@", 1)[0].casefold().strip()
    full_name = name.casefold().strip()
    squashed = _PARTS.sub("", full_name)  # "Jan de Vries" -> "jandevries"
    for value in (local, full_name, squashed):
        if len(value) >= MIN_PERSONAL_PART:
            parts.add(value)
        parts |= {p for p in _PARTS.split(value) if len(p) >= MIN_PERSONAL_PART}
    return parts


def password_problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """Dutch messages that explain why a password is not acceptable; empty when it is fine."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(TOO_SHORT)
    if len(password) > MAX_LENGTH:
        problems.append(TOO_LONG)
        return problems  # do not spend work on absurd input
    if password and _is_common(password):
        problems.append(TOO_COMMON)
    parts = _personal_parts(email, name)
    if parts:
        lowered = password.casefold()
        candidates = {lowered, *_unleet(lowered)}
        if any(part in candidate for part in parts for candidate in candidates):
            problems.append(PERSONAL)
    return problems
