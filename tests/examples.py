"""The real DLA texts of ``../shared/examples`` (next to the repository, never in it).

Tests that read them call :func:`example` (or :func:`examples_dir`): without the folder they
skip with the reason; in CI (``DLA_REQUIRE_EXAMPLES=1``, set by ``.ci/run``) they fail
instead. Other files of ``../shared`` (the REFI-QDA schema) follow the same rule through
:func:`shared_file`. ``DLA_EXAMPLES_DIR`` points at another folder (an empty one to try the skip).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

EXAMPLES = Path(
    os.environ.get("DLA_EXAMPLES_DIR")
    or Path(__file__).resolve().parents[2] / "shared" / "examples"
)


SHARED = Path(__file__).resolve().parents[2] / "shared"


def _absent(reason: str) -> None:
    """Skip the calling test, or fail it in CI, where the shared material must be there."""
    if os.environ.get("DLA_REQUIRE_EXAMPLES") == "1":
        pytest.fail(f"{reason}, and DLA_REQUIRE_EXAMPLES=1 requires it")
    pytest.skip(reason)


def examples_dir() -> Path:
    """The folder of example texts; skips the calling test when it is absent (fails in CI)."""
    if not EXAMPLES.is_dir() or not any(EXAMPLES.glob("*.txt")):
        _absent(f"the real example texts are absent ({EXAMPLES}); they are not in the repository")
    return EXAMPLES


def shared_file(path: Path, what: str) -> Path:
    """Another file of ``../shared`` (a standard's schema): skips when absent, fails in CI."""
    if not path.is_file():
        _absent(f"{what} is absent ({path}); it is not in the repository")
    return path


def example(name: str) -> Path:
    """One example file (see :func:`examples_dir`)."""
    return examples_dir() / name


def example_files() -> list[Path]:
    """Every example text, for parametrising at collection time: without the folder, one
    ``None`` whose test calls :func:`examples_dir` and so skips (or fails in CI)."""
    if not EXAMPLES.is_dir():
        return [None]
    return sorted(EXAMPLES.glob("*.txt")) or [None]
