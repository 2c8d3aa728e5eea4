"""Tests for dla.auth.passwords: the password policy."""

from __future__ import annotations

from importlib import resources

import pytest

from dla.auth.passwords import MIN_LENGTH, common_passwords, password_problems

TOO_SHORT = "Kies een wachtwoord van minstens 12 tekens."
TOO_LONG = "Kies een wachtwoord van hoogstens 200 tekens."
TOO_COMMON = "Dit wachtwoord is te bekend. Kies een ander wachtwoord."
PERSONAL = "Gebruik niet uw naam of e-mailadres in het wachtwoord."


@pytest.mark.parametrize(
    "password",
    [
        "paars-kompas-regenjas-71",
        "Fietsbel onder de brug 8",
        "tK7#qz!Lm2@xW9",
        "Xyz-4829-1735",
        "correct-paard-nietje-batterij",
        "a" * 5 + "b-kompas-zeil",
        "x" * 12 + "-regen",
        "é" * 3 + "-regenjas-kompas",
    ],
)
def test_good_passwords_are_accepted(password: str) -> None:
    assert password_problems(password) == []


def test_good_password_with_email_and_name_is_accepted() -> None:
    assert (
        password_problems(
            "paars-kompas-regenjas-71", email="j.jansen@gemeente.nl", name="Jan Jansen"
        )
        == []
    )


def test_min_length_is_12() -> None:
    assert MIN_LENGTH == 12
    assert password_problems("paars-kompa") == [TOO_SHORT]  # 11 characters
    assert password_problems("paars-kompas") == []  # 12 characters


@pytest.mark.parametrize("password", ["", "a", "Kx9!mQ2#", "zeilboot-7"])
def test_short_passwords_are_refused(password: str) -> None:
    assert TOO_SHORT in password_problems(password)


def test_long_passwords_are_refused() -> None:
    assert password_problems("paars-kompas-" * 15 + "x" * 5) == []  # 200 characters
    assert password_problems("paars-kompas-" * 15 + "x" * 6) == [TOO_LONG]
    assert password_problems("x" * 201) == [TOO_LONG]


@pytest.mark.parametrize(
    "password",
    [
        "Welkom2024!",
        "welkom2024!!",
        "WACHTWOORD123",
        "Wachtwoord2026!",
        "P@ssw0rd1234",
        "p4ssw0rd-2024!",
        "Feyenoord1908!",
        "Amsterdam2025",
        "iloveyou2024",
        "!l0v3y0u2024",
        "Zomer2024!!!",
        "Schatje12345",
        "voetbal12345",
        "2024welkom!!!",
        "0ranje2024!!",
    ],
)
def test_common_passwords_are_refused(password: str) -> None:
    assert TOO_COMMON in password_problems(password)


def test_short_common_password_gets_both_messages() -> None:
    assert password_problems("Welkom2024!") == [TOO_SHORT, TOO_COMMON]


@pytest.mark.parametrize(
    "password",
    [
        "123456789012",
        "987654321098",
        "abcdefghijkl",
        "ABCDEFGHIJKLMNOP",
        "lkjihgfedcba",
        "qwertyuiopas",
        "azertyuiopqs",
        "1qaz2wsx3edc",
        "aaaaaaaaaaaa",
        "!!!!!!!!!!!!",
        "abcabcabcabc",
        "welkomwelkom",
        "123456789012!",
        "abcdefgh2024",
    ],
)
def test_sequences_and_repeats_are_refused(password: str) -> None:
    assert password_problems(password) == [TOO_COMMON]


@pytest.mark.parametrize(
    ("password", "email", "name"),
    [
        ("jansen-kompas-2024", "j.jansen@gemeente.nl", ""),
        ("J.Jansen-kompas-24", "j.jansen@gemeente.nl", ""),
        ("kompas-PIETER-regen", "", "Pieter"),
        ("kompas-devries-regen", "", "Jan de Vries"),
        ("kompas-jandevries-7", "", "Jan de Vries"),
        ("kompas-m4rl0es-regen", "marloes@voorbeeld.nl", ""),
    ],
)
def test_personal_details_are_refused(password: str, email: str, name: str) -> None:
    assert password_problems(password, email=email, name=name) == [PERSONAL]


def test_short_email_local_part_and_name_are_ignored() -> None:
    assert password_problems("kompas-jan-regenjas", email="jan@x.nl", name="Jan") == []
    assert password_problems("kompas-bo-regenjas", email="bo@x.nl", name="Bo de Wit") == []


def test_common_password_list_ships_with_the_package() -> None:
    text = resources.files("dla.auth").joinpath("common_passwords.txt").read_text("utf-8")
    lines = text.splitlines()
    assert 900 <= len(lines) <= 1500
    assert all(line == line.strip().lower() and line for line in lines)
    assert len(set(lines)) == len(lines)
    known = common_passwords()
    for word in ["123456", "password", "qwerty", "iloveyou", "welkom", "wachtwoord", "geheim"]:
        assert word in known
    for word in ["feyenoord", "ajax", "oranje", "welkom2024", "wachtwoord01", "geheim1234"]:
        assert word in known
    assert common_passwords() is known  # loaded once
