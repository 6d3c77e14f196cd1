"""Shared paths and fixtures for the test suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
RULES = ROOT / "rules"
SHARED = Path(os.environ.get("CSMLINT_SHARED", ROOT.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with a clear reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared is not available ({path} missing)")
    return path


@pytest.fixture(scope="session")
def all_rules():  # type: ignore[no-untyped-def]
    from csmlint.rulepack.loader import load_rules

    return load_rules()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        default=False,
        help="Rewrite reporter snapshots instead of comparing them.",
    )
